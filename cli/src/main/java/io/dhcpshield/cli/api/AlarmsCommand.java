package io.dhcpshield.cli.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.time.Instant;

/** {@code dpictl alarms ...}: the alarms over the API (docs/alarms.md). */
@Command(name = "alarms", description = "Alarms: list, show, ack, clear; notification routes and sinks.",
        subcommands = {AlarmsCommand.ListAlarms.class, AlarmsCommand.Show.class, AlarmsCommand.Ack.class,
            AlarmsCommand.Clear.class, AlarmsCommand.Notifications.class})
public final class AlarmsCommand implements Runnable {

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.err);
    }

    @Command(name = "list", description = "Alarms, newest raised first (open ones unless --state says otherwise).")
    public static final class ListAlarms extends ApiCommand {
        @Option(names = "--state", description = "open (default), raised, acknowledged, cleared, all")
        String state;

        @Option(names = "--severity", description = "at least: info, warning, critical")
        String severity;

        @Option(names = "--channel", description = "dhcp, detector, automation, system")
        String channel;

        @Option(names = "--category", description = "security, traffic, client, health")
        String category;

        @Option(names = {"-q", "--search"}, description = "substring of the source key, title or a party")
        String q;

        @Option(names = "--since", paramLabel = "DURATION", description = "raised within (history: 24h, 7d)")
        String since;

        @Option(names = "--limit", defaultValue = "100")
        int limit;

        @Override
        int run(ApiClient api) throws Exception {
            JsonNode r = api.get("/api/v1/alarms", ApiClient.params("state", state, "severity", severity,
                    "channel", channel, "category", category, "q", q, "from", since == null ? null
                            : Instant.now().minus(ActionsCommand.parseDuration(since)).toString(),
                    "limit", Integer.toString(limit)));
            if (json) {
                print(r);
                return 0;
            }
            for (JsonNode a : r.path("alarms")) {
                System.out.printf("%-36s %-8s %-12s %-24s %5sx  %s%n", text(a, "id"), text(a, "severity"),
                        text(a, "state"), text(a, "raised_at"), text(a, "occurrences"), text(a, "title"));
            }
            JsonNode open = r.path("open");
            System.out.printf("open: %s raised, %s acknowledged%n", text(open, "raised"), text(open, "acknowledged"));
            return 0;
        }
    }

    @Command(name = "show", description = "One alarm: message, context, facts, history.")
    public static final class Show extends ApiCommand {
        @Parameters(index = "0", paramLabel = "ID")
        String id;

        @Override
        int run(ApiClient api) throws Exception {
            JsonNode a = api.get("/api/v1/alarms/" + id, null);
            if (json) {
                print(a);
                return 0;
            }
            System.out.printf("%s  %s  %s (%s / %s / %s)%n%s%n", text(a, "severity").toUpperCase(),
                    text(a, "state"), text(a, "source_key"), text(a, "channel"), text(a, "category"), text(a, "kind"),
                    text(a, "message"));
            System.out.printf("raised %s, last seen %s, %s occurrence(s)%n", text(a, "raised_at"),
                    text(a, "last_seen"), text(a, "occurrences"));
            for (JsonNode p : a.path("context")) {
                System.out.printf("  %-8s %-40s %-18s %6s  %s .. %s%n", text(p, "role"), text(p, "id"),
                        text(p, "mac"), text(p, "count"), text(p, "first_seen"), text(p, "last_seen"));
            }
            a.path("facts").fields().forEachRemaining(f -> System.out.printf("  %s = %s%n", f.getKey(),
                    f.getValue().asText()));
            for (JsonNode h : a.path("history")) {
                System.out.printf("  %s  %-12s by %-10s %s%n", text(h, "time"), text(h, "state"), text(h, "actor"),
                        text(h, "note"));
            }
            return 0;
        }
    }

    @Command(name = "ack", description = "Acknowledge an open alarm (operator).")
    public static final class Ack extends ApiCommand {
        @Parameters(index = "0", paramLabel = "ID")
        String id;

        @Option(names = "--note")
        String note;

        @Override
        int run(ApiClient api) throws Exception {
            return change(api, id, "acknowledge", note, this);
        }
    }

    @Command(name = "clear", description = "Clear an open alarm (operator).")
    public static final class Clear extends ApiCommand {
        @Parameters(index = "0", paramLabel = "ID")
        String id;

        @Option(names = "--note")
        String note;

        @Override
        int run(ApiClient api) throws Exception {
            return change(api, id, "clear", note, this);
        }
    }

    static int change(ApiClient api, String id, String what, String note, ApiCommand cmd) throws Exception {
        ObjectNode body = ApiClient.JSON.createObjectNode();
        if (note != null) {
            body.put("note", note);
        }
        JsonNode a = api.post("/api/v1/alarms/" + id + "/" + what, body);
        if (cmd.json) {
            cmd.print(a);
        } else {
            System.out.println(id + " " + ApiCommand.text(a, "state"));
        }
        return 0;
    }

    @Command(name = "notifications", description = "Notification routes, sinks (state, counters) and limits.")
    public static final class Notifications extends ApiCommand {
        @Override
        int run(ApiClient api) throws Exception {
            JsonNode r = api.get("/api/v1/notifications", null);
            if (json) {
                print(r);
                return 0;
            }
            for (JsonNode s : r.path("sinks")) {
                JsonNode c = s.path("counters");
                System.out.printf("sink %-7s %-10s offered %s sent %s retried %s dropped %s pending %s  %s%n",
                        text(s, "name"), text(s, "state"), text(c, "offered"), text(c, "sent"), text(c, "retried"),
                        text(c, "dropped"), text(c, "pending"), text(s, "target"));
            }
            for (JsonNode x : r.path("routes")) {
                System.out.printf("route %-20s %-3s %-8s channels %s categories %s regex '%s' -> %s  (%s)%n",
                        text(x, "id"), x.path("enabled").asBoolean() ? "on" : "off", text(x, "min_severity"),
                        x.path("channels"), x.path("categories"), text(x, "source_key_regex"), x.path("sinks"),
                        text(x, "name"));
            }
            return 0;
        }
    }
}
