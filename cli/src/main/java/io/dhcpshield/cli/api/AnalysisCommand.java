package io.dhcpshield.cli.api;

import com.fasterxml.jackson.databind.JsonNode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.time.Instant;

/** {@code dpictl analysis ...}: the analysis queue over the API (docs/automation.md). */
@Command(name = "analysis", description = "The analysis queue: queue a device, list results, approve or reject.",
        subcommands = {AnalysisCommand.Queue.class, AnalysisCommand.ListResults.class, AnalysisCommand.Pending.class,
            AnalysisCommand.Approve.class, AnalysisCommand.Reject.class})
public final class AnalysisCommand implements Runnable {

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.err);
    }

    @Command(name = "queue", description = "Queue a device (MAC, 0x client mark or DUID) for analysis.")
    public static final class Queue extends ApiCommand {
        @Parameters(index = "0", paramLabel = "TARGET")
        String target;

        @Override
        int run(ApiClient api) throws Exception {
            JsonNode r = api.post("/api/v1/analysis", ApiClient.JSON.createObjectNode().put("target", target));
            if (json) {
                print(r);
            } else {
                System.out.println(ApiCommand.text(r, "status") + " " + ApiCommand.text(r, "id"));
            }
            return 0;
        }
    }

    @Command(name = "list", description = "Analysis results, newest first.")
    public static final class ListResults extends ApiCommand {
        @Option(names = "--target", paramLabel = "TARGET")
        String target;

        @Option(names = "--state", paramLabel = "STATE")
        String state;

        @Option(names = "--since", paramLabel = "DURATION", defaultValue = "24h")
        String since;

        @Option(names = "--limit", defaultValue = "50")
        int limit;

        @Override
        int run(ApiClient api) throws Exception {
            JsonNode r = api.get("/api/v1/analysis", ApiClient.params("target", target, "state", state, "from",
                    Instant.now().minus(ActionsCommand.parseDuration(since)).toString(), "limit",
                    Integer.toString(limit)));
            return lines(r, "results", this);
        }
    }

    @Command(name = "pending", description = "Recommendations held for approval.")
    public static final class Pending extends ApiCommand {
        @Override
        int run(ApiClient api) throws Exception {
            return lines(api.get("/api/v1/analysis/pending", null), "pending", this);
        }
    }

    @Command(name = "approve", description = "Apply a held recommendation.")
    public static final class Approve extends ApiCommand {
        @Parameters(index = "0", paramLabel = "ID")
        String id;

        @Override
        int run(ApiClient api) throws Exception {
            JsonNode r = api.post("/api/v1/analysis/" + id + "/approve", null);
            if (json) {
                print(r);
            } else {
                line(r);
            }
            return 0;
        }
    }

    @Command(name = "reject", description = "Drop a held recommendation.")
    public static final class Reject extends ApiCommand {
        @Parameters(index = "0", paramLabel = "ID")
        String id;

        @Override
        int run(ApiClient api) throws Exception {
            JsonNode r = api.post("/api/v1/analysis/" + id + "/reject", null);
            if (json) {
                print(r);
            } else {
                line(r);
            }
            return 0;
        }
    }

    static int lines(JsonNode r, String field, ApiCommand cmd) {
        if (cmd.json) {
            cmd.print(r);
            return 0;
        }
        for (JsonNode x : r.path(field)) {
            line(x);
        }
        return 0;
    }

    static void line(JsonNode x) {
        System.out.printf("%s  %s  %-22s %-9s %-9s by %-28s %s%n", ApiCommand.text(x, "requested_at"), ApiCommand.text(x, "id"),
                x.path("target").path("value").asText(), ApiCommand.text(x, "state"), ApiCommand.text(x, "recommendation"),
                ApiCommand.text(x, "requested_by"), ApiCommand.text(x, "reason").isEmpty() ? ApiCommand.text(x, "error") : ApiCommand.text(x, "reason"));
    }
}
