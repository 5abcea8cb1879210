package io.dhcpshield.enforcement.action;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Where the audit history of actions lives ("who blocked this device, and when?"). The ClickHouse implementation
 * arrives with the storage issue; a state change is saved as a new version of the same id.
 */
public interface ActionLog {
    /** Inserts or replaces the record with this id. */
    void save(ActionRecord record);

    /** Saves several records in this order, as one write where the store can (an action on many clients). */
    default void saveAll(List<ActionRecord> records) {
        records.forEach(this::save);
    }

    Optional<ActionRecord> find(UUID id);

    /** Records in state ACTIVE whose expiry is after {@code now} (or permanent): what reconcile re-applies. */
    List<ActionRecord> active(Instant now);

    /** Every record taken in {@code [from, to)}, oldest first. */
    List<ActionRecord> history(Instant from, Instant to);
}
