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
        return locate(PROPERTY, Path.of("shared", "corpus"));
    }

    /** A test data folder: the system property {@code property}, else {@code relative} found walking up from here. */
    static Path locate(String property, Path relative) {
        String configured = System.getProperty(property);
        if (configured != null) {
            return Path.of(configured);
        }
        Path start = Path.of("").toAbsolutePath();
        for (Path dir = start; dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve(relative);
            if (Files.isDirectory(candidate)) {
                return candidate;
            }
        }
        throw new IllegalStateException("No " + relative + " above " + start + "; set -D" + property + "=<dir>");
    }

    static Path file(String relative) {
        return dir().resolve(relative);
    }
}
