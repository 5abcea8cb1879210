package io.dhcpshield.enforcement.ruleset;

import static io.dhcpshield.enforcement.ruleset.Nft.*;

import com.fasterxml.jackson.databind.JsonNode;
import io.dhcpshield.enforcement.ruleset.Ruleset.Chain;
import io.dhcpshield.enforcement.ruleset.Ruleset.Hook;
import io.dhcpshield.enforcement.ruleset.Ruleset.NamedCounter;
import io.dhcpshield.enforcement.ruleset.Ruleset.NamedSet;
import io.dhcpshield.enforcement.ruleset.Ruleset.Rule;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds seed 001's skeleton from a {@link ThrottlingProfile}. Inside every inbound per-type chain the order is
 * the seed's: strip type bits, allow, block, deny, throttle (10/min per client), monitor (log), blocked_macs,
 * per-client rate limit through tracked_marks with the overage added to blocked_macs.
 */
public final class RulesetBuilder {
    /**
     * UDP ports dhcp_inspect hands to the queue: DHCPv4, DHCPv6 and the TZSP re-injection ports (those only on the
     * loopback, where the collector sends its copies).
     */
    public static final long[] INSPECTED_PORTS = {67, 68, 546, 547, 1067, 1547};
    public static final long[] DHCP_PORTS = {67, 68, 546, 547};
    public static final long[] MIRRORED_PORTS = {1067, 1547};
    /** The interface re-injected copies leave by (output hook) and arrive on (prerouting). */
    public static final String LOOPBACK = "lo";
    public static final String MONITOR_LOG_PREFIX = "dhcp-monitor ";

    public static final List<String> SYSTEM_COUNTERS = List.of("all_dhcp_packets", "inbound_to_nf", "outbound_to_nf",
            "mirrored_dropped", "tracked_a", "freshly_blocked_macs", "default_enforce_a");
    public static final String DEFAULT_ENFORCE_CHAIN = "default_enforce_chain";

    private final List<Rule> rules = new ArrayList<>();
    private RateLimit throttle;

    private RulesetBuilder() {}

    public static Ruleset build(ThrottlingProfile profile, QueueMode mode) {
        return new RulesetBuilder().render(profile.validated(), mode);
    }

    private Ruleset render(ThrottlingProfile p, QueueMode mode) {
        throttle = p.throttle();
        List<NamedCounter> counters = new ArrayList<>();
        SYSTEM_COUNTERS.forEach(c -> counters.add(new NamedCounter(c)));
        for (MessageTypeChain t : MessageTypeChain.values()) {
            counters.add(new NamedCounter(t.totalCounter()));
            counters.add(new NamedCounter(t.acceptedCounter()));
            counters.add(new NamedCounter(t.droppedCounter()));
        }

        List<NamedSet> sets = new ArrayList<>();
        for (EnforcementSet s : EnforcementSet.values()) {
            SetSpec spec = p.set(s);
            // A per-element limit (set-level "limit rate 10/minute") passed ~10/s on this kernel (29 packets in 3 s),
            // so the throttle is a rule-level bucket per chain (seed 002: "limit rate 10/minute accept").
            sets.add(new NamedSet(s.setName(), "mark", List.of("timeout"), spec.timeoutSeconds(), spec.size(), null));
        }

        List<Chain> chains = new ArrayList<>();
        chains.add(new Chain("dhcp_inspect", new Hook("filter", "prerouting", -100, "accept")));
        chains.add(new Chain("drop_mirrored", new Hook("filter", "prerouting", -99, "accept")));
        chains.add(new Chain("route_by_type", new Hook("filter", "prerouting", -98, "accept")));
        chains.add(new Chain("dhcp_inspect_output", new Hook("filter", "output", -100, "accept")));
        chains.add(new Chain("route_output_by_type", new Hook("filter", "output", -98, "accept")));
        chains.add(new Chain("mac_actions", new Hook("filter", "prerouting", 90, "accept")));
        chains.add(new Chain("dhcp_block", new Hook("filter", "prerouting", 100, "accept")));
        for (MessageTypeChain t : MessageTypeChain.values()) chains.add(new Chain(t.chainName(), null));
        chains.add(new Chain(DEFAULT_ENFORCE_CHAIN, null));

        inspect("dhcp_inspect", "inbound_to_nf", mode, 1, p.inboundQueueCount(), "iif");
        // Only the collector's copies, arriving on the loopback: a host elsewhere sending to 1067 is not a mirror.
        rule("drop_mirrored", match("==", udpDport(), anonSet(MIRRORED_PORTS)), match("==", meta("iif"), str(LOOPBACK)),
                counter("mirrored_dropped"), drop());

        // In a routed appliance the server's replies cross prerouting too, so route_by_type dispatches every type.
        Map<Long, String> all = new LinkedHashMap<>();
        for (MessageTypeChain t : MessageTypeChain.values()) all.put(t.typeBits(), t.chainName());
        rule("route_by_type", vmapJump(binop("&", mark(), TYPE_BITS), all));
        // Unknown type codes (0x0f, 0x1f, 0x29-0x3f, 0x4e-0x6f) and typeless client marks.
        rule("route_by_type", match("!=", mark(), num(0)), jump(DEFAULT_ENFORCE_CHAIN));

        inspect("dhcp_inspect_output", "outbound_to_nf", mode, 1, p.queueCount(), "oif");
        // A re-injected copy is an observation on its way to drop_mirrored: never enforced, so a blocked client's
        // mirrored reply is still analysed on arrival and counted in mirrored_dropped.
        rule("route_output_by_type", match("==", udpDport(), anonSet(MIRRORED_PORTS)),
                match("==", meta("oif"), str(LOOPBACK)), accept());
        Map<Long, String> out = new LinkedHashMap<>();
        for (MessageTypeChain t : MessageTypeChain.outbound()) out.put(t.typeBits(), t.chainName());
        rule("route_output_by_type", vmapJump(binop("&", mark(), TYPE_BITS), out));

        // Safety nets: idempotent set checks on the bare client mark, for packets that bypassed the vmap.
        rule("mac_actions", match("==", mark(), num(0)), accept());
        rule("mac_actions", inSet(clientMark(), "llm_allowed_marks"), accept());
        rule("mac_actions", inSet(clientMark(), "llm_blocked_marks"), counter(), drop());
        rule("mac_actions", inSet(clientMark(), "llm_denied_marks"), counter(), drop());
        rule("dhcp_block", match("==", mark(), num(0)), accept());
        rule("dhcp_block", inSet(clientMark(), "llm_allowed_marks"), accept());
        rule("dhcp_block", inSet(clientMark(), "blocked_macs"), counter(), drop());

        for (MessageTypeChain t : MessageTypeChain.inbound()) {
            ladder(t.chainName(), t.totalCounter(), t.acceptedCounter(), t.droppedCounter(), p.rateLimit(t), t.typeBits());
        }
        for (MessageTypeChain t : MessageTypeChain.outbound()) replyChain(t);
        ladder(DEFAULT_ENFORCE_CHAIN, null, "default_enforce_a", null, p.defaultRateLimit(), 0);

        return new Ruleset(Ruleset.FAMILY, Ruleset.TABLE, p, mode, counters, sets, chains, rules);
    }

    /** {@code iface}: the hook's interface key ({@code iif} on prerouting, {@code oif} on output). */
    private void inspect(String chain, String counterName, QueueMode mode, int from, int to, String iface) {
        rule(chain, match("!=", meta("l4proto"), str("udp")), accept());
        rule(chain, match("!=", udpDport(), anonSet(INSPECTED_PORTS)), accept());
        rule(chain, match("==", udpDport(), anonSet(MIRRORED_PORTS)), match("!=", meta(iface), str(LOOPBACK)), accept());
        if (mode == QueueMode.NATIVE_NFT) {
            rule(chain, counter("all_dhcp_packets"), counter(counterName), queue(from, to));
        } else {
            // The xt NFQUEUE rule (iptables-nft, mangle, priority -150) already queued the packet; count it here.
            rule(chain, counter("all_dhcp_packets"), counter(counterName));
        }
    }

    /** The inbound ladder. {@code typeBits} keys tracked_marks per (type, client) so each type keeps its own limit. */
    private void ladder(String chain, String total, String a, String d, RateLimit limit, long typeBits) {
        List<JsonNode> strip = new ArrayList<>();
        if (total != null) strip.add(counter(total));
        strip.add(setMark(binop("&", mark(), CLIENT_BITS)));
        rule(chain, strip);
        JsonNode dropCount = d != null ? counter(d) : counter();
        rule(chain, inSet(mark(), "llm_allowed_marks"), counter(a), accept());
        rule(chain, inSet(mark(), "llm_blocked_marks"), dropCount, drop());
        rule(chain, inSet(mark(), "llm_denied_marks"), dropCount.deepCopy(), drop());
        // Under the chain's 10/min bucket (shared by the throttled clients of this type): accept; over: drop.
        rule(chain, inSet(mark(), "llm_throttled_marks"), limit(throttle, false), counter(a), accept());
        rule(chain, inSet(mark(), "llm_throttled_marks"), dropCount.deepCopy(), drop());
        rule(chain, inSet(mark(), "llm_monitored_marks"), log(MONITOR_LOG_PREFIX + chain + " ", "info"));
        rule(chain, inSet(mark(), "blocked_macs"), dropCount.deepCopy(), drop());
        JsonNode key = typeBits == 0 ? mark() : binop("|", mark(), typeBits);
        rule(chain, setOp("update", key, "tracked_marks", List.of(limit(limit, true))),
                setOp("add", mark(), "blocked_macs", List.of()), counter("freshly_blocked_macs"), dropCount.deepCopy(), drop());
        rule(chain, counter("tracked_a"), counter(a), accept());
    }

    /** Server replies: counted and checked against the action sets, never rate limited (no double counting). */
    private void replyChain(MessageTypeChain t) {
        String chain = t.chainName();
        rule(chain, counter(t.totalCounter()), setMark(binop("&", mark(), CLIENT_BITS)));
        rule(chain, inSet(mark(), "llm_allowed_marks"), counter(t.acceptedCounter()), accept());
        rule(chain, inSet(mark(), "llm_blocked_marks"), counter(t.droppedCounter()), drop());
        rule(chain, inSet(mark(), "llm_denied_marks"), counter(t.droppedCounter()), drop());
        rule(chain, inSet(mark(), "llm_monitored_marks"), log(MONITOR_LOG_PREFIX + chain + " ", "info"));
        rule(chain, counter(t.acceptedCounter()), accept());
    }

    private void rule(String chain, JsonNode... expr) {
        rules.add(new Rule(chain, Arrays.asList(expr)));
    }

    private void rule(String chain, List<JsonNode> expr) {
        rules.add(new Rule(chain, expr));
    }
}
