package io.dhcpshield.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dhcpshield.core.codec.DecodeError;
import io.dhcpshield.core.codec.DecodeFault;
import io.dhcpshield.core.codec.DecodedPacket;
import io.dhcpshield.core.codec.DhcpDecoder;
import io.dhcpshield.core.json.PacketJson;
import io.dhcpshield.core.codec.Framing;
import io.dhcpshield.transport.pcap.PcapFileReader;
import io.dhcpshield.transport.pcap.PcapFrame;
import io.netty.buffer.Unpooled;

import java.nio.file.Path;
import java.util.EnumMap;
import java.util.Map;
import java.util.function.Consumer;

/** Reads a capture file and turns each frame into the analyze JSON object. */
public final class CaptureAnalyzer {

    /** Counts of one run: frames read, DHCP packets printed, frames skipped as non-DHCP, faults by error. */
    public record Summary(long frames, long dhcp, long notDhcp, Map<DecodeError, Long> errors) {
        @Override
        public String toString() {
            StringBuilder sb = new StringBuilder()
                    .append("frames=").append(frames).append(" dhcp=").append(dhcp).append(" not-dhcp=").append(notDhcp);
            errors.forEach((e, n) -> sb.append(' ').append(e.label()).append('=').append(n));
            return sb.toString();
        }
    }

    private CaptureAnalyzer() {
    }

    /**
     * Decodes every frame of {@code pcap}, handing the JSON of each DHCP packet (and with {@code all}, of every
     * frame) to {@code sink} in frame order.
     */
    public static Summary analyze(Path pcap, boolean all, boolean withOptions, Consumer<ObjectNode> sink) {
        long frames = 0;
        long dhcp = 0;
        long notDhcp = 0;
        Map<DecodeError, Long> errors = new EnumMap<>(DecodeError.class);
        try (PcapFileReader reader = PcapFileReader.open(pcap)) {
            Framing framing = Framing.ofLinkType(reader.linkType());
            for (PcapFrame frame : reader) {
                frames++;
                DecodedPacket packet = DhcpDecoder.decode(Unpooled.wrappedBuffer(frame.data()), 0,
                        frame.data().length, framing);
                for (DecodeFault f : packet.faults()) {
                    errors.merge(f.error(), 1L, Long::sum);
                }
                if (packet.isDhcp()) {
                    dhcp++;
                } else {
                    notDhcp++;
                    if (!all) {
                        continue;
                    }
                }
                sink.accept(PacketJson.render(frame.number(), frame.epochNanos(), packet, withOptions));
            }
        }
        return new Summary(frames, dhcp, notDhcp, errors);
    }
}
