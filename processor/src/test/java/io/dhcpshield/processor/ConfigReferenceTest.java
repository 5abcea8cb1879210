package io.dhcpshield.processor;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dhcpshield.storage.OperationalKeys;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** docs/configuration.md and the packaged config.yaml are generated from the config model and must not drift from it. */
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

    @Test
    void packagedConfigYamlIsWhatTheModelGenerates() throws Exception {
        Path file = Lab.REPO.resolve(ConfigReference.PACKAGED_YAML);
        String generated = ConfigReference.yaml();
        if (Boolean.getBoolean("regenerate")) {
            Files.writeString(file, generated);
        }
        assertTrue(generated.contains("\n#nfqueue:\n  # queues 1..queue_count are bound"), generated);
        assertTrue(generated.contains("\n  #queue_count: 8\n"), generated);
        assertTrue(generated.contains("\n#clickhouse:\n"), generated);
        assertTrue(generated.contains("\n    #hold_seconds: 120\n"), "operational.alarms.hold_seconds nested");
        assertEquals(generated, Files.exists(file) ? Files.readString(file) : "",
                ConfigReference.PACKAGED_YAML + " is stale: regenerate with -Dregenerate=true");
    }

    @Test
    void packagedConfigYamlAsShippedIsTheCompiledDefaults() {
        assertEquals(ProcessorConfig.defaults(), ConfigLoader.parse(ConfigReference.yaml(), "config.yaml"));
    }

    @Test
    void everyKeyUncommentedAtItsShownValueIsStillTheDefaults() {
        // "#key: value" lines are keys, "# text" lines are meanings: uncommenting every key must change nothing.
        String all = ConfigReference.yaml().replaceAll("(?m)^(\\s*)#(?=[a-z_0-9]+:)", "$1");
        ProcessorConfig parsed = ConfigLoader.parse(all, "uncommented config.yaml");
        Map<String, String> expected = new TreeMap<>();
        for (OperationalKeys.Key<?> k : OperationalKeys.all()) {
            expected.put(k.name(), k.format(k.defaultValue()));
        }
        assertEquals(expected, parsed.operationalValues(), "every operational key shown at its default");
        // Everything else: the same tree as the defaults (compared as JSON so a new key needs no change here).
        ObjectMapper json = new ObjectMapper();
        ObjectNode got = json.valueToTree(parsed);
        ObjectNode want = json.valueToTree(ProcessorConfig.defaults());
        got.remove("operational");
        want.remove("operational");
        assertEquals(want, got);
    }
}
