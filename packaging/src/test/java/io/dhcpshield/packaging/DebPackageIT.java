package io.dhcpshield.packaging;

import io.dhcpshield.processor.ConfigReference;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The built .deb as dpkg and lintian see it: control fields, the file list with modes and links, the conffile, the
 * packaged config.yaml (the model's, {@link ConfigReference#yaml()}), a man page for every command on the PATH, the
 * maintainer scripts' shell syntax, and lintian with the reviewed overrides: any error, warning or info fails.
 * Installing it is packaging/test-install.sh (a clean root).
 */
class DebPackageIT {

    private static Path deb;

    @BeforeAll
    static void findTheDeb() throws IOException {
        Path dir = Path.of(System.getProperty("dhcpshield.deb.dir", "target"));
        try (Stream<Path> files = Files.list(dir)) {
            List<Path> debs = files.filter(p -> p.getFileName().toString().matches("dhcp-shield_.+_all\\.deb"))
                    .toList();
            assertEquals(1, debs.size(), "one dhcp-shield_VERSION_all.deb in " + dir + ": " + debs);
            deb = debs.get(0);
        }
    }

    @Test
    void controlFieldsNameTheRuntimeTheKernelToolsAndClickHouse() throws Exception {
        Map<String, String> f = fields(run("dpkg-deb", "-f", deb.toString()));
        assertEquals("dhcp-shield", f.get("Package"));
        assertEquals("all", f.get("Architecture"));
        assertTrue(f.get("Version").matches("[0-9][0-9A-Za-z.+~]*"), "a Debian version: " + f.get("Version"));
        assertEquals("dhcp-shield_" + f.get("Version") + "_all.deb", deb.getFileName().toString());
        assertEquals("default-jre-headless (>= 2:1.17) | java17-runtime-headless, nftables, iptables, libpcap0.8, "
                + "adduser", f.get("Depends"));
        assertEquals("clickhouse-server", f.get("Recommends"));
        String changelog = run("sh", "-c", "dpkg-deb --fsys-tarfile '" + deb
                + "' | tar -xOf - ./usr/share/doc/dhcp-shield/changelog.gz | gzip -dc");
        assertTrue(changelog.startsWith("dhcp-shield (" + f.get("Version") + ") "), changelog);
    }

    @Test
    void filesLaunchersLinksAndUnitsAreWhereTheUnitsAndDocsSayWithTheirModes() throws Exception {
        Map<String, String> entries = new LinkedHashMap<>(); // path -> mode (and link target)
        for (String line : run("dpkg-deb", "-c", deb.toString()).split("\n")) {
            String[] cols = line.trim().split("\\s+");
            String path = cols[5].replaceFirst("^\\./", "/");
            entries.put(path, cols[0] + (cols.length > 7 ? " -> " + cols[7] : ""));
        }
        for (String bin : List.of("dhcp-processor", "dhcp-collector", "dhcp-agent", "user-manager", "newest-java",
                "simulator", "dpictl")) {
            assertEquals("-rwxr-xr-x", entries.get("/opt/dhcp-shield/bin/" + bin), bin);
        }
        for (String jar : List.of("dhcp-processor.jar", "dpictl.jar", "dhcp-simulator.jar")) {
            assertEquals("-rw-r--r--", entries.get("/opt/dhcp-shield/lib/" + jar), jar);
        }
        assertEquals("-rw-r--r--", entries.get("/etc/dhcp-shield/config.yaml"));
        assertEquals("-rw-r--r--", entries.get("/etc/dhcp-shield/agent.env"));
        for (Path unit : list(Path.of(System.getProperty("dhcpshield.repo"), "systemd"), ".service")) {
            assertTrue(entries.containsKey("/lib/systemd/system/" + unit.getFileName()), "unit " + unit);
        }
        Map<String, String> links = Map.of("/usr/sbin/dhcp-processor", "dhcp-processor.8",
                "/usr/sbin/dhcp-collector", "dhcp-collector.8", "/usr/sbin/dhcp-agent", "dhcp-agent.8",
                "/usr/sbin/user-manager", "user-manager.8", "/usr/bin/dpictl", "dpictl.1");
        links.forEach((link, page) -> {
            String name = link.substring(link.lastIndexOf('/') + 1);
            assertTrue(entries.getOrDefault(link, "").endsWith("-> /opt/dhcp-shield/bin/" + name), link);
            String section = page.substring(page.length() - 1);
            assertTrue(entries.containsKey("/usr/share/man/man" + section + "/" + page + ".gz"), "man page " + page);
        });
        List<String> onPath = entries.keySet().stream().filter(p -> p.matches("/usr/s?bin/.+")).sorted().toList();
        assertEquals(links.keySet().stream().sorted().toList(), onPath, "every command on the PATH has its page");
        assertTrue(entries.containsKey("/usr/share/doc/dhcp-shield/copyright"));
        assertTrue(entries.containsKey("/usr/share/lintian/overrides/dhcp-shield"));
    }

    @Test
    void theConffilesAreConfigYamlWithTheModelsDocumentedDefaultsAndAgentEnvWithNothingSet() throws Exception {
        Path control = Files.createTempDirectory("deb-control");
        run("dpkg-deb", "-e", deb.toString(), control.toString());
        assertEquals(List.of("/etc/dhcp-shield/agent.env", "/etc/dhcp-shield/config.yaml"),
                Files.readAllLines(control.resolve("conffiles")).stream().sorted().toList());
        String agentEnv = run("sh", "-c", "dpkg-deb --fsys-tarfile '" + deb
                + "' | tar -xOf - ./etc/dhcp-shield/agent.env");
        assertTrue(agentEnv.contains("#AGENT_INTERFACE=") && agentEnv.contains("#AGENT_ARGS="), agentEnv);
        assertTrue(agentEnv.lines().allMatch(l -> l.isBlank() || l.startsWith("#")), "agent.env sets nothing");
        String packaged = run("sh", "-c", "dpkg-deb --fsys-tarfile '" + deb
                + "' | tar -xOf - ./etc/dhcp-shield/config.yaml");
        assertEquals(ConfigReference.yaml(), packaged, "the packaged config.yaml is ConfigReference.yaml()");
        for (String script : List.of("postinst", "prerm", "postrm")) {
            Path s = control.resolve(script);
            assertTrue(Files.isExecutable(s), script);
            assertTrue(Files.readString(s).startsWith("#!/bin/sh\n"), script);
            run("sh", "-n", s.toString()); // POSIX syntax (dash runs them)
        }
    }

    @Test
    void lintianFindsNothingBeyondTheReviewedOverrides() throws Exception {
        // --fail-on error,warning,info: every tag lintian reports by default (pedantic and experimental ones too)
        // is fixed or overridden with its reason in packaging/src/deb/lintian-overrides.
        List<String> cmd = List.of("lintian", "--display-info", "--pedantic", "--fail-on", "error,warning,info",
                deb.toString());
        Result r = exec(cmd, 600);
        if (r.code == 127 || r.code == -1) {
            fail("lintian is not installed (apt-get install lintian; ./dhcp-shield setup installs it)");
        }
        assertEquals(0, r.code, "lintian reports:\n" + r.out);
    }

    private static List<Path> list(Path dir, String suffix) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.toString().endsWith(suffix)).sorted().toList();
        }
    }

    private static Map<String, String> fields(String control) {
        Map<String, String> out = new LinkedHashMap<>();
        String last = null;
        for (String line : control.split("\n")) {
            if (line.startsWith(" ") && last != null) {
                out.put(last, out.get(last) + "\n" + line);
            } else if (line.contains(":")) {
                last = line.substring(0, line.indexOf(':'));
                out.put(last, line.substring(line.indexOf(':') + 1).trim());
            }
        }
        return out;
    }

    private record Result(int code, String out) {
    }

    private static Result exec(List<String> cmd, int seconds) throws IOException, InterruptedException {
        Process p;
        try {
            p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        } catch (IOException e) {
            return new Result(-1, e.getMessage()); // not installed
        }
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(seconds, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            fail(String.join(" ", cmd) + " timed out");
        }
        return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8));
    }

    private static String run(String... cmd) throws IOException, InterruptedException {
        Result r = exec(new ArrayList<>(Arrays.asList(cmd)), 120);
        assertEquals(0, r.code, String.join(" ", cmd) + ":\n" + r.out);
        return r.out;
    }
}
