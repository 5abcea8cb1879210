package io.dhcpshield.enforcement.action;

import java.util.List;

/** What one call to the Action Manager did: the records written and, on failure, the kernel's error text. */
public record ActionOutcome(boolean ok, List<ActionRecord> records, String error) {
    public ActionOutcome {
        records = List.copyOf(records);
        error = error == null ? "" : error;
    }

    static ActionOutcome failed(String error, List<ActionRecord> records) { return new ActionOutcome(false, records, error); }
}
