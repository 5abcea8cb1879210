package io.dhcpshield.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.math.BigDecimal;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The comparison behind the tshark agreement tests: {@code dpictl analyze} (CaptureAnalyzer + PacketJson) against
 * tshark's {@code -T json --no-duplicate-keys -x} dissection lying next to each capture, frame by frame, field by
 * field, with the mark recomputed from tshark's fields alone. One instance is one suite of captures (the real corpus,
 * the synthetic captures): it holds the suite's expected typed errors and counts what it compared. All mismatches of
 * a capture are collected and reported together.
 */
final class TsharkAgreement {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final HexFormat HEX = HexFormat.of();
    /** {@code _ws.expert.severity} of PI_ERROR; PI_WARN and below do not make a frame malformed. */
    private static final long EXPERT_ERROR = 0x00800000L;
    private static final Pattern OPTION_CODE = Pattern.compile("option (\\d+)");

    /** Fields of the analyze JSON that only a DHCP packet may carry. */
    private static final List<String> DHCP_FIELDS = List.of("family", "msg_type", "msg_type_code", "op", "xid",
            "options", "relay_hops", "client_mac", "duid", "client_id", "relay", "mark", "mark_source");

    /**
     * The typed errors a frame must get, whether tshark marks that frame broken too, and the compared fields that
     * must differ from tshark's because of the error (label to reason).
     */
    record Expected(Set<String> kinds, boolean tsharkAgrees, Map<String, String> differing) {

        /** The same expectation, with {@code field} (a comparison label) differing from tshark for {@code reason}. */
        Expected differing(String field, String reason) {
            Map<String, String> more = new TreeMap<>(differing);
            more.put(field, reason);
            return new Expected(kinds, tsharkAgrees, Map.copyOf(more));
        }
    }

    /** Typed errors for a frame tshark also calls malformed, short or in error. */
    static Expected broken(String... kinds) {
        return new Expected(Set.of(kinds), true, Map.of());
    }

    /** Typed errors for a frame tshark dissects without complaint: a deliberate difference, explained at the entry. */
    static Expected stricterThanTshark(String... kinds) {
        return new Expected(Set.of(kinds), false, Map.of());
    }

    private final String name;
    private final Map<String, Expected> expectedErrors;
    private final Pattern malformedCapture;
    private final Set<String> usedExpectations = ConcurrentHashMap.newKeySet();
    private final LongAdder files = new LongAdder();
    private final LongAdder frames = new LongAdder();
    private final LongAdder dhcpFrames = new LongAdder();
    private final LongAdder errorFrames = new LongAdder();
    private final LongAdder fields = new LongAdder();
    private final LongAdder valuedFields = new LongAdder();

    /**
     * @param expectedErrors frames, keyed {@code folder/capture#frame}, for which we must report exactly these typed
     *        errors; every entry must be met once the whole suite has run
     * @param malformedCapture ids of captures malformed on purpose: each must give at least one typed error
     */
    TsharkAgreement(String name, Map<String, Expected> expectedErrors, Pattern malformedCapture) {
        this.name = name;
        this.expectedErrors = Map.copyOf(expectedErrors);
        this.malformedCapture = malformedCapture;
    }

    /** Captures compared so far. */
    long files() {
        return files.sum();
    }

    /** Expected errors no frame has met (meaningful once every capture of the suite has run). */
    Set<String> unmetExpectations() {
        Set<String> unused = new TreeSet<>(expectedErrors.keySet());
        unused.removeAll(usedExpectations);
        return unused;
    }

    /** One line of counts for the build log. */
    String summary() {
        return String.format("%s: %d files, %d frames (%d DHCP, %d with expected typed errors),"
                        + " %d field comparisons (%d with a value on at least one side)", name, files.sum(),
                frames.sum(), dhcpFrames.sum(), errorFrames.sum(), fields.sum(), valuedFields.sum());
    }

    /** The tshark dissection next to a capture: {@code X.json} for {@code X.pcap} or {@code X.pcapng}. */
    static Path tsharkJson(Path capture) {
        String name = capture.getFileName().toString();
        return capture.resolveSibling(name.substring(0, name.lastIndexOf('.')) + ".json");
    }

    static boolean isCapture(String name) {
        return name.endsWith(".pcap") || name.endsWith(".pcapng");
    }

    // ================================================================== one capture

    /** Compares one capture with its tshark dissection; fails with every mismatch found. */
    void agree(Path pcap, String id) throws IOException {
        JsonNode tshark = MAPPER.readTree(tsharkJson(pcap).toFile());
        Map<Long, ObjectNode> ours = new LinkedHashMap<>();
        CaptureAnalyzer.Summary summary = assertDoesNotThrow(
                () -> CaptureAnalyzer.analyze(pcap, true, true, node -> ours.put(node.get("frame").asLong(), node)),
                id + ": analyze threw");
        Check c = new Check(id);
        c.eq("frames", ours.size(), tshark.size());
        long tsharkDhcp = 0;
        long ourDhcp = 0;
        for (JsonNode packet : tshark) {
            JsonNode layers = packet.path("_source").path("layers");
            long number = layers.path("frame").path("frame.number").asLong();
            c.frame = number;
            Expected expected = expectedErrors.get(c.capture + "#" + number);
            c.differing = expected == null ? Set.of() : expected.differing().keySet();
            ObjectNode our = ours.get(number);
            if (our == null) {
                c.mismatch("frame", "missing", "present");
                c.frameDone();
                continue;
            }
            compareFrame(c, our, layers);
            String protocol = dhcpProtocol(layers);
            if (our.has("family")) {
                ourDhcp++;
            }
            if (protocol == null) {
                checkNotDhcp(c, our, layers);
                c.frameDone();
                continue;
            }
            tsharkDhcp++;
            c.eq("family", num(our, "family"), protocol.equals("dhcp") ? 4L : 6L);
            if (protocol.equals("dhcp")) {
                compareDhcp4(c, our, layers);
            } else {
                compareDhcp6(c, our, layers);
            }
            checkMark(c, our, layers, protocol.equals("dhcpv6"));
            checkErrors(c, our, layers);
            c.frameDone();
        }
        c.frame = 0;
        c.eq("DHCP frames (summary)", summary.dhcp(), tsharkDhcp);
        c.eq("DHCP frames (printed)", ourDhcp, tsharkDhcp);
        c.eq("frames (summary)", summary.frames(), (long) tshark.size());
        if (malformedCapture.matcher(id).matches()) {
            c.eq("typed errors in a malformed capture", ours.values().stream()
                    .anyMatch(n -> !list(n.get("errors")).isEmpty()), true);
        }
        files.increment();
        frames.add(tshark.size());
        dhcpFrames.add(tsharkDhcp);
        fields.add(c.fields);
        valuedFields.add(c.valued);
        c.done();
    }

    /** "dhcp" or "dhcpv6" when tshark dissected the frame as DHCP (its protocol chain may repeat "dhcp"), else null. */
    private static String dhcpProtocol(JsonNode layers) {
        List<String> chain = List.of(layers.path("frame").path("frame.protocols").asText().split(":"));
        if (chain.contains("dhcpv6")) {
            return "dhcpv6";
        }
        return chain.contains("dhcp") ? "dhcp" : null;
    }

    // ================================================================== frame

    private static void compareFrame(Check c, JsonNode our, JsonNode layers) {
        JsonNode frame = layers.path("frame");
        BigDecimal epoch = decimal(text(frame, "frame.time_epoch"));
        c.eq("time_epoch", decimal(text(our, "time_epoch")), epoch);
        Instant time = Instant.parse(text(our, "time"));
        c.eq("time", BigDecimal.valueOf(time.getEpochSecond()).add(BigDecimal.valueOf(time.getNano(), 9))
                .stripTrailingZeros(), epoch);
        c.eq("l2_src", hex(text(our, "l2_src")), hex(l2Source(layers)));
        JsonNode ip = first(layers.get("ip"));
        JsonNode ip6 = first(layers.get("ipv6"));
        String src = ip != null ? text(ip, "ip.src") : ip6 != null ? text(ip6, "ipv6.src") : null;
        String dst = ip != null ? text(ip, "ip.dst") : ip6 != null ? text(ip6, "ipv6.dst") : null;
        c.eq("src_ip", ip(text(our, "src_ip")), ip(src));
        c.eq("dst_ip", ip(text(our, "dst_ip")), ip(dst));
        JsonNode udp = first(layers.get("udp"));
        c.eq("src_port", num(our, "src_port"), udp == null ? null : num(udp, "udp.srcport"));
        c.eq("dst_port", num(our, "dst_port"), udp == null ? null : num(udp, "udp.dstport"));
        List<Long> vlans = vlanIds(layers); // we report the outer two tags
        c.eq("vlan", numbers(our.get("vlan")), vlans.isEmpty() ? null : vlans.subList(0, Math.min(2, vlans.size())));
    }

    /**
     * The link-layer source MAC: Ethernet's, or a Linux cooked capture's (v1 or v2) when it holds an Ethernet address
     * (tshark shows {@code sll.src.eth} only then); null for raw IP.
     */
    private static String l2Source(JsonNode layers) {
        JsonNode eth = first(layers.get("eth"));
        if (eth != null) {
            return text(eth, "eth.src");
        }
        JsonNode sll = first(layers.get("sll"));
        return sll == null ? null : text(sll, "sll.src.eth");
    }

    /** VLAN ids outermost first: 802.1ad S-tags ({@code ieee8021ad}) and 802.1Q/0x9100 tags ({@code vlan}). */
    private static List<Long> vlanIds(JsonNode layers) {
        TreeMap<Integer, Long> byOffset = new TreeMap<>();
        for (String layer : List.of("ieee8021ad", "vlan")) {
            for (JsonNode tag : list(layers.get(layer))) {
                List<JsonNode> id = raws(tag, layer + ".id");
                if (!id.isEmpty()) {
                    byOffset.put(id.get(0).get(1).asInt(), num(tag, layer + ".id"));
                }
            }
        }
        return List.copyOf(byOffset.values());
    }

    /** A frame tshark did not dissect as DHCP: not-DHCP for us too, with the reason tshark's layers imply. */
    private static void checkNotDhcp(Check c, JsonNode our, JsonNode layers) {
        for (String field : DHCP_FIELDS) {
            c.eq("non-DHCP frame has " + field, our.has(field), false);
        }
        List<JsonNode> errors = list(our.get("errors"));
        c.eq("non-DHCP error count", errors.size(), 1);
        String expected = layers.has("udp") ? "not-dhcp-port" : (layers.has("ip") || layers.has("ipv6")) ? "not-udp"
                : "not-ip";
        for (JsonNode e : errors) {
            c.eq("non-DHCP error", text(e, "error"), expected);
            c.eq("non-DHCP error category", text(e, "category"), "not-dhcp");
        }
    }

    /** Our typed errors against tshark's verdict: clean frames have none, broken ones exactly the expected kinds. */
    private void checkErrors(Check c, JsonNode our, JsonNode layers) {
        Set<String> kinds = new TreeSet<>();
        for (JsonNode e : list(our.get("errors"))) {
            kinds.add(text(e, "error"));
            c.eq("error category of " + text(e, "error"), text(e, "category"), "malformed");
        }
        String key = c.capture + "#" + c.frame;
        Expected expected = expectedErrors.get(key);
        boolean malformed = tsharkMalformed(layers);
        if (expected != null) {
            usedExpectations.add(key);
            errorFrames.increment();
            c.eq("error kinds", kinds, new TreeSet<>(expected.kinds()));
            c.eq("tshark marks the frame broken", malformed, expected.tsharkAgrees());
            for (JsonNode e : list(our.get("errors"))) {
                Integer offset = expectedOffset(e, layers);
                if (offset != null) {
                    c.eq("offset of " + text(e, "error"), num(e, "offset"), (long) offset);
                }
            }
        } else if (malformed) {
            c.mismatch("error kinds", kinds.toString(), "malformed, but no expected typed error is listed");
        } else {
            c.eq("error kinds", kinds, Set.of());
        }
    }

    /**
     * Where a typed error must point, from tshark's raw offsets (bytes from the frame start), or null when tshark
     * shows nothing to locate it by: framing errors at the IP header, a bad cookie at DHCP + 236, a bad option length
     * at the option, a relay without OPTION_RELAY_MSG at its header.
     */
    private static Integer expectedOffset(JsonNode error, JsonNode layers) {
        String detail = String.valueOf(text(error, "detail"));
        switch (String.valueOf(text(error, "error"))) {
            case "bad-udp-length":
                return rawOffset(layers.has("ip_raw") ? layers.get("ip_raw") : layers.get("ipv6_raw"));
            case "bad-magic-cookie":
                return layers.has("dhcp_raw") ? rawOffset(layers.get("dhcp_raw")) + 236 : null;
            case "bad-option-length": {
                Matcher m = OPTION_CODE.matcher(detail);
                JsonNode t = first(layers.get("dhcp"));
                if (!m.find() || t == null || !t.isObject()) {
                    return null;
                }
                T4Option o = firstOption(listed(options4(new Check(""), layers)), Integer.parseInt(m.group(1)));
                return o == null ? null : o.offset();
            }
            case "option-overrun":
                return layers.has("dhcpv6") ? overrun6(layers) : overrun4(layers);
            case "suboption-overrun": {
                if (layers.has("dhcpv6")) {
                    Msg6 m = walk6(layers).message();
                    return m == null ? null : malformedIa(m);
                }
                T4Option o = firstOption(listed(options4(new Check(""), layers)), 82);
                return o == null ? null : o.offset();
            }
            case "bad-overload": {
                T4Option o = firstOption(listed(options4(new Check(""), layers)), 52);
                return o == null ? null : o.offset();
            }
            case "relay-message-missing": {
                Msg6 hop = walk6(layers).missingRelayMsg();
                return hop == null ? null : hop.offset();
            }
            case "relay-depth-exceeded": {
                Msg6 hop = walk6(layers).tooDeep();
                return hop == null ? null : hop.offset();
            }
            default:
                return null;
        }
    }

    /**
     * Where a DHCPv4 option overruns its area: the option tshark lists past the area's end, else the byte after the
     * last option tshark lists in the options field when that is short of the field's end without END (a code with
     * no length byte, which tshark does not list).
     */
    private static Integer overrun4(JsonNode layers) {
        List<T4Option> options = options4(new Check(""), layers);
        for (T4Option o : options) {
            if (o.overrun()) {
                return o.offset();
            }
        }
        JsonNode t = first(layers.get("dhcp"));
        if (t == null || !t.isObject() || list(t.get("dhcp.option.type")).stream().anyMatch(x -> x.asInt() == 255)) {
            return null;
        }
        int end = rawOffset(layers.get("dhcp_raw")) + 240;
        for (JsonNode raw : raws(t, "dhcp.option.type")) {
            end = Math.max(end, raw.get(1).asInt() + raw.get(2).asInt());
        }
        return end < rawOffset(layers.get("dhcp_raw")) + rawLength(layers.get("dhcp_raw")) ? end : null;
    }

    /** Where a DHCPv6 option overruns: where tshark stops listing options in a hop or the message, outermost first. */
    private static Integer overrun6(JsonNode layers) {
        Walk6 walk = walk6(layers);
        List<Msg6> messages = new ArrayList<>(walk.hops());
        if (walk.message() != null) {
            messages.add(walk.message());
        }
        for (Msg6 m : messages) {
            Integer stop = optionsStopShort(m);
            if (stop != null) {
                return stop;
            }
        }
        return null;
    }

    /** tshark's own verdict: a malformed or short frame, or an expert info of severity error anywhere. */
    private static boolean tsharkMalformed(JsonNode layers) {
        if (layers.has("_ws.malformed") || layers.has("_ws.short")) {
            return true;
        }
        List<JsonNode> experts = new ArrayList<>();
        collect(layers, "_ws.expert", experts, false);
        for (JsonNode e : experts) {
            String severity = text(e, "_ws.expert.severity");
            if (severity != null && Long.parseLong(severity) >= EXPERT_ERROR) {
                return true;
            }
        }
        return false;
    }

    // ================================================================== DHCPv4

    /** One option as tshark dissected it: code, length and value from the {@code dhcp.option.type_raw} twin. */
    private record T4Option(int code, int length, String value, int offset, String area, boolean overrun,
                            JsonNode tree) {
    }

    private static void compareDhcp4(Check c, JsonNode our, JsonNode layers) {
        JsonNode t = first(layers.get("dhcp"));
        if (t == null || !t.isObject()) {
            return; // tshark gave up before the first field (a truncated capture): nothing to compare.
        }
        c.eq("op", num(our, "op"), num(t, "dhcp.type"));
        c.eq("htype", num(our, "htype"), num(t, "dhcp.hw.type"));
        c.eq("hlen", num(our, "hlen"), num(t, "dhcp.hw.len"));
        c.eq("hops", num(our, "hops"), num(t, "dhcp.hops"));
        c.eq("xid", num(our, "xid"), num(t, "dhcp.id"));
        c.eq("secs", num(our, "secs"), num(t, "dhcp.secs"));
        c.eq("flags", num(our, "flags"), num(t, "dhcp.flags"));
        c.eq("ciaddr", ip(text(our, "ciaddr")), ip(text(t, "dhcp.ip.client")));
        c.eq("yiaddr", ip(text(our, "yiaddr")), ip(text(t, "dhcp.ip.your")));
        c.eq("siaddr", ip(text(our, "siaddr")), ip(text(t, "dhcp.ip.server")));
        c.eq("giaddr", ip(text(our, "giaddr")), ip(text(t, "dhcp.ip.relay")));
        if (t.has("dhcp.hw.mac_addr")) {
            c.eq("chaddr", hex(text(our, "chaddr")), hex(text(t, "dhcp.hw.mac_addr")));
        } else if (t.has("dhcp.hw.addr")) {
            c.eq("chaddr", hex(text(our, "chaddr")), hex(text(t, "dhcp.hw.addr")));
        }
        if (t.has("dhcp.server")) {
            c.eq("sname", text(our, "sname"), text(t, "dhcp.server"));
        }
        if (t.has("dhcp.file")) {
            c.eq("file", text(our, "file"), text(t, "dhcp.file"));
        }
        // tshark shows dhcp.cookie for 99.130.83.99 and dhcp.bootp for a BOOTP vendor area without it.
        c.eq("magic cookie valid", !hasError(our, "bad-magic-cookie") && !hasError(our, "truncated-header"),
                t.has("dhcp.cookie"));

        List<T4Option> options = listed(options4(c, layers));
        compareOptionList4(c, our, options);
        Integer type = firstInt(options, 53, "dhcp.option.dhcp");
        c.eq("msg_type_code", num(our, "msg_type_code"), type == null ? -1L : (long) type);
        if (type == null) {
            c.eq("msg_type", text(our, "msg_type"), "BOOTP"); // no option 53: a BOOTP message
        }
        compareTyped4(c, our, options);
        compareRelayIdentity4(c, our, t, options);
    }

    /** Our relay identity: giaddr when set, circuit-id and remote-id from option 82. */
    private static void compareRelayIdentity4(Check c, JsonNode our, JsonNode t, List<T4Option> options) {
        String giaddr = ip(text(t, "dhcp.ip.relay"));
        boolean relayed = giaddr != null && !giaddr.matches("0+");
        List<Sub82> subOptions = subOptions82(firstOption(options, 82));
        JsonNode r = our.get("relay");
        c.eq("relay present", r != null, relayed || subOptions != null);
        if (r == null) {
            return;
        }
        c.eq("relay.address", ip(text(r, "address")), relayed ? giaddr : null);
        Map<Integer, String> subs = new TreeMap<>();
        for (Sub82 sub : subOptions == null ? List.<Sub82>of() : subOptions) {
            subs.putIfAbsent(sub.code(), sub.value());
        }
        c.eq("relay.circuit_id", r.has("circuit_id") ? hex(text(r.get("circuit_id"), "hex")) : null, subs.get(1));
        c.eq("relay.remote_id", r.has("remote_id") ? hex(text(r.get("remote_id"), "hex")) : null, subs.get(2));
    }

    /**
     * tshark's options in wire order, leaving out END (listed by tshark, not by us) and PAD (tshark lists a run of
     * them as one "Padding" option; they carry no value). Options in an overloaded {@code sname}/{@code file} are
     * dissected inside option 52's tree: they are collected from there, with their area. An option whose length runs
     * past the end of its area is flagged {@code overrun}: tshark lists it (reading on into the next field, or with
     * the raw value "field length invalid!"), we report {@code option-overrun} instead of listing it.
     */
    private static List<T4Option> options4(Check c, JsonNode layers) {
        JsonNode t = first(layers.get("dhcp"));
        List<T4Option> out = new ArrayList<>();
        if (t != null && t.isObject()) {
            int dhcpStart = rawOffset(layers.get("dhcp_raw"));
            options4(c, t, dhcpStart, dhcpStart + rawLength(layers.get("dhcp_raw")), out);
        }
        return out;
    }

    private static void options4(Check c, JsonNode t, int dhcpStart, int dhcpEnd, List<T4Option> out) {
        List<JsonNode> raws = raws(t, "dhcp.option.type");
        List<JsonNode> codes = list(t.get("dhcp.option.type"));
        List<JsonNode> trees = list(t.get("dhcp.option.type_tree"));
        c.eq("tshark option raws vs trees", raws.size(), trees.size());
        for (int i = 0; i < Math.min(Math.min(raws.size(), codes.size()), trees.size()); i++) {
            String hex = raws.get(i).get(0).asText();
            int offset = raws.get(i).get(1).asInt();
            int code = codes.get(i).asInt();
            if (code == 0 || code == 255) {
                continue;
            }
            JsonNode tree = trees.get(i);
            Long length = num(tree, "dhcp.option.length");
            int rel = offset - dhcpStart;
            String area = rel >= 44 && rel < 108 ? "sname" : rel >= 108 && rel < 236 ? "file" : "options";
            int areaEnd = switch (area) {
                case "sname" -> dhcpStart + 108;
                case "file" -> dhcpStart + 236;
                default -> dhcpEnd;
            };
            boolean valid = hex.matches("[0-9a-f]*");
            boolean overrun = !valid || length == null || offset + 2 + length > areaEnd;
            out.add(new T4Option(code, length == null ? -1 : length.intValue(),
                    valid && hex.length() > 4 ? hex.substring(4) : "", offset, area, overrun, tree));
            if (code == 52) {
                for (JsonNode overloaded : tree) {
                    if (overloaded.isObject() && overloaded.has("dhcp.option.type_raw")) {
                        options4(c, overloaded, dhcpStart, dhcpEnd, out);
                    }
                }
            }
        }
    }

    /** The options tshark lists that we list too: all but an overrunning one. */
    private static List<T4Option> listed(List<T4Option> options) {
        return options.stream().filter(o -> !o.overrun()).toList();
    }

    /** Every instance of {@code code} in RFC 3396 order: the options field, then file, then sname. */
    private static List<T4Option> instances(List<T4Option> options, int code) {
        List<T4Option> out = new ArrayList<>();
        for (String area : List.of("options", "file", "sname")) {
            options.stream().filter(o -> o.code() == code && o.area().equals(area)).forEach(out::add);
        }
        return out;
    }

    /** The value of a split option (RFC 3396): the raw values of every instance concatenated, or null. */
    private static String joined(List<T4Option> options, int code) {
        List<T4Option> all = instances(options, code);
        return all.isEmpty() ? null : all.stream().map(T4Option::value).collect(Collectors.joining());
    }

    /** tshark's text of every instance of a split option, concatenated, or null. */
    private static String joinedText(List<T4Option> options, int code, String field) {
        List<T4Option> all = instances(options, code);
        return all.isEmpty() ? null : all.stream().map(o -> String.valueOf(text(o.tree(), field)))
                .collect(Collectors.joining());
    }

    /**
     * The full option list, in wire order within each area (options field, then overloaded {@code file} and
     * {@code sname}: we list them in RFC 3396 order, tshark in the order it dissects them).
     */
    private static void compareOptionList4(Check c, JsonNode our, List<T4Option> theirs) {
        Map<String, List<String>> ourByArea = new TreeMap<>();
        for (JsonNode o : list(our.get("options"))) {
            String area = o.has("area") ? text(o, "area") : "options";
            ourByArea.computeIfAbsent(area, k -> new ArrayList<>())
                    .add(num(o, "code") + "/" + num(o, "len") + "/" + hex(text(o, "hex")));
        }
        Map<String, List<String>> theirByArea = new TreeMap<>();
        for (T4Option o : theirs) {
            theirByArea.computeIfAbsent(o.area(), k -> new ArrayList<>())
                    .add(o.code() + "/" + o.length() + "/" + o.value());
        }
        c.eq("options (code/len/value)", ourByArea, theirByArea);
    }

    /** Our typed options; a split option (RFC 3396) is compared with all its instances joined, as we read it. */
    private static void compareTyped4(Check c, JsonNode our, List<T4Option> options) {
        // hostname is option 12, else the FQDN option's name (whose own value is checked against tshark below).
        String option12 = joinedText(options, 12, "dhcp.option.hostname");
        JsonNode fqdn = our.get("fqdn");
        String fqdnName = fqdn == null || text(fqdn, "name") == null || text(fqdn, "name").isEmpty() ? null
                : text(fqdn, "name");
        c.eq("hostname", text(our, "hostname"), option12 != null ? option12 : fqdnName);
        c.eq("vendor_class", text(our, "vendor_class"), joinedText(options, 60, "dhcp.option.vendor_class_id"));
        c.eq("requested_ip", ip(text(our, "requested_ip")),
                ip(firstText(options, 50, "dhcp.option.requested_ip_address")));
        c.eq("server_id", ip(text(our, "server_id")), ip(firstText(options, 54, "dhcp.option.dhcp_server_id")));
        c.eq("lease_time", num(our, "lease_time"), firstNum(options, 51, "dhcp.option.ip_address_lease_time"));
        c.eq("renewal_time", num(our, "renewal_time"), firstNum(options, 58, "dhcp.option.renewal_time_value"));
        c.eq("rebinding_time", num(our, "rebinding_time"),
                firstNum(options, 59, "dhcp.option.rebinding_time_value"));
        c.eq("max_message_size", num(our, "max_message_size"),
                firstNum(options, 57, "dhcp.option.dhcp_max_message_size"));
        List<T4Option> prl = instances(options, 55);
        c.eq("prl", numbers(our.get("prl")), prl.isEmpty() ? null : prl.stream()
                .flatMap(o -> numbers(o.tree().get("dhcp.option.request_list_item")).stream()).toList());
        c.eq("client_id", hex(text(our, "client_id")), joined(options, 61));
        c.eq("overload", num(our, "overload"), firstNum(options, 52, "dhcp.option.option_overload"));
        compareOption82(c, our, firstOption(options, 82));
        compareUserClass4(c, our, firstOption(options, 77));
        compareFqdn4(c, our, firstOption(options, 81));
        compareVendorIdentifying(c, our, firstOption(options, 124), firstOption(options, 125));
    }

    /**
     * Option 82, every sub-option by value: the first circuit-id (1), remote-id (2), link selection (5, also as an
     * address), subscriber-id (6) and vendor-specific (9) by name, any other or repeated one under {@code other}.
     * When a sub-option runs past the option, our typed view is absent (the frame gets {@code suboption-overrun}).
     */
    private static void compareOption82(Check c, JsonNode our, T4Option o) {
        JsonNode r = our.get("option82");
        List<Sub82> subs = subOptions82(o);
        c.eq("option82 present", r != null, subs != null);
        if (subs == null || r == null) {
            return;
        }
        Map<String, String> theirs = new TreeMap<>();
        List<String> theirOther = new ArrayList<>();
        for (Sub82 sub : subs) {
            String name = switch (sub.code()) {
                case 1 -> "circuit_id";
                case 2 -> "remote_id";
                case 5 -> "link_selection";
                case 6 -> "subscriber_id";
                case 9 -> "vendor_specific";
                default -> null;
            };
            boolean named = name != null && !theirs.containsKey(name);
            if (named) {
                theirs.put(name, sub.value());
            } else {
                theirOther.add(sub.code() + "/" + sub.value());
            }
            String link = text(sub.tree(), "dhcp.option.agent_information_option.link_selection");
            if (link != null && named) {
                c.eq("option82 link_selection ip", ip(text(r.path("link_selection"), "ip")), ip(link));
            }
        }
        Map<String, String> ours = new TreeMap<>();
        for (String name : List.of("circuit_id", "remote_id", "link_selection", "subscriber_id", "vendor_specific")) {
            if (r.has(name)) {
                ours.put(name, hex(text(r.get(name), "hex")));
            }
        }
        c.eq("option82 sub-options", ours, theirs);
        c.eq("option82 other sub-options", list(r.get("other")).stream()
                .map(x -> num(x, "code") + "/" + hex(text(x, "hex"))).toList(), theirOther);
    }

    /** One Option 82 sub-option as tshark dissected it, its value from the raw twin. */
    private record Sub82(int code, String value, JsonNode tree) {
    }

    /** tshark's sub-options of option 82 in wire order; null without the option or when one runs past its end. */
    private static List<Sub82> subOptions82(T4Option o) {
        if (o == null) {
            return null;
        }
        List<JsonNode> codes = list(o.tree().get("dhcp.option.agent_information_option.suboption"));
        List<JsonNode> trees = list(o.tree().get("dhcp.option.agent_information_option.suboption_tree"));
        List<Sub82> out = new ArrayList<>();
        int used = 0;
        for (int i = 0; i < Math.min(codes.size(), trees.size()); i++) {
            JsonNode t = trees.get(i);
            List<JsonNode> value = raws(t, "dhcp.option.agent_information_option.value");
            used += 2 + num(t, "dhcp.option.suboption_length").intValue();
            out.add(new Sub82(codes.get(i).asInt(), value.isEmpty() ? "" : value.get(0).get(0).asText(), t));
        }
        return used > o.length() ? null : out;
    }

    /**
     * Options 124 and 125 (RFC 3925): enterprise numbers and each enterprise's data. tshark 4.0 gives 124's data
     * directly; for 125 the data is cut from the option's value at the offset and length tshark shows.
     */
    private static void compareVendorIdentifying(Check c, JsonNode our, T4Option classes, T4Option info) {
        List<String> theirClasses = null;
        if (classes != null) {
            List<JsonNode> enterprises = list(classes.tree().get("dhcp.option.vi_class.enterprise"));
            List<JsonNode> data = raws(classes.tree(), "dhcp.option.vi_class.data");
            theirClasses = new ArrayList<>();
            for (int i = 0; i < enterprises.size(); i++) {
                theirClasses.add(enterprises.get(i).asLong() + "/"
                        + (i < data.size() ? data.get(i).get(0).asText() : ""));
            }
        }
        c.eq("vendor_identifying_class", enterpriseList(our.get("vendor_identifying_class")), theirClasses);
        List<String> theirInfo = null;
        if (info != null) {
            List<JsonNode> enterprises = raws(info.tree(), "dhcp.option.vi.enterprise");
            List<JsonNode> trees = list(info.tree().get("dhcp.option.vi.enterprise_tree"));
            int valueStart = info.offset() + 2;
            theirInfo = new ArrayList<>();
            for (int i = 0; i < Math.min(enterprises.size(), trees.size()); i++) {
                int from = 2 * (enterprises.get(i).get(1).asInt() - valueStart + 5);
                int length = num(trees.get(i), "dhcp.option.vi.length").intValue();
                theirInfo.add(Long.parseLong(enterprises.get(i).get(0).asText(), 16) + "/"
                        + info.value().substring(from, Math.min(info.value().length(), from + 2 * length)));
            }
        }
        c.eq("vendor_identifying_info", enterpriseList(our.get("vendor_identifying_info")), theirInfo);
    }

    private static List<String> enterpriseList(JsonNode ours) {
        return ours == null ? null
                : list(ours).stream().map(v -> num(v, "enterprise") + "/" + hex(text(v, "hex"))).toList();
    }

    /** Option 77: RFC 3004 items, or the whole value as one item where tshark sees a bare string (iPXE's "iPXE"). */
    private static void compareUserClass4(Check c, JsonNode our, T4Option o) {
        List<JsonNode> bare = o == null ? List.of() : raws(o.tree(), "dhcp.option.user_class.text");
        if (!bare.isEmpty()) {
            c.eq("user_class", hexList(our.get("user_class")), List.of(bare.get(0).get(0).asText()));
            return;
        }
        if (o == null || !o.tree().has("dhcp.option.user_class_tree")) {
            c.eq("user_class present", our.has("user_class"), o != null);
            return;
        }
        List<String> theirs = new ArrayList<>();
        for (JsonNode item : list(o.tree().get("dhcp.option.user_class_tree"))) {
            theirs.add(hex(text(item, "dhcp.option.user_class.data")));
        }
        c.eq("user_class", hexList(our.get("user_class")), theirs);
    }

    private static void compareFqdn4(Check c, JsonNode our, T4Option o) {
        JsonNode f = our.get("fqdn");
        if (o == null || !o.tree().has("dhcp.fqdn.flags")) {
            c.eq("fqdn present", f != null, o != null);
            return;
        }
        c.eq("fqdn flags", f == null ? null : num(f, "flags"), num(o.tree(), "dhcp.fqdn.flags"));
        c.eq("fqdn rcode1", f == null ? null : num(f, "rcode1"), num(o.tree(), "dhcp.fqdn.rcode1"));
        c.eq("fqdn rcode2", f == null ? null : num(f, "rcode2"), num(o.tree(), "dhcp.fqdn.rcode2"));
        // tshark shows no name for a value of just flags and RCODEs; we give the empty name.
        String name = o.length() == 3 ? "" : text(o.tree(), "dhcp.fqdn.name");
        c.eq("fqdn name", f == null ? null : dns(text(f, "name")), dns(name));
    }

    // ================================================================== DHCPv6

    /** One DHCPv6 option as tshark dissected it; the value comes from the {@code type_str_raw} twin. */
    private record T6Option(int code, int length, String value, int offset, JsonNode tree) {
    }

    /** One DHCPv6 message or relay wrapper in tshark's tree, with where its bytes lie in the frame. */
    private record Msg6(JsonNode tree, int offset, int length) {
        boolean isRelay() {
            return TsharkAgreement.isRelay(num(tree, "dhcpv6.msgtype"));
        }
    }

    /**
     * tshark's DHCPv6 packet walked as we walk it: the relay hops outermost first, then the innermost message. The
     * walk stops, with no message, at a hop without OPTION_RELAY_MSG ({@code missingRelayMsg}) or at a 33rd relay
     * wrapper ({@code tooDeep}): we decode at most {@value #MAX_RELAY_DEPTH} hops and nothing beneath.
     */
    private record Walk6(List<Msg6> hops, Msg6 message, Msg6 missingRelayMsg, Msg6 tooDeep) {
    }

    /** docs/codec.md: more than 32 relay wrappers is {@code relay-depth-exceeded}. */
    private static final int MAX_RELAY_DEPTH = 32;

    private static Walk6 walk6(JsonNode layers) {
        JsonNode top = first(layers.get("dhcpv6"));
        List<Msg6> hops = new ArrayList<>();
        if (top == null || !top.isObject()) {
            return new Walk6(hops, null, null, null);
        }
        Msg6 m = new Msg6(top, rawOffset(layers.get("dhcpv6_raw")), rawLength(layers.get("dhcpv6_raw")));
        while (m.isRelay()) {
            if (hops.size() == MAX_RELAY_DEPTH) {
                return new Walk6(hops, null, null, m);
            }
            hops.add(m);
            Msg6 next = null;
            T6Option relayMsg = first6(options6(null, m.tree()), 9); // the first OPTION_RELAY_MSG, as we take it
            JsonNode inner = relayMsg == null ? null : first(relayMsg.tree().get("dhcpv6"));
            if (inner != null && inner.isObject()) {
                JsonNode raw = relayMsg.tree().get("dhcpv6_raw");
                next = new Msg6(inner, rawOffset(raw), rawLength(raw));
            }
            if (next == null) {
                return new Walk6(hops, null, m, null);
            }
            m = next;
        }
        return new Walk6(hops, m, null, null);
    }

    /**
     * Where tshark stopped listing a message's options before its end (it silently drops an option that runs past
     * the message, and whatever follows), or null when the options fill the message exactly.
     */
    private static Integer optionsStopShort(Msg6 m) {
        int pos = m.offset() + (m.isRelay() ? 34 : 4);
        for (T6Option o : options6(null, m.tree())) {
            if (o.offset() != pos) {
                break;
            }
            pos += 4 + o.length();
        }
        return pos < m.offset() + m.length() ? pos : null;
    }

    /** The first IA (3, 4, 25) whose nested options tshark stopped listing before the IA's end, or null. */
    private static Integer malformedIa(Msg6 m) {
        for (T6Option o : options6(null, m.tree())) {
            if (o.code() != 3 && o.code() != 4 && o.code() != 25) {
                continue;
            }
            int pos = o.offset() + 4 + (o.code() == 4 ? 4 : 12);
            for (T6Option sub : options6(null, o.tree())) {
                if (sub.offset() != pos) {
                    break;
                }
                pos += 4 + sub.length();
            }
            if (pos != o.offset() + 4 + o.length()) {
                return o.offset();
            }
        }
        return null;
    }

    private static void compareDhcp6(Check c, JsonNode our, JsonNode layers) {
        JsonNode top = first(layers.get("dhcpv6"));
        if (top == null || !top.isObject()) {
            return;
        }
        c.eq("msg_type_code", num(our, "msg_type_code"), num(top, "dhcpv6.msgtype"));
        // Walk the relay wrappers down to the client/server message, as we do.
        Walk6 walk = walk6(layers);
        List<JsonNode> hops = walk.hops().stream().map(Msg6::tree).toList();
        JsonNode m = walk.message() == null ? null : walk.message().tree();
        List<JsonNode> ourHops = list(our.get("relay_hops"));
        c.eq("relay hop count", ourHops.size(), hops.size());
        for (int i = 0; i < Math.min(hops.size(), ourHops.size()); i++) {
            compareRelayHop(c, "relay_hops[" + i + "]", ourHops.get(i), hops.get(i));
        }
        compareRelayIdentity6(c, our, hops.isEmpty() ? null : hops.get(hops.size() - 1));
        if (m == null) {
            c.eq("innermost message present", our.has("xid"), false);
            return;
        }
        if (!hops.isEmpty()) {
            c.eq("inner_msg_type_code", num(our, "inner_msg_type_code"), num(m, "dhcpv6.msgtype"));
        }
        c.eq("xid", num(our, "xid"), num(m, "dhcpv6.xid"));
        List<T6Option> options = options6(c, m);
        c.eq("options (code/len/value)", optionList6(our.get("options")), optionList6(options));
        compareTyped6(c, our, options);
    }

    /** Our relay identity: the innermost hop's link-address, interface-id and remote-id data. */
    private static void compareRelayIdentity6(Check c, JsonNode our, JsonNode innermost) {
        JsonNode r = our.get("relay");
        c.eq("relay present", r != null, innermost != null);
        if (r == null || innermost == null) {
            return;
        }
        c.eq("relay.address", ip(text(r, "address")), ip(text(innermost, "dhcpv6.linkaddr")));
        List<T6Option> options = options6(null, innermost);
        T6Option interfaceId = first6(options, 18);
        c.eq("relay.circuit_id", r.has("circuit_id") ? hex(text(r.get("circuit_id"), "hex")) : null,
                interfaceId == null ? null : interfaceId.value());
        T6Option remoteId = first6(options, 37);
        c.eq("relay.remote_id", r.has("remote_id") ? hex(text(r.get("remote_id"), "hex")) : null,
                remoteId == null || remoteId.length() < 4 ? null : remoteId.value().substring(8));
    }

    private static void compareRelayHop(Check c, String at, JsonNode our, JsonNode t) {
        c.eq(at + ".msg_type", text(our, "msg_type"), num(t, "dhcpv6.msgtype") == 12 ? "RELAY-FORW" : "RELAY-REPL");
        c.eq(at + ".hop_count", num(our, "hop_count"), num(t, "dhcpv6.hopcount"));
        c.eq(at + ".link_address", ip(text(our, "link_address")), ip(text(t, "dhcpv6.linkaddr")));
        c.eq(at + ".peer_address", ip(text(our, "peer_address")), ip(text(t, "dhcpv6.peeraddr")));
        List<T6Option> options = new ArrayList<>(options6(c, t));
        // The hop's own options: all but the first OPTION_RELAY_MSG, whose content is the next hop or the message.
        options.stream().filter(o -> o.code() == 9).findFirst().ifPresent(options::remove);
        c.eq(at + ".options (code/len/value)", optionList6(our.get("options")), optionList6(options));
        T6Option interfaceId = first6(options, 18);
        c.eq(at + ".interface_id", our.has("interface_id") ? hex(text(our.get("interface_id"), "hex")) : null,
                interfaceId == null ? null : interfaceId.value());
        T6Option remoteId = first6(options, 37);
        c.eq(at + ".remote_id", our.has("remote_id") ? num(our.get("remote_id"), "enterprise") + "/"
                + hex(text(our.get("remote_id"), "hex")) : null, remoteId == null || remoteId.length() < 4 ? null
                : Long.parseLong(remoteId.value().substring(0, 8), 16) + "/" + remoteId.value().substring(8));
        T6Option subscriber = first6(options, 38);
        c.eq(at + ".subscriber_id", our.has("subscriber_id") ? hex(text(our.get("subscriber_id"), "hex")) : null,
                subscriber == null ? null : subscriber.value());
        T6Option linkLayer = first6(options, 79);
        JsonNode ll = our.get("client_link_layer");
        c.eq(at + ".client_link_layer", ll == null ? null : num(ll, "type") + "/" + hex(text(ll, "address")),
                linkLayer == null || linkLayer.length() < 2 ? null : Integer.parseInt(linkLayer.value().substring(0, 4),
                        16) + "/" + linkLayer.value().substring(4));
    }

    private static void compareTyped6(Check c, JsonNode our, List<T6Option> options) {
        T6Option client = first6(options, 1);
        c.eq("duid", hex(text(our, "duid")), client == null ? null : hex(text(client.tree(), "dhcpv6.duid.bytes")));
        if (client != null && client.tree().has("dhcpv6.duid.type")) {
            c.eq("duid_type", text(our, "duid_type"), duidTypeName(num(client.tree(), "dhcpv6.duid.type")));
            c.eq("duid_uuid", hex(text(our, "duid_uuid")), hex(text(client.tree(), "dhcpv6.duiduuid.bytes")));
            c.eq("duid_enterprise", num(our, "duid_enterprise"), num(client.tree(), "dhcpv6.duiden.enterprise"));
        }
        T6Option server = first6(options, 2);
        c.eq("server_duid", hex(text(our, "server_duid")),
                server == null ? null : hex(text(server.tree(), "dhcpv6.duid.bytes")));
        T6Option oro = first6(options, 6);
        c.eq("oro", numbers(our.get("oro")),
                oro == null ? null : numbers(oro.tree().get("dhcpv6.requested_option_code")));
        T6Option elapsed = first6(options, 8);
        // Deliberate: we report the wire value (hundredths of a second), tshark shows milliseconds: use its raw twin.
        c.eq("elapsed_time", num(our, "elapsed_time"),
                elapsed == null ? null : rawNum(elapsed.tree(), "dhcpv6.elapsed_time"));
        T6Option preference = first6(options, 7);
        c.eq("preference", num(our, "preference"),
                preference == null ? null : num(preference.tree(), "dhcpv6.option_preference"));
        c.eq("rapid_commit", our.path("rapid_commit").asBoolean(false), first6(options, 14) != null);
        c.eq("reconfigure_accept", our.path("reconfigure_accept").asBoolean(false), first6(options, 20) != null);
        T6Option reconf = first6(options, 19);
        c.eq("reconfigure_msg_type", num(our, "reconfigure_msg_type"),
                reconf == null ? null : num(reconf.tree(), "dhcpv6.reconf_msg"));
        T6Option status = first6(options, 13);
        c.eq("status", status(our.get("status")), status == null ? null : status(status.tree()));
        compareVendorClass6(c, our, first6(options, 16));
        T6Option userClass = first6(options, 15);
        List<JsonNode> items = new ArrayList<>();
        if (userClass != null) {
            collect(userClass.tree(), "dhcpv6.userclass.opaque_data", items, true);
        }
        c.eq("user_class", hexList(our.get("user_class")), userClass == null ? null
                : items.stream().map(n -> hex(n.asText())).toList());
        List<Long> enterprises = new ArrayList<>();
        List<String> vendorData = new ArrayList<>();
        for (T6Option o : options) {
            if (o.code() == 17) {
                enterprises.add(num(o.tree(), "dhcpv6.vendoropts.enterprise"));
                vendorData.add(o.value().substring(Math.min(8, o.value().length())));
            }
        }
        List<Long> ourEnterprises = new ArrayList<>();
        List<String> ourVendorData = new ArrayList<>();
        for (JsonNode v : list(our.get("vendor_opts"))) {
            ourEnterprises.add(num(v, "enterprise"));
            ourVendorData.add(hex(text(v, "hex")));
        }
        c.eq("vendor_opts enterprises", ourEnterprises, enterprises);
        c.eq("vendor_opts data", ourVendorData, vendorData);
        T6Option fqdn = first6(options, 39);
        JsonNode f = our.get("fqdn");
        c.eq("fqdn flags", f == null ? null : num(f, "flags"),
                fqdn == null ? null : num(fqdn.tree(), "dhcpv6.client_fqdn_flags"));
        c.eq("fqdn name", f == null ? null : dns(text(f, "name")),
                fqdn == null ? null : dns(text(fqdn.tree(), "dhcpv6.client_domain")));
        compareIas(c, our, options);
    }

    private static void compareVendorClass6(Check c, JsonNode our, T6Option o) {
        c.eq("vendor_class_enterprise", num(our, "vendor_class_enterprise"),
                o == null ? null : num(o.tree(), "dhcpv6.vendorclass.enterprise"));
        List<String> ours = our.has("vendor_class") ? list(our.get("vendor_class")).stream().map(JsonNode::asText)
                .toList() : null;
        List<String> theirs = o == null ? null
                : list(o.tree().get("dhcpv6.vendorclass.data")).stream().map(JsonNode::asText).toList();
        // Deliberate: tshark 4.0 dissects only the first vendor-class-data item; we list every item, so compare its
        // items as our prefix, and our item count with the items in the option's raw bytes.
        c.eq("vendor_class", ours == null || theirs == null ? ours : ours.subList(0, Math.min(theirs.size(),
                ours.size())), theirs);
        c.eq("vendor_class items", ours == null ? null : ours.size(), o == null ? null : itemCount(o.value(), 8));
    }

    /** The number of 2-byte-length-prefixed items in {@code hex} from hex digit {@code from}, or -1 on overrun. */
    private static int itemCount(String hex, int from) {
        int n = 0;
        for (int i = from; i < hex.length(); n++) {
            if (i + 4 > hex.length()) {
                return -1;
            }
            i += 4 + 2 * Integer.parseInt(hex.substring(i, i + 4), 16);
            if (i > hex.length()) {
                return -1;
            }
        }
        return n;
    }

    /** IA_NA, IA_TA and IA_PD in order, with IAID, T1/T2, addresses, prefixes, lifetimes and status. */
    private static void compareIas(Check c, JsonNode our, List<T6Option> options) {
        List<String> theirs = new ArrayList<>();
        for (T6Option o : options) {
            String kind = o.code() == 3 ? "NA" : o.code() == 4 ? "TA" : o.code() == 25 ? "PD" : null;
            if (kind == null) {
                continue;
            }
            JsonNode t = o.tree();
            StringBuilder sb = new StringBuilder(kind).append(" iaid=")
                    .append(Long.parseLong(hex(text(t, kind.equals("TA") ? "dhcpv6.iata" : "dhcpv6.iaid")), 16));
            if (!kind.equals("TA")) {
                sb.append(" t1=").append(num(t, "dhcpv6.iaid.t1")).append(" t2=").append(num(t, "dhcpv6.iaid.t2"));
            }
            for (T6Option sub : options6(null, t)) {
                JsonNode s = sub.tree();
                if (sub.code() == 5 && !kind.equals("PD")) {
                    sb.append(" addr=").append(ip(text(s, "dhcpv6.iaaddr.ip")))
                            .append(',').append(num(s, "dhcpv6.iaaddr.pref_lifetime"))
                            .append(',').append(num(s, "dhcpv6.iaaddr.valid_lifetime"));
                    statusOf(s).ifPresent(st -> sb.append(",status=").append(st));
                } else if (sub.code() == 26 && kind.equals("PD")) {
                    sb.append(" prefix=").append(ip(text(s, "dhcpv6.iaprefix.pref_addr")))
                            .append('/').append(num(s, "dhcpv6.iaprefix.pref_len"))
                            .append(',').append(num(s, "dhcpv6.iaprefix.pref_lifetime"))
                            .append(',').append(num(s, "dhcpv6.iaprefix.valid_lifetime"));
                    statusOf(s).ifPresent(st -> sb.append(",status=").append(st));
                } else if (sub.code() == 13) {
                    sb.append(" status=").append(status(s));
                }
            }
            theirs.add(sb.toString());
        }
        List<String> ours = new ArrayList<>();
        for (JsonNode ia : list(our.get("ia"))) {
            String kind = text(ia, "type");
            StringBuilder sb = new StringBuilder(kind).append(" iaid=").append(num(ia, "iaid"));
            if (!kind.equals("TA")) {
                sb.append(" t1=").append(num(ia, "t1")).append(" t2=").append(num(ia, "t2"));
            }
            for (JsonNode a : list(ia.get("addresses"))) {
                sb.append(" addr=").append(ip(text(a, "address"))).append(',').append(num(a, "preferred_lifetime"))
                        .append(',').append(num(a, "valid_lifetime"));
                if (a.has("status")) {
                    sb.append(",status=").append(status(a.get("status")));
                }
            }
            for (JsonNode p : list(ia.get("prefixes"))) {
                sb.append(" prefix=").append(ip(text(p, "prefix"))).append('/').append(num(p, "length"))
                        .append(',').append(num(p, "preferred_lifetime")).append(',')
                        .append(num(p, "valid_lifetime"));
                if (p.has("status")) {
                    sb.append(",status=").append(status(p.get("status")));
                }
            }
            if (ia.has("status")) {
                sb.append(" status=").append(status(ia.get("status")));
            }
            ours.add(sb.toString());
        }
        c.eq("ia", ours, theirs);
    }

    /** The status code nested in an IA address or prefix, if tshark shows one. */
    private static Optional<String> statusOf(JsonNode subTree) {
        for (T6Option o : options6(null, subTree)) {
            if (o.code() == 13) {
                return Optional.of(status(o.tree()));
            }
        }
        return Optional.empty();
    }

    /** A status as "code:message", from our {code, message} or tshark's option 13 tree. */
    private static String status(JsonNode n) {
        if (n == null) {
            return null;
        }
        if (n.has("dhcpv6.status_code")) {
            String msg = text(n, "dhcpv6.status_msg");
            return num(n, "dhcpv6.status_code") + ":" + (msg == null ? "" : msg);
        }
        return num(n, "code") + ":" + text(n, "message");
    }

    private static List<T6Option> options6(Check c, JsonNode msg) {
        List<JsonNode> trees = list(msg.get("dhcpv6.option.type_str_tree"));
        List<JsonNode> raws = raws(msg, "dhcpv6.option.type_str");
        if (c != null) {
            c.eq("tshark option raws vs trees", raws.size(), trees.size());
        }
        List<T6Option> out = new ArrayList<>();
        for (int i = 0; i < Math.min(trees.size(), raws.size()); i++) {
            JsonNode t = trees.get(i);
            String hex = raws.get(i).get(0).asText();
            out.add(new T6Option(num(t, "dhcpv6.option.type").intValue(), num(t, "dhcpv6.option.length").intValue(),
                    hex.length() >= 8 ? hex.substring(8) : "", raws.get(i).get(1).asInt(), t));
        }
        return out;
    }

    private static List<String> optionList6(List<T6Option> options) {
        return options.stream().map(o -> o.code() + "/" + o.length() + "/" + o.value()).toList();
    }

    private static List<String> optionList6(JsonNode ours) {
        return list(ours).stream().map(o -> num(o, "code") + "/" + num(o, "len") + "/" + hex(text(o, "hex"))).toList();
    }

    private static T6Option first6(List<T6Option> options, int code) {
        return options.stream().filter(o -> o.code() == code).findFirst().orElse(null);
    }

    private static boolean isRelay(Long type) {
        return type != null && (type == 12 || type == 13);
    }

    /** Our DUID type names for tshark's numbers. */
    private static String duidTypeName(Long type) {
        return switch (type.intValue()) {
            case 1 -> "LLT";
            case 2 -> "EN";
            case 3 -> "LL";
            case 4 -> "UUID";
            default -> "type-" + type;
        };
    }

    // ================================================================== mark

    /**
     * The mark rule, applied to tshark's fields (never to our output): the high byte from the message type, the low
     * 24 bits from the client's MAC (chaddr, option 61, DUID-LLT/LL, option 79, L2 source) or a hash.
     */
    private static void checkMark(Check c, JsonNode our, JsonNode layers, boolean v6) {
        Client expected;
        int typeCode;
        if (v6) {
            JsonNode top = first(layers.get("dhcpv6"));
            Long outer = top != null && top.isObject() ? num(top, "dhcpv6.msgtype") : null;
            typeCode = v6TypeCode(outer == null ? -1 : outer.intValue()); // relayed: the OUTERMOST type
            expected = client6(layers, outer == null ? -1 : outer.intValue());
        } else {
            JsonNode t = first(layers.get("dhcp"));
            Integer type = null;
            if (t != null && t.isObject()) {
                type = firstInt(listed(options4(new Check(""), layers)), 53, "dhcp.option.dhcp");
            }
            typeCode = v4TypeCode(type == null ? -1 : type);
            expected = client4(layers, t);
        }
        int low = expected.mac != null ? (int) (Long.parseLong(expected.mac, 16) & 0xFFFFFF) : expected.hash;
        c.eq("mark_type", text(our, "mark_type"), String.format("0x%02x", typeCode));
        c.eq("mark_source", text(our, "mark_source"), expected.source);
        c.eq("client_mac", hex(text(our, "client_mac")), expected.mac);
        c.eq("client_mark", text(our, "client_mark"), String.format("0x%06x", low));
        c.eq("mark", text(our, "mark"), String.format("0x%08x", (typeCode << 24) | low));
    }

    /** Where the client part of the mark comes from, with the MAC (12 hex digits) or the 24-bit hash. */
    private record Client(String source, String mac, int hash) {
        static Client mac(String source, String mac) {
            return new Client(source, hex(mac), 0);
        }

        static Client hash(String source, byte[] id) {
            return new Client(source, null, fnv24(id));
        }
    }

    private static final Client NO_CLIENT = new Client("none", null, 0);

    private static Client client4(JsonNode layers, JsonNode t) {
        if (t == null || !t.isObject()) {
            return NO_CLIENT;
        }
        byte[] dhcp = HEX.parseHex(layers.get("dhcp_raw").get(0).asText());
        long htype = num(t, "dhcp.hw.type");
        long hlen = num(t, "dhcp.hw.len");
        String chaddr = hex(text(t, "dhcp.hw.mac_addr"));
        if (htype == 1 && hlen == 6 && chaddr != null && !chaddr.matches("0+")) {
            return Client.mac("chaddr", chaddr);
        }
        // The first non-empty instance of option 61, in the order options, file, sname.
        T4Option clientId = instances(listed(options4(new Check(""), layers)), 61).stream()
                .filter(o -> o.length() > 0).findFirst().orElse(null);
        if (clientId != null && clientId.length() == 7 && clientId.value().startsWith("01")) {
            return Client.mac("option61", clientId.value().substring(2));
        }
        String l2 = l2Source(layers);
        if (num(t, "dhcp.type") == 1 && ip(text(t, "dhcp.ip.relay")).equals(ip("0.0.0.0")) && l2 != null) {
            return Client.mac("l2-source", l2);
        }
        if (clientId != null && clientId.length() > 0) {
            return Client.hash("client-id-hash", HEX.parseHex(clientId.value()));
        }
        if (hlen > 0 && hlen <= 16 && dhcp.length >= 28 + hlen) {
            byte[] hw = Arrays.copyOfRange(dhcp, 28, 28 + (int) hlen);
            if (!HEX.formatHex(hw).matches("0+")) {
                return Client.hash("chaddr-hash", hw);
            }
        }
        return NO_CLIENT;
    }

    private static Client client6(JsonNode layers, int outerType) {
        Walk6 walk = walk6(layers);
        String option79 = null;
        for (Msg6 hop : walk.hops()) {
            for (T6Option o : options6(null, hop.tree())) {
                if (o.code() == 79 && o.length() == 8 && o.value().startsWith("0001")) {
                    option79 = o.value().substring(4); // the innermost relay, next to the client, wins
                }
            }
        }
        T6Option client = walk.message() == null ? null : first6(options6(null, walk.message().tree()), 1);
        if (client != null) {
            JsonNode t = client.tree();
            Long type = num(t, "dhcpv6.duid.type");
            if (type != null && type == 1 && client.length() == 14 && num(t, "dhcpv6.duidllt.hwtype") == 1) {
                return Client.mac("duid-llt", text(t, "dhcpv6.duidllt.link_layer_addr"));
            }
            if (type != null && type == 3 && client.length() == 10 && num(t, "dhcpv6.duidll.hwtype") == 1) {
                return Client.mac("duid-ll", text(t, "dhcpv6.duidll.link_layer_addr"));
            }
        }
        if (option79 != null) {
            return Client.mac("option79", option79);
        }
        String l2 = l2Source(layers);
        if (walk.hops().isEmpty() && walk.tooDeep() == null && l2 != null
                && Set.of(1, 3, 4, 5, 6, 8, 9, 11).contains(outerType)) {
            return Client.mac("l2-source", l2);
        }
        if (client != null && client.length() > 0) {
            return Client.hash("duid-hash", HEX.parseHex(client.value()));
        }
        return NO_CLIENT;
    }

    /** The documented type codes: v4 1-8 as is, 9-31 at 0x20 + type, anything else (BOOTP) 0x0f. */
    private static int v4TypeCode(int type) {
        return type >= 1 && type <= 8 ? type : type >= 9 && type <= 31 ? 0x20 + type : 0x0F;
    }

    /** v6 1-13 at 0x10 + type, 14-47 at 0x40 + type, anything else 0x1f. */
    private static int v6TypeCode(int type) {
        return type >= 1 && type <= 13 ? 0x10 + type : type >= 14 && type <= 47 ? 0x40 + type : 0x1F;
    }

    /** The documented client hash: FNV-1a 32 over the identifier, top byte XORed into the low 24 bits. */
    private static int fnv24(byte[] id) {
        int h = 0x811C9DC5;
        for (byte b : id) {
            h ^= b & 0xFF;
            h *= 0x01000193;
        }
        return ((h >>> 24) ^ h) & 0xFFFFFF;
    }

    // ================================================================== tshark JSON access

    /** A repeated field is an array under --no-duplicate-keys, a single one is not: always a list. */
    private static List<JsonNode> list(JsonNode n) {
        if (n == null || n.isNull() || n.isMissingNode()) {
            return List.of();
        }
        if (n.isArray()) {
            List<JsonNode> out = new ArrayList<>(n.size());
            n.forEach(out::add);
            return out;
        }
        return List.of(n);
    }

    /** The first layer of a repeated protocol (the outer one, e.g. TZSP's carrier). */
    private static JsonNode first(JsonNode n) {
        List<JsonNode> all = list(n);
        return all.isEmpty() ? null : all.get(0);
    }

    /** The {@code field_raw} twins ([hex, offset, length, bitmask, type]) of every instance of a field. */
    private static List<JsonNode> raws(JsonNode parent, String field) {
        JsonNode r = parent.get(field + "_raw");
        if (r == null || !r.isArray() || r.isEmpty()) {
            return List.of();
        }
        return r.get(0).isArray() ? list(r) : List.of(r);
    }

    /** The unsigned number in the bytes of a field's raw twin, whatever unit tshark displays it in. */
    private static Long rawNum(JsonNode parent, String field) {
        List<JsonNode> r = raws(parent, field);
        return r.isEmpty() ? null : Long.parseLong(r.get(0).get(0).asText(), 16);
    }

    /** The frame offset in a raw twin (of the first instance, for a repeated layer such as TZSP's inner IP). */
    private static int rawOffset(JsonNode raw) {
        if (raw == null || raw.isEmpty()) {
            return 0;
        }
        return raw.get(0).isArray() ? raw.get(0).get(1).asInt() : raw.get(1).asInt();
    }

    /** The length in a raw twin (of the first instance). */
    private static int rawLength(JsonNode raw) {
        if (raw == null || raw.isEmpty()) {
            return 0;
        }
        return raw.get(0).isArray() ? raw.get(0).get(2).asInt() : raw.get(2).asInt();
    }

    /** Every value of {@code field} below {@code n}, without descending into nested messages or sub-options. */
    private static void collect(JsonNode n, String field, List<JsonNode> out, boolean stopAtNested) {
        if (n == null) {
            return;
        }
        if (n.isArray()) {
            n.forEach(x -> collect(x, field, out, stopAtNested));
        } else if (n.isObject()) {
            n.properties().forEach(e -> {
                if (e.getKey().equals(field)) {
                    out.addAll(list(e.getValue()));
                } else if (!e.getKey().endsWith("_raw") && !(stopAtNested && (e.getKey().equals("dhcpv6")
                        || e.getKey().equals("dhcpv6.option.type_str_tree")))) {
                    collect(e.getValue(), field, out, stopAtNested);
                }
            });
        }
    }

    private static T4Option firstOption(List<T4Option> options, int code) {
        return options.stream().filter(o -> o.code() == code).findFirst().orElse(null);
    }

    private static String firstText(List<T4Option> options, int code, String field) {
        T4Option o = firstOption(options, code);
        return o == null ? null : text(o.tree(), field);
    }

    private static Long firstNum(List<T4Option> options, int code, String field) {
        T4Option o = firstOption(options, code);
        return o == null ? null : num(o.tree(), field);
    }

    private static Integer firstInt(List<T4Option> options, int code, String field) {
        Long v = firstNum(options, code, field);
        return v == null ? null : v.intValue();
    }

    // ================================================================== normalisation

    private static String text(JsonNode n, String field) {
        JsonNode v = n == null ? null : n.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }

    /** An integer in any base tshark prints ("6", "0x01", "0x000007c0"), or null. */
    private static Long num(JsonNode n, String field) {
        return num(text(n, field));
    }

    private static Long num(String s) {
        if (s == null) {
            return null;
        }
        String t = s.trim().toLowerCase(Locale.ROOT);
        return t.startsWith("0x") ? Long.parseLong(t.substring(2), 16) : Long.parseLong(t);
    }

    private static List<Long> numbers(JsonNode n) {
        if (n == null) {
            return null;
        }
        return list(n).stream().map(x -> num(x.asText())).toList();
    }

    /** Hex digits only, lower case: "AA:bb-0C" and "0xaabb0c" both become "aabb0c". */
    private static String hex(String s) {
        if (s == null) {
            return null;
        }
        String t = s.toLowerCase(Locale.ROOT);
        if (t.startsWith("0x")) {
            t = t.substring(2);
        }
        return t.replaceAll("[^0-9a-f]", "");
    }

    private static List<String> hexList(JsonNode n) {
        return n == null ? null : list(n).stream().map(x -> hex(text(x, "hex"))).toList();
    }

    /** An IP literal in one canonical form (IPv6 compression and case do not matter). */
    private static String ip(String s) {
        if (s == null) {
            return null;
        }
        try {
            return HEX.formatHex(InetAddress.getByName(s).getAddress());
        } catch (UnknownHostException e) {
            return "not an address: " + s;
        }
    }

    private static BigDecimal decimal(String s) {
        return s == null ? null : new BigDecimal(s).stripTrailingZeros();
    }

    /** A domain name without the root dot tshark sometimes prints. */
    private static String dns(String s) {
        return s == null ? null : s.endsWith(".") ? s.substring(0, s.length() - 1) : s;
    }

    private static boolean hasError(JsonNode our, String label) {
        return list(our.get("errors")).stream().anyMatch(e -> label.equals(text(e, "error")));
    }

    // ================================================================== mismatches

    /** Collects every mismatch of one capture, then fails once with all of them. */
    private static final class Check {
        final String capture;
        final List<String> mismatches = new ArrayList<>();
        long frame;
        long fields;
        long valued;
        /** Labels that must differ in this frame (an expected error explains why), and those that did. */
        Set<String> differing = Set.of();
        final Set<String> differed = new TreeSet<>();

        Check(String capture) {
            this.capture = capture;
        }

        void eq(String field, Object ours, Object theirs) {
            fields++;
            if (ours != null || theirs != null) {
                valued++;
            }
            if (differing.contains(field)) {
                if (!Objects.equals(ours, theirs)) {
                    differed.add(field);
                }
            } else if (!Objects.equals(ours, theirs)) {
                mismatch(field, String.valueOf(ours), String.valueOf(theirs));
            }
        }

        /** Every field listed as differing in this frame must have differed: a stale excuse is a mismatch too. */
        void frameDone() {
            for (String field : differing) {
                if (!differed.contains(field)) {
                    mismatch(field, "(agrees)", "(listed as an expected difference)");
                }
            }
            differing = Set.of();
            differed.clear();
        }

        void mismatch(String field, String ours, String theirs) {
            mismatches.add(String.format("frame %d: %s: ours=%s tshark=%s", frame, field, ours, theirs));
        }

        void done() {
            if (!mismatches.isEmpty()) {
                fail(capture + ": " + mismatches.size() + " mismatch(es) with tshark:\n  "
                        + mismatches.stream().limit(200).collect(Collectors.joining("\n  ")));
            }
        }
    }
}
