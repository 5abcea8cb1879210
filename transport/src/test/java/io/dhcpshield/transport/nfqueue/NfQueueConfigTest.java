package io.dhcpshield.transport.nfqueue;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Defaults and validation of the queue and group configuration, and the transport names. */
class NfQueueConfigTest {

    @Test
    void defaultsAreTheDocumentedOnes() {
        NfQueueConfig c = NfQueueConfig.defaults(4);
        assertEquals(4, c.queueNumber());
        assertEquals(4096, c.copyRange());
        assertEquals(8192, c.queueMaxLength());
        assertTrue(c.failOpen() && c.gso() && c.noEnobufs());
        assertEquals(32 << 20, c.receiveBufferBytes());
        assertEquals(64, c.batchSize());
        assertEquals(4096 + 512, c.rxSlotBytes());

        NfQueueGroupConfig g = NfQueueGroupConfig.defaults();
        assertEquals(8, g.queueCount());
        assertEquals(NfQueueTransport.AUTO, g.transport());
        assertEquals("", g.networkNamespace());
    }

    @Test
    void invalidValuesNameTheField() {
        NfQueueConfig c = NfQueueConfig.defaults(1);
        assertMessage("queueNumber", () -> c.withQueueNumber(70000));
        assertMessage("copyRange", () -> c.withCopyRange(0));
        assertMessage("copyRange", () -> c.withCopyRange(65535));
        assertMessage("queueMaxLength", () -> c.withQueueMaxLength(0));
        assertMessage("receiveBufferBytes", () -> c.withReceiveBufferBytes(1024));
        assertMessage("batchSize", () -> c.withBatchSize(0));
        assertMessage("batchSize", () -> c.withBatchSize(2048));
        assertMessage("readBudget", () -> c.withReadBudget(0));
        NfQueueGroupConfig g = NfQueueGroupConfig.defaults();
        assertMessage("queueCount", () -> g.withQueueCount(0));
        assertMessage("eventLoops", () -> g.withEventLoops(-1));
        assertMessage("maxBackoff", () -> g.withBackoff(Duration.ofSeconds(2), Duration.ofSeconds(1)));
        assertMessage("minBackoff", () -> g.withBackoff(Duration.ZERO, Duration.ofSeconds(1)));
    }

    @Test
    void transportsParseFromTheirConfigNames() {
        assertEquals(NfQueueTransport.IO_URING, NfQueueTransport.fromConfigName("io_uring"));
        assertEquals(NfQueueTransport.EPOLL, NfQueueTransport.fromConfigName("EPOLL"));
        assertEquals(NfQueueTransport.AUTO, NfQueueTransport.fromConfigName("auto"));
        assertMessage("auto, epoll, io_uring", () -> NfQueueTransport.fromConfigName("kqueue"));
    }

    @Test
    void autoPrefersEpoll() {
        if (NfQueueTransport.EPOLL.isAvailable()) {
            assertEquals(NfQueueTransport.EPOLL, NfQueueTransport.AUTO.resolve());
        }
    }

    private static void assertMessage(String field, Runnable action) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, action::run);
        assertTrue(e.getMessage().contains(field), e.getMessage());
    }
}
