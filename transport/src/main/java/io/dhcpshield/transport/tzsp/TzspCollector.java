package io.dhcpshield.transport.tzsp;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.FixedRecvByteBufAllocator;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.DatagramPacket;
import io.netty.channel.socket.nio.NioDatagramChannel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.function.LongSupplier;

/**
 * The central site's TZSP receiver: a Netty UDP server (epoll when available) on one event loop that validates every
 * datagram strictly ({@link Tzsp#decode}) and hands each carried Ethernet frame to a {@link FrameHandler} on that
 * loop. Nothing is fatal: every datagram is counted once, as a frame or under a drop reason; a handler that throws is
 * counted ({@code handler_error}) and the next datagram is served. An optional allow-list of agent networks drops
 * everything else ({@code not_allowed}). Per-agent counters and last-seen are kept for up to
 * {@link Config#maxAgents()} agents (allowed ones; the rest are counted in the totals only).
 */
public final class TzspCollector implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(TzspCollector.class);

    /** Receives each valid frame, on the collector's event loop; the buffer is valid only during the call. */
    @FunctionalInterface
    public interface FrameHandler {
        void frame(ByteBuf datagram, Tzsp.Frame frame, InetSocketAddress agent);
    }

    /**
     * @param listenAddress   address to bind ("0.0.0.0", "::", or one address)
     * @param port            UDP port (0 = any, for tests)
     * @param allowedAgents   networks agents may send from ({@code 10.0.0.0/8}, {@code 192.0.2.7}); empty = any
     * @param receiveBufferBytes SO_RCVBUF
     * @param maxAgents       agents with their own counters
     */
    public record Config(String listenAddress, int port, List<String> allowedAgents, int receiveBufferBytes,
                         int maxAgents) {
        public Config {
            Objects.requireNonNull(listenAddress, "listenAddress");
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("port must be 0..65535: " + port);
            }
            allowedAgents = List.copyOf(allowedAgents);
            allowedAgents.forEach(Network::parse);
            if (receiveBufferBytes < 65_536) {
                throw new IllegalArgumentException("receive_buffer_bytes must be at least 65536");
            }
            if (maxAgents < 1) {
                throw new IllegalArgumentException("max_agents must be at least 1");
            }
        }

        public static Config defaults() {
            return new Config("0.0.0.0", Tzsp.DEFAULT_PORT, List.of(), 4 << 20, 1024);
        }
    }

    /** Why a datagram was dropped: the codec's reasons and the collector's own. */
    public enum Reason {
        TOO_SHORT, BAD_VERSION, UNSUPPORTED_TYPE, UNSUPPORTED_ENCAPSULATION, TRUNCATED_TAG, MISSING_END, EMPTY_FRAME,
        KEEPALIVE, NOT_ALLOWED, HANDLER_ERROR;

        static Reason of(Tzsp.Drop d) {
            return valueOf(d.name());
        }

        public String label() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** The collector's totals: every datagram is in exactly one of {@code frames} and the drops. */
    public record Snapshot(long datagrams, long bytes, long frames, Map<Reason, Long> dropped) {
        public long droppedTotal() {
            return dropped.values().stream().mapToLong(Long::longValue).sum();
        }
    }

    /** One agent's counters; {@code lastSeenMillis} is the wall clock of its last datagram. */
    public record AgentSnapshot(String address, String sensorId, long datagrams, long frames, long malformed,
                                long bytes, long lastSeenMillis) {
    }

    private final Config config;
    private final FrameHandler handler;
    private final LongSupplier clockMillis;
    private final List<Network> allowed;
    private final EventLoopGroup group;
    private final Channel channel;
    private final AtomicLong datagrams = new AtomicLong();
    private final AtomicLong bytes = new AtomicLong();
    private final AtomicLong frames = new AtomicLong();
    private final AtomicLongArray dropped = new AtomicLongArray(Reason.values().length);
    private final Map<InetAddress, AgentCounters> agents = new ConcurrentHashMap<>();

    private TzspCollector(Config config, FrameHandler handler, LongSupplier clockMillis) {
        this.config = config;
        this.handler = handler;
        this.clockMillis = clockMillis;
        this.allowed = config.allowedAgents().stream().map(Network::parse).toList();
        boolean epoll = Epoll.isAvailable();
        this.group = new MultiThreadIoEventLoopGroup(1, r -> {
            Thread t = new Thread(r, "tzsp-collector");
            t.setDaemon(true);
            return t;
        }, epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory());
        try {
            this.channel = new Bootstrap().group(group)
                    .channel(epoll ? EpollDatagramChannel.class : NioDatagramChannel.class)
                    .option(ChannelOption.SO_RCVBUF, config.receiveBufferBytes())
                    // One datagram per buffer, as large as a UDP datagram can be: nothing is ever cut.
                    .option(ChannelOption.RCVBUF_ALLOCATOR, new FixedRecvByteBufAllocator(65_536))
                    .handler(new Inbound())
                    .bind(new InetSocketAddress(config.listenAddress(), config.port()))
                    .syncUninterruptibly().channel();
        } catch (RuntimeException e) {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
            throw e;
        }
        log.info("tzsp collector listening on udp {} ({}){}", channel.localAddress(), epoll ? "epoll" : "nio",
                allowed.isEmpty() ? "" : ", agents allowed from " + config.allowedAgents());
    }

    /** Binds and starts serving; throws when the address cannot be bound. */
    public static TzspCollector start(Config config, FrameHandler handler, LongSupplier clockMillis) {
        return new TzspCollector(Objects.requireNonNull(config, "config"), Objects.requireNonNull(handler, "handler"),
                Objects.requireNonNull(clockMillis, "clockMillis"));
    }

    /** The bound address (the actual port when 0 was configured). */
    public InetSocketAddress localAddress() {
        return (InetSocketAddress) channel.localAddress();
    }

    /** The collector's event loop (the systemd watchdog's heartbeat runs on it). */
    public java.util.concurrent.ScheduledExecutorService eventLoop() {
        return channel.eventLoop();
    }

    public boolean isOpen() {
        return channel.isOpen();
    }

    public Config config() {
        return config;
    }

    public Snapshot snapshot() {
        Map<Reason, Long> d = new EnumMap<>(Reason.class);
        for (Reason r : Reason.values()) {
            d.put(r, dropped.get(r.ordinal()));
        }
        return new Snapshot(datagrams.get(), bytes.get(), frames.get(), d);
    }

    /** Per-agent counters, most recently seen first. */
    public List<AgentSnapshot> agents() {
        List<AgentSnapshot> out = new ArrayList<>();
        agents.forEach((address, a) -> out.add(a.snapshot(address)));
        out.sort(Comparator.comparingLong(AgentSnapshot::lastSeenMillis).reversed()
                .thenComparing(AgentSnapshot::address));
        return out;
    }

    @Override
    public void close() {
        channel.close().awaitUninterruptibly(2, TimeUnit.SECONDS);
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(3, TimeUnit.SECONDS);
    }

    private void drop(Reason r) {
        dropped.incrementAndGet(r.ordinal());
    }

    /**
     * Handles one datagram; every path counts it exactly once. {@code datagrams} is incremented last, so a reader that
     * sees it also sees the frame or drop it was counted as.
     */
    void receive(ByteBuf content, InetSocketAddress sender) {
        bytes.addAndGet(content.readableBytes());
        try {
            classify(content, sender);
        } finally {
            datagrams.incrementAndGet();
        }
    }

    private void classify(ByteBuf content, InetSocketAddress sender) {
        InetAddress address = sender.getAddress();
        if (!allowed.isEmpty() && allowed.stream().noneMatch(n -> n.contains(address))) {
            drop(Reason.NOT_ALLOWED);
            return;
        }
        AgentCounters agent = agents.get(address);
        if (agent == null && agents.size() < config.maxAgents()) {
            agent = agents.computeIfAbsent(address, a -> new AgentCounters());
        }
        Tzsp.Decoded d = Tzsp.decode(content);
        if (agent != null) {
            agent.seen(content.readableBytes(), clockMillis.getAsLong());
        }
        if (d.drop() != null) {
            drop(Reason.of(d.drop()));
            if (agent != null && d.drop() != Tzsp.Drop.KEEPALIVE) {
                agent.malformed.incrementAndGet();
            }
            return;
        }
        if (agent != null && d.frame().sensorId() != null) {
            agent.sensorId = d.frame().sensorId();
        }
        try {
            handler.frame(content, d.frame(), sender);
            frames.incrementAndGet();
            if (agent != null) {
                agent.frames.incrementAndGet();
            }
        } catch (RuntimeException e) {
            drop(Reason.HANDLER_ERROR);
            log.debug("tzsp frame handler failed", e);
        }
    }

    private final class Inbound extends SimpleChannelInboundHandler<DatagramPacket> {
        @Override
        protected void channelRead0(ChannelHandlerContext ctx, DatagramPacket packet) {
            receive(packet.content(), packet.sender());
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            // A socket error (ICMP errors on an unconnected socket do not reach here): log, keep serving.
            log.warn("tzsp collector socket error: {}", cause.toString());
        }
    }

    private static final class AgentCounters {
        final AtomicLong datagrams = new AtomicLong();
        final AtomicLong frames = new AtomicLong();
        final AtomicLong malformed = new AtomicLong();
        final AtomicLong bytes = new AtomicLong();
        volatile long lastSeen;
        volatile String sensorId;

        void seen(int length, long now) {
            datagrams.incrementAndGet();
            bytes.addAndGet(length);
            lastSeen = now;
        }

        AgentSnapshot snapshot(InetAddress address) {
            return new AgentSnapshot(address.getHostAddress(), sensorId, datagrams.get(), frames.get(),
                    malformed.get(), bytes.get(), lastSeen);
        }
    }

    /** An address or CIDR network of the allow-list. */
    record Network(byte[] prefix, int bits) {
        static Network parse(String text) {
            String t = Objects.requireNonNull(text, "allowed agent").trim();
            int slash = t.indexOf('/');
            String host = slash < 0 ? t : t.substring(0, slash);
            if (host.isEmpty() || !host.chars().allMatch(ch -> Character.digit(ch, 16) >= 0 || ch == '.' || ch == ':')) {
                throw new IllegalArgumentException("not an address or network: " + text);
            }
            byte[] address;
            try {
                address = InetAddress.getByName(host).getAddress();   // a literal: never a DNS lookup
            } catch (java.net.UnknownHostException e) {
                throw new IllegalArgumentException("not an address or network: " + text);
            }
            int bits = address.length * 8;
            if (slash >= 0) {
                try {
                    bits = Integer.parseInt(t.substring(slash + 1));
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("bad prefix length in " + text);
                }
                if (bits < 0 || bits > address.length * 8) {
                    throw new IllegalArgumentException("bad prefix length in " + text);
                }
            }
            return new Network(address, bits);
        }

        boolean contains(InetAddress a) {
            byte[] b = a.getAddress();
            if (b.length != prefix.length) {
                // An IPv4 agent on a dual-stack socket arrives as IPv4 already (Netty unmaps); families never mix.
                return false;
            }
            int full = bits / 8;
            for (int i = 0; i < full; i++) {
                if (b[i] != prefix[i]) {
                    return false;
                }
            }
            int rest = bits % 8;
            if (rest == 0) {
                return true;
            }
            int mask = (0xFF << (8 - rest)) & 0xFF;
            return (b[full] & mask) == (prefix[full] & mask);
        }
    }
}
