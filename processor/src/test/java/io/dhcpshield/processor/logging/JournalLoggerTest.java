package io.dhcpshield.processor.logging;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.event.Level;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

class JournalLoggerTest {

    @AfterEach
    void defaults() {
        LogLevels.configure("info", Map.of());
    }

    @Test
    void anExceptionWithCausesAndANewlineIsOneLine() {
        JournalLogger log = new JournalLogger("io.dhcpshield.processor.Test");
        String line = log.format(Level.WARN, "main", "first\nsecond", new IllegalStateException("outer\nline",
                new java.io.IOException("inner")));
        assertEquals(1, line.lines().count(), line);
        assertTrue(line.contains("first\\nsecond | java.lang.IllegalStateException: outer\\nline | caused by: "
                + "java.io.IOException: inner"), line);
        assertFalse(line.contains(" | at "), "frames only at debug: " + line);
        LogLevels.configure("debug", Map.of());
        String debug = log.format(Level.ERROR, "main", "m", new RuntimeException("x"));
        assertEquals(1, debug.lines().count());
        assertTrue(debug.contains(" | at io.dhcpshield.processor.logging.JournalLoggerTest."), debug);
    }

    @Test
    void journaldPrioritiesFollowSyslog() {
        assertEquals(3, JournalLogger.priority(Level.ERROR));
        assertEquals(4, JournalLogger.priority(Level.WARN));
        assertEquals(6, JournalLogger.priority(Level.INFO));
        assertEquals(7, JournalLogger.priority(Level.DEBUG));
        assertEquals(7, JournalLogger.priority(Level.TRACE));
    }

    @Test
    void theLongestPrefixDecidesALoggersLevel() {
        LogLevels.configure("warn", Map.of("io.netty", "error", "io.dhcpshield", "info",
                "io.dhcpshield.storage", "debug"));
        JournalLogger storage = new JournalLogger("io.dhcpshield.storage.ClickHouseStorage");
        assertTrue(storage.isDebugEnabled());
        assertFalse(storage.isTraceEnabled());
        assertFalse(new JournalLogger("io.dhcpshield.processor.X").isDebugEnabled());
        assertTrue(new JournalLogger("io.dhcpshield.processor.X").isInfoEnabled());
        assertFalse(new JournalLogger("io.netty.channel.X").isWarnEnabled());
        assertFalse(new JournalLogger("io.nettyx.Y").isInfoEnabled(), "a prefix is a whole package name");
        assertTrue(new JournalLogger("io.nettyx.Y").isWarnEnabled());
        assertThrows(IllegalArgumentException.class, () -> LogLevels.parse("verbose"));
    }

    @Test
    void aRegisteredSecretIsMaskedWherever(){
        LogSecrets.register("hunter2-secret");
        LogSecrets.register("abc");
        assertEquals("url http://u:****@h/ and ****", LogSecrets.mask("url http://u:hunter2-secret@h/ and "
                + "hunter2-secret"));
        assertEquals("abc stays: too short to be told from words", LogSecrets.mask(
                "abc stays: too short to be told from words"));
    }
}
