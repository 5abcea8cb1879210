package io.dhcpshield.core.dhcp6;

import io.dhcpshield.core.codec.DecodeError;
import io.dhcpshield.core.codec.Faults;
import io.dhcpshield.core.codec.VendorData;
import io.dhcpshield.core.net.IpAddress;
import io.netty.buffer.ByteBuf;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Full DHCPv6 decode of a UDP payload. RELAY-FORW/RELAY-REPL nesting is walked iteratively (never by recursion) down
 * to the innermost message, keeping every hop, with the depth capped at 32. Never throws for any input.
 */
public final class Dhcp6Decoder {

    /** RFC 8415 HOP_COUNT_LIMIT is 8 for relays; we accept up to 32 wrappers and call deeper nesting an attack. */
    public static final int MAX_RELAY_DEPTH = 32;
    private static final int RELAY_HEADER = 34;

    private Dhcp6Decoder() {
    }

    public static Dhcp6Packet decode(ByteBuf buf, int d, int n, Faults faults) {
        if (n < 1) {
            faults.add(DecodeError.TRUNCATED_HEADER, d, "empty DHCPv6 payload");
            return new Dhcp6Packet(Dhcp6MessageType.valueOf(0), List.of(), null);
        }
        Dhcp6MessageType outer = Dhcp6MessageType.valueOf(buf.getUnsignedByte(d));
        List<RelayHop> hops = new ArrayList<>();
        int pos = d;
        int end = d + n;
        while (Dhcp6MessageType.isRelay(buf.getUnsignedByte(pos))) {
            if (hops.size() == MAX_RELAY_DEPTH) {
                faults.add(DecodeError.RELAY_DEPTH_EXCEEDED, pos, "more than " + MAX_RELAY_DEPTH + " relay hops");
                return new Dhcp6Packet(outer, hops, null);
            }
            if (end - pos < RELAY_HEADER) {
                faults.add(DecodeError.TRUNCATED_HEADER, pos, "relay header is " + (end - pos) + " bytes");
                return new Dhcp6Packet(outer, hops, null);
            }
            List<Dhcp6Option> options = readOptions(buf, pos + RELAY_HEADER, end, d, faults);
            Dhcp6Option relayMsg = null;
            List<Dhcp6Option> own = new ArrayList<>(options.size());
            for (Dhcp6Option o : options) {
                if (o.code() == Dhcp6OptionCodes.RELAY_MSG && relayMsg == null) {
                    relayMsg = o;
                } else {
                    own.add(o);
                }
            }
            hops.add(relayHop(buf, pos, own, d, faults));
            if (relayMsg == null || relayMsg.value().length == 0) {
                faults.add(DecodeError.RELAY_MESSAGE_MISSING, pos, "hop " + hops.size());
                return new Dhcp6Packet(outer, hops, null);
            }
            pos = d + relayMsg.offset() + 4;
            end = pos + relayMsg.value().length;
        }
        if (end - pos < 4) {
            faults.add(DecodeError.TRUNCATED_HEADER, pos, "DHCPv6 message is " + (end - pos) + " bytes");
            return new Dhcp6Packet(outer, hops, null);
        }
        Dhcp6MessageType type = Dhcp6MessageType.valueOf(buf.getUnsignedByte(pos));
        int xid = buf.getUnsignedMedium(pos + 1);
        Dhcp6Message message = new Dhcp6Message(type, xid, readOptions(buf, pos + 4, end, d, faults));
        validate(message, d, faults);
        return new Dhcp6Packet(outer, hops, message);
    }

    private static List<Dhcp6Option> readOptions(ByteBuf buf, int i, int end, int d, Faults faults) {
        List<Dhcp6Option> out = new ArrayList<>(8);
        while (i < end) {
            if (end - i < 4) {
                faults.add(DecodeError.OPTION_OVERRUN, i, (end - i) + " stray bytes after the last option");
                break;
            }
            int code = buf.getUnsignedShort(i);
            int len = buf.getUnsignedShort(i + 2);
            if (end - i - 4 < len) {
                faults.add(DecodeError.OPTION_OVERRUN, i,
                        "option " + code + " length " + len + " > " + (end - i - 4) + " left");
                break;
            }
            byte[] value = new byte[len];
            buf.getBytes(i + 4, value);
            out.add(new Dhcp6Option(code, value, i - d));
            i += 4 + len;
        }
        return out;
    }

    private static RelayHop relayHop(ByteBuf buf, int pos, List<Dhcp6Option> own, int d, Faults faults) {
        byte[] interfaceId = null;
        VendorData remoteId = null;
        byte[] subscriberId = null;
        int llType = -1;
        byte[] llAddress = null;
        for (Dhcp6Option o : own) {
            byte[] v = o.value();
            switch (o.code()) {
                case Dhcp6OptionCodes.INTERFACE_ID -> interfaceId = interfaceId == null ? v : interfaceId;
                case Dhcp6OptionCodes.SUBSCRIBER_ID -> subscriberId = subscriberId == null ? v : subscriberId;
                case Dhcp6OptionCodes.REMOTE_ID -> {
                    if (v.length < 4) {
                        faults.add(DecodeError.BAD_OPTION_LENGTH, d + o.offset(), "option 37 length " + v.length);
                    } else if (remoteId == null) {
                        remoteId = new VendorData(Dhcp6Message.u32(v, 0), Arrays.copyOfRange(v, 4, v.length));
                    }
                }
                case Dhcp6OptionCodes.CLIENT_LINKLAYER_ADDR -> {
                    if (v.length < 2) {
                        faults.add(DecodeError.BAD_OPTION_LENGTH, d + o.offset(), "option 79 length " + v.length);
                    } else if (llAddress == null) {
                        llType = Dhcp6Message.u16(v, 0);
                        llAddress = Arrays.copyOfRange(v, 2, v.length);
                    }
                }
                default -> {
                }
            }
        }
        return new RelayHop(buf.getUnsignedByte(pos), buf.getUnsignedByte(pos + 1), IpAddress.readV6(buf, pos + 2),
                IpAddress.readV6(buf, pos + 18), interfaceId, remoteId, subscriberId, llType, llAddress, own);
    }

    /** Records a fault for each typed option whose value has the wrong shape. */
    private static void validate(Dhcp6Message m, int d, Faults faults) {
        for (Dhcp6Option o : m.options()) {
            int len = o.value().length;
            String bad = switch (o.code()) {
                case Dhcp6OptionCodes.CLIENTID, Dhcp6OptionCodes.SERVERID ->
                        Duid.of(o.value()).isWellFormed() ? null : "DUID too short for its type";
                case Dhcp6OptionCodes.ELAPSED_TIME -> len == 2 ? null : "length " + len + ", expected 2";
                case Dhcp6OptionCodes.PREFERENCE, Dhcp6OptionCodes.RECONF_MSG ->
                        len == 1 ? null : "length " + len + ", expected 1";
                case Dhcp6OptionCodes.RAPID_COMMIT, Dhcp6OptionCodes.RECONF_ACCEPT ->
                        len == 0 ? null : "length " + len + ", expected 0";
                case Dhcp6OptionCodes.ORO -> len % 2 == 0 ? null : "odd length " + len;
                case Dhcp6OptionCodes.STATUS_CODE -> len >= 2 ? null : "length " + len + ", expected >= 2";
                case Dhcp6OptionCodes.VENDOR_CLASS, Dhcp6OptionCodes.VENDOR_OPTS ->
                        len >= 4 ? null : "length " + len + ", expected >= 4";
                case Dhcp6OptionCodes.CLIENT_FQDN -> len >= 1 ? null : "empty";
                default -> null;
            };
            if (bad != null) {
                faults.add(DecodeError.BAD_OPTION_LENGTH, d + o.offset(), "option " + o.code() + ": " + bad);
            }
        }
        if (m.identityAssociations() == null) {
            faults.add(DecodeError.SUBOPTION_OVERRUN, d + malformedIaOffset(m), "IA fixed fields or nested option");
        }
        if (m.has(Dhcp6OptionCodes.USER_CLASS) && m.userClass() == null) {
            faults.add(DecodeError.SUBOPTION_OVERRUN, d + firstOffset(m, Dhcp6OptionCodes.USER_CLASS),
                    "option 15 item");
        }
        if (m.vendorClass() != null && m.vendorClassItems() == null) {
            faults.add(DecodeError.SUBOPTION_OVERRUN, d + firstOffset(m, Dhcp6OptionCodes.VENDOR_CLASS),
                    "option 16 item");
        }
        if (m.has(Dhcp6OptionCodes.CLIENT_FQDN) && o39Bad(m)) {
            faults.add(DecodeError.SUBOPTION_OVERRUN, d + firstOffset(m, Dhcp6OptionCodes.CLIENT_FQDN),
                    "option 39 name label");
        }
    }

    private static boolean o39Bad(Dhcp6Message m) {
        byte[] v = m.option(Dhcp6OptionCodes.CLIENT_FQDN);
        return v.length >= 1 && m.clientFqdn() == null;
    }

    /** The offset of the first IA_NA, IA_TA or IA_PD that does not parse (not merely the first IA). */
    private static int malformedIaOffset(Dhcp6Message m) {
        for (Dhcp6Option o : m.options()) {
            IdentityAssociation.Kind kind = switch (o.code()) {
                case Dhcp6OptionCodes.IA_NA -> IdentityAssociation.Kind.NA;
                case Dhcp6OptionCodes.IA_TA -> IdentityAssociation.Kind.TA;
                case Dhcp6OptionCodes.IA_PD -> IdentityAssociation.Kind.PD;
                default -> null;
            };
            if (kind != null && Dhcp6Message.parseIa(kind, o.value()) == null) {
                return o.offset();
            }
        }
        return 0;
    }

    private static int firstOffset(Dhcp6Message m, int... codes) {
        for (Dhcp6Option o : m.options()) {
            for (int c : codes) {
                if (o.code() == c) {
                    return o.offset();
                }
            }
        }
        return 0;
    }
}
