package io.dhcpshield.storage;

import io.dhcpshield.core.event.DhcpEvent;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The writer holds encoded rows: each event is encoded as it arrives; one it cannot encode is dropped and counted. */
class EventWriterRowsTest {

    /** Rows are the event's second (its number here) as text and a newline; multiples of 3 cannot be encoded. */
    private static final class TextSink implements BatchSink {
        final List<String> bodies = new CopyOnWriteArrayList<>();

        @Override
        public String name() {
            return "text";
        }

        @Override
        public byte[] encodeRow(DhcpEvent event) {
            long n = event.timeMicros() / 1_000_000L;
            if (n % 3 == 0) {
                throw new IllegalStateException("cannot encode " + n);
            }
            return (n + "\n").getBytes(StandardCharsets.US_ASCII);
        }

        @Override
        public void send(byte[] body, int length) throws IOException {
            bodies.add(new String(body, 0, length, StandardCharsets.US_ASCII));
        }
    }

    @Test
    void anEventThatCannotBeEncodedIsDroppedAndCountedAndTheOthersArriveInOrder() {
        TextSink sink = new TextSink();
        EventWriter writer = new EventWriter(sink, WriterConfig.defaults().withBatch(4, Duration.ofMillis(50)));
        StringBuilder expected = new StringBuilder();
        for (int i = 1; i <= 10; i++) {
            DhcpEvent e = TestEvents.v4(i, 1_000_000L * i);
            writer.accept(e);
            if (i % 3 != 0) {
                expected.append(i).append('\n');
            }
        }
        writer.close();
        WriterStats stats = writer.stats();
        assertEquals(10, stats.received());
        assertEquals(3, stats.dropped(), "3, 6 and 9: " + stats);
        assertEquals(7, stats.written(), stats.toString());
        assertEquals(expected.toString(), String.join("", sink.bodies), "rows joined into batches, in order");
    }
}
