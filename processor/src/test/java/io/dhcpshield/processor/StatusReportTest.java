package io.dhcpshield.processor;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dhcpshield.core.metrics.MetricSamples;
import io.dhcpshield.core.metrics.MetricWriter;
import io.dhcpshield.core.service.Deferred;
import io.dhcpshield.core.service.Service;
import io.dhcpshield.core.service.ServiceManager;
import io.dhcpshield.core.time.Time;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.fail;

/** The status file on demand: SIGUSR1 writes the report now, on the periodic report's thread. */
class StatusReportTest {

    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final ObjectMapper JSON = new ObjectMapper();

    /** A service whose one counter the test moves. */
    private static final class Counted implements Service {
        final AtomicLong value = new AtomicLong();

        @Override
        public String name() {
            return "counted";
        }

        @Override
        public void start() {
        }

        @Override
        public void stop() {
        }

        @Override
        public void metrics(MetricWriter out) {
            out.counter("test_things", "things the test counted", value.get());
        }
    }

    @Test
    void sigusr1WritesTheStatusFileAtOnceWhenReportsAreNotPeriodic(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("status.json");
        Counted counted = new Counted();
        Scheduler scheduler = Schedulers.newSingle("status-test", true);
        // An interval of 0: no periodic report, so every file written here was asked for by a signal.
        Deferred<ServiceManager> daemon = new Deferred<>("daemon", "starting");
        StatusReport report = new StatusReport(daemon, file, 0, Time.SYSTEM, scheduler);
        daemon.complete(new ServiceManager(List.of(counted, report)));
        try {
            report.start();
            assertFalse(Files.exists(file), "no report before a signal");

            counted.value.set(7);
            signal();
            JsonNode first = awaitStatus(file, 1);
            assertEquals(7, first.at("/metrics/test_things/total").asLong());
            assertEquals(1, signalledCount(report));

            counted.value.set(9);
            signal();
            assertEquals(9, awaitStatus(file, 2).at("/metrics/test_things/total").asLong());
            assertEquals(2, signalledCount(report));
        } finally {
            report.stop();
            scheduler.dispose();
        }
        // stop wrote the final report, with what the signals had asked for counted in it.
        assertEquals(2, read(file).at("/metrics/status_reports_signalled/total").asLong());
    }

    private static void signal() throws Exception {
        Process kill = new ProcessBuilder("kill", "-USR1", Long.toString(ProcessHandle.current().pid()))
                .inheritIO().start();
        assertEquals(0, kill.waitFor());
    }

    private static long signalledCount(StatusReport report) {
        MetricSamples s = new MetricSamples();
        report.metrics(s);
        return (long) s.total("status_reports_signalled");
    }

    /** The status file once its report counts {@code signals} signals (the file is replaced atomically). */
    private static JsonNode awaitStatus(Path file, long signals) throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (true) {
            if (Files.exists(file)) {
                JsonNode n = read(file);
                if (n.at("/metrics/status_reports_signalled/total").asLong() >= signals) {
                    return n;
                }
            }
            if (System.nanoTime() > deadline) {
                fail("no status file with " + signals + " signalled report(s) in " + WAIT);
            }
            Thread.sleep(10);
        }
    }

    private static JsonNode read(Path file) throws Exception {
        return JSON.readTree(file.toFile());
    }
}
