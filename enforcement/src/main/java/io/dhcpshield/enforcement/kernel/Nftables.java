package io.dhcpshield.enforcement.kernel;

import com.sun.jna.Pointer;

/**
 * A libnftables context for one command at a time: JSON output, buffered output and error so the kernel's error
 * text reaches our reports. Commands act on the network namespace of the calling thread.
 */
public final class Nftables implements AutoCloseable {
    private final LibNftables lib;
    private final Pointer ctx;

    public Nftables() {
        this(0);
    }

    /** @param outputFlags more {@code NFT_CTX_OUTPUT_*} flags besides JSON (terse, stateless) */
    public Nftables(int outputFlags) {
        this.lib = LibNftables.INSTANCE;
        this.ctx = lib.nft_ctx_new(LibNftables.NFT_CTX_DEFAULT);
        if (ctx == null) throw new IllegalStateException("nft_ctx_new failed");
        lib.nft_ctx_output_set_flags(ctx, LibNftables.NFT_CTX_OUTPUT_JSON | outputFlags);
        lib.nft_ctx_buffer_output(ctx);
        lib.nft_ctx_buffer_error(ctx);
    }

    /**
     * A context that lists terse and stateless: no set elements, no counter values (a table's shape costs no set
     * dump).
     */
    public static Nftables terseStateless() {
        return new Nftables(LibNftables.NFT_CTX_OUTPUT_TERSE | LibNftables.NFT_CTX_OUTPUT_STATELESS);
    }

    /** Runs a command (nft syntax or libnftables JSON); {@code dryRun} validates in the kernel without commit. */
    public synchronized NftResult run(String command, boolean dryRun) {
        lib.nft_ctx_set_dry_run(ctx, dryRun);
        try {
            int rc = lib.nft_run_cmd_from_buffer(ctx, command);
            String out = lib.nft_ctx_get_output_buffer(ctx);
            String err = lib.nft_ctx_get_error_buffer(ctx);
            return new NftResult(rc, out == null ? "" : out, err == null ? "" : err.strip());
        } finally {
            lib.nft_ctx_set_dry_run(ctx, false);
        }
    }

    public NftResult run(String command) { return run(command, false); }

    @Override
    public synchronized void close() { lib.nft_ctx_free(ctx); }
}
