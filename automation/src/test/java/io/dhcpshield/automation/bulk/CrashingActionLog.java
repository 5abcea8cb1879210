package io.dhcpshield.automation.bulk;

import io.dhcpshield.enforcement.action.ActionLog;
import io.dhcpshield.enforcement.action.ActionRecord;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * An action log that "kills the process" at its n-th save: that save and every later one throw
 * {@link SimulatedCrash}, an Error no product code catches, so the thread running a job dies where a real crash
 * would stop it (mid-batch: the kernel written, part of the batch's records saved, its progress not saved).
 */
final class CrashingActionLog implements ActionLog {

    /** The simulated process death. */
    static final class SimulatedCrash extends Error {
        SimulatedCrash() {
            super("simulated crash", null, false, false);
        }
    }

    private final ActionLog delegate;
    private final int crashAt;
    private int saves;
    private volatile boolean crashed;

    /** @param crashAt the save (1-based) that crashes; the ones before it are stored */
    CrashingActionLog(ActionLog delegate, int crashAt) {
        this.delegate = delegate;
        this.crashAt = crashAt;
    }

    @Override
    public synchronized void save(ActionRecord record) {
        if (++saves >= crashAt) {
            crashed = true;
            throw new SimulatedCrash();
        }
        delegate.save(record);
    }

    boolean crashed() {
        return crashed;
    }

    @Override
    public Optional<ActionRecord> find(UUID id) {
        return delegate.find(id);
    }

    @Override
    public List<ActionRecord> active(Instant now) {
        return delegate.active(now);
    }

    @Override
    public List<ActionRecord> history(Instant from, Instant to) {
        return delegate.history(from, to);
    }
}
