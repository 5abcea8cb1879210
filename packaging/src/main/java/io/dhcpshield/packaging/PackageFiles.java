package io.dhcpshield.packaging;

import io.dhcpshield.cli.Dpictl;
import io.dhcpshield.processor.DhcpProcessor;
import io.dhcpshield.processor.UserManager;
import io.dhcpshield.processor.agent.DhcpAgent;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32;
import java.util.zip.Deflater;

/**
 * The package's generated files: a man page per command on the PATH, written from the same picocli model that
 * {@code --help} prints (so the two cannot disagree), and the changelog for this version; both compressed as
 * Debian wants them ({@code gzip -9n}: maximum compression, no name, no time stamp, so builds are reproducible).
 *
 * <p>Run by the packaging module's build: {@code PackageFiles OUT_DIR VERSION CHANGELOG_TEMPLATE}.
 */
public final class PackageFiles {

    /**
     * A man page: the command, its section, its name on the PATH, its one-line summary (NAME) and what the page adds
     * beyond --help.
     */
    record Page(CommandSpec spec, int section, String name, String summary, String description, String files) {
    }

    private PackageFiles() {
    }

    public static void main(String[] args) throws IOException {
        Path out = Path.of(args[0]);
        String version = debianVersion(args[1]);
        String changelog = Files.readString(Path.of(args[2]));
        for (Page p : pages()) {
            Path file = out.resolve("man/man" + p.section() + "/" + p.name() + "." + p.section() + ".gz");
            Files.createDirectories(file.getParent());
            Files.write(file, gzip(troff(p, version).getBytes(StandardCharsets.UTF_8)));
        }
        Path log = out.resolve("doc/changelog.gz"); // a native package: changelog.gz, not changelog.Debian.gz
        Files.createDirectories(log.getParent());
        Files.write(log, gzip(changelog.replace("@VERSION@", version).getBytes(StandardCharsets.UTF_8)));
    }

    /** The Maven version as jdeb maps it: 0.1.0-SNAPSHOT is 0.1.0~SNAPSHOT, which sorts before 0.1.0. */
    static String debianVersion(String maven) {
        return maven.replaceFirst("-", "~");
    }

    static List<Page> pages() {
        String config = "/etc/dhcp-shield/config.yaml\n"
                + "The Core configuration; every key is in the file, commented out at its default (docs: "
                + "/opt/dhcp-shield/docs/configuration.md).";
        CommandSpec collector = spec(new DhcpProcessor()).name("dhcp-collector");
        collector.remove(collector.findOption("--passive"));
        collector.usageMessage().description("Observes the DHCP that remote dhcp-agents mirror over TZSP; never on "
                + "the forwarding path.");
        return List.of(
                new Page(spec(new DhcpProcessor()), 8, "dhcp-processor", "the DHCP Shield daemon (DHCP inspection "
                        + "over NFQUEUE)",
                        "The DHCP Shield daemon. Run by dhcp-processor.service as "
                                + "/opt/dhcp-shield/bin/dhcp-processor, a launcher that picks the newest Java under "
                                + "/usr/lib/jvm (or $JAVA_HOME) and takes JVM options from "
                                + "$DHCP_PROCESSOR_JAVA_OPTS.",
                        config + "\n/var/lib/dhcp-shield\nThe API's signing key, the first admin's one-time "
                                + "password, captures.\n/run/dhcp-shield/status.json\nThe status file of the "
                                + "service (every counter)."),
                new Page(collector, 8, "dhcp-collector", "the DHCP Shield collector (TZSP from remote sites, "
                        + "passive)",
                        "dhcp-processor in passive mode (it is dhcp-processor --passive): the central "
                                + "site's collector of the TZSP frames dhcp-agent mirrors from remote sites. It "
                                + "observes, stores and alarms on them, with no NFQUEUE and no ruleset. Run by "
                                + "dhcp-collector.service; configured by the collector.* keys of config.yaml.",
                        config),
                new Page(spec(new DhcpAgent()), 8, "dhcp-agent", "the DHCP Shield remote-site agent (DHCP "
                        + "capture forwarded as TZSP)",
                        "Run by dhcp-agent.service with the settings of /etc/dhcp-shield/agent.env; JVM "
                                + "options in $DHCP_AGENT_JAVA_OPTS.",
                        "/etc/dhcp-shield/agent.env\nAGENT_INTERFACE, AGENT_ARGS (the options below) and "
                                + "DHCP_AGENT_JAVA_OPTS for dhcp-agent.service."),
                new Page(spec(new UserManager()), 8, "user-manager", "DHCP Shield API and GUI users from the "
                        + "shell",
                        "It works straight in ClickHouse (the clickhouse.* keys of config.yaml, which only "
                                + "root and the dhcp-shield group may read), so it works with the API down.",
                        config),
                new Page(spec(new Dpictl()), 1, "dpictl", "the DHCP Shield operator command line",
                        "", // its own description says it all
                        "~/.config/dhcp-shield/dpictl-session.json\nThe session dpictl login keeps (the API "
                                + "address and its tokens), readable by its owner only."));
    }

    private static CommandSpec spec(Object command) {
        return new CommandLine(command).getCommandSpec();
    }

    /** The page in man(7) macros: NAME, SYNOPSIS, DESCRIPTION, OPTIONS, each subcommand, FILES, SEE ALSO. */
    static String troff(Page p, String version) {
        CommandSpec s = p.spec();
        StringBuilder sb = new StringBuilder();
        sb.append(".\\\" Generated by io.dhcpshield.packaging.PackageFiles from the command's picocli model.\n");
        sb.append(".TH ").append(p.name().toUpperCase()).append(' ').append(p.section())
                .append(" \"\" \"DHCP Shield ").append(escape(version)).append("\" \"DHCP Shield\"\n");
        sb.append(".SH NAME\n").append(escape(p.name())).append(" \\- ").append(escape(p.summary())).append('\n');
        sb.append(".SH SYNOPSIS\n");
        synopsis(sb, p.name(), s);
        sb.append(".SH DESCRIPTION\n");
        boolean first = true;
        for (String line : s.usageMessage().description()) {
            sb.append(first ? "" : ".PP\n").append(escape(line)).append('\n');
            first = false;
        }
        if (!p.description().isEmpty()) {
            sb.append(".PP\n").append(escape(p.description())).append('\n');
        }
        options(sb, ".SH OPTIONS", s);
        if (!s.subcommands().isEmpty()) {
            sb.append(".SH COMMANDS\n");
            commands(sb, p.name(), s);
        }
        sb.append(".SH FILES\n");
        String[] files = p.files().split("\n");
        for (int i = 0; i + 1 < files.length; i += 2) {
            sb.append(".TP\n.I ").append(escape(files[i])).append('\n').append(escape(files[i + 1])).append('\n');
        }
        sb.append(".SH SEE ALSO\n");
        sb.append("Every command prints the same help with \\fB\\-\\-help\\fR. The documentation is in "
                + "/opt/dhcp-shield/docs/ (install.md first).\n");
        return sb.toString();
    }

    private static void synopsis(StringBuilder sb, String name, CommandSpec s) {
        sb.append(".B ").append(escape(name)).append('\n');
        StringBuilder args = new StringBuilder();
        if (s.options().stream().anyMatch(o -> !o.hidden())) {
            args.append("[OPTIONS]");
        }
        for (PositionalParamSpec pp : s.positionalParameters()) {
            if (!pp.hidden()) {
                args.append(args.isEmpty() ? "" : " ").append(pp.paramLabel());
            }
        }
        if (!s.subcommands().isEmpty()) {
            args.append(args.isEmpty() ? "" : " ").append("COMMAND [ARGS]");
        }
        if (!args.isEmpty()) {
            sb.append(escape(args.toString())).append('\n');
        }
    }

    private static void commands(StringBuilder sb, String prefix, CommandSpec s) {
        s.subcommands().forEach((name, sub) -> {
            CommandSpec c = sub.getCommandSpec();
            if (c.usageMessage().hidden() || !name.equals(c.name())) {
                return; // hidden, or an alias (listed under its name)
            }
            String full = prefix + " " + name;
            sb.append(".SS ").append(escape(full)).append('\n');
            synopsis(sb, full, c);
            for (String line : c.usageMessage().description()) {
                sb.append(".PP\n").append(escape(line)).append('\n');
            }
            options(sb, null, c);
            commands(sb, full, c);
        });
    }

    /** The positional parameters and options, each a tagged paragraph; {@code heading} first when there are any. */
    private static void options(StringBuilder sb, String heading, CommandSpec s) {
        List<String> items = new ArrayList<>();
        for (PositionalParamSpec pp : s.positionalParameters()) {
            if (!pp.hidden()) {
                items.add(".I " + escape(pp.paramLabel()) + "\n" + escape(String.join(" ", pp.description())));
            }
        }
        for (OptionSpec o : s.options()) {
            if (o.hidden()) {
                continue;
            }
            StringBuilder names = new StringBuilder();
            for (String n : o.names()) {
                names.append(names.isEmpty() ? "" : ", ").append("\\fB").append(escape(n)).append("\\fR");
            }
            if (o.arity().max() > 0) {
                names.append(" \\fI").append(escape(o.paramLabel())).append("\\fR");
            }
            items.add(names + "\n" + escape(String.join(" ", o.description())));
        }
        if (!items.isEmpty() && heading != null) {
            sb.append(heading).append('\n');
        }
        items.forEach(i -> sb.append(".TP\n").append(i).append('\n'));
    }

    /** Text safe in a man page: backslashes and hyphens escaped, no line starting with a control character. */
    static String escape(String text) {
        String t = text.replace("\\", "\\e").replace("-", "\\-");
        if (t.startsWith(".") || t.startsWith("'")) {
            t = "\\&" + t;
        }
        return t.replace("\n.", "\n\\&.").replace("\n'", "\n\\&'");
    }

    /** gzip -9n: the header carries no name and no time, and says "maximum compression". */
    static byte[] gzip(byte[] data) {
        try (ByteArrayOutputStream out = new ByteArrayOutputStream()) {
            out.write(new byte[] {0x1f, (byte) 0x8b, 8, 0, 0, 0, 0, 0, 2, 3});
            Deflater d = new Deflater(Deflater.BEST_COMPRESSION, true);
            d.setInput(data);
            d.finish();
            byte[] buf = new byte[65536];
            while (!d.finished()) {
                out.write(buf, 0, d.deflate(buf));
            }
            d.end();
            CRC32 crc = new CRC32();
            crc.update(data);
            int[] trailer = {(int) crc.getValue(), data.length};
            for (int v : trailer) {
                for (int i = 0; i < 4; i++) {
                    out.write((v >>> (8 * i)) & 0xff);
                }
            }
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
