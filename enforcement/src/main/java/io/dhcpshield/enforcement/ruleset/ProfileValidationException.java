package io.dhcpshield.enforcement.ruleset;

import java.util.List;

/** A throttling profile that cannot be rendered; the message lists every problem, one per line. */
public final class ProfileValidationException extends IllegalArgumentException {
    private final List<String> problems;

    public ProfileValidationException(String profile, List<String> problems) {
        super("invalid throttling profile '" + profile + "':\n  " + String.join("\n  ", problems));
        this.problems = List.copyOf(problems);
    }

    public List<String> problems() { return problems; }
}
