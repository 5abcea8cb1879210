package io.dhcpshield.enforcement.action;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.atomic.LongAdder;

/**
 * Clients handed to analysis by the {@code analyze} action: a bounded in-process queue. The consumer (the analysis
 * cycle) comes with automation; when the queue is full the request is refused and counted, never blocking.
 */
public final class AnalysisQueue {
    private final BlockingQueue<ActionRecord> queue;
    private final LongAdder enqueued = new LongAdder();
    private final LongAdder rejected = new LongAdder();

    public AnalysisQueue(int capacity) { this.queue = new ArrayBlockingQueue<>(capacity); }

    boolean offer(ActionRecord r) {
        if (queue.offer(r)) {
            enqueued.increment();
            return true;
        }
        rejected.increment();
        return false;
    }

    boolean remove(ActionRecord r) { return queue.removeIf(q -> q.id().equals(r.id())); }

    /** The consumer's end; null when empty. */
    public ActionRecord poll() { return queue.poll(); }

    public int size() { return queue.size(); }
    public long enqueued() { return enqueued.sum(); }
    public long rejected() { return rejected.sum(); }
}
