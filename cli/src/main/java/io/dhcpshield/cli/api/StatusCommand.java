package io.dhcpshield.cli.api;

import com.fasterxml.jackson.databind.JsonNode;
import picocli.CommandLine.Command;

/** {@code dpictl status}: the appliance's readiness as the API reports it. */
@Command(name = "status", description = "Is the appliance inspecting? Queues, transport, queue mode, ClickHouse, "
        + "ruleset, fail-open (or passive mode and the remote agents it hears), every service.")
public final class StatusCommand extends ApiCommand {

    @Override
    int run(ApiClient api) throws Exception {
        JsonNode r = api.ready();
        if (json) {
            print(r);
            return r.path("ready").asBoolean() ? 0 : 1;
        }
        out.printf("ready:               %s%n", r.path("ready").asBoolean() ? "yes" : "NO");
        if ("passive".equals(r.path("mode").asText())) {
            out.printf("mode:                passive (TZSP collector only: no queue, no ruleset)%n");
        } else {
            out.printf("queues:              %d of %d bound (%s)%n", r.path("queues_bound").asLong(),
                    r.path("queues").asLong(), text(r, "transport"));
            out.printf("fail-open in effect: %s%n", r.path("fail_open_in_effect").asBoolean() ? "YES (DHCP passes "
                    + "uninspected)" : "no");
            out.printf("ruleset:             %s (queue mode %s)%n", text(r, "ruleset"), text(r, "queue_mode"));
        }
        if (r.has("collector_agents")) {
            out.printf("remote agents:       %d heard by the collector%n", r.path("collector_agents").asLong());
        }
        out.printf("clickhouse:          %s%n", text(r, "clickhouse"));
        out.println("services:");
        for (JsonNode s : r.path("services")) {
            out.printf("  %-14s %-11s %s%s%n", text(s, "name"), text(s, "state"),
                    s.path("ready").asBoolean() ? "ready" : "not ready", s.has("reason") ? ": " + text(s, "reason")
                            : "");
        }
        return r.path("ready").asBoolean() ? 0 : 1;
    }
}
