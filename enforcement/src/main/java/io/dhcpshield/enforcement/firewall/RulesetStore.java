package io.dhcpshield.enforcement.firewall;

import java.util.List;
import java.util.Optional;

/**
 * Where the Firewall Manager keeps rulesets and applies (ClickHouse {@code firewall_rulesets} and
 * {@code firewall_applies} in the daemon: {@code io.dhcpshield.storage.ClickHouseRulesetStore}). Nothing is ever
 * deleted: a state change is a newer row of the same version.
 */
public interface RulesetStore {

    /** Every version of every ruleset in its latest state, without bodies. */
    List<StoredRuleset> all();

    /** One version with its body. */
    Optional<StoredRuleset> get(String name, int version);

    /** Writes a version, or a newer state of it. */
    void save(List<StoredRuleset> rows);

    void saveApply(ApplyRecord apply);

    /** Newest first. */
    List<ApplyRecord> applies(int limit);

    Optional<ApplyRecord> apply(String id);
}
