package io.dhcpshield.core.service;

import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

import java.util.Objects;
import java.util.Optional;

/**
 * A value that arrives late (the ClickHouse connection, the Action Manager, operational config): it completes once,
 * when ready; until then it carries the reason it is not there, which callers report instead of checking for null.
 * Thread-safe.
 */
public final class Deferred<T> {

    private final String name;
    private final Sinks.One<T> sink = Sinks.one();
    private volatile T value;
    private volatile String reason;

    /**
     * @param name   what arrives, for messages ({@code storage}, {@code action manager})
     * @param reason why it is not there yet ({@code connecting to http://...})
     */
    public Deferred(String name, String reason) {
        this.name = Objects.requireNonNull(name, "name");
        this.reason = Objects.requireNonNull(reason, "reason");
    }

    /** A value that is there from the start. */
    public static <T> Deferred<T> of(String name, T value) {
        Deferred<T> d = new Deferred<>(name, "");
        d.complete(value);
        return d;
    }

    /** A value that will never arrive, for a feature that is off. */
    public static <T> Deferred<T> never(String name, String reason) {
        return new Deferred<>(name, reason);
    }

    public String name() {
        return name;
    }

    /** Completes with {@code v}; later calls are ignored (the first value stays). */
    public void complete(T v) {
        Objects.requireNonNull(v, "value");
        synchronized (this) {
            if (value != null) {
                return;
            }
            value = v;
            reason = "";
        }
        sink.tryEmitValue(v);
    }

    /** Updates why the value is not there yet (the last connection error, say); ignored once complete. */
    public void waiting(String why) {
        if (value == null) {
            reason = Objects.requireNonNull(why, "why");
        }
    }

    public boolean isReady() {
        return value != null;
    }

    /** The value if it arrived. */
    public Optional<T> now() {
        return Optional.ofNullable(value);
    }

    /** The value, or {@link NotReadyException} with the reason it is not there. */
    public T require() {
        T v = value;
        if (v == null) {
            throw new NotReadyException(name, reason);
        }
        return v;
    }

    /** Why it is not there ("" once it is). */
    public String reason() {
        return value != null ? "" : reason;
    }

    /** Completes with the value when it arrives (at once if it has); never errors. */
    public Mono<T> await() {
        return sink.asMono();
    }

    @Override
    public String toString() {
        return name + (value != null ? " (ready)" : " (not ready: " + reason + ")");
    }
}
