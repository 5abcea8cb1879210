package io.dhcpshield.storage;

import org.junit.jupiter.api.Test;

import java.net.ConnectException;
import java.net.http.HttpTimeoutException;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Which failures are an outage, and the words an operator sees for one. */
class UnreachableTest {

    @Test
    void aBareConnectExceptionIsDescribedByTheCauseThatSaysWhy() {
        // java.net.http throws a ConnectException without a message around the socket's own
        ConnectException bare = new ConnectException();
        bare.initCause(new ConnectException("Connection refused"));
        assertEquals(Optional.of("unreachable: Connection refused"), Unreachable.reason(bare));
        ConnectException wordless = new ConnectException();
        wordless.initCause(new java.nio.channels.ClosedChannelException());
        assertEquals(Optional.of("unreachable: could not connect (ConnectException)"), Unreachable.reason(wordless));
        assertEquals(Optional.of("unreachable: request timed out"),
                Unreachable.reason(new RuntimeException(new HttpTimeoutException("request timed out"))));
    }

    @Test
    void aQueryTheServerRefusedIsNotAnOutage() {
        assertEquals(Optional.empty(), Unreachable.reason(new ClickHouseClient.ServerRefused("ClickHouse HTTP 400")));
        assertEquals(Optional.empty(), Unreachable.reason(new IllegalStateException("Syntax error")));
    }
}
