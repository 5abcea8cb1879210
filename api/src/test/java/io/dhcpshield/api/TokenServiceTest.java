package io.dhcpshield.api;

import com.nimbusds.jose.jwk.OctetSequenceKey;
import com.nimbusds.jose.jwk.gen.OctetSequenceKeyGenerator;
import io.dhcpshield.api.auth.Revocations;
import io.dhcpshield.api.auth.SigningKey;
import io.dhcpshield.api.auth.TokenService;
import io.dhcpshield.api.http.ApiError;
import io.dhcpshield.api.http.Principal;
import io.dhcpshield.api.http.Role;
import io.dhcpshield.core.time.Time;
import org.junit.jupiter.api.Test;
import reactor.test.scheduler.VirtualTimeScheduler;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Token lifetimes and revocation on a virtual clock, and the signing key file's rules. */
class TokenServiceTest {

    private final VirtualTimeScheduler clock = VirtualTimeScheduler.create();
    private final Time time = Time.of(clock, Instant.parse("2026-12-04T10:00:00Z"));

    private TokenService service(Revocations r) throws Exception {
        OctetSequenceKey key = new OctetSequenceKeyGenerator(256).keyID("k1").generate();
        return new TokenService(key, "dhcp-shield", "dhcp-shield-api", Duration.ofMinutes(15), Duration.ofDays(7), r,
                time);
    }

    @Test
    void anAccessTokenLivesItsLifetimeAndNotAMomentPastTheSkew() throws Exception {
        TokenService s = service(new Revocations());
        TokenService.Tokens t = s.issue("alice", Role.OPERATOR, null);
        Principal p = s.authenticate(t.accessToken());
        assertEquals("alice", p.username());
        assertEquals(Role.OPERATOR, p.role());
        clock.advanceTimeBy(Duration.ofMinutes(15));
        s.authenticate(t.accessToken()); // within the 30 s clock skew allowance
        clock.advanceTimeBy(Duration.ofSeconds(31));
        ApiError e = assertThrows(ApiError.class, () -> s.authenticate(t.accessToken()));
        assertEquals(401, e.status());
        assertEquals("token expired", e.getMessage());
    }

    @Test
    void aRotatedRefreshTokenComingBackRevokesItsFamily() throws Exception {
        Revocations r = new Revocations();
        TokenService s = service(r);
        TokenService.Tokens t = s.issue("bob", Role.VIEWER, null);
        TokenService.Refresh first = s.verifyRefresh(t.refreshToken());
        assertTrue(s.rotate(first));
        TokenService.Tokens next = s.issue("bob", Role.VIEWER, first.family());
        assertTrue(s.stillValid(s.authenticate(next.accessToken())));
        assertFalse(s.rotate(s.verifyRefresh(t.refreshToken())), "second use");
        assertThrows(ApiError.class, () -> s.authenticate(next.accessToken()), "the family is revoked");
    }

    @Test
    void aUserRevocationRefusesTokensIssuedBeforeItOnly() throws Exception {
        Revocations r = new Revocations();
        TokenService s = service(r);
        TokenService.Tokens before = s.issue("carol", Role.ADMIN, null);
        clock.advanceTimeBy(Duration.ofSeconds(5));
        r.revokeUser("carol", time.now(), time.now().plus(Duration.ofDays(7)));
        clock.advanceTimeBy(Duration.ofSeconds(5));
        TokenService.Tokens after = s.issue("carol", Role.ADMIN, null);
        assertThrows(ApiError.class, () -> s.authenticate(before.accessToken()));
        assertEquals("carol", s.authenticate(after.accessToken()).username());
    }

    @Test
    void theSigningKeyIsGeneratedOwnerOnlyAndALooserFileIsRefused() throws Exception {
        Path dir = Files.createTempDirectory("keys");
        Path file = dir.resolve("state/jwt.json");
        OctetSequenceKey k = SigningKey.loadOrCreate(file);
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        assertEquals(k.getKeyID(), SigningKey.loadOrCreate(file).getKeyID(), "loaded, not regenerated");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
        java.io.IOException e = assertThrows(java.io.IOException.class, () -> SigningKey.loadOrCreate(file));
        assertTrue(e.getMessage().contains("chmod 600"), e.getMessage());
    }
}
