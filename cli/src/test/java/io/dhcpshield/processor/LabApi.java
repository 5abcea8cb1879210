package io.dhcpshield.processor;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * The daemon's API as a lab test calls it: HTTP from inside the appliance namespace (python3's urllib), a bearer
 * token kept in a file, the parsed body with {@code _status} added.
 */
final class LabApi {

    static final ObjectMapper JSON = new ObjectMapper();

    private final Lab lab;
    private final String url;
    private final Path token;

    LabApi(Lab lab, String url, Path token) {
        this.lab = lab;
        this.url = url;
        this.token = token;
    }

    /** Logs in and keeps the access token for the calls that follow. */
    LabApi login(String user, String password) throws Exception {
        JsonNode login = call("POST", "/api/v1/auth/login",
                "{\"username\":\"" + user + "\",\"password\":\"" + password + "\"}", false);
        Files.writeString(token, login.path("access_token").asText());
        return this;
    }

    JsonNode call(String method, String path, String body, boolean auth) throws Exception {
        String py = """
                import json, sys, urllib.request, urllib.error
                h = {'Content-Type': 'application/json'}
                if %s:
                    h['Authorization'] = 'Bearer ' + open('%s').read().strip()
                data = sys.argv[1].encode() if len(sys.argv) > 1 and sys.argv[1] else None
                req = urllib.request.Request('%s' + '%s', data=data, method='%s', headers=h)
                try:
                    r = urllib.request.urlopen(req, timeout=60); s = r.status; b = r.read().decode()
                except urllib.error.HTTPError as e:
                    s = e.code; b = e.read().decode()
                print(json.dumps({'status': s, 'body': b}))
                """.formatted(auth ? "True" : "False", token, url, path, method);
        Lab.Result r = lab.inNs(lab.app, Duration.ofSeconds(90), "python3", "-c", py, body == null ? "" : body);
        assertEquals(0, r.exit(), r.output());
        String out = r.output();
        JsonNode wrap = JSON.readTree(out.substring(out.lastIndexOf("{\"status\"")));
        String b = wrap.path("body").asText();
        JsonNode n = b.isBlank() ? JSON.createObjectNode() : JSON.readTree(b);
        if (n.isObject()) {
            ((ObjectNode) n).put("_status", wrap.path("status").asInt());
        }
        return n;
    }

    /** Downloads {@code path} into {@code file}; returns the status and the response headers as text. */
    String download(String path, Path file) throws Exception {
        String py = """
                import sys, urllib.request, urllib.error
                h = {'Authorization': 'Bearer ' + open('%s').read().strip()}
                try:
                    r = urllib.request.urlopen(urllib.request.Request('%s' + '%s', headers=h), timeout=60)
                    open('%s', 'wb').write(r.read()); print(r.status); print(r.headers)
                except urllib.error.HTTPError as e:
                    print(e.code); print(e.read().decode())
                """.formatted(token, url, path, file);
        Lab.Result r = lab.inNs(lab.app, Duration.ofSeconds(90), "python3", "-c", py);
        assertEquals(0, r.exit(), r.output());
        return r.output();
    }

    /** A GET that must answer 200. */
    JsonNode get(String path) throws Exception {
        JsonNode n = call("GET", path, null, true);
        assertEquals(200, n.path("_status").asInt(), n.toString());
        return n;
    }

    /** A call with the token that must answer {@code status}. */
    JsonNode expect(int status, String method, String path, String body) throws Exception {
        JsonNode n = call(method, path, body, true);
        assertEquals(status, n.path("_status").asInt(), method + " " + path + ": " + n);
        return n;
    }
}
