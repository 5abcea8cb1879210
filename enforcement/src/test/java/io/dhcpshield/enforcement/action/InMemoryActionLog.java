package io.dhcpshield.enforcement.action;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/** The action log for unit tests only: the latest version of every record, in insertion order. */
public final class InMemoryActionLog implements ActionLog {
    private final Map<UUID, ActionRecord> records = new LinkedHashMap<>();

    @Override
    public synchronized void save(ActionRecord record) { records.put(record.id(), record); }

    @Override
    public synchronized Optional<ActionRecord> find(UUID id) { return Optional.ofNullable(records.get(id)); }

    @Override
    public synchronized List<ActionRecord> active(Instant now) {
        return records.values().stream().filter(r -> r.activeAt(now)).toList();
    }

    @Override
    public synchronized List<ActionRecord> history(Instant from, Instant to) {
        return records.values().stream().filter(r -> !r.at().isBefore(from) && r.at().isBefore(to)).toList();
    }

    public synchronized List<ActionRecord> all() { return new ArrayList<>(records.values()); }
}
