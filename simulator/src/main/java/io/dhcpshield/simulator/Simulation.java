package io.dhcpshield.simulator;

import io.dhcpshield.core.time.Time;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.FixedRecvByteBufAllocator;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollChannelOption;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.DatagramPacket;
import io.netty.channel.socket.SocketProtocolFamily;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.channel.unix.RawUnixChannelOption;
import io.netty.util.concurrent.ScheduledFuture;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * One run of the simulator: a UDP channel on one Netty event loop (epoll when available), a 1 ms tick that starts
 * exchanges as the {@link RatePacer} allows and the in-flight window has room (written in a batch, flushed once),
 * replies matched as they arrive, and a report when the last exchange is answered or timed out.
 */
public final class Simulation {

    /** Unpaced runs start at most this many exchanges per tick, so the first tick is not one huge burst. */
    static final int UNPACED_PER_TICK = 256;
    private static final int SOL_SOCKET = 1;
    private static final int SO_BINDTODEVICE = 25;
    private static final int IFNAMSIZ = 16;

    private final SimulationConfig cfg;
    private final Time time;

    public Simulation(SimulationConfig cfg, Time time) {
        this.cfg = Objects.requireNonNull(cfg, "cfg");
        this.time = Objects.requireNonNull(time, "time");
    }

    /** The address the channel binds: the own address (relay mode) or the wildcard (broadcast), with the port. */
    InetSocketAddress bindAddress() {
        boolean server = cfg.profile() == Profile.ROGUE_SERVER || cfg.mode() == SimulationConfig.Mode.RELAY;
        int port = cfg.family() == 4 ? (server ? 67 : 68) : (server ? 547 : 546);
        if (cfg.mode() == SimulationConfig.Mode.RELAY) {
            return new InetSocketAddress(cfg.local().getAddress(), port);
        }
        return new InetSocketAddress(port);
    }

    /** Runs to the end and returns the report. */
    public SimulationReport run() throws InterruptedException {
        boolean epoll = Epoll.isAvailable();
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1,
                epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory());
        SocketProtocolFamily family = cfg.family() == 4 ? SocketProtocolFamily.INET : SocketProtocolFamily.INET6;
        RunCounters counters = new RunCounters();
        Exchanges exchanges = cfg.family() == 4 ? new Dhcp4Exchanges(cfg, counters) : new Dhcp6Exchanges(cfg, counters);
        Engine engine = new Engine(exchanges, counters);
        try {
            Bootstrap b = new Bootstrap().group(group)
                    .channelFactory(() -> epoll ? new EpollDatagramChannel(family) : new NioDatagramChannel(family))
                    .option(ChannelOption.SO_RCVBUF, 8 << 20)
                    .option(ChannelOption.SO_SNDBUF, 8 << 20)
                    .option(ChannelOption.SO_BROADCAST, cfg.mode() == SimulationConfig.Mode.BROADCAST)
                    .option(ChannelOption.WRITE_BUFFER_WATER_MARK,
                            new io.netty.channel.WriteBufferWaterMark(8 << 20, 16 << 20))
                    .handler(engine);
            if (epoll) {
                // recvmmsg: up to 16 datagrams of at most 2 KB per read.
                b.option(EpollChannelOption.MAX_DATAGRAM_PAYLOAD_SIZE, 2048)
                        .option(ChannelOption.RCVBUF_ALLOCATOR, new FixedRecvByteBufAllocator(2048 * 16));
                if (cfg.interfaceName() != null) {
                    b.option(new RawUnixChannelOption("SO_BINDTODEVICE", SOL_SOCKET, SO_BINDTODEVICE, IFNAMSIZ),
                            deviceName(cfg.interfaceName()));
                }
            } else {
                b.option(ChannelOption.RCVBUF_ALLOCATOR, new FixedRecvByteBufAllocator(2048));
            }
            warmUp();
            Channel ch = b.bind(bindAddress()).sync().channel();
            ch.eventLoop().execute(() -> engine.begin(ch));
            try {
                return engine.result.get();
            } catch (ExecutionException e) {
                throw new IllegalStateException("simulation failed", e.getCause());
            } finally {
                ch.close().sync();
            }
        } finally {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
        }
    }

    /**
     * Builds and decodes a few thousand messages of both families before the clock starts, so class loading and the
     * first compilations do not stall the first ticks (a stall there shows up as a lower achieved rate).
     */
    static void warmUp() {
        io.netty.buffer.ByteBufAllocator alloc = io.netty.buffer.PooledByteBufAllocator.DEFAULT;
        Dhcp4Messages.Relay relay4 = new Dhcp4Messages.Relay(0x0a000001, IdTemplate.of("p%d"), IdTemplate.of("r"));
        Dhcp6Messages.Relay relay6 = new Dhcp6Messages.Relay(new byte[16], IdTemplate.of("i%d"), 1);
        ClientRange range = new ClientRange(0x020000000001L, 16, ClientRange.DuidType.LL, 0, 1);
        for (int i = 0; i < 3000; i++) {
            io.netty.buffer.ByteBuf b4 = Dhcp4Messages.client(alloc, 1, i, range.mac(i), i, 0, 0, 0, relay4);
            io.dhcpshield.core.dhcp4.Dhcp4Decoder.decode(b4, 0, b4.readableBytes(),
                    new io.dhcpshield.core.codec.Faults(0));
            b4.release();
            io.netty.buffer.ByteBuf b6 = Dhcp6Messages.client(alloc, 1, i, range.duid(range.mac(i)), i, null, null,
                    range.mac(i), i, relay6);
            io.dhcpshield.core.dhcp6.Dhcp6Decoder.decode(b6, 0, b6.readableBytes(),
                    new io.dhcpshield.core.codec.Faults(0));
            b6.release();
        }
    }

    private static ByteBuffer deviceName(String name) {
        byte[] n = name.getBytes(StandardCharsets.US_ASCII);
        if (n.length >= IFNAMSIZ) {
            throw new IllegalArgumentException("interface name too long: " + name);
        }
        ByteBuffer buf = ByteBuffer.allocateDirect(IFNAMSIZ);
        buf.put(n);
        buf.position(0);
        return buf;
    }

    /** The channel handler and the tick: everything on the one event loop. */
    @ChannelHandler.Sharable
    private final class Engine extends ChannelInboundHandlerAdapter {

        final CompletableFuture<SimulationReport> result = new CompletableFuture<>();
        private final Exchanges exchanges;
        private final RunCounters counters;
        private final RatePacer pacer;
        private Channel channel;
        private ScheduledFuture<?> ticker;
        private boolean sending = true;
        private long sendUntil;
        private long sendEnded;

        Engine(Exchanges exchanges, RunCounters counters) {
            this.exchanges = exchanges;
            this.counters = counters;
            this.pacer = new RatePacer(cfg.rate(), RatePacer.defaultBurst(cfg.rate()));
        }

        void begin(Channel ch) {
            channel = ch;
            exchanges.attach(ch);
            long now = time.nanoseconds();
            pacer.start(now);
            counters.firstSendNanos = now;
            sendUntil = cfg.duration() != null ? now + cfg.duration().toNanos() : Long.MAX_VALUE;
            ticker = ch.eventLoop().scheduleAtFixedRate(this::tick, 0, 1, TimeUnit.MILLISECONDS);
        }

        private void tick() {
            try {
                long now = time.nanoseconds();
                exchanges.sweep(now);
                if (sending) {
                    startDue(now);
                }
                // Profiles that await no answer still listen for one timeout, so late replies are counted.
                boolean drained = cfg.profile().tracksReplies() && exchanges.inFlight() == 0;
                if (!sending && (drained || now - sendEnded > exchanges.timeoutNanos + 50_000_000L)) {
                    finish(now);
                }
            } catch (RuntimeException e) {
                ticker.cancel(false);
                result.completeExceptionally(e);
            }
        }

        private void startDue(long now) {
            boolean countDone = cfg.count() > 0 && counters.started >= cfg.count();
            if (countDone || now >= sendUntil) {
                sending = false;
                sendEnded = now;
                return;
            }
            long due = pacer.take(now);
            long room = Math.max(0, cfg.maxInFlight() - exchanges.inFlight());
            long go = Math.min(due, room);
            if (pacer.unpaced()) {
                go = Math.min(go, UNPACED_PER_TICK);
            } else if (go < due) {
                pacer.giveBack(due - go);
            }
            if (cfg.count() > 0) {
                go = Math.min(go, cfg.count() - counters.started);
            }
            for (long i = 0; i < go; i++) {
                exchanges.startOne(now);
            }
            if (go > 0) {
                counters.lastSendNanos = now;
                channel.flush();
            }
        }

        private void finish(long now) {
            ticker.cancel(false);
            exchanges.expireAll();
            if (counters.lastSendNanos == 0) {
                counters.lastSendNanos = counters.firstSendNanos;
            }
            result.complete(SimulationReport.of(cfg, counters, now));
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            DatagramPacket p = (DatagramPacket) msg;
            try {
                if (!result.isDone()) {
                    exchanges.onReply(p.content(), time.nanoseconds());
                }
            } finally {
                p.release();
            }
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) {
            ctx.flush();
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            // A failed send (no route, buffer full) or a receive error: counted, the run goes on.
            counters.sendErrors++;
        }
    }
}
