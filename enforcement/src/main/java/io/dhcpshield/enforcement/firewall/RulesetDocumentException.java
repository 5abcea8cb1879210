package io.dhcpshield.enforcement.firewall;

import java.util.List;

/** A ruleset that is not one: every offending object with its index and what is wrong with it. */
public final class RulesetDocumentException extends IllegalArgumentException {

    private final transient List<RulesetDocument.Problem> problems;

    public RulesetDocumentException(List<RulesetDocument.Problem> problems) {
        super(problems.isEmpty() ? "invalid ruleset" : problems.get(0).path() + ": " + problems.get(0).message()
                + (problems.size() > 1 ? " (and " + (problems.size() - 1) + " more)" : ""));
        this.problems = List.copyOf(problems);
    }

    public List<RulesetDocument.Problem> problems() {
        return problems;
    }
}
