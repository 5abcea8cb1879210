package io.dhcpshield.enforcement.kernel;

import io.dhcpshield.enforcement.ruleset.ProfileValidationException;
import io.dhcpshield.enforcement.ruleset.QueueMode;
import io.dhcpshield.enforcement.ruleset.Ruleset;
import io.dhcpshield.enforcement.ruleset.RulesetBuilder;
import io.dhcpshield.enforcement.ruleset.RulesetJson;
import io.dhcpshield.enforcement.ruleset.ThrottlingProfile;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Installs a profile's ruleset: validate the profile, probe the queue capability, dry-run the batch in the kernel,
 * then commit it as one transaction touching only {@code inet dhcp_inspection}. Any failure before the commit
 * leaves the running ruleset exactly as it was, and the report carries the kernel's own error text.
 */
public final class RulesetInstaller {
    private static final Logger LOG = LoggerFactory.getLogger(RulesetInstaller.class);

    private final Nftables nft;

    public RulesetInstaller(Nftables nft) {
        this.nft = Objects.requireNonNull(nft, "nft");
    }

    /** {@code forcedMode} null: probe the kernel and pick the mode. */
    public InstallReport install(ThrottlingProfile profile, QueueMode forcedMode) {
        QueueCapability.Probe probe = QueueCapability.probe(nft);
        QueueMode mode = forcedMode != null ? forcedMode : probe.mode();
        Ruleset ruleset;
        try {
            ruleset = RulesetBuilder.build(profile, mode);
        } catch (ProfileValidationException e) {
            return failed(profile, mode, probe, "validate", e.getMessage(), 0, 0, 0);
        }
        String batch = RulesetJson.compact(RulesetJson.installBatch(ruleset));
        long t0 = System.nanoTime();
        NftResult dry = nft.run(batch, true);
        double dryMs = (System.nanoTime() - t0) / 1e6;
        if (!dry.ok()) return failed(profile, mode, probe, "dry-run", dry.error(), batch.length(), dryMs, 0);
        long t1 = System.nanoTime();
        NftResult applied = nft.run(batch, false);
        double applyMs = (System.nanoTime() - t1) / 1e6;
        if (!applied.ok()) return failed(profile, mode, probe, "commit", applied.error(), batch.length(), dryMs, applyMs);
        if (mode == QueueMode.XT_COMPAT) {
            String err = XtQueueRules.install(profile.inboundQueueCount(), profile.queueCount());
            if (!err.isEmpty()) {
                // The nft table is in place (enforcement works); without the queue rule nothing is inspected.
                return failed(profile, mode, probe, "xt-queue", err, batch.length(), dryMs, applyMs);
            }
        } else {
            XtQueueRules.remove(); // a previous xt-compat install must not queue packets twice
        }
        LOG.info("installed inet {} profile {} queue mode {} ({} chains, {} sets, {} counters, {} rules) in {} ms",
                Ruleset.TABLE, profile.name(), mode.label(), ruleset.chains().size(), ruleset.sets().size(),
                ruleset.counters().size(), ruleset.rules().size(), String.format("%.1f", applyMs));
        return new InstallReport(true, profile.name(), mode.label(), probe.kernelAnswer(), ruleset.chains().size(),
                ruleset.sets().size(), ruleset.counters().size(), ruleset.rules().size(), batch.length(), dryMs,
                applyMs, "done", "");
    }

    /** Removes our table and xt chains; every other table stays. */
    public NftResult remove() {
        XtQueueRules.remove();
        return nft.run(RulesetJson.compact(RulesetJson.deleteBatch(Ruleset.FAMILY, Ruleset.TABLE)));
    }

    private static InstallReport failed(ThrottlingProfile p, QueueMode mode, QueueCapability.Probe probe, String stage,
                                        String error, int bytes, double dryMs, double applyMs) {
        LOG.error("ruleset install of profile {} failed at {}: {}", p.name(), stage, error);
        return new InstallReport(false, p.name(), mode.label(), probe.kernelAnswer(), 0, 0, 0, 0, bytes, dryMs,
                applyMs, stage, error);
    }
}
