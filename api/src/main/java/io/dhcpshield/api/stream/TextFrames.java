package io.dhcpshield.api.stream;

/**
 * Server-to-client WebSocket text frames (RFC 6455 §5.2: FIN, opcode 1, no mask, no extension), encoded once by the
 * hub so that an event going to a hundred clients is serialised and framed once, not a hundred times by Netty's
 * per-connection frame encoder. The stream negotiates no extension (no permessage-deflate), so the bytes are what
 * every client of it expects.
 */
final class TextFrames {

    private TextFrames() {
    }

    /** A frame for {@code payload}. */
    static byte[] encode(byte[] payload) {
        byte[] header = header(payload.length);
        byte[] out = new byte[header.length + payload.length];
        System.arraycopy(header, 0, out, 0, header.length);
        System.arraycopy(payload, 0, out, header.length, payload.length);
        return out;
    }

    /** The header of a frame whose payload is {@code length} bytes: 2, 4 or 10 bytes. */
    static byte[] header(int length) {
        byte[] out = new byte[length < 126 ? 2 : length <= 0xFFFF ? 4 : 10];
        out[0] = (byte) 0x81; // FIN, text
        if (out.length == 2) {
            out[1] = (byte) length;
        } else if (out.length == 4) {
            out[1] = 126;
            out[2] = (byte) (length >>> 8);
            out[3] = (byte) length;
        } else {
            out[1] = 127;
            for (int i = 0; i < 8; i++) {
                out[2 + i] = (byte) ((long) length >>> (56 - 8 * i));
            }
        }
        return out;
    }
}
