package io.dhcpshield.automation.rules;

/** A rule with this id exists already (create refused): the API answers 409. */
public final class RuleExistsException extends RuntimeException {

    private final String ruleId;

    public RuleExistsException(String ruleId) {
        super("automation rule " + ruleId + " exists", null, false, false);
        this.ruleId = ruleId;
    }

    public String ruleId() {
        return ruleId;
    }
}
