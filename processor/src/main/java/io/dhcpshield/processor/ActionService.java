package io.dhcpshield.processor;

import io.dhcpshield.core.metrics.MetricWriter;
import io.dhcpshield.core.pipeline.DenySet;
import io.dhcpshield.core.service.Deferred;
import io.dhcpshield.core.service.Readiness;
import io.dhcpshield.core.service.Service;
import io.dhcpshield.core.time.Time;
import io.dhcpshield.enforcement.action.ActionManager;
import io.dhcpshield.enforcement.action.ActionType;
import io.dhcpshield.enforcement.action.AnalysisQueue;
import io.dhcpshield.enforcement.action.NftablesKernelSets;
import io.dhcpshield.enforcement.action.ReconcileReport;
import io.dhcpshield.enforcement.kernel.Nftables;
import io.dhcpshield.enforcement.ruleset.ThrottlingProfile;
import io.dhcpshield.storage.ClickHouseActionLog;
import io.dhcpshield.storage.ClickHouseStorage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;

import java.util.Map;

/**
 * The Action Manager, once both the ruleset (its sets) and ClickHouse (its action log) are there, whichever comes
 * second: it shares the processor's deny set (denied clients produce no events) and starts by reconciling the
 * kernel's sets with the recorded actions. A {@link Deferred}: the API answers 503 for actions until it arrives.
 */
final class ActionService implements Service {

    private static final Logger log = LoggerFactory.getLogger(ActionService.class);

    private final Deferred<ThrottlingProfile> ruleset;
    private final Deferred<ClickHouseStorage> storage;
    private final DenySet denySet;
    private final Time time;
    private final Scheduler scheduler;
    private final Deferred<ActionManager> actions =
            new Deferred<>("action manager", "waiting for the ruleset and storage");
    private Disposable waiting;
    private volatile Nftables nft;
    private volatile String failure = "";

    ActionService(Deferred<ThrottlingProfile> ruleset, Deferred<ClickHouseStorage> storage, DenySet denySet,
                  Time time, Scheduler scheduler) {
        this.ruleset = ruleset;
        this.storage = storage;
        this.denySet = denySet;
        this.time = time;
        this.scheduler = scheduler;
    }

    Deferred<ActionManager> actions() {
        return actions;
    }

    @Override
    public String name() {
        return "actions";
    }

    @Override
    public void start() {
        waiting = Mono.zip(ruleset.await(), storage.await()).subscribe(t -> begin(t.getT1(), t.getT2()));
    }

    private void begin(ThrottlingProfile profile, ClickHouseStorage st) {
        try {
            nft = new Nftables();
            ActionManager m = new ActionManager(new NftablesKernelSets(nft), new ClickHouseActionLog(st.client(), time),
                    denySet, profile, new AnalysisQueue(10_000), time);
            ReconcileReport r = m.start(scheduler);
            log.info("action manager started: reconcile re-applied {} action(s), {} kernel entr(ies) without a record{}",
                    r.reapplied().size(), r.unrecorded().size(), r.error() == null || r.error().isEmpty() ? ""
                            : " (" + r.error() + ")");
            r.unrecorded().stream().limit(20).forEach(u -> log.warn("unrecorded kernel entry: {}", u));
            actions.complete(m);
        } catch (RuntimeException e) {
            failure = e.toString();
            actions.waiting("failed to start: " + e.getMessage());
            log.error("action manager not started: {}", e.toString());
        }
    }

    @Override
    public void stop() {
        if (waiting != null) {
            waiting.dispose();
        }
        actions.now().ifPresent(ActionManager::close);
        if (nft != null) {
            nft.close();
        }
    }

    @Override
    public Readiness readiness() {
        return actions.isReady() ? Readiness.up() : Readiness.notReady(actions.reason());
    }

    @Override
    public void metrics(MetricWriter out) {
        out.gauge("actions_ready", "1 once the Action Manager runs", actions.isReady() ? 1 : 0);
        actions.now().ifPresent(m -> {
            for (ActionType t : ActionType.values()) {
                out.counter("actions_applied", "actions taken, by type", m.counters().applied(t), "action", t.label());
            }
            for (Map.Entry<String, Long> e : m.counters().snapshot().entrySet()) {
                if (!e.getKey().startsWith("actions_") || e.getKey().equals("actions_undone")
                        || e.getKey().equals("actions_expired")) {
                    String name = e.getKey().startsWith("actions_") ? e.getKey() : "actions_" + e.getKey();
                    out.counter(name, "Action Manager: " + e.getKey().replace('_', ' '), e.getValue());
                }
            }
        });
    }
}
