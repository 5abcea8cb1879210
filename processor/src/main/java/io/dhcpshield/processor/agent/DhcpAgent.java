package io.dhcpshield.processor.agent;

import io.dhcpshield.processor.systemd.SdNotify;
import io.dhcpshield.processor.systemd.SystemdNotifier;
import io.dhcpshield.transport.pcap.PcapException;
import io.dhcpshield.transport.tzsp.Tzsp;
import io.dhcpshield.transport.tzsp.agent.AgentConfig;
import io.dhcpshield.transport.tzsp.agent.Collector;
import io.dhcpshield.transport.tzsp.agent.TzspAgent;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code dhcp-agent}: the remote-site capture-and-forward agent. Captures DHCP on one interface and sends every frame,
 * wrapped in TZSP, to the collectors; runs until SIGTERM/SIGINT, then prints its final counters.
 */
@Command(name = "dhcp-agent", mixinStandardHelpOptions = true, version = "dhcp-agent 0.1.0",
        sortOptions = false,
        description = {
            "Captures DHCPv4/DHCPv6 frames on one Ethernet interface (kernel BPF filter: UDP ports 67, 68, 546, 547,"
                    + " also behind one VLAN tag) and sends each one, wrapped in TZSP, to every collector over UDP.",
            "Needs CAP_NET_RAW. A full queue drops the newest frame and counts it; a collector that is down costs"
                    + " nothing but its counted send errors. SIGTERM or SIGINT stops it and prints the final"
                    + " counters."},
        footer = {"",
            "Counters (the stats line; with --metrics-listen also dhcpshield_agent_*):",
            "  captured         frames the filter passed to the agent",
            "  sent             datagrams the kernel accepted, per collector",
            "  send_errors      datagrams whose send failed (no route...), per collector",
            "  dropped[reason]  queue_full; oversize (longer than --snaplen);",
            "                   runt (shorter than an Ethernet header)",
            "  kernel_drops     frames lost in the kernel capture ring (ps_drop)",
            "  interface_drops  frames lost by the interface (ps_ifdrop)",
            "",
            "Example:",
            "  dhcp-agent -i eth1 -c collector.example.net -c 10.0.0.5:37010 \\",
            "    --sensor-id site-7 --stats-interval 5m --metrics-listen 127.0.0.1:9137"},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:stopped by SIGTERM/SIGINT", "1:could not start (interface, collector address, port)",
            "2:bad arguments"})
public final class DhcpAgent implements Callable<Integer> {

    private static final Logger log = LoggerFactory.getLogger(DhcpAgent.class);

    @Option(names = {"-i", "--interface"}, required = true, paramLabel = "NAME",
            description = "Ethernet interface to capture on")
    String interfaceName;

    @Option(names = {"-c", "--collector"}, required = true, paramLabel = "HOST[:PORT]",
            description = "collector to send TZSP to (repeatable; port default " + Tzsp.DEFAULT_PORT
                    + "; IPv6 as [ADDRESS]:PORT)")
    List<String> collectors;

    @Option(names = "--sensor-id", paramLabel = "ID",
            description = "sent in every datagram's TZSP sensor-id tag (up to 255 bytes UTF-8); default: none")
    String sensorId;

    @Option(names = "--queue-size", paramLabel = "FRAMES", defaultValue = "" + AgentConfig.DEFAULT_QUEUE_SIZE,
            description = "frames held between capture and send (default ${DEFAULT-VALUE})")
    int queueSize;

    @Option(names = "--snaplen", paramLabel = "BYTES", defaultValue = "" + AgentConfig.DEFAULT_SNAPLEN,
            description = "bytes captured per frame; longer frames are dropped as oversize (default"
                    + " ${DEFAULT-VALUE})")
    int snaplen;

    @Option(names = "--capture-buffer", paramLabel = "BYTES", defaultValue = "" + AgentConfig.DEFAULT_BUFFER_BYTES,
            description = "kernel capture ring size (default ${DEFAULT-VALUE})")
    int bufferBytes;

    @Option(names = "--stats-interval", paramLabel = "DURATION", defaultValue = "60s",
            converter = DurationConverter.class,
            description = "log one line of counters this often, e.g. 10s, 5m, 500ms; 0 = only at stop"
                    + " (default ${DEFAULT-VALUE})")
    Duration statsInterval;

    @Option(names = "--metrics-listen", paramLabel = "ADDRESS:PORT",
            description = "serve the counters as Prometheus text on http://ADDRESS:PORT/metrics; default: off")
    String metricsListen;

    @Override
    public Integer call() throws Exception {
        AgentConfig config;
        MetricsEndpoint.Address metricsAddress = null;
        try {
            config = AgentConfig.of(interfaceName, collectors.stream().map(Collector::parse).toList())
                    .withSensorId(sensorId).withQueueSize(queueSize).withSnaplen(snaplen)
                    .withBufferBytes(bufferBytes);
            if (metricsListen != null) {
                metricsAddress = MetricsEndpoint.Address.parse(metricsListen);
            }
        } catch (IllegalArgumentException e) {
            System.err.println("dhcp-agent: " + e.getMessage());
            return 2;
        }
        TzspAgent agent = new TzspAgent(config);
        try {
            agent.start();
        } catch (PcapException | IllegalArgumentException e) {
            System.err.println("dhcp-agent: " + e.getMessage());
            return 1;
        }
        MetricsEndpoint metrics = null;
        if (metricsAddress != null) {
            try {
                metrics = MetricsEndpoint.start(metricsAddress, agent);
            } catch (RuntimeException e) {
                System.err.println("dhcp-agent: cannot serve metrics on " + metricsListen + ": " + e.getMessage());
                agent.stop();
                return 1;
            }
        }
        // Under systemd (Type=notify): READY once the capture is open, STATUS with the counters, WATCHDOG while the
        // capture and send loops turn. Nothing without NOTIFY_SOCKET.
        SystemdNotifier systemd = new SystemdNotifier(SdNotify.fromEnvironment(),
                SdNotify.watchdogInterval(System.getenv(), ProcessHandle.current().pid()),
                statsInterval.isZero() ? Duration.ofSeconds(60) : statsInterval, () -> "", agent::stuck,
                () -> agent.counters().snapshot().toString());
        systemd.start();
        ScheduledExecutorService stats = null;
        if (!statsInterval.isZero()) {
            stats = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "dhcp-agent-stats");
                t.setDaemon(true);
                return t;
            });
            long ms = statsInterval.toMillis();
            stats.scheduleAtFixedRate(() -> log.info("counters: {}", agent.counters().snapshot()), ms, ms,
                    TimeUnit.MILLISECONDS);
        }
        CountDownLatch stopped = new CountDownLatch(1);
        ScheduledExecutorService statsToStop = stats;
        MetricsEndpoint metricsToStop = metrics;
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                systemd.stop();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            if (statsToStop != null) {
                statsToStop.shutdownNow();
            }
            try {
                agent.stop();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            if (metricsToStop != null) {
                metricsToStop.close();
            }
            log.info("dhcp-agent stopped; final counters: {}", agent.counters().snapshot());
            stopped.countDown();
            System.out.flush();
            System.err.flush();
            // A stop on SIGTERM is the normal way out: exit 0 rather than the JVM's 143 once everything is closed.
            Runtime.getRuntime().halt(0);
        }, "shutdown"));
        stopped.await();
        return 0;
    }

    /** Parses {@code 500ms}, {@code 10s}, {@code 5m}, {@code 1h}, a bare number of seconds, or ISO-8601. */
    static final class DurationConverter implements CommandLine.ITypeConverter<Duration> {
        @Override
        public Duration convert(String value) {
            String v = value.trim().toLowerCase(java.util.Locale.ROOT);
            Duration d;
            if (v.startsWith("p")) {
                d = Duration.parse(value.trim().toUpperCase(java.util.Locale.ROOT));
            } else if (v.endsWith("ms")) {
                d = Duration.ofMillis(Long.parseLong(v.substring(0, v.length() - 2)));
            } else if (v.endsWith("s")) {
                d = Duration.ofSeconds(Long.parseLong(v.substring(0, v.length() - 1)));
            } else if (v.endsWith("m")) {
                d = Duration.ofMinutes(Long.parseLong(v.substring(0, v.length() - 1)));
            } else if (v.endsWith("h")) {
                d = Duration.ofHours(Long.parseLong(v.substring(0, v.length() - 1)));
            } else {
                d = Duration.ofSeconds(Long.parseLong(v));
            }
            if (d.isNegative()) {
                throw new CommandLine.TypeConversionException("must not be negative: " + value);
            }
            return d;
        }
    }

    public static void main(String[] args) {
        int code = new CommandLine(new DhcpAgent()).execute(args);
        if (code != 0) {
            System.exit(code);
        }
    }
}
