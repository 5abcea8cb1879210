package io.dhcpshield.transport.tzsp;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;

import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * The TZSP wire format, version 1: {@code version(1) type(1) encapsulation(2, big-endian)}, then tagged fields
 * ({@code tag(1)}, or {@code tag(1) length(1) value} for every tag but PADDING and END), ending with END, then the
 * captured frame. Decoding is strict and never throws: a datagram is a {@link Frame} or a {@link Drop} reason.
 */
public final class Tzsp {

    public static final int VERSION = 1;
    /** The collector's default UDP port. */
    public static final int DEFAULT_PORT = 37008;

    public static final int TYPE_RECEIVED = 0;
    public static final int TYPE_TRANSMIT = 1;
    public static final int TYPE_CONFIG = 3;
    public static final int TYPE_KEEPALIVE = 4;
    public static final int TYPE_PORT_OPENER = 5;

    public static final int ENCAP_ETHERNET = 1;

    public static final int TAG_PADDING = 0;
    public static final int TAG_END = 1;
    /** Wireshark's "sensor id" tag (WLAN_RADIO_HDR_SERIAL): we carry the agent's sensor id in it as UTF-8. */
    public static final int TAG_SENSOR_ID = 60;
    /** The longest sensor id a tag can hold. */
    public static final int MAX_SENSOR_ID = 255;

    /** Why a datagram carried no frame. Each reason is a counter of the collector. */
    public enum Drop {
        /** Shorter than the 4-byte header. */
        TOO_SHORT,
        /** Version byte other than 1. */
        BAD_VERSION,
        /** A type other than received/transmit (config and unknown types). */
        UNSUPPORTED_TYPE,
        /** An encapsulation other than Ethernet. */
        UNSUPPORTED_ENCAPSULATION,
        /** A tag's length runs past the datagram. */
        TRUNCATED_TAG,
        /** The tags ran to the end of the datagram without END. */
        MISSING_END,
        /** END with no frame after it. */
        EMPTY_FRAME,
        /** A keepalive or port-opener: valid, but no frame to observe. */
        KEEPALIVE;

        public String label() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /**
     * A decoded datagram: the frame is {@code length} bytes at {@code index} of the datagram's buffer (not copied),
     * {@code sensorId} is the sensor-id tag's text or null.
     */
    public record Frame(int type, int encapsulation, String sensorId, int index, int length) {
    }

    /** The outcome of {@link #decode}: exactly one of {@code frame} and {@code drop} is non-null. */
    public record Decoded(Frame frame, Drop drop) {
        static Decoded drop(Drop d) {
            return new Decoded(null, d);
        }
    }

    private Tzsp() {
    }

    /**
     * Decodes the readable bytes of {@code datagram} without moving its indexes. Unknown tags are skipped by their
     * length; every length is checked against the datagram's end first.
     */
    public static Decoded decode(ByteBuf datagram) {
        int i = datagram.readerIndex();
        int end = datagram.writerIndex();
        if (end - i < 4) {
            return Decoded.drop(Drop.TOO_SHORT);
        }
        if (datagram.getUnsignedByte(i) != VERSION) {
            return Decoded.drop(Drop.BAD_VERSION);
        }
        int type = datagram.getUnsignedByte(i + 1);
        int encapsulation = datagram.getUnsignedShort(i + 2);
        if (type == TYPE_KEEPALIVE || type == TYPE_PORT_OPENER) {
            return Decoded.drop(Drop.KEEPALIVE);
        }
        if (type != TYPE_RECEIVED && type != TYPE_TRANSMIT) {
            return Decoded.drop(Drop.UNSUPPORTED_TYPE);
        }
        if (encapsulation != ENCAP_ETHERNET) {
            return Decoded.drop(Drop.UNSUPPORTED_ENCAPSULATION);
        }
        String sensorId = null;
        int p = i + 4;
        while (true) {
            if (p >= end) {
                return Decoded.drop(Drop.MISSING_END);
            }
            int tag = datagram.getUnsignedByte(p++);
            if (tag == TAG_END) {
                break;
            }
            if (tag == TAG_PADDING) {
                continue;
            }
            if (p >= end) {
                return Decoded.drop(Drop.TRUNCATED_TAG);
            }
            int length = datagram.getUnsignedByte(p++);
            if (length > end - p) {
                return Decoded.drop(Drop.TRUNCATED_TAG);
            }
            if (tag == TAG_SENSOR_ID && length > 0) {
                sensorId = datagram.toString(p, length, StandardCharsets.UTF_8);
            }
            p += length;
        }
        if (p >= end) {
            return Decoded.drop(Drop.EMPTY_FRAME);
        }
        return new Decoded(new Frame(type, encapsulation, sensorId, p, end - p), null);
    }

    /** The header length {@link #encodeHeader} writes for this sensor id (null: none). */
    public static int headerLength(byte[] sensorId) {
        return 4 + (sensorId == null ? 0 : 2 + sensorId.length) + 1;
    }

    /**
     * Writes the header of a received Ethernet frame (version 1, type received, encapsulation Ethernet, the
     * sensor-id tag when given, END); the frame follows.
     */
    public static void encodeHeader(ByteBuf out, byte[] sensorId) {
        out.writeByte(VERSION);
        out.writeByte(TYPE_RECEIVED);
        out.writeShort(ENCAP_ETHERNET);
        if (sensorId != null) {
            if (sensorId.length > MAX_SENSOR_ID) {
                throw new IllegalArgumentException("sensor id longer than " + MAX_SENSOR_ID + " bytes");
            }
            out.writeByte(TAG_SENSOR_ID);
            out.writeByte(sensorId.length);
            out.writeBytes(sensorId);
        }
        out.writeByte(TAG_END);
    }

    /** One whole datagram: the header ({@link #encodeHeader}) with this sensor id (null or empty: none), then the frame. */
    public static byte[] datagram(String sensorId, byte[] frame) {
        byte[] sensor = sensorIdBytes(sensorId);
        ByteBuf b = Unpooled.buffer(headerLength(sensor) + frame.length);
        encodeHeader(b, sensor);
        b.writeBytes(frame);
        return ByteBufUtil.getBytes(b);
    }

    /** The sensor id as the bytes of its tag, checked for length; null stays null. */
    public static byte[] sensorIdBytes(String sensorId) {
        if (sensorId == null || sensorId.isEmpty()) {
            return null;
        }
        byte[] b = Objects.requireNonNull(sensorId).getBytes(StandardCharsets.UTF_8);
        if (b.length > MAX_SENSOR_ID) {
            throw new IllegalArgumentException("sensor id longer than " + MAX_SENSOR_ID + " bytes: " + sensorId);
        }
        return b;
    }
}
