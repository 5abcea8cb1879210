package io.dhcpshield.core.codec;

import java.util.Objects;

/**
 * One problem found by the full decoder: what, where (byte offset from the start of the frame, as tshark counts),
 * and a short human detail such as the option code.
 */
public record DecodeFault(DecodeError error, int offset, String detail) {

    public DecodeFault {
        Objects.requireNonNull(error, "error");
        Objects.requireNonNull(detail, "detail");
    }

    @Override
    public String toString() {
        return error.label() + "@" + offset + (detail.isEmpty() ? "" : " (" + detail + ")");
    }
}
