package io.dhcpshield.alarms.vector;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A stand-in for a Vector {@code http_server} source on 127.0.0.1 (ephemeral port, JDK HTTP server) whose behaviour
 * a test switches: accept and record the lines, answer a status, hang beyond the client's timeout, go down (the port
 * refuses connections) and come back up on the same port. Every request that reaches it is recorded.
 */
final class VectorReceiver implements AutoCloseable {

    /** One request as it arrived. */
    record Request(long arrivedNanos, String contentType, int lines) {
    }

    private final ExecutorService handlers = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "vector-receiver");
        t.setDaemon(true);
        return t;
    });
    private final int port;
    private final List<String> lines = new CopyOnWriteArrayList<>();
    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private volatile HttpServer server;
    private volatile int status = 200;
    private volatile Duration hang = Duration.ZERO;
    private volatile Runnable onRequest = () -> { };

    private VectorReceiver(HttpServer server) {
        this.server = server;
        this.port = server.getAddress().getPort();
    }

    static VectorReceiver start() {
        VectorReceiver r = new VectorReceiver(bind(0));
        r.serve();
        return r;
    }

    /** Where the sink sends: {@code http://127.0.0.1:<port>/alarms}. */
    String url() {
        return "http://127.0.0.1:" + port + "/alarms";
    }

    /** Answers 200 and records the lines. */
    void accept() {
        hang = Duration.ZERO;
        status = 200;
    }

    /** Answers {@code code} (not 2xx: nothing recorded). */
    void answer(int code) {
        hang = Duration.ZERO;
        status = code;
    }

    /** Holds every request for {@code d} before answering (nothing recorded: the client has given up). */
    void hang(Duration d) {
        hang = d;
    }

    /** Runs on every request as it arrives, before the answer (the sink's request is in flight). */
    void onRequest(Runnable r) {
        onRequest = r;
    }

    /** Stops listening: connections to the port are refused. */
    void down() {
        server.stop(0);
    }

    /** Listens again on the same port. */
    void up() {
        server = bind(port);
        serve();
    }

    List<String> lines() {
        return lines;
    }

    List<Request> requests() {
        return requests;
    }

    @Override
    public void close() {
        server.stop(0);
        handlers.shutdownNow();
    }

    private static HttpServer bind(int port) {
        try {
            return HttpServer.create(new InetSocketAddress("127.0.0.1", port), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void serve() {
        server.setExecutor(handlers);
        server.createContext("/alarms", this::handle);
        server.start();
    }

    private void handle(HttpExchange exchange) {
        try {
            long arrived = System.nanoTime();
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            List<String> received = body.lines().toList();
            requests.add(new Request(arrived, exchange.getRequestHeaders().getFirst("Content-Type"),
                    received.size()));
            onRequest.run();
            Duration h = hang;
            if (!h.isZero()) {
                try {
                    Thread.sleep(h.toMillis());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                exchange.sendResponseHeaders(200, -1);
                return;
            }
            int code = status;
            if (code / 100 == 2) {
                lines.addAll(received);
                exchange.sendResponseHeaders(code, -1);
            } else {
                byte[] answer = "refused by the test receiver".getBytes(StandardCharsets.UTF_8);
                exchange.sendResponseHeaders(code, answer.length);
                exchange.getResponseBody().write(answer);
            }
        } catch (IOException e) {
            // The sink gave up on this request (timeout) and closed the connection: nothing to answer.
        } finally {
            exchange.close();
        }
    }
}
