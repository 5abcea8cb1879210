package io.dhcpshield.enforcement;

import com.fasterxml.jackson.databind.JsonNode;
import io.dhcpshield.enforcement.ruleset.RulesetJson;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Test harness: commands and our EnforcementTool run inside a named network namespace. */
final class Netns {
    record Result(int rc, String out, String err) {}

    final String name;

    Netns(String name) { this.name = name; }

    static boolean available() {
        return "root".equals(System.getProperty("user.name")) && Path.of("/usr/sbin/nft").toFile().exists();
    }

    static Result exec(List<String> cmd) {
        try {
            Process p = new ProcessBuilder(cmd).start();
            var out = p.getInputStream();
            var err = p.getErrorStream();
            String o = new String(out.readAllBytes(), StandardCharsets.UTF_8);
            String e = new String(err.readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(300, TimeUnit.SECONDS)) { p.destroyForcibly(); throw new IllegalStateException("timeout " + cmd); }
            return new Result(p.exitValue(), o, e);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    Result in(String... cmd) {
        List<String> c = new ArrayList<>(List.of("ip", "netns", "exec", name));
        c.addAll(List.of(cmd));
        return exec(c);
    }

    Result tool(String... args) {
        List<String> c = new ArrayList<>(List.of("ip", "netns", "exec", name,
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"),
                EnforcementTool.class.getName()));
        c.addAll(List.of(args));
        return exec(c);
    }

    JsonNode json(String... cmd) throws IOException {
        Result r = in(cmd);
        if (r.rc != 0) throw new IllegalStateException(String.join(" ", cmd) + ": " + r.err);
        return RulesetJson.MAPPER.readTree(r.out);
    }

    JsonNode state() throws IOException {
        Result r = tool("state");
        if (r.rc != 0) throw new IllegalStateException("state: " + r.err);
        return RulesetJson.MAPPER.readTree(r.out);
    }

    Netns create() {
        exec(List.of("ip", "netns", "del", name));
        Result r = exec(List.of("ip", "netns", "add", name));
        if (r.rc != 0) throw new IllegalStateException(r.err);
        return this;
    }

    void delete() { exec(List.of("ip", "netns", "del", name)); }
}
