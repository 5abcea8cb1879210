package io.dhcpshield.cli.api;

import com.fasterxml.jackson.databind.JsonNode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.util.Iterator;
import java.util.Map;

/** {@code dpictl counters}: every service's counters, totals by name (or every label set with --all). */
@Command(name = "counters", description = "The appliance's counters: totals by name, or per label set with --all.")
public final class CountersCommand extends ApiCommand {

    @Option(names = "--all", description = "every label set (queue, reason, subscriber, ...), not only totals")
    boolean all;

    @Option(names = "--match", paramLabel = "TEXT", description = "only counters whose name contains TEXT")
    String match;

    @Override
    int run(ApiClient api) throws Exception {
        JsonNode r = api.get("/api/v1/counters", null);
        if (json) {
            print(r);
            return 0;
        }
        Iterator<Map.Entry<String, JsonNode>> it = r.path("metrics").fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            if (match != null && !e.getKey().contains(match)) {
                continue;
            }
            JsonNode m = e.getValue();
            if (!all && m.has("total")) {
                out.printf("%-40s %s%n", e.getKey(), m.path("total").asText());
                continue;
            }
            for (JsonNode s : m.path("series")) {
                StringBuilder labels = new StringBuilder();
                s.path("labels").fields().forEachRemaining(l -> labels.append(labels.length() == 0 ? "{" : ",")
                        .append(l.getKey()).append('=').append(l.getValue().asText()));
                if (labels.length() > 0) {
                    labels.append('}');
                }
                String value = s.has("value") ? s.path("value").asText()
                        : "count=" + s.path("count").asText() + " p50=" + s.path("p50").asText() + " p99="
                        + s.path("p99").asText();
                out.printf("%-40s %s%n", e.getKey() + labels, value);
            }
        }
        return 0;
    }
}
