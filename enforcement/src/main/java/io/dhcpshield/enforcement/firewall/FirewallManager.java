package io.dhcpshield.enforcement.firewall;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.difflib.DiffUtils;
import com.github.difflib.patch.AbstractDelta;
import io.dhcpshield.core.time.Time;
import io.dhcpshield.enforcement.firewall.FirewallBatch.Mode;
import io.dhcpshield.enforcement.firewall.KernelFirewall.Located;
import io.dhcpshield.enforcement.firewall.KernelFirewall.Outcome;
import io.dhcpshield.enforcement.ruleset.RulesetJson;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * The Firewall Manager (seed 001, seed 003): rulesets are named, versioned nft JSON snapshots in a
 * {@link RulesetStore}; they are created from a shipped profile, from the running kernel, as a copy, from the editor
 * or by import, validated with the kernel's own parser, and applied (merge or swap, in a visible order) in one
 * transaction that leaves the running ruleset untouched when it fails. Several may be active; the daemon applies the
 * active ones at start. Editing a ruleset in place (a new version of an existing name) is refused unless forced:
 * the old version is the rollback target. Nothing is ever destroyed: delete hides a ruleset, undelete brings it
 * back, every apply is kept, and any earlier apply can be rolled back to.
 *
 * <p>Kernel work is blocking: callers run it off the event loop. Changes are serialised.
 */
public final class FirewallManager {

    private static final Logger log = LoggerFactory.getLogger(FirewallManager.class);
    public static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,63}");
    public static final String EXPORT_FORMAT = "dhcp-shield-rulesets/1";

    /** What the manager needs of the kernel ({@link KernelFirewall} in the daemon). */
    public interface Kernel {
        Outcome validate(Mode mode, List<RulesetDocument> docs);

        Outcome apply(Mode mode, List<RulesetDocument> docs);

        /** The running table; throws when it is missing. */
        RulesetDocument snapshot();
    }

    /** Why a request is refused; the API maps each to its status. */
    public static final class Refused extends RuntimeException {
        public enum Why { NOT_FOUND, EXISTS, ACTIVE, INVALID }

        private final Why why;
        private final String field;

        public Refused(Why why, String field, String message) {
            super(message);
            this.why = why;
            this.field = field;
        }

        public Why why() {
            return why;
        }

        /** The request field it is about ("" when none). */
        public String field() {
            return field;
        }
    }

    /** Where a new ruleset's content comes from. */
    public sealed interface Source {
        record Body(JsonNode json) implements Source {
        }

        record Profile(String level) implements Source {
        }

        record FromKernel() implements Source {
        }

        record CopyOf(String name, Integer version) implements Source {
        }
    }

    /** A ruleset name in a list: its latest version and its state. */
    public record Named(StoredRuleset latest, int versions, Integer activeVersion, int order, boolean deleted,
                        RulesetDocument.Summary summary) {
    }

    /** A ruleset to apply: a name and a version (null: the latest). */
    public record Ref(String name, Integer version) {
    }

    /** The result of an apply: its record, and the kernel's refusal located when it failed. */
    public record ApplyResult(ApplyRecord record, String kernelError, List<Located> errors,
                              List<RulesetDocument.Problem> problems) {
        public boolean ok() {
            return record.ok();
        }
    }

    /** What a successful apply left in the kernel (for the daemon's drift check and the Action Manager). */
    public record Applied(ApplyRecord record, List<RulesetDocument> docs, RulesetDocument kernel) {
    }

    /** A validation: structure problems, or the kernel's verdict with the offending objects. */
    public record Validation(boolean ok, String stage, String kernelError, List<Located> errors,
                             List<RulesetDocument.Problem> problems, int commands) {
    }

    /** One line of a diff: ' ' both, '-' only the ruleset, '+' only the kernel. */
    public record DiffLine(char op, String text) {
    }

    /** A shipped ruleset for a fresh database. */
    public record Seed(String name, String source, RulesetDocument doc, boolean active) {
    }

    private final RulesetStore store;
    private final Kernel kernel;
    private final Function<String, RulesetDocument> profiles;
    private final Time time;
    private final List<Consumer<Applied>> listeners = new CopyOnWriteArrayList<>();
    private volatile ApplyRecord lastApplied;
    private final java.util.concurrent.atomic.AtomicLong failedApplies = new java.util.concurrent.atomic.AtomicLong();
    /** A version's content never changes, so neither does its summary. */
    private final Map<String, RulesetDocument.Summary> summaries = new java.util.concurrent.ConcurrentHashMap<>();

    /**
     * @param profiles renders a shipped profile (low, medium, strict) for this kernel's queue mode and queue count;
     *                 throws IllegalArgumentException for an unknown one
     */
    public FirewallManager(RulesetStore store, Kernel kernel, Function<String, RulesetDocument> profiles, Time time) {
        this.store = Objects.requireNonNull(store, "store");
        this.kernel = Objects.requireNonNull(kernel, "kernel");
        this.profiles = Objects.requireNonNull(profiles, "profiles");
        this.time = Objects.requireNonNull(time, "time");
    }

    private volatile java.util.function.Supplier<String> drift = () -> "";
    private volatile java.util.function.Supplier<io.dhcpshield.enforcement.kernel.KernelState> live = () -> null;

    /**
     * Where the daemon's periodic kernel read reports: how the table differs from what was applied ("" when it does
     * not) and the last counters and set sizes (null before the first read).
     */
    public void observe(java.util.function.Supplier<String> drift,
                        java.util.function.Supplier<io.dhcpshield.enforcement.kernel.KernelState> live) {
        this.drift = Objects.requireNonNull(drift, "drift");
        this.live = Objects.requireNonNull(live, "live");
    }

    /** How the kernel's table differs from what was applied last ("" when it does not). */
    public String drift() {
        return drift.get();
    }

    /** The last read of the kernel's counters and set sizes, or null. */
    public io.dhcpshield.enforcement.kernel.KernelState live() {
        return live.get();
    }

    /** Called after every successful apply, on the applying thread. */
    public void onApplied(Consumer<Applied> listener) {
        listeners.add(listener);
    }

    /** Applies the kernel refused (each left the running ruleset untouched). */
    public long failedApplies() {
        return failedApplies.get();
    }

    /** The last successful apply (null before the first). */
    public ApplyRecord lastApplied() {
        return lastApplied;
    }

    // ---- reading

    /** Every ruleset name (deleted ones when asked), by apply order for the active ones, then by name. */
    public List<Named> list(boolean includeDeleted) {
        Map<String, List<StoredRuleset>> byName = byName();
        List<Named> out = new ArrayList<>();
        for (List<StoredRuleset> versions : byName.values()) {
            StoredRuleset latest = versions.get(0);
            boolean deleted = versions.stream().allMatch(StoredRuleset::deleted);
            if (deleted && !includeDeleted) {
                continue;
            }
            Optional<StoredRuleset> active = versions.stream().filter(StoredRuleset::active).findFirst();
            RulesetDocument.Summary summary = summaries.computeIfAbsent(latest.ref(), ref -> store.get(latest.name(),
                    latest.version()).map(r -> summary(r.body())).orElse(null));
            out.add(new Named(latest, versions.size(), active.map(StoredRuleset::version).orElse(null),
                    active.map(StoredRuleset::order).orElse(0), deleted, summary));
        }
        out.sort(Comparator.<Named>comparingInt(n -> n.activeVersion() != null ? n.order() : Integer.MAX_VALUE)
                .thenComparing(n -> n.latest().name()));
        return out;
    }

    /** The active rulesets in apply order. */
    public List<StoredRuleset> active() {
        return store.all().stream().filter(r -> r.active() && !r.deleted())
                .sorted(Comparator.comparingInt(StoredRuleset::order).thenComparing(StoredRuleset::name)).toList();
    }

    /** A name's versions, newest first. */
    public List<StoredRuleset> versions(String name) {
        List<StoredRuleset> v = byName().get(name);
        if (v == null) {
            throw new Refused(Refused.Why.NOT_FOUND, "name", "no ruleset named " + name);
        }
        return v;
    }

    /** One version with its body ({@code version} null: the latest). */
    public StoredRuleset version(String name, Integer version) {
        int v = version != null ? version : versions(name).get(0).version();
        return store.get(name, v).orElseThrow(() -> new Refused(Refused.Why.NOT_FOUND, "version",
                "no version " + v + " of ruleset " + name));
    }

    /** The running table as a ruleset. */
    public RulesetDocument kernel() {
        return kernel.snapshot();
    }

    public List<ApplyRecord> applies(int limit) {
        return store.applies(limit);
    }

    // ---- changing

    /**
     * Saves a new ruleset, or with {@code force} a new version of an existing one (refused otherwise: never edit in
     * place). A deleted name is a name too: undelete it or pick another.
     */
    public synchronized StoredRuleset create(String name, String comment, Source source, boolean force, String actor) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new Refused(Refused.Why.INVALID, "name",
                    "a ruleset name is 1-64 letters, digits, '.', '_' or '-', starting with a letter or digit");
        }
        RulesetDocument doc;
        String from;
        if (source instanceof Source.Body b) {
            doc = RulesetDocument.parse(b.json());
            from = "edit";
        } else if (source instanceof Source.Profile p) {
            try {
                doc = profiles.apply(p.level());
            } catch (IllegalArgumentException e) {
                throw new Refused(Refused.Why.INVALID, "from_profile", e.getMessage());
            }
            from = "profile:" + p.level();
        } else if (source instanceof Source.CopyOf c) {
            StoredRuleset original = version(c.name(), c.version());
            doc = RulesetDocument.parse(original.body());
            from = "copy:" + original.ref();
        } else {
            try {
                doc = kernel.snapshot();
            } catch (RuntimeException e) {
                throw new Refused(Refused.Why.INVALID, "from_kernel", "the running table cannot be read: "
                        + e.getMessage());
            }
            from = "kernel";
        }
        return save(name, comment, doc, from, force, actor);
    }

    private StoredRuleset save(String name, String comment, RulesetDocument doc, String from, boolean force,
                               String actor) {
        List<StoredRuleset> existing = byName().get(name);
        if (existing != null && !force) {
            throw new Refused(Refused.Why.EXISTS, "name", "ruleset " + name + " exists (version "
                    + existing.get(0).version() + "): never edit a ruleset in place — save it under a new name, or"
                    + " force a new version");
        }
        int version = existing == null ? 1 : existing.get(0).version() + 1;
        Instant now = time.now();
        StoredRuleset row = new StoredRuleset(name, version, doc.pretty(), from, comment, now, actor, false, 0,
                false, now);
        store.save(List.of(row));
        log.info("firewall: {} saved ruleset {} ({}, {} objects)", actor, row.ref(), from, doc.items().size());
        return row;
    }

    /** Hides a ruleset (every version); refused while one of its versions is active. */
    public synchronized void delete(String name, String actor) {
        List<StoredRuleset> versions = versions(name);
        if (versions.stream().anyMatch(StoredRuleset::active)) {
            throw new Refused(Refused.Why.ACTIVE, "name", "ruleset " + name
                    + " is active: apply a set without it first");
        }
        setDeleted(versions, true);
        log.info("firewall: {} deleted ruleset {} (kept; undelete brings it back)", actor, name);
    }

    public synchronized void undelete(String name, String actor) {
        setDeleted(versions(name), false);
        log.info("firewall: {} undeleted ruleset {}", actor, name);
    }

    private void setDeleted(List<StoredRuleset> versions, boolean deleted) {
        Instant now = time.now();
        store.save(versions.stream().map(v -> v.withState(v.active(), v.order(), deleted, now)).toList());
    }

    /** The kernel's verdict on a body, applied alone in {@code mode}. */
    public Validation validate(JsonNode body, Mode mode) {
        RulesetDocument doc;
        try {
            doc = RulesetDocument.parse(body);
        } catch (RulesetDocumentException e) {
            return new Validation(false, "structure", "", List.of(), e.problems(), 0);
        }
        Outcome o = kernel.validate(mode, List.of(doc));
        return new Validation(o.ok(), o.ok() ? "done" : o.stage(), o.kernelError(), o.errors(), List.of(),
                o.commands());
    }

    /**
     * Applies {@code refs} in order, in one transaction. On success they become the active set: exactly them for a
     * swap; for a merge, the active set so far with these added at the end (a newer version of an active name
     * replaces it in place), which is what a restart will rebuild.
     */
    public synchronized ApplyResult apply(Mode mode, List<Ref> refs, String actor, String rollbackOf) {
        if (refs.isEmpty()) {
            throw new Refused(Refused.Why.INVALID, "rulesets", "name at least one ruleset to apply");
        }
        List<StoredRuleset> rows = new ArrayList<>();
        for (Ref ref : refs) {
            StoredRuleset r = version(ref.name(), ref.version());
            if (r.deleted()) {
                throw new Refused(Refused.Why.INVALID, "rulesets", "ruleset " + r.name()
                        + " is deleted: undelete it first");
            }
            if (rows.stream().anyMatch(x -> x.name().equals(r.name()))) {
                throw new Refused(Refused.Why.INVALID, "rulesets", "ruleset " + r.name() + " is named twice");
            }
            rows.add(r);
        }
        List<RulesetDocument> docs = new ArrayList<>();
        for (StoredRuleset r : rows) {
            docs.add(RulesetDocument.parse(r.body()));
        }
        Outcome o = kernel.apply(mode, docs);
        ApplyRecord rec = new ApplyRecord(UUID.randomUUID().toString(), time.now(), actor, mode.label(),
                rows.stream().map(StoredRuleset::ref).toList(), o.ok(), o.stage(), o.kernelError(), o.millis(),
                rollbackOf);
        store.saveApply(rec);
        if (!o.ok()) {
            failedApplies.incrementAndGet();
            log.warn("firewall: {} could not apply {} ({}): {} at {}; the running ruleset is untouched", actor,
                    rec.rulesets(), mode.label(), o.kernelError(), o.stage());
            return new ApplyResult(rec, o.kernelError(), o.errors(), List.of());
        }
        activate(mode, rows);
        lastApplied = rec;
        log.info("firewall: {} applied {} ({}) in {} ms", actor, rec.rulesets(), mode.label(), o.millis());
        RulesetDocument after;
        try {
            after = kernel.snapshot();
        } catch (RuntimeException e) {
            after = null;
        }
        tell(new Applied(rec, docs, after));
        return new ApplyResult(rec, "", List.of(), List.of());
    }

    private void tell(Applied applied) {
        for (Consumer<Applied> l : listeners) {
            try {
                l.accept(applied);
            } catch (RuntimeException e) {
                log.error("firewall: an apply listener failed: {}", e.toString());
            }
        }
    }

    private void activate(Mode mode, List<StoredRuleset> applied) {
        List<StoredRuleset> all = store.all();
        List<String> order = new ArrayList<>();
        Map<String, Integer> versionOf = new LinkedHashMap<>();
        if (mode == Mode.MERGE) {
            all.stream().filter(r -> r.active() && !r.deleted())
                    .sorted(Comparator.comparingInt(StoredRuleset::order))
                    .forEach(r -> {
                        order.add(r.name());
                        versionOf.put(r.name(), r.version());
                    });
        }
        for (StoredRuleset r : applied) {
            if (!order.contains(r.name())) {
                order.add(r.name());
            }
            versionOf.put(r.name(), r.version());
        }
        Instant now = time.now();
        List<StoredRuleset> changed = new ArrayList<>();
        for (StoredRuleset r : all) {
            Integer v = versionOf.get(r.name());
            boolean active = v != null && v == r.version();
            int ord = active ? order.indexOf(r.name()) + 1 : 0;
            if (active != r.active() || ord != r.order()) {
                changed.add(r.withState(active, ord, r.deleted(), now));
            }
        }
        if (!changed.isEmpty()) {
            store.save(changed);
        }
    }

    /** Re-applies exactly what an earlier apply applied, as a clean swap. */
    public ApplyResult rollback(String applyId, String actor) {
        ApplyRecord earlier = store.apply(applyId).orElseThrow(() -> new Refused(Refused.Why.NOT_FOUND, "apply_id",
                "no apply " + applyId));
        if (!earlier.ok()) {
            throw new Refused(Refused.Why.INVALID, "apply_id", "apply " + applyId
                    + " failed; roll back to one that was applied");
        }
        List<Ref> refs = new ArrayList<>();
        for (String ref : earlier.rulesets()) {
            int at = ref.lastIndexOf('@');
            refs.add(new Ref(ref.substring(0, at), Integer.parseInt(ref.substring(at + 1))));
        }
        return apply(Mode.SWAP, refs, actor, applyId);
    }

    /**
     * At the daemon's start: seeds a fresh store with the shipped rulesets, then applies the active set (a swap) —
     * unless the kernel already holds exactly the one active ruleset. Returns null when nothing was applied.
     */
    public synchronized ApplyResult startup(List<Seed> seeds, String actor) {
        seed(store, seeds, time, actor);
        List<StoredRuleset> active = active();
        if (active.isEmpty()) {
            log.warn("firewall: no ruleset is active in the database; the kernel keeps what the daemon installed");
            return null;
        }
        if (active.size() == 1) {
            try {
                RulesetDocument running = kernel.snapshot();
                RulesetDocument wanted = RulesetDocument.parse(store.get(active.get(0).name(), active.get(0).version())
                        .orElseThrow().body());
                if (running.equals(wanted)) {
                    // Kept, not applied (counters keep running); recorded so the start is in the history and a
                    // rollback target like any apply.
                    lastApplied = new ApplyRecord(UUID.randomUUID().toString(), time.now(), actor, "swap",
                            List.of(active.get(0).ref()), true, "kept", "", 0, "");
                    store.saveApply(lastApplied);
                    tell(new Applied(lastApplied, List.of(wanted), running));
                    return new ApplyResult(lastApplied, "", List.of(), List.of());
                }
            } catch (RuntimeException e) {
                // not installed or unreadable: apply
            }
        }
        return apply(Mode.SWAP, active.stream().map(r -> new Ref(r.name(), r.version())).toList(), actor, "");
    }

    /**
     * Writes the shipped rulesets into a store that holds none (a fresh database), the active ones in their order;
     * returns how many were written (0 when the store had rulesets, deleted ones included). Needs no kernel: the
     * daemon's start and {@code dhcp-processor --init-database} (the package's postinst) both seed through it.
     */
    public static int seed(RulesetStore store, List<Seed> seeds, Time time, String actor) {
        if (!store.all().isEmpty()) {
            return 0;
        }
        Instant now = time.now();
        int order = 0;
        List<StoredRuleset> rows = new ArrayList<>();
        for (Seed s : seeds) {
            order += s.active() ? 1 : 0;
            rows.add(new StoredRuleset(s.name(), 1, s.doc().pretty(), s.source(), "shipped with DHCP Shield",
                    now, actor, s.active(), s.active() ? order : 0, false, now));
        }
        store.save(rows);
        log.info("firewall: seeded a fresh database with {} shipped rulesets", rows.size());
        return rows.size();
    }

    // ---- comparing, moving

    /** The ruleset ({@code -}) against the running kernel ({@code +}), every line. */
    public List<DiffLine> diff(String name, Integer version) {
        RulesetDocument left = RulesetDocument.parse(version(name, version).body());
        RulesetDocument right = kernel.snapshot();
        return diff(left.lines(), right.lines());
    }

    static List<DiffLine> diff(List<String> left, List<String> right) {
        List<DiffLine> out = new ArrayList<>();
        int at = 0;
        for (AbstractDelta<String> d : DiffUtils.diff(left, right).getDeltas()) {
            int pos = d.getSource().getPosition();
            for (; at < pos; at++) {
                out.add(new DiffLine(' ', left.get(at)));
            }
            d.getSource().getLines().forEach(l -> out.add(new DiffLine('-', l)));
            d.getTarget().getLines().forEach(l -> out.add(new DiffLine('+', l)));
            at = pos + d.getSource().size();
        }
        for (; at < left.size(); at++) {
            out.add(new DiffLine(' ', left.get(at)));
        }
        return out;
    }

    /** An export bundle of the latest version of each named ruleset (every ruleset not deleted when none named). */
    public ObjectNode export(List<String> names) {
        ObjectNode root = RulesetJson.MAPPER.createObjectNode();
        root.put("format", EXPORT_FORMAT).put("exported_at", time.now().toString());
        ArrayNode out = root.putArray("rulesets");
        List<String> wanted = names.isEmpty() ? list(false).stream().map(n -> n.latest().name()).toList() : names;
        for (String name : wanted) {
            StoredRuleset r = version(name, null);
            ObjectNode o = out.addObject();
            o.put("name", r.name()).put("version", r.version()).put("source", r.source()).put("comment", r.comment());
            try {
                o.set("body", RulesetJson.MAPPER.readTree(r.body()));
            } catch (JsonProcessingException e) {
                throw new IllegalStateException("stored ruleset " + r.ref() + " is not JSON", e);
            }
        }
        return root;
    }

    /** Imports a bundle: each ruleset as a new name, or a new version with {@code force}; the rest skipped. */
    public synchronized ObjectNode importBundle(JsonNode bundle, boolean force, String actor) {
        if (bundle == null || !EXPORT_FORMAT.equals(bundle.path("format").asText())
                || !bundle.path("rulesets").isArray()) {
            throw new Refused(Refused.Why.INVALID, "format", "not a ruleset export (format " + EXPORT_FORMAT + ")");
        }
        ObjectNode result = RulesetJson.MAPPER.createObjectNode();
        ArrayNode imported = result.putArray("imported");
        ArrayNode skipped = result.putArray("skipped");
        for (JsonNode r : bundle.path("rulesets")) {
            String name = r.path("name").asText();
            try {
                if (!NAME.matcher(name).matches()) {
                    throw new Refused(Refused.Why.INVALID, "name", "not a ruleset name: '" + name + "'");
                }
                StoredRuleset row = save(name, r.path("comment").asText(""), RulesetDocument.parse(r.path("body")),
                        "import", force, actor);
                imported.addObject().put("name", row.name()).put("version", row.version());
            } catch (Refused | RulesetDocumentException e) {
                skipped.addObject().put("name", name).put("reason", e.getMessage());
            }
        }
        return result;
    }

    // ----

    private Map<String, List<StoredRuleset>> byName() {
        Map<String, List<StoredRuleset>> out = new LinkedHashMap<>();
        store.all().stream()
                .sorted(Comparator.comparing(StoredRuleset::name)
                        .thenComparing(Comparator.comparingInt(StoredRuleset::version).reversed()))
                .forEach(r -> out.computeIfAbsent(r.name(), k -> new ArrayList<>()).add(r));
        return out;
    }

    private static RulesetDocument.Summary summary(String body) {
        try {
            return RulesetDocument.parse(body).summary();
        } catch (RuntimeException e) {
            return null;
        }
    }
}
