package io.dhcpshield.automation.rules;

import java.util.List;

/** A run of one rule as the API shows it: the record stored in automation_runs, the window read and every hit. */
public record RunReport(RunRecord run, RuleSql.Window window, List<HitOutcome> hits) {

    public RunReport {
        hits = List.copyOf(hits);
    }
}
