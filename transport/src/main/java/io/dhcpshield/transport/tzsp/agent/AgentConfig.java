package io.dhcpshield.transport.tzsp.agent;

import io.dhcpshield.transport.tzsp.Tzsp;
import java.util.List;
import java.util.Objects;

/**
 * What the agent captures and where it sends it. The defaults live in {@link #of}; every {@code with} method returns
 * a new instance.
 *
 * @param interfaceName the Ethernet interface to capture on
 * @param collectors where every frame goes (at least one)
 * @param sensorId carried in each datagram's sensor-id tag; null or empty: no tag
 * @param queueSize frames held between capture and send; a frame arriving to a full queue is dropped and counted
 * @param snaplen bytes captured of each frame; a longer frame is dropped and counted ({@code oversize})
 * @param bufferBytes the kernel capture ring
 * @param filter the kernel BPF filter: which frames reach the agent at all
 */
public record AgentConfig(String interfaceName, List<Collector> collectors, String sensorId, int queueSize,
                          int snaplen, int bufferBytes, String filter) {

    private static final String DHCP_PORTS = "udp and (port 67 or port 68 or port 546 or port 547)";

    /** DHCPv4 and DHCPv6, untagged or behind one 802.1Q tag. */
    public static final String DHCP_FILTER = DHCP_PORTS + " or (vlan and " + DHCP_PORTS + ")";
    public static final int DEFAULT_QUEUE_SIZE = 4096;
    public static final int DEFAULT_SNAPLEN = 2048;
    public static final int DEFAULT_BUFFER_BYTES = 4 << 20;
    /** The largest snaplen whose frames still fit one UDP datagram behind the longest TZSP header. */
    public static final int MAX_SNAPLEN = 65_507 - Tzsp.headerLength(new byte[Tzsp.MAX_SENSOR_ID]);

    public AgentConfig {
        Objects.requireNonNull(interfaceName, "interfaceName");
        if (interfaceName.isBlank()) {
            throw new IllegalArgumentException("interface must not be empty");
        }
        collectors = List.copyOf(Objects.requireNonNull(collectors, "collectors"));
        if (collectors.isEmpty()) {
            throw new IllegalArgumentException("at least one collector is needed");
        }
        if (collectors.stream().map(Collector::toString).distinct().count() != collectors.size()) {
            throw new IllegalArgumentException("a collector is listed twice: " + collectors);
        }
        Tzsp.sensorIdBytes(sensorId); // checks the length
        if (queueSize < 1 || queueSize > 1_000_000) {
            throw new IllegalArgumentException("queue size must be 1..1000000, was " + queueSize);
        }
        if (snaplen < 64 || snaplen > MAX_SNAPLEN) {
            throw new IllegalArgumentException("snaplen must be 64.." + MAX_SNAPLEN + ", was " + snaplen);
        }
        if (bufferBytes < 65_536) {
            throw new IllegalArgumentException("capture buffer must be at least 65536 bytes, was " + bufferBytes);
        }
        Objects.requireNonNull(filter, "filter");
    }

    /** The defaults: no sensor id, {@value #DEFAULT_QUEUE_SIZE} frames queued, snaplen {@value #DEFAULT_SNAPLEN}. */
    public static AgentConfig of(String interfaceName, List<Collector> collectors) {
        return new AgentConfig(interfaceName, collectors, null, DEFAULT_QUEUE_SIZE, DEFAULT_SNAPLEN,
                DEFAULT_BUFFER_BYTES, DHCP_FILTER);
    }

    public AgentConfig withSensorId(String id) {
        return new AgentConfig(interfaceName, collectors, id, queueSize, snaplen, bufferBytes, filter);
    }

    public AgentConfig withQueueSize(int size) {
        return new AgentConfig(interfaceName, collectors, sensorId, size, snaplen, bufferBytes, filter);
    }

    public AgentConfig withSnaplen(int bytes) {
        return new AgentConfig(interfaceName, collectors, sensorId, queueSize, bytes, bufferBytes, filter);
    }

    public AgentConfig withBufferBytes(int bytes) {
        return new AgentConfig(interfaceName, collectors, sensorId, queueSize, snaplen, bytes, filter);
    }
}
