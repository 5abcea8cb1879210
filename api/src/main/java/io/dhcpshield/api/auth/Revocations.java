package io.dhcpshield.api.auth;

import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What is revoked, in memory, for the per-request check: single tokens (a rotated refresh token, a logged-out
 * access token), refresh families (logout, reuse of a rotated refresh token), and users (every token issued before
 * a moment: password reset, disable, role change). Loaded from ClickHouse at start and written through to it, so
 * revocations survive a restart. Entries past their expiry are dropped by {@link #prune}.
 */
public final class Revocations {

    /** Why a single token was revoked; a rotated refresh token presented again means its family leaked. */
    public enum Reason { ROTATED, LOGOUT, REUSE, ADMIN }

    private record Entry(Reason reason, Instant expires) {
    }

    private final Map<String, Entry> tokens = new ConcurrentHashMap<>();
    private final Map<String, Entry> families = new ConcurrentHashMap<>();
    private final Map<String, Instant> usersBefore = new ConcurrentHashMap<>();
    private final Map<String, Instant> usersExpire = new ConcurrentHashMap<>();

    /**
     * Marks a token id revoked; returns the earlier entry's reason when it already was (so exactly one of two
     * concurrent refreshes of the same token wins).
     */
    public Reason revokeToken(String id, Reason reason, Instant expires) {
        Entry old = tokens.putIfAbsent(id, new Entry(reason, expires));
        return old == null ? null : old.reason();
    }

    public void revokeFamily(String family, Reason reason, Instant expires) {
        families.merge(family, new Entry(reason, expires), (a, b) -> a.expires().isAfter(b.expires()) ? a : b);
    }

    /** Every token of {@code user} issued before {@code before} is refused until {@code expires}. */
    public void revokeUser(String user, Instant before, Instant expires) {
        usersBefore.merge(user, before, (a, b) -> a.isAfter(b) ? a : b);
        usersExpire.merge(user, expires, (a, b) -> a.isAfter(b) ? a : b);
    }

    /** The reason a token id was revoked, or null. */
    public Reason token(String id) {
        Entry e = tokens.get(id);
        return e == null ? null : e.reason();
    }

    public boolean family(String family) {
        return families.containsKey(family);
    }

    /** True when a token of {@code user} issued at {@code issuedAt} is revoked. */
    public boolean user(String user, Instant issuedAt) {
        Instant before = usersBefore.get(user);
        return before != null && !issuedAt.isAfter(before);
    }

    /** Forgets entries whose tokens have all expired anyway. */
    public void prune(Instant now) {
        tokens.values().removeIf(e -> e.expires().isBefore(now));
        families.values().removeIf(e -> e.expires().isBefore(now));
        usersExpire.forEach((u, exp) -> {
            if (exp.isBefore(now)) {
                usersExpire.remove(u);
                usersBefore.remove(u);
            }
        });
    }

    /** Entries held, for the metrics. */
    public int size() {
        return tokens.size() + families.size() + usersBefore.size();
    }
}
