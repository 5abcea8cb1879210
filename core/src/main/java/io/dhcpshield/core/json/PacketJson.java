package io.dhcpshield.core.json;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dhcpshield.core.codec.ClientFqdn;
import io.dhcpshield.core.codec.DecodeFault;
import io.dhcpshield.core.codec.DecodedPacket;
import io.dhcpshield.core.codec.FrameInfo;
import io.dhcpshield.core.codec.VendorData;
import io.dhcpshield.core.dhcp4.Dhcp4Message;
import io.dhcpshield.core.dhcp4.Dhcp4Option;
import io.dhcpshield.core.dhcp4.RelayAgentInfo;
import io.dhcpshield.core.dhcp6.Dhcp6Message;
import io.dhcpshield.core.dhcp6.Dhcp6Option;
import io.dhcpshield.core.dhcp6.Dhcp6Packet;
import io.dhcpshield.core.dhcp6.Duid;
import io.dhcpshield.core.dhcp6.IaAddress;
import io.dhcpshield.core.dhcp6.IaPrefix;
import io.dhcpshield.core.dhcp6.IdentityAssociation;
import io.dhcpshield.core.dhcp6.RelayHop;
import io.dhcpshield.core.dhcp6.StatusCode;
import io.dhcpshield.core.identity.ClientIdentity;
import io.dhcpshield.core.identity.RelayIdentity;
import io.dhcpshield.core.mark.PacketMark;

import java.time.Instant;
import java.util.HexFormat;
import java.util.List;

/**
 * The JSON form of one decoded packet: the {@code dpictl analyze} object (docs/analyze.md), what the decoder is
 * compared with tshark through. Keys it shares with the event form ({@link EventJson}) have the same name, type and
 * meaning in both (docs/events.md). Absent values are left out, never null.
 */
public final class PacketJson {

    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
    private static final HexFormat HEX = HexFormat.ofDelimiter(":");

    private PacketJson() {
    }

    public static ObjectNode render(long frameNumber, long epochNanos, DecodedPacket p, boolean withOptions) {
        ObjectNode o = JSON.objectNode();
        o.put("frame", frameNumber);
        o.put("time", Instant.ofEpochSecond(0, epochNanos).toString());
        o.put("time_epoch", String.format("%d.%09d", Math.floorDiv(epochNanos, 1_000_000_000L),
                Math.floorMod(epochNanos, 1_000_000_000L)));
        frame(o, p.frame());
        if (p.dhcp4() != null) {
            o.put("family", 4);
            dhcp4(o, p.dhcp4(), withOptions);
        } else if (p.dhcp6() != null) {
            o.put("family", 6);
            dhcp6(o, p.dhcp6(), withOptions);
        }
        if (p.identity() != null) {
            identity(o, p.identity());
        }
        if (p.isDhcp()) {
            o.put("mark", PacketMark.toHex(p.mark()));
            o.put("mark_type", String.format("0x%02x", PacketMark.typeCode(p.mark())));
            o.put("client_mark", String.format("0x%06x", PacketMark.clientMark(p.mark())));
            o.put("mark_source", p.markSource().label());
        }
        ArrayNode errors = o.putArray("errors");
        for (DecodeFault f : p.faults()) {
            errors.addObject().put("error", f.error().label()).put("category", f.error().category().name()
                    .toLowerCase().replace('_', '-')).put("offset", f.offset()).put("detail", f.detail());
        }
        return o;
    }

    private static void frame(ObjectNode o, FrameInfo f) {
        if (f.l2Source() != null) {
            o.put("l2_src", f.l2Source().toString());
        }
        if (f.outerVlan() >= 0) {
            ArrayNode v = o.putArray("vlan");
            v.add(f.outerVlan());
            if (f.innerVlan() >= 0) {
                v.add(f.innerVlan());
            }
        }
        if (f.source() != null) {
            o.put("src_ip", f.source().toString());
            o.put("dst_ip", f.destination().toString());
        }
        if (f.sourcePort() >= 0) {
            o.put("src_port", f.sourcePort());
            o.put("dst_port", f.destinationPort());
        }
    }

    // ---------------------------------------------------------------- DHCPv4

    private static void dhcp4(ObjectNode o, Dhcp4Message m, boolean withOptions) {
        o.put("msg_type", m.messageType().name());
        o.put("msg_type_code", m.messageType().code());
        o.put("op", m.op());
        o.put("xid", String.format("0x%08x", m.xid()));
        o.put("htype", m.htype());
        o.put("hlen", m.hlen());
        o.put("hops", m.hops());
        o.put("secs", m.secs());
        o.put("flags", String.format("0x%04x", m.flags()));
        o.put("ciaddr", m.ciaddr().toString());
        o.put("yiaddr", m.yiaddr().toString());
        o.put("siaddr", m.siaddr().toString());
        o.put("giaddr", m.giaddr().toString());
        o.put("chaddr", HEX.formatHex(m.chaddr()));
        if (m.serverName() != null) {
            o.put("sname", m.serverName());
        }
        if (m.bootFile() != null) {
            o.put("file", m.bootFile());
        }
        if (m.overload() != 0) {
            o.put("overload", m.overload());
        }
        // The client's name: option 12, else the FQDN option's name (the same rule as an event's hostname).
        putIfPresent(o, "hostname", m.hostname() != null ? m.hostname()
                : m.clientFqdn() != null && !m.clientFqdn().name().isEmpty() ? m.clientFqdn().name() : null);
        putIfPresent(o, "vendor_class", m.vendorClass());
        if (m.requestedAddress() != null) {
            o.put("requested_ip", m.requestedAddress().toString());
        }
        if (m.serverId() != null) {
            o.put("server_id", m.serverId().toString());
        }
        if (m.subnetSelection() != null) {
            o.put("subnet_selection", m.subnetSelection().toString());
        }
        if (m.leaseTime() != null) {
            o.put("lease_time", m.leaseTime());
        }
        if (m.renewalTime() != null) {
            o.put("renewal_time", m.renewalTime());
        }
        if (m.rebindingTime() != null) {
            o.put("rebinding_time", m.rebindingTime());
        }
        if (m.maxMessageSize() != null) {
            o.put("max_message_size", m.maxMessageSize());
        }
        int[] prl = m.parameterRequestList();
        if (prl != null) {
            ArrayNode a = o.putArray("prl");
            for (int c : prl) {
                a.add(c);
            }
        }
        List<byte[]> userClass = m.userClass();
        if (userClass != null) {
            ArrayNode a = o.putArray("user_class");
            userClass.forEach(b -> a.add(bytes(b)));
        }
        ClientFqdn fqdn = m.clientFqdn();
        if (fqdn != null) {
            o.putObject("fqdn").put("flags", fqdn.flags()).put("rcode1", fqdn.rcode1()).put("rcode2", fqdn.rcode2())
                    .put("name", fqdn.name());
        }
        RelayAgentInfo rai = m.relayAgentInfo();
        if (rai != null) {
            ObjectNode r = o.putObject("option82");
            ArrayNode other = null;
            for (RelayAgentInfo.SubOption s : rai.subOptions()) {
                String name = switch (s.code()) {
                    case RelayAgentInfo.CIRCUIT_ID -> "circuit_id";
                    case RelayAgentInfo.REMOTE_ID -> "remote_id";
                    case RelayAgentInfo.LINK_SELECTION -> "link_selection";
                    case RelayAgentInfo.SUBSCRIBER_ID -> "subscriber_id";
                    case RelayAgentInfo.VENDOR_SPECIFIC -> "vendor_specific";
                    default -> null;
                };
                if (name != null && !r.has(name)) {
                    r.set(name, bytes(s.value()));
                } else {
                    if (other == null) {
                        other = r.putArray("other");
                    }
                    other.add(bytes(s.value()).put("code", s.code()));
                }
            }
            if (rai.linkSelection() != null) {
                ((ObjectNode) r.get("link_selection")).put("ip", rai.linkSelection().toString());
            }
        }
        vendorList(o, "vendor_identifying_class", m.vendorIdentifyingClasses());
        vendorList(o, "vendor_identifying_info", m.vendorIdentifyingInfo());
        if (withOptions) {
            ArrayNode a = o.putArray("options");
            for (Dhcp4Option opt : m.options()) {
                ObjectNode n = a.addObject().put("code", opt.code()).put("len", opt.value().length)
                        .put("hex", HEX.formatHex(opt.value()));
                if (opt.area() != Dhcp4Option.Area.OPTIONS) {
                    n.put("area", opt.area().name().toLowerCase());
                }
            }
        }
    }

    private static void vendorList(ObjectNode o, String field, List<VendorData> list) {
        if (list == null) {
            return;
        }
        ArrayNode a = o.putArray(field);
        for (VendorData v : list) {
            a.addObject().put("enterprise", v.enterpriseNumber()).put("hex", HEX.formatHex(v.data()));
        }
    }

    // ---------------------------------------------------------------- DHCPv6

    private static void dhcp6(ObjectNode o, Dhcp6Packet p, boolean withOptions) {
        o.put("msg_type", p.outerType().name());
        o.put("msg_type_code", p.outerType().code());
        if (!p.hops().isEmpty()) {
            ArrayNode hops = o.putArray("relay_hops");
            for (RelayHop h : p.hops()) {
                ObjectNode n = hops.addObject();
                n.put("msg_type", h.messageType() == 12 ? "RELAY-FORW" : "RELAY-REPL");
                n.put("hop_count", h.hopCount());
                n.put("link_address", h.linkAddress().toString());
                n.put("peer_address", h.peerAddress().toString());
                if (h.interfaceId() != null) {
                    n.set("interface_id", bytes(h.interfaceId()));
                }
                if (h.remoteId() != null) {
                    n.set("remote_id", bytes(h.remoteId().data()).put("enterprise", h.remoteId().enterpriseNumber()));
                }
                if (h.subscriberId() != null) {
                    n.set("subscriber_id", bytes(h.subscriberId()));
                }
                if (h.clientLinkLayerAddress() != null) {
                    n.putObject("client_link_layer").put("type", h.clientLinkLayerType())
                            .put("address", HEX.formatHex(h.clientLinkLayerAddress()));
                }
                if (withOptions) {
                    options6(n, h.options());
                }
            }
        }
        Dhcp6Message m = p.message();
        if (m == null) {
            return;
        }
        if (!p.hops().isEmpty()) {
            o.put("inner_msg_type", m.type().name());
            o.put("inner_msg_type_code", m.type().code());
        }
        o.put("xid", String.format("0x%06x", m.transactionId()));
        Duid server = m.serverId();
        if (server != null) {
            o.put("server_duid", server.toString());
        }
        int[] oro = m.requestedOptions();
        if (oro != null) {
            ArrayNode a = o.putArray("oro");
            for (int c : oro) {
                a.add(c);
            }
        }
        if (m.elapsedTime() != null) {
            o.put("elapsed_time", m.elapsedTime());
        }
        if (m.preference() != null) {
            o.put("preference", m.preference());
        }
        if (m.rapidCommit()) {
            o.put("rapid_commit", true);
        }
        if (m.reconfigureAccept()) {
            o.put("reconfigure_accept", true);
        }
        if (m.reconfigureMessage() != null) {
            o.put("reconfigure_msg_type", m.reconfigureMessage());
        }
        if (m.statusCode() != null) {
            o.set("status", status(m.statusCode()));
        }
        List<String> vendorItems = m.vendorClassItems();
        if (vendorItems != null) {
            ArrayNode a = o.putArray("vendor_class");
            vendorItems.forEach(a::add);
            o.put("vendor_class_enterprise", m.vendorClass().enterpriseNumber());
        }
        List<byte[]> userClass = m.userClass();
        if (userClass != null) {
            ArrayNode a = o.putArray("user_class");
            userClass.forEach(b -> a.add(bytes(b)));
        }
        List<VendorData> vendorOpts = m.vendorOptions();
        if (vendorOpts != null) {
            vendorList(o, "vendor_opts", vendorOpts);
        }
        ClientFqdn fqdn = m.clientFqdn();
        if (fqdn != null) {
            o.putObject("fqdn").put("flags", fqdn.flags()).put("name", fqdn.name());
            if (!fqdn.name().isEmpty()) {
                o.put("hostname", fqdn.name());
            }
        }
        List<IdentityAssociation> ias = m.identityAssociations();
        if (ias != null && !ias.isEmpty()) {
            ArrayNode a = o.putArray("ia");
            for (IdentityAssociation ia : ias) {
                ObjectNode n = a.addObject().put("type", ia.kind().name()).put("iaid", String.format("0x%08x", ia.iaid()));
                if (ia.t1() >= 0) {
                    n.put("t1", ia.t1()).put("t2", ia.t2());
                }
                if (!ia.addresses().isEmpty()) {
                    ArrayNode addrs = n.putArray("addresses");
                    for (IaAddress ad : ia.addresses()) {
                        ObjectNode x = addrs.addObject().put("address", ad.address().toString())
                                .put("preferred_lifetime", ad.preferredLifetime()).put("valid_lifetime", ad.validLifetime());
                        if (ad.status() != null) {
                            x.set("status", status(ad.status()));
                        }
                    }
                }
                if (!ia.prefixes().isEmpty()) {
                    ArrayNode prefixes = n.putArray("prefixes");
                    for (IaPrefix pr : ia.prefixes()) {
                        ObjectNode x = prefixes.addObject().put("prefix", pr.prefix().toString())
                                .put("length", pr.prefixLength()).put("preferred_lifetime", pr.preferredLifetime())
                                .put("valid_lifetime", pr.validLifetime());
                        if (pr.status() != null) {
                            x.set("status", status(pr.status()));
                        }
                    }
                }
                if (ia.status() != null) {
                    n.set("status", status(ia.status()));
                }
            }
        }
        if (withOptions) {
            options6(o, m.options());
        }
    }

    private static void options6(ObjectNode o, List<Dhcp6Option> options) {
        ArrayNode a = o.putArray("options");
        for (Dhcp6Option opt : options) {
            a.addObject().put("code", opt.code()).put("len", opt.value().length).put("hex", HEX.formatHex(opt.value()));
        }
    }

    private static ObjectNode status(StatusCode s) {
        return JSON.objectNode().put("code", s.code()).put("name", s.codeName()).put("message", s.message());
    }

    // ---------------------------------------------------------------- identity

    private static void identity(ObjectNode o, ClientIdentity id) {
        if (id.mac() != null) {
            o.put("client_mac", id.mac().toString());
            o.put("client_mac_source", id.macSource().label());
        }
        if (id.duid() != null) {
            o.put("duid", id.duid().toString());
            o.put("duid_type", id.duid().typeName());
            if (id.duid().uuid() != null) {
                o.put("duid_uuid", id.duid().uuid().toString());
            }
            if (id.duid().enterpriseNumber() >= 0) {
                o.put("duid_enterprise", id.duid().enterpriseNumber());
            }
        }
        if (id.clientId() != null) {
            o.put("client_id", HEX.formatHex(id.clientId()));
        }
        RelayIdentity r = id.relay();
        if (r != null) {
            ObjectNode n = o.putObject("relay");
            if (r.address() != null) {
                n.put("address", r.address().toString()).put("address_source", r.addressSource());
            }
            if (r.circuitId() != null) {
                n.set("circuit_id", bytes(r.circuitId()).put("source", r.circuitIdSource()));
            }
            if (r.remoteId() != null) {
                n.set("remote_id", bytes(r.remoteId()).put("source", r.remoteIdSource()));
            }
        }
    }

    // ---------------------------------------------------------------- values

    /** Binary value as {@code {"hex": "aa:bb", "text": "printable"}}: non-printable bytes become '.'. */
    public static ObjectNode bytes(byte[] b) {
        StringBuilder text = new StringBuilder(b.length);
        for (byte x : b) {
            int c = x & 0xFF;
            text.append(c >= 0x20 && c < 0x7F ? (char) c : '.');
        }
        return JSON.objectNode().put("hex", HEX.formatHex(b)).put("text", text.toString());
    }

    private static void putIfPresent(ObjectNode o, String field, String value) {
        if (value != null) {
            o.put(field, value);
        }
    }
}
