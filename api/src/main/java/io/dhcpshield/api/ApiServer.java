package io.dhcpshield.api;

import com.nimbusds.jose.jwk.OctetSequenceKey;
import io.dhcpshield.api.auth.Accounts;
import io.dhcpshield.api.auth.LoginLimiter;
import io.dhcpshield.api.auth.Revocations;
import io.dhcpshield.api.auth.SigningKey;
import io.dhcpshield.api.auth.TokenService;
import io.dhcpshield.api.http.Authenticator;
import io.dhcpshield.api.http.Route;
import io.dhcpshield.api.http.Router;
import io.dhcpshield.api.http.StaticFiles;
import io.dhcpshield.api.resources.ActionResource;
import io.dhcpshield.api.resources.AuditResource;
import io.dhcpshield.api.resources.AnalysisResource;
import io.dhcpshield.api.resources.AuthResource;
import io.dhcpshield.api.resources.AutomationResource;
import io.dhcpshield.api.resources.BindingResource;
import io.dhcpshield.api.resources.ConfigResource;
import io.dhcpshield.api.resources.DeviceResource;
import io.dhcpshield.api.resources.EventResource;
import io.dhcpshield.api.resources.StatsResource;
import io.dhcpshield.api.resources.StatusResource;
import io.dhcpshield.api.resources.UserResource;
import io.dhcpshield.api.stream.StreamEndpoint;
import io.dhcpshield.automation.analysis.AnalysisService;
import io.dhcpshield.automation.detectors.DetectorService;
import io.dhcpshield.automation.rules.AutomationScheduler;
import io.dhcpshield.api.stream.StreamHub;
import io.dhcpshield.core.event.DhcpEvent;
import io.dhcpshield.core.event.EventFanout;
import io.dhcpshield.core.metrics.MetricWriter;
import io.dhcpshield.core.service.Deferred;
import io.dhcpshield.core.service.Readiness;
import io.dhcpshield.core.service.Service;
import io.dhcpshield.core.service.ServiceManager;
import io.dhcpshield.core.time.Time;
import io.dhcpshield.enforcement.action.ActionManager;
import io.dhcpshield.storage.ActionHistory;
import io.dhcpshield.alarms.AlarmService;
import io.dhcpshield.api.resources.AlarmResource;
import io.dhcpshield.api.resources.FirewallResource;
import io.dhcpshield.api.resources.CaptureResource;
import io.dhcpshield.api.resources.BulkResource;
import io.dhcpshield.automation.bulk.BulkJobRunner;
import io.dhcpshield.capture.CaptureManager;
import io.dhcpshield.enforcement.firewall.FirewallManager;
import io.dhcpshield.storage.AuditLog;
import io.dhcpshield.storage.ClickHouseStorage;
import io.dhcpshield.storage.HistoryQueries;
import io.dhcpshield.storage.OperationalConfig;
import io.dhcpshield.storage.OperationalKeys;
import io.dhcpshield.storage.TokenRevocations;
import io.dhcpshield.storage.UserStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;
import reactor.netty.DisposableServer;
import reactor.netty.http.Http11SslContextSpec;
import reactor.netty.http.server.HttpServer;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The appliance's public surface as a service: the HTTP/JSON API under {@code /api/v1}, the live WebSocket stream,
 * Prometheus {@code /metrics}, on Reactor Netty. Everything it serves arrives late (storage, operational config, the
 * Action Manager) and is held as {@link Deferred} values: a route whose dependency is not there answers 503 with the
 * reason. Started means listening.
 */
public final class ApiServer implements Service {

    private static final Logger log = LoggerFactory.getLogger(ApiServer.class);

    /** What the API serves, from the daemon's wiring. */
    public record Context(Deferred<ServiceManager> daemon, Deferred<ClickHouseStorage> storage,
                          Deferred<OperationalConfig> operational, Deferred<ActionManager> actions,
                          EventFanout<DhcpEvent> events, int fanoutCapacity, Time time, Scheduler scheduler,
                          Deferred<AutomationScheduler> automation, Deferred<AnalysisService> analysis,
                          Deferred<DetectorService> detectors, Deferred<AlarmService> alarms, Tools tools) {
        /** Without the operator tools (their routes answer 503 naming them). */
        public Context(Deferred<ServiceManager> daemon, Deferred<ClickHouseStorage> storage,
                       Deferred<OperationalConfig> operational, Deferred<ActionManager> actions,
                       EventFanout<DhcpEvent> events, int fanoutCapacity, Time time, Scheduler scheduler,
                       Deferred<AutomationScheduler> automation, Deferred<AnalysisService> analysis,
                       Deferred<DetectorService> detectors, Deferred<AlarmService> alarms) {
            this(daemon, storage, operational, actions, events, fanoutCapacity, time, scheduler, automation, analysis,
                    detectors, alarms, Tools.none());
        }

        /** Without alarms (their routes answer 503 naming them). */
        public Context(Deferred<ServiceManager> daemon, Deferred<ClickHouseStorage> storage,
                       Deferred<OperationalConfig> operational, Deferred<ActionManager> actions,
                       EventFanout<DhcpEvent> events, int fanoutCapacity, Time time, Scheduler scheduler,
                       Deferred<AutomationScheduler> automation, Deferred<AnalysisService> analysis,
                       Deferred<DetectorService> detectors) {
            this(daemon, storage, operational, actions, events, fanoutCapacity, time, scheduler, automation, analysis,
                    detectors, Deferred.never("alarms", "not in this server"));
        }

        /** Without automation (its routes answer 503 naming it). */
        public Context(Deferred<ServiceManager> daemon, Deferred<ClickHouseStorage> storage,
                       Deferred<OperationalConfig> operational, Deferred<ActionManager> actions,
                       EventFanout<DhcpEvent> events, int fanoutCapacity, Time time, Scheduler scheduler) {
            this(daemon, storage, operational, actions, events, fanoutCapacity, time, scheduler,
                    Deferred.never("automation", "not in this server"), Deferred.never("analysis", "not in this server"),
                    Deferred.never("detectors", "not in this server"));
        }

        public Context {
            Objects.requireNonNull(tools, "tools");
            Objects.requireNonNull(automation, "automation");
            Objects.requireNonNull(analysis, "analysis");
            Objects.requireNonNull(detectors, "detectors");
            Objects.requireNonNull(alarms, "alarms");
            Objects.requireNonNull(daemon, "daemon");
            Objects.requireNonNull(storage, "storage");
            Objects.requireNonNull(operational, "operational");
            Objects.requireNonNull(actions, "actions");
            Objects.requireNonNull(events, "events");
            Objects.requireNonNull(time, "time");
            Objects.requireNonNull(scheduler, "scheduler");
        }
    }

    /** The operator tools: the Firewall Manager (with the Flow Visualizer), Bulk Actions and packet capture. */
    public record Tools(Deferred<FirewallManager> firewall, Deferred<BulkJobRunner> bulk,
                        Deferred<CaptureManager> capture) {
        public Tools {
            Objects.requireNonNull(firewall, "firewall");
            Objects.requireNonNull(bulk, "bulk");
            Objects.requireNonNull(capture, "capture");
        }

        public static Tools none() {
            return new Tools(Deferred.never("firewall manager", "not in this server"),
                    Deferred.never("bulk actions", "not in this server"), Deferred.never("capture", "not in this server"));
        }
    }

    private final ApiConfig config;
    private final Context ctx;
    private final List<Disposable> background = new ArrayList<>();
    private Scheduler hubThread;
    private TokenService tokens;
    private Accounts accounts;
    private StreamHub hub;
    private Router router;
    private DisposableServer server;

    public ApiServer(ApiConfig config, Context ctx) {
        this.config = Objects.requireNonNull(config, "config");
        this.ctx = Objects.requireNonNull(ctx, "ctx");
    }

    @Override
    public String name() {
        return "api";
    }

    @Override
    public void start() throws Exception {
        Time time = ctx.time();
        OctetSequenceKey key = SigningKey.loadOrCreate(config.signingKeyFile());
        Revocations revocations = new Revocations();
        tokens = new TokenService(key, config.issuer(), config.audience(), config.accessTokenTtl(),
                config.refreshTokenTtl(), revocations, time);
        LoginLimiter limiter = new LoginLimiter(config.loginFailuresPerUser(), config.loginFailuresPerAddress(),
                config.loginWindow(), time);

        Deferred<Accounts.Stores> stores = new Deferred<>("storage", ctx.storage().reason());
        Deferred<HistoryQueries> history = new Deferred<>("storage", ctx.storage().reason());
        Deferred<ActionHistory> actionHistory = new Deferred<>("storage", ctx.storage().reason());
        background.add(ctx.storage().await().subscribe(st -> {
            stores.complete(new Accounts.Stores(new UserStore(st.client(), time),
                    new TokenRevocations(st.client()), new AuditLog(st.client(), Duration.ofDays(3650))));
            history.complete(new HistoryQueries(st.client(), time, config.maxTimeRange()));
            actionHistory.complete(new ActionHistory(st.client(), config.maxTimeRange()));
        }));
        accounts = new Accounts(stores, tokens, revocations, limiter, time, config.initialPasswordFile());
        background.add(accounts.start(ctx.scheduler()));
        Authenticator authenticator = token -> {
            accounts.requireLoaded();
            return tokens.authenticate(token);
        };

        hubThread = Schedulers.newSingle("stream-hub", true);
        hub = new StreamHub(ctx.events(), ctx.fanoutCapacity(), hubThread, time, this::streamRate,
                tokens::stillValid, config.streamQueue(), config.streamSlowClose(), config.streamPingInterval(),
                config.streamIdleTimeout(), config.streamAuthTimeout());
        hub.start();
        background.add(ctx.actions().await().flatMapMany(ActionManager::changes)
                .subscribe(rec -> hub.push("action", io.dhcpshield.api.resources.Views.action(rec))));
        // The bell: every alarm change routed to it reaches every logged-in GUI as {"type":"alarm",...}.
        background.add(ctx.alarms().await().flatMapMany(a -> a.bell().messages())
                .subscribe(m -> hub.push("alarm", m.change(), m.alarm())));

        int page = config.maxPageSize();
        StaticFiles gui = StaticFiles.gui();
        List<Route> routes = new ArrayList<>();
        routes.addAll(new StatusResource(ctx.daemon(), time).routes());
        routes.addAll(new AuthResource(accounts).routes());
        routes.addAll(new UserResource(accounts).routes());
        routes.addAll(new EventResource(history, time, page, config.maxTimeRange()).routes());
        routes.addAll(new DeviceResource(history, page).routes());
        routes.addAll(new BindingResource(history, time, page, config.maxTimeRange()).routes());
        routes.addAll(new ActionResource(ctx.actions(), actionHistory, accounts, time, page,
                config.maxTimeRange()).routes());
        routes.addAll(new ConfigResource(ctx.operational(), accounts, time, page).routes());
        routes.addAll(new StatsResource(history, time, config.maxTimeRange()).routes());
        routes.addAll(new AuditResource(accounts, time, page).routes());
        routes.addAll(new AutomationResource(ctx.automation(), ctx.detectors(), time, page, config.maxTimeRange())
                .routes());
        routes.addAll(new AlarmResource(ctx.alarms(), time, page, config.maxTimeRange()).routes());
        routes.addAll(new FirewallResource(ctx.tools().firewall(), accounts).routes());
        routes.addAll(new BulkResource(ctx.tools().bulk()).routes());
        routes.addAll(new CaptureResource(ctx.tools().capture(), accounts).routes());
        routes.addAll(new AnalysisResource(ctx.analysis(), time, page, config.maxTimeRange()).routes());
        router = new Router(routes, Map.of(StreamEndpoint.PATH, new StreamEndpoint(hub, authenticator)),
                authenticator, config.maxBodyBytes(), gui);

        HttpServer http = HttpServer.create()
                .host(config.listenAddress())
                .port(config.port())
                .httpRequestDecoder(spec -> spec.maxInitialLineLength(8192).maxHeaderSize(16384))
                .idleTimeout(Duration.ofMinutes(2))
                .readTimeout(Duration.ofSeconds(30))
                .handle(router);
        if (config.tls()) {
            http = http.secure(spec -> spec.sslContext(Http11SslContextSpec.forServer(
                    config.tlsCertificate().toFile(), config.tlsKey().toFile())));
        }
        server = http.bindNow(Duration.ofSeconds(10));
        log.info("API listening on {}://{}:{} ({} routes, stream {}, metrics /metrics, {})", config.tls() ? "https"
                : "http", config.listenAddress(), port(), routes.size(), StreamEndpoint.PATH,
                gui.present() ? "GUI at /" : "no GUI in this build");
    }

    private StreamHub.Rate streamRate() {
        return ctx.operational().now()
                .map(cfg -> new StreamHub.Rate(cfg.get(OperationalKeys.WEBSOCKET_MAX_MESSAGES_PER_SECOND),
                        cfg.get(OperationalKeys.WEBSOCKET_BURST)))
                .orElseGet(() -> new StreamHub.Rate(OperationalKeys.WEBSOCKET_MAX_MESSAGES_PER_SECOND.defaultValue(),
                        OperationalKeys.WEBSOCKET_BURST.defaultValue()));
    }

    /** The port listened on (the configured one, or the one the system chose for port 0). */
    public int port() {
        return server == null ? -1 : ((InetSocketAddress) server.address()).getPort();
    }

    /** Every route, for the OpenAPI check. */
    public List<Route> routes() {
        return router.routes();
    }

    @Override
    public void stop() {
        if (hub != null) {
            hub.stop();
        }
        if (server != null) {
            server.disposeNow(Duration.ofSeconds(5));
        }
        background.forEach(Disposable::dispose);
        if (accounts != null) {
            accounts.stop();
        }
        if (hubThread != null) {
            hubThread.dispose();
        }
    }

    @Override
    public Readiness readiness() {
        Readiness r = accounts != null && accounts.isLoaded() ? Readiness.up()
                : Readiness.notReady("authentication waits for ClickHouse (users and token revocations)");
        return r.with("listen", (config.tls() ? "https://" : "http://") + config.listenAddress() + ":" + port())
                .with("stream_clients", hub == null ? 0 : hub.clientCount());
    }

    @Override
    public void metrics(MetricWriter out) {
        if (router != null) {
            router.metrics(out);
        }
        if (tokens != null) {
            tokens.metrics(out);
        }
        if (accounts != null) {
            accounts.metrics(out);
        }
        if (hub != null) {
            hub.metrics(out);
        }
    }
}
