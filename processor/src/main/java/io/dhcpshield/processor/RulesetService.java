package io.dhcpshield.processor;

import io.dhcpshield.core.metrics.MetricWriter;
import io.dhcpshield.core.service.Deferred;
import io.dhcpshield.core.service.Readiness;
import io.dhcpshield.core.service.Service;
import io.dhcpshield.core.time.Time;
import io.dhcpshield.enforcement.EnforcementTool;
import io.dhcpshield.enforcement.firewall.ApplyRecord;
import io.dhcpshield.enforcement.firewall.FirewallManager;
import io.dhcpshield.enforcement.firewall.KernelFirewall;
import io.dhcpshield.enforcement.firewall.RulesetDocument;
import io.dhcpshield.enforcement.kernel.InstallReport;
import io.dhcpshield.enforcement.kernel.KernelState;
import io.dhcpshield.enforcement.kernel.Nftables;
import io.dhcpshield.enforcement.kernel.RulesetInstaller;
import io.dhcpshield.enforcement.ruleset.EnforcementSet;
import io.dhcpshield.enforcement.ruleset.QueueMode;
import io.dhcpshield.enforcement.ruleset.RulesetBuilder;
import io.dhcpshield.enforcement.ruleset.RulesetJson;
import io.dhcpshield.enforcement.ruleset.ThrottlingProfile;
import io.dhcpshield.storage.ClickHouseRulesetStore;
import io.dhcpshield.storage.ClickHouseStorage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

import java.io.IOException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Owns {@code inet dhcp_inspection}. At start it installs the configured profile with the queue range of
 * {@code nfqueue.queue_count} (a failure stops the start with the kernel's own error text), so enforcement and the
 * queue are in place from the first second whatever the database does. Once ClickHouse is there, the Firewall
 * Manager takes over (seed 001: the daemon "reads its active firewall ruleset from the database on startup"): a fresh
 * database is seeded with the shipped profiles (the configured one active), and the active rulesets are applied
 * unless the kernel already holds exactly them. Every {@link #KERNEL_READ_SECONDS} s it reads the kernel's named
 * counters and set sizes (so reports never wait on the kernel) and compares the table with what was last applied:
 * drift (another tool flushed or edited it) makes the service not ready, with what changed.
 */
final class RulesetService implements Service {

    private static final Logger log = LoggerFactory.getLogger(RulesetService.class);
    static final int KERNEL_READ_SECONDS = 10;
    static final List<String> LEVELS = List.of("low", "medium", "strict");

    private final String profileSpec;
    private final String queueMode;
    private final int queueCount;
    private final Deferred<ClickHouseStorage> storage;
    private final Time time;
    private final Scheduler scheduler;
    private final Deferred<ThrottlingProfile> installed = new Deferred<>("ruleset", "not installed yet");
    private final Deferred<FirewallManager> firewall;
    private volatile InstallReport report;
    private volatile ThrottlingProfile profile;
    private volatile KernelState kernel;
    private volatile String kernelError = "";
    /** The table as it was right after the last install or apply: what the kernel must keep. */
    private volatile RulesetDocument applied;
    /** How the kernel's table differs from {@link #applied} ("" when it does not). */
    private volatile String drift = "";
    /** The enforcement sets' timeouts of the rulesets applied last (for the Action Manager). */
    private volatile Map<EnforcementSet, Long> timeouts = Map.of();
    private final AtomicLong applies = new AtomicLong();
    private final AtomicLong driftDetected = new AtomicLong();
    private Disposable reader;
    private Disposable takeover;
    private Nftables firewallNft;

    private final boolean fromDatabase;

    /** {@code fromDatabase}: whether ClickHouse is on (without it the configured profile stays). */
    RulesetService(String profileSpec, String queueMode, int queueCount, boolean fromDatabase,
                   Deferred<ClickHouseStorage> storage, Time time, Scheduler scheduler) {
        this.fromDatabase = fromDatabase;
        this.profileSpec = profileSpec;
        this.queueMode = queueMode;
        this.queueCount = queueCount;
        this.storage = storage;
        this.time = time;
        this.scheduler = scheduler;
        this.firewall = new Deferred<>("firewall manager", storage.reason());
    }

    /**
     * The installed profile, once the ruleset the daemon will run with is in place: right after the install without
     * ClickHouse; after the Firewall Manager's start-up apply with it.
     */
    Deferred<ThrottlingProfile> installed() {
        return installed;
    }

    Deferred<FirewallManager> firewall() {
        return firewall;
    }

    /** The set timeouts of what was applied last. */
    Map<EnforcementSet, Long> timeouts() {
        return timeouts;
    }

    @Override
    public String name() {
        return "ruleset";
    }

    @Override
    public void start() throws IOException {
        ThrottlingProfile p = EnforcementTool.loadProfile(profileSpec);
        p = withQueues(p);
        QueueMode mode = switch (queueMode) {
            case "native" -> QueueMode.NATIVE_NFT;
            case "xt" -> QueueMode.XT_COMPAT;
            default -> null;
        };
        try (Nftables nft = new Nftables()) {
            InstallReport r = new RulesetInstaller(nft).install(p, mode);
            if (!r.ok()) {
                throw new IllegalStateException("ruleset install failed at " + r.stage() + ": " + r.error());
            }
            report = r;
            log.info("ruleset inet dhcp_inspection installed: profile {}, queue mode {} (kernel: {}), {} chains, "
                    + "{} sets, {} counters", r.profile(), r.queueMode(), r.probe(), r.chains(), r.sets(), r.counters());
        }
        profile = p;
        Map<EnforcementSet, Long> t = new EnumMap<>(EnforcementSet.class);
        for (EnforcementSet s : EnforcementSet.values()) {
            t.put(s, p.set(s).timeoutSeconds());
        }
        timeouts = Map.copyOf(t);
        try {
            applied = KernelFirewall.read();
        } catch (RuntimeException e) {
            log.warn("ruleset: could not read the installed table; drift is not checked: {}", e.getMessage());
        }
        readKernel();
        this.reader = scheduler.schedulePeriodically(this::readKernel, KERNEL_READ_SECONDS, KERNEL_READ_SECONDS,
                TimeUnit.SECONDS);
        ThrottlingProfile installedProfile = p;
        takeover = storage.await()
                .publishOn(Schedulers.boundedElastic())
                .flatMap(st -> Mono.fromRunnable(() -> takeOver(st)))
                .subscribe(v -> { }, e -> log.error("firewall manager not started: {}", e.toString()));
        if (!fromDatabase) {
            installed.complete(installedProfile);
        }
    }

    private ThrottlingProfile withQueues(ThrottlingProfile p) {
        return withQueues(p, queueCount);
    }

    private static ThrottlingProfile withQueues(ThrottlingProfile p, int queueCount) {
        return new ThrottlingProfile(p.name(), queueCount, p.throttle(), p.defaultRateLimit(), p.rateLimits(), p.sets());
    }

    /**
     * The rulesets a fresh database is seeded with: the shipped profiles rendered for {@code mode} and
     * {@code queueCount}, the configured one active; a configured profile file is added as its own active ruleset.
     */
    static List<FirewallManager.Seed> seeds(String profileSpec, int queueCount, QueueMode mode) throws IOException {
        List<FirewallManager.Seed> seeds = new ArrayList<>();
        boolean shipped = LEVELS.contains(profileSpec);
        for (String level : LEVELS) {
            seeds.add(new FirewallManager.Seed(ThrottlingProfile.dualstack(level).name(), "profile:" + level,
                    document(withQueues(ThrottlingProfile.dualstack(level), queueCount), mode),
                    shipped && level.equals(profileSpec)));
        }
        if (!shipped) {
            ThrottlingProfile p = withQueues(EnforcementTool.loadProfile(profileSpec), queueCount);
            seeds.add(new FirewallManager.Seed(p.name(), "profile:" + profileSpec, document(p, mode), true));
        }
        return seeds;
    }

    private QueueMode installedMode() {
        return report != null && report.queueMode().equals(QueueMode.NATIVE_NFT.label()) ? QueueMode.NATIVE_NFT
                : QueueMode.XT_COMPAT;
    }

    /** A shipped profile (low, medium, strict, or its full name) rendered for this kernel's queue mode and count. */
    RulesetDocument render(String level) {
        String l = level == null ? "" : level;
        for (String known : LEVELS) {
            if (l.equals(known) || l.equals(ThrottlingProfile.dualstack(known).name())) {
                return document(withQueues(ThrottlingProfile.dualstack(known)));
            }
        }
        throw new IllegalArgumentException("no shipped profile '" + l + "' (low, medium or strict)");
    }

    private RulesetDocument document(ThrottlingProfile p) {
        return document(p, installedMode());
    }

    private static RulesetDocument document(ThrottlingProfile p, QueueMode mode) {
        return RulesetDocument.parse(RulesetJson.export(RulesetBuilder.build(p, mode)));
    }

    /** ClickHouse is there: seed, apply the active rulesets, then let the Action Manager start. */
    private void takeOver(ClickHouseStorage st) {
        try {
            firewallNft = new Nftables();
            FirewallManager m = new FirewallManager(new ClickHouseRulesetStore(st.client()),
                    new KernelFirewall(firewallNft, profile.inboundQueueCount(), profile.queueCount()), this::render,
                    time);
            m.onApplied(this::applied);
            m.observe(() -> drift, () -> kernel);
            List<FirewallManager.Seed> seeds;
            try {
                seeds = seeds(profileSpec, queueCount, installedMode());
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e); // read once already at start: not expected
            }
            FirewallManager.ApplyResult r = m.startup(seeds, "system:start");
            if (r != null && !r.ok()) {
                log.error("firewall: the active rulesets could not be applied at start ({} at {}); the configured"
                        + " profile {} stays in the kernel", r.kernelError(), r.record().stage(), profile.name());
            }
            firewall.complete(m);
        } catch (RuntimeException e) {
            firewall.waiting("failed to start: " + e.getMessage());
            log.error("firewall manager not started (the configured profile stays in the kernel): {}", e.toString());
        } finally {
            installed.complete(profile);
        }
    }

    /** After every successful apply: the new reference for drift, and the sets' timeouts for the Action Manager. */
    private void applied(FirewallManager.Applied a) {
        applies.incrementAndGet();
        if (a.kernel() != null) {
            applied = a.kernel();
        }
        Map<EnforcementSet, Long> t = new EnumMap<>(EnforcementSet.class);
        t.putAll(timeouts);
        a.docs().forEach(d -> t.putAll(d.setTimeouts()));
        timeouts = Map.copyOf(t);
        drift = "";
        readKernel();
    }

    private void readKernel() {
        try (Nftables nft = new Nftables()) {
            kernel = KernelState.read(nft, true);
            kernelError = "";
            RulesetDocument base = applied;
            if (base != null) {
                String d = KernelFirewall.read().differencesFrom(base);
                if (!d.equals(drift) && !d.isEmpty()) {
                    driftDetected.incrementAndGet();
                    log.warn("ruleset: table inet dhcp_inspection changed behind the daemon's back: {}", d);
                }
                drift = d;
            }
        } catch (RuntimeException e) {
            kernelError = e.getMessage() == null ? e.toString() : e.getMessage();
        }
    }

    @Override
    public void stop() {
        if (reader != null) {
            reader.dispose();
        }
        if (takeover != null) {
            takeover.dispose();
        }
        if (firewallNft != null) {
            firewallNft.close();
        }
    }

    @Override
    public Readiness readiness() {
        InstallReport r = report;
        if (r == null) {
            return Readiness.notReady("not installed");
        }
        Readiness ready = kernelError.isEmpty() ? Readiness.up()
                : Readiness.notReady("table inet dhcp_inspection unreadable: " + kernelError);
        if (kernelError.isEmpty() && !drift.isEmpty()) {
            ready = Readiness.notReady("table inet dhcp_inspection changed behind the daemon's back: " + drift);
        }
        ApplyRecord last = firewall.now().map(FirewallManager::lastApplied).orElse(null);
        ready = ready.with("profile", r.profile()).with("queue_mode", r.queueMode()).with("kernel", r.probe());
        if (last != null) {
            ready = ready.with("rulesets", String.join(" ", last.rulesets())).with("applied_by", last.actor())
                    .with("applied_at", last.at().toString());
        }
        return ready;
    }

    /** The drift text ("" when the kernel holds what was applied). */
    String drift() {
        return drift;
    }

    @Override
    public void metrics(MetricWriter out) {
        KernelState k = kernel;
        out.gauge("ruleset_installed", "1 while inet dhcp_inspection is installed and readable",
                report != null && kernelError.isEmpty() ? 1 : 0);
        out.gauge("ruleset_drift", "1 while the kernel's inet dhcp_inspection differs from what the daemon applied",
                kernelError.isEmpty() && !drift.isEmpty() ? 1 : 0);
        out.counter("firewall_applies", "rulesets applied to the kernel by the Firewall Manager (start included)",
                applies.get());
        firewall.now().ifPresent(m -> out.counter("firewall_apply_failures",
                "applies the kernel refused (the running ruleset untouched)", m.failedApplies()));
        out.counter("ruleset_drift_detected", "times the table was found changed behind the daemon's back",
                driftDetected.get());
        if (k == null) {
            return;
        }
        k.counters().forEach((name, c) -> {
            out.counter("nft_counter_packets", "packets of a named counter in inet dhcp_inspection", c.packets(),
                    "counter", name);
            out.counter("nft_counter_bytes", "bytes of a named counter in inet dhcp_inspection", c.bytes(),
                    "counter", name);
        });
        k.sets().forEach((name, s) -> {
            if (s.elements() >= 0) {
                out.gauge("nft_set_elements", "elements in an enforcement set", s.elements(), "set", name);
            }
            out.gauge("nft_set_size", "an enforcement set's capacity", s.size(), "set", name);
        });
    }

    /** The last kernel read (counters and set sizes), for the Flow Visualizer. */
    KernelState kernel() {
        return kernel;
    }
}
