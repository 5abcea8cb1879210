package io.dhcpshield.processor.systemd;

/**
 * Whether the loops that do the daemon's work are alive: what the watchdog checks before each ping, so that a stuck
 * event loop or a stalled pipeline stops the pings and systemd restarts the service.
 */
@FunctionalInterface
public interface Liveness {

    /** Alive, whatever the age. */
    Liveness ALWAYS = maxAgeNanos -> "";

    /**
     * "" when every loop proved alive within {@code maxAgeNanos}; else what is stuck ({@code nfqueue 1 event loop
     * silent for 3.2 s}, {@code inspection paused}).
     */
    String stuck(long maxAgeNanos);

    /** Both alive; else the first one's reason. */
    default Liveness and(Liveness other) {
        return maxAge -> {
            String s = stuck(maxAge);
            return s.isEmpty() ? other.stuck(maxAge) : s;
        };
    }
}
