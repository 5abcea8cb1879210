package io.dhcpshield.automation.analysis;

import io.dhcpshield.automation.analysis.PromptStore.Prompt;
import io.dhcpshield.core.event.DhcpEvent;
import io.dhcpshield.core.event.Direction;
import io.dhcpshield.core.mark.MarkSource;
import io.dhcpshield.core.metrics.MetricSamples;
import io.dhcpshield.core.net.IpAddress;
import io.dhcpshield.core.net.MacAddress;
import io.dhcpshield.core.pipeline.DenySet;
import io.dhcpshield.core.service.Deferred;
import io.dhcpshield.core.service.NotReadyException;
import io.dhcpshield.core.service.Readiness;
import io.dhcpshield.core.time.Time;
import io.dhcpshield.enforcement.action.ActionManager;
import io.dhcpshield.enforcement.action.ActionRecord;
import io.dhcpshield.enforcement.action.ActionTarget;
import io.dhcpshield.enforcement.action.ActionType;
import io.dhcpshield.enforcement.action.Actor;
import io.dhcpshield.enforcement.action.AnalysisQueue;
import io.dhcpshield.enforcement.ruleset.EnforcementSet;
import io.dhcpshield.enforcement.ruleset.ThrottlingProfile;
import io.dhcpshield.storage.Await;
import io.dhcpshield.storage.AuditFilter;
import io.dhcpshield.storage.AuditLog;
import io.dhcpshield.storage.BatchSink;
import io.dhcpshield.storage.ClickHouseActionLog;
import io.dhcpshield.storage.ClickHouseClient;
import io.dhcpshield.storage.ClickHouseServerExtension;
import io.dhcpshield.storage.EventRows;
import io.dhcpshield.storage.Migrations;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import reactor.test.scheduler.VirtualTimeScheduler;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The analysis path end to end: a real ClickHouse (results, prompts, the device's events and actions), a real Action
 * Manager over in-memory kernel sets, and a real HTTP server speaking the chat-completions format. The schedule
 * (polling, back-off, breaker cool-down) runs on virtual time; the rest is waited on by counters.
 */
class AnalysisServiceTest {

    @RegisterExtension
    static final ClickHouseServerExtension server = new ClickHouseServerExtension();

    static final Instant T0 = Instant.parse("2026-03-02T12:00:00Z");
    static final Duration WAIT = Duration.ofSeconds(30);
    static ClickHouseClient client;
    static int nextDevice = 1;

    VirtualTimeScheduler clock;
    Time time;
    MemoryKernelSets kernel;
    ActionManager manager;
    ChatServer chat;
    AnalysisService service;

    @BeforeAll
    static void schema() throws Exception {
        client = new ClickHouseClient(server.freshDatabase("analysis_test"));
        Migrations.apply(client).collectList().block(Duration.ofSeconds(60));
    }

    @AfterAll
    static void close() {
        client.close();
    }

    @BeforeEach
    void setUp() throws Exception {
        clock = VirtualTimeScheduler.create();
        time = Time.of(clock, T0);
        kernel = new MemoryKernelSets();
        manager = new ActionManager(kernel, new ClickHouseActionLog(client, time), new DenySet(),
                ThrottlingProfile.dualstack("medium"), new AnalysisQueue(16), time);
        chat = new ChatServer(time);
    }

    @AfterEach
    void tearDown() {
        if (service != null) {
            service.stop();
        }
        manager.close();
        chat.close();
        clock.dispose();
    }

    /** A backend at the test server, quick retries, auto approval. */
    AnalysisConfig backend() {
        return AnalysisConfig.defaults().withBackend(chat.baseUrl(), "test-model", "test-key")
                .withRetries(Duration.ofSeconds(5), 1, Duration.ofSeconds(5), Duration.ofSeconds(20));
    }

    AnalysisService start(AnalysisConfig config) {
        service = new AnalysisService(Deferred.of("storage", client), Deferred.of("action manager", manager), config,
                time, clock);
        service.start();
        Await.until(WAIT, () -> service.readiness().ready(), "the analysis service to be ready");
        return service;
    }

    /** A device of its own for each test (marks differ), with a few minutes of DORA and a burst of DISCOVERs. */
    static MacAddress device(boolean withTraffic) throws Exception {
        MacAddress mac = new MacAddress(0x0200_5e00_0000L + (nextDevice++) * 0x101);
        if (withTraffic) {
            List<DhcpEvent> events = new ArrayList<>();
            long t = T0.minusSeconds(3600).getEpochSecond() * 1_000_000L;
            for (int i = 0; i < 30; i++) {
                int type = i < 24 ? 1 : new int[] {2, 3, 5}[i % 3];
                events.add(event(t + i * 1_000_000L, type, mac));
            }
            BatchSink.clickhouse(client).send(EventRows.encode(events));
        }
        return mac;
    }

    static DhcpEvent event(long micros, int type, MacAddress mac) {
        boolean reply = type == 2 || type == 5;
        String name = switch (type) {
            case 1 -> "DISCOVER";
            case 2 -> "OFFER";
            case 3 -> "REQUEST";
            default -> "ACK";
        };
        return new DhcpEvent(micros, 0, "site-a", reply ? Direction.SERVER_TO_CLIENT : Direction.CLIENT_TO_SERVER, 4,
                type, type, name, 0x1234, type << 24 | mac.low24(), MarkSource.CHADDR, mac, null,
                "01:" + mac, "cam-" + (mac.value() & 0xFF), "udhcp 1.36", null, "1,3,6,12,15,28",
                IpAddress.parse("0.0.0.0"), IpAddress.parse("255.255.255.255"), IpAddress.parse("100.64.0.1"),
                "eth0/1/7", "remote-1", null, 1, null, reply ? IpAddress.parse("100.64.3.9") : null, null,
                reply ? 3600 : -1, IpAddress.parse("100.64.0.254"), null, List.of());
    }

    AnalysisResult result(String id) {
        return service.result(id).block(WAIT);
    }

    /** Waits on a condition while moving virtual time a second per look (back-off and cool-down fall due). */
    void advanceUntil(BooleanSupplier condition, String what) {
        Await.until(WAIT, () -> {
            if (condition.getAsBoolean()) {
                return true;
            }
            clock.advanceTimeBy(Duration.ofSeconds(1));
            return false;
        }, what);
    }

    @Test
    void aValidRecommendationIsAppliedWithTheAnalysisAsTheActor() throws Exception {
        MacAddress mac = device(true);
        chat.recommend("throttle", "24 DISCOVERs in under a minute");
        start(backend());
        EnqueueOutcome queued = service.enqueue(ActionTarget.mac(mac), Actor.user("alice"));
        assertEquals(EnqueueOutcome.Status.QUEUED, queued.status());
        Await.until(WAIT, () -> service.counters().reached(AnalysisState.APPLIED) == 1, "the analysis applied");

        ActionRecord action = manager.inForce(ActionType.THROTTLE, mac.low24()).orElseThrow();
        assertEquals(Actor.analysis(queued.analysisId()), action.actor());
        assertTrue(action.reason().startsWith("analysis " + queued.analysisId() + ": 24 DISCOVERs"), action.reason());
        assertTrue(kernel.contains(EnforcementSet.LLM_THROTTLED_MARKS, mac.low24()));

        AnalysisResult r = result(queued.analysisId());
        assertEquals(AnalysisState.APPLIED, r.state());
        assertEquals(ActionType.THROTTLE, r.recommendation());
        assertEquals("24 DISCOVERs in under a minute", r.reason());
        assertEquals("test-model-served", r.model());
        assertEquals(PromptStore.DEFAULT_ID, r.promptId());
        assertEquals("user:alice", r.requestedBy());
        assertEquals(ActionTarget.mac(mac), r.target());

        // What the backend was asked: the model, the key, the fixed answer format, the summary in the prompt.
        ChatServer.Received asked = chat.received.get(0);
        assertEquals("test-model", asked.body().path("model").asText());
        assertEquals("Bearer test-key", asked.authorization());
        assertEquals(PromptStore.SYSTEM_MESSAGE, asked.body().path("messages").path(0).path("content").asText());
        String prompt = asked.prompt();
        for (String expected : new String[] {"mac " + mac, "user:alice", "\"DISCOVER\"", "\"events\" : 24",
                "1,3,6,12,15,28", "udhcp 1.36", "eth0/1/7", "cam-"}) {
            assertTrue(prompt.contains(expected), expected + " in\n" + prompt);
        }
        assertEquals(1, service.counters().calls(AnalysisCounters.OK));
        assertEquals(0, service.queueDepth());
        assertTrue(service.active().isEmpty());
    }

    @Test
    void anAnalyzeActionIsDrainedFromTheActionManagerAndItsRuleIsTheRequester() throws Exception {
        MacAddress mac = device(true);
        chat.recommend("monitor", "a burst, then a normal exchange");
        start(backend());
        manager.apply(ActionType.ANALYZE, List.of(ActionTarget.mac(mac)), Actor.rule("discover-tier-2"), "volume");
        assertEquals(1, manager.analysisQueue().size());
        clock.advanceTimeBy(service.config().pollInterval());
        Await.until(WAIT, () -> service.counters().reached(AnalysisState.APPLIED) == 1, "the analysis applied");
        assertEquals(0, manager.analysisQueue().size());
        ActionRecord action = manager.inForce(ActionType.MONITOR, mac.low24()).orElseThrow();
        assertEquals(Actor.Kind.ANALYSIS, action.actor().kind());
        AnalysisResult r = result(action.actor().name());
        assertEquals("automation_rule:discover-tier-2", r.requestedBy());
        // The summary shows the analyze action that queued it among the device's past actions.
        assertTrue(chat.received.get(0).prompt().contains("\"action\" : \"analyze\""), chat.received.get(0).prompt());
    }

    @Test
    void anInvalidReplyIsRecordedAndAppliesNothing() throws Exception {
        MacAddress mac = device(true);
        chat.answer("I would block this client, it looks like a starvation attack.");
        start(backend());
        String id = service.enqueue(ActionTarget.mac(mac), Actor.user("alice")).analysisId();
        Await.until(WAIT, () -> service.counters().reached(AnalysisState.INVALID) == 1, "the reply judged invalid");
        AnalysisResult r = result(id);
        assertEquals(AnalysisState.INVALID, r.state());
        assertNull(r.recommendation());
        assertTrue(r.error().contains("not one JSON object"), r.error());
        assertTrue(manager.inForce().isEmpty());
        assertEquals(BackendBreaker.State.CLOSED, service.breaker().state(), "an answer is not a backend failure");
    }

    @Test
    void anOversizedResponseIsCutOffAndFailsWithoutRetry() throws Exception {
        MacAddress mac = device(false);
        chat.answer("x".repeat(ChatCompletionsBackend.MAX_RESPONSE_BYTES + 1));
        start(backend().withRetries(Duration.ofSeconds(5), 3, Duration.ofSeconds(5), Duration.ofSeconds(5)));
        String id = service.enqueue(ActionTarget.mac(mac), Actor.user("alice")).analysisId();
        Await.until(WAIT, () -> service.counters().reached(AnalysisState.FAILED) == 1, "the analysis failed");
        assertTrue(result(id).error().contains("larger than"), result(id).error());
        assertEquals(1, service.counters().calls("bad_response"));
        assertEquals(1, chat.requests());
    }

    @Test
    void aSlowBackendIsRetriedAfterTheBackoffThenTheAnalysisFails() throws Exception {
        MacAddress mac = device(true);
        chat.recommend("block", "too late").hold();
        start(backend().withRetries(Duration.ofMillis(300), 2, Duration.ofSeconds(5), Duration.ofSeconds(20)));
        String id = service.enqueue(ActionTarget.mac(mac), Actor.user("alice")).analysisId();
        advanceUntil(() -> service.counters().reached(AnalysisState.FAILED) == 1, "the analysis failed");
        assertEquals(2, service.counters().calls("timeout"));
        assertEquals(1, service.counters().retries());
        assertEquals(2, chat.requests());
        Duration gap = Duration.between(chat.received.get(0).at(), chat.received.get(1).at());
        assertTrue(gap.compareTo(Duration.ofSeconds(5)) >= 0, "the retry waited the back-off: " + gap);
        AnalysisResult r = result(id);
        assertEquals(AnalysisState.FAILED, r.state());
        assertTrue(r.error().contains("request 2 of 2") && r.error().contains("timed out"), r.error());
        assertTrue(manager.inForce().isEmpty());
    }

    @Test
    void aFailingBackendOpensTheBreakerWhichFailsFastThenClosesAfterTheCooldown() throws Exception {
        chat.fail(500);
        start(backend().withBreaker(3, Duration.ofMinutes(2)));
        for (int i = 1; i <= 3; i++) {
            service.enqueue(ActionTarget.mac(device(false)), Actor.user("alice"));
            int n = i;
            Await.until(WAIT, () -> service.counters().reached(AnalysisState.FAILED) == n, "failure " + n);
        }
        assertEquals(3, service.counters().calls("http_error"));
        assertEquals(BackendBreaker.State.OPEN, service.breaker().state());
        Readiness ready = service.readiness();
        assertTrue(ready.ready(), "an optional backend down does not make the service unready");
        assertEquals("open", ready.detail().get("breaker"));
        assertTrue(String.valueOf(ready.detail().get("breaker_reason")).contains("HTTP 500"), ready.toString());
        MetricSamples m = new MetricSamples();
        service.metrics(m);
        assertEquals(1, m.total("analysis_breaker_state"));
        assertEquals(1, m.total("analysis_breaker_opened"));

        // Open: the next analysis fails at once without a request.
        String fast = service.enqueue(ActionTarget.mac(device(false)), Actor.user("alice")).analysisId();
        Await.until(WAIT, () -> service.counters().reached(AnalysisState.FAILED) == 4, "the fast failure");
        assertEquals(3, chat.requests());
        assertEquals(1, service.counters().calls(AnalysisCounters.SHORT_CIRCUITED));
        assertTrue(result(fast).error().contains("circuit breaker is open"), result(fast).error());

        // After the cool-down one trial goes out; it succeeds and closes the breaker.
        chat.recommend("allow", "a normal client");
        clock.advanceTimeBy(Duration.ofMinutes(2));
        MacAddress healthy = device(true);
        service.enqueue(ActionTarget.mac(healthy), Actor.user("alice"));
        Await.until(WAIT, () -> service.counters().reached(AnalysisState.APPLIED) == 1, "the trial applied");
        assertEquals(BackendBreaker.State.CLOSED, service.breaker().state());
        assertTrue(manager.inForce(ActionType.ALLOW, healthy.low24()).isPresent());
    }

    @Test
    void inHoldModeARecommendationWaitsForTheOperator() throws Exception {
        MacAddress approved = device(true);
        MacAddress rejected = device(true);
        chat.recommend("block", "starvation pattern");
        start(backend().withApproval(AnalysisConfig.Approval.HOLD));
        String a = service.enqueue(ActionTarget.mac(approved), Actor.user("alice")).analysisId();
        String b = service.enqueue(ActionTarget.mac(rejected), Actor.user("alice")).analysisId();
        Await.until(WAIT, () -> service.counters().reached(AnalysisState.HELD) == 2, "both held");
        assertTrue(manager.inForce().isEmpty(), "nothing applied before approval");
        List<String> pending = service.pending(100).map(AnalysisResult::id).collectList().block(WAIT);
        assertTrue(pending.containsAll(List.of(a, b)), pending.toString());

        Decision yes = service.approve(a, Actor.user("bob")).block(WAIT);
        assertEquals(Decision.Status.DONE, yes.status(), yes.message());
        assertEquals(AnalysisState.APPROVED, yes.result().state());
        ActionRecord action = manager.inForce(ActionType.BLOCK, approved.low24()).orElseThrow();
        assertEquals(Actor.analysis(a), action.actor());
        assertTrue(action.reason().contains("approved by user:bob"), action.reason());
        assertEquals(AnalysisState.APPROVED, result(a).state());

        Decision no = service.reject(b, Actor.user("bob")).block(WAIT);
        assertEquals(Decision.Status.DONE, no.status());
        assertEquals(AnalysisState.REJECTED, result(b).state());
        assertTrue(manager.inForce(ActionType.BLOCK, rejected.low24()).isEmpty());

        assertEquals(Decision.Status.NOT_HELD, service.approve(b, Actor.user("bob")).block(WAIT).status());
        assertEquals(Decision.Status.NOT_FOUND, service.approve("no-such-id", Actor.user("bob")).block(WAIT).status());
        List<String> still = service.pending(100).map(AnalysisResult::id).collectList().block(WAIT);
        assertFalse(still.contains(a) || still.contains(b), still.toString());
        var audit = new AuditLog(client, Duration.ofDays(1))
                .query(new AuditFilter(T0.minusSeconds(60), T0.plusSeconds(60), "bob", null, "analysis.", null), null,
                        10)
                .block(WAIT);
        assertEquals(2, audit.entries().size(), audit.toString());
    }

    @Test
    void aDeviceQueuedOrRunningIsNotQueuedTwiceAndAFullQueueRefuses() throws Exception {
        chat.recommend("monitor", "watch it").hold();
        start(backend().withQueue(2, 1));
        ActionTarget a = ActionTarget.mac(device(false));
        String first = service.enqueue(a, Actor.user("alice")).analysisId();
        Await.until(WAIT, () -> chat.requests() == 1, "the first analysis at the backend");

        EnqueueOutcome again = service.enqueue(a, Actor.rule("r1"));
        assertEquals(EnqueueOutcome.Status.DUPLICATE, again.status());
        assertEquals(first, again.analysisId());
        ActionTarget b = ActionTarget.mac(device(false));
        assertEquals(EnqueueOutcome.Status.QUEUED, service.enqueue(b, Actor.user("alice")).status());
        assertEquals(EnqueueOutcome.Status.QUEUED, service.enqueue(ActionTarget.mac(device(false)),
                Actor.user("alice")).status());
        assertEquals(EnqueueOutcome.Status.DUPLICATE, service.enqueue(b, Actor.user("alice")).status());
        EnqueueOutcome full = service.enqueue(ActionTarget.mac(device(false)), Actor.user("alice"));
        assertEquals(EnqueueOutcome.Status.QUEUE_FULL, full.status());
        assertFalse(full.accepted());
        assertEquals(2, service.counters().deduplicated());
        assertEquals(1, service.counters().rejected());
        assertEquals(2, service.queueDepth());
        assertEquals(3, service.active().size());
        MetricSamples m = new MetricSamples();
        service.metrics(m);
        assertEquals(1, m.total("analysis_requests_rejected"));
        assertEquals(2, m.total("analysis_queue_depth"));

        chat.release();
        Await.until(WAIT, () -> service.counters().reached(AnalysisState.APPLIED) == 3, "the three analyses applied");
        EnqueueOutcome later = service.enqueue(a, Actor.user("alice"));
        assertEquals(EnqueueOutcome.Status.QUEUED, later.status(), "finished: the device may be queued again");
        assertNotEquals(first, later.analysisId());
        Await.until(WAIT, () -> service.counters().reached(AnalysisState.APPLIED) == 4, "the fourth applied");
    }

    @Test
    void withoutABackendRequestsAreSkippedAtOnceAndNothingElseChanges() throws Exception {
        MacAddress mac = device(true);
        start(AnalysisConfig.defaults());
        String id = service.enqueue(ActionTarget.mac(mac), Actor.user("alice")).analysisId();
        Await.until(WAIT, () -> service.counters().reached(AnalysisState.SKIPPED) == 1, "skipped");
        AnalysisResult r = result(id);
        assertEquals(AnalysisState.SKIPPED, r.state());
        assertTrue(r.reason().contains("no analysis backend"), r.reason());
        assertEquals(0, chat.requests());
        assertTrue(manager.inForce().isEmpty());
        Readiness ready = service.readiness();
        assertTrue(ready.ready());
        assertEquals("not configured", ready.detail().get("backend"));
    }

    @Test
    void aBareClientMarkIsSkippedForItHasNoHistory() {
        chat.recommend("block", "x");
        start(backend());
        String id = service.enqueue(ActionTarget.mark(0x00beef), Actor.user("alice")).analysisId();
        Await.until(WAIT, () -> service.counters().reached(AnalysisState.SKIPPED) == 1, "skipped");
        assertEquals(ActionTarget.mark(0x00beef), result(id).target());
        assertEquals(0, chat.requests());
    }

    @Test
    void theDefaultPromptIsSeededAndAnEditIsValidatedAuditedAndUsed() throws Exception {
        MacAddress mac = device(true);
        chat.recommend("allow", "fine");
        start(backend());
        Prompt seeded = service.prompt(PromptStore.DEFAULT_ID).block(WAIT);
        assertEquals(PromptStore.DEFAULT_PROMPT, seeded.text());

        assertThrows(IllegalArgumentException.class, () -> service.updatePrompt(PromptStore.DEFAULT_ID, null,
                "judge {{mac}} by {{vibes}} {{summary}}", Actor.user("alice")).block(WAIT));
        assertThrows(IllegalArgumentException.class, () -> service.updatePrompt(PromptStore.DEFAULT_ID, null,
                "judge {{mac}}", Actor.user("alice")).block(WAIT));
        Prompt edited = service.updatePrompt(PromptStore.DEFAULT_ID, "Strict", "STRICT REVIEW of {{mac}}: {{summary}}",
                Actor.user("alice")).block(WAIT);
        assertEquals("Strict", edited.name());
        assertEquals("alice", edited.updatedBy());
        assertTrue(edited.version() > seeded.version());
        assertEquals(List.of(PromptStore.DEFAULT_ID), service.prompts().map(Prompt::id).collectList().block(WAIT));
        var audit = new AuditLog(client, Duration.ofDays(1)).query(new AuditFilter(T0.minusSeconds(60),
                T0.plusSeconds(60), "alice", "analysis.prompt.set", null, null), null, 10).block(WAIT);
        assertEquals(1, audit.entries().size());
        assertTrue(audit.entries().get(0).detail().contains("STRICT REVIEW"));

        service.enqueue(ActionTarget.mac(mac), Actor.user("alice"));
        Await.until(WAIT, () -> service.counters().reached(AnalysisState.APPLIED) == 1, "applied");
        assertTrue(chat.received.get(0).prompt().startsWith("STRICT REVIEW of " + mac + ": {"),
                chat.received.get(0).prompt());
        // Put the default back for the other tests.
        service.updatePrompt(PromptStore.DEFAULT_ID, null, PromptStore.DEFAULT_PROMPT, Actor.user("alice")).block(WAIT);
    }

    @Test
    void resultsAreListedByDeviceAndStateNewestFirst() throws Exception {
        MacAddress mac = device(true);
        chat.recommend("monitor", "watch");
        start(backend());
        service.enqueue(ActionTarget.mac(mac), Actor.user("carol"));
        Await.until(WAIT, () -> service.counters().reached(AnalysisState.APPLIED) == 1, "first");
        clock.advanceTimeBy(Duration.ofSeconds(5));
        service.enqueue(ActionTarget.mac(mac), Actor.rule("r9"));
        Await.until(WAIT, () -> service.counters().reached(AnalysisState.APPLIED) == 2, "second");
        ResultFilter f = ResultFilter.between(T0.minusSeconds(60), T0.plusSeconds(60)).target(ActionTarget.mac(mac));
        List<AnalysisResult> all = service.results(f, 10).collectList().block(WAIT);
        assertEquals(2, all.size());
        assertEquals("automation_rule:r9", all.get(0).requestedBy());
        assertEquals(1, service.results(f.requestedBy("user:carol"), 10).collectList().block(WAIT).size());
        assertEquals(2, service.results(f.state(AnalysisState.APPLIED), 10).collectList().block(WAIT).size());
        assertEquals(0, service.results(f.state(AnalysisState.QUEUED), 10).collectList().block(WAIT).size());
        assertThrows(IllegalArgumentException.class, () -> service.results(f, 0));
    }

    @Test
    void analysesARestartInterruptedAreClosedAsFailed() throws Exception {
        ResultStore store = new ResultStore(client, time);
        AnalysisResult left = AnalysisResult.queued("left-by-a-crash", ActionTarget.mac(device(false)),
                "user:alice", T0.minusSeconds(30));
        store.write(left).block(WAIT);
        store.write(left.next(AnalysisState.RUNNING, T0.minusSeconds(29))).block(WAIT);
        start(AnalysisConfig.defaults());
        AnalysisResult r = result("left-by-a-crash");
        assertEquals(AnalysisState.FAILED, r.state());
        assertTrue(r.error().contains("interrupted"), r.error());
    }

    @Test
    void untilStorageIsThereRequestsAreRefusedAsNotReady() {
        service = new AnalysisService(new Deferred<>("storage", "connecting"), Deferred.of("action manager", manager),
                backend(), time, clock);
        service.start();
        assertFalse(service.readiness().ready());
        assertTrue(service.readiness().reason().contains("connecting"));
        NotReadyException e = assertThrows(NotReadyException.class,
                () -> service.enqueue(ActionTarget.mark(1), Actor.user("alice")));
        assertTrue(e.reason().contains("connecting"));
        // The analyze action's requests wait in the Action Manager's own queue meanwhile.
        manager.apply(ActionType.ANALYZE, List.of(ActionTarget.mark(2)), Actor.rule("r1"), "");
        clock.advanceTimeBy(Duration.ofSeconds(5));
        assertEquals(1, manager.analysisQueue().size());
    }
}
