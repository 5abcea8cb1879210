package io.dhcpshield.storage;

import io.dhcpshield.core.event.DhcpEvent;
import io.dhcpshield.core.json.EventJson;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * The Vector output: each batch POSTed as JSON lines ({@code application/x-ndjson}) to an HTTP endpoint, such as a
 * Vector {@code http_server} source. Same batching, buffering, retry and counters as the ClickHouse path, because
 * it is the same {@link EventWriter} with another sink.
 */
public final class VectorSink implements BatchSink {

    private final URI endpoint;
    private final Duration timeout;
    private final HttpClient http;

    public VectorSink(URI endpoint, Duration timeout) {
        this.endpoint = Objects.requireNonNull(endpoint, "endpoint");
        this.timeout = Objects.requireNonNull(timeout, "timeout");
        this.http = HttpClient.newBuilder().connectTimeout(timeout).build();
    }

    @Override
    public String name() {
        return "vector";
    }

    @Override
    public byte[] encodeRow(DhcpEvent event) {
        return EventJson.lines(List.of(event));
    }

    @Override
    public void send(byte[] body, int length) throws IOException {
        HttpRequest request = HttpRequest.newBuilder(endpoint).timeout(timeout)
                .header("Content-Type", "application/x-ndjson")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body, 0, length)).build();
        HttpResponse<String> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted sending to " + endpoint, e);
        }
        if (response.statusCode() / 100 != 2) {
            throw new IOException("vector endpoint " + endpoint + " answered " + response.statusCode() + ": "
                    + response.body());
        }
    }
}
