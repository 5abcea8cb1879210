package io.dhcpshield.enforcement.ruleset;

/**
 * How DHCP packets reach the NFQUEUE reader. {@link #NATIVE_NFT}: the nft {@code queue} statement inside
 * {@code dhcp_inspect} (seed 001). {@link #XT_COMPAT}: the kernel lacks nft_queue (CONFIG_NFT_QUEUE unset), so the
 * xt NFQUEUE target is installed through iptables-nft in its own mangle chain and the nft chains keep the rest.
 */
public enum QueueMode {
    NATIVE_NFT("native-nft"),
    XT_COMPAT("xt-compat");

    private final String label;

    QueueMode(String label) { this.label = label; }

    public String label() { return label; }
}
