package io.dhcpshield.processor;

import io.dhcpshield.alarms.AlarmService;
import io.dhcpshield.alarms.NotificationSink;
import io.dhcpshield.api.ApiServer;
import io.dhcpshield.core.metrics.MetricSamples;
import reactor.core.publisher.Flux;
import java.time.Duration;
import io.dhcpshield.core.event.DhcpEvent;
import io.dhcpshield.core.event.EventFanout;
import io.dhcpshield.core.pipeline.DenySet;
import io.dhcpshield.core.pipeline.InspectionPipeline;
import io.dhcpshield.core.pipeline.MirrorLedger;
import io.dhcpshield.core.service.Deferred;
import io.dhcpshield.core.service.Service;
import io.dhcpshield.core.service.ServiceManager;
import io.dhcpshield.core.time.Time;
import io.dhcpshield.processor.systemd.Liveness;
import io.dhcpshield.processor.systemd.SdNotify;
import io.dhcpshield.processor.systemd.SystemdNotifier;
import io.dhcpshield.enforcement.action.ActionManager;
import io.dhcpshield.automation.bulk.BulkJobRunner;
import io.dhcpshield.capture.CaptureManager;
import io.dhcpshield.enforcement.firewall.FirewallManager;
import io.dhcpshield.enforcement.ruleset.ThrottlingProfile;
import io.dhcpshield.storage.ClickHouseStorage;
import io.dhcpshield.storage.OperationalConfig;
import io.dhcpshield.automation.analysis.AnalysisService;
import io.dhcpshield.automation.detectors.DetectorService;
import io.dhcpshield.automation.rules.AutomationScheduler;
import io.dhcpshield.storage.ClickHouseClient;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Builds the daemon's services from the config and nothing else: the only class that knows every module. The order
 * of the list is the start order (the status report first so that it stops last and writes the final counters;
 * event outputs before inspection so no event is missed; the queue rule after the queues are bound; the API last),
 * and the reverse is the stop order.
 */
final class Wiring {

    /** Command-line options that are not config.yaml keys. */
    record Options(Path statusFile, Path eventsFile, boolean installQueueRule, InspectionService.Hooks hooks) {
    }

    /** Re-injected payloads waiting for their copy to reach the queue (milliseconds each, normally). */
    private static final int MIRROR_LEDGER_CAPACITY = 65_536;

    private Wiring() {
    }

    static ServiceManager build(ProcessorConfig config, Options options) {
        Time time = Time.SYSTEM;
        Scheduler housekeeping = Schedulers.newSingle("housekeeping", true);
        Deferred<ServiceManager> daemon = new Deferred<>("daemon", "starting");
        EventFanout<DhcpEvent> events = new EventFanout<>();
        DenySet denySet = new DenySet();
        List<Service> services = new ArrayList<>();
        services.add(new Housekeeping(housekeeping));
        // Started early so it is stopped late: its stop writes the final counters after every other service ended.
        services.add(new StatusReport(daemon, options.statusFile(), config.countersLogIntervalSecs(), time,
                housekeeping));

        Deferred<ClickHouseStorage> storage = Deferred.never("storage", "clickhouse.enabled is false");
        Deferred<OperationalConfig> operational = Deferred.never("operational config", "clickhouse.enabled is false");
        if (config.clickhouse().enabled()) {
            StorageService s = new StorageService(config.clickhouse().toClickHouseConfig(), config.writerConfig(),
                    events, housekeeping);
            storage = s.storage();
            services.add(s);
            OperationalService o = new OperationalService(storage, config.operationalValues(),
                    config.retention().enabled(), time, housekeeping);
            operational = o.operational();
            services.add(o);
        }
        if (config.vector().enabled()) {
            services.add(new VectorService(URI.create(config.vector().endpoint()), config.writerConfig(), events));
        }
        if (options.eventsFile() != null) {
            services.add(new EventLog(options.eventsFile(), events, config.events().bufferPerSubscriber()));
        }
        if (options.hooks().countingSubscriber()) {
            services.add(new CountingSubscriber(events, config.events().bufferPerSubscriber()));
        }
        // Passive mode: fed only by the collector; no queue, no ruleset, no enforcement (never on the forwarding path).
        boolean inline = !config.passive();
        // Reinject mode: the collector records each re-injected payload; the queue's pipeline takes the record back.
        MirrorLedger mirrors = config.collector().enabled() && config.collector().reinject()
                ? new MirrorLedger(MIRROR_LEDGER_CAPACITY) : null;
        if (inline) {
            services.add(new InspectionService(config.nfqueue().toGroupConfig(),
                    new InspectionPipeline.Settings(config.dropNonDhcpPackets(), config.siteId(),
                            ConfigLoader.rules(config), mirrors, config.events().backlogSample()),
                    denySet, events, time, housekeeping, options.hooks()));
        }
        if (config.collector().enabled()) {
            services.add(new CollectorService(config.collector().toCollectorConfig(), denySet, events, time,
                    mirrors));
        }
        String noEnforcement = inline ? "enforcement.install_ruleset is false" : "passive mode has no ruleset";
        Deferred<ThrottlingProfile> ruleset = Deferred.never("ruleset", noEnforcement);
        Deferred<FirewallManager> firewall = Deferred.never("firewall manager", inline
                ? "needs enforcement.install_ruleset and clickhouse.enabled" : noEnforcement);
        RulesetService rulesets = null;
        if (inline && config.enforcement().installRuleset()) {
            RulesetService r = new RulesetService(config.enforcement().profile(), config.enforcement().queueMode(),
                    config.nfqueue().queueCount(), config.clickhouse().enabled(), storage, time, housekeeping);
            ruleset = r.installed();
            firewall = r.firewall();
            rulesets = r;
            services.add(r);
        }
        if (inline && options.installQueueRule()) {
            services.add(new QueueRule(config.nfqueue().queueCount()));
        }
        Deferred<ActionManager> actions = Deferred.never("action manager", inline
                ? "needs enforcement.install_ruleset and clickhouse.enabled" : noEnforcement);
        if (inline && config.enforcement().installRuleset() && config.clickhouse().enabled()) {
            ActionService a = new ActionService(ruleset, storage, denySet, time, housekeeping);
            actions = a.actions();
            services.add(a);
            // After a Firewall Manager apply the Action Manager takes the new sets' timeouts and re-applies what a
            // swap emptied; once it starts, it takes the timeouts of what is applied by then.
            RulesetService rs = rulesets;
            Deferred<ActionManager> am = actions;
            firewall.await().subscribe(fm -> fm.onApplied(applied -> am.now().ifPresent(m -> m.rulesetApplied(
                    rs.timeouts()))));
            actions.await().subscribe(m -> m.rulesetApplied(rs.timeouts()));
        }
        Deferred<AutomationScheduler> automation = Deferred.never("automation", "needs clickhouse.enabled");
        Deferred<AnalysisService> analysis = Deferred.never("analysis", "needs clickhouse.enabled");
        Deferred<DetectorService> detectors = Deferred.never("detectors", "needs clickhouse.enabled");
        if (config.clickhouse().enabled()) {
            Deferred<ClickHouseClient> client = new Deferred<>("storage", storage.reason());
            storage.await().subscribe(st -> client.complete(st.client()));
            AutomationScheduler rules = new AutomationScheduler(config.automation().enabled(), client, actions,
                    operational, time, housekeeping);
            services.add(rules);
            automation = Deferred.of("automation", rules);
            AnalysisService a = new AnalysisService(client, actions, config.automation().analysis().toAnalysisConfig(),
                    time, housekeeping);
            services.add(a);
            analysis = Deferred.of("analysis", a);
            DetectorService d = new DetectorService(client, actions, config.automation().detectors()
                    .toDetectorConfig(), time, housekeeping);
            services.add(d);
            detectors = Deferred.of("detectors", d);
        }
        Deferred<BulkJobRunner> bulk = Deferred.never("bulk actions", "needs clickhouse.enabled");
        if (config.clickhouse().enabled()) {
            Deferred<ClickHouseClient> client = new Deferred<>("storage", storage.reason());
            storage.await().subscribe(st -> client.complete(st.client()));
            BulkJobRunner b = new BulkJobRunner(client, actions, time, housekeeping);
            services.add(b);
            bulk = Deferred.of("bulk actions", b);
        }
        Deferred<AlarmService> alarms = Deferred.never("alarms", "alarms.enabled is false");
        if (config.alarms().enabled()) {
            Deferred<ClickHouseClient> client = new Deferred<>("storage", storage.reason());
            storage.await().subscribe(st -> client.complete(st.client()));
            List<NotificationSink> sinks = new ArrayList<>();
            String appliance = config.siteId().isEmpty() ? "dhcp-shield" : config.siteId();
            if (config.alarms().vector().enabled()) {
                sinks.add(new io.dhcpshield.alarms.vector.VectorSink(config.alarms().vector().toSinkConfig(appliance),
                        time));
            }
            AlarmService a = new AlarmService(new AlarmService.Settings(true,
                    Duration.ofSeconds(config.alarms().evaluateIntervalSecs()),
                    Duration.ofSeconds(config.alarms().windowSecs()), config.events().bufferPerSubscriber(),
                    appliance), events, () -> {
                        MetricSamples m = new MetricSamples();
                        daemon.now().ifPresent(d -> d.metrics(m));
                        return m;
                    }, client, operational,
                    detectors.now().map(DetectorService::alarms).orElse(Flux.empty()),
                    automation.now().map(AutomationScheduler::fired).orElse(Flux.empty()), sinks, time,
                    Schedulers.newSingle("alarms", true));
            services.add(a);
            alarms = Deferred.of("alarms", a);
        }
        Deferred<CaptureManager> capture = Deferred.never("capture", "capture.enabled is false");
        if (config.capture().enabled()) {
            CaptureManager c = new CaptureManager(config.capture().toCaptureConfig(), events, time,
                    Schedulers.newSingle("capture", true));
            services.add(c);
            capture = Deferred.of("capture", c);
        }
        if (config.api().enabled()) {
            services.add(new ApiServer(config.api().toApiConfig(), new ApiServer.Context(daemon, storage, operational,
                    actions, events, config.events().bufferPerSubscriber(), time, housekeeping, automation,
                    analysis, detectors, alarms, new ApiServer.Tools(firewall, bulk, capture))));
        }
        // Last to start, first to stop: READY=1 once every service started and the data path works, STOPPING=1 first.
        if (inline && config.nfqueue().backgroundNice() > 0) {
            // Last: every thread that exists by now was made by the main thread at the daemon's priority, the
            // queues' event loops among them (a thread inherits its creator's nice, and only root could undo it).
            services.add(new ThreadPriorities(config.nfqueue().backgroundNice(), housekeeping));
        }
        services.add(systemd(config, services, daemon));
        ServiceManager manager = new ServiceManager(services);
        daemon.complete(manager);
        return manager;
    }

    /**
     * The systemd notifier: ready when the data path works (every queue bound, the ruleset installed, or the collector
     * listening; storage, the API and the rest may still be connecting); alive while every queue's and the
     * collector's event loop beats and no pipeline is paused.
     */
    private static SystemdNotifier systemd(ProcessorConfig config, List<Service> services,
                                           Deferred<ServiceManager> daemon) {
        List<Service> dataPath = services.stream().filter(s -> s instanceof InspectionService
                || s instanceof RulesetService || s instanceof CollectorService || s instanceof QueueRule).toList();
        Liveness liveness = Liveness.ALWAYS;
        for (Service s : dataPath) {
            if (s instanceof Liveness l) {
                liveness = liveness.and(l);
            }
        }
        return new SystemdNotifier(SdNotify.fromEnvironment(),
                SdNotify.watchdogInterval(System.getenv(), ProcessHandle.current().pid()),
                Duration.ofSeconds(config.countersLogIntervalSecs()),
                () -> {
                    for (Service s : dataPath) {
                        var r = s.readiness();
                        if (!r.ready()) {
                            return s.name() + ": " + r.reason();
                        }
                    }
                    return "";
                }, liveness, () -> daemon.now().map(StatusReport::headline).orElse("starting"));
    }

    /** Owns the scheduler of periodic work (first started, last stopped). */
    private record Housekeeping(Scheduler scheduler) implements Service {
        @Override
        public String name() {
            return "housekeeping";
        }

        @Override
        public void start() {
            scheduler.init();
        }

        @Override
        public void stop() {
            scheduler.dispose();
        }
    }
}
