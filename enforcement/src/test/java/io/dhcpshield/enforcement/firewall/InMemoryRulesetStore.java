package io.dhcpshield.enforcement.firewall;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Test double of the ClickHouse store: the latest row per (name, version), applies newest first. */
public final class InMemoryRulesetStore implements RulesetStore {
    private final Map<String, StoredRuleset> rows = new LinkedHashMap<>();
    private final List<ApplyRecord> applies = new ArrayList<>();

    @Override
    public synchronized List<StoredRuleset> all() {
        return rows.values().stream().map(r -> r.withBody("")).toList();
    }

    @Override
    public synchronized Optional<StoredRuleset> get(String name, int version) {
        return Optional.ofNullable(rows.get(name + "@" + version));
    }

    @Override
    public synchronized void save(List<StoredRuleset> list) {
        for (StoredRuleset r : list) {
            StoredRuleset old = rows.get(r.ref());
            rows.put(r.ref(), r.body().isEmpty() && old != null ? r.withBody(old.body()) : r);
        }
    }

    @Override
    public synchronized void saveApply(ApplyRecord apply) {
        applies.add(apply);
    }

    @Override
    public synchronized List<ApplyRecord> applies(int limit) {
        List<ApplyRecord> c = new ArrayList<>(applies);
        java.util.Collections.reverse(c);
        return c.stream().limit(limit).toList();
    }

    @Override
    public synchronized Optional<ApplyRecord> apply(String id) {
        return applies.stream().filter(a -> a.id().equals(id)).findFirst();
    }
}
