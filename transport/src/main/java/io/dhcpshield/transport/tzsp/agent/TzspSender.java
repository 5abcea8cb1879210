package io.dhcpshield.transport.tzsp.agent;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.DatagramPacket;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends the queued datagrams to every collector from one unconnected UDP socket on one event loop. Unconnected, so an
 * ICMP port-unreachable from a collector that is down never reaches the socket; a send that fails (no route, no
 * neighbour) is counted against its collector and sending goes on. When the socket's send buffer is full the sender
 * stops draining until it is writable again, and the queue absorbs (then drops) what the capture adds meanwhile.
 */
final class TzspSender implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(TzspSender.class);

    /** Datagrams taken from the queue per event-loop task before the loop runs other work. */
    private static final int BATCH = 256;
    private static final int SEND_BUFFER_BYTES = 1 << 20;
    static final long HEARTBEAT_MILLIS = 200;

    private record Target(InetSocketAddress address, ChannelFutureListener counted) {
    }

    private final FrameQueue queue;
    private final List<Target> targets = new ArrayList<>();
    private final AtomicBoolean scheduled = new AtomicBoolean();
    private final CompletableFuture<Void> drained = new CompletableFuture<>();
    private volatile boolean closing;
    /** System.nanoTime() of the event loop's latest heartbeat task. */
    private volatile long aliveNanos = System.nanoTime();
    private MultiThreadIoEventLoopGroup group;
    private Channel channel;
    private EventLoop loop;

    TzspSender(FrameQueue queue, List<Collector> collectors, AgentCounters counters) {
        this.queue = queue;
        for (Collector c : collectors) {
            AgentCounters.CollectorCounters cc = counters.collector(c);
            InetSocketAddress address = c.resolve();
            targets.add(new Target(address, f -> {
                if (f.isSuccess()) {
                    cc.sent.increment();
                } else {
                    cc.errors.increment();
                    if (cc.errors.sum() == 1) {
                        log.warn("sending to collector {} failed: {} (counted from now on as send_errors)", c,
                                f.cause().toString());
                    }
                }
            }));
        }
    }

    /** Binds the socket (an ephemeral port on every address) and starts draining the queue. */
    void start() throws InterruptedException {
        boolean epoll = Epoll.isAvailable();
        IoHandlerFactory io = epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
        group = new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory("dhcp-agent-send", true), io);
        try {
            Bootstrap b = new Bootstrap().group(group)
                    .channel(epoll ? EpollDatagramChannel.class : NioDatagramChannel.class)
                    .option(ChannelOption.SO_SNDBUF, SEND_BUFFER_BYTES)
                    .option(ChannelOption.WRITE_BUFFER_WATER_MARK,
                            new WriteBufferWaterMark(SEND_BUFFER_BYTES / 2, SEND_BUFFER_BYTES))
                    // Nothing is expected back; what arrives anyway is discarded unread.
                    .option(ChannelOption.AUTO_READ, false)
                    .handler(new ChannelInboundHandlerAdapter() {
                        @Override
                        public void channelWritabilityChanged(ChannelHandlerContext ctx) {
                            if (ctx.channel().isWritable()) {
                                drain();
                            }
                        }

                        @Override
                        public void channelRead(ChannelHandlerContext ctx, Object msg) {
                            ReferenceCountUtil.release(msg);
                        }

                        @Override
                        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                            log.warn("collector socket: {}", cause.toString());
                        }
                    });
            channel = b.bind(new InetSocketAddress(0)).sync().channel();
        } catch (InterruptedException | RuntimeException e) {
            group.shutdownGracefully(0, 0, TimeUnit.SECONDS);
            throw e;
        }
        loop = channel.eventLoop();
        log.info("sending TZSP from {} ({}) to {}", channel.localAddress(), epoll ? "epoll" : "nio",
                targets.stream().map(t -> t.address().toString()).toList());
        queue.onOffer(this::wake);
        wake();
        loop.scheduleAtFixedRate(() -> aliveNanos = System.nanoTime(), 0, HEARTBEAT_MILLIS, TimeUnit.MILLISECONDS);
    }

    /** When the send loop last ran its heartbeat task (System.nanoTime()). */
    long aliveNanos() {
        return aliveNanos;
    }

    /** Schedules a drain unless one is scheduled already; called by the capture thread after each offer. */
    private void wake() {
        if (!scheduled.get() && scheduled.compareAndSet(false, true)) {
            loop.execute(this::drain);
        }
    }

    /** On the event loop: sends up to a batch, then reschedules itself, parks until writable, or goes idle. */
    private void drain() {
        while (true) {
            int n = 0;
            ByteBuf datagram;
            while (n < BATCH && channel.isWritable() && (datagram = queue.poll()) != null) {
                send(datagram);
                n++;
            }
            channel.flush();
            if (!channel.isWritable()) {
                // channelWritabilityChanged calls drain again; scheduled stays set so no one else does.
                return;
            }
            if (n == BATCH) {
                loop.execute(this::drain);
                return;
            }
            scheduled.set(false);
            // An offer between the last poll and the line above saw scheduled set and did not wake us.
            if (queue.isEmpty() || !scheduled.compareAndSet(false, true)) {
                if (closing && queue.isEmpty()) {
                    drained.complete(null);
                }
                return;
            }
        }
    }

    private void send(ByteBuf datagram) {
        int last = targets.size() - 1;
        for (int i = 0; i <= last; i++) {
            Target t = targets.get(i);
            ByteBuf content = i == last ? datagram : datagram.retainedDuplicate();
            channel.write(new DatagramPacket(content, t.address())).addListener(t.counted());
        }
    }

    /** Sends what is queued (for up to {@code timeout}), then closes the socket and stops the event loop. */
    @Override
    public void close() {
        close(Duration.ofSeconds(2));
    }

    void close(Duration timeout) {
        if (channel == null) {
            return;
        }
        closing = true;
        loop.execute(() -> {
            if (queue.isEmpty()) {
                drained.complete(null);
            } else if (scheduled.compareAndSet(false, true)) {
                drain();
            }
        });
        try {
            drained.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            channel.close().await(timeout.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            log.warn("{} datagrams still queued after {} ms at stop; dropping them", queue.size(),
                    timeout.toMillis());
        }
        group.shutdownGracefully(0, timeout.toMillis(), TimeUnit.MILLISECONDS).awaitUninterruptibly();
        queue.clear();
        channel = null;
    }
}
