package io.dhcpshield.core.dhcp6;

import io.dhcpshield.core.net.MacAddress;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;

/**
 * A DHCP Unique Identifier (RFC 8415 section 11, RFC 6355 for UUID). Kept as raw bytes; the accessors read the
 * fields of the four defined types and return -1 or null for fields a type does not have or a value too short for
 * its type.
 */
public final class Duid {

    public static final int LLT = 1;
    public static final int EN = 2;
    public static final int LL = 3;
    public static final int UUID = 4;

    private final byte[] raw;

    private Duid(byte[] raw) {
        this.raw = raw;
    }

    public static Duid of(byte[] raw) {
        return new Duid(Objects.requireNonNull(raw, "raw").clone());
    }

    public byte[] raw() {
        return raw.clone();
    }

    /** The DUID type, or -1 when there are fewer than two bytes. */
    public int type() {
        return raw.length >= 2 ? u16(0) : -1;
    }

    /** {@code LLT}, {@code EN}, {@code LL}, {@code UUID}, or {@code type-N}. */
    public String typeName() {
        return switch (type()) {
            case LLT -> "LLT";
            case EN -> "EN";
            case LL -> "LL";
            case UUID -> "UUID";
            default -> "type-" + type();
        };
    }

    /** The hardware type of an LLT or LL DUID, else -1. */
    public int hardwareType() {
        int t = type();
        return (t == LLT && raw.length >= 8) || (t == LL && raw.length >= 4) ? u16(2) : -1;
    }

    /** Seconds since 2000-01-01 UTC in an LLT DUID, else -1. */
    public long time() {
        return type() == LLT && raw.length >= 8 ? u32(4) : -1;
    }

    /** The link-layer address of an LLT or LL DUID, else null. */
    public byte[] linkLayerAddress() {
        int t = type();
        if (t == LLT && raw.length >= 8) {
            return Arrays.copyOfRange(raw, 8, raw.length);
        }
        if (t == LL && raw.length >= 4) {
            return Arrays.copyOfRange(raw, 4, raw.length);
        }
        return null;
    }

    /** The Ethernet MAC of an LLT or LL DUID with hardware type 1 and a 6-byte address, else null. */
    public MacAddress mac() {
        byte[] ll = linkLayerAddress();
        return hardwareType() == 1 && ll != null && ll.length == 6 ? MacAddress.of(ll) : null;
    }

    /** The enterprise number of an EN DUID, else -1. */
    public long enterpriseNumber() {
        return type() == EN && raw.length >= 6 ? u32(2) : -1;
    }

    /** The identifier of an EN DUID, else null. */
    public byte[] identifier() {
        return type() == EN && raw.length >= 6 ? Arrays.copyOfRange(raw, 6, raw.length) : null;
    }

    /** The UUID of a UUID DUID (exactly 16 bytes after the type), else null. */
    public java.util.UUID uuid() {
        if (type() != UUID || raw.length != 18) {
            return null;
        }
        long hi = 0;
        long lo = 0;
        for (int i = 0; i < 8; i++) {
            hi = (hi << 8) | (raw[2 + i] & 0xFF);
            lo = (lo << 8) | (raw[10 + i] & 0xFF);
        }
        return new java.util.UUID(hi, lo);
    }

    /** True when the DUID is long enough for the fixed fields of its type. */
    public boolean isWellFormed() {
        return switch (type()) {
            case LLT -> raw.length > 8;
            case EN -> raw.length > 6;
            case LL -> raw.length > 4;
            case UUID -> raw.length == 18;
            case -1 -> false;
            default -> true;
        };
    }

    private int u16(int i) {
        return ((raw[i] & 0xFF) << 8) | (raw[i + 1] & 0xFF);
    }

    private long u32(int i) {
        return ((raw[i] & 0xFFL) << 24) | ((raw[i + 1] & 0xFF) << 16) | ((raw[i + 2] & 0xFF) << 8) | (raw[i + 3] & 0xFF);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Duid d && Arrays.equals(raw, d.raw);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(raw);
    }

    /** Colon-separated hex, the way tshark prints {@code dhcpv6.duid.bytes}. */
    @Override
    public String toString() {
        return HexFormat.ofDelimiter(":").formatHex(raw);
    }
}
