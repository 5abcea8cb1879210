package io.dhcpshield.api.http;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * Raw HTTP/1.1 exchanges for tests: the request line goes out exactly as written (no client-side normalisation),
 * the body (UTF-8) in its own TCP segment as real clients send it, so it may arrive after the server has answered.
 */
public final class RawHttp {

    private RawHttp() {
    }

    /** An answer: status, the header block, the body. */
    public record Raw(int status, String head, String body) {
        public String header(String name) {
            for (String line : head.split("\r\n")) {
                int colon = line.indexOf(':');
                if (colon > 0 && line.substring(0, colon).equalsIgnoreCase(name)) {
                    return line.substring(colon + 1).trim();
                }
            }
            return null;
        }
    }

    /** One request on its own connection ({@code Connection: close}); {@code headers} are extra lines, each ending in CRLF. */
    public static Raw send(int port, String method, String path, String headers, String body) throws IOException {
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout(30_000);
            s.setTcpNoDelay(true);
            byte[] payload = body.getBytes(StandardCharsets.UTF_8);
            OutputStream out = s.getOutputStream();
            out.write((method + " " + path + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n" + headers
                    + (payload.length == 0 ? "" : "Content-Type: application/json\r\n")
                    + "Content-Length: " + payload.length + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            out.write(payload);
            out.flush();
            InputStream in = s.getInputStream();
            String all = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            int split = all.indexOf("\r\n\r\n");
            if (!all.startsWith("HTTP/1.1 ") || split < 0) {
                throw new IOException(method + " " + path + ": not an HTTP answer: " + all);
            }
            String head = all.substring(0, split);
            return new Raw(Integer.parseInt(head.substring(9, 12)), head, all.substring(split + 4));
        }
    }
}
