package io.dhcpshield.processor;

import io.dhcpshield.core.metrics.MetricWriter;
import io.dhcpshield.core.service.Deferred;
import io.dhcpshield.core.service.Readiness;
import io.dhcpshield.core.service.Service;
import io.dhcpshield.enforcement.EnforcementTool;
import io.dhcpshield.enforcement.kernel.InstallReport;
import io.dhcpshield.enforcement.kernel.KernelState;
import io.dhcpshield.enforcement.kernel.Nftables;
import io.dhcpshield.enforcement.kernel.RulesetInstaller;
import io.dhcpshield.enforcement.kernel.RulesetShape;
import io.dhcpshield.enforcement.ruleset.QueueMode;
import io.dhcpshield.enforcement.ruleset.ThrottlingProfile;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.scheduler.Scheduler;

import java.io.IOException;
import java.util.concurrent.TimeUnit;

/**
 * Installs {@code inet dhcp_inspection} from the configured profile with the queue range of
 * {@code nfqueue.queue_count} (a failure stops the start with the kernel's own error text), then reads the kernel's
 * named counters and set sizes every {@link #KERNEL_READ_SECONDS} seconds so reports never wait on the kernel.
 */
final class RulesetService implements Service {

    private static final Logger log = LoggerFactory.getLogger(RulesetService.class);
    static final int KERNEL_READ_SECONDS = 10;

    private final String profileSpec;
    private final String queueMode;
    private final int queueCount;
    private final Scheduler scheduler;
    private final Deferred<ThrottlingProfile> installed = new Deferred<>("ruleset", "not installed yet");
    private volatile InstallReport report;
    private volatile KernelState kernel;
    private volatile String kernelError = "";
    /** The table's shape right after the install: what the kernel must keep. */
    private volatile RulesetShape installedShape;
    /** How the kernel's table differs from {@link #installedShape} ("" when it does not). */
    private volatile String drift = "";
    private Disposable reader;

    RulesetService(String profileSpec, String queueMode, int queueCount, Scheduler scheduler) {
        this.profileSpec = profileSpec;
        this.queueMode = queueMode;
        this.queueCount = queueCount;
        this.scheduler = scheduler;
    }

    /** The installed profile, once installed. */
    Deferred<ThrottlingProfile> installed() {
        return installed;
    }

    @Override
    public String name() {
        return "ruleset";
    }

    @Override
    public void start() throws IOException {
        ThrottlingProfile p = EnforcementTool.loadProfile(profileSpec);
        p = new ThrottlingProfile(p.name(), queueCount, p.throttle(), p.defaultRateLimit(), p.rateLimits(), p.sets());
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
        installed.complete(p);
        try {
            installedShape = RulesetShape.read();
        } catch (RuntimeException e) {
            log.warn("ruleset: could not read the installed table's shape; drift is not checked: {}", e.getMessage());
        }
        readKernel();
        reader = scheduler.schedulePeriodically(this::readKernel, KERNEL_READ_SECONDS, KERNEL_READ_SECONDS,
                TimeUnit.SECONDS);
    }

    private void readKernel() {
        try (Nftables nft = new Nftables()) {
            kernel = KernelState.read(nft, true);
            kernelError = "";
            RulesetShape base = installedShape;
            if (base != null) {
                String d = RulesetShape.read().differencesFrom(base);
                if (!d.equals(drift) && !d.isEmpty()) {
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
        return ready.with("profile", r.profile()).with("queue_mode", r.queueMode()).with("kernel", r.probe());
    }

    @Override
    public void metrics(MetricWriter out) {
        KernelState k = kernel;
        out.gauge("ruleset_installed", "1 while inet dhcp_inspection is installed and readable",
                report != null && kernelError.isEmpty() ? 1 : 0);
        out.gauge("ruleset_drift", "1 while the kernel's inet dhcp_inspection differs from what the daemon installed",
                kernelError.isEmpty() && !drift.isEmpty() ? 1 : 0);
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
}
