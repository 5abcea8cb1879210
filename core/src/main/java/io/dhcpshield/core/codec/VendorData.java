package io.dhcpshield.core.codec;

import java.util.Objects;

/** One enterprise's data in a vendor-identifying option (v4 124/125, v6 16/17, v6 remote-id 37). */
public record VendorData(long enterpriseNumber, byte[] data) {

    public VendorData {
        Objects.requireNonNull(data, "data");
    }
}
