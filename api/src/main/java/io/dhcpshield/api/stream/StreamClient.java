package io.dhcpshield.api.stream;

import io.dhcpshield.api.http.Principal;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Sinks;
import reactor.util.concurrent.Queues;

import java.util.Queue;
import java.util.function.BiConsumer;

/**
 * One WebSocket client of the stream: its caller (set once authenticated, replaced on re-auth), its filter, its rate
 * bucket and its bounded outbound queue. Messages are offered by the hub's one thread; the connection drains the
 * queue at the pace the socket takes. Counts are exact: every event that matched the filter was either queued,
 * skipped by the rate limit, or skipped because the queue was full, and the client is told each skip.
 */
final class StreamClient {

    final long id;
    final String remote;
    private final Queue<Object> queue;
    private final Sinks.Many<Object> sink;
    private final int capacity;
    final RateLimiter limiter = new RateLimiter();
    private final BiConsumer<Integer, String> closer;
    private final java.util.function.BooleanSupplier writable;

    volatile Principal principal;
    volatile StreamFilter filter;
    volatile long lastPongNanos;
    volatile boolean closed;

    // Hub thread only.
    long matched;
    long queued;
    long skippedRate;
    long skippedSlow;
    long unreportedRate;
    long unreportedSlow;
    long slowSinceNanos = -1;

    StreamClient(long id, String remote, StreamFilter filter, int capacity, long nowNanos,
                 BiConsumer<Integer, String> closer, java.util.function.BooleanSupplier writable) {
        this.id = id;
        this.remote = remote;
        this.filter = filter;
        this.capacity = capacity;
        this.queue = Queues.<Object>get(capacity).get();
        this.sink = Sinks.many().unicast().onBackpressureBuffer(queue);
        this.lastPongNanos = nowNanos;
        this.closer = closer;
        this.writable = writable;
    }

    /**
     * True while the connection's socket takes more: Reactor Netty keeps writing into the channel's own (unbounded)
     * buffer when the peer stops reading, so the hub checks the channel's writability itself and treats an
     * unwritable channel as a full queue.
     */
    boolean writable() {
        return writable.getAsBoolean();
    }

    /**
     * What the connection sends: {@link WebSocketFrame}s (pings) and, for messages, ByteBufs that already hold a
     * whole encoded text frame (see {@link TextFrames}), which pass the frame encoder as they are.
     */
    Flux<Object> outbound() {
        return sink.asFlux();
    }

    /** Queues a frame; false when the queue is full (the client is not keeping up). */
    boolean offer(Object frame) {
        if (closed) {
            return false;
        }
        return sink.tryEmitNext(frame).isSuccess();
    }

    /** Messages waiting to be written. */
    int backlog() {
        return queue.size();
    }

    int capacity() {
        return capacity;
    }

    /** Closes the connection with a WebSocket close code and reason (once). */
    void close(int code, String reason) {
        if (!closed) {
            closed = true;
            closer.accept(code, reason);
            sink.tryEmitComplete();
        }
    }

    String user() {
        Principal p = principal;
        return p == null ? "" : p.username();
    }
}
