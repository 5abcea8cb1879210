package io.dhcpshield.storage;

import io.dhcpshield.core.time.Time;
import io.dhcpshield.storage.OperationalKeys.Key;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.core.scheduler.Scheduler;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Operational config: for every key of {@link OperationalKeys}, the value in {@code system_config} (read with FINAL,
 * newest version wins, {@code deleted = 1} is a tombstone) &gt; the YAML value &gt; the compiled default.
 * {@link #watch} re-reads the table every interval on the given scheduler; {@link #changes()} emits each effective
 * value that changed, so a runtime toggle takes effect without a restart. {@link #set} and {@link #reset} write a new
 * version and one {@code users_audit_log} row (who, key, old, new, when).
 * <p>
 * Features: {@link #enabled} is the YAML flag (Core config, fixed at start); {@link #running} is enabled AND the
 * database-backed {@code operational.<feature>.active}.
 */
public final class OperationalConfig implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(OperationalConfig.class);

    /** Where an effective value came from. */
    public enum Source { DATABASE, YAML, DEFAULT }

    /** An effective value that changed: old and new as stored text. */
    public record Change(String key, String oldValue, String newValue, Source source, Instant at) {
    }

    private record Resolved(Object value, String text, Source source) {
    }

    private final ClickHouseClient client;
    private final Time time;
    private final Map<String, String> yaml;
    private final Set<String> enabledFeatures;
    private final Sinks.Many<Change> changes = Sinks.many().multicast().directBestEffort();
    private volatile Map<String, Resolved> effective;
    private volatile long maxVersion;
    private volatile Disposable watch;

    /**
     * @param yaml            operational values from config.yaml by full key name (may be empty); each is validated
     * @param enabledFeatures the features whose {@code <feature>.enabled} is true in YAML
     */
    public OperationalConfig(ClickHouseClient client, Map<String, String> yaml, Set<String> enabledFeatures,
                             Time time) {
        this.client = Objects.requireNonNull(client, "client");
        this.time = Objects.requireNonNull(time, "time");
        this.enabledFeatures = Set.copyOf(enabledFeatures);
        for (Map.Entry<String, String> e : yaml.entrySet()) {
            Key<?> k = OperationalKeys.byName(e.getKey());
            if (k == null) {
                throw new IllegalArgumentException("config.yaml: unknown operational key " + e.getKey());
            }
            k.valueOf(e.getValue());   // fail at start on a malformed YAML value
        }
        this.yaml = Map.copyOf(yaml);
        this.effective = resolve(Map.of());
    }

    /** The effective value of a key. */
    public <T> T get(Key<T> key) {
        return key.type().cast(effective.get(key.name()).value());
    }

    public Source sourceOf(Key<?> key) {
        return effective.get(key.name()).source();
    }

    /** Every key's effective value as text, by name. */
    public Map<String, String> snapshot() {
        Map<String, String> out = new LinkedHashMap<>();
        effective.forEach((k, r) -> out.put(k, r.text()));
        return out;
    }

    /** The YAML {@code <feature>.enabled} flag (Core config, read at start). */
    public boolean enabled(String feature) {
        return enabledFeatures.contains(feature);
    }

    /** Enabled in YAML and active in the operational config: the feature should run now. */
    public boolean running(String feature) {
        Key<?> active = OperationalKeys.activeKey(feature);
        if (active == null) {
            throw new IllegalArgumentException("no operational key operational." + feature + ".active");
        }
        return enabled(feature) && Boolean.TRUE.equals(effective.get(active.name()).value());
    }

    /** Effective values that changed, as they are observed (hot; late subscribers see later changes only). */
    public Flux<Change> changes() {
        return changes.asFlux();
    }

    /** Reads {@code system_config FINAL} once and publishes what changed. */
    public Mono<Void> refresh() {
        return client.query(Queries.bind("config.read_all"), (row, meta) -> new String[] {
                        String.valueOf(row.get(0)), row.get(1) == null ? "" : String.valueOf(row.get(1)),
                        String.valueOf(row.get(2)), String.valueOf(row.get(3))})
                .collectList()
                .doOnNext(this::apply)
                .then();
    }

    /**
     * Polls every {@code interval} on {@code scheduler} (inject a virtual-time scheduler in tests); a failed read is
     * logged and the last known values stay in force. Returns the running watch; {@link #close()} stops it too.
     */
    public Disposable watch(Duration interval, Scheduler scheduler) {
        Disposable d = Flux.interval(Duration.ZERO, interval, scheduler)
                .onBackpressureDrop()
                .concatMap(tick -> refresh().onErrorResume(e -> {
                    log.warn("operational config: reading system_config failed, keeping the last values: {}",
                            e.toString());
                    return Mono.empty();
                }), 1)
                .subscribe();
        Disposable old = watch;
        watch = d;
        if (old != null) {
            old.dispose();
        }
        return d;
    }

    /** Stores a new value (new version) for {@code key}, audits old and new, and applies it at once here. */
    public <T> Mono<Void> set(Key<T> key, T value, String actor) {
        Objects.requireNonNull(value, "value");
        String text = key.format(value);
        key.valueOf(text);   // range check
        return write(key, text, false, actor);
    }

    /** Removes the database value (a tombstone version): the key falls back to YAML or the default. Audited. */
    public Mono<Void> reset(Key<?> key, String actor) {
        return write(key, "", true, actor);
    }

    private Mono<Void> write(Key<?> key, String text, boolean delete, String actor) {
        Objects.requireNonNull(actor, "actor");
        return Mono.defer(() -> {
            Instant now = time.now();
            long version = Math.max(maxVersion + 1, now.getEpochSecond() * 1_000_000L + now.getNano() / 1000);
            maxVersion = version;
            String old = effective.get(key.name()).text();
            String insert = Queries.bind("config.write", key.name(), text, actor, now, version, delete ? 1 : 0);
            return client.execute(insert)
                    .then(refresh())
                    .then(Mono.defer(() -> AuditLog.write(client, new AuditEntry(now, actor, actor, "config.set",
                            key.name(), "{\"old\":" + json(old) + ",\"new\":"
                                    + json(effective.get(key.name()).text()) + "}"))));
        });
    }

    private synchronized void apply(List<String[]> rows) {
        Map<String, String> db = new HashMap<>();
        for (String[] r : rows) {
            try {
                maxVersion = Math.max(maxVersion, Long.parseLong(r[3]));
            } catch (NumberFormatException ignored) {
                // not expected: version is UInt64
            }
            if (!"1".equals(r[2])) {
                db.put(r[0], r[1]);
            }
        }
        Map<String, Resolved> next = resolve(db);
        Map<String, Resolved> prev = effective;
        effective = next;
        Instant now = time.now();
        next.forEach((k, r) -> {
            Resolved p = prev.get(k);
            if (p == null || !p.text().equals(r.text())) {
                changes.tryEmitNext(new Change(k, p == null ? null : p.text(), r.text(), r.source(), now));
            }
        });
    }

    private Map<String, Resolved> resolve(Map<String, String> db) {
        Map<String, Resolved> out = new LinkedHashMap<>();
        for (Key<?> k : OperationalKeys.all()) {
            Resolved r = null;
            String d = db.get(k.name());
            if (d != null) {
                try {
                    Object v = k.valueOf(d);
                    r = new Resolved(v, k.format(v), Source.DATABASE);
                } catch (RuntimeException e) {
                    log.warn("system_config value of {} is malformed ('{}'), using YAML or the default: {}",
                            k.name(), d, e.getMessage());
                }
            }
            String y = yaml.get(k.name());
            if (r == null && y != null) {
                Object v = k.valueOf(y);
                r = new Resolved(v, k.format(v), Source.YAML);
            }
            if (r == null) {
                r = new Resolved(k.defaultValue(), k.format(k.defaultValue()), Source.DEFAULT);
            }
            out.put(k.name(), r);
        }
        return out;
    }

    static String json(String s) {
        StringBuilder sb = new StringBuilder("\"");
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '"' || c == '\\') {
                sb.append('\\').append(c);
            } else if (c < 0x20) {
                sb.append(String.format("\\u%04x", (int) c));
            } else {
                sb.append(c);
            }
        }
        return sb.append('"').toString();
    }

    @Override
    public void close() {
        Disposable d = watch;
        if (d != null) {
            d.dispose();
        }
        changes.tryEmitComplete();
    }
}
