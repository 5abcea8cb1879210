package io.dhcpshield.enforcement.ruleset;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What varies between rulesets (seed 001: "only the rate-limit thresholds, timeouts, and set sizes vary"): the
 * per-message-type per-client rate limits, the throttle action's rate, set timeouts and sizes, and
 * {@code nfqueue.queue_count}. Missing entries fall back to the defaults in one place ({@link #defaults}).
 *
 * <p>JSON form (snake_case): {@code {"name":..., "queue_count":8, "throttle":{"rate":10,"per":"minute","burst":10},
 * "default_rate_limit":{...}, "rate_limits":{"v4_discover":{...}}, "sets":{"blocked_macs":{"timeout_seconds":120,
 * "size":2500000}}}}.
 */
public record ThrottlingProfile(
        @JsonProperty("name") String name,
        @JsonProperty("queue_count") int queueCount,
        @JsonProperty("throttle") RateLimit throttle,
        @JsonProperty("default_rate_limit") RateLimit defaultRateLimit,
        @JsonProperty("rate_limits") Map<String, RateLimit> rateLimits,
        @JsonProperty("sets") Map<String, SetSpec> sets) {

    /** seed 002: the throttle action passes 10 packets per minute. */
    public static final RateLimit SEED_THROTTLE = RateLimit.perMinute(10, 10);
    public static final int DEFAULT_QUEUE_COUNT = 8;

    @JsonCreator
    public ThrottlingProfile {
        Objects.requireNonNull(name, "name");
        throttle = throttle == null ? SEED_THROTTLE : throttle;
        rateLimits = rateLimits == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(rateLimits));
        sets = sets == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(sets));
    }

    /** The per-client limit of one inbound message type (the profile entry, else {@link #defaultRateLimit}). */
    public RateLimit rateLimit(MessageTypeChain type) {
        return rateLimits.getOrDefault(type.typeName(), defaultRateLimit);
    }

    public SetSpec set(EnforcementSet set) {
        return sets.getOrDefault(set.setName(), new SetSpec(set.defaultTimeoutSeconds(), set.defaultSize()));
    }

    /** Inbound queues 1..ceil(n/2), outbound 1..n: seed 001's {@code 1-4} / {@code 1-8} for the default 8. */
    public int inboundQueueCount() { return (queueCount + 1) / 2; }

    /** Every problem with this profile, each naming its field; empty when the profile can be rendered. */
    public List<String> problems() {
        List<String> out = new ArrayList<>();
        if (!name.matches("[A-Za-z0-9_.-]{1,64}")) out.add("name: 1-64 of [A-Za-z0-9_.-], got '" + name + "'");
        if (queueCount < 1 || queueCount > 64) out.add("queue_count: must be in 1..64, got " + queueCount);
        add(out, throttle.problem("throttle"));
        if (defaultRateLimit == null) out.add("default_rate_limit: missing");
        else add(out, defaultRateLimit.problem("default_rate_limit"));
        rateLimits.forEach((k, v) -> {
            var type = MessageTypeChain.byTypeName(k);
            if (type.isEmpty()) out.add("rate_limits." + k + ": unknown message type (known: v4_discover, ...)");
            else if (type.get().direction() == MessageTypeChain.Direction.OUTBOUND)
                out.add("rate_limits." + k + ": server replies are not rate limited");
            else if (v == null) out.add("rate_limits." + k + ": missing");
            else add(out, v.problem("rate_limits." + k));
        });
        sets.forEach((k, v) -> {
            if (EnforcementSet.byName(k).isEmpty()) out.add("sets." + k + ": unknown set (the seven of seed 001)");
            else if (v == null) out.add("sets." + k + ": missing");
            else add(out, v.problem("sets." + k));
        });
        return out;
    }

    /** @throws ProfileValidationException listing every problem */
    public ThrottlingProfile validated() {
        List<String> p = problems();
        if (!p.isEmpty()) throw new ProfileValidationException(name, p);
        return this;
    }

    private static void add(List<String> out, String problem) {
        if (!problem.isEmpty()) out.add(problem);
    }

    /** The shipped dual-stack profiles; {@code medium} is the default ruleset ({@code nft-v2}). */
    public static ThrottlingProfile dualstack(String level) {
        return switch (level) {
            case "low" -> defaults("dualstack_low_throttling", 50, 100, 2000);
            case "medium" -> defaults("dualstack_medium_throttling", 20, 40, 1000);
            case "strict" -> defaults("dualstack_strict_throttling", 5, 10, 300);
            default -> throw new IllegalArgumentException("level must be low, medium or strict: " + level);
        };
    }

    /**
     * One place for the defaults: client messages of an exchange at {@code rate}/s, the rarer ones (RELEASE,
     * DECLINE, CONFIRM) at half, RELAY-FORW (one relay speaking for many clients whose innermost mark it carries)
     * at {@code relayRate}/s; every set at the seed's timeout and size.
     */
    public static ThrottlingProfile defaults(String name, long rate, long burst, long relayRate) {
        Map<String, RateLimit> limits = new LinkedHashMap<>();
        RateLimit base = RateLimit.perSecond(rate, burst);
        RateLimit rare = RateLimit.perSecond(Math.max(1, rate / 2), Math.max(1, burst / 2));
        for (MessageTypeChain t : MessageTypeChain.inbound()) {
            limits.put(t.typeName(), switch (t) {
                case V4_RELEASE, V4_DECLINE, V6_RELEASE, V6_DECLINE, V6_CONFIRM -> rare;
                case V6_RELAY_FORW -> RateLimit.perSecond(relayRate, relayRate * 2);
                default -> base;
            });
        }
        Map<String, SetSpec> sets = new LinkedHashMap<>();
        EnumMap<EnforcementSet, SetSpec> ordered = new EnumMap<>(EnforcementSet.class);
        for (EnforcementSet s : EnforcementSet.values()) ordered.put(s, new SetSpec(s.defaultTimeoutSeconds(), s.defaultSize()));
        ordered.forEach((k, v) -> sets.put(k.setName(), v));
        return new ThrottlingProfile(name, DEFAULT_QUEUE_COUNT, SEED_THROTTLE, base, limits, sets);
    }
}
