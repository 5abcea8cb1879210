package io.dhcpshield.simulator;

import io.dhcpshield.core.net.MacAddress;
import io.dhcpshield.core.time.Time;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.DatagramSocket;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Collections;
import java.util.concurrent.Callable;

/** {@code dhcp-simulator}: the command line of the traffic generator. */
@Command(name = "dhcp-simulator", mixinStandardHelpOptions = true, sortOptions = false,
        description = {
            "A DHCPv4/DHCPv6 traffic generator for load tests, demos and reproducing issues.",
            "Relay mode (the default) unicasts to the server as a relay agent (giaddr and Option 82, or RELAY-FORW) "
                    + "from port 67/547 of the relay address, so it works through routers. Broadcast mode (-i) acts as "
                    + "clients on a segment.",
            "Prints what was sent and what came back; exits 0 when nothing timed out, 3 otherwise.",
            "Profiles: dora (v4), sarr (v6), renew, release, mix, flood, starvation, spoofed-release, rogue-server, "
                    + "malformed.",
            "",
        })
public final class SimulatorCommand implements Callable<Integer> {

    @Option(names = {"-s", "--server"}, paramLabel = "ADDR",
            description = "The DHCP server (relay mode), or where broadcast mode sends (default 255.255.255.255 / "
                    + "ff02::1:2; rogue-server: 255.255.255.255 / ff02::1). In relay mode rogue-server answers "
                    + "this address as if it were a relay.")
    String server;

    @Option(names = {"-6"}, description = "DHCPv6 (default: v6 for sarr or a v6 server, else v4).")
    boolean v6;

    @Option(names = {"-4"}, description = "DHCPv4.")
    boolean v4;

    @Option(names = {"-p", "--profile"}, paramLabel = "NAME", defaultValue = "dora",
            description = "dora, sarr, renew, release, mix, flood, starvation, spoofed-release, rogue-server, malformed "
                    + "(default ${DEFAULT-VALUE}).")
    String profile;

    @Option(names = {"-c", "--clients"}, defaultValue = "1000", description = "Clients: the MAC range's size "
            + "(default ${DEFAULT-VALUE}; flood wants few).")
    int clients;

    @Option(names = {"-r", "--rate"}, defaultValue = "100",
            description = "Exchanges started per second; 0 = as fast as --max-inflight allows (default ${DEFAULT-VALUE}).")
    double rate;

    @Option(names = {"-d", "--duration"}, paramLabel = "SECONDS",
            description = "Start exchanges for this long (default 10 unless -n is given).")
    Double duration;

    @Option(names = {"-n", "--count"}, description = "Start this many exchanges, then stop.")
    long count;

    @Option(names = {"-l", "--relay-address"}, paramLabel = "ADDR",
            description = "The own address: giaddr (v4) / link-address (v6) in relay mode, the rogue server's "
                    + "address; bound with port 67/547. Default: the address routing picks towards the server.")
    String local;

    @Option(names = {"-i", "--interface"}, paramLabel = "IF",
            description = "Broadcast mode: act as clients on this interface (SO_BINDTODEVICE).")
    String interfaceName;

    @Option(names = "--mac-start", defaultValue = "02:00:5e:10:00:00",
            description = "The first client's MAC (default ${DEFAULT-VALUE}).")
    String macStart;

    @Option(names = "--duid-type", defaultValue = "LL", description = "LL or LLT (default ${DEFAULT-VALUE}); the DUID "
            + "carries the client's MAC.")
    ClientRange.DuidType duidType;

    @Option(names = "--circuit-id", defaultValue = "sim-port-%d",
            description = "v4 Option 82 circuit id; %%d = the client's index; empty for none (default ${DEFAULT-VALUE}).")
    String circuitId;

    @Option(names = "--remote-id", defaultValue = "dhcp-shield-sim",
            description = "v4 Option 82 remote id; %%d = the client's index; empty for none (default ${DEFAULT-VALUE}).")
    String remoteId;

    @Option(names = "--interface-id", defaultValue = "sim-if-%d",
            description = "v6 relay interface-id; %%d = the client's index; empty for none (default ${DEFAULT-VALUE}).")
    String interfaceId;

    @Option(names = "--attacker-id", defaultValue = "attacker-port",
            description = "The circuit id / interface-id spoofed RELEASEs arrive on (default ${DEFAULT-VALUE}).")
    String attackerId;

    @Option(names = "--relay-levels", defaultValue = "1", description = "v6 RELAY-FORW nesting (default ${DEFAULT-VALUE}).")
    int relayLevels;

    @Option(names = {"-t", "--timeout"}, paramLabel = "MS", defaultValue = "2000",
            description = "How long to wait for each answer, ms (default ${DEFAULT-VALUE}).")
    long timeoutMillis;

    @Option(names = "--max-inflight", defaultValue = "65536",
            description = "The most exchanges awaiting an answer at once (default ${DEFAULT-VALUE}).")
    int maxInFlight;

    @Option(names = "--misbehave-ratio", defaultValue = "0.1",
            description = "mix: the share of misbehaving exchanges (default ${DEFAULT-VALUE}).")
    double misbehaveRatio;

    @Option(names = "--seed", defaultValue = "1", description = "Seed of the random MACs and of mix (default ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--json", description = "Print the report as JSON.")
    boolean json;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(new CommandLine(new SimulatorCommand()).setCaseInsensitiveEnumValuesAllowed(true).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        SimulationConfig cfg = config();
        SimulationReport report = new Simulation(cfg, Time.SYSTEM).run();
        PrintWriter out = spec.commandLine().getOut();
        out.println(json ? report.toJson() : report.toText());
        out.flush();
        return report.totalTimeouts() == 0 ? 0 : 3;
    }

    SimulationConfig config() throws IOException {
        Profile p;
        try {
            p = Profile.parse(profile);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), "unknown profile: " + profile);
        }
        SimulationConfig.Mode mode = interfaceName != null ? SimulationConfig.Mode.BROADCAST : SimulationConfig.Mode.RELAY;
        InetAddress serverAddress = server != null ? InetAddress.getByName(server) : null;
        int family = v6 ? 6 : v4 ? 4 : serverAddress instanceof Inet6Address ? 6 : p.defaultFamily();
        if (mode == SimulationConfig.Mode.RELAY && serverAddress == null) {
            throw new CommandLine.ParameterException(spec.commandLine(), "relay mode needs --server (or -i for broadcast)");
        }
        boolean rogue = p == Profile.ROGUE_SERVER;
        InetSocketAddress target;
        if (mode == SimulationConfig.Mode.RELAY) {
            // A rogue server answers a relay at its server port; a client talks to the server port.
            target = new InetSocketAddress(serverAddress, family == 4 ? 67 : 547);
        } else {
            NetworkInterface nif = NetworkInterface.getByName(interfaceName);
            if (nif == null) {
                throw new CommandLine.ParameterException(spec.commandLine(), "no interface " + interfaceName);
            }
            if (family == 4) {
                InetAddress to = serverAddress != null ? serverAddress : InetAddress.getByName("255.255.255.255");
                target = new InetSocketAddress(to, rogue ? 68 : 67);
            } else {
                byte[] group = (serverAddress != null ? serverAddress
                        : InetAddress.getByName(rogue ? "ff02::1" : "ff02::1:2")).getAddress();
                target = new InetSocketAddress(Inet6Address.getByAddress(null, group, nif), rogue ? 546 : 547);
            }
        }
        InetAddress own = local != null ? InetAddress.getByName(local)
                : mode == SimulationConfig.Mode.RELAY ? routedSource(serverAddress)
                : interfaceAddress(interfaceName, family);
        Duration runFor = duration != null ? Duration.ofMillis((long) (duration * 1000))
                : count > 0 ? null : Duration.ofSeconds(10);
        return new SimulationConfig(p, family, mode, target, new InetSocketAddress(own, 0), interfaceName, clients,
                MacAddress.parse(macStart).value(), duidType, 0x2d000000L, IdTemplate.of(circuitId),
                IdTemplate.of(remoteId), IdTemplate.of(interfaceId), IdTemplate.of(attackerId), relayLevels, rate,
                runFor, count, Duration.ofMillis(timeoutMillis), maxInFlight, misbehaveRatio, seed);
    }

    /** The source address the kernel would use towards {@code server}. */
    private static InetAddress routedSource(InetAddress server) throws SocketException {
        try (DatagramSocket s = new DatagramSocket()) {
            s.connect(server, 9);
            return s.getLocalAddress();
        }
    }

    /** The interface's first address of the family (v6: a global one if any, else link-local). */
    private static InetAddress interfaceAddress(String name, int family) throws SocketException, UnknownHostException {
        NetworkInterface nif = NetworkInterface.getByName(name);
        InetAddress linkLocal = null;
        for (InetAddress a : Collections.list(nif.getInetAddresses())) {
            if (family == 4 && a.getAddress().length == 4) {
                return a;
            }
            if (family == 6 && a.getAddress().length == 16) {
                if (!a.isLinkLocalAddress()) {
                    return InetAddress.getByAddress(a.getAddress());
                }
                linkLocal = a;
            }
        }
        if (linkLocal != null) {
            return InetAddress.getByAddress(linkLocal.getAddress());
        }
        return InetAddress.getByName(family == 4 ? "0.0.0.0" : "::");
    }
}
