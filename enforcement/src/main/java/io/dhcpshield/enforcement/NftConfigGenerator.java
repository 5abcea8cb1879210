package io.dhcpshield.enforcement;

import io.dhcpshield.enforcement.ruleset.QueueMode;
import io.dhcpshield.enforcement.ruleset.RulesetBuilder;
import io.dhcpshield.enforcement.ruleset.RulesetJson;
import io.dhcpshield.enforcement.ruleset.ThrottlingProfile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Writes the nft-config/ JSON exports from the model (native queue mode, as seed 001 shows them). The test
 * {@code NftConfigInSyncTest} fails when a checked-in file differs from this output. Usage: {@code NftConfigGenerator DIR}.
 */
public final class NftConfigGenerator {
    private NftConfigGenerator() {}

    /** file name → content; {@code nft-v2.json} is the shipped default, i.e. the medium profile. */
    public static Map<String, String> files() {
        Map<String, String> out = new LinkedHashMap<>();
        out.put("nft-v2.json", render(ThrottlingProfile.defaults("nft-v2", 20, 40, 1000)));
        for (String level : new String[] {"low", "medium", "strict"}) {
            out.put("dualstack_" + level + "_throttling.json", render(ThrottlingProfile.dualstack(level)));
        }
        return out;
    }

    static String render(ThrottlingProfile p) {
        return RulesetJson.pretty(RulesetJson.export(RulesetBuilder.build(p, QueueMode.NATIVE_NFT)));
    }

    public static void main(String[] args) throws IOException {
        Path dir = Path.of(args.length > 0 ? args[0] : "nft-config");
        Files.createDirectories(dir);
        for (Map.Entry<String, String> e : files().entrySet()) {
            Files.writeString(dir.resolve(e.getKey()), e.getValue());
            System.out.println("wrote " + dir.resolve(e.getKey()));
        }
    }
}
