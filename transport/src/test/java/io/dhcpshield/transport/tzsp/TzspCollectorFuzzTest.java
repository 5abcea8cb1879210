package io.dhcpshield.transport.tzsp;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.dhcpshield.core.codec.Classification;
import io.dhcpshield.core.codec.Framing;
import io.dhcpshield.core.codec.PacketClassifier;
import io.netty.buffer.Unpooled;

import java.net.InetSocketAddress;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Coverage-guided fuzzing of the collector's datagram path (docs/fuzzing.md): whatever bytes arrive, nothing escapes,
 * the datagram is counted exactly once (a frame or one drop reason), and a frame handed on lies inside the datagram —
 * the handler reads all of it and classifies it as the observe input does (a read past the end would throw and show up
 * as {@code handler_error}).
 */
class TzspCollectorFuzzTest {

    private static final InetSocketAddress AGENT = new InetSocketAddress("192.0.2.7", 40001);
    private static final Classification CLASSIFICATION = new Classification();
    private static TzspCollector collector;

    private static TzspCollector collector() {
        if (collector == null) {
            collector = TzspCollector.start(new TzspCollector.Config("127.0.0.1", 0, List.of(), 1 << 20, 4),
                    (buf, f, agent) -> {
                        byte[] frame = new byte[f.length()];
                        buf.getBytes(f.index(), frame);
                        PacketClassifier.classify(Unpooled.wrappedBuffer(frame), 0, frame.length, Framing.ETHERNET,
                                CLASSIFICATION);
                    }, () -> 0L);
        }
        return collector;
    }

    @FuzzTest
    void countsAnyDatagramOnce(byte[] datagram) {
        TzspCollector c = collector();
        TzspCollector.Snapshot before = c.snapshot();
        c.receive(Unpooled.wrappedBuffer(datagram), AGENT);
        TzspCollector.Snapshot after = c.snapshot();
        assertEquals(before.datagrams() + 1, after.datagrams());
        assertEquals(before.frames() + before.droppedTotal() + 1, after.frames() + after.droppedTotal(),
                "counted exactly once");
        assertEquals(0L, after.dropped().get(TzspCollector.Reason.HANDLER_ERROR), "a frame past the datagram");
    }
}
