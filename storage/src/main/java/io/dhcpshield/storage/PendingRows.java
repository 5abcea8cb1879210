package io.dhcpshield.storage;

import java.util.ArrayDeque;
import java.util.Arrays;

/**
 * The rows an {@link EventWriter} holds until their batch leaves, packed back to back in large chunks that are
 * reused: a row is a copy into the newest chunk, not an object of its own. Held rows survive young collections
 * while a batch fills (50,000 rows take half a second at 100k events/s, longer while ClickHouse is down); as
 * objects of their own each row was copied and promoted, and the old generation they filled was what the full
 * collections that stopped the verdict path were made of (docs/performance.md). A few chunks that stay are nothing
 * to the collector. Not thread-safe: the writer guards it with its lock.
 */
final class PendingRows {

    /** Bytes of one chunk: a few thousand rows (a row larger than this gets a chunk of its own size). */
    static final int CHUNK_BYTES = 1 << 20;
    /** Emptied chunks kept for reuse; more than this go to the collector. */
    static final int FREE_KEPT = 32;

    private static final class Chunk {
        final byte[] data;
        /** The end offset of each row; row i spans [i == 0 ? 0 : ends[i - 1], ends[i]). */
        int[] ends = new int[4096];
        int used;
        int count;
        /** The oldest row not yet taken. */
        int first;

        Chunk(int bytes) {
            data = new byte[bytes];
        }

        int start(int row) {
            return row == 0 ? 0 : ends[row - 1];
        }

        void reset() {
            used = 0;
            count = 0;
            first = 0;
        }
    }

    private final ArrayDeque<Chunk> chunks = new ArrayDeque<>();
    private final ArrayDeque<Chunk> free = new ArrayDeque<>();
    private int rows;

    /** Rows held. */
    int size() {
        return rows;
    }

    boolean isEmpty() {
        return rows == 0;
    }

    /** Appends a copy of {@code row}. */
    void add(byte[] row) {
        Chunk tail = chunks.peekLast();
        if (tail == null || tail.data.length - tail.used < row.length) {
            tail = chunk(row.length);
            chunks.addLast(tail);
        }
        System.arraycopy(row, 0, tail.data, tail.used, row.length);
        tail.used += row.length;
        if (tail.count == tail.ends.length) {
            tail.ends = Arrays.copyOf(tail.ends, tail.count * 2);
        }
        tail.ends[tail.count++] = tail.used;
        rows++;
    }

    /** Forgets the oldest row (there must be one). */
    void dropOldest() {
        Chunk head = chunks.peekFirst();
        head.first++;
        rows--;
        if (head.first == head.count) {
            release(chunks.pollFirst());
        }
    }

    /** Moves the {@code n} oldest rows (at most {@link #size()}) into {@code body}, in order. */
    void takeInto(Body body, int n) {
        while (n > 0) {
            Chunk head = chunks.peekFirst();
            int k = Math.min(n, head.count - head.first);
            int from = head.start(head.first);
            int to = head.ends[head.first + k - 1];
            body.append(head.data, from, to - from);
            head.first += k;
            rows -= k;
            n -= k;
            if (head.first == head.count) {
                release(chunks.pollFirst());
            }
        }
    }

    /** Forgets every row. */
    void clear() {
        Chunk c;
        while ((c = chunks.pollFirst()) != null) {
            release(c);
        }
        rows = 0;
    }

    private Chunk chunk(int atLeast) {
        if (atLeast <= CHUNK_BYTES) {
            Chunk c = free.pollFirst();
            return c != null ? c : new Chunk(CHUNK_BYTES);
        }
        return new Chunk(atLeast);
    }

    private void release(Chunk c) {
        if (c.data.length == CHUNK_BYTES && free.size() < FREE_KEPT) {
            c.reset();
            free.addLast(c);
        }
    }

    /** One batch's body, reused from batch to batch: the rows back to back in {@code bytes()[0, length())}. */
    static final class Body {
        private byte[] bytes = new byte[CHUNK_BYTES];
        private int length;

        void reset() {
            length = 0;
        }

        void append(byte[] src, int offset, int n) {
            if (bytes.length - length < n) {
                bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, length + n));
            }
            System.arraycopy(src, offset, bytes, length, n);
            length += n;
        }

        byte[] bytes() {
            return bytes;
        }

        int length() {
            return length;
        }
    }
}
