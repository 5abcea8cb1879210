package io.dhcpshield.alarms;

import io.dhcpshield.core.time.Time;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;

/**
 * The alarms' state machine: one open alarm per source key, raised by a {@link Signal}, updated by the next ones
 * (occurrences, last seen, the context's counts; a higher severity escalates it), acknowledged or cleared by an
 * operator, cleared by {@link #expire()} once no signal came for the alarm's hold time. Every change goes to the
 * listeners in the order it happened (they must not block: the history writer and the dispatcher queue). Recently
 * cleared alarms stay readable for {@link #get}. Thread-safe: every change happens under one lock.
 */
public final class AlarmEngine {

    /** Parties kept per alarm (the most seen); the rest are counted in the facts. */
    public static final int MAX_PARTIES = 50;
    /** Cleared alarms kept in memory for {@link #get} and the recent list. */
    public static final int RECENT_CLEARED = 500;

    private final Time time;
    private final Map<String, Open> open = new LinkedHashMap<>();
    private final Map<String, String> keyById = new HashMap<>();
    private final LinkedHashMap<String, Alarm> cleared = new LinkedHashMap<>(16, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Alarm> e) {
            return size() > RECENT_CLEARED;
        }
    };
    private final List<Consumer<AlarmChange>> listeners = new CopyOnWriteArrayList<>();
    private final Map<AlarmChange.Type, LongAdder> changes = new LinkedHashMap<>();
    private final LongAdder listenerErrors = new LongAdder();

    private static final class Open {
        Alarm alarm;
        Duration hold;
        final Map<String, Party> parties = new LinkedHashMap<>();
        long partiesDropped;

        Open(Alarm alarm, Duration hold) {
            this.alarm = alarm;
            this.hold = hold;
        }
    }

    public AlarmEngine(Time time) {
        this.time = Objects.requireNonNull(time, "time");
        for (AlarmChange.Type t : AlarmChange.Type.values()) {
            changes.put(t, new LongAdder());
        }
    }

    /** Adds a listener for every later change (called under the engine's lock: it must only queue). */
    public void listen(Consumer<AlarmChange> listener) {
        listeners.add(Objects.requireNonNull(listener, "listener"));
    }

    /** The condition of {@code s} holds now: raises its alarm, or updates (or escalates) the open one. */
    public synchronized Alarm report(Signal s) {
        Instant now = time.now();
        Open o = open.get(s.sourceKey());
        if (o == null) {
            o = new Open(null, s.hold());
            merge(o, s.parties(), now);
            Alarm a = new Alarm(UUID.randomUUID().toString(), s.sourceKey(), s.channel(), s.category(), s.kind(),
                    s.severity(), AlarmState.RAISED, s.title(), s.message(), now, now, 1, null, "", null, "",
                    parties(o), facts(o, s.facts()));
            o.alarm = a;
            open.put(s.sourceKey(), o);
            keyById.put(a.id(), s.sourceKey());
            emit(AlarmChange.Type.RAISED, now, a, "engine", "", o.hold);
            return a;
        }
        merge(o, s.parties(), now);
        o.hold = s.hold();
        Alarm prev = o.alarm;
        boolean escalated = s.severity().compareTo(prev.severity()) > 0;
        Alarm a = new Alarm(prev.id(), prev.sourceKey(), prev.channel(), prev.category(), prev.kind(),
                escalated ? s.severity() : prev.severity(), prev.state(), s.title().isEmpty() ? prev.title() : s.title(),
                s.message().isEmpty() ? prev.message() : s.message(), prev.raisedAt(), now, prev.occurrences() + 1,
                prev.acknowledgedAt(), prev.acknowledgedBy(), null, "", parties(o), facts(o, s.facts()));
        o.alarm = a;
        emit(escalated ? AlarmChange.Type.ESCALATED : AlarmChange.Type.UPDATED, now, a, "engine", "", o.hold);
        return a;
    }

    /** Acknowledges an open alarm; empty when there is no such alarm; fails when it is cleared or acknowledged. */
    public synchronized Optional<Alarm> acknowledge(String id, String user, String note) {
        String key = keyById.get(id);
        if (key == null) {
            if (cleared.containsKey(id)) {
                throw new IllegalStateException("alarm " + id + " is already cleared");
            }
            return Optional.empty();
        }
        Open o = open.get(key);
        Alarm prev = o.alarm;
        if (prev.state() == AlarmState.ACKNOWLEDGED) {
            throw new IllegalStateException("alarm " + id + " is already acknowledged by " + prev.acknowledgedBy());
        }
        Instant now = time.now();
        Alarm a = with(prev, AlarmState.ACKNOWLEDGED, now, user, null, "");
        o.alarm = a;
        emit(AlarmChange.Type.ACKNOWLEDGED, now, a, user, note, o.hold);
        return Optional.of(a);
    }

    /** Clears an open alarm by hand; empty when there is no such alarm; fails when it is already cleared. */
    public synchronized Optional<Alarm> clear(String id, String user, String note) {
        String key = keyById.get(id);
        if (key == null) {
            if (cleared.containsKey(id)) {
                throw new IllegalStateException("alarm " + id + " is already cleared");
            }
            return Optional.empty();
        }
        return Optional.of(close(key, time.now(), user, note));
    }

    /** Clears every open alarm whose condition has been gone for its hold time; returns how many. */
    public synchronized int expire() {
        Instant now = time.now();
        List<String> due = new ArrayList<>();
        open.forEach((key, o) -> {
            if (!now.isBefore(o.alarm.lastSeen().plus(o.hold))) {
                due.add(key);
            }
        });
        for (String key : due) {
            Alarm a = open.get(key).alarm;
            close(key, now, "auto", "condition gone for " + open.get(key).hold.toSeconds() + " s (last seen "
                    + a.lastSeen() + ")");
        }
        return due.size();
    }

    /**
     * Puts an alarm that was open before a restart back in place (from the history), without a change: its
     * condition is re-evaluated from now on and it clears after its hold time if gone.
     */
    public synchronized void restore(Alarm a, Duration hold) {
        if (!a.open() || open.containsKey(a.sourceKey())) {
            return;
        }
        Open o = new Open(a, hold);
        for (Party p : a.context()) {
            o.parties.put(p.key(), p);
        }
        open.put(a.sourceKey(), o);
        keyById.put(a.id(), a.sourceKey());
    }

    /** The open alarms, newest raised first. */
    public synchronized List<Alarm> openAlarms() {
        List<Alarm> out = new ArrayList<>();
        open.values().forEach(o -> out.add(o.alarm));
        out.sort(Comparator.comparing(Alarm::raisedAt).reversed());
        return out;
    }

    /** Alarms cleared since start (at most {@value #RECENT_CLEARED}), newest cleared first. */
    public synchronized List<Alarm> recentlyCleared() {
        List<Alarm> out = new ArrayList<>(cleared.values());
        java.util.Collections.reverse(out);
        return out;
    }

    /** An open or recently cleared alarm by id. */
    public synchronized Optional<Alarm> get(String id) {
        String key = keyById.get(id);
        if (key != null) {
            return Optional.of(open.get(key).alarm);
        }
        return Optional.ofNullable(cleared.get(id));
    }

    /** Changes made, by type. */
    public long changes(AlarmChange.Type t) {
        return changes.get(t).sum();
    }

    /** Listener calls that threw (the change still happened). */
    public long listenerErrors() {
        return listenerErrors.sum();
    }

    private Alarm close(String key, Instant now, String actor, String note) {
        Open o = open.remove(key);
        keyById.remove(o.alarm.id());
        Alarm a = with(o.alarm, AlarmState.CLEARED, now, null, now, actor);
        cleared.put(a.id(), a);
        emit(AlarmChange.Type.CLEARED, now, a, actor, note, o.hold);
        return a;
    }

    private static Alarm with(Alarm p, AlarmState state, Instant now, String ackBy, Instant clearedAt,
                              String clearedBy) {
        boolean ack = ackBy != null;
        return new Alarm(p.id(), p.sourceKey(), p.channel(), p.category(), p.kind(), p.severity(), state, p.title(),
                p.message(), p.raisedAt(), p.lastSeen(), p.occurrences(), ack ? now : p.acknowledgedAt(),
                ack ? ackBy : p.acknowledgedBy(), clearedAt, clearedBy, p.context(), p.facts());
    }

    private static void merge(Open o, List<Party> seen, Instant now) {
        for (Party p : seen) {
            Party had = o.parties.get(p.key());
            if (had != null) {
                o.parties.put(p.key(), had.seen(p.count(), p.lastSeen(), p.mac()));
            } else if (o.parties.size() < MAX_PARTIES) {
                o.parties.put(p.key(), p);
            } else {
                o.partiesDropped++;
            }
        }
    }

    private static List<Party> parties(Open o) {
        List<Party> list = new ArrayList<>(o.parties.values());
        list.sort(Comparator.comparingLong(Party::count).reversed().thenComparing(Party::firstSeen));
        return list;
    }

    private static Map<String, String> facts(Open o, Map<String, String> facts) {
        if (o.partiesDropped == 0) {
            return facts;
        }
        Map<String, String> m = new LinkedHashMap<>(facts);
        m.put("parties_not_listed", Long.toString(o.partiesDropped));
        return m;
    }

    private void emit(AlarmChange.Type type, Instant now, Alarm a, String actor, String note, Duration hold) {
        changes.get(type).increment();
        AlarmChange c = new AlarmChange(type, now, a, actor, note, hold);
        for (Consumer<AlarmChange> l : listeners) {
            try {
                l.accept(c);
            } catch (RuntimeException e) {
                listenerErrors.increment();
            }
        }
    }
}
