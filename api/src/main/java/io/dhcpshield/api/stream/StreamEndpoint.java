package io.dhcpshield.api.stream;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dhcpshield.api.http.ApiError;
import io.dhcpshield.api.http.Authenticator;
import io.dhcpshield.api.http.Json;
import io.dhcpshield.api.http.Principal;
import io.dhcpshield.api.http.Router;
import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Mono;
import reactor.netty.http.server.HttpServerRequest;
import reactor.netty.http.server.HttpServerResponse;
import reactor.netty.http.server.WebsocketServerSpec;
import reactor.netty.http.websocket.WebsocketInbound;
import reactor.netty.http.websocket.WebsocketOutbound;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;

/**
 * {@code GET /api/v1/stream}: the WebSocket upgrade. The access token travels in the {@code Sec-WebSocket-Protocol}
 * header ({@code dhcp-shield.v1, bearer.<token>}; the server selects {@value #PROTOCOL}) or in the first message
 * ({@code {"type":"auth","token":"..."}}), never in the URL. A bad token in the header is refused before the upgrade
 * (401); filters come from the query or later {@code filter} messages.
 */
public final class StreamEndpoint implements Router.Upgrade {

    public static final String PATH = "/api/v1/stream";
    public static final String PROTOCOL = "dhcp-shield.v1";
    private static final int MAX_INBOUND_FRAME = 16 * 1024;
    private static final java.time.Duration CLOSE_GRACE = java.time.Duration.ofSeconds(2);

    private final StreamHub hub;
    private final Authenticator authenticator;

    public StreamEndpoint(StreamHub hub, Authenticator authenticator) {
        this.hub = hub;
        this.authenticator = authenticator;
    }

    /** A refused request's body is read and dropped up to this many bytes; beyond, the connection is closed. */
    private static final long REFUSED_BODY = 1 << 20;

    @Override
    public Publisher<Void> handle(HttpServerRequest req, HttpServerResponse res) {
        StreamFilter filter;
        Principal principal = null;
        try {
            if (!req.method().name().equals("GET")) {
                throw ApiError.methodNotAllowed("the stream is a WebSocket: GET with Upgrade: websocket");
            }
            if (!"websocket".equalsIgnoreCase(req.requestHeaders().get(HttpHeaderNames.UPGRADE))) {
                throw new ApiError(426, "upgrade_required", "the stream is a WebSocket (Upgrade: websocket)", null,
                        null);
            }
            filter = StreamFilter.of(new QueryStringDecoder(req.uri()).parameters());
            String token = protocolToken(req.requestHeaders().get(HttpHeaderNames.SEC_WEBSOCKET_PROTOCOL));
            if (token != null) {
                principal = authenticator.authenticate(token);
            }
        } catch (ApiError e) {
            io.dhcpshield.api.http.Response r = Router.error(e);
            res.status(HttpResponseStatus.valueOf(r.status()));
            res.header(HttpHeaderNames.CONTENT_TYPE, "application/json");
            r.headers().forEach(res::header);
            // Read and drop any body first (up to a bound): answering with it unread resets the connection under
            // the answer (found by ApiRequestFuzzTest).
            long[] seen = {0};
            return req.receive().doOnNext(b -> seen[0] += b.readableBytes()).takeWhile(b -> seen[0] <= REFUSED_BODY)
                    .then().onErrorResume(x -> Mono.empty())
                    .then(Mono.defer(() -> {
                        if (seen[0] > REFUSED_BODY) {
                            res.header(HttpHeaderNames.CONNECTION, "close");
                        }
                        return Mono.from(res.sendByteArray(Mono.just(r.body())));
                    }));
        }
        Principal authenticated = principal;
        InetSocketAddress a = req.remoteAddress();
        String remote = a != null && a.getAddress() != null ? a.getAddress().getHostAddress() : "unknown";
        return res.sendWebsocket((in, out) -> session(in, out, remote, filter, authenticated),
                WebsocketServerSpec.builder().protocols(PROTOCOL).maxFramePayloadLength(MAX_INBOUND_FRAME).build());
    }

    private Publisher<Void> session(WebsocketInbound in, WebsocketOutbound out, String remote, StreamFilter filter,
                                    Principal principal) {
        // A close frame cannot reach a peer that stopped reading: the connection is dropped after a short grace.
        StreamClient client = hub.connect(remote, filter, principal,
                (code, reason) -> out.sendClose(code, reason)
                        .timeout(CLOSE_GRACE, Mono.empty())
                        .onErrorResume(e -> Mono.empty())
                        .doFinally(s -> out.withConnection(reactor.netty.Connection::dispose))
                        .subscribe(),
                () -> writable(out));
        Mono<Void> inbound = in.aggregateFrames(MAX_INBOUND_FRAME).receiveFrames()
                .doOnNext(frame -> onFrame(client, frame))
                .then();
        Mono<Void> outbound = out.sendObject(client.outbound()).then();
        return Mono.firstWithSignal(inbound, outbound, in.receiveCloseStatus().then())
                .doFinally(s -> hub.disconnected(client));
    }

    private void onFrame(StreamClient c, WebSocketFrame frame) {
        if (frame instanceof PongWebSocketFrame) {
            hub.pong(c);
            return;
        }
        if (frame instanceof BinaryWebSocketFrame) {
            hub.close(c, StreamHub.CLOSE_BAD_MESSAGE, "binary frames are not part of this protocol");
            return;
        }
        if (!(frame instanceof TextWebSocketFrame text)) {
            return;
        }
        ByteBuf content = text.content();
        byte[] bytes = new byte[content.readableBytes()];
        content.getBytes(content.readerIndex(), bytes);
        ObjectNode msg;
        String type;
        try {
            msg = Json.object(bytes);
            type = Json.string(msg, "type", 16);
        } catch (ApiError e) {
            hub.error(c, "bad_message", e.getMessage());
            return;
        }
        try {
            switch (type) {
                case "auth" -> {
                    Json.onlyFields(msg, "type", "token");
                    Principal p = authenticator.authenticate(Json.string(msg, "token", 8192));
                    Principal before = c.principal;
                    if (before != null && !before.username().equals(p.username())) {
                        throw ApiError.forbidden("a connection keeps its user; open a new one for another");
                    }
                    hub.authenticated(c, p);
                }
                case "filter" -> {
                    if (c.principal == null) {
                        throw ApiError.unauthorized("authenticate first");
                    }
                    hub.filter(c, StreamFilter.of(msg));
                }
                default -> throw ApiError.badRequest("type", "unknown message type '" + type
                        + "'; expected auth or filter");
            }
        } catch (ApiError e) {
            if (e.status() == 401 && c.principal == null) {
                hub.close(c, StreamHub.CLOSE_UNAUTHENTICATED, e.getMessage());
            } else {
                hub.error(c, e.code(), e.getMessage());
            }
        }
    }

    private static boolean writable(WebsocketOutbound out) {
        boolean[] w = {true};
        out.withConnection(c -> w[0] = c.channel().isWritable());
        return w[0];
    }

    /** The token of a {@code bearer.<token>} entry in the offered subprotocols, or null. */
    static String protocolToken(String header) {
        if (header == null) {
            return null;
        }
        for (String p : header.split(",")) {
            String v = p.trim();
            if (v.regionMatches(true, 0, "bearer.", 0, 7)) {
                return v.substring(7);
            }
        }
        return null;
    }

    static String utf8(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }
}
