package io.dhcpshield.transport.nfqueue;

import io.netty.channel.IoEvent;
import io.netty.channel.IoRegistration;
import io.netty.channel.epoll.EpollIoEvent;
import io.netty.channel.epoll.EpollIoHandle;
import io.netty.channel.epoll.EpollIoOps;
import io.netty.channel.unix.FileDescriptor;

/**
 * The epoll side of a queue reader: level-triggered EPOLLIN while there is demand. Pausing submits EPOLLERR, not
 * {@link EpollIoOps#NONE}: in Netty 4.2.18, NONE deletes the fd from epoll but keeps the registration marked as
 * added, so the next EPOLLIN fails with ENOENT. EPOLLERR alone watches nothing the socket will raise in practice.
 */
final class EpollQueueHandle implements EpollIoHandle, QueueReadiness {

    /** EpollIoOps has no constant for it; epoll always reports it. */
    private static final int EPOLLHUP = 0x10;

    private final QueueBinding binding;
    private final NetlinkSocket socket;
    private IoRegistration registration;
    private EpollIoOps interest;

    EpollQueueHandle(QueueBinding binding, NetlinkSocket socket) {
        this.binding = binding;
        this.socket = socket;
    }

    @Override
    public FileDescriptor fd() {
        return socket.fileDescriptor();
    }

    @Override
    public void registered(IoRegistration registration) {
        this.registration = registration;
    }

    @Override
    public void reading(boolean on) {
        EpollIoOps ops = on ? EpollIoOps.EPOLLIN : EpollIoOps.EPOLLERR;
        if (registration == null || !registration.isValid() || ops.equals(interest)) {
            return;
        }
        try {
            registration.submit(ops);
            interest = ops;
        } catch (RuntimeException e) {
            binding.fail("epoll_ctl(" + ops + ")", e);
        }
    }

    @Override
    public void handle(IoRegistration registration, IoEvent event) {
        int ready = ((EpollIoEvent) event).ops().value();
        if ((ready & (EpollIoOps.EPOLLERR.value() | EPOLLHUP)) != 0) {
            binding.socketError((ready & EPOLLHUP) != 0);
        }
        if ((ready & EpollIoOps.EPOLLIN.value()) != 0) {
            binding.readable();
        }
    }

    /** Level-triggered epoll reports the socket again on the next wait. */
    @Override
    public void budgetExhausted() {
    }

    @Override
    public void detach() {
        if (registration != null) {
            registration.cancel();
        }
    }

    /** Netty closes registered handles when the event loop shuts down. */
    @Override
    public void close() {
        binding.close();
    }
}
