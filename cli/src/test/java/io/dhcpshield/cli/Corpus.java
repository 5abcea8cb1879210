package io.dhcpshield.cli;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Locates the shared capture corpus, which lives next to the repository as {@code ../shared/corpus}.
 */
final class Corpus {

    private static final String PROPERTY = "dhcpshield.corpus";

    private Corpus() {
    }

    /** The corpus directory: the {@code dhcpshield.corpus} system property, else found walking up from here. */
    static Path dir() {
        String configured = System.getProperty(PROPERTY);
        if (configured != null) {
            return Path.of(configured);
        }
        Path start = Path.of("").toAbsolutePath();
        for (Path dir = start; dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve("shared").resolve("corpus");
            if (Files.isDirectory(candidate)) {
                return candidate;
            }
        }
        throw new IllegalStateException("No shared/corpus above " + start + "; set -D" + PROPERTY + "=<dir>");
    }

    static Path file(String relative) {
        return dir().resolve(relative);
    }
}
