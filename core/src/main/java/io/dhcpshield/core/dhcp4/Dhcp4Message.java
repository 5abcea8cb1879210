package io.dhcpshield.core.dhcp4;

import io.dhcpshield.core.codec.ClientFqdn;
import io.dhcpshield.core.codec.DnsName;
import io.dhcpshield.core.codec.VendorData;
import io.dhcpshield.core.net.IpAddress;
import io.dhcpshield.core.net.MacAddress;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A decoded DHCPv4 (or BOOTP) message: the fixed header, every option TLV in wire order, and typed views of the
 * options the product reads. Typed accessors apply RFC 3396 (all instances of a code concatenated, options field
 * first, then {@code file}, then {@code sname}) and return null when the option is absent or malformed.
 */
public record Dhcp4Message(
        int op, int htype, int hlen, int hops, long xid, int secs, int flags,
        IpAddress ciaddr, IpAddress yiaddr, IpAddress siaddr, IpAddress giaddr,
        byte[] chaddr, String serverName, String bootFile,
        boolean cookieValid, int overload, List<Dhcp4Option> options) {

    public Dhcp4Message {
        options = List.copyOf(options);
    }

    /** Option 53, or {@link Dhcp4MessageType#BOOTP} when absent. */
    public Dhcp4MessageType messageType() {
        byte[] v = option(Dhcp4OptionCodes.MESSAGE_TYPE);
        return v == null || v.length < 1 ? Dhcp4MessageType.BOOTP : Dhcp4MessageType.valueOf(v[0] & 0xFF);
    }

    /** True when at least one instance of {@code code} is present. */
    public boolean has(int code) {
        for (Dhcp4Option o : options) {
            if (o.code() == code) {
                return true;
            }
        }
        return false;
    }

    /**
     * The value of option {@code code} with every instance concatenated (RFC 3396), or null when absent. The decoder
     * lists options area by area (options field, then {@code file}, then {@code sname}), which is the RFC's
     * concatenation order, so one pass in list order is enough.
     */
    public byte[] option(int code) {
        byte[] first = null;
        ByteArrayOutputStream more = null;
        for (Dhcp4Option o : options) {
            if (o.code() != code) {
                continue;
            }
            if (first == null) {
                first = o.value();
            } else {
                if (more == null) {
                    more = new ByteArrayOutputStream();
                    more.writeBytes(first);
                }
                more.writeBytes(o.value());
            }
        }
        return more != null ? more.toByteArray() : first;
    }

    /** The client hardware address when it is an Ethernet MAC (htype 1, hlen 6). */
    public MacAddress chaddrMac() {
        return htype == 1 && hlen == 6 && chaddr.length >= 6 ? MacAddress.of(java.util.Arrays.copyOf(chaddr, 6)) : null;
    }

    public String hostname() {
        return text(Dhcp4OptionCodes.HOSTNAME);
    }

    public IpAddress requestedAddress() {
        return address(Dhcp4OptionCodes.REQUESTED_ADDRESS);
    }

    public IpAddress serverId() {
        return address(Dhcp4OptionCodes.SERVER_ID);
    }

    public IpAddress subnetSelection() {
        return address(Dhcp4OptionCodes.SUBNET_SELECTION);
    }

    /** Option 51 in seconds, or null. */
    public Long leaseTime() {
        return seconds(Dhcp4OptionCodes.LEASE_TIME);
    }

    public Long renewalTime() {
        return seconds(Dhcp4OptionCodes.RENEWAL_TIME);
    }

    public Long rebindingTime() {
        return seconds(Dhcp4OptionCodes.REBINDING_TIME);
    }

    /** Option 55 as codes in the client's order: the order is part of the device fingerprint. */
    public int[] parameterRequestList() {
        byte[] v = option(Dhcp4OptionCodes.PARAMETER_REQUEST_LIST);
        if (v == null) {
            return null;
        }
        int[] codes = new int[v.length];
        for (int i = 0; i < v.length; i++) {
            codes[i] = v[i] & 0xFF;
        }
        return codes;
    }

    public Integer maxMessageSize() {
        byte[] v = option(Dhcp4OptionCodes.MAX_MESSAGE_SIZE);
        return v != null && v.length == 2 ? ((v[0] & 0xFF) << 8) | (v[1] & 0xFF) : null;
    }

    public String vendorClass() {
        return text(Dhcp4OptionCodes.VENDOR_CLASS);
    }

    /** Option 61 raw (type byte first). */
    public byte[] clientId() {
        return option(Dhcp4OptionCodes.CLIENT_ID);
    }

    /**
     * Option 77: RFC 3004 instances when the value parses as length-prefixed items, else the whole value as one item
     * (many clients send a bare string).
     */
    public List<byte[]> userClass() {
        byte[] v = option(Dhcp4OptionCodes.USER_CLASS);
        if (v == null) {
            return null;
        }
        List<byte[]> items = new ArrayList<>();
        int i = 0;
        while (i < v.length) {
            int len = v[i] & 0xFF;
            if (len == 0 || i + 1 + len > v.length) {
                return List.of(v);
            }
            items.add(java.util.Arrays.copyOfRange(v, i + 1, i + 1 + len));
            i += 1 + len;
        }
        return items.isEmpty() ? List.of(v) : List.copyOf(items);
    }

    /** Option 81: flags, the two RCODEs and the name (DNS wire format when the E flag is set, else ASCII). */
    public ClientFqdn clientFqdn() {
        byte[] v = option(Dhcp4OptionCodes.CLIENT_FQDN);
        if (v == null || v.length < 3) {
            return null;
        }
        int flags = v[0] & 0xFF;
        String name = (flags & 0x04) != 0
                ? DnsName.decode(v, 3, v.length)
                : new String(v, 3, v.length - 3, StandardCharsets.ISO_8859_1);
        return name == null ? null : new ClientFqdn(flags, v[1] & 0xFF, v[2] & 0xFF, name);
    }

    /** Option 82 with its sub-options, or null when absent or when a sub-option overruns it. */
    public RelayAgentInfo relayAgentInfo() {
        byte[] v = option(Dhcp4OptionCodes.RELAY_AGENT_INFO);
        if (v == null) {
            return null;
        }
        List<RelayAgentInfo.SubOption> subs = new ArrayList<>();
        int i = 0;
        while (i < v.length) {
            if (i + 2 > v.length || i + 2 + (v[i + 1] & 0xFF) > v.length) {
                return null;
            }
            int len = v[i + 1] & 0xFF;
            subs.add(new RelayAgentInfo.SubOption(v[i] & 0xFF, java.util.Arrays.copyOfRange(v, i + 2, i + 2 + len)));
            i += 2 + len;
        }
        return new RelayAgentInfo(subs);
    }

    /** Option 124 (RFC 3925): one entry per enterprise, data = the opaque class data (length-prefixed items). */
    public List<VendorData> vendorIdentifyingClasses() {
        return vendorList(Dhcp4OptionCodes.VENDOR_IDENTIFYING_CLASS);
    }

    /** Option 125 (RFC 3925): one entry per enterprise, data = that enterprise's sub-options. */
    public List<VendorData> vendorIdentifyingInfo() {
        return vendorList(Dhcp4OptionCodes.VENDOR_IDENTIFYING_INFO);
    }

    private List<VendorData> vendorList(int code) {
        byte[] v = option(code);
        if (v == null) {
            return null;
        }
        List<VendorData> out = new ArrayList<>();
        int i = 0;
        while (i < v.length) {
            if (i + 5 > v.length || i + 5 + (v[i + 4] & 0xFF) > v.length) {
                return null;
            }
            long enterprise = ((v[i] & 0xFFL) << 24) | ((v[i + 1] & 0xFF) << 16) | ((v[i + 2] & 0xFF) << 8)
                    | (v[i + 3] & 0xFF);
            int len = v[i + 4] & 0xFF;
            out.add(new VendorData(enterprise, java.util.Arrays.copyOfRange(v, i + 5, i + 5 + len)));
            i += 5 + len;
        }
        return List.copyOf(out);
    }

    private String text(int code) {
        byte[] v = option(code);
        return v == null ? null : new String(v, StandardCharsets.UTF_8);
    }

    private IpAddress address(int code) {
        byte[] v = option(code);
        return v != null && v.length == 4 ? IpAddress.of(v) : null;
    }

    private Long seconds(int code) {
        byte[] v = option(code);
        return v != null && v.length == 4
                ? ((v[0] & 0xFFL) << 24) | ((v[1] & 0xFF) << 16) | ((v[2] & 0xFF) << 8) | (v[3] & 0xFF)
                : null;
    }
}
