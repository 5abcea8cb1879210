package io.dhcpshield.api;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * Live-stream load for bench/api/stream (not a test): opens N WebSocket clients on the API's stream, each reading
 * everything, for S seconds, then prints what they received: events, skipped-event notices (by count), and closes.
 * Arguments: base URL (http://host:port), access token, clients, seconds.
 */
public final class StreamLoad {

    public static void main(String[] args) throws Exception {
        String base = args[0].replaceFirst("^http", "ws");
        String token = args[1];
        int n = Integer.parseInt(args[2]);
        int seconds = Integer.parseInt(args[3]);
        LongAdder events = new LongAdder();
        LongAdder skipped = new LongAdder();
        AtomicInteger closed = new AtomicInteger();
        HttpClient http = HttpClient.newHttpClient();
        List<WebSocket> sockets = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            sockets.add(http.newWebSocketBuilder().subprotocols("dhcp-shield.v1", "bearer." + token)
                    .buildAsync(URI.create(base + "/api/v1/stream"), new WebSocket.Listener() {
                        private final StringBuilder partial = new StringBuilder();

                        @Override
                        public CompletionStage<?> onText(WebSocket w, CharSequence data, boolean last) {
                            partial.append(data);
                            if (last) {
                                String m = partial.toString();
                                partial.setLength(0);
                                if (m.startsWith("{\"type\":\"event\"")) {
                                    events.increment();
                                } else if (m.startsWith("{\"type\":\"skipped\"")) {
                                    int at = m.indexOf("\"count\":") + 8;
                                    skipped.add(Long.parseLong(m.substring(at, m.indexOf(',', at))));
                                }
                            }
                            w.request(1);
                            return null;
                        }

                        @Override
                        public CompletionStage<?> onClose(WebSocket w, int code, String reason) {
                            closed.incrementAndGet();
                            return null;
                        }
                    }).get(10, TimeUnit.SECONDS));
        }
        System.out.println("connected=" + n);
        System.out.flush();
        Thread.sleep(seconds * 1000L);
        for (WebSocket s : sockets) {
            s.sendClose(WebSocket.NORMAL_CLOSURE, "done");
        }
        System.out.println("clients=" + n + " events=" + events.sum() + " skipped=" + skipped.sum()
                + " closed_by_server=" + closed.get());
    }
}
