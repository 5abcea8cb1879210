package io.dhcpshield.api;

import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import reactor.core.Disposable;
import reactor.netty.http.client.HttpClient;
import reactor.netty.http.client.WebsocketClientSpec;
import reactor.netty.resources.ConnectionProvider;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * Live-stream load for bench/api/stream (not a test): opens N WebSocket clients on the API's stream, each reading
 * everything, for S seconds, then prints what they received: events, skipped-event notices (by count), and closes.
 * The readers are Reactor Netty clients that look at a frame's first bytes only, so that on a shared two-core
 * machine the readers cost as little as possible of what the appliance could use.
 * Arguments: base URL (http://host:port), access token, clients, seconds.
 */
public final class StreamLoad {

    private static final byte[] EVENT = "{\"type\":\"event\"".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] SKIPPED = "{\"type\":\"skipped\",\"count\":".getBytes(StandardCharsets.US_ASCII);

    public static void main(String[] args) throws Exception {
        String base = args[0].replaceFirst("^http", "ws");
        String token = args[1];
        int n = Integer.parseInt(args[2]);
        int seconds = Integer.parseInt(args[3]);
        LongAdder events = new LongAdder();
        LongAdder skipped = new LongAdder();
        AtomicInteger closed = new AtomicInteger();
        CountDownLatch connected = new CountDownLatch(n);
        HttpClient http = HttpClient.create(ConnectionProvider.newConnection());
        List<Disposable> sockets = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            sockets.add(http.websocket(WebsocketClientSpec.builder().protocols("dhcp-shield.v1,bearer." + token)
                            .maxFramePayloadLength(1 << 20).build())
                    .uri(base + "/api/v1/stream")
                    .handle((in, out) -> {
                        connected.countDown();
                        return in.receiveFrames().doOnNext(f -> {
                            if (f instanceof TextWebSocketFrame t) {
                                ByteBuf c = t.content();
                                if (startsWith(c, EVENT)) {
                                    events.increment();
                                } else if (startsWith(c, SKIPPED)) {
                                    int from = c.readerIndex() + SKIPPED.length;
                                    int to = c.indexOf(from, c.writerIndex(), (byte) ',');
                                    skipped.add(Long.parseLong(c.toString(from, to - from, StandardCharsets.US_ASCII)));
                                }
                            }
                        }).then(in.receiveCloseStatus().doOnNext(s -> closed.incrementAndGet()).then());
                    })
                    .subscribe());
        }
        if (!connected.await(20, TimeUnit.SECONDS)) {
            throw new IllegalStateException("only " + (n - connected.getCount()) + " of " + n + " clients connected");
        }
        System.out.println("connected=" + n);
        System.out.flush();
        Thread.sleep(Duration.ofSeconds(seconds).toMillis());
        sockets.forEach(Disposable::dispose);
        System.out.println("clients=" + n + " events=" + events.sum() + " skipped=" + skipped.sum()
                + " closed_by_server=" + closed.get());
    }

    private static boolean startsWith(ByteBuf b, byte[] prefix) {
        if (b.readableBytes() < prefix.length) {
            return false;
        }
        for (int i = 0; i < prefix.length; i++) {
            if (b.getByte(b.readerIndex() + i) != prefix[i]) {
                return false;
            }
        }
        return true;
    }
}
