package io.dhcpshield.enforcement.kernel;

import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.Pointer;

/** The libnftables C API (nftables 1.0.6, {@code libnftables.so.1}); the only native seam of this module. */
interface LibNftables extends Library {
    int NFT_CTX_DEFAULT = 0;
    int NFT_CTX_OUTPUT_HANDLE = 1 << 3;
    int NFT_CTX_OUTPUT_JSON = 1 << 4;
    /** Omits stateful values (counter packets/bytes, quota use). */
    int NFT_CTX_OUTPUT_STATELESS = 1 << 2;
    /** Omits set elements. */
    int NFT_CTX_OUTPUT_TERSE = 1 << 11;

    LibNftables INSTANCE = Native.load("nftables", LibNftables.class);

    Pointer nft_ctx_new(int flags);

    void nft_ctx_free(Pointer ctx);

    int nft_ctx_buffer_output(Pointer ctx);

    int nft_ctx_buffer_error(Pointer ctx);

    String nft_ctx_get_output_buffer(Pointer ctx);

    String nft_ctx_get_error_buffer(Pointer ctx);

    void nft_ctx_set_dry_run(Pointer ctx, boolean dry);

    void nft_ctx_output_set_flags(Pointer ctx, int flags);

    int nft_run_cmd_from_buffer(Pointer ctx, String buf);
}
