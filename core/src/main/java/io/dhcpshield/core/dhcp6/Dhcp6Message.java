package io.dhcpshield.core.dhcp6;

import io.dhcpshield.core.codec.ClientFqdn;
import io.dhcpshield.core.codec.DnsName;
import io.dhcpshield.core.codec.VendorData;
import io.dhcpshield.core.net.IpAddress;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A DHCPv6 client/server message (everything but the relay wrappers): type, transaction id and options in wire order,
 * with typed views of the options the product reads. Typed accessors return null (or false) when the option is absent
 * or malformed; the decoder reports the malformation as a fault.
 */
public record Dhcp6Message(Dhcp6MessageType type, int transactionId, List<Dhcp6Option> options) {

    public Dhcp6Message {
        options = List.copyOf(options);
    }

    /** The first instance of option {@code code}, or null. */
    public byte[] option(int code) {
        for (Dhcp6Option o : options) {
            if (o.code() == code) {
                return o.value();
            }
        }
        return null;
    }

    public boolean has(int code) {
        return option(code) != null;
    }

    public Duid clientId() {
        byte[] v = option(Dhcp6OptionCodes.CLIENTID);
        return v == null ? null : Duid.of(v);
    }

    public Duid serverId() {
        byte[] v = option(Dhcp6OptionCodes.SERVERID);
        return v == null ? null : Duid.of(v);
    }

    /** Option Request Option codes in the client's order (a fingerprint), or null. */
    public int[] requestedOptions() {
        byte[] v = option(Dhcp6OptionCodes.ORO);
        if (v == null || v.length % 2 != 0) {
            return null;
        }
        int[] codes = new int[v.length / 2];
        for (int i = 0; i < codes.length; i++) {
            codes[i] = ((v[2 * i] & 0xFF) << 8) | (v[2 * i + 1] & 0xFF);
        }
        return codes;
    }

    /** Elapsed time in hundredths of a second, or null. */
    public Integer elapsedTime() {
        byte[] v = option(Dhcp6OptionCodes.ELAPSED_TIME);
        return v != null && v.length == 2 ? ((v[0] & 0xFF) << 8) | (v[1] & 0xFF) : null;
    }

    public Integer preference() {
        byte[] v = option(Dhcp6OptionCodes.PREFERENCE);
        return v != null && v.length == 1 ? v[0] & 0xFF : null;
    }

    public boolean rapidCommit() {
        return has(Dhcp6OptionCodes.RAPID_COMMIT);
    }

    public boolean reconfigureAccept() {
        return has(Dhcp6OptionCodes.RECONF_ACCEPT);
    }

    /** The message type carried by OPTION_RECONF_MSG (19), or null. */
    public Integer reconfigureMessage() {
        byte[] v = option(Dhcp6OptionCodes.RECONF_MSG);
        return v != null && v.length == 1 ? v[0] & 0xFF : null;
    }

    public StatusCode statusCode() {
        return parseStatus(option(Dhcp6OptionCodes.STATUS_CODE));
    }

    /** Every IA_NA, IA_TA and IA_PD in wire order; null when any of them is malformed. */
    public List<IdentityAssociation> identityAssociations() {
        List<IdentityAssociation> out = new ArrayList<>();
        for (Dhcp6Option o : options) {
            IdentityAssociation.Kind kind = switch (o.code()) {
                case Dhcp6OptionCodes.IA_NA -> IdentityAssociation.Kind.NA;
                case Dhcp6OptionCodes.IA_TA -> IdentityAssociation.Kind.TA;
                case Dhcp6OptionCodes.IA_PD -> IdentityAssociation.Kind.PD;
                default -> null;
            };
            if (kind != null) {
                IdentityAssociation ia = parseIa(kind, o.value());
                if (ia == null) {
                    return null;
                }
                out.add(ia);
            }
        }
        return List.copyOf(out);
    }

    /** OPTION_USER_CLASS (15) items, or null. */
    public List<byte[]> userClass() {
        byte[] v = option(Dhcp6OptionCodes.USER_CLASS);
        return v == null ? null : lengthPrefixed(v, 0);
    }

    /** OPTION_VENDOR_CLASS (16): the enterprise number and its class-data items, or null. */
    public VendorData vendorClass() {
        byte[] v = option(Dhcp6OptionCodes.VENDOR_CLASS);
        return v == null || v.length < 4 ? null : new VendorData(u32(v, 0), Arrays.copyOfRange(v, 4, v.length));
    }

    /** The class-data items of OPTION_VENDOR_CLASS as text, or null. */
    public List<String> vendorClassItems() {
        VendorData vc = vendorClass();
        if (vc == null) {
            return null;
        }
        List<byte[]> items = lengthPrefixed(vc.data(), 0);
        if (items == null) {
            return null;
        }
        return items.stream().map(b -> new String(b, StandardCharsets.UTF_8)).toList();
    }

    /** OPTION_VENDOR_OPTS (17) instances: enterprise number and the raw encapsulated options. */
    public List<VendorData> vendorOptions() {
        List<VendorData> out = new ArrayList<>();
        for (Dhcp6Option o : options) {
            if (o.code() == Dhcp6OptionCodes.VENDOR_OPTS) {
                byte[] v = o.value();
                if (v.length < 4) {
                    return null;
                }
                out.add(new VendorData(u32(v, 0), Arrays.copyOfRange(v, 4, v.length)));
            }
        }
        return out.isEmpty() ? null : List.copyOf(out);
    }

    /** OPTION_CLIENT_FQDN (39): flags and the DNS wire-format name, or null. */
    public ClientFqdn clientFqdn() {
        byte[] v = option(Dhcp6OptionCodes.CLIENT_FQDN);
        if (v == null || v.length < 1) {
            return null;
        }
        String name = DnsName.decode(v, 1, v.length);
        return name == null ? null : new ClientFqdn(v[0] & 0xFF, -1, -1, name);
    }

    // ---------------------------------------------------------------- parsing shared with the decoder

    static StatusCode parseStatus(byte[] v) {
        if (v == null || v.length < 2) {
            return null;
        }
        return new StatusCode(((v[0] & 0xFF) << 8) | (v[1] & 0xFF),
                new String(v, 2, v.length - 2, StandardCharsets.UTF_8));
    }

    static IdentityAssociation parseIa(IdentityAssociation.Kind kind, byte[] v) {
        int fixed = kind == IdentityAssociation.Kind.TA ? 4 : 12;
        if (v.length < fixed) {
            return null;
        }
        long iaid = u32(v, 0);
        long t1 = kind == IdentityAssociation.Kind.TA ? -1 : u32(v, 4);
        long t2 = kind == IdentityAssociation.Kind.TA ? -1 : u32(v, 8);
        List<IaAddress> addresses = new ArrayList<>();
        List<IaPrefix> prefixes = new ArrayList<>();
        StatusCode status = null;
        int i = fixed;
        while (i < v.length) {
            if (i + 4 > v.length) {
                return null;
            }
            int code = u16(v, i);
            int len = u16(v, i + 2);
            if (i + 4 + len > v.length) {
                return null;
            }
            byte[] sub = Arrays.copyOfRange(v, i + 4, i + 4 + len);
            if (code == Dhcp6OptionCodes.IAADDR && kind != IdentityAssociation.Kind.PD) {
                if (len < 24) {
                    return null;
                }
                StatusCode st = nestedStatus(sub, 24);
                addresses.add(new IaAddress(IpAddress.of(Arrays.copyOfRange(sub, 0, 16)), u32(sub, 16), u32(sub, 20),
                        st));
            } else if (code == Dhcp6OptionCodes.IAPREFIX && kind == IdentityAssociation.Kind.PD) {
                if (len < 25) {
                    return null;
                }
                StatusCode st = nestedStatus(sub, 25);
                prefixes.add(new IaPrefix(IpAddress.of(Arrays.copyOfRange(sub, 9, 25)), sub[8] & 0xFF, u32(sub, 0),
                        u32(sub, 4), st));
            } else if (code == Dhcp6OptionCodes.STATUS_CODE) {
                status = parseStatus(sub);
                if (status == null) {
                    return null;
                }
            }
            i += 4 + len;
        }
        return new IdentityAssociation(kind, iaid, t1, t2, addresses, prefixes, status);
    }

    /** The status code among the options after {@code from}; null when none (malformed nesting also gives null). */
    private static StatusCode nestedStatus(byte[] v, int from) {
        int i = from;
        while (i + 4 <= v.length) {
            int code = u16(v, i);
            int len = u16(v, i + 2);
            if (i + 4 + len > v.length) {
                return null;
            }
            if (code == Dhcp6OptionCodes.STATUS_CODE) {
                return parseStatus(Arrays.copyOfRange(v, i + 4, i + 4 + len));
            }
            i += 4 + len;
        }
        return null;
    }

    /** Items each prefixed by a 2-byte length, from {@code from}; null when an item overruns. */
    static List<byte[]> lengthPrefixed(byte[] v, int from) {
        List<byte[]> out = new ArrayList<>();
        int i = from;
        while (i < v.length) {
            if (i + 2 > v.length || i + 2 + u16(v, i) > v.length) {
                return null;
            }
            int len = u16(v, i);
            out.add(Arrays.copyOfRange(v, i + 2, i + 2 + len));
            i += 2 + len;
        }
        return List.copyOf(out);
    }

    static int u16(byte[] v, int i) {
        return ((v[i] & 0xFF) << 8) | (v[i + 1] & 0xFF);
    }

    static long u32(byte[] v, int i) {
        return ((v[i] & 0xFFL) << 24) | ((v[i + 1] & 0xFF) << 16) | ((v[i + 2] & 0xFF) << 8) | (v[i + 3] & 0xFF);
    }
}
