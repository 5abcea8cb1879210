package io.dhcpshield.transport.nfqueue;

import io.netty.channel.IoEvent;
import io.netty.channel.IoEventLoop;
import io.netty.channel.IoRegistration;
import io.netty.channel.uring.IoUringIoEvent;
import io.netty.channel.uring.IoUringIoHandle;
import io.netty.channel.uring.IoUringIoOps;
import java.util.concurrent.RejectedExecutionException;

/**
 * The io_uring side of a queue reader: one multishot POLL_ADD tells when the socket has input, and the binding drains
 * it with recvmmsg. A multishot poll completes on new input only, so when the read budget runs out the drain is
 * re-scheduled as an event-loop task; while paused, completions are ignored and the poll stays armed.
 */
final class IoUringQueueHandle implements IoUringIoHandle, QueueReadiness {

    private static final byte IORING_OP_POLL_ADD = 6;
    private static final byte IORING_OP_ASYNC_CANCEL = 14;
    private static final int IORING_POLL_ADD_MULTI = 1;
    private static final int IORING_CQE_F_MORE = 2;
    private static final int POLLIN = 0x1;
    private static final int POLLERR = 0x8;
    private static final int POLLHUP = 0x10;
    private static final long POLL_DATA = 1;
    private static final long CANCEL_DATA = 2;

    private final QueueBinding binding;
    private final NetlinkSocket socket;
    private final IoEventLoop loop;
    private IoRegistration registration;
    private long pollId;
    private boolean drainScheduled;
    private boolean detached;

    IoUringQueueHandle(QueueBinding binding, NetlinkSocket socket, IoEventLoop loop) {
        this.binding = binding;
        this.socket = socket;
        this.loop = loop;
    }

    @Override
    public void registered(IoRegistration registration) {
        this.registration = registration;
        arm();
    }

    private void arm() {
        // The public 13-argument constructor; Netty's newPollAdd factory is package-private in 4.2.18.
        pollId = registration.submit(new IoUringIoOps(IORING_OP_POLL_ADD, (byte) 0, (short) 0, socket.fd(), 0L, 0L,
                IORING_POLL_ADD_MULTI, POLLIN, POLL_DATA, (short) 0, (short) 0, 0, 0L));
    }

    @Override
    public void handle(IoRegistration registration, IoEvent event) {
        IoUringIoEvent completion = (IoUringIoEvent) event;
        if (completion.opcode() != IORING_OP_POLL_ADD) {
            return;
        }
        boolean more = (completion.flags() & IORING_CQE_F_MORE) != 0;
        if (!more) {
            pollId = 0;
        }
        if (detached) {
            return;
        }
        int result = completion.res();
        if (result < 0) {
            binding.fail("io_uring poll", -result);
            return;
        }
        if ((result & (POLLERR | POLLHUP)) != 0) {
            binding.socketError((result & POLLHUP) != 0);
        }
        if ((result & POLLIN) != 0) {
            binding.readable();
        }
        if (!more && !detached) {
            arm(); // the kernel ended the multishot poll (e.g. completion queue overflow)
        }
    }

    /** The poll stays armed either way; the binding ignores readiness while paused and drains on resume. */
    @Override
    public void reading(boolean on) {
    }

    @Override
    public void budgetExhausted() {
        if (drainScheduled) {
            return;
        }
        drainScheduled = true;
        try {
            loop.execute(() -> {
                drainScheduled = false;
                if (!detached) {
                    binding.readable();
                }
            });
        } catch (RejectedExecutionException e) {
            drainScheduled = false;
        }
    }

    @Override
    public void detach() {
        if (detached) {
            return;
        }
        detached = true;
        if (registration == null) {
            return;
        }
        if (pollId != 0 && registration.isValid()) {
            // The poll holds a reference to the socket: cancel it, or the socket (and its binding) outlives close.
            registration.submit(new IoUringIoOps(IORING_OP_ASYNC_CANCEL, (byte) 0, (short) 0, -1, 0L, pollId, 0, 0,
                    CANCEL_DATA, (short) 0, (short) 0, 0, 0L));
        }
        registration.cancel();
    }

    /** Netty closes registered handles when the event loop shuts down. */
    @Override
    public void close() {
        binding.close();
    }
}
