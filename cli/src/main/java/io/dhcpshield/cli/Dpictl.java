package io.dhcpshield.cli;

import io.dhcpshield.cli.api.ActionsCommand;
import io.dhcpshield.cli.api.AnalysisCommand;
import io.dhcpshield.cli.api.AlarmsCommand;
import io.dhcpshield.cli.api.AutomationCommand;
import io.dhcpshield.cli.api.ConfigCommand;
import io.dhcpshield.cli.api.CountersCommand;
import io.dhcpshield.cli.api.DeviceCommand;
import io.dhcpshield.cli.api.EventsCommand;
import io.dhcpshield.cli.api.LoginCommand;
import io.dhcpshield.cli.api.LogoutCommand;
import io.dhcpshield.cli.api.StatusCommand;
import io.dhcpshield.cli.api.WhoHadCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code dpictl}: the operator's command-line tool. */
@Command(name = "dpictl", mixinStandardHelpOptions = true, version = "dpictl 0.1.0",
        description = "DHCP Shield operator CLI: analyze and selftest run locally; the other commands talk to the "
                + "appliance's API (dpictl login first).",
        subcommands = {AnalyzeCommand.class, SelftestCommand.class, LoginCommand.class, LogoutCommand.class,
            StatusCommand.class, CountersCommand.class, ActionsCommand.class, ConfigCommand.class,
            EventsCommand.class, DeviceCommand.class, WhoHadCommand.class, AutomationCommand.class, AlarmsCommand.class,
            AnalysisCommand.class})
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
