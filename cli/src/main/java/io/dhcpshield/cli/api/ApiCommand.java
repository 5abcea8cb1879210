package io.dhcpshield.cli.api;

import com.fasterxml.jackson.databind.JsonNode;
import picocli.CommandLine.Option;

import java.io.PrintStream;
import java.util.concurrent.Callable;

/**
 * The common ground of the {@code dpictl} commands that talk to the API: where it is ({@code --api}, else
 * {@code $DPICTL_API}, else the session's, else http://127.0.0.1:8080), which token ({@code --token} /
 * {@code $DPICTL_TOKEN}, else the session's from {@code dpictl login}), and {@code --json} for scripts. Exit status:
 * 0 done, 1 the API refused (its message printed), 2 bad usage, 3 the API is unreachable.
 */
abstract class ApiCommand implements Callable<Integer> {

    @Option(names = "--api", paramLabel = "URL", description = "the API (default: $DPICTL_API, the session's, "
            + "http://127.0.0.1:8080)")
    String api;

    @Option(names = "--token", paramLabel = "TOKEN", description = "an access token (default: $DPICTL_TOKEN, then "
            + "the session of dpictl login)")
    String token;

    @Option(names = "--json", description = "print the API's JSON instead of text")
    boolean json;

    PrintStream out = System.out;
    PrintStream err = System.err;

    ApiClient client() {
        Session s = Session.load();
        String url = api != null ? api : System.getenv("DPICTL_API") != null ? System.getenv("DPICTL_API")
                : s != null && s.api() != null ? s.api() : "http://127.0.0.1:8080";
        String t = token != null ? token : System.getenv("DPICTL_TOKEN");
        return new ApiClient(url, s != null && (s.api() == null || s.api().equals(url)) ? s : null, t);
    }

    @Override
    public final Integer call() {
        try {
            return run(client());
        } catch (ApiClient.ApiException e) {
            err.println("dpictl: " + e.getMessage() + (e.field != null ? " (" + e.field + ")" : "")
                    + (e.status == 401 ? " — log in with: dpictl login" : ""));
            return e.status == 0 ? 3 : 1;
        } catch (IllegalArgumentException e) {
            err.println("dpictl: " + e.getMessage());
            return 2;
        } catch (Exception e) {
            err.println("dpictl: " + e);
            return 1;
        }
    }

    abstract int run(ApiClient api) throws Exception;

    void print(JsonNode n) {
        try {
            out.println(ApiClient.JSON.writerWithDefaultPrettyPrinter().writeValueAsString(n));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            out.println(n);
        }
    }

    static String text(JsonNode n, String field) {
        JsonNode v = n.get(field);
        return v == null || v.isNull() ? "" : v.asText();
    }
}
