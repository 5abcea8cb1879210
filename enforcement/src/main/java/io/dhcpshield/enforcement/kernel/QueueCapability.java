package io.dhcpshield.enforcement.kernel;

import io.dhcpshield.enforcement.ruleset.QueueMode;

/**
 * The start-up probe: does this kernel have the nft {@code queue} expression? A dry-run batch with a queue rule
 * in a throw-away table asks the kernel itself (nothing is committed). Without it: ENOENT, and we use xt NFQUEUE.
 */
public final class QueueCapability {
    static final String PROBE = "add table inet dhcp_shield_probe; add chain inet dhcp_shield_probe probe; "
            + "add rule inet dhcp_shield_probe probe queue num 1 bypass";

    private QueueCapability() {}

    public record Probe(QueueMode mode, String kernelAnswer) {}

    public static Probe probe(Nftables nft) {
        NftResult r = nft.run(PROBE, true);
        return r.ok() ? new Probe(QueueMode.NATIVE_NFT, "nft queue expression available")
                : new Probe(QueueMode.XT_COMPAT, "nft queue expression missing: " + firstLine(r.error()));
    }

    static String firstLine(String s) {
        int i = s.indexOf('\n');
        return i < 0 ? s : s.substring(0, i);
    }
}
