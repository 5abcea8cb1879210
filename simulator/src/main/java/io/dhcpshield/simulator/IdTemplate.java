package io.dhcpshield.simulator;

import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * A relay identifier (Option 82 circuit/remote id, DHCPv6 interface-id) as the operator writes it: plain text, or
 * text with one {@code %d} that becomes the client's index, so every simulated client can sit on its own port.
 */
public final class IdTemplate {

    private final String prefix;
    private final String suffix;
    private final byte[] constant;

    private IdTemplate(String text) {
        int at = text.indexOf("%d");
        this.prefix = at < 0 ? text : text.substring(0, at);
        this.suffix = at < 0 ? "" : text.substring(at + 2);
        this.constant = at < 0 ? text.getBytes(StandardCharsets.UTF_8) : null;
    }

    /** The template, or null for null or empty text (no identifier). */
    public static IdTemplate of(String text) {
        return text == null || text.isEmpty() ? null : new IdTemplate(text);
    }

    /** The identifier of client {@code index}. */
    public byte[] bytes(long index) {
        return constant != null ? constant : (prefix + index + suffix).getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
        return constant != null ? prefix : prefix + "%d" + suffix;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof IdTemplate t && t.toString().equals(toString());
    }

    @Override
    public int hashCode() {
        return Objects.hash(toString());
    }
}
