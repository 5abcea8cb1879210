package io.dhcpshield.storage;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The client tells its listener about every request that finds a real ClickHouse unreachable (the daemon's readiness
 * follows it at once), and about nothing else: a query the server refuses is an error of ours, not an outage.
 */
class ClickHouseClientOutageTest {

    @RegisterExtension
    static final ClickHouseServerExtension server = new ClickHouseServerExtension();

    @Test
    void requestsThatFindTheServerDownAreToldToTheListenerAndRefusedQueriesAreNot() throws Exception {
        List<String> heard = new CopyOnWriteArrayList<>();
        try (ClickHouseClient client = new ClickHouseClient(server.freshDatabase("outage_test"))) {
            client.onUnreachable(heard::add);
            assertEquals("1", client.post("SELECT 1", null).trim());
            assertThrows(ClickHouseClient.ServerRefused.class, () -> client.post("SELECT no_such_column", null));
            assertThrows(Throwable.class, () -> client.query("SELECT no_such_column", (r, m) -> r.get(0))
                    .blockLast(Duration.ofSeconds(30)));
            assertEquals(List.of(), heard, "the server answered every one of them");

            server.stop();
            try {
                assertThrows(IOException.class, () -> client.post("SELECT 1", null), "the caller keeps its error");
                assertEquals(1, heard.size(), heard::toString);
                assertTrue(heard.get(0).startsWith("unreachable: "), heard::toString);
                assertThrows(Throwable.class, () -> client.query("SELECT 1", (r, m) -> r.get(0))
                        .blockLast(Duration.ofSeconds(30)));
                assertEquals(2, heard.size(), "the R2DBC read is heard too: " + heard);
            } finally {
                server.start();
            }
        }
    }
}
