package io.dhcpshield.processor;

import com.code_intelligence.jazzer.junit.FuzzTest;

import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Coverage-guided fuzzing of config.yaml loading (docs/fuzzing.md): any text either loads, or fails with a
 * {@link ConfigLoader.ConfigException} that names the file and the key (or, for broken YAML, where it broke). No
 * other exception may escape: the daemon must refuse a bad file with a message, not a stack trace.
 */
class ConfigLoaderFuzzTest {

    private static final String SOURCE = "config.yaml";
    /**
     * What follows "config.yaml: ": a key named in quotes, a located YAML error, or the validation's "key: problem"
     * items, which start with a key of the model (operational keys are the operator's own, any text). A key in
     * quotes may hold quotes itself.
     */
    private static final Pattern NAMES_A_KEY = Pattern.compile(
            "(unknown key '[\\s\\S]+'|bad value for '[\\s\\S]+'|not valid YAML at line \\d+, column \\d+)[\\s\\S]*"
                    + "|(nfqueue\\.|counters_log_interval_secs|events\\.|batch_size|flush_duration_secs|clickhouse\\."
                    + "|vector\\.|enforcement\\.|operational\\.|rules\\.rules\\[|api[.:]|automation[.:])[\\s\\S]*");

    @FuzzTest
    void loadsOrNamesTheBadKey(byte[] input) {
        String yaml = new String(input, StandardCharsets.UTF_8);
        try {
            ProcessorConfig config = ConfigLoader.parse(yaml, SOURCE);
            assertNotNull(config);
            assertNotNull(ConfigLoader.rules(config), "a loaded config's rules build");
        } catch (ConfigLoader.ConfigException e) {
            String m = e.getMessage();
            assertTrue(m.startsWith(SOURCE + ": "), () -> "names the file: " + m);
            String rest = m.substring(SOURCE.length() + 2);
            assertTrue(NAMES_A_KEY.matcher(rest).matches(), () -> "names the key: " + m);
        }
    }
}
