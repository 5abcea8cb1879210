package io.dhcpshield.enforcement;

import static org.junit.jupiter.api.Assertions.*;

import io.dhcpshield.enforcement.ruleset.MessageTypeChain;
import io.dhcpshield.enforcement.ruleset.RulesetBuilder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** nft-config/ is generated from the model; this fails when a checked-in file drifts from it. */
class NftConfigInSyncTest {
    static Path dir() {
        return Path.of(System.getProperty("dhcpshield.repo", "..")).resolve("nft-config");
    }

    @Test
    void jsonExportsMatchTheModel() throws Exception {
        for (Map.Entry<String, String> e : NftConfigGenerator.files().entrySet()) {
            Path f = dir().resolve(e.getKey());
            assertTrue(Files.exists(f), f + " missing: run NftConfigGenerator nft-config");
            assertEquals(e.getValue(), Files.readString(f),
                    e.getKey() + " drifted from the model: regenerate with NftConfigGenerator nft-config");
        }
    }

    @Test
    void shellReferenceWarnsAndNamesTheWholeSkeleton() throws Exception {
        String sh = Files.readString(dir().resolve("nft-v2.sh"));
        assertTrue(sh.contains("WARNING: this script starts with `flush ruleset`"));
        assertTrue(sh.contains("\nflush ruleset\n"));
        for (MessageTypeChain t : MessageTypeChain.values()) {
            assertTrue(sh.contains("chain " + t.chainName() + " {"), t.chainName());
            assertTrue(sh.contains("counter " + t.droppedCounter() + " {"), t.droppedCounter());
        }
        for (String c : RulesetBuilder.SYSTEM_COUNTERS) assertTrue(sh.contains("counter " + c + " {"), c);
        assertTrue(sh.contains("queue num 1-4 bypass,fanout") && sh.contains("queue num 1-8 bypass,fanout"));
        assertTrue(Files.exists(dir().resolve("obsoleted/README.md")));
    }
}
