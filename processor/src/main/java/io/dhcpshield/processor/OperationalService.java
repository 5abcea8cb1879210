package io.dhcpshield.processor;

import io.dhcpshield.core.service.Deferred;
import io.dhcpshield.core.service.Readiness;
import io.dhcpshield.core.service.Service;
import io.dhcpshield.core.time.Time;
import io.dhcpshield.storage.ClickHouseStorage;
import io.dhcpshield.storage.OperationalConfig;
import io.dhcpshield.storage.Retention;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.scheduler.Scheduler;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Operational configuration (system_config FINAL &gt; YAML &gt; default, re-read every 5 s) and the retention job
 * (hourly, while {@code retention.enabled} in YAML and {@code operational.retention.active}), once storage arrives.
 */
final class OperationalService implements Service {

    private static final Logger log = LoggerFactory.getLogger(OperationalService.class);

    private final Deferred<ClickHouseStorage> storage;
    private final Map<String, String> yaml;
    private final boolean retentionEnabled;
    private final Time time;
    private final Scheduler scheduler;
    private final Deferred<OperationalConfig> operational;
    private final List<Disposable> background = new CopyOnWriteArrayList<>();

    OperationalService(Deferred<ClickHouseStorage> storage, Map<String, String> yaml, boolean retentionEnabled,
                       Time time, Scheduler scheduler) {
        this.storage = storage;
        this.yaml = yaml;
        this.retentionEnabled = retentionEnabled;
        this.time = time;
        this.scheduler = scheduler;
        this.operational = new Deferred<>("operational config", "waiting for storage");
    }

    Deferred<OperationalConfig> operational() {
        return operational;
    }

    @Override
    public String name() {
        return "operational";
    }

    @Override
    public void start() {
        background.add(storage.await().subscribe(st -> {
            OperationalConfig cfg = new OperationalConfig(st.client(), yaml,
                    retentionEnabled ? Set.of("retention") : Set.of(), time);
            background.add(cfg.watch(Duration.ofSeconds(5), scheduler));
            background.add(cfg.changes().subscribe(ch -> log.info("operational config changed: {}", ch)));
            if (retentionEnabled) {
                background.add(new Retention(st.client(), cfg, time).schedule(Duration.ofHours(1), scheduler));
            }
            operational.complete(cfg);
        }));
    }

    @Override
    public void stop() {
        background.forEach(Disposable::dispose);
        operational.now().ifPresent(OperationalConfig::close);
    }

    @Override
    public Readiness readiness() {
        return operational.now().map(cfg -> Readiness.up().with("values", cfg.snapshot()))
                .orElseGet(() -> Readiness.notReady(operational.reason()));
    }
}
