package io.dhcpshield.storage;

import io.dhcpshield.core.event.DhcpEvent;
import io.dhcpshield.core.event.EventFanout;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * Storage benchmark (a plain main, not a test): events published into the fan-out → the EventWriter → RowBinary over
 * HTTP → rows visible in {@code dhcp_events} (its four materialized views included), on a private 18.16 server this
 * starts. Runs: "burst" publishes N events as fast as possible (the writer may hold all of them) and measures
 * how fast they become visible; "paced" offers a fixed rate with the default buffer bound and reports drops and the
 * largest backlog. Reports writer-thread CPU, JVM heap peak and the server's CPU. Run with bench/storage/run.sh.
 */
public final class StorageBench {

    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 2_000_000;
        String rates = args.length > 1 ? args[1] : "200000";
        int batch = args.length > 2 ? Integer.parseInt(args[2]) : 100_000;
        Path dir = Files.createTempDirectory("storage-bench-");
        int http = freePort();
        int tcp = freePort();
        String script = Path.of(System.getProperty("dhcpshield.repo", "."), "storage/clickhouse/clickhouse.sh")
                .toAbsolutePath().toString();
        String pid = run("bash", script, "start", dir.toString(), "" + http, "" + tcp).strip();
        pid = pid.substring(pid.lastIndexOf('\n') + 1).strip();
        System.out.printf("server pid %s, %d events per run, batch %d, %d cores, max heap %d MiB%n", pid, n, batch,
                Runtime.getRuntime().availableProcessors(), Runtime.getRuntime().maxMemory() >> 20);
        try {
            ClickHouseConfig base = ClickHouseConfig.defaults().withEndpoint("http://127.0.0.1:" + http)
                    .withRequestTimeout(Duration.ofSeconds(60));
            new ClickHouseClient(base).post("CREATE DATABASE IF NOT EXISTS bench", null);
            WriterConfig burstCfg = WriterConfig.defaults().withBatch(batch, Duration.ofSeconds(1))
                    .withMaxBuffered(Math.max(n, batch)).withFanoutCapacity(n);
            runOnce("burst", base.withDatabase("bench"), burstCfg, n, 0, pid);
            WriterConfig pacedCfg = WriterConfig.defaults().withBatch(batch, Duration.ofSeconds(1));
            for (String r : rates.split(",")) {
                int rate = Integer.parseInt(r.strip());
                runOnce("paced " + rate + "/s, default bounds", base.withDatabase("bench"), pacedCfg, n, rate, pid);
            }
        } finally {
            run("bash", script, "stop", dir.toString());
        }
    }

    static void runOnce(String name, ClickHouseConfig cfg, WriterConfig wcfg, int n, int rate, String pid)
            throws Exception {
        ClickHouseClient admin = new ClickHouseClient(cfg);
        Migrations.apply(admin).blockLast(Duration.ofSeconds(60));
        for (String t : List.of("dhcp_events", "dhcp_bindings", "client_minute_stats", "relay_minute_stats",
                "vendor_class_hour_stats")) {
            admin.post("TRUNCATE TABLE " + t, null);
        }
        long t0 = Instant.parse("2026-11-23T10:00:00Z").getEpochSecond() * 1_000_000L;
        DhcpEvent[] pool = new DhcpEvent[10_000];
        for (int i = 0; i < pool.length; i++) {
            pool[i] = TestEvents.v4(i, t0 + i * 1_000L);
        }
        System.gc();
        EventFanout<DhcpEvent> fanout = new EventFanout<>();
        ClickHouseStorage storage = ClickHouseStorage.start(cfg, wcfg, fanout).block(Duration.ofSeconds(60));
        EventWriter writer = storage.writer();
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        AtomicLong heapPeak = new AtomicLong();
        AtomicLong backlogPeak = new AtomicLong();
        AtomicLong liveAfterGc = new AtomicLong();
        long serverCpu0 = procCpuMillis(pid);
        long processCpu0 = processCpuNanos();
        Thread sampler = new Thread(() -> {
            while (!Thread.currentThread().isInterrupted()) {
                heapPeak.accumulateAndGet(memory.getHeapMemoryUsage().getUsed(), Math::max);
                long live = 0;
                for (var mp : ManagementFactory.getMemoryPoolMXBeans()) {
                    if (mp.getType() == java.lang.management.MemoryType.HEAP && mp.getCollectionUsage() != null) {
                        live += mp.getCollectionUsage().getUsed();
                    }
                }
                liveAfterGc.accumulateAndGet(live, Math::max);
                backlogPeak.accumulateAndGet(writer.stats().buffered(), Math::max);
                try {
                    Thread.sleep(20);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
        sampler.setDaemon(true);
        sampler.start();

        long start = System.nanoTime();
        for (int i = 0; i < n; i++) {
            if (rate > 0 && (i & 1023) == 0) {
                long due = start + (long) i * 1_000_000_000L / rate;
                long wait = due - System.nanoTime();
                if (wait > 0) {
                    LockSupport.parkNanos(wait);
                }
            }
            fanout.publish(pool[i % pool.length]);
        }
        long published = System.nanoTime();
        long deadline = published + TimeUnit.SECONDS.toNanos(300);
        while (System.nanoTime() < deadline) {
            WriterStats s = writer.stats();
            if (s.written() + s.dropped() + fanoutDropped(fanout) >= n && s.buffered() == 0) {
                break;
            }
            Thread.sleep(2);
        }
        long written = System.nanoTime();
        long rows = Long.parseLong(admin.post("SELECT count() FROM dhcp_events", null).strip());
        long visible = System.nanoTime();
        long writerCpu = 0;
        for (ThreadInfo ti : threads.getThreadInfo(threads.getAllThreadIds())) {
            if (ti != null && (ti.getThreadName().startsWith("event-writer") || ti.getThreadName().startsWith("fanout-"))) {
                writerCpu += Math.max(0, threads.getThreadCpuTime(ti.getThreadId()));
            }
        }
        long processCpu = processCpuNanos() - processCpu0;
        long serverCpu = procCpuMillis(pid) - serverCpu0;
        sampler.interrupt();
        WriterStats s = writer.stats();
        double secs = (visible - start) / 1e9;
        System.out.printf("%n== %s ==%n", name);
        System.out.printf("published %,d in %.2f s (%,.0f/s offered)%n", n, (published - start) / 1e9,
                n / ((published - start) / 1e9));
        System.out.printf("rows visible %,d after %.2f s: %,.0f events/s end to end (sink -> rows visible)%n", rows,
                secs, rows / secs);
        System.out.printf("writer: written %,d, dropped %,d (fan-out dropped %,d), batches %d, failures %d,"
                + " largest backlog %,d events%n", s.written(), s.dropped(), fanoutDropped(fanout), s.batches(),
                s.failures(), backlogPeak.get());
        System.out.printf("CPU: writer+fan-out threads %.2f s (%.0f%% of one core over the run), whole JVM %.2f s,"
                + " clickhouse-server %.2f s (%.0f%% of one core)%n", writerCpu / 1e9, 100 * writerCpu / 1e9 / secs,
                processCpu / 1e9, serverCpu / 1e3, 100 * serverCpu / 1e3 / secs);
        System.out.printf("heap: peak used %d MiB, peak left after a GC %d MiB (sampled every 20 ms; includes the"
                + " 10,000-event pool)%n", heapPeak.get() >> 20, liveAfterGc.get() >> 20);
        fanout.complete();
        storage.close();
        admin.close();
    }

    static long fanoutDropped(EventFanout<DhcpEvent> f) {
        return f.stats().stream().mapToLong(EventFanout.SubscriberStats::dropped).sum();
    }

    static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    /** utime + stime of a process in ms (from /proc; clock ticks assumed 100/s). */
    static long procCpuMillis(String pid) throws IOException {
        String stat = Files.readString(Path.of("/proc", pid, "stat"));
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return (Long.parseLong(f[11]) + Long.parseLong(f[12])) * 10;
    }

    static String run(String... cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (p.waitFor() != 0) {
            throw new IOException(String.join(" ", cmd) + " failed: " + out);
        }
        return out;
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
