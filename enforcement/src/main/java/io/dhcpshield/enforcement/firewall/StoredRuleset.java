package io.dhcpshield.enforcement.firewall;

import java.time.Instant;
import java.util.Objects;

/**
 * One version of a named ruleset as the Firewall Manager keeps it. The content ({@code body}, pretty JSON) of a
 * version never changes; its state does (active and apply order, deleted), and each state change is a new row of
 * the same (name, version) with a later {@code updatedAt}. {@code body} is "" in listings.
 *
 * @param source where it came from: {@code profile:medium}, {@code kernel}, {@code copy:NAME@V}, {@code import},
 *               {@code edit}
 * @param order  the apply order among the active rulesets (1 first); 0 when not active
 */
public record StoredRuleset(String name, int version, String body, String source, String comment, Instant createdAt,
                            String createdBy, boolean active, int order, boolean deleted, Instant updatedAt) {
    public StoredRuleset {
        Objects.requireNonNull(name, "name");
        body = body == null ? "" : body;
        source = source == null ? "" : source;
        comment = comment == null ? "" : comment;
        createdBy = createdBy == null ? "" : createdBy;
    }

    public String ref() {
        return name + "@" + version;
    }

    public StoredRuleset withState(boolean active, int order, boolean deleted, Instant at) {
        return new StoredRuleset(name, version, body, source, comment, createdAt, createdBy, active, order, deleted, at);
    }

    public StoredRuleset withBody(String body) {
        return new StoredRuleset(name, version, body, source, comment, createdAt, createdBy, active, order, deleted,
                updatedAt);
    }
}
