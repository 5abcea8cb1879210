package io.dhcpshield.storage;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The writer's held rows, packed in chunks: every row comes out once, whole and in order, across chunk bounds. */
class PendingRowsTest {

    private static byte[] row(int n, int length) {
        byte[] r = new byte[length];
        Arrays.fill(r, (byte) n);
        byte[] id = Integer.toString(n).getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(id, 0, r, 0, Math.min(id.length, length));
        return r;
    }

    private static byte[] concat(Iterable<byte[]> rows) {
        PendingRows.Body b = new PendingRows.Body();
        for (byte[] r : rows) {
            b.append(r, 0, r.length);
        }
        return Arrays.copyOf(b.bytes(), b.length());
    }

    @Test
    void rowsComeOutInOrderAcrossChunksWithDropsAndBatchesOfAnySize() {
        PendingRows pending = new PendingRows();
        ArrayDeque<byte[]> model = new ArrayDeque<>();
        PendingRows.Body body = new PendingRows.Body();
        Random random = new Random(7);
        int next = 0;
        for (int step = 0; step < 20_000; step++) {
            int op = random.nextInt(10);
            if (op < 7) {
                // Mostly rows of a few hundred bytes; now and then one larger than a chunk.
                int length = random.nextInt(50) == 0 ? PendingRows.CHUNK_BYTES + random.nextInt(1000)
                        : 1 + random.nextInt(600);
                byte[] r = row(next++, length);
                pending.add(r);
                model.addLast(r);
            } else if (op == 7 && !model.isEmpty()) {
                pending.dropOldest();
                model.pollFirst();
            } else if (!model.isEmpty()) {
                int n = 1 + random.nextInt(Math.min(model.size(), 5_000));
                body.reset();
                pending.takeInto(body, n);
                java.util.List<byte[]> expected = new java.util.ArrayList<>();
                for (int i = 0; i < n; i++) {
                    expected.add(model.pollFirst());
                }
                assertArrayEquals(concat(expected), Arrays.copyOf(body.bytes(), body.length()), "batch at step " + step);
            }
            assertEquals(model.size(), pending.size(), "rows held at step " + step);
        }
        body.reset();
        pending.takeInto(body, pending.size());
        assertArrayEquals(concat(model), Arrays.copyOf(body.bytes(), body.length()));
        assertTrue(pending.isEmpty());
    }

    @Test
    void clearForgetsEveryRowAndTheChunksAreUsedAgain() {
        PendingRows pending = new PendingRows();
        for (int i = 0; i < 10_000; i++) {
            pending.add(row(i, 300));
        }
        pending.clear();
        assertEquals(0, pending.size());
        pending.add(row(1, 5));
        PendingRows.Body body = new PendingRows.Body();
        pending.takeInto(body, 1);
        assertArrayEquals(row(1, 5), Arrays.copyOf(body.bytes(), body.length()));
    }
}
