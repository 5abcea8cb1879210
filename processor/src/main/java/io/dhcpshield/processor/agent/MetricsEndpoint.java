package io.dhcpshield.processor.agent;

import io.dhcpshield.api.metrics.PrometheusExporter;
import io.dhcpshield.core.metrics.MetricSamples;
import io.dhcpshield.core.service.Service;
import java.time.Duration;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;

/** The agent's {@code GET /metrics}: its counters in the Prometheus text format, as the processor renders them. */
final class MetricsEndpoint implements AutoCloseable {

    /** Where to listen: {@code ADDRESS:PORT} or {@code [IPV6]:PORT}. */
    record Address(String host, int port) {

        static Address parse(String text) {
            int colon = text.lastIndexOf(':');
            if (colon <= 0) {
                throw new IllegalArgumentException("--metrics-listen must be ADDRESS:PORT, was " + text);
            }
            String host = text.substring(0, colon);
            if (host.startsWith("[") && host.endsWith("]")) {
                host = host.substring(1, host.length() - 1);
            }
            int port;
            try {
                port = Integer.parseInt(text.substring(colon + 1));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("--metrics-listen port is not a number: " + text);
            }
            if (port < 0 || port > 65_535) {
                throw new IllegalArgumentException("--metrics-listen port must be 0..65535, was " + port);
            }
            return new Address(host, port);
        }
    }

    private final DisposableServer server;

    private MetricsEndpoint(DisposableServer server) {
        this.server = server;
    }

    static MetricsEndpoint start(Address address, Service service) {
        DisposableServer server = HttpServer.create().host(address.host()).port(address.port())
                .route(routes -> routes.get("/metrics", (req, res) -> {
                    MetricSamples samples = new MetricSamples();
                    service.metrics(samples);
                    return res.header("Content-Type", PrometheusExporter.CONTENT_TYPE)
                            .sendByteArray(Mono.just(PrometheusExporter.render(samples)));
                }))
                .bindNow(Duration.ofSeconds(10));
        return new MetricsEndpoint(server);
    }

    @Override
    public void close() {
        server.disposeNow(Duration.ofSeconds(2));
    }
}
