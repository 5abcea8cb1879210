package io.dhcpshield.automation;

import io.dhcpshield.core.net.MacAddress;
import io.r2dbc.spi.Row;

import java.time.Instant;

/** Reading the driver's values (numbers may come as text: 18.16's TSV); shared by the module's readers. */
public final class Rows {

    private Rows() {
    }

    public static String str(Row row, int i) {
        Object v = row.get(i);
        return v == null ? "" : String.valueOf(v);
    }

    public static long num(Row row, int i) {
        Object v = row.get(i);
        if (v instanceof Number n) {
            return n.longValue();
        }
        String s = v == null ? "" : String.valueOf(v).strip();
        return s.isEmpty() ? 0 : new java.math.BigInteger(s).longValue();
    }

    public static MacAddress mac(Row row, int i) {
        return new MacAddress(num(row, i));
    }

    public static Instant second(Row row, int i) {
        return Instant.ofEpochSecond(num(row, i));
    }

    /** A 24-bit client mark as the events show it: {@code 0x00f001}. */
    public static String mark(long clientMark) {
        String h = Long.toHexString(clientMark & 0xFF_FFFFL);
        return "0x" + "0".repeat(6 - h.length()) + h;
    }

    /** A stored relay address as text: a mapped IPv4 address without its {@code ::ffff:} prefix. */
    public static String relay(String ipv6Text) {
        if (ipv6Text.equals("::")) {
            return "";
        }
        return ipv6Text.startsWith("::ffff:") && ipv6Text.indexOf('.') > 0 ? ipv6Text.substring(7) : ipv6Text;
    }
}
