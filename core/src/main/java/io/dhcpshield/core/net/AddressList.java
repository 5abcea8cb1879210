package io.dhcpshield.core.net;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * An operator's list of hosts, written as one text (comma or white-space separated): IPv4/IPv6 addresses, prefixes
 * ({@code 198.19.0.0/24}), MAC addresses ({@code 02:00:5e:00:02:02}) and DHCPv6 DUIDs ({@code duid:00030001...}, hex
 * with or without colons). Used for the rogue-server allow-list. Parsing fails with the offending entry named.
 */
public final class AddressList {

    private record Prefix(byte[] net, int bits) {
        boolean contains(byte[] a) {
            if (a.length != net.length) {
                return false;
            }
            int full = bits / 8;
            for (int i = 0; i < full; i++) {
                if (a[i] != net[i]) {
                    return false;
                }
            }
            int rest = bits % 8;
            if (rest == 0) {
                return true;
            }
            int mask = (0xff << (8 - rest)) & 0xff;
            return (a[full] & mask) == (net[full] & mask);
        }
    }

    private final String text;
    private final List<Prefix> prefixes;
    private final Set<Long> macs;
    private final Set<String> duids;

    private AddressList(String text, List<Prefix> prefixes, Set<Long> macs, Set<String> duids) {
        this.text = text;
        this.prefixes = prefixes;
        this.macs = macs;
        this.duids = duids;
    }

    public static final AddressList EMPTY = new AddressList("", List.of(), Set.of(), Set.of());

    /** Parses the list; throws {@link IllegalArgumentException} naming the first entry that is none of the forms. */
    public static AddressList parse(String text) {
        String t = text == null ? "" : text.strip();
        List<Prefix> prefixes = new ArrayList<>();
        Set<Long> macs = new HashSet<>();
        Set<String> duids = new HashSet<>();
        for (String raw : t.split("[,\\s]+")) {
            String e = raw.strip();
            if (e.isEmpty()) {
                continue;
            }
            String lower = e.toLowerCase(Locale.ROOT);
            if (lower.startsWith("duid:")) {
                String hex = lower.substring(5).replace(":", "");
                if (hex.length() < 4 || hex.length() > 260 || hex.length() % 2 != 0 || !hex.matches("[0-9a-f]+")) {
                    throw new IllegalArgumentException("not a DUID (duid:<hex>): '" + e + "'");
                }
                duids.add(hex);
                continue;
            }
            if (lower.matches("([0-9a-f]{2}[:-]){5}[0-9a-f]{2}")) {
                macs.add(MacAddress.parse(lower).value());
                continue;
            }
            int slash = e.indexOf('/');
            try {
                IpAddress ip = IpAddress.parse(slash < 0 ? e : e.substring(0, slash));
                byte[] b = ip.toBytes();
                int bits = b.length * 8;
                if (slash >= 0) {
                    bits = Integer.parseInt(e.substring(slash + 1));
                    if (bits < 0 || bits > b.length * 8) {
                        throw new IllegalArgumentException("prefix length out of range");
                    }
                }
                prefixes.add(new Prefix(b, bits));
            } catch (IllegalArgumentException ex) {
                throw new IllegalArgumentException("not an IP address, prefix, MAC or duid:<hex>: '" + e + "'");
            }
        }
        return new AddressList(t, List.copyOf(prefixes), Set.copyOf(macs), Set.copyOf(duids));
    }

    public boolean isEmpty() {
        return prefixes.isEmpty() && macs.isEmpty() && duids.isEmpty();
    }

    public boolean contains(IpAddress ip) {
        if (ip == null) {
            return false;
        }
        byte[] b = ip.toBytes();
        for (Prefix p : prefixes) {
            if (p.contains(b)) {
                return true;
            }
        }
        return false;
    }

    public boolean contains(MacAddress mac) {
        return mac != null && macs.contains(mac.value());
    }

    /** Whether a DUID (hex, colons allowed, any case) is listed. */
    public boolean containsDuid(String duid) {
        return duid != null && !duid.isEmpty()
                && duids.contains(duid.toLowerCase(Locale.ROOT).replace(":", "").replace("-", ""));
    }

    @Override
    public String toString() {
        return text;
    }
}
