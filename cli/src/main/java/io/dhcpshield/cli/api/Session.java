package io.dhcpshield.cli.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * Where {@code dpictl login} keeps the API address and the tokens: {@code $DPICTL_SESSION}, else
 * {@code ~/.config/dhcp-shield/dpictl-session.json}, readable by its owner only.
 */
record Session(String api, String username, String accessToken, String refreshToken) {

    private static final ObjectMapper JSON = new ObjectMapper();

    static Path file() {
        String env = System.getenv("DPICTL_SESSION");
        if (env != null && !env.isBlank()) {
            return Path.of(env);
        }
        return Path.of(System.getProperty("user.home"), ".config", "dhcp-shield", "dpictl-session.json");
    }

    static Session load() {
        Path f = file();
        if (!Files.isReadable(f)) {
            return null;
        }
        try {
            JsonNode n = JSON.readTree(f.toFile());
            return new Session(n.path("api").asText(null), n.path("username").asText(null),
                    n.path("access_token").asText(null), n.path("refresh_token").asText(null));
        } catch (IOException e) {
            return null;
        }
    }

    void save() throws IOException {
        Path f = file();
        Files.createDirectories(f.toAbsolutePath().getParent());
        ObjectNode n = JSON.createObjectNode().put("api", api).put("username", username)
                .put("access_token", accessToken).put("refresh_token", refreshToken);
        Path tmp = f.resolveSibling(f.getFileName() + ".tmp");
        Files.deleteIfExists(tmp);
        Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.write(tmp, JSON.writeValueAsBytes(n));
        Files.move(tmp, f, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    static void delete() throws IOException {
        Files.deleteIfExists(file());
    }
}
