package io.dhcpshield.api.auth;

import com.nimbusds.jose.jwk.OctetSequenceKey;
import com.nimbusds.jose.jwk.gen.OctetSequenceKeyGenerator;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.text.ParseException;
import java.util.Set;
import java.util.UUID;

/**
 * The key that signs every token: a 256-bit HMAC key (HS256, the only algorithm accepted) kept as a JWK in a file
 * readable by its owner only. Generated at first start when the file is missing; a file with looser permissions, or
 * that is not a 256-bit-or-longer octet key, is refused.
 */
public final class SigningKey {

    private SigningKey() {
    }

    /** Loads the key from {@code file}, creating it (0600, parent 0700) first when it does not exist. */
    public static OctetSequenceKey loadOrCreate(Path file) throws IOException {
        if (!Files.exists(file)) {
            Path dir = file.toAbsolutePath().getParent();
            if (dir != null && !Files.exists(dir)) {
                Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(
                        PosixFilePermissions.fromString("rwx------")));
            }
            OctetSequenceKey key;
            try {
                key = new OctetSequenceKeyGenerator(256).keyID(UUID.randomUUID().toString()).generate();
            } catch (com.nimbusds.jose.JOSEException e) {
                throw new IOException("cannot generate a signing key", e);
            }
            Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
            Files.deleteIfExists(tmp);
            Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(tmp, key.toJSONString(), StandardCharsets.UTF_8, StandardOpenOption.TRUNCATE_EXISTING);
            Files.move(tmp, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            return key;
        }
        Set<PosixFilePermission> perms = Files.getPosixFilePermissions(file);
        if (perms.stream().anyMatch(p -> p != PosixFilePermission.OWNER_READ && p != PosixFilePermission.OWNER_WRITE)) {
            throw new IOException(file + ": the signing key must be readable by its owner only (chmod 600), is "
                    + PosixFilePermissions.toString(perms));
        }
        try {
            OctetSequenceKey key = OctetSequenceKey.parse(Files.readString(file, StandardCharsets.UTF_8));
            if (key.size() < 256) {
                throw new IOException(file + ": the signing key has " + key.size() + " bits; 256 or more needed");
            }
            if (key.getKeyID() == null) {
                throw new IOException(file + ": the signing key has no kid");
            }
            return key;
        } catch (ParseException e) {
            throw new IOException(file + ": not an octet-sequence JWK: " + e.getMessage(), e);
        }
    }
}
