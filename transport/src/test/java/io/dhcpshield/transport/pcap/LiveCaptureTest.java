package io.dhcpshield.transport.pcap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Opening live captures: the errors an operator sees, and a clean stop of a blocked read. Capturing needs
 * CAP_NET_RAW; the frames themselves are checked by the agent's namespace test in the processor module.
 */
@Timeout(30)
class LiveCaptureTest {

    private static final String MATCHES_NOTHING = "udp port 9 and udp port 10";

    @BeforeAll
    static void needsRoot() {
        assumeTrue(new com.sun.security.auth.module.UnixSystem().getUid() == 0,
                "skipped: live capture needs CAP_NET_RAW");
    }

    private static LiveCapture.Options options(String device, String filter, int timeoutMillis) {
        return new LiveCapture.Options(device, 2048, false, 1 << 20, timeoutMillis, filter);
    }

    @Test
    void aNonEthernetInterfaceIsRefusedNamingItsLinkType() {
        // "any" captures in cooked mode (LINUX_SLL), not Ethernet.
        PcapException e = assertThrows(PcapException.class, () -> LiveCapture.open(options("any", null, 100)));
        assertTrue(e.getMessage().contains("not Ethernet") && e.getMessage().contains("LINUX_SLL"), e.getMessage());
    }

    @Test
    void anInterfaceThatDoesNotExistIsAClearError() {
        PcapException e = assertThrows(PcapException.class,
                () -> LiveCapture.open(options("nosuch-if0", null, 100)));
        assertTrue(e.getMessage().contains("nosuch-if0") && e.getMessage().toLowerCase().contains("no such device"),
                e.getMessage());
    }

    @Test
    void aFilterThatDoesNotCompileIsAClearError() {
        PcapException e = assertThrows(PcapException.class,
                () -> LiveCapture.open(options("lo", "udp and port", 100)));
        assertTrue(e.getMessage().startsWith("Cannot compile filter 'udp and port' for lo"), e.getMessage());
    }

    @Test
    void anIdleReadReturnsTimeoutSoTheLoopAroundItKeepsTurning() throws Exception {
        // libpcap 1.10 keeps polling through its own timeout until a frame arrives (pcap_wait_for_frames_mmap), so
        // an agent on a quiet segment would look wedged to its watchdog; next() has to come back on its own.
        try (LiveCapture capture = LiveCapture.open(options("lo", MATCHES_NOTHING, 100))) {
            for (int i = 0; i < 3; i++) {
                CompletableFuture<LiveCapture.Read> read = CompletableFuture.supplyAsync(
                        () -> capture.next((data, length) -> { }));
                assertEquals(LiveCapture.Read.TIMEOUT, read.get(5, TimeUnit.SECONDS), "read " + (i + 1));
            }
        }
    }

    @Test
    void breakLoopEndsAReadThatWouldWaitAMinute() throws Exception {
        try (LiveCapture capture = LiveCapture.open(options("lo", MATCHES_NOTHING, 60_000))) {
            CompletableFuture<LiveCapture.Read> read = CompletableFuture.supplyAsync(() -> {
                LiveCapture.Read r;
                do {
                    r = capture.next((data, length) -> { });
                } while (r != LiveCapture.Read.STOPPED);
                return r;
            });
            capture.breakLoop();
            assertEquals(LiveCapture.Read.STOPPED, read.get(5, TimeUnit.SECONDS));
            assertEquals(0, capture.stats().dropped(), "a filter that matches nothing lets nothing into the ring");
        }
    }
}
