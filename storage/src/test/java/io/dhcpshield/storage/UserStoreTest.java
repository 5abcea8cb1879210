package io.dhcpshield.storage;

import io.dhcpshield.core.time.Time;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** The API's users in the real private server: versions read with FINAL, tombstones, clocks that lag. */
class UserStoreTest {

    @RegisterExtension
    static final ClickHouseServerExtension server = new ClickHouseServerExtension();

    static final Instant NOW = Instant.parse("2026-11-23T10:00:00Z");
    static ClickHouseClient client;

    @BeforeAll
    static void migrate() throws Exception {
        client = new ClickHouseClient(server.freshDatabase("users_test"));
        Migrations.apply(client).collectList().block(Duration.ofSeconds(60));
    }

    @AfterAll
    static void close() {
        client.close();
    }

    static StoredUser user(String name, String hash, String role, boolean disabled) {
        return new StoredUser(name, hash, role, disabled, null);
    }

    @Test
    void theNewestVersionWinsAndADeletedUserIsGoneUntilPutAgain() {
        UserStore users = new UserStore(client, Time.fixed(NOW));
        users.put(user("alice", "hash-1", "admin", false)).block();
        users.put(user("bob", "hash-b", "viewer", false)).block();
        // The clock stands still: the second version of alice still wins (version = stored max + 1).
        users.put(user("alice", "hash-2", "operator", true)).block();
        assertEquals(new StoredUser("alice", "hash-2", "operator", true, NOW), users.find("alice").block());
        assertEquals(List.of("alice", "bob"), names(users));

        users.delete("alice").block();
        assertNull(users.find("alice").block());
        assertEquals(List.of("bob"), names(users));
        users.delete("nobody").block();   // not an error
        assertNull(users.find("nobody").block());

        users.put(user("alice", "hash-3", "admin", false)).block();
        assertEquals("hash-3", users.find("alice").block().passwordHash());
    }

    @Test
    void aWriterWhoseClockIsBehindStillWritesTheNewestVersion() {
        UserStore ahead = new UserStore(client, Time.fixed(NOW.plus(Duration.ofDays(1))));
        UserStore behind = new UserStore(client, Time.fixed(NOW.minus(Duration.ofDays(1))));
        ahead.put(user("carol", "from-ahead", "admin", false)).block();
        behind.put(user("carol", "from-behind", "viewer", false)).block();
        StoredUser carol = ahead.find("carol").block();
        assertEquals("from-behind", carol.passwordHash());
        assertEquals(NOW.minus(Duration.ofDays(1)), carol.updatedAt());
        behind.delete("carol").block();
        assertNull(ahead.find("carol").block());
    }

    @Test
    void namesWithSqlMetacharactersAreStoredAndFoundExactly() {
        UserStore users = new UserStore(client, Time.fixed(NOW));
        for (String name : BadInput.ATTACKS) {
            users.put(user(name, "h'" + name, "role\\" + name, false)).block();
        }
        for (String name : BadInput.ATTACKS) {
            StoredUser u = users.find(name).block();
            assertEquals(name, u.username(), name);
            assertEquals("h'" + name, u.passwordHash());
            assertEquals("role\\" + name, u.role());
        }
        assertNull(users.find("x").block());
        users.delete(BadInput.NASTY).block();
        assertNull(users.find(BadInput.NASTY).block());
        assertEquals("\\", users.find("\\").block().username());
    }

    @Test
    void badArgumentsAreRefusedNamingTheArgument() {
        UserStore users = new UserStore(client, Time.SYSTEM);
        BadInput.assertRefused("username", () -> users.find(null));
        BadInput.assertRefused("username", () -> users.find(""));
        BadInput.assertRefused("username", () -> users.delete(null));
        BadInput.assertRefused("user", () -> users.put(null));
        BadInput.assertRefused("passwordHash", () -> user("dave", null, "admin", false));
        BadInput.assertRefused("role", () -> user("dave", "h", "", false));
        BadInput.assertRefused("username", () -> user("x".repeat(5000), "h", "admin", false));
        BadInput.assertRefused("time", () -> new UserStore(client, null));
    }

    static List<String> names(UserStore users) {
        return users.list().map(StoredUser::username)
                .filter(n -> !BadInput.ATTACKS.contains(n) && !n.equals("carol")).collectList().block();
    }
}
