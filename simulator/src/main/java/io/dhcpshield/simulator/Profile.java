package io.dhcpshield.simulator;

import java.util.Locale;

/**
 * What the simulated clients do. The normal profiles complete exchanges the way real clients do; the misbehaving
 * ones produce the traffic the appliance exists to catch. Each exchange of a profile starts at the target rate.
 */
public enum Profile {
    /** DHCPv4 DISCOVER, OFFER, REQUEST, ACK. */
    DORA(true, false, "DHCPv4 DISCOVER-OFFER-REQUEST-ACK"),
    /** DHCPv6 SOLICIT, ADVERTISE, REQUEST, REPLY. */
    SARR(false, true, "DHCPv6 SOLICIT-ADVERTISE-REQUEST-REPLY"),
    /** The normal exchange, then a renewal (v4 REQUEST with ciaddr; v6 RENEW) answered by ACK/REPLY. */
    RENEW(true, true, "the normal exchange, then a renewal"),
    /** The normal exchange, then a RELEASE (v6: answered by REPLY; v4 has no answer). */
    RELEASE(true, true, "the normal exchange, then a RELEASE"),
    /** Normal exchanges with a share (--misbehave-ratio) of flood DISCOVERs, malformed packets and spoofed RELEASEs. */
    MIX(true, true, "normal exchanges plus a share of misbehaviour"),
    /** DISCOVER/SOLICIT as fast as asked from the few clients of --clients; never a REQUEST. */
    FLOOD(true, true, "DISCOVER/SOLICIT only, from few clients"),
    /** Complete exchanges, each from a new random MAC: takes a lease per exchange until the pool is gone. */
    STARVATION(true, true, "complete exchanges from random MACs, one lease each"),
    /** A client's exchange, then a RELEASE of its address sent from elsewhere (the attacker's circuit/interface). */
    SPOOFED_RELEASE(true, true, "a victim's exchange, then a RELEASE of its lease from the attacker's port"),
    /** Acts as a server: OFFER+ACK (v4) or ADVERTISE+REPLY (v6) to the clients, from this host's address. */
    ROGUE_SERVER(true, true, "server replies (OFFER/ACK, ADVERTISE/REPLY) from a rogue address"),
    /** Malformed client messages (truncated, bad cookie, overruns, bad lengths, broken relay nesting). */
    MALFORMED(true, true, "malformed packets our decoder must count, not crash on");

    private final boolean v4;
    private final boolean v6;
    private final String description;

    Profile(boolean v4, boolean v6, String description) {
        this.v4 = v4;
        this.v6 = v6;
        this.description = description;
    }

    public boolean supports(int family) {
        return family == 4 ? v4 : family == 6 && v6;
    }

    /** The family a profile implies when the operator names none: 6 for sarr, else 4. */
    public int defaultFamily() {
        return v4 ? 4 : 6;
    }

    public String description() {
        return description;
    }

    /** The command-line name: {@code spoofed-release}. */
    public String cliName() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    public static Profile parse(String text) {
        return valueOf(text.trim().toUpperCase(Locale.ROOT).replace('-', '_'));
    }

    /** Whether the profile runs exchanges that wait for a server's answers. */
    public boolean tracksReplies() {
        return this != ROGUE_SERVER && this != MALFORMED;
    }
}
