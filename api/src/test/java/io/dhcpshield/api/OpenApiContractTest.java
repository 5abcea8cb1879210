package io.dhcpshield.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.dhcpshield.api.http.Route;
import io.dhcpshield.api.resources.StatusResource;
import io.dhcpshield.api.stream.StreamEndpoint;
import io.dhcpshield.storage.ClickHouseServerExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The OpenAPI document is the contract: every route is documented, and every documented route answers. */
class OpenApiContractTest {

    @RegisterExtension
    static final ClickHouseServerExtension CLICKHOUSE = new ClickHouseServerExtension();

    static ApiHarness api;

    @BeforeAll
    static void start() throws Exception {
        api = new ApiHarness(CLICKHOUSE, "api_openapi");
    }

    @AfterAll
    static void stop() {
        if (api != null) {
            api.close();
        }
    }

    private static JsonNode document() throws Exception {
        return ApiHarness.JSON.readTree(StatusResource.openapiDocument());
    }

    private static TreeSet<String> documented() throws Exception {
        TreeSet<String> out = new TreeSet<>();
        Iterator<Map.Entry<String, JsonNode>> paths = document().path("paths").fields();
        while (paths.hasNext()) {
            Map.Entry<String, JsonNode> p = paths.next();
            p.getValue().fieldNames().forEachRemaining(m -> out.add(m.toUpperCase(Locale.ROOT) + " " + p.getKey()));
        }
        return out;
    }

    @Test
    void everyRouteIsDocumentedAndEveryDocumentedRouteIsARoute() throws Exception {
        TreeSet<String> routes = new TreeSet<>();
        for (Route r : api.api.routes()) {
            routes.add(r.method() + " " + r.template());
        }
        routes.add("GET " + StreamEndpoint.PATH);
        assertEquals(routes, documented());
    }

    @Test
    void everyDocumentedRouteAnswersAndDocumentsWhoMayCallIt() throws Exception {
        String admin = api.adminToken();
        List<String> wrong = new ArrayList<>();
        JsonNode doc = document();
        for (String entry : documented()) {
            String method = entry.substring(0, entry.indexOf(' '));
            String path = entry.substring(entry.indexOf(' ') + 1);
            JsonNode op = doc.path("paths").path(path).path(method.toLowerCase(Locale.ROOT));
            if (!op.has("x-access") || !op.has("responses") || !op.has("summary")) {
                wrong.add(entry + ": no x-access, summary or responses");
            }
            if (path.equals(StreamEndpoint.PATH)) {
                continue; // a WebSocket: StreamTest and ApiSecurityTest talk to it
            }
            String concrete = ApiSecurityTest.concrete(path);
            ApiHarness.Reply r = api.call(method, concrete, admin,
                    method.equals("GET") || method.equals("DELETE") ? null : "{}");
            boolean unrouted = r.status() == 405 || r.status() == 404 && r.body().contains("no route");
            if (unrouted || r.status() >= 500 && r.status() != 503) {
                wrong.add(entry + " -> " + r.status() + " " + r.body());
            }
            if (!op.path("responses").has(Integer.toString(r.status())) && r.status() != 200) {
                wrong.add(entry + " answered " + r.status() + ", which the document does not list");
            }
        }
        assertEquals(List.of(), wrong);
        assertTrue(doc.path("components").path("schemas").has("Error"));
    }
}
