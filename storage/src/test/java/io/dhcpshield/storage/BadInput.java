package io.dhcpshield.storage;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What callers may send that must change nothing: SQL metacharacters, and arguments the API must refuse. */
final class BadInput {

    static final String NASTY = "x' OR 1=1 --";
    /** Quotes, backslashes, comments, a statement separator, NUL, LIKE wildcards, a placeholder. */
    static final List<String> ATTACKS = List.of(NASTY, "\\' OR 1=1 --", "') OR ('1'='1", "c1' UNION SELECT 1 --",
            "?", "c1\\", "c1'; DROP TABLE dhcp_events; --", "c1\0", "\\", "'", "\"", "\0", "%", "_");

    private BadInput() {
    }

    /** The call throws an {@link IllegalArgumentException} whose message names {@code argument}. */
    static void assertRefused(String argument, Runnable call) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call::run);
        assertTrue(e.getMessage().contains(argument), "names " + argument + ": " + e.getMessage());
    }
}
