package io.dhcpshield.automation.rules;

import java.util.List;

/** A rule (or its JSON) is not valid: every problem, each naming its field ({@code thresholds[1].value ...}). */
public final class RuleValidationException extends IllegalArgumentException {

    private final List<String> problems;

    public RuleValidationException(List<String> problems) {
        super(String.join("; ", problems));
        this.problems = List.copyOf(problems);
    }

    public List<String> problems() {
        return problems;
    }
}
