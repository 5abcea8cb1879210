package io.dhcpshield.core.dhcp4;

import io.dhcpshield.core.codec.DecodeError;
import io.dhcpshield.core.codec.Faults;
import io.dhcpshield.core.net.IpAddress;
import io.netty.buffer.ByteBuf;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Full DHCPv4 decode of the bytes after the UDP header. Never throws for any input: faults are recorded and what
 * could be read is returned (header fields that were cut short read as zero).
 */
public final class Dhcp4Decoder {

    private static final int FIXED_HEADER = 236;
    private static final int OPTIONS_START = 240;
    private static final int SNAME = 44;
    private static final int FILE = 108;
    private static final int MAGIC_COOKIE = 0x63825363;

    private Dhcp4Decoder() {
    }

    public static Dhcp4Message decode(ByteBuf buf, int d, int n, Faults faults) {
        int op = n > 0 ? buf.getUnsignedByte(d) : 0;
        int htype = n > 1 ? buf.getUnsignedByte(d + 1) : 0;
        int hlen = n > 2 ? buf.getUnsignedByte(d + 2) : 0;
        int hops = n > 3 ? buf.getUnsignedByte(d + 3) : 0;
        long xid = n >= 8 ? buf.getUnsignedInt(d + 4) : 0;
        int secs = n >= 10 ? buf.getUnsignedShort(d + 8) : 0;
        int flags = n >= 12 ? buf.getUnsignedShort(d + 10) : 0;
        IpAddress ciaddr = n >= 16 ? IpAddress.readV4(buf, d + 12) : IpAddress.V4_ANY;
        IpAddress yiaddr = n >= 20 ? IpAddress.readV4(buf, d + 16) : IpAddress.V4_ANY;
        IpAddress siaddr = n >= 24 ? IpAddress.readV4(buf, d + 20) : IpAddress.V4_ANY;
        IpAddress giaddr = n >= 28 ? IpAddress.readV4(buf, d + 24) : IpAddress.V4_ANY;
        byte[] chaddr = new byte[Math.max(0, Math.min(Math.min(hlen, 16), n - 28))];
        if (chaddr.length > 0) {
            buf.getBytes(d + 28, chaddr);
        }
        if (n < OPTIONS_START) {
            faults.add(DecodeError.TRUNCATED_HEADER, d + Math.max(0, n), "DHCPv4 message is " + n + " bytes");
            return new Dhcp4Message(op, htype, hlen, hops, xid, secs, flags, ciaddr, yiaddr, siaddr, giaddr, chaddr,
                    null, null, false, 0, List.of());
        }
        int cookie = buf.getInt(d + FIXED_HEADER);
        if (cookie != MAGIC_COOKIE) {
            faults.add(DecodeError.BAD_MAGIC_COOKIE, d + FIXED_HEADER, String.format("0x%08x", cookie));
            return new Dhcp4Message(op, htype, hlen, hops, xid, secs, flags, ciaddr, yiaddr, siaddr, giaddr, chaddr,
                    cString(buf, d + SNAME, 64), cString(buf, d + FILE, 128), false, 0, List.of());
        }
        List<Dhcp4Option> options = new ArrayList<>(16);
        readArea(buf, d + OPTIONS_START, d + n, Dhcp4Option.Area.OPTIONS, options, faults, d);
        int overload = 0;
        for (Dhcp4Option o : options) {
            if (o.code() == Dhcp4OptionCodes.OVERLOAD && o.value().length == 1) {
                overload = o.value()[0] & 0xFF;
                if (overload < 1 || overload > 3) {
                    faults.add(DecodeError.BAD_OVERLOAD, d + o.offset(), "option 52 = " + overload);
                }
                break;
            }
        }
        boolean fileHasOptions = overload == 1 || overload == 3;
        boolean snameHasOptions = overload == 2 || overload == 3;
        if (fileHasOptions) {
            readArea(buf, d + FILE, d + FILE + 128, Dhcp4Option.Area.FILE, options, faults, d);
        }
        if (snameHasOptions) {
            readArea(buf, d + SNAME, d + SNAME + 64, Dhcp4Option.Area.SNAME, options, faults, d);
        }
        Dhcp4Message m = new Dhcp4Message(op, htype, hlen, hops, xid, secs, flags, ciaddr, yiaddr, siaddr, giaddr,
                chaddr, snameHasOptions ? null : cString(buf, d + SNAME, 64),
                fileHasOptions ? null : cString(buf, d + FILE, 128), true, overload, options);
        validate(m, faults, d);
        return m;
    }

    /** Reads TLVs in {@code [i, end)} until END; offsets stored relative to the DHCP message start. */
    private static void readArea(ByteBuf buf, int i, int end, Dhcp4Option.Area area, List<Dhcp4Option> out,
                                 Faults faults, int d) {
        while (i < end) {
            int code = buf.getUnsignedByte(i);
            if (code == Dhcp4OptionCodes.PAD) {
                i++;
                continue;
            }
            if (code == Dhcp4OptionCodes.END) {
                return;
            }
            if (i + 1 >= end) {
                faults.add(DecodeError.OPTION_OVERRUN, i, "option " + code + " has no length byte");
                return;
            }
            int len = buf.getUnsignedByte(i + 1);
            if (i + 2 + len > end) {
                faults.add(DecodeError.OPTION_OVERRUN, i,
                        "option " + code + " length " + len + " > " + (end - i - 2) + " left in " + area.name().toLowerCase());
                return;
            }
            byte[] value = new byte[len];
            buf.getBytes(i + 2, value);
            out.add(new Dhcp4Option(code, value, area, i - d));
            i += 2 + len;
        }
    }

    /** Records a fault for each typed option whose value has the wrong shape. */
    private static void validate(Dhcp4Message m, Faults faults, int d) {
        for (Dhcp4Option o : m.options()) {
            int len = o.value().length;
            int expected = switch (o.code()) {
                case Dhcp4OptionCodes.MESSAGE_TYPE, Dhcp4OptionCodes.OVERLOAD -> 1;
                case Dhcp4OptionCodes.MAX_MESSAGE_SIZE -> 2;
                case Dhcp4OptionCodes.SUBNET_MASK, Dhcp4OptionCodes.REQUESTED_ADDRESS, Dhcp4OptionCodes.LEASE_TIME,
                     Dhcp4OptionCodes.SERVER_ID, Dhcp4OptionCodes.RENEWAL_TIME, Dhcp4OptionCodes.REBINDING_TIME,
                     Dhcp4OptionCodes.SUBNET_SELECTION -> 4;
                default -> -1;
            };
            if (expected >= 0 && len != expected) {
                faults.add(DecodeError.BAD_OPTION_LENGTH, d + o.offset(),
                        "option " + o.code() + " length " + len + ", expected " + expected);
            }
            if (o.code() == Dhcp4OptionCodes.STATIC_ROUTE && (len == 0 || len % 8 != 0)) {
                // RFC 2132 5.8: destination/router pairs, minimum length 8.
                faults.add(DecodeError.BAD_OPTION_LENGTH, d + o.offset(),
                        "option 33 length " + len + ", expected a non-zero multiple of 8");
            }
        }
        if (m.has(Dhcp4OptionCodes.RELAY_AGENT_INFO) && !tlvWellFormed(m.option(Dhcp4OptionCodes.RELAY_AGENT_INFO))) {
            faults.add(DecodeError.SUBOPTION_OVERRUN, d + offsetOf(m, Dhcp4OptionCodes.RELAY_AGENT_INFO),
                    "option 82 sub-option");
        }
        if (m.has(Dhcp4OptionCodes.VENDOR_IDENTIFYING_CLASS) && m.vendorIdentifyingClasses() == null) {
            faults.add(DecodeError.SUBOPTION_OVERRUN, d + offsetOf(m, Dhcp4OptionCodes.VENDOR_IDENTIFYING_CLASS),
                    "option 124 enterprise data");
        }
        if (m.has(Dhcp4OptionCodes.VENDOR_IDENTIFYING_INFO) && m.vendorIdentifyingInfo() == null) {
            faults.add(DecodeError.SUBOPTION_OVERRUN, d + offsetOf(m, Dhcp4OptionCodes.VENDOR_IDENTIFYING_INFO),
                    "option 125 enterprise data");
        }
        if (m.has(Dhcp4OptionCodes.CLIENT_FQDN) && !fqdnWellFormed(m.option(Dhcp4OptionCodes.CLIENT_FQDN))) {
            faults.add(DecodeError.BAD_OPTION_LENGTH, d + offsetOf(m, Dhcp4OptionCodes.CLIENT_FQDN),
                    "option 81 flags or name");
        }
    }

    /** Sub-options as 1-byte code, 1-byte length TLVs that end exactly at the end (option 82); no allocation. */
    static boolean tlvWellFormed(byte[] v) {
        int i = 0;
        while (i < v.length) {
            if (i + 2 > v.length || i + 2 + (v[i + 1] & 0xFF) > v.length) {
                return false;
            }
            i += 2 + (v[i + 1] & 0xFF);
        }
        return true;
    }

    /** Option 81 as {@link Dhcp4Message#clientFqdn()} accepts it, checked without building the name. */
    static boolean fqdnWellFormed(byte[] v) {
        if (v.length < 3) {
            return false;
        }
        if ((v[0] & 0x04) == 0) {
            return true; // ASCII name: any bytes
        }
        int i = 3;
        while (i < v.length) {
            int len = v[i] & 0xFF;
            if (len == 0) {
                return true;
            }
            if (len > 63 || i + 1 + len > v.length) {
                return false;
            }
            i += 1 + len;
        }
        return true;
    }

    private static int offsetOf(Dhcp4Message m, int code) {
        for (Dhcp4Option o : m.options()) {
            if (o.code() == code) {
                return o.offset();
            }
        }
        return 0;
    }

    /** A NUL-terminated string field (sname, file). */
    private static String cString(ByteBuf buf, int index, int max) {
        int len = 0;
        while (len < max && buf.getByte(index + len) != 0) {
            len++;
        }
        return buf.toString(index, len, StandardCharsets.ISO_8859_1);
    }
}
