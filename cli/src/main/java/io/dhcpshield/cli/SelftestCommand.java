package io.dhcpshield.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.dhcpshield.enforcement.kernel.BypassCheck;
import io.dhcpshield.enforcement.kernel.Nftables;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.util.concurrent.Callable;
import java.util.concurrent.ThreadLocalRandom;

/**
 * {@code dpictl selftest bypass}: proves the appliance fails open (seed "fail-open" self-test). With the processor
 * stopped, every queue rule must carry the bypass flag and no process may hold the queues; with {@code --server},
 * a real DHCP exchange (a relayed DISCOVER from this host, as a relay agent would send it) must get its OFFER
 * through the ruleset.
 */
@Command(name = "selftest", mixinStandardHelpOptions = true, description = "Appliance self-tests.",
        subcommands = {SelftestCommand.Bypass.class})
final class SelftestCommand implements Runnable {

    @Override
    public void run() {
        System.err.println("usage: dpictl selftest bypass [--server IP --giaddr IP]");
    }

    @Command(name = "bypass", mixinStandardHelpOptions = true,
            description = {"Check that DHCP passes the inet dhcp_inspection ruleset with no processor bound.",
                    "Exit 0: fail-open proven; 1: not fail-open (reasons on stderr); 2: usage."})
    static final class Bypass implements Callable<Integer> {

        @Option(names = "--server", paramLabel = "IP", description = "a DHCPv4 server to run one exchange against")
        InetAddress server;

        @Option(names = "--giaddr", paramLabel = "IP",
                description = "this host's address on the client side, used as the relay address (with --server)")
        InetAddress giaddr;

        @Option(names = "--timeout-ms", defaultValue = "5000", description = "wait for the OFFER (default 5000)")
        int timeoutMs;

        @Override
        public Integer call() throws Exception {
            if (server != null && giaddr == null) {
                System.err.println("dpictl selftest bypass: --server needs --giaddr");
                return 2;
            }
            BypassCheck check;
            try (Nftables nft = new Nftables()) {
                check = BypassCheck.run(nft);
            }
            System.out.println(new ObjectMapper().writeValueAsString(check));
            check.problems().forEach(p -> System.err.println("dpictl selftest bypass: " + p));
            if (!check.failOpen()) {
                return 1;
            }
            if (!check.boundQueues().isEmpty()) {
                System.err.println("dpictl selftest bypass: queues " + check.boundQueues()
                        + " are bound: stop dhcp-processor first, or this proves nothing about fail-open");
                return 1;
            }
            if (server == null) {
                System.out.println("bypass: ruleset is fail-open (no exchange run; give --server to run one)");
                return 0;
            }
            return exchange();
        }

        /** One relayed DISCOVER → OFFER, from and to port 67 on {@code giaddr}. */
        private int exchange() throws Exception {
            int xid = ThreadLocalRandom.current().nextInt();
            byte[] mac = {0x02, 0x00, 0x5e, 0x5e, 0x1f, 0x01};
            ByteBuffer b = ByteBuffer.allocate(300);
            b.put((byte) 1).put((byte) 1).put((byte) 6).put((byte) 1).putInt(xid).putShort((short) 0).putShort((short) 0);
            b.position(24);
            b.put(giaddr.getAddress()).put(mac);
            b.position(236);
            b.putInt(0x63825363).put(new byte[] {53, 1, 1, 55, 3, 1, 3, 6, (byte) 255});
            try (DatagramSocket s = new DatagramSocket(new InetSocketAddress(giaddr, 67))) {
                s.setSoTimeout(timeoutMs);
                long t0 = System.nanoTime();
                s.send(new DatagramPacket(b.array(), b.capacity(), server, 67));
                byte[] rx = new byte[1500];
                while (true) {
                    DatagramPacket p = new DatagramPacket(rx, rx.length);
                    try {
                        s.receive(p);
                    } catch (SocketTimeoutException e) {
                        System.err.println("dpictl selftest bypass: no OFFER from " + server.getHostAddress() + " in "
                                + timeoutMs + " ms");
                        return 1;
                    }
                    ByteBuffer r = ByteBuffer.wrap(rx, 0, p.getLength());
                    if (p.getLength() >= 244 && r.get(0) == 2 && r.getInt(4) == xid) {
                        InetAddress offered = InetAddress.getByAddress(new byte[] {rx[16], rx[17], rx[18], rx[19]});
                        System.out.printf("bypass: exchange completed without the processor: OFFER of %s from %s in %d ms%n",
                                offered.getHostAddress(), server.getHostAddress(), (System.nanoTime() - t0) / 1_000_000);
                        return 0;
                    }
                }
            }
        }
    }
}
