package io.dhcpshield.processor;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** docs/configuration.md is generated from the config model and must not drift from it. */
class ConfigReferenceTest {

    @Test
    void docsConfigurationMdIsWhatTheModelGenerates() throws Exception {
        Path doc = Lab.REPO.resolve("docs/configuration.md");
        String generated = ConfigReference.markdown();
        if (Boolean.getBoolean("regenerate")) {
            Files.writeString(doc, generated);
        }
        assertTrue(generated.contains("| `nfqueue.copy_range` | `4096` |"), generated);
        assertTrue(generated.contains("| `flush_duration_secs` | `60` |"), "one flush default: " + generated);
        assertTrue(generated.contains("| `clickhouse.database` | `dhcp_shield` |"), "one database default");
        assertEquals(generated, Files.exists(doc) ? Files.readString(doc) : "",
                "docs/configuration.md is stale: regenerate with -Dregenerate=true");
    }
}
