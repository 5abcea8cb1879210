package io.dhcpshield.automation.rules;

/** No rule has this id (or it was deleted): the API answers 404. */
public final class RuleNotFoundException extends RuntimeException {

    private final String ruleId;

    public RuleNotFoundException(String ruleId) {
        super("no automation rule " + ruleId, null, false, false);
        this.ruleId = ruleId;
    }

    public String ruleId() {
        return ruleId;
    }
}
