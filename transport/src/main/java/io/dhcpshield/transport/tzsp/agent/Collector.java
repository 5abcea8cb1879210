package io.dhcpshield.transport.tzsp.agent;

import io.dhcpshield.transport.tzsp.Tzsp;
import java.net.InetSocketAddress;
import java.util.Objects;

/**
 * Where the agent sends: a host name or address and a UDP port. {@link #toString()} ({@code host:port}, IPv6 in
 * brackets) is its label in the counters.
 */
public record Collector(String host, int port) {

    public Collector {
        Objects.requireNonNull(host, "host");
        if (host.isEmpty()) {
            throw new IllegalArgumentException("collector host must not be empty");
        }
        if (port < 1 || port > 65_535) {
            throw new IllegalArgumentException("collector port must be 1..65535, was " + port);
        }
    }

    /**
     * Parses {@code HOST}, {@code HOST:PORT}, {@code [IPV6]} or {@code [IPV6]:PORT}; the port defaults to
     * {@link Tzsp#DEFAULT_PORT}.
     */
    public static Collector parse(String text) {
        Objects.requireNonNull(text, "text");
        String s = text.trim();
        String host;
        String port = null;
        if (s.startsWith("[")) {
            int close = s.indexOf(']');
            if (close < 0) {
                throw new IllegalArgumentException("collector " + text + ": missing ']'");
            }
            host = s.substring(1, close);
            String rest = s.substring(close + 1);
            if (!rest.isEmpty()) {
                if (!rest.startsWith(":")) {
                    throw new IllegalArgumentException("collector " + text + ": expected ':PORT' after ']'");
                }
                port = rest.substring(1);
            }
        } else {
            int colon = s.indexOf(':');
            if (colon >= 0 && s.indexOf(':', colon + 1) >= 0) {
                throw new IllegalArgumentException("collector " + text + ": write an IPv6 address as [ADDRESS]:PORT");
            }
            host = colon < 0 ? s : s.substring(0, colon);
            port = colon < 0 ? null : s.substring(colon + 1);
        }
        int p = Tzsp.DEFAULT_PORT;
        if (port != null) {
            try {
                p = Integer.parseInt(port);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("collector " + text + ": port is not a number: " + port);
            }
        }
        return new Collector(host, p);
    }

    /** Resolves the host now; an unknown name is an error rather than an address that never answers. */
    public InetSocketAddress resolve() {
        InetSocketAddress address = new InetSocketAddress(host, port);
        if (address.isUnresolved()) {
            throw new IllegalArgumentException("collector " + this + ": cannot resolve " + host);
        }
        return address;
    }

    @Override
    public String toString() {
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
    }
}
