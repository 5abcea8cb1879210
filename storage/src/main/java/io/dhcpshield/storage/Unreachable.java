package io.dhcpshield.storage;

import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.net.http.HttpTimeoutException;
import java.nio.channels.ClosedChannelException;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.TimeoutException;

/**
 * Whether a failure means ClickHouse cannot be reached now (down, restarting, unroutable, too slow) rather than a
 * query it refused: the first is a dependency's outage, which callers report as "not ready" with this reason (the
 * API's 503), the second is an error of ours. Both clients are covered: our HTTP client's IOExceptions and the
 * R2DBC driver's wrapped ones (which carry the cause or only its message).
 */
public final class Unreachable {

    private Unreachable() {
    }

    /** The reason to show ("unreachable: Connection refused"), when {@code e} is such a failure. */
    public static Optional<String> reason(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof ClickHouseClient.ServerRefused) {
                return Optional.empty();
            }
            if (t instanceof ConnectException || t instanceof NoRouteToHostException
                    || t instanceof UnknownHostException || t instanceof SocketTimeoutException
                    || t instanceof HttpTimeoutException || t instanceof ClosedChannelException
                    || t instanceof TimeoutException || t instanceof InterruptedIOException) {
                return Optional.of(describe(t));
            }
            String m = t.getMessage() == null ? "" : t.getMessage().toLowerCase(Locale.ROOT);
            if (m.contains("connection refused") || m.contains("connect timed out") || m.contains("read timed out")
                    || m.contains("connection reset") || m.contains("no route to host")
                    || (m.startsWith("connect to ") && m.contains("failed"))) {
                return Optional.of(describe(t));
            }
        }
        return Optional.empty();
    }

    /**
     * The failure's own words, or its first cause's; java.net.http's refused connection has none anywhere (a bare
     * ConnectException over a bare ClosedChannelException), so it is said in ours.
     */
    private static String describe(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
            String m = c.getMessage();
            if (m != null && !m.isBlank()) {
                return "unreachable: " + m;
            }
        }
        return "unreachable: " + (t instanceof ConnectException ? "could not connect (ConnectException)"
                : t.getClass().getSimpleName());
    }
}
