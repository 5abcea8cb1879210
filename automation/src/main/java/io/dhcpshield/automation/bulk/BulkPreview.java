package io.dhcpshield.automation.bulk;

import java.util.List;
import java.util.Objects;

/**
 * What a bulk selection would act on now: how many clients, a random sample of them (at most the size asked), the
 * window it read and how long the two queries took.
 */
public record BulkPreview(long count, List<BulkClient> sample, BulkCriteria.Window window, long queryMs) {

    public BulkPreview {
        sample = List.copyOf(sample);
        Objects.requireNonNull(window, "window");
    }
}
