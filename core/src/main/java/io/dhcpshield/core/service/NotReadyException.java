package io.dhcpshield.core.service;

/** A late dependency is not there yet (or failed): the API turns this into 503 with {@link #reason()}. */
public final class NotReadyException extends RuntimeException {

    private final String component;
    private final String reason;

    public NotReadyException(String component, String reason) {
        super(component + " not ready: " + reason, null, false, false);
        this.component = component;
        this.reason = reason;
    }

    public String component() {
        return component;
    }

    public String reason() {
        return reason;
    }
}
