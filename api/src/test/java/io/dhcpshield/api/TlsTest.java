package io.dhcpshield.api;

import io.dhcpshield.core.event.EventFanout;
import io.dhcpshield.core.service.Deferred;
import io.dhcpshield.core.service.ServiceManager;
import io.dhcpshield.core.time.Time;
import org.junit.jupiter.api.Test;
import reactor.core.scheduler.Schedulers;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import java.io.FileInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** With tls_certificate and tls_key the API is served over HTTPS with that certificate, and only over HTTPS. */
class TlsTest {

    @Test
    void theApiServesHttpsWithTheConfiguredCertificateAndRefusesPlainHttp() throws Exception {
        Path dir = Files.createTempDirectory("api-tls-");
        Path cert = dir.resolve("api.crt");
        Path key = dir.resolve("api.key");
        Process p = new ProcessBuilder("openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt",
                "ec_paramgen_curve:prime256v1", "-nodes", "-days", "2", "-subj", "/CN=127.0.0.1",
                "-addext", "subjectAltName=IP:127.0.0.1", "-keyout", key.toString(), "-out", cert.toString())
                .redirectErrorStream(true).start();
        p.getInputStream().readAllBytes();
        assertEquals(0, p.waitFor(), "openssl made a certificate");
        ApiConfig d = ApiConfig.defaults();
        ApiConfig config = new ApiConfig(true, "127.0.0.1", 0, cert, key, dir, null, d.issuer(), d.audience(),
                d.accessTokenTtl(), d.refreshTokenTtl(), d.maxBodyBytes(), d.loginFailuresPerUser(),
                d.loginFailuresPerAddress(), d.loginWindow(), d.maxPageSize(), d.maxTimeRange(), d.streamQueue(),
                d.streamSlowClose(), d.streamPingInterval(), d.streamIdleTimeout(), d.streamAuthTimeout());
        Deferred<ServiceManager> self = new Deferred<>("daemon", "starting");
        ApiServer api = new ApiServer(config, new ApiServer.Context(self, Deferred.never("storage", "not here"),
                Deferred.never("operational config", "not here"), Deferred.never("action manager", "not here"),
                new EventFanout<>(), 1024, Time.SYSTEM, Schedulers.single()));
        ServiceManager m = new ServiceManager(List.of(api));
        self.complete(m);
        m.startAll();
        try {
            KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
            trust.load(null, null);
            try (FileInputStream in = new FileInputStream(cert.toFile())) {
                trust.setCertificateEntry("api", CertificateFactory.getInstance("X.509").generateCertificate(in));
            }
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(trust);
            SSLContext tls = SSLContext.getInstance("TLS");
            tls.init(null, tmf.getTrustManagers(), null);
            HttpClient https = HttpClient.newBuilder().sslContext(tls).connectTimeout(Duration.ofSeconds(5)).build();
            HttpResponse<String> r = https.send(HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + api.port()
                    + "/api/v1/health")).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, r.statusCode(), r.body());
            assertEquals(503, https.send(HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + api.port()
                    + "/api/v1/events")).header("Authorization", "Bearer x").build(),
                    HttpResponse.BodyHandlers.ofString()).statusCode(), "no storage: authentication not ready");
            HttpClient plain = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
            assertThrows(java.util.concurrent.ExecutionException.class, () -> plain.sendAsync(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + api.port() + "/api/v1/health")).timeout(Duration.ofSeconds(5))
                    .build(), HttpResponse.BodyHandlers.ofString()).get(10, TimeUnit.SECONDS),
                    "plain HTTP is not served");
        } finally {
            m.stopAll();
        }
    }
}
