package io.dhcpshield.transport.nfqueue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Two network namespaces joined by a veth pair, built for one test and deleted after it: a client that sends UDP to
 * port 67, and an appliance whose mangle PREROUTING queues it (iptables-nft; this kernel has no nft queue
 * expression). PREROUTING over veth, as in production, gives the queued packets an input interface and a source MAC.
 * An nft table in a later prerouting chain counts what the queue let through, by the mark's type byte, and drops it.
 */
final class TestNetwork implements AutoCloseable {

    static final String APP_IP = "10.201.0.1";
    static final String CLIENT_IP = "10.201.0.2";
    static final String APP_MAC = "02:00:00:00:00:01";
    static final String CLIENT_MAC = "02:00:00:00:00:02";
    static final long CLIENT_MAC_48 = 0x02_00_00_00_00_02L;
    /** The mark the optional MARK rule sets before the queue, to show the transport keeps a packet's own mark. */
    static final int PRE_MARK = 0x02000007;
    static final int PAYLOAD_BYTES = 300;

    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final Pattern PACKETS = Pattern.compile("packets (\\d+)");

    private final String app;
    private final String client;
    private ExecutorService sender;
    private DatagramChannel channel;
    private int sent;

    private TestNetwork(String app, String client) {
        this.app = app;
        this.client = client;
    }

    static boolean isRoot() {
        return new com.sun.security.auth.module.UnixSystem().getUid() == 0;
    }

    /**
     * @param queueTarget the NFQUEUE options, e.g. "--queue-num 3"
     * @param preMark whether a MARK rule sets {@link #PRE_MARK} before the queue
     */
    static TestNetwork create(String queueTarget, boolean preMark) {
        String id = Integer.toHexString(ThreadLocalRandom.current().nextInt(0x1000000, 0xfffffff));
        TestNetwork net = new TestNetwork("dsq-" + id + "-a", "dsq-" + id + "-c");
        try {
            net.build(queueTarget, preMark);
            return net;
        } catch (RuntimeException e) {
            net.close();
            throw e;
        }
    }

    private void build(String queueTarget, boolean preMark) {
        run("ip", "netns", "add", app);
        run("ip", "netns", "add", client);
        run("ip", "-n", app, "link", "add", "veth-a", "address", APP_MAC, "type", "veth", "peer", "name", "veth-c",
                "address", CLIENT_MAC, "netns", client);
        run("ip", "-n", app, "addr", "add", APP_IP + "/24", "dev", "veth-a");
        run("ip", "-n", client, "addr", "add", CLIENT_IP + "/24", "dev", "veth-c");
        for (String[] side : new String[][] {{app, "veth-a"}, {client, "veth-c"}}) {
            run("ip", "-n", side[0], "link", "set", "lo", "up");
            run("ip", "-n", side[0], "link", "set", side[1], "up");
        }
        // Static neighbours: no ARP round trip holding back the first burst.
        run("ip", "-n", client, "neigh", "replace", APP_IP, "lladdr", APP_MAC, "dev", "veth-c", "nud", "permanent");
        run("ip", "-n", app, "neigh", "replace", CLIENT_IP, "lladdr", CLIENT_MAC, "dev", "veth-a", "nud",
                "permanent");
        if (preMark) {
            runIn(app, "iptables -t mangle -A PREROUTING -i veth-a -p udp --dport 67 -j MARK --set-mark "
                    + PRE_MARK);
        }
        runIn(app, "iptables -t mangle -A PREROUTING -i veth-a -p udp --dport 67 -j NFQUEUE " + queueTarget
                + " --queue-bypass");
        String table = """
                table inet dsqcheck {
                    counter marked { }
                    counter premarked { }
                    counter unmarked { }
                    counter other { }
                    chain check {
                        type filter hook prerouting priority 0; policy accept;
                        udp dport 67 meta mark and 0xff000000 == 0x01000000 counter name "marked" drop
                        udp dport 67 meta mark %d counter name "premarked" drop
                        udp dport 67 meta mark and 0xff000000 == 0 counter name "unmarked" drop
                        udp dport 67 counter name "other" drop
                    }
                }
                """.formatted(PRE_MARK);
        runWithInput(table, "ip", "netns", "exec", app, "nft", "-f", "-");
    }

    /** The appliance namespace, where the queue is read. */
    String app() {
        return app;
    }

    /** Packets counted by the nft counter {@code name}: marked, premarked, unmarked or other. */
    long counter(String name) {
        String out = run("ip", "netns", "exec", app, "nft", "list", "counter", "inet", "dsqcheck", name);
        Matcher m = PACKETS.matcher(out);
        if (!m.find()) {
            throw new IllegalStateException("no packet count in: " + out);
        }
        return Long.parseLong(m.group(1));
    }

    /** marked + premarked + unmarked + other: every queued-rule packet that came out of the queue. */
    long passed() {
        return counter("marked") + counter("premarked") + counter("unmarked") + counter("other");
    }

    int appInterfaceIndex() {
        String out = run("ip", "-n", app, "-o", "link", "show", "veth-a");
        return Integer.parseInt(out.substring(0, out.indexOf(':')).trim());
    }

    /** Sends {@code count} 300-byte UDP datagrams client:68 → appliance:67 from a thread in the client namespace. */
    void send(int count) {
        if (sender == null) {
            sender = Executors.newSingleThreadExecutor(
                    NetworkNamespace.threadFactory(client, Executors.defaultThreadFactory()));
        }
        try {
            sender.submit(() -> {
                if (channel == null) {
                    channel = DatagramChannel.open(StandardProtocolFamily.INET);
                    channel.bind(new InetSocketAddress(CLIENT_IP, 68));
                }
                InetSocketAddress target = new InetSocketAddress(APP_IP, 67);
                ByteBuffer payload = ByteBuffer.allocate(PAYLOAD_BYTES);
                for (int i = 0; i < count; i++) {
                    payload.clear();
                    payload.put(0, (byte) 1).putInt(4, ++sent);
                    channel.send(payload, target);
                }
                return null;
            }).get(WAIT.toSeconds(), TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("sending failed", e);
        }
    }

    @Override
    public void close() {
        if (sender != null) {
            try {
                sender.submit(() -> {
                    if (channel != null) {
                        channel.close();
                    }
                    return null;
                }).get(5, TimeUnit.SECONDS);
            } catch (Exception e) {
                // deleting the namespace below is what matters
            }
            sender.shutdownNow();
        }
        for (String ns : List.of(app, client)) {
            try {
                run("ip", "netns", "del", ns);
            } catch (RuntimeException e) {
                // not created
            }
        }
    }

    /** Polls {@code condition} every 10 ms until it holds or 20 s pass; the failure message shows {@code state}. */
    static void await(String what, BooleanSupplier condition, Supplier<String> state) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what + "; " + state.get());
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted waiting for " + what);
            }
        }
    }

    private static void runIn(String namespace, String command) {
        List<String> full = new ArrayList<>(List.of("ip", "netns", "exec", namespace));
        full.addAll(List.of(command.split(" ")));
        run(full.toArray(String[]::new));
    }

    static String run(String... command) {
        return runWithInput(null, command);
    }

    private static String runWithInput(String input, String... command) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            if (input != null) {
                p.getOutputStream().write(input.getBytes(StandardCharsets.UTF_8));
            }
            p.getOutputStream().close();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", command) + " failed: " + out);
            }
            return out;
        } catch (IOException e) {
            throw new IllegalStateException(String.join(" ", command) + " could not run", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
