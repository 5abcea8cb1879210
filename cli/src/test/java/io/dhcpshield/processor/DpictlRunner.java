package io.dhcpshield.processor;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** The packaged {@code dpictl} run in a lab's appliance namespace with its own session file, against one API. */
final class DpictlRunner {

    static final Path JAR = Path.of(System.getProperty("dhcpshield.dpictl.jar",
            Lab.REPO.resolve("cli/target/dpictl.jar").toString()));

    private final Lab lab;
    private final Path session;
    private final String url;

    DpictlRunner(Lab lab, Path session, String url) {
        this.lab = lab;
        this.session = session;
        this.url = url;
    }

    static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /** {@code dpictl args... --api URL}. */
    Lab.Result run(String... args) {
        List<String> cmd = new ArrayList<>(List.of("env", "DPICTL_SESSION=" + session, java(),
                "--enable-native-access=ALL-UNNAMED", "-jar", JAR.toString()));
        cmd.addAll(List.of(args));
        cmd.addAll(List.of("--api", url));
        return lab.inNs(lab.app, Duration.ofSeconds(60), cmd.toArray(String[]::new));
    }

    /** The same with {@code stdin} as its standard input (a password). */
    Lab.Result runWithStdin(String stdin, String... args) throws Exception {
        Path in = Files.createTempFile("stdin", ".txt");
        Files.writeString(in, stdin);
        StringBuilder sh = new StringBuilder("env DPICTL_SESSION=" + session + " " + java()
                + " --enable-native-access=ALL-UNNAMED -jar " + JAR);
        for (String a : args) {
            sh.append(' ').append(a);
        }
        sh.append(" --api ").append(url).append(" < ").append(in);
        Lab.Result r = lab.inNs(lab.app, Duration.ofSeconds(60), "sh", "-c", sh.toString());
        Files.delete(in);
        return r;
    }

    /** Logs in as {@code user}. */
    Lab.Result login(String user, String password) throws Exception {
        return runWithStdin(password + "\n", "login", "-u", user, "--password-stdin");
    }
}
