package io.dhcpshield.cli.api;

import com.fasterxml.jackson.databind.JsonNode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * {@code dpictl events tail}: the live stream over the API's WebSocket, filtered on the server. The token goes in
 * the {@code Sec-WebSocket-Protocol} header, never in the URL. Action notices go with the events (stdout with
 * {@code --json}); skipped-event notices, alarm changes and the rest go to stderr.
 */
@Command(name = "events", description = "Live events.", subcommands = {EventsCommand.Tail.class})
public final class EventsCommand implements Runnable {

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.err);
    }

    @Command(name = "tail", description = "Follow the live stream (Ctrl-C stops).")
    public static final class Tail extends ApiCommand {
        @Option(names = "--mac") String mac;
        @Option(names = "--duid") String duid;
        @Option(names = "--type", description = "message type, e.g. DISCOVER, SOLICIT") String type;
        @Option(names = "--relay") String relay;
        @Option(names = "--circuit") String circuit;
        @Option(names = "--direction", description = "client_to_server, server_to_client, other") String direction;
        @Option(names = "--errors", description = "malformed packets only") boolean errors;
        @Option(names = "--site") String site;
        @Option(names = "--count", paramLabel = "N", description = "stop after N events") int count;
        @Option(names = "--seconds", paramLabel = "S", description = "stop after S seconds") int seconds;

        @Override
        int run(ApiClient api) throws Exception {
            String token = api.token();
            if (token == null) {
                throw new IllegalArgumentException("no token: dpictl login first (or --token)");
            }
            String base = api.api().replaceFirst("^http", "ws");
            URI uri = URI.create(base + "/api/v1/stream" + ApiClient.query(ApiClient.params("mac", mac, "duid", duid,
                    "msg_type", type, "relay_ip", relay, "circuit_id", circuit, "direction", direction,
                    "errors_only", errors ? "true" : null, "site", site)));
            CountDownLatch done = new CountDownLatch(1);
            AtomicInteger events = new AtomicInteger();
            AtomicReference<String> closed = new AtomicReference<>();
            WebSocket.Listener listener = new WebSocket.Listener() {
                private final StringBuilder partial = new StringBuilder();

                @Override
                public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
                    partial.append(data);
                    if (last) {
                        String msg = partial.toString();
                        partial.setLength(0);
                        if (count > 0 && events.get() >= count) {
                            return null;    // --count reached: nothing more is printed while the close goes out
                        }
                        if (handle(msg) && count > 0 && events.incrementAndGet() >= count) {
                            ws.sendClose(WebSocket.NORMAL_CLOSURE, "done");
                            done.countDown();
                            return null;    // and nothing more is requested
                        }
                    }
                    ws.request(1);
                    return null;
                }

                @Override
                public CompletionStage<?> onClose(WebSocket ws, int code, String reason) {
                    closed.set(code + " " + reason);
                    done.countDown();
                    return null;
                }

                @Override
                public void onError(WebSocket ws, Throwable error) {
                    closed.set("error: " + ApiClient.reason(error));
                    done.countDown();
                }
            };
            WebSocket ws;
            try {
                ws = HttpClient.newHttpClient().newWebSocketBuilder()
                        .subprotocols("dhcp-shield.v1", "bearer." + token)
                        .buildAsync(uri, listener).get(10, TimeUnit.SECONDS);
            } catch (java.util.concurrent.ExecutionException e) {
                err.println("dpictl: the stream refused the connection: " + ApiClient.reason(e.getCause())
                        + " (dpictl login? filters valid?)");
                return 1;
            }
            if (seconds > 0) {
                done.await(seconds, TimeUnit.SECONDS);
                ws.sendClose(WebSocket.NORMAL_CLOSURE, "done");
            } else {
                done.await();
            }
            String c = closed.get();
            if (c != null && !c.startsWith("1000")) {
                err.println("dpictl: stream closed: " + c);
                return 1;
            }
            return 0;
        }

        /** Prints one message; true when it was an event. */
        private boolean handle(String msg) {
            JsonNode m;
            try {
                m = ApiClient.JSON.readTree(msg);
            } catch (java.io.IOException e) {
                err.println("dpictl: unreadable message: " + msg);
                return false;
            }
            switch (m.path("type").asText()) {
                case "event" -> {
                    JsonNode e = m.path("event");
                    if (json) {
                        out.println(e);
                    } else {
                        out.printf("%s %-12s %-17s %-15s %s%s%s%n", text(e, "time"), text(e, "msg_type"),
                                text(e, "client_mac"), text(e, "assigned_ip").isEmpty() ? text(e, "src_ip")
                                        : text(e, "assigned_ip"),
                                text(e, "hostname"), text(e, "circuit_id").isEmpty() ? "" : " circuit="
                                        + text(e, "circuit_id"), e.has("errors") ? " errors=" + e.path("errors") : "");
                    }
                    out.flush();
                    return true;
                }
                case "skipped" -> err.println("... " + m.path("count").asLong() + " event(s) skipped ("
                        + m.path("reason").asText() + ")");
                case "hello" -> err.println("stream: " + m.path("hello").path("user").asText() + ", rate "
                        + m.path("hello").path("rate").path("per_second").asText() + "/s, filter "
                        + m.path("hello").path("filter"));
                case "error" -> err.println("stream error: " + m.path("error").path("message").asText());
                case "action" -> {
                    if (json) {
                        out.println(m);
                    } else {
                        err.println(m);
                    }
                }
                // Alarm changes (the bell's) and anything newer are not events: stderr (dpictl alarms has them).
                default -> err.println(m);
            }
            return false;
        }
    }
}
