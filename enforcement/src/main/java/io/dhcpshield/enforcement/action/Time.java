package io.dhcpshield.enforcement.action;

import java.time.Instant;

/**
 * Wall-clock time, injected so action expiry and deny re-arming are testable without sleeping (Kafka's
 * {@code Time}/{@code MockTime} pattern). Belongs in core once another module needs it.
 */
public interface Time {
    Time SYSTEM = System::currentTimeMillis;

    long milliseconds();

    default Instant now() { return Instant.ofEpochMilli(milliseconds()); }
}
