package io.dhcpshield.transport.nfqueue;

import io.netty.channel.IoHandle;
import io.netty.channel.IoRegistration;

/**
 * The transport half of a queue reader: how its event loop reports the socket readable and how reading pauses. One
 * implementation per Netty transport (epoll, io_uring); every method runs on the queue's event loop.
 */
interface QueueReadiness extends IoHandle {

    /** The handle is registered: start watching the socket. */
    void registered(IoRegistration registration);

    /** Watch the socket for input ({@code true}) or stop watching while there is no demand ({@code false}). */
    void reading(boolean on);

    /** The read budget ran out with input possibly left: make sure the binding is called again. */
    void budgetExhausted();

    /** Stop watching and release the registration, before the socket closes. Idempotent. */
    void detach();

    /** Called by Netty when the event loop shuts down with the handle still registered. */
    @Override
    void close();
}
