package io.dhcpshield.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code dpictl}: the operator's command-line tool. */
@Command(name = "dpictl", mixinStandardHelpOptions = true, version = "dpictl 0.1.0",
        description = "DHCP Shield operator CLI.",
        subcommands = {AnalyzeCommand.class, SelftestCommand.class})
public final class Dpictl implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.err);
    }

    public static void main(String[] args) {
        System.exit(new CommandLine(new Dpictl()).execute(args));
    }
}
