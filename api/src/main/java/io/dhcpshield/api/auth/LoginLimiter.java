package io.dhcpshield.api.auth;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.dhcpshield.core.time.Time;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Failed logins per user and per source address over a sliding window: past the limit, logins answer 429 with the
 * time until the oldest failure leaves the window, whether the password is right or not. The tables are bounded
 * (Caffeine), so guessing many names from many addresses cannot grow memory without limit.
 */
public final class LoginLimiter {

    private final int perUser;
    private final int perAddress;
    private final Duration window;
    private final Time time;
    private final Cache<String, Deque<Instant>> users;
    private final Cache<String, Deque<Instant>> addresses;

    public LoginLimiter(int perUser, int perAddress, Duration window, Time time) {
        this.perUser = perUser;
        this.perAddress = perAddress;
        this.window = window;
        this.time = time;
        this.users = Caffeine.newBuilder().maximumSize(100_000).expireAfterAccess(window).build();
        this.addresses = Caffeine.newBuilder().maximumSize(100_000).expireAfterAccess(window).build();
    }

    /** How long until {@code user} from {@code address} may try again; null when it may now. */
    public Duration blockedFor(String user, String address) {
        Instant now = time.now();
        Duration a = blocked(users.getIfPresent(user), perUser, now);
        Duration b = blocked(addresses.getIfPresent(address), perAddress, now);
        if (a == null) {
            return b;
        }
        return b == null || a.compareTo(b) > 0 ? a : b;
    }

    public void failed(String user, String address) {
        Instant now = time.now();
        add(users.get(user, k -> new ArrayDeque<>()), now);
        add(addresses.get(address, k -> new ArrayDeque<>()), now);
    }

    /** A successful login clears the user's failures (not the address's). */
    public void succeeded(String user) {
        users.invalidate(user);
    }

    private Duration blocked(Deque<Instant> failures, int limit, Instant now) {
        if (failures == null) {
            return null;
        }
        synchronized (failures) {
            while (!failures.isEmpty() && !failures.peekFirst().plus(window).isAfter(now)) {
                failures.pollFirst();
            }
            if (failures.size() < limit) {
                return null;
            }
            return Duration.between(now, failures.peekFirst().plus(window));
        }
    }

    private static void add(Deque<Instant> failures, Instant now) {
        synchronized (failures) {
            failures.addLast(now);
            while (failures.size() > 1000) {
                failures.pollFirst();
            }
        }
    }
}
