package io.dhcpshield.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.dhcpshield.core.event.DhcpEvent;
import io.dhcpshield.core.event.EventFanout;
import io.dhcpshield.core.net.MacAddress;
import io.dhcpshield.core.service.Deferred;
import io.dhcpshield.core.service.ServiceManager;
import io.dhcpshield.core.time.Time;
import io.dhcpshield.storage.BatchSink;
import io.dhcpshield.storage.ClickHouseClient;
import io.dhcpshield.storage.ClickHouseConfig;
import io.dhcpshield.storage.ClickHouseServerExtension;
import io.dhcpshield.storage.ClickHouseStorage;
import io.dhcpshield.storage.Client;
import io.dhcpshield.storage.EventQuery;
import io.dhcpshield.storage.HistoryBench;
import io.dhcpshield.storage.HistoryQueries;
import io.dhcpshield.storage.OperationalConfig;
import io.dhcpshield.storage.WriterConfig;
import reactor.core.scheduler.Schedulers;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;

/**
 * The API's HTTP benchmark (bench/api/http.sh, not a test): requests/s and latency of an events query and a device
 * summary over millions of stored events, in a private ClickHouse, through the real {@link ApiServer} over HTTP.
 * Closed loop: {@code concurrency} clients send back to back for {@code seconds} after a warm-up; every request sent
 * is counted as offered and every 200 as handled, so the numbers cannot come from a client that did not load. Each
 * query also runs straight against storage ({@link HistoryQueries}, no HTTP/auth/JSON) in the same run: the printed
 * ratio is what the API layer costs on top of ClickHouse.
 * Arguments: events (10,000,000), seconds (20), concurrency (8).
 */
public final class ApiBench {

    public static void main(String[] args) throws Exception {
        long events = args.length > 0 ? Long.parseLong(args[0]) : 10_000_000L;
        int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 20;
        int concurrency = args.length > 2 ? Integer.parseInt(args[2]) : 8;
        ClickHouseServerExtension server = new ClickHouseServerExtension();
        server.beforeAll(null);
        try {
            ClickHouseConfig cfg = server.freshDatabase("api_bench").withRequestTimeout(Duration.ofMinutes(10));
            EventFanout<DhcpEvent> none = new EventFanout<>();
            ClickHouseStorage storage = ClickHouseStorage.start(cfg, WriterConfig.defaults(), none)
                    .block(Duration.ofMinutes(2));
            load(storage.client(), events);
            OperationalConfig operational = new OperationalConfig(storage.client(), Map.of(), Set.of(), Time.SYSTEM);
            Path state = Files.createTempDirectory("api-bench-");
            ApiConfig d = ApiConfig.defaults();
            ApiConfig config = new ApiConfig(true, "127.0.0.1", 0, null, null, state, null, d.issuer(), d.audience(),
                    d.accessTokenTtl(), d.refreshTokenTtl(), d.maxBodyBytes(), d.loginFailuresPerUser(),
                    d.loginFailuresPerAddress(), d.loginWindow(), d.maxPageSize(), d.maxTimeRange(), d.streamQueue(),
                    d.streamSlowClose(), d.streamPingInterval(), d.streamIdleTimeout(), d.streamAuthTimeout());
            Deferred<ServiceManager> self = new Deferred<>("daemon", "starting");
            ApiServer api = new ApiServer(config, new ApiServer.Context(self, Deferred.of("storage", storage),
                    Deferred.of("operational config", operational), Deferred.never("action manager", "bench"), none,
                    1024, Time.SYSTEM, Schedulers.newSingle("bench")));
            ServiceManager m = new ServiceManager(List.of(api));
            self.complete(m);
            m.startAll();
            while (!api.readiness().ready()) {
                Thread.sleep(50);
            }
            String base = "http://127.0.0.1:" + api.port();
            HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            String password = Files.readString(config.initialPasswordFile()).trim();
            String token = new ObjectMapper().readTree(http.send(HttpRequest.newBuilder(URI.create(base
                            + "/api/v1/auth/login")).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"username\":\"admin\",\"password\":\"" + password
                            + "\"}")).build(), HttpResponse.BodyHandlers.ofString()).body())
                    .path("access_token").asText();
            System.out.printf("%-34s %10s %10s %10s %9s %9s %9s%n", "request (" + concurrency + " clients, "
                    + seconds + " s)", "offered", "handled", "req/s", "p50 ms", "p99 ms", "max ms");
            Instant from = HistoryBench.START;
            Instant to = HistoryBench.START.plus(HistoryBench.SPAN);
            HistoryQueries history = new HistoryQueries(storage.client(), Time.SYSTEM, d.maxTimeRange());
            // The same queries straight to storage (no HTTP, no auth, no JSON): the baseline the API is measured against.
            double direct = run("  storage direct (baseline)", seconds, concurrency, mac -> history.events(
                    EventQuery.between(from, to).mac(MacAddress.parse(mac)), null, 100).block() != null ? "ok" : "empty");
            double viaApi = run("events by MAC, 7 days, limit 100", seconds, concurrency, mac -> get(http, token,
                    base + "/api/v1/events?mac=" + mac + "&from=" + from + "&to=" + to + "&limit=100"));
            System.out.printf("%-34s %10.2f%n", "  API / storage direct", viaApi / direct);
            direct = run("  storage direct (baseline)", seconds, concurrency, mac -> history.device(
                    Client.of(MacAddress.parse(mac)), 50).blockOptional().isPresent() ? "ok" : "no such device");
            viaApi = run("device summary by MAC", seconds, concurrency, mac -> get(http, token,
                    base + "/api/v1/devices/" + mac));
            System.out.printf("%-34s %10.2f%n", "  API / storage direct", viaApi / direct);
            m.stopAll();
            storage.close();
        } finally {
            server.afterAll(null);
        }
    }

    private static void load(ClickHouseClient client, long n) throws Exception {
        long t0 = System.nanoTime();
        int batch = 200_000;
        BatchSink sink = BatchSink.clickhouse(client);
        for (long i = 0; i < n; i += batch) {
            List<DhcpEvent> events = new ArrayList<>(batch);
            for (long j = i; j < Math.min(n, i + batch); j++) {
                events.add(HistoryBench.event(j, n));
            }
            sink.send(io.dhcpshield.storage.EventRows.encode(events));
        }
        client.post("OPTIMIZE TABLE dhcp_events FINAL", null);
        System.out.printf("loaded %,d events in %.0f s (merged into %s part(s))%n", n,
                (System.nanoTime() - t0) / 1e9, client.post("SELECT count() FROM system.parts WHERE database = "
                        + "currentDatabase() AND table = 'dhcp_events' AND active", null).trim());
    }

    /** One GET; "ok" for a 200, else what it answered. */
    private static String get(HttpClient http, String token, String url) throws Exception {
        HttpResponse<Void> r = http.send(HttpRequest.newBuilder(URI.create(url)).header("Authorization", "Bearer "
                + token).build(), HttpResponse.BodyHandlers.discarding());
        return r.statusCode() == 200 ? "ok" : "HTTP " + r.statusCode();
    }

    /** Closed loop: a 5 s warm-up, then {@code seconds} measured; prints a row and returns the handled req/s. */
    private static double run(String name, int seconds, int concurrency, Op op) throws Exception {
        double rate = 0;
        for (boolean measure : new boolean[] {false, true}) {
            LongAdder offered = new LongAdder();
            LongAdder handled = new LongAdder();
            ConcurrentHashMap<String, LongAdder> failed = new ConcurrentHashMap<>();
            List<long[]> latencies = new ArrayList<>();
            AtomicBoolean stop = new AtomicBoolean();
            List<Thread> threads = new ArrayList<>();
            for (int c = 0; c < concurrency; c++) {
                long[] mine = new long[1_000_000];
                int[] count = {0};
                latencies.add(mine);
                Thread t = new Thread(() -> {
                    while (!stop.get()) {
                        String mac = HistoryBench.v4Mac(ThreadLocalRandom.current().nextInt(HistoryBench.V4_CLIENTS))
                                .toString();
                        long t0 = System.nanoTime();
                        offered.increment();
                        String outcome;
                        try {
                            outcome = op.call(mac);
                        } catch (Exception e) {
                            outcome = e.getClass().getSimpleName();
                        }
                        if (outcome.equals("ok")) {
                            handled.increment();
                            if (count[0] < mine.length - 1) {
                                mine[count[0]++] = System.nanoTime() - t0;
                            }
                        } else {
                            failed.computeIfAbsent(outcome, k -> new LongAdder()).increment();
                        }
                    }
                    mine[mine.length - 1] = count[0];
                });
                threads.add(t);
                t.start();
            }
            Thread.sleep(measure ? seconds * 1000L : 5000L);
            stop.set(true);
            for (Thread t : threads) {
                t.join();
            }
            if (!measure) {
                continue;
            }
            long[] all = latencies.stream().flatMapToLong(a -> Arrays.stream(a, 0, (int) a[a.length - 1])).sorted()
                    .toArray();
            double p50 = all.length == 0 ? 0 : all[(int) (all.length * 0.50)] / 1e6;
            double p99 = all.length == 0 ? 0 : all[Math.min(all.length - 1, (int) (all.length * 0.99))] / 1e6;
            double max = all.length == 0 ? 0 : all[all.length - 1] / 1e6;
            rate = handled.sum() / (double) seconds;
            System.out.printf("%-34s %10d %10d %10.1f %9.1f %9.1f %9.1f%n", name, offered.sum(), handled.sum(), rate,
                    p50, p99, max);
            failed.forEach((why, n) -> System.out.printf("%-34s %10d not handled%n", "    " + why, n.sum()));
        }
        return rate;
    }

    @FunctionalInterface
    private interface Op {
        String call(String mac) throws Exception;
    }
}
