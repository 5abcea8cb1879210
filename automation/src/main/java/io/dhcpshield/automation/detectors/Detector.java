package io.dhcpshield.automation.detectors;

import io.dhcpshield.storage.ClickHouseClient;
import reactor.core.publisher.Mono;

import java.time.Instant;
import java.util.List;

/** One built-in detector: a query (or a few) over ClickHouse and the logic that turns rows into findings. */
interface Detector {

    /** The detector's name: its config key, metric label, alarm kind and actor ({@code detector:<name>}). */
    String name();

    /** The findings over the window {@code [from, to)}. */
    Mono<List<Finding>> find(ClickHouseClient ch, Instant from, Instant to);
}
