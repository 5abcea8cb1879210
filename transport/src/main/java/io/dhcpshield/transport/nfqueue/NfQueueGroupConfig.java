package io.dhcpshield.transport.nfqueue;

import java.time.Duration;
import java.util.Objects;

/**
 * How the set of queues 1..queueCount is run. Defaults live here and only here: {@link #defaults()}.
 *
 * @param queueCount queues 1..queueCount are bound (the iptables rule's --queue-num / --queue-balance range)
 * @param eventLoops event-loop threads; 0 means min(available processors, queueCount)
 * @param transport auto, epoll or io_uring
 * @param networkNamespace the {@code ip netns} name whose queues to read; empty for the process's own namespace
 * @param minBackoff the first delay before re-binding a queue whose socket failed
 * @param maxBackoff the longest such delay
 * @param queue the per-queue settings; its queueNumber is replaced by 1..queueCount
 */
public record NfQueueGroupConfig(
        int queueCount,
        int eventLoops,
        NfQueueTransport transport,
        String networkNamespace,
        Duration minBackoff,
        Duration maxBackoff,
        NfQueueConfig queue) {

    public static final int DEFAULT_QUEUE_COUNT = 8;
    public static final Duration DEFAULT_MIN_BACKOFF = Duration.ofMillis(100);
    public static final Duration DEFAULT_MAX_BACKOFF = Duration.ofSeconds(5);

    public NfQueueGroupConfig {
        if (queueCount < 1 || queueCount > 0xffff) {
            throw new IllegalArgumentException("nfqueue queueCount must be 1..65535, was " + queueCount);
        }
        if (eventLoops < 0) {
            throw new IllegalArgumentException("nfqueue eventLoops must be 0 (automatic) or more, was " + eventLoops);
        }
        Objects.requireNonNull(transport, "transport");
        Objects.requireNonNull(networkNamespace, "networkNamespace");
        Objects.requireNonNull(minBackoff, "minBackoff");
        Objects.requireNonNull(maxBackoff, "maxBackoff");
        Objects.requireNonNull(queue, "queue");
        if (minBackoff.isNegative() || minBackoff.isZero()) {
            throw new IllegalArgumentException("nfqueue minBackoff must be positive, was " + minBackoff);
        }
        if (maxBackoff.compareTo(minBackoff) < 0) {
            throw new IllegalArgumentException("nfqueue maxBackoff must be at least minBackoff (" + minBackoff
                    + "), was " + maxBackoff);
        }
    }

    public static NfQueueGroupConfig defaults() {
        return new NfQueueGroupConfig(DEFAULT_QUEUE_COUNT, 0, NfQueueTransport.AUTO, "", DEFAULT_MIN_BACKOFF,
                DEFAULT_MAX_BACKOFF, NfQueueConfig.defaults(1));
    }

    public NfQueueGroupConfig withQueueCount(int value) {
        return new NfQueueGroupConfig(value, eventLoops, transport, networkNamespace, minBackoff, maxBackoff, queue);
    }

    public NfQueueGroupConfig withEventLoops(int value) {
        return new NfQueueGroupConfig(queueCount, value, transport, networkNamespace, minBackoff, maxBackoff, queue);
    }

    public NfQueueGroupConfig withTransport(NfQueueTransport value) {
        return new NfQueueGroupConfig(queueCount, eventLoops, value, networkNamespace, minBackoff, maxBackoff, queue);
    }

    public NfQueueGroupConfig withNetworkNamespace(String value) {
        return new NfQueueGroupConfig(queueCount, eventLoops, transport, value, minBackoff, maxBackoff, queue);
    }

    public NfQueueGroupConfig withBackoff(Duration min, Duration max) {
        return new NfQueueGroupConfig(queueCount, eventLoops, transport, networkNamespace, min, max, queue);
    }

    public NfQueueGroupConfig withQueue(NfQueueConfig value) {
        return new NfQueueGroupConfig(queueCount, eventLoops, transport, networkNamespace, minBackoff, maxBackoff,
                value);
    }
}
