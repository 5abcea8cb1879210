package io.dhcpshield.api.stream;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocket08FrameDecoder;
import io.netty.handler.codec.http.websocketx.WebSocket08FrameEncoder;
import io.netty.handler.codec.http.websocketx.WebSocketDecoderConfig;
import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TextFramesTest {

    @Test
    void framesAreByteForByteWhatNettysEncoderWritesAndItsDecoderReads() {
        for (int length : new int[] {0, 1, 125, 126, 127, 1000, 65_535, 65_536, 200_000}) {
            byte[] payload = new byte[length];
            Arrays.fill(payload, (byte) 'x');
            if (length > 0) {
                payload[length - 1] = 'y';
            }
            byte[] ours = TextFrames.encode(payload);

            EmbeddedChannel encoder = new EmbeddedChannel(new WebSocket08FrameEncoder(false));
            encoder.writeOutbound(new TextWebSocketFrame(Unpooled.wrappedBuffer(payload)));
            ByteBuf netty = Unpooled.buffer();
            for (Object o; (o = encoder.readOutbound()) != null; ) {
                ByteBuf b = (ByteBuf) o;
                netty.writeBytes(b);
                b.release();
            }
            assertArrayEquals(ByteBufUtil.getBytes(netty), ours, "length " + length);

            EmbeddedChannel decoder = new EmbeddedChannel(new WebSocket08FrameDecoder(WebSocketDecoderConfig
                    .newBuilder().expectMaskedFrames(false).maxFramePayloadLength(1 << 20).build()));
            assertTrue(decoder.writeInbound(Unpooled.wrappedBuffer(ours)), "length " + length);
            TextWebSocketFrame frame = decoder.readInbound();
            assertTrue(frame.isFinalFragment());
            assertArrayEquals(payload, ByteBufUtil.getBytes(frame.content()), "length " + length);
            frame.release();
        }
    }

    @Test
    void theHeaderGrowsAtTheLengthsRfc6455Names() {
        assertEquals(2, TextFrames.header(125).length);
        assertEquals(4, TextFrames.header(126).length);
        assertEquals(4, TextFrames.header(65_535).length);
        assertEquals(10, TextFrames.header(65_536).length);
    }
}
