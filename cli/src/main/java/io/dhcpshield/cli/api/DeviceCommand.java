package io.dhcpshield.cli.api;

import com.fasterxml.jackson.databind.JsonNode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code dpictl device MAC|DUID}: what the appliance knows about one client. */
@Command(name = "device", description = "A client by MAC or DUID: identity, fingerprint, relays, bindings, "
        + "enforcement, actions.")
public final class DeviceCommand extends ApiCommand {

    @Parameters(index = "0", paramLabel = "MAC|DUID")
    String client;

    @Override
    int run(ApiClient api) throws Exception {
        JsonNode d = api.get("/api/v1/devices/" + client, null);
        if (json) {
            print(d);
            return 0;
        }
        out.printf("%s %s: %d events (%d from the client), first %s, last %s%n", text(d, "kind"), text(d, "client"),
                d.path("events").asLong(), d.path("client_messages").asLong(), text(d, "first_seen"),
                text(d, "last_seen"));
        JsonNode fp = d.path("fingerprint");
        out.printf("fingerprint: prl %s, vendor class %s, hostname %s%n", or(text(fp, "prl")),
                or(text(fp, "vendor_class")), or(text(fp, "hostname")));
        JsonNode id = d.path("identity");
        for (String f : new String[] {"macs", "duids", "client_ids", "mark_sources", "client_marks"}) {
            StringBuilder sb = new StringBuilder();
            for (JsonNode s : id.path(f)) {
                sb.append(sb.length() == 0 ? "" : ", ").append(text(s, "value"));
            }
            if (sb.length() > 0) {
                out.printf("%-13s %s%n", f.replace('_', ' ') + ":", sb);
            }
        }
        for (JsonNode r : d.path("relays")) {
            out.printf("relay:        %s circuit %s remote %s (%d events, last %s)%n", or(text(r, "relay_ip")),
                    or(text(r, "circuit_id")), or(text(r, "remote_id")), r.path("events").asLong(),
                    text(r, "last_seen"));
        }
        for (JsonNode b : d.path("bindings")) {
            out.printf("binding:      %s%s %s .. %s%n", text(b, "ip"), text(b, "prefix").isEmpty() ? ""
                    : " " + text(b, "prefix"), text(b, "lease_start"), text(b, "lease_end"));
        }
        for (JsonNode a : d.path("enforcement")) {
            out.printf("in force:     %s by %s until %s%n", text(a, "action"), text(a, "actor"),
                    or(text(a, "expires_at")));
        }
        out.printf("actions:      %d in the history%n", d.path("actions").size());
        return 0;
    }

    private static String or(String s) {
        return s.isEmpty() ? "-" : s;
    }
}
