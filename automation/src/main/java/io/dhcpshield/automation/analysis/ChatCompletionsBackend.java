package io.dhcpshield.automation.analysis;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dhcpshield.core.time.Time;
import reactor.core.publisher.Mono;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;

/**
 * Any OpenAI-compatible chat-completions endpoint (OpenAI, vLLM, llama.cpp, Ollama's {@code /v1}, LiteLLM...):
 * {@code POST {base_url}/chat/completions} with the model, a system and a user message, {@code Authorization: Bearer
 * key} when a key is set; the answer is the first choice's message content. One request, no retry: the service
 * retries and keeps the breaker. Uses the JDK's HTTP client (no new dependency).
 */
public final class ChatCompletionsBackend {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** The largest response read; a larger one is cut off and counts as a bad response. */
    public static final int MAX_RESPONSE_BYTES = 1 << 20;

    /** The assistant's answer, the model that gave it, and how long the request took. */
    public record Reply(String content, String model, long nanos) {
    }

    /** How a request failed, for the counters (label) and the retry decision. */
    public enum Outcome {
        TIMEOUT, HTTP_ERROR, IO_ERROR, BAD_RESPONSE;

        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** A failed request: timeouts, I/O errors, 408, 429 and 5xx may be retried; other statuses and bodies not. */
    public static final class Failure extends RuntimeException {
        private final Outcome outcome;
        private final boolean retryable;

        Failure(Outcome outcome, boolean retryable, String message) {
            super(message, null, false, false);
            this.outcome = outcome;
            this.retryable = retryable;
        }

        public Outcome outcome() {
            return outcome;
        }

        public boolean retryable() {
            return retryable;
        }
    }

    private final URI endpoint;
    private final String model;
    private final String authorization;
    private final Duration timeout;
    private final Time time;
    private final HttpClient http;

    /**
     * @param endpoint the full {@code .../chat/completions} URL
     * @param apiKey   empty for no {@code Authorization} header
     */
    public ChatCompletionsBackend(URI endpoint, String model, String apiKey, Duration timeout, Time time) {
        this.endpoint = Objects.requireNonNull(endpoint, "endpoint");
        this.model = Objects.requireNonNull(model, "model");
        this.authorization = apiKey == null || apiKey.isEmpty() ? null : "Bearer " + apiKey;
        this.timeout = Objects.requireNonNull(timeout, "timeout");
        this.time = Objects.requireNonNull(time, "time");
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(timeout)
                .followRedirects(HttpClient.Redirect.NEVER).build();
    }

    public URI endpoint() {
        return endpoint;
    }

    public String model() {
        return model;
    }

    /** Asks once; errors with {@link Failure}. */
    public Mono<Reply> complete(String system, String user) {
        return Mono.defer(() -> {
            ObjectNode body = JSON.createObjectNode();
            body.put("model", model);
            var messages = body.putArray("messages");
            messages.addObject().put("role", "system").put("content", system);
            messages.addObject().put("role", "user").put("content", user);
            HttpRequest.Builder req = HttpRequest.newBuilder(endpoint).timeout(timeout)
                    .header("Content-Type", "application/json").header("Accept", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(body.toString(), StandardCharsets.UTF_8));
            if (authorization != null) {
                req.header("Authorization", authorization);
            }
            long t0 = time.nanoseconds();
            return Mono.fromFuture(() -> http.sendAsync(req.build(), capped(MAX_RESPONSE_BYTES)))
                    .onErrorMap(ChatCompletionsBackend::failure)
                    .map(r -> reply(r, time.nanoseconds() - t0));
        });
    }

    private Reply reply(HttpResponse<String> r, long nanos) {
        int status = r.statusCode();
        if (status != 200) {
            boolean retry = status == 408 || status == 429 || status >= 500;
            throw new Failure(Outcome.HTTP_ERROR, retry, "HTTP " + status + snippet(r.body()));
        }
        try {
            JsonNode root = JSON.readTree(r.body());
            JsonNode content = root.path("choices").path(0).path("message").path("content");
            if (!content.isTextual()) {
                throw new Failure(Outcome.BAD_RESPONSE, false,
                        "not a chat-completions response (no choices[0].message.content)" + snippet(r.body()));
            }
            String answeredBy = root.path("model").isTextual() ? root.path("model").asText() : model;
            return new Reply(content.asText(), answeredBy, nanos);
        } catch (IOException e) {
            throw new Failure(Outcome.BAD_RESPONSE, false, "the response is not JSON" + snippet(r.body()));
        }
    }

    /** The body as UTF-8 text, refused beyond {@code max} bytes (a backend cannot make us buffer without end). */
    private static HttpResponse.BodyHandler<String> capped(int max) {
        return info -> new HttpResponse.BodySubscriber<>() {
            private final HttpResponse.BodySubscriber<byte[]> bytes = HttpResponse.BodySubscribers.ofByteArray();
            private Flow.Subscription subscription;
            private long seen;
            private boolean over;

            @Override
            public CompletionStage<String> getBody() {
                return bytes.getBody().thenApply(b -> new String(b, StandardCharsets.UTF_8));
            }

            @Override
            public void onSubscribe(Flow.Subscription s) {
                subscription = s;
                bytes.onSubscribe(s);
            }

            @Override
            public void onNext(List<ByteBuffer> items) {
                if (over) {
                    return;
                }
                for (ByteBuffer b : items) {
                    seen += b.remaining();
                }
                if (seen > max) {
                    over = true;
                    subscription.cancel();
                    bytes.onError(new Failure(Outcome.BAD_RESPONSE, false, "the response is larger than " + max
                            + " bytes"));
                    return;
                }
                bytes.onNext(items);
            }

            @Override
            public void onError(Throwable t) {
                if (!over) {
                    bytes.onError(t);
                }
            }

            @Override
            public void onComplete() {
                if (!over) {
                    bytes.onComplete();
                }
            }
        };
    }

    private static Throwable failure(Throwable e) {
        Throwable c = e;
        while ((c instanceof CompletionException || c instanceof java.util.concurrent.ExecutionException
                || (c instanceof IOException && c.getCause() instanceof Failure)) && c.getCause() != null) {
            c = c.getCause();
        }
        if (c instanceof Failure) {
            return c;
        }
        if (c instanceof HttpTimeoutException) {
            return new Failure(Outcome.TIMEOUT, true, "timed out: " + c.getMessage());
        }
        if (c instanceof IOException) {
            return new Failure(Outcome.IO_ERROR, true, c.getClass().getSimpleName()
                    + (c.getMessage() == null ? "" : ": " + c.getMessage()));
        }
        return c;
    }

    private static String snippet(String body) {
        if (body == null || body.isBlank()) {
            return "";
        }
        String one = body.strip().replaceAll("\\s+", " ");
        return ": " + Recommendation.clip(one, 200);
    }
}
