package io.dhcpshield.cli.api;

import com.fasterxml.jackson.databind.JsonNode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.time.Instant;

/** {@code dpictl who-had IP [--at TIME]}: the client that held an address (or an IPv6 prefix) at a moment. */
@Command(name = "who-had", description = "Who held an IPv4/IPv6 address or a delegated prefix at a time.")
public final class WhoHadCommand extends ApiCommand {

    @Parameters(index = "0", paramLabel = "IP|PREFIX")
    String address;

    @Option(names = "--at", paramLabel = "TIME", description = "ISO-8601 time (default: now)")
    String at;

    @Override
    int run(ApiClient api) throws Exception {
        String when = at != null ? at : Instant.now().toString();
        JsonNode r = api.get("/api/v1/bindings", ApiClient.params(address.contains("/") ? "prefix" : "ip", address,
                "at", when));
        if (json) {
            print(r);
            return r.path("bindings").isEmpty() ? 1 : 0;
        }
        if (r.path("bindings").isEmpty()) {
            out.println("nobody held " + address + " at " + when + " (as far as the stored leases tell)");
            return 1;
        }
        for (JsonNode b : r.path("bindings")) {
            out.printf("%s at %s: %s%s%s, lease %s .. %s%s%n", address, when,
                    text(b, "client_mac").isEmpty() ? "" : "MAC " + text(b, "client_mac"),
                    text(b, "duid").isEmpty() ? "" : " DUID " + text(b, "duid"),
                    text(b, "hostname").isEmpty() ? "" : " (" + text(b, "hostname") + ")",
                    text(b, "lease_start"), text(b, "lease_end"),
                    text(b, "circuit_id").isEmpty() ? "" : ", circuit " + text(b, "circuit_id"));
        }
        return 0;
    }
}
