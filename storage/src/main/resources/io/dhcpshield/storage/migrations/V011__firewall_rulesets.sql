-- Firewall Manager (docs/firewall.md): V003's firewall_rulesets holds every version of every ruleset as canonical nft
-- JSON. ruleset_id is "name@ruleset_version"; ruleset is the JSON; version orders the rows of one ruleset_id
-- (microseconds). The content of a version never changes; a state change (active, apply_order, deleted) is a newer row
-- of the same ruleset_id that copies the JSON, so FINAL reads the current state. Nothing is ever deleted (deleted = 1
-- hides a ruleset). No DEFAULT clauses (see V007 and V009).
ALTER TABLE firewall_rulesets ADD COLUMN ruleset_version UInt32;
ALTER TABLE firewall_rulesets ADD COLUMN origin String;
ALTER TABLE firewall_rulesets ADD COLUMN note String;
ALTER TABLE firewall_rulesets ADD COLUMN created_at DateTime;
ALTER TABLE firewall_rulesets ADD COLUMN created_by String;
ALTER TABLE firewall_rulesets ADD COLUMN apply_order UInt32;

-- Every apply, rollback and start-up apply of rulesets to the kernel, failed ones too (the history and rollback
-- targets). rulesets: name@version in apply order, space separated.
CREATE TABLE IF NOT EXISTS firewall_applies (
    apply_id String,
    at_micros UInt64,
    actor String,
    mode String,
    rulesets String,
    ok UInt8,
    stage String,
    error String,
    duration_micros UInt64,
    rollback_of String
) ENGINE = MergeTree ORDER BY (at_micros, apply_id);
