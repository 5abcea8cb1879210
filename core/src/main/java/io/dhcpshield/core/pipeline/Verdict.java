package io.dhcpshield.core.pipeline;

/** The netfilter verdict returned for a queued packet (the kernel's NF_DROP / NF_ACCEPT codes). */
public enum Verdict {
    DROP(0),
    ACCEPT(1);

    private final int code;

    Verdict(int code) {
        this.code = code;
    }

    /** The value sent in NFQA_VERDICT_HDR. */
    public int code() {
        return code;
    }
}
