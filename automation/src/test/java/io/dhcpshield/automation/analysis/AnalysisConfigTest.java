package io.dhcpshield.automation.analysis;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The config record: defaults, validation, back-off, the key file. */
class AnalysisConfigTest {

    @Test
    void theDefaultsAskNoBackend() {
        AnalysisConfig c = AnalysisConfig.defaults();
        assertFalse(c.backendConfigured());
        assertTrue(c.withBackend("http://127.0.0.1:8000/v1", "m", "").backendConfigured());
        assertFalse(c.withBackend("http://127.0.0.1:8000/v1", "", "").backendConfigured());
        assertEquals("http://h/v1/chat/completions", c.withBackend("http://h/v1/", "m", "").chatCompletionsUrl());
    }

    @Test
    void backoffDoublesUpToItsMaximum() {
        AnalysisConfig c = AnalysisConfig.defaults().withRetries(Duration.ofSeconds(1), 6, Duration.ofSeconds(2),
                Duration.ofSeconds(5));
        assertEquals(Duration.ofSeconds(2), c.backoffBefore(1));
        assertEquals(Duration.ofSeconds(4), c.backoffBefore(2));
        assertEquals(Duration.ofSeconds(5), c.backoffBefore(3));
        assertEquals(Duration.ofSeconds(5), c.backoffBefore(5));
    }

    @Test
    void badValuesAreRefusedWithTheirNames() {
        AnalysisConfig c = AnalysisConfig.defaults();
        assertThrows(IllegalArgumentException.class, () -> c.withBackend("ftp://h", "m", ""));
        assertThrows(IllegalArgumentException.class, () -> c.withBackend("not a url", "m", ""));
        var e = assertThrows(IllegalArgumentException.class, () -> c.withQueue(0, 1));
        assertTrue(e.getMessage().contains("queue_capacity"));
        assertThrows(IllegalArgumentException.class, () -> c.withRetries(Duration.ZERO, 1, Duration.ZERO,
                Duration.ZERO));
        assertThrows(IllegalArgumentException.class, () -> AnalysisConfig.Approval.parse("maybe"));
        assertEquals(AnalysisConfig.Approval.HOLD, AnalysisConfig.Approval.parse(" Hold "));
    }

    @Test
    void theKeyFileIsReadWhenNoKeyIsGiven(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("key");
        Files.writeString(f, "sk-test\n");
        AnalysisConfig c = AnalysisConfig.defaults().withBackend("http://h/v1", "m", "").withApiKeyFile(f);
        assertEquals("sk-test", c.resolveApiKey());
        assertEquals("inline", c.withBackend("http://h/v1", "m", "inline").resolveApiKey());
        var e = assertThrows(IllegalArgumentException.class,
                () -> c.withApiKeyFile(dir.resolve("missing")).resolveApiKey());
        assertTrue(e.getMessage().contains("api_key_file"));
    }
}
