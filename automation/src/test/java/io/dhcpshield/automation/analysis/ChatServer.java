package io.dhcpshield.automation.analysis;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.dhcpshield.core.time.Time;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * A real HTTP server speaking the chat-completions format on loopback: {@code POST /v1/chat/completions} answers as
 * the test sets it (a content, a status, or nothing until released). Records every request and the test clock's
 * time it arrived at.
 */
final class ChatServer implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** One request as received. */
    record Received(JsonNode body, String authorization, Instant at) {
        /** The user message: the rendered prompt. */
        String prompt() {
            return body.path("messages").path(1).path("content").asText();
        }
    }

    private final HttpServer server;
    private final ExecutorService executor = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "chat-server");
        t.setDaemon(true);
        return t;
    });
    private final Time time;
    final List<Received> received = new CopyOnWriteArrayList<>();
    private volatile int status = 200;
    private volatile String content = "";
    private volatile String rawBody;
    private volatile CountDownLatch held;

    ChatServer(Time time) throws IOException {
        this.time = time;
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/v1/chat/completions", this::handle);
        server.setExecutor(executor);
        server.start();
    }

    String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/v1";
    }

    /** Answers 200 with this assistant content. */
    ChatServer answer(String assistantContent) {
        content = assistantContent;
        status = 200;
        rawBody = null;
        return this;
    }

    /** Answers 200 with a recommendation. */
    ChatServer recommend(String action, String reason) {
        ObjectNode o = JSON.createObjectNode().put("action", action).put("reason", reason);
        return answer("```json\n" + o + "\n```");
    }

    /** Answers {@code code} with an error body. */
    ChatServer fail(int code) {
        status = code;
        rawBody = "{\"error\":{\"message\":\"upstream overloaded\"}}";
        return this;
    }

    /** Holds every answer until {@link #release()} (or 30 s): a slow or stuck backend. */
    ChatServer hold() {
        held = new CountDownLatch(1);
        return this;
    }

    void release() {
        CountDownLatch h = held;
        held = null;
        if (h != null) {
            h.countDown();
        }
    }

    int requests() {
        return received.size();
    }

    private void handle(HttpExchange ex) throws IOException {
        try {
            JsonNode body = JSON.readTree(ex.getRequestBody().readAllBytes());
            received.add(new Received(body, ex.getRequestHeaders().getFirst("Authorization"), time.now()));
            CountDownLatch h = held;
            if (h != null) {
                h.await(30, TimeUnit.SECONDS);
            }
            String out;
            if (rawBody != null) {
                out = rawBody;
            } else {
                ObjectNode r = JSON.createObjectNode().put("id", "chatcmpl-1").put("object", "chat.completion")
                        .put("model", body.path("model").asText() + "-served");
                r.putArray("choices").addObject().put("index", 0).put("finish_reason", "stop")
                        .putObject("message").put("role", "assistant").put("content", content);
                out = r.toString();
            }
            byte[] bytes = out.getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().set("Content-Type", "application/json");
            ex.sendResponseHeaders(status, bytes.length);
            ex.getResponseBody().write(bytes);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException e) {
            // the client gave up (timeout) before the answer: nothing to do
        } finally {
            ex.close();
        }
    }

    @Override
    public void close() {
        release();
        server.stop(0);
        executor.shutdownNow();
    }
}
