package io.dhcpshield.storage;

import io.dhcpshield.core.time.Time;
import io.dhcpshield.storage.Revocation.Kind;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Token revocations in the real private server: what is active, and retention once every row of a day expired. */
class TokenRevocationsTest {

    @RegisterExtension
    static final ClickHouseServerExtension server = new ClickHouseServerExtension();

    static final Instant T0 = Instant.parse("2026-11-23T10:00:00.123456Z");

    @Test
    void activeListsEveryKindUntilItExpiresAndRetentionDropsDaysThatAreOver() throws Exception {
        try (ClickHouseClient client = new ClickHouseClient(server.freshDatabase("revocations_test"))) {
            Migrations.apply(client).collectList().block(Duration.ofSeconds(60));
            TokenRevocations revocations = new TokenRevocations(client);
            Instant whole = T0.truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
            Revocation token = new Revocation(Kind.TOKEN, "tok-1", "alice", T0, whole.plus(Duration.ofMinutes(15)),
                    "logout", "alice");
            Revocation family = new Revocation(Kind.FAMILY, "fam-1", "alice", T0.plusSeconds(1),
                    whole.plus(Duration.ofDays(1)), "refresh token reused", "system");
            // An expiry inside a second is kept as the end of that second: a revocation never lapses early.
            Revocation user = new Revocation(Kind.USER, null, BadInput.NASTY, T0.plusSeconds(2),
                    T0.plus(Duration.ofDays(30)), "password changed: it's \\ new", "admin'bob");
            for (Revocation r : List.of(token, family, user)) {
                revocations.add(r).block();
            }
            Revocation userAsStored = new Revocation(Kind.USER, "", user.username(), user.revokedAt(),
                    whole.plus(Duration.ofDays(30)).plusSeconds(1), user.reason(), user.actor());
            assertEquals(List.of(token, family, userAsStored), revocations.active(T0).collectList().block());
            assertEquals(List.of(family, userAsStored),
                    revocations.active(whole.plus(Duration.ofMinutes(15))).collectList().block());
            assertEquals(List.of(userAsStored), revocations.active(T0.plus(Duration.ofDays(2))).collectList().block());
            assertEquals(List.of(userAsStored), revocations.active(T0.plus(Duration.ofDays(30))).collectList().block());
            assertEquals(List.of(), revocations.active(userAsStored.expiresAt()).collectList().block());

            // Two days later the days holding the token's and the family's expiry are over: their partitions go,
            // whatever the configured days; the user revocation's stays.
            Instant later = T0.plus(Duration.ofDays(2));
            OperationalConfig cfg = new OperationalConfig(client, Map.of(), Set.of("retention"),
                    Time.fixed(later));
            List<Retention.Partition> dropped = new Retention(client, cfg, Time.fixed(later))
                    .runOnce().collectList().block(Duration.ofSeconds(30));
            assertEquals(List.of(new Retention.Partition("token_revocations", 20261123),
                    new Retention.Partition("token_revocations", 20261124)), dropped);
            assertEquals(1, SchemaTest.countIn(client, "SELECT count() FROM token_revocations"));
            assertEquals(List.of(userAsStored), revocations.active(later).collectList().block());
        }
    }

    @Test
    void badArgumentsAreRefusedNamingTheArgument() throws Exception {
        try (ClickHouseClient client = new ClickHouseClient(server.freshDatabase("revocations_args"))) {
            TokenRevocations revocations = new TokenRevocations(client);
            Instant exp = T0.plusSeconds(60);
            BadInput.assertRefused("revocation", () -> revocations.add(null));
            BadInput.assertRefused("now", () -> revocations.active(null));
            BadInput.assertRefused("kind", () -> new Revocation(null, "t", "a", T0, exp, "", "a"));
            BadInput.assertRefused("id", () -> new Revocation(Kind.TOKEN, "", "a", T0, exp, "", "a"));
            BadInput.assertRefused("username", () -> new Revocation(Kind.USER, "", null, T0, exp, "", "a"));
            BadInput.assertRefused("expiresAt", () -> new Revocation(Kind.TOKEN, "t", "a", T0, T0, "", "a"));
            BadInput.assertRefused("expiresAt",
                    () -> new Revocation(Kind.TOKEN, "t", "a", T0, Instant.parse("2200-01-01T00:00:00Z"), "", "a"));
            BadInput.assertRefused("actor", () -> new Revocation(Kind.TOKEN, "t", "a", T0, exp, "", null));
        }
    }
}
