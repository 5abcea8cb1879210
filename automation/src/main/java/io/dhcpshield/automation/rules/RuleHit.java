package io.dhcpshield.automation.rules;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * One group of one rule at or above its lowest threshold in one run: the key (client, relay, circuit, site, vendor
 * class, as grouped), the metric's value, the tier it reached, and the clients it resolves to (the client itself, or
 * the busiest clients seen under the key: at most {@link RuleSql#MAX_CLIENTS_PER_KEY}).
 *
 * @param key     the group's values by key name, in the rule's group_by order ({@code client} is the MAC, else the
 *                DUID, else the mark as {@code 0x00abcd})
 * @param tier    index into the rule's thresholds
 */
public record RuleHit(String ruleId, Map<String, String> key, double value, int tier, Rule.Tier threshold,
                      List<HitClient> clients) {

    public RuleHit {
        key = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(key));
        clients = List.copyOf(clients);
    }

    /** {@code circuit=c1, relay=100.64.0.1}: the key in the rule's order, for reasons, logs and suppression. */
    public String keyText() {
        return key.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(", "));
    }

    public RuleHit withClients(List<HitClient> kept) {
        return new RuleHit(ruleId, key, value, tier, threshold, kept);
    }
}
