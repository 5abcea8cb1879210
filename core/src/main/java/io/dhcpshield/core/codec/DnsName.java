package io.dhcpshield.core.codec;

import java.nio.charset.StandardCharsets;

/**
 * Domain names in DNS wire format (RFC 1035 labels, no compression) as DHCP carries them in the client FQDN options
 * (v4 81 with the E flag, v6 39) and in domain lists.
 */
public final class DnsName {

    private DnsName() {
    }

    /**
     * Decodes labels from {@code data[from, to)}; stops at the root label or the end. Returns null when a label runs
     * past the end (the caller reports the fault).
     */
    public static String decode(byte[] data, int from, int to) {
        StringBuilder sb = new StringBuilder(to - from);
        int i = from;
        while (i < to) {
            int len = data[i] & 0xFF;
            if (len == 0) {
                break;
            }
            if (len > 63 || i + 1 + len > to) {
                return null;
            }
            if (sb.length() > 0) {
                sb.append('.');
            }
            sb.append(new String(data, i + 1, len, StandardCharsets.ISO_8859_1));
            i += 1 + len;
        }
        return sb.toString();
    }
}
