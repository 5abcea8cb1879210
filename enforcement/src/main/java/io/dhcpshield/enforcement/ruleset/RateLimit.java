package io.dhcpshield.enforcement.ruleset;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Objects;
import java.util.Set;

/** A token-bucket limit as nft writes it: {@code rate <rate>/<per> burst <burst> packets}. */
public record RateLimit(@JsonProperty("rate") long rate, @JsonProperty("per") String per,
                        @JsonProperty("burst") long burst) {
    public static final Set<String> UNITS = Set.of("second", "minute", "hour", "day", "week");

    public RateLimit {
        Objects.requireNonNull(per, "per");
    }

    public static RateLimit perSecond(long rate, long burst) { return new RateLimit(rate, "second", burst); }
    public static RateLimit perMinute(long rate, long burst) { return new RateLimit(rate, "minute", burst); }

    /** Empty when valid, otherwise why not (prefixed by {@code where}). */
    String problem(String where) {
        if (rate <= 0) return where + ": rate must be > 0, got " + rate;
        if (!UNITS.contains(per)) return where + ": per must be one of " + UNITS + ", got '" + per + "'";
        if (burst < 0) return where + ": burst must be >= 0, got " + burst;
        if (rate > 1_000_000_000L || burst > 1_000_000_000L) return where + ": rate/burst above 1e9";
        return "";
    }

    @Override
    public String toString() { return rate + "/" + per + " burst " + burst + " packets"; }
}
