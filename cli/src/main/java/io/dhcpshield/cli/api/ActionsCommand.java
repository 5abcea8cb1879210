package io.dhcpshield.cli.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/** {@code dpictl actions apply|undo|list}: enforcement through the API's Action Manager. */
@Command(name = "actions", description = "Apply, undo and list enforcement actions.",
        subcommands = {ActionsCommand.Apply.class, ActionsCommand.Undo.class, ActionsCommand.ListActions.class})
public final class ActionsCommand implements Runnable {

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.err);
    }

    /** {@code dpictl actions apply block aa:bb:cc:dd:ee:ff [--duration 2h] [--reason TEXT]}. */
    @Command(name = "apply", description = "Take an action (block, deny, throttle, monitor, allow, cleanup, analyze) "
            + "on clients: MACs, client marks (0x...) or DUIDs.")
    public static final class Apply extends ApiCommand {
        @Parameters(index = "0", paramLabel = "ACTION")
        String action;

        @Parameters(index = "1..*", paramLabel = "TARGET", arity = "1..*")
        List<String> targets;

        @Option(names = "--duration", paramLabel = "DURATION", description = "e.g. 90s, 30m, 2h, 7d (default: the "
                + "action's own)")
        String duration;

        @Option(names = "--reason", paramLabel = "TEXT")
        String reason;

        @Override
        int run(ApiClient api) throws Exception {
            ObjectNode body = ApiClient.JSON.createObjectNode().put("action", action);
            ArrayNode t = body.putArray("targets");
            targets.forEach(t::add);
            if (duration != null) {
                body.put("duration_secs", parseDuration(duration).toSeconds());
            }
            if (reason != null) {
                body.put("reason", reason);
            }
            JsonNode r = api.post("/api/v1/actions", body);
            if (json) {
                print(r);
            } else {
                for (JsonNode a : r.path("records")) {
                    line(a);
                }
            }
            return 0;
        }
    }

    /** {@code dpictl actions undo ID}. */
    @Command(name = "undo", description = "Undo an action in force (or a cleanup) by its id.")
    public static final class Undo extends ApiCommand {
        @Parameters(index = "0", paramLabel = "ID")
        String id;

        @Override
        int run(ApiClient api) throws Exception {
            JsonNode r = api.post("/api/v1/actions/" + id + "/undo", null);
            if (json) {
                print(r);
            } else {
                for (JsonNode a : r.path("records")) {
                    line(a);
                }
            }
            return 0;
        }
    }

    /** {@code dpictl actions list [--active] [--actor A] [--target T] [--since 24h]}. */
    @Command(name = "list", description = "Actions in force (--active) or the history.")
    public static final class ListActions extends ApiCommand {
        @Option(names = "--active", description = "only what is in force now")
        boolean active;

        @Option(names = "--actor", paramLabel = "ACTOR", description = "e.g. user:alice")
        String actor;

        @Option(names = "--target", paramLabel = "TARGET", description = "MAC, 0x client mark or DUID")
        String target;

        @Option(names = "--action", paramLabel = "ACTION")
        String type;

        @Option(names = "--since", paramLabel = "DURATION", defaultValue = "24h")
        String since;

        @Option(names = "--limit", defaultValue = "100")
        int limit;

        @Override
        int run(ApiClient api) throws Exception {
            JsonNode r = active ? api.get("/api/v1/actions/active", null)
                    : api.get("/api/v1/actions", ApiClient.params("from",
                    Instant.now().minus(parseDuration(since)).toString(), "actor", actor, "target", target,
                    "action", type, "limit", Integer.toString(limit)));
            if (json) {
                print(r);
            } else {
                for (JsonNode a : r.path("actions")) {
                    line(a);
                }
            }
            return 0;
        }
    }

    static void line(JsonNode a) {
        System.out.printf("%s  %-8s %-10s %-22s by %-24s %s%s%n", text(a, "id"), text(a, "action"), text(a, "state"),
                a.path("target").path("value").asText(), text(a, "actor"),
                a.has("expires_at") ? "until " + text(a, "expires_at") : "",
                text(a, "reason").isEmpty() ? "" : "  (" + text(a, "reason") + ")");
    }

    /** {@code 90s}, {@code 30m}, {@code 2h}, {@code 7d}, or ISO-8601 {@code PT2H}. */
    static Duration parseDuration(String s) {
        String t = s.trim().toLowerCase(java.util.Locale.ROOT);
        try {
            if (t.startsWith("p")) {
                return Duration.parse(t.toUpperCase(java.util.Locale.ROOT));
            }
            long n = Long.parseLong(t.substring(0, t.length() - 1));
            return switch (t.charAt(t.length() - 1)) {
                case 's' -> Duration.ofSeconds(n);
                case 'm' -> Duration.ofMinutes(n);
                case 'h' -> Duration.ofHours(n);
                case 'd' -> Duration.ofDays(n);
                default -> throw new IllegalArgumentException();
            };
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("not a duration (90s, 30m, 2h, 7d): '" + s + "'");
        }
    }

    private static String text(JsonNode n, String field) {
        return ApiCommand.text(n, field);
    }
}
