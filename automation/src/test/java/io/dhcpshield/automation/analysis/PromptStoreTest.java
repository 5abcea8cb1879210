package io.dhcpshield.automation.analysis;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Prompt texts: validation of placeholders, rendering once. */
class PromptStoreTest {

    @Test
    void theDefaultPromptIsValid() {
        PromptStore.validate(PromptStore.DEFAULT_PROMPT);
    }

    @Test
    void unknownPlaceholdersAndAMissingSummaryAreRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> PromptStore.validate("{{summary}} {{hostname}}"));
        assertTrue(e.getMessage().contains("{{hostname}}"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> PromptStore.validate("judge {{mac}}"));
        assertThrows(IllegalArgumentException.class, () -> PromptStore.validate(" "));
        assertThrows(IllegalArgumentException.class,
                () -> PromptStore.validate("{{summary}}" + "x".repeat(PromptStore.MAX_PROMPT)));
    }

    @Test
    void valuesAreReplacedOnceAndNeverExpanded() {
        String out = PromptStore.render("{{ mac }} did {{summary}}; {{unknown}}",
                Map.of("mac", "02:00:00:00:00:01", "summary", "{{mac}} $1 \\"));
        assertEquals("02:00:00:00:00:01 did {{mac}} $1 \\; {{unknown}}", out);
    }
}
