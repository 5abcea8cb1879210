package io.dhcpshield.core.pipeline;

/**
 * Told by a packet source when it has handed on every packet of one read (one recvmmsg batch of a kernel queue).
 * The pipeline puts one in the Reactor context of its subscription, keyed by this class; a source that reads in
 * batches finds it there and calls it on the thread that delivered the packets, after the read's verdicts are out.
 * The pipeline then publishes that read's events as one unit. Sources that never call it lose nothing: events are
 * published one by one until the first call.
 */
@FunctionalInterface
public interface ReadEndListener {

    void readEnded();
}
