package io.dhcpshield.api.auth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.MACVerifier;
import com.nimbusds.jose.jwk.OctetSequenceKey;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.dhcpshield.api.http.ApiError;
import io.dhcpshield.api.http.Authenticator;
import io.dhcpshield.api.http.Principal;
import io.dhcpshield.api.http.Role;
import io.dhcpshield.core.metrics.MetricWriter;
import io.dhcpshield.core.time.Time;

import java.text.ParseException;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Issues and verifies the API's tokens (Nimbus JOSE+JWT). Access and refresh tokens are HS256 JWTs told apart by
 * their {@code typ} header ({@value #ACCESS_TYPE}, {@value #REFRESH_TYPE}), so one is never accepted as the other.
 * Verification is strict and ordered cheapest first: length, three parts, header (algorithm pinned to HS256, our
 * {@code kid}, no {@code jku}/{@code jwk}/{@code x5u}/{@code x5c}/{@code crit}), signature, then issuer, audience,
 * time claims, subject and role, then revocation. Every refusal is a 401 whose reason is counted; the message
 * never says more than "invalid token" plus the claim at fault.
 */
public final class TokenService implements Authenticator {

    public static final String ACCESS_TYPE = "at+jwt";
    public static final String REFRESH_TYPE = "refresh+jwt";
    /** Longest token accepted before any parsing. */
    public static final int MAX_TOKEN_LENGTH = 4096;
    private static final Duration SKEW = Duration.ofSeconds(30);
    /** Our tokens are flat objects; anything nested deeper is refused before a JSON parser sees it. */
    private static final int MAX_JSON_DEPTH = 4;

    /** A freshly issued pair. */
    public record Tokens(String accessToken, String refreshToken, long expiresIn, String family,
                         Instant refreshExpiresAt) {
    }

    /** A verified refresh token. */
    public record Refresh(String username, Role role, String tokenId, String family, Instant issuedAt,
                          Instant expiresAt) {
    }

    private final OctetSequenceKey key;
    private final MACSigner signer;
    private final MACVerifier verifier;
    private final String issuer;
    private final String audience;
    private final Duration accessTtl;
    private final Duration refreshTtl;
    private final Revocations revocations;
    private final Time time;
    private final LongAdder issued = new LongAdder();
    private final Map<String, LongAdder> refused = new ConcurrentHashMap<>();

    public TokenService(OctetSequenceKey key, String issuer, String audience, Duration accessTtl,
                        Duration refreshTtl, Revocations revocations, Time time) {
        this.key = Objects.requireNonNull(key, "key");
        this.issuer = Objects.requireNonNull(issuer, "issuer");
        this.audience = Objects.requireNonNull(audience, "audience");
        this.accessTtl = accessTtl;
        this.refreshTtl = refreshTtl;
        this.revocations = revocations;
        this.time = time;
        try {
            this.signer = new MACSigner(key);
            this.verifier = new MACVerifier(key);
        } catch (JOSEException e) {
            throw new IllegalArgumentException("unusable signing key: " + e.getMessage(), e);
        }
    }

    public Duration accessTtl() {
        return accessTtl;
    }

    public Duration refreshTtl() {
        return refreshTtl;
    }

    /** A new access + refresh pair for {@code username}; {@code family} null starts a new refresh family. */
    public Tokens issue(String username, Role role, String family) {
        Instant now = time.now();
        String fam = family != null ? family : UUID.randomUUID().toString();
        String access = sign(ACCESS_TYPE, username, role, fam, now, now.plus(accessTtl));
        Instant refreshExpires = now.plus(refreshTtl);
        String refresh = sign(REFRESH_TYPE, username, role, fam, now, refreshExpires);
        issued.increment();
        return new Tokens(access, refresh, accessTtl.toSeconds(), fam, refreshExpires);
    }

    private String sign(String type, String username, Role role, String family, Instant now, Instant expires) {
        JWSHeader header = new JWSHeader.Builder(JWSAlgorithm.HS256).type(new JOSEObjectType(type))
                .keyID(key.getKeyID()).build();
        JWTClaimsSet claims = new JWTClaimsSet.Builder()
                .issuer(issuer).audience(audience).subject(username)
                .issueTime(Date.from(now)).notBeforeTime(Date.from(now)).expirationTime(Date.from(expires))
                .jwtID(UUID.randomUUID().toString())
                .claim("role", role.label()).claim("fam", family)
                // iat has whole seconds; a user revocation needs to tell tokens of the same second apart.
                .claim("iat_ms", now.toEpochMilli())
                .build();
        SignedJWT jwt = new SignedJWT(header, claims);
        try {
            jwt.sign(signer);
        } catch (JOSEException e) {
            throw new IllegalStateException("signing failed", e);
        }
        return jwt.serialize();
    }

    @Override
    public Principal authenticate(String accessToken) {
        Verified v = verify(accessToken, ACCESS_TYPE);
        return new Principal(v.subject, v.role, v.id, v.family, v.issued, v.expires);
    }

    /**
     * True while a principal verified earlier is still good: not expired, not revoked since (a long-lived stream
     * checks this periodically).
     */
    public boolean stillValid(Principal p) {
        Instant now = time.now();
        return p.expiresAt().isAfter(now.minus(SKEW)) && revocations.token(p.tokenId()) == null
                && !revocations.family(p.family()) && !revocations.user(p.username(), p.issuedAt());
    }

    /** Verifies a refresh token (not yet its single use: {@link #rotate} does that). */
    public Refresh verifyRefresh(String refreshToken) {
        Verified v = verify(refreshToken, REFRESH_TYPE);
        return new Refresh(v.subject, v.role, v.id, v.family, v.issued, v.expires);
    }

    /**
     * Burns {@code r} (single use) and returns true; false when it was already used: a rotated refresh token came
     * back, so its family is revoked (the caller answers 401 and the legitimate holder must log in again).
     */
    public boolean rotate(Refresh r) {
        Revocations.Reason before = revocations.revokeToken(r.tokenId(), Revocations.Reason.ROTATED, r.expiresAt());
        if (before == null) {
            return true;
        }
        revocations.revokeFamily(r.family(), Revocations.Reason.REUSE, time.now().plus(refreshTtl));
        refuse("refresh_reuse");
        return false;
    }

    private record Verified(String subject, Role role, String id, String family, Instant issued, Instant expires) {
    }

    private Verified verify(String token, String type) {
        if (token == null || token.isEmpty()) {
            throw refuse("missing", "missing token");
        }
        if (token.length() > MAX_TOKEN_LENGTH) {
            throw refuse("too_long", "invalid token (longer than " + MAX_TOKEN_LENGTH + " characters)");
        }
        if (token.chars().filter(c -> c == '.').count() != 2) {
            throw refuse("malformed", "invalid token (not a signed JWT)");
        }
        String[] parts = token.split("\\.", -1);
        for (int i = 0; i < 2; i++) {
            byte[] json;
            try {
                json = java.util.Base64.getUrlDecoder().decode(parts[i]);
            } catch (IllegalArgumentException e) {
                throw refuse("malformed", "invalid token (not a signed JWT)");
            }
            if (depth(json) > MAX_JSON_DEPTH) {
                throw refuse("malformed", "invalid token (nesting)");
            }
        }
        SignedJWT jwt;
        try {
            jwt = SignedJWT.parse(token);
        } catch (ParseException | RuntimeException e) {
            throw refuse("malformed", "invalid token (not a signed JWT)");
        }
        JWSHeader h = jwt.getHeader();
        if (!JWSAlgorithm.HS256.equals(h.getAlgorithm()) || !"HS256".equals(h.getAlgorithm().getName())) {
            throw refuse("algorithm", "invalid token (algorithm)");
        }
        if (h.getJWKURL() != null || h.getJWK() != null || h.getX509CertURL() != null || h.getX509CertChain() != null
                || h.getCriticalParams() != null && !h.getCriticalParams().isEmpty()) {
            throw refuse("header", "invalid token (header)");
        }
        if (!key.getKeyID().equals(h.getKeyID())) {
            throw refuse("kid", "invalid token (key id)");
        }
        if (h.getType() == null || !type.equals(h.getType().getType())) {
            throw refuse("type", "invalid token (type: an " + (type.equals(ACCESS_TYPE) ? "access" : "refresh")
                    + " token is required)");
        }
        try {
            if (!jwt.verify(verifier)) {
                throw refuse("signature", "invalid token (signature)");
            }
        } catch (JOSEException e) {
            throw refuse("signature", "invalid token (signature)");
        }
        JWTClaimsSet c;
        try {
            c = jwt.getJWTClaimsSet();
        } catch (ParseException e) {
            throw refuse("malformed", "invalid token (claims)");
        }
        if (!issuer.equals(c.getIssuer())) {
            throw refuse("issuer", "invalid token (issuer)");
        }
        List<String> aud = c.getAudience();
        if (aud == null || aud.size() != 1 || !audience.equals(aud.get(0))) {
            throw refuse("audience", "invalid token (audience)");
        }
        Instant now = time.now();
        Date exp = c.getExpirationTime();
        Date nbf = c.getNotBeforeTime();
        Date iat = c.getIssueTime();
        if (exp == null || iat == null || nbf == null) {
            throw refuse("claims", "invalid token (time claims)");
        }
        if (!exp.toInstant().isAfter(now.minus(SKEW))) {
            throw refuse("expired", "token expired");
        }
        if (nbf.toInstant().isAfter(now.plus(SKEW)) || iat.toInstant().isAfter(now.plus(SKEW))) {
            throw refuse("not_yet_valid", "token not yet valid");
        }
        if (Duration.between(iat.toInstant(), exp.toInstant()).compareTo(
                type.equals(ACCESS_TYPE) ? accessTtl.plus(SKEW) : refreshTtl.plus(SKEW)) > 0) {
            throw refuse("lifetime", "invalid token (lifetime)");
        }
        String sub = c.getSubject();
        String id = c.getJWTID();
        Object roleClaim = c.getClaim("role");
        Object famClaim = c.getClaim("fam");
        if (sub == null || sub.isEmpty() || sub.length() > 64 || id == null || id.length() > 64
                || !(roleClaim instanceof String role) || !(famClaim instanceof String family)
                || family.length() > 64) {
            throw refuse("claims", "invalid token (claims)");
        }
        Role r;
        try {
            r = Role.parse(role);
        } catch (IllegalArgumentException e) {
            throw refuse("claims", "invalid token (role)");
        }
        Revocations.Reason tokenRevoked = revocations.token(id);
        if (tokenRevoked != null && !(type.equals(REFRESH_TYPE) && tokenRevoked == Revocations.Reason.ROTATED)) {
            throw refuse("revoked", "token revoked");
        }
        Instant issued = iat.toInstant();
        if (c.getClaim("iat_ms") instanceof Number ms) {
            Instant precise = Instant.ofEpochMilli(ms.longValue());
            if (Duration.between(issued, precise).abs().compareTo(Duration.ofSeconds(1)) > 0) {
                throw refuse("claims", "invalid token (issue time)");
            }
            issued = precise;
        }
        if (revocations.family(family) || revocations.user(sub, issued)) {
            throw refuse("revoked", "token revoked");
        }
        return new Verified(sub, r, id, family, issued, exp.toInstant());
    }

    /** The deepest nesting of objects and arrays in a JSON text (strings skipped). */
    static int depth(byte[] json) {
        int depth = 0;
        int max = 0;
        boolean inString = false;
        for (int i = 0; i < json.length; i++) {
            byte b = json[i];
            if (inString) {
                if (b == '\\') {
                    i++;
                } else if (b == '"') {
                    inString = false;
                }
            } else if (b == '"') {
                inString = true;
            } else if (b == '{' || b == '[') {
                max = Math.max(max, ++depth);
            } else if (b == '}' || b == ']') {
                depth--;
            }
        }
        return max;
    }

    private ApiError refuse(String reason, String message) {
        refuse(reason);
        return ApiError.unauthorized(message);
    }

    private void refuse(String reason) {
        refused.computeIfAbsent(reason, k -> new LongAdder()).increment();
    }

    public void metrics(MetricWriter out) {
        out.counter("auth_tokens_issued", "access/refresh pairs issued", issued.sum());
        refused.forEach((reason, n) -> out.counter("auth_tokens_refused", "tokens refused, by reason", n.sum(),
                "reason", reason));
        out.gauge("auth_revocations", "revocation entries held", revocations.size());
    }
}
