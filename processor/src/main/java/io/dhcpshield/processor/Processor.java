package io.dhcpshield.processor;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dhcpshield.core.event.DhcpEvent;
import io.dhcpshield.core.event.EventFanout;
import io.dhcpshield.core.pipeline.DenySet;
import io.dhcpshield.core.pipeline.InspectionPipeline;
import io.dhcpshield.core.pipeline.QueueCounters;
import io.dhcpshield.transport.nfqueue.NfQueueConfig;
import io.dhcpshield.transport.nfqueue.NfQueueCounters;
import io.dhcpshield.transport.nfqueue.NfQueueGroup;
import io.dhcpshield.transport.nfqueue.NfQueueGroupConfig;
import io.dhcpshield.transport.nfqueue.NfQueueTransport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The wiring of {@code dhcp-processor}: kernel queues (transport) → inspection pipeline (core) → event fan-out, plus
 * the periodic counters. The only class that knows all the pieces.
 */
final class Processor implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Processor.class);
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /** Command-line options that are not config.yaml keys. */
    record Options(Path statusFile, Path eventsFile, boolean installQueueRule, boolean countingSubscriber,
                   long stallAfter, long stallMillis) {
        Options(Path statusFile, Path eventsFile, boolean installQueueRule) {
            this(statusFile, eventsFile, installQueueRule, false, -1, 0);
        }
    }

    private final ProcessorConfig config;
    private final Options options;
    private final DenySet denySet = new DenySet();
    private final EventFanout<DhcpEvent> events = new EventFanout<>();
    private final InspectionPipeline pipeline;
    private final List<InspectionPipeline.QueueRun> runs = new ArrayList<>();
    private final ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "counters");
        t.setDaemon(true);
        return t;
    });
    private NfQueueGroup group;
    private EventLog eventLog;
    private QueueRule queueRule;
    private volatile boolean closed;
    private volatile String rulesetMode = "not installed by this process";
    private volatile io.dhcpshield.storage.ClickHouseStorage storage;
    private reactor.core.Disposable storageStart;
    private volatile io.dhcpshield.storage.OperationalConfig operational;
    private io.dhcpshield.storage.EventWriter vector;
    private volatile io.dhcpshield.enforcement.ruleset.ThrottlingProfile installedProfile;
    private volatile io.dhcpshield.enforcement.action.ActionManager actions;
    private io.dhcpshield.enforcement.kernel.Nftables actionsNft;
    private final java.util.concurrent.atomic.AtomicBoolean actionsStarted = new java.util.concurrent.atomic.AtomicBoolean();
    private final List<reactor.core.Disposable> background = new java.util.concurrent.CopyOnWriteArrayList<>();

    Processor(ProcessorConfig config, Options options) {
        this.config = config;
        this.options = options;
        this.pipeline = new InspectionPipeline(
                new InspectionPipeline.Settings(config.dropNonDhcpPackets(), config.siteId(), ConfigLoader.rules(config)),
                denySet, events, () -> {
                    Instant now = Instant.now();
                    return now.getEpochSecond() * 1_000_000L + now.getNano() / 1_000;
                });
    }

    void start() throws IOException {
        ProcessorConfig.NfQueueSection q = config.nfqueue();
        if (options.eventsFile() != null) {
            eventLog = new EventLog(options.eventsFile(), events, config.events().bufferPerSubscriber());
        }
        if (config.clickhouse().enabled()) {
            startStorage();
        }
        if (config.vector().enabled()) {
            vector = io.dhcpshield.storage.EventWriter.attach(events,
                    new io.dhcpshield.storage.VectorSink(java.net.URI.create(config.vector().endpoint()),
                            java.time.Duration.ofSeconds(30)),
                    io.dhcpshield.storage.WriterConfig.defaults().withMaxBuffered(config.clickhouse().maxBuffered())
                            .withBatch(config.batchSize(), java.time.Duration.ofSeconds(config.flushDurationSecs())));
            log.info("Vector output: {} (batch_size {}, flush {} s)", config.vector().endpoint(), config.batchSize(),
                    config.flushDurationSecs());
        }
        if (options.countingSubscriber()) {
            java.util.concurrent.atomic.LongAdder counted = new java.util.concurrent.atomic.LongAdder();
            events.subscribe("counting", config.events().bufferPerSubscriber(),
                    reactor.core.scheduler.Schedulers.newSingle("counting-subscriber", true))
                    .subscribe(e -> counted.increment());
        }
        NfQueueTransport transport = NfQueueTransport.fromConfigName(q.transport());
        NfQueueConfig queueTemplate = new NfQueueConfig(1, q.copyRange(), q.maxLen(), q.failOpen(),
                NfQueueConfig.DEFAULT_GSO, q.receiveBufferBytes(), NfQueueConfig.DEFAULT_NO_ENOBUFS, q.readBatch(),
                NfQueueConfig.DEFAULT_READ_BUDGET);
        NfQueueGroupConfig groupConfig = NfQueueGroupConfig.defaults()
                .withQueueCount(q.queueCount())
                .withEventLoops(Math.min(Runtime.getRuntime().availableProcessors(), q.queueCount()))
                .withTransport(transport)
                .withQueue(queueTemplate);
        group = NfQueueGroup.start(groupConfig);
        log.info("nfqueue transport {} (configured {}), queues 1..{} on {} event loop(s)",
                group.transport().configName(), q.transport(), q.queueCount(), groupConfig.eventLoops());
        for (int queue = 1; queue <= q.queueCount(); queue++) {
            InspectionPipeline.QueueRun run = pipeline.run(queue, group.packets(queue));
            if (options.stallAfter() >= 0) {
                run.pauseAfter(options.stallAfter());
                if (options.stallMillis() > 0) {
                    // Resume once the stall has lasted long enough; checked on the counters thread.
                    ticker.scheduleWithFixedDelay(new StallRelease(run, options.stallMillis()), 10, 10,
                            TimeUnit.MILLISECONDS);
                }
                log.warn("test hook: queue {} stalls after {} packets", queue, options.stallAfter());
            }
            runs.add(run);
        }
        awaitBound(java.time.Duration.ofSeconds(10));
        if (config.enforcement().installRuleset()) {
            installRuleset();
        }
        if (options.installQueueRule()) {
            queueRule = new QueueRule(q.queueCount());
            queueRule.install();
        }
        int interval = config.countersLogIntervalSecs();
        if (interval > 0) {
            ticker.scheduleAtFixedRate(this::report, interval, interval, TimeUnit.SECONDS);
        }
        log.info("dhcp-processor started: site '{}', drop_non_dhcp_packets={}, {} custom rule(s)", config.siteId(),
                config.dropNonDhcpPackets(), config.rules().rules().size());
    }

    /**
     * Connects to ClickHouse, migrates and attaches the event writer, in the background: a database that is down
     * at start is retried with backoff while packets keep flowing (events until then are not stored).
     */
    private void startStorage() {
        ProcessorConfig.ClickHouseSection c = config.clickhouse();
        io.dhcpshield.storage.ClickHouseConfig ch = io.dhcpshield.storage.ClickHouseConfig.defaults()
                .withEndpoint(c.endpoint()).withDatabase(c.database());
        ch = new io.dhcpshield.storage.ClickHouseConfig(ch.endpoint(), ch.database(), c.user(), c.password(),
                c.driverOptions(), ch.requestTimeout());
        io.dhcpshield.storage.WriterConfig writer = io.dhcpshield.storage.WriterConfig.defaults()
                .withMaxBuffered(c.maxBuffered())
                .withBatch(config.batchSize(), java.time.Duration.ofSeconds(config.flushDurationSecs()));
        storageStart = io.dhcpshield.storage.ClickHouseStorage.start(ch, writer, events)
                .doOnError(e -> log.warn("ClickHouse at {} not ready: {} (retrying)", c.endpoint(), e.toString()))
                .retryWhen(reactor.util.retry.Retry.backoff(Long.MAX_VALUE, java.time.Duration.ofSeconds(1))
                        .maxBackoff(java.time.Duration.ofSeconds(30)))
                .subscribe(st -> {
                    storage = st;
                    log.info("ClickHouse event writer attached: {} database {}, batch_size {}, flush {} s",
                            c.endpoint(), c.database(), config.batchSize(), config.flushDurationSecs());
                    startOperational(st);
                    maybeStartActions();
                });
    }

    /**
     * The Action Manager, once both the ruleset (its sets) and ClickHouse (its action log) are there: it shares the
     * processor's deny set (denied clients produce no events) and starts by reconciling the kernel's sets with the
     * recorded actions (re-applying active ones after a table re-creation, reporting unrecorded entries).
     */
    /** Starts the Action Manager once, when whichever of the ruleset and storage comes second is ready. */
    private void maybeStartActions() {
        io.dhcpshield.storage.ClickHouseStorage st = storage;
        if (st != null && installedProfile != null && actionsStarted.compareAndSet(false, true)) {
            startActions(st);
        }
    }

    private void startActions(io.dhcpshield.storage.ClickHouseStorage st) {
        try {
            actionsNft = new io.dhcpshield.enforcement.kernel.Nftables();
            actions = new io.dhcpshield.enforcement.action.ActionManager(
                    new io.dhcpshield.enforcement.action.NftablesKernelSets(actionsNft),
                    new io.dhcpshield.storage.ClickHouseActionLog(st.client(), java.time.Clock.systemUTC()),
                    denySet, installedProfile, new io.dhcpshield.enforcement.action.AnalysisQueue(10_000),
                    io.dhcpshield.enforcement.action.Time.SYSTEM);
            io.dhcpshield.enforcement.action.ReconcileReport r =
                    actions.start(io.dhcpshield.enforcement.action.Scheduler.of(ticker));
            log.info("action manager started: reconcile re-applied {} action(s), {} kernel entr(ies) without a record{}",
                    r.reapplied().size(), r.unrecorded().size(), r.error() == null || r.error().isEmpty() ? ""
                            : " (" + r.error() + ")");
            r.unrecorded().stream().limit(20).forEach(u -> log.warn("unrecorded kernel entry: {}", u));
        } catch (RuntimeException e) {
            log.error("action manager not started: {}", e.toString());
        }
    }

    /**
     * Operational configuration (system_config FINAL > YAML > default, re-read every 5 s) and the retention job
     * (hourly; runs while {@code retention.enabled} in YAML and {@code operational.retention.active}).
     */
    private void startOperational(io.dhcpshield.storage.ClickHouseStorage st) {
        java.util.Set<String> enabled = config.retention().enabled() ? java.util.Set.of("retention") : java.util.Set.of();
        operational = new io.dhcpshield.storage.OperationalConfig(st.client(), config.operationalValues(), enabled,
                java.time.Clock.systemUTC());
        reactor.core.scheduler.Scheduler scheduler = reactor.core.scheduler.Schedulers.newSingle("operational", true);
        background.add(operational.watch(java.time.Duration.ofSeconds(5), scheduler));
        background.add(operational.changes().subscribe(ch -> log.info("operational config changed: {}", ch)));
        if (config.retention().enabled()) {
            background.add(new io.dhcpshield.storage.Retention(st.client(), operational, java.time.Clock.systemUTC())
                    .schedule(java.time.Duration.ofHours(1), scheduler));
        }
    }

    /**
     * Installs {@code inet dhcp_inspection} from the configured profile with the queue range of
     * {@code nfqueue.queue_count}; a failure stops the start with the kernel's own error text.
     */
    private void installRuleset() throws IOException {
        ProcessorConfig.EnforcementSection e = config.enforcement();
        io.dhcpshield.enforcement.ruleset.ThrottlingProfile p =
                io.dhcpshield.enforcement.EnforcementTool.loadProfile(e.profile());
        p = new io.dhcpshield.enforcement.ruleset.ThrottlingProfile(p.name(), config.nfqueue().queueCount(),
                p.throttle(), p.defaultRateLimit(), p.rateLimits(), p.sets());
        io.dhcpshield.enforcement.ruleset.QueueMode mode = switch (e.queueMode()) {
            case "native" -> io.dhcpshield.enforcement.ruleset.QueueMode.NATIVE_NFT;
            case "xt" -> io.dhcpshield.enforcement.ruleset.QueueMode.XT_COMPAT;
            default -> null;
        };
        try (io.dhcpshield.enforcement.kernel.Nftables nft = new io.dhcpshield.enforcement.kernel.Nftables()) {
            io.dhcpshield.enforcement.kernel.InstallReport r =
                    new io.dhcpshield.enforcement.kernel.RulesetInstaller(nft).install(p, mode);
            if (!r.ok()) {
                throw new IllegalStateException("ruleset install failed at " + r.stage() + ": " + r.error());
            }
            rulesetMode = r.queueMode();
            installedProfile = p;
            maybeStartActions();
            log.info("ruleset inet dhcp_inspection installed: profile {}, queue mode {} (kernel: {}), {} chains, "
                    + "{} sets, {} counters", r.profile(), r.queueMode(), r.probe(), r.chains(), r.sets(), r.counters());
        }
    }

    /**
     * Waits until every queue is bound, so that "started" means inspecting: a queue rule installed before its
     * listener binds would pass the first packets uninspected (bypass). A queue that does not bind in time is logged;
     * the group keeps retrying it.
     */
    private void awaitBound(java.time.Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!group.queues().stream().allMatch(io.dhcpshield.transport.nfqueue.NfQueue::isBound)) {
            if (System.nanoTime() > deadline) {
                group.queues().stream().filter(nq -> !nq.isBound())
                        .forEach(nq -> log.warn("nfqueue {} not bound after {}; retrying in the background",
                                nq.queueNumber(), timeout));
                return;
            }
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** Resumes a stalled run after it has been paused for the configured time (test hook). */
    private static final class StallRelease implements Runnable {
        private final InspectionPipeline.QueueRun run;
        private final long millis;
        private long pausedSince = -1;
        private boolean released;

        StallRelease(InspectionPipeline.QueueRun run, long millis) {
            this.run = run;
            this.millis = millis;
        }

        @Override
        public void run() {
            if (released || !run.isPaused()) {
                return;
            }
            long now = System.nanoTime();
            if (pausedSince < 0) {
                pausedSince = now;
            } else if (now - pausedSince >= millis * 1_000_000L) {
                released = true;
                log.warn("test hook: stall released after {} ms", millis);
                run.resume();
            }
        }
    }

    DenySet denySet() {
        return denySet;
    }

    /** Graceful stop: stop reading, verdict what was read, unbind, drain the event subscribers, final counters. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        ticker.shutdownNow();
        runs.forEach(InspectionPipeline.QueueRun::pause);
        if (group != null) {
            group.close();
        }
        events.complete();
        if (eventLog != null) {
            eventLog.close();
        }
        if (storageStart != null) {
            storageStart.dispose();
        }
        background.forEach(reactor.core.Disposable::dispose);
        if (actions != null) {
            try {
                actions.close();
            } catch (Exception e) {
                log.warn("action manager close: {}", e.toString());
            }
        }
        if (actionsNft != null) {
            actionsNft.close();
        }
        if (storage != null) {
            storage.close(); // flushes what the writer holds
        }
        if (vector != null) {
            vector.close();
        }
        report();
        if (queueRule != null) {
            queueRule.close();
        }
        log.info("dhcp-processor stopped");
    }

    /** One log line of totals, and the full status file when configured. */
    void report() {
        try {
            List<QueueCounters.Snapshot> inspection = pipeline.snapshots();
            QueueCounters.Snapshot t = QueueCounters.Snapshot.sum(inspection);
            NfQueueCounters.Snapshot k = group != null ? group.totals() : NfQueueCounters.Snapshot.empty();
            log.info("counters: received={} verdicted={} dhcp={} non_dhcp={} denied={} events={} kernel_received={} "
                            + "kernel_verdicted={} batches={} enobufs={} id_gaps={} missed_verdict={} recreated={} "
                            + "verdict_p99_us={}", t.received(), t.verdicted(), t.dhcp(), t.nonDhcp(), t.denied(),
                    t.events(), k.received(), k.verdicted(), k.verdictBatches(), k.enobufs(), k.idGaps(),
                    k.missedVerdict(), k.recreated(), k.verdictLatencyP99Nanos() / 1000);
            if (options.statusFile() != null) {
                writeStatus(inspection, t, k);
            }
        } catch (RuntimeException | IOException e) {
            log.warn("counter report failed: {}", e.toString());
        }
    }

    private void writeStatus(List<QueueCounters.Snapshot> inspection, QueueCounters.Snapshot totals,
                             NfQueueCounters.Snapshot kernel) throws IOException {
        ObjectNode root = JSON.createObjectNode();
        root.put("time", Instant.now().toString());
        root.put("transport", group != null ? group.transport().configName() : "none");
        root.put("deny_set_size", denySet.size());
        root.put("ruleset_queue_mode", rulesetMode);
        root.set("totals", JSON.valueToTree(totals));
        root.set("kernel_totals", kernelJson(kernel));
        ArrayNode queues = root.putArray("queues");
        for (QueueCounters.Snapshot s : inspection) {
            ObjectNode n = queues.addObject();
            n.set("inspection", JSON.valueToTree(s));
            if (group != null) {
                n.set("kernel", kernelJson(group.queue(s.queue()).counters().snapshot()));
            }
        }
        ObjectNode ev = root.putObject("events");
        ev.put("published", events.published());
        ev.set("subscribers", JSON.valueToTree(events.stats()));
        if (operational != null) {
            root.set("operational", JSON.valueToTree(operational.snapshot()));
        }
        if (vector != null) {
            root.set("vector_writer", JSON.valueToTree(vector.stats()));
        }
        if (actions != null) {
            io.dhcpshield.enforcement.action.ActionCounters ac = actions.counters();
            ObjectNode a = root.putObject("actions");
            a.put("kernel_transactions", ac.kernelTransactions()).put("kernel_failures", ac.kernelFailures())
                    .put("deny_rearms", ac.denyRearms());
            for (io.dhcpshield.enforcement.action.ActionType t : io.dhcpshield.enforcement.action.ActionType.values()) {
                a.put("applied_" + t.label(), ac.applied(t));
            }
        }
        if (storage != null) {
            root.set("clickhouse_writer", JSON.valueToTree(storage.writer().stats()));
        } else if (config.clickhouse().enabled()) {
            root.put("clickhouse_writer", "not connected");
        }
        Path tmp = options.statusFile().resolveSibling(options.statusFile().getFileName() + ".tmp");
        JSON.writeValue(tmp.toFile(), root);
        Files.move(tmp, options.statusFile(), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    private static ObjectNode kernelJson(NfQueueCounters.Snapshot k) {
        ObjectNode n = JSON.valueToTree(k);
        n.put("verdict_latency_p50_ns", k.verdictLatencyP50Nanos());
        n.put("verdict_latency_p99_ns", k.verdictLatencyP99Nanos());
        n.put("mean_read_batch", k.meanReadBatch());
        return n;
    }
}
