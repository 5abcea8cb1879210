package io.dhcpshield.storage;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/** Waits on a condition (a counter, a state), never on a fixed sleep; shared by every module's tests. */
public final class Await {

    private Await() {
    }

    /** Polls {@code condition} until it holds, or fails naming {@code what} after {@code timeout}. */
    public static void until(Duration timeout, BooleanSupplier condition, String what) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted waiting for " + what);
            }
        }
    }
}
