package io.dhcpshield.api;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.jwk.OctetSequenceKey;
import com.nimbusds.jose.jwk.gen.OctetSequenceKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.UUID;
import java.util.function.Consumer;

/** Tokens an attacker might try, built with the appliance's real key where the attack needs a valid signature. */
final class Forge {

    private final OctetSequenceKey key;
    private final String issuer;
    private final String audience;

    Forge(Path keyFile, String issuer, String audience) throws Exception {
        this.key = OctetSequenceKey.parse(Files.readString(keyFile));
        this.issuer = issuer;
        this.audience = audience;
    }

    /** A token like the server's, changed by {@code header} and {@code claims}, signed with {@code signingKey}. */
    String sign(OctetSequenceKey signingKey, Consumer<JWSHeader.Builder> header,
                Consumer<JWTClaimsSet.Builder> claims) throws Exception {
        JWSHeader.Builder h = new JWSHeader.Builder(JWSAlgorithm.HS256).type(new JOSEObjectType("at+jwt"))
                .keyID(key.getKeyID());
        header.accept(h);
        Instant now = Instant.now();
        JWTClaimsSet.Builder c = new JWTClaimsSet.Builder().issuer(issuer).audience(audience).subject("admin")
                .issueTime(Date.from(now)).notBeforeTime(Date.from(now))
                .expirationTime(Date.from(now.plus(Duration.ofMinutes(5)))).jwtID(UUID.randomUUID().toString())
                .claim("role", "admin").claim("fam", UUID.randomUUID().toString());
        claims.accept(c);
        SignedJWT jwt = new SignedJWT(h.build(), c.build());
        jwt.sign(new MACSigner(signingKey));
        return jwt.serialize();
    }

    String valid(Consumer<JWSHeader.Builder> header, Consumer<JWTClaimsSet.Builder> claims) throws Exception {
        return sign(key, header, claims);
    }

    String otherKey() throws Exception {
        OctetSequenceKey other = new OctetSequenceKeyGenerator(256).keyID(key.getKeyID()).generate();
        return sign(other, h -> { }, c -> { });
    }

    /** {@code alg} set to a spelling of "none", with an empty signature. */
    static String algNone(String spelling, String kid) {
        String header = "{\"alg\":\"" + spelling + "\",\"typ\":\"at+jwt\",\"kid\":\"" + kid + "\"}";
        long now = Instant.now().getEpochSecond();
        String payload = "{\"iss\":\"dhcp-shield\",\"aud\":\"dhcp-shield-api\",\"sub\":\"admin\",\"role\":\"admin\","
                + "\"fam\":\"f\",\"jti\":\"j\",\"iat\":" + now + ",\"nbf\":" + now + ",\"exp\":" + (now + 300) + "}";
        return b64(header) + "." + b64(payload) + ".";
    }

    /** The token's payload with {@code role} raised, the original signature kept. */
    static String tampered(String token, String role) {
        String[] parts = token.split("\\.");
        String payload = new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8)
                .replaceFirst("\"role\":\"[a-z]+\"", "\"role\":\"" + role + "\"");
        return parts[0] + "." + b64(payload) + "." + parts[2];
    }

    static String stripped(String token) {
        String[] parts = token.split("\\.");
        return parts[0] + "." + parts[1] + ".";
    }

    String kid() {
        return key.getKeyID();
    }

    static URI evil() {
        return URI.create("http://attacker.invalid/jwks.json");
    }

    static String b64(String s) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }
}
