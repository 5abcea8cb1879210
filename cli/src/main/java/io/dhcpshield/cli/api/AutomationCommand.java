package io.dhcpshield.cli.api;

import com.fasterxml.jackson.databind.JsonNode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;

/** {@code dpictl automation ...}: the scheduled rules over the API (docs/automation.md). */
@Command(name = "automation", description = "Automation rules: list, show, enable, disable, dry-run, run, runs, put.",
        subcommands = {AutomationCommand.Rules.class, AutomationCommand.Show.class, AutomationCommand.Enable.class,
            AutomationCommand.Disable.class, AutomationCommand.DryRun.class, AutomationCommand.Run.class,
            AutomationCommand.Runs.class, AutomationCommand.Put.class})
public final class AutomationCommand implements Runnable {

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.err);
    }

    @Command(name = "rules", description = "Every rule: id, enabled, priority, schedule, source, metric, thresholds.")
    public static final class Rules extends ApiCommand {
        @Override
        int run(ApiClient api) throws Exception {
            JsonNode r = api.get("/api/v1/automation/rules", null);
            if (json) {
                print(r);
                return 0;
            }
            for (JsonNode s : r.path("rules")) {
                JsonNode x = s.path("rule");
                StringBuilder t = new StringBuilder();
                for (JsonNode th : x.path("thresholds")) {
                    t.append(t.length() == 0 ? "" : ", ").append(th.path("value").asText()).append("→")
                            .append(th.path("action").asText());
                }
                System.out.printf("%-26s %-3s prio %-4s every %3sm  %-24s %4sm  %-16s %s%n", ApiCommand.text(x, "id"),
                        x.path("enabled").asBoolean() ? "on" : "off", ApiCommand.text(x, "priority"), ApiCommand.text(x, "every_minutes"),
                        ApiCommand.text(x, "source"), ApiCommand.text(x, "window_minutes"), ApiCommand.text(x, "metric"), t);
            }
            return 0;
        }
    }

    @Command(name = "show", description = "One rule as JSON.")
    public static final class Show extends ApiCommand {
        @Parameters(index = "0", paramLabel = "ID")
        String id;

        @Override
        int run(ApiClient api) throws Exception {
            print(api.get("/api/v1/automation/rules/" + id, null));
            return 0;
        }
    }

    @Command(name = "enable", description = "Enable a rule.")
    public static final class Enable extends ApiCommand {
        @Parameters(index = "0", paramLabel = "ID")
        String id;

        @Override
        int run(ApiClient api) throws Exception {
            return toggle(api, id, true, this);
        }
    }

    @Command(name = "disable", description = "Disable a rule.")
    public static final class Disable extends ApiCommand {
        @Parameters(index = "0", paramLabel = "ID")
        String id;

        @Override
        int run(ApiClient api) throws Exception {
            return toggle(api, id, false, this);
        }
    }

    static int toggle(ApiClient api, String id, boolean on, ApiCommand cmd) throws Exception {
        JsonNode r = api.patch("/api/v1/automation/rules/" + id, ApiClient.JSON.createObjectNode().put("enabled", on));
        if (cmd.json) {
            cmd.print(r);
        } else {
            System.out.println(id + " " + (r.path("rule").path("enabled").asBoolean() ? "enabled" : "disabled"));
        }
        return 0;
    }

    @Command(name = "dry-run", description = "Run a rule now without acting: the clients it would hit.")
    public static final class DryRun extends ApiCommand {
        @Parameters(index = "0", paramLabel = "ID|FILE", description = "a rule id, or a JSON file with an unsaved rule")
        String rule;

        @Override
        int run(ApiClient api) throws Exception {
            Path file = Path.of(rule);
            JsonNode r = Files.isRegularFile(file)
                    ? api.post("/api/v1/automation/dry-run", ApiClient.JSON.readTree(Files.readString(file)))
                    : api.post("/api/v1/automation/rules/" + rule + "/dry-run", null);
            return report(r, this);
        }
    }

    @Command(name = "run", description = "Run a rule now and act (suppression still applies).")
    public static final class Run extends ApiCommand {
        @Parameters(index = "0", paramLabel = "ID")
        String id;

        @Override
        int run(ApiClient api) throws Exception {
            return report(api.post("/api/v1/automation/rules/" + id + "/run", null), this);
        }
    }

    static int report(JsonNode r, ApiCommand cmd) {
        if (cmd.json) {
            cmd.print(r);
            return 0;
        }
        JsonNode run = r.path("run");
        System.out.printf("%s %s: matched %s, acted %s, suppressed %s, superseded %s in %s ms%s%n",
                ApiCommand.text(run, "trigger"), ApiCommand.text(run, "rule_id"), ApiCommand.text(run, "matched"), ApiCommand.text(run, "acted"),
                ApiCommand.text(run, "suppressed"), ApiCommand.text(run, "superseded"), ApiCommand.text(run, "duration_ms"),
                ApiCommand.text(run, "error").isEmpty() ? "" : "  ERROR " + ApiCommand.text(run, "error"));
        for (JsonNode h : r.path("hits")) {
            StringBuilder clients = new StringBuilder();
            for (JsonNode c : h.path("clients")) {
                clients.append(clients.length() == 0 ? "" : " ").append(c.path("target").path("value").asText());
            }
            System.out.printf("  %-40s %10s  tier %s %-8s %-20s %s%n", h.path("key").toString(), ApiCommand.text(h, "value"),
                    ApiCommand.text(h, "tier"), ApiCommand.text(h, "outcome"), ApiCommand.text(h, "status"), clients);
        }
        return 0;
    }

    @Command(name = "runs", description = "The rules' runs, newest first.")
    public static final class Runs extends ApiCommand {
        @Option(names = "--rule", paramLabel = "ID")
        String rule;

        @Option(names = "--since", paramLabel = "DURATION", defaultValue = "24h")
        String since;

        @Option(names = "--limit", defaultValue = "50")
        int limit;

        @Override
        int run(ApiClient api) throws Exception {
            JsonNode r = api.get("/api/v1/automation/runs", ApiClient.params("rule", rule, "from",
                    Instant.now().minus(ActionsCommand.parseDuration(since)).toString(), "limit",
                    Integer.toString(limit)));
            if (json) {
                print(r);
                return 0;
            }
            for (JsonNode x : r.path("runs")) {
                System.out.printf("%s  %-26s %-9s %5s ms  matched %-4s acted %-4s suppressed %-4s superseded %s%s%n",
                        ApiCommand.text(x, "at"), ApiCommand.text(x, "rule_id"), ApiCommand.text(x, "trigger"), ApiCommand.text(x, "duration_ms"),
                        ApiCommand.text(x, "matched"), ApiCommand.text(x, "acted"), ApiCommand.text(x, "suppressed"), ApiCommand.text(x, "superseded"),
                        ApiCommand.text(x, "error").isEmpty() ? "" : "  ERROR " + ApiCommand.text(x, "error"));
            }
            return 0;
        }
    }

    @Command(name = "put", description = "Create or replace a rule from a JSON file (admin).")
    public static final class Put extends ApiCommand {
        @Parameters(index = "0", paramLabel = "FILE")
        Path file;

        @Override
        int run(ApiClient api) throws Exception {
            JsonNode rule = ApiClient.JSON.readTree(Files.readString(file));
            String id = rule.path("id").asText();
            JsonNode r;
            try {
                r = api.put("/api/v1/automation/rules/" + id, rule);
            } catch (ApiClient.ApiException e) {
                if (e.status != 404) {
                    throw e;
                }
                r = api.post("/api/v1/automation/rules", rule);
            }
            if (json) {
                print(r);
            } else {
                System.out.println(id + " version " + ApiCommand.text(r, "version"));
            }
            return 0;
        }
    }
}
