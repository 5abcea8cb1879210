package io.dhcpshield.core.codec;

import java.util.ArrayList;
import java.util.List;

/** Collects the faults of one full decode, with offsets relative to the frame start. */
public final class Faults {

    private final int frameIndex;
    private final List<DecodeFault> list = new ArrayList<>(2);

    public Faults(int frameIndex) {
        this.frameIndex = frameIndex;
    }

    /** Records {@code error} at absolute buffer index {@code index}. */
    public void add(DecodeError error, int index, String detail) {
        list.add(new DecodeFault(error, index - frameIndex, detail));
    }

    public boolean isEmpty() {
        return list.isEmpty();
    }

    public List<DecodeFault> toList() {
        return List.copyOf(list);
    }
}
