package io.dhcpshield.processor;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dhcpshield.core.metrics.MetricSamples;
import io.dhcpshield.core.metrics.MetricWriter;
import io.dhcpshield.core.service.Deferred;
import io.dhcpshield.core.service.Service;
import io.dhcpshield.core.service.ServiceManager;
import io.dhcpshield.core.time.Time;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.scheduler.Scheduler;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The periodic counters log line and the status file (every service's state, readiness and metrics as JSON),
 * written every {@code counters_log_interval_secs}, on {@code SIGUSR1} ({@code kill -USR1 PID}: the report now, on
 * the same thread as the periodic one), and once more at exit. It walks the services; it knows none of their types.
 */
final class StatusReport implements Service {

    private static final Logger log = LoggerFactory.getLogger(StatusReport.class);
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private final Deferred<ServiceManager> daemon;
    private final Path statusFile;
    private final int intervalSecs;
    private final Time time;
    private final Scheduler scheduler;
    private Disposable ticker;
    /** Set once stopped: a late SIGUSR1 is ignored (the final report is written by stop). */
    private volatile boolean stopped;
    private final AtomicLong signalled = new AtomicLong();

    StatusReport(Deferred<ServiceManager> daemon, Path statusFile, int intervalSecs, Time time, Scheduler scheduler) {
        this.daemon = daemon;
        this.statusFile = statusFile;
        this.intervalSecs = intervalSecs;
        this.time = time;
        this.scheduler = scheduler;
    }

    @Override
    public String name() {
        return "status";
    }

    @Override
    public void start() {
        if (intervalSecs > 0) {
            ticker = scheduler.schedulePeriodically(this::report, intervalSecs, intervalSecs, TimeUnit.SECONDS);
        }
        onSignal("USR1", this::signalled);
    }

    /** Stops the ticker and writes the final report (every other service has stopped by now). */
    @Override
    public void stop() {
        stopped = true;
        if (ticker != null) {
            ticker.dispose();
        }
        report();
    }

    @Override
    public void metrics(MetricWriter out) {
        out.counter("status_reports_signalled", "reports asked for with SIGUSR1", signalled.get());
    }

    /** SIGUSR1: a report now, on the scheduler of the periodic ones, so two reports never write the file at once. */
    private void signalled() {
        if (stopped) {
            return;
        }
        signalled.incrementAndGet();
        try {
            scheduler.schedule(this::report);
        } catch (RuntimeException e) {
            log.debug("SIGUSR1 report not scheduled: {}", e.toString());
        }
    }

    /**
     * Handles {@code name} for the life of the JVM (the handler is never taken back: a signal whose default action
     * ends the process must not find it gone after stop). A JVM that refuses the signal (started with {@code -Xrs},
     * or one that uses it itself) is logged and the reports stay periodic.
     */
    private static void onSignal(String name, Runnable action) {
        try {
            sun.misc.Signal.handle(new sun.misc.Signal(name), s -> action.run());
        } catch (IllegalArgumentException | UnsupportedOperationException e) {
            log.warn("SIG{} is not available for on-demand reports: {}", name, e.getMessage());
        }
    }

    /**
     * One log line of totals, and the status file when configured. Never throws. Synchronized: stop's final report
     * (on the stopping thread) may meet a periodic or signalled one still running on the scheduler, and two writers
     * of the one temporary file would leave a mixed file behind.
     */
    synchronized void report() {
        ServiceManager m = daemon.now().orElse(null);
        if (m == null) {
            return;
        }
        try {
            MetricSamples s = new MetricSamples();
            m.metrics(s);
            log.info("counters: received={} verdicted={} dhcp={} non_dhcp={} denied={} events={} kernel_received={} "
                            + "kernel_verdicted={} passed_uninspected={} missed_verdict={} enobufs={} "
                            + "events_dropped={} stored={}",
                    n(s, "packets_received"), n(s, "packets_verdicted"), n(s, "packets_dhcp"),
                    n(s, "packets_non_dhcp"), n(s, "packets_denied"), n(s, "events_emitted"),
                    n(s, "nfqueue_received"), n(s, "nfqueue_verdicted"), n(s, "nfqueue_passed_uninspected"),
                    n(s, "nfqueue_missed_verdicts"), enobufs(s), n(s, "fanout_dropped"), stored(s));
            if (statusFile != null) {
                write(m, s);
            }
        } catch (RuntimeException | IOException e) {
            log.warn("counter report failed: {}", e.toString());
        }
    }

    /**
     * The headline counters in one short line (systemd's STATUS, shown by {@code systemctl status}): packets,
     * verdicts, events and what passed uninspected inline; frames and events passive; ClickHouse's state.
     */
    static String headline(ServiceManager m) {
        MetricSamples s = new MetricSamples();
        m.metrics(s);
        StringBuilder b = new StringBuilder();
        if (m.services().stream().anyMatch(x -> x.name().equals("inspection"))) {
            b.append("packets=").append(n(s, "packets_received")).append(" verdicts=")
                    .append(n(s, "packets_verdicted")).append(" events=").append(n(s, "events_emitted"))
                    .append(" bypassed=").append(n(s, "nfqueue_passed_uninspected"));
        }
        if (m.services().stream().anyMatch(x -> x.name().equals("collector"))) {
            b.append(b.isEmpty() ? "" : " ").append("tzsp_frames=").append(n(s, "tzsp_frames"))
                    .append(" observed_events=").append(n(s, "observed_events"));
        }
        b.append(" events_dropped=").append(n(s, "fanout_dropped"));
        String clickhouse = m.status().stream().filter(st -> st.name().equals("storage")).findFirst()
                .map(st -> st.readiness().ready() ? "up" : "down").orElse("off");
        b.append(" clickhouse=").append(clickhouse);
        if (!clickhouse.equals("off")) {
            b.append(" stored=").append(stored(s));
        }
        return b.toString().strip();
    }

    private void write(ServiceManager m, MetricSamples samples) throws IOException {
        ObjectNode root = JSON.createObjectNode();
        root.put("time", time.now().toString());
        root.put("ready", m.ready());
        ObjectNode services = root.putObject("services");
        for (ServiceManager.Status st : m.status()) {
            ObjectNode n = services.putObject(st.name());
            n.put("state", st.state().name().toLowerCase(Locale.ROOT));
            n.put("ready", st.readiness().ready());
            n.put("reason", st.readiness().reason());
            n.set("detail", JSON.valueToTree(st.readiness().detail()));
        }
        root.set("metrics", samples.toJson());
        Path tmp = statusFile.resolveSibling(statusFile.getFileName() + ".tmp");
        JSON.writeValue(tmp.toFile(), root);
        Files.move(tmp, statusFile, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    private static long n(MetricSamples s, String name) {
        return (long) s.total(name);
    }

    private static long enobufs(MetricSamples s) {
        return (long) s.samples().stream()
                .filter(x -> x.name().equals("nfqueue_errors") && "enobufs".equals(x.labels().get("reason")))
                .mapToDouble(MetricSamples.Sample::value).sum();
    }

    private static long stored(MetricSamples s) {
        return (long) s.samples().stream()
                .filter(x -> x.name().equals("writer_written") && "clickhouse".equals(x.labels().get("writer")))
                .mapToDouble(MetricSamples.Sample::value).sum();
    }
}
