package io.dhcpshield.processor;

import io.dhcpshield.processor.systemd.NotifyReceiver;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * dhcp-processor as systemd runs it ({@code Type=notify}): the test is systemd's side of {@code NOTIFY_SOCKET}, a real
 * AF_UNIX datagram socket, and the daemon runs in the lab's appliance namespace against the real kernel. READY comes
 * once the queue is bound and the ruleset installed; STATUS carries the counters; WATCHDOG pings stop while the
 * pipeline is stalled (the test hook) and resume after; SIGTERM sends STOPPING. In passive mode READY comes once the
 * collector listens, and no secret of the config reaches the log, which is in journald's format.
 */
class SystemdLabIT {

    private static final Duration WAIT = Duration.ofSeconds(20);
    private static Lab lab;
    private NotifyReceiver systemd;

    @BeforeAll
    static void up() throws Exception {
        assumeTrue(Lab.isRoot(), "needs root for network namespaces and netfilter");
        lab = Lab.up();
    }

    @AfterAll
    static void down() {
        if (lab != null) {
            lab.close();
        }
    }

    @BeforeEach
    void notifySocket() throws Exception {
        Files.createDirectories(lab.run);
        // A path, not an abstract name: abstract AF_UNIX names belong to a network namespace.
        systemd = NotifyReceiver.bind(lab.run.resolve("notify").toString());
        lab.processorEnv.clear();
        lab.processorEnv.put("NOTIFY_SOCKET", systemd.name());
        lab.processorEnv.put("WATCHDOG_USEC", "1000000");
    }

    @AfterEach
    void close() throws Exception {
        systemd.close();
    }

    @Test
    void readyOnceTheQueueIsBoundPingsStopWhileThePipelineStallsStoppingOnSigterm() throws Exception {
        Lab.ProcessorProcess p = lab.startProcessorWith("""
                site_id: it
                counters_log_interval_secs: 1
                nfqueue:
                  queue_count: 1
                enforcement:
                  install_ruleset: true
                  profile: low
                """, "--test-stall-after", "20", "--test-stall-ms", "2500");
        NotifyReceiver.Message ready = systemd.await("READY=1", WAIT);
        int r = systemd.indexOf(ready);
        assertTrue(systemd.messages().get(0).has("MAINPID=" + p.process.pid()), systemd.messages().toString());
        // What READY promises holds in the kernel: queue 1 has a listener and the ruleset is there.
        String queues = lab.inNs(lab.app, WAIT, "cat", "/proc/net/netfilter/nfnetlink_queue").output();
        assertTrue(queues.lines().anyMatch(l -> l.trim().startsWith("1 ")), "queue 1 bound: " + queues);
        assertEquals(0, lab.inNs(lab.app, WAIT, "nft", "list", "table", "inet", "dhcp_inspection").exit());
        String log = p.log();
        assertTrue(log.indexOf("ruleset inet dhcp_inspection installed") < log.indexOf("notified systemd: ready"),
                log);
        assertTrue(systemd.messages().subList(0, r).stream().noneMatch(m -> m.has("WATCHDOG=1")));
        NotifyReceiver.Message firstPing = systemd.await(r, m -> m.has("WATCHDOG=1"), WAIT, "a ping");

        // 200 DISCOVERs; the pipeline stalls after 20 and resumes 2.5 s later.
        lab.flood(4, 1, 200, 10);
        NotifyReceiver.Message withheld = systemd.await(systemd.indexOf(firstPing),
                m -> m.has("STATUS=watchdog ping withheld: nfqueue 1 pipeline paused"), WAIT, "ping withheld");
        int w = systemd.indexOf(withheld);
        Lab.await(WAIT, () -> p.log().contains("stall released"), "stall released");
        NotifyReceiver.Message resumed = systemd.await(w, m -> m.has("WATCHDOG=1"), WAIT, "pings resumed");
        List<NotifyReceiver.Message> before = systemd.messages().subList(0, w).stream()
                .filter(m -> m.has("WATCHDOG=1")).toList();
        NotifyReceiver.Message lastBefore = before.get(before.size() - 1);
        long silentMillis = (resumed.nanos() - lastBefore.nanos()) / 1_000_000;
        assertTrue(silentMillis >= 2000, "no ping for the stall (2.5 s); pinged every 0.5 s otherwise: "
                + silentMillis + " ms");
        NotifyReceiver.Message status = systemd.await(systemd.indexOf(resumed),
                m -> m.text().matches("(?s).*STATUS=packets=[1-9]\\d* verdicts=\\d+ events=\\d+ bypassed=\\d+.*"),
                WAIT, "STATUS with the packets counted");
        assertTrue(status.text().contains("clickhouse=off"), status.text());

        assertEquals(0, p.stop(), p.log());
        systemd.await("STOPPING=1", WAIT);
    }

    @Test
    void passiveIsReadyOnceTheCollectorListensAndLogsNoSecretInJournalFormat() throws Exception {
        List<String> secrets = List.of("Ch-Passw0rd-123", "UrlSecret-456", "sk-llm-key-7890", "VecSecret-999");
        lab.processorEnv.put("JOURNAL_STREAM", "8:12345");
        Lab.ProcessorProcess p = lab.startProcessorIn(lab.app, """
                counters_log_interval_secs: 1
                clickhouse:
                  enabled: true
                  endpoint: http://shield:%s@127.0.0.1:1/
                  password: "%s"
                automation:
                  analysis:
                    enabled: true
                    base_url: http://127.0.0.1:1/v1
                    model: m
                    api_key: "%s"
                vector:
                  enabled: true
                  endpoint: http://v:%s@127.0.0.1:2/
                api:
                  enabled: true
                  listen_address: 127.0.0.1
                  state_directory: %s
                """.formatted(secrets.get(1), secrets.get(0), secrets.get(2), secrets.get(3), lab.run.resolve("state")),
                "--passive");
        NotifyReceiver.Message ready = systemd.await("READY=1", WAIT);
        assertTrue(ready.text().contains("STATUS=tzsp_frames=0"), ready.text());
        systemd.await(systemd.indexOf(ready), m -> m.has("WATCHDOG=1"), WAIT, "a ping");
        // Let the storage retry and log its failure at least once.
        Lab.await(WAIT, () -> p.log().contains("ClickHouse at "), "a ClickHouse error logged");
        assertEquals(0, p.stop(), p.log());
        systemd.await("STOPPING=1", WAIT);
        String log = p.log();
        for (String s : secrets) {
            assertFalse(log.contains(s), "secret " + s + " in the log:\n" + log);
        }
        for (String line : log.lines().toList()) {
            assertTrue(line.matches("<[3-7]>\\[[^]]+] (ERROR|WARN|INFO|DEBUG|TRACE) \\S+ - .*"),
                    "one journald line per event: " + line);
        }
    }
}
