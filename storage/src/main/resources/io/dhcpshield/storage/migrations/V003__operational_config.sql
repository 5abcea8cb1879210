-- Operational state edited at runtime: ReplacingMergeTree(version). The newest version of a key wins after
-- merges, so every read uses FINAL. A row with deleted = 1 is a tombstone (18.16 has no is_deleted engine option).
CREATE TABLE IF NOT EXISTS system_config (
    key String,
    value String,
    updated_by String,
    updated_at DateTime,
    version UInt64,
    deleted UInt8
) ENGINE = ReplacingMergeTree(version) ORDER BY key;

CREATE TABLE IF NOT EXISTS config_action_definitions (
    action String,
    definition String,
    updated_by String,
    updated_at DateTime,
    version UInt64,
    deleted UInt8
) ENGINE = ReplacingMergeTree(version) ORDER BY action;

CREATE TABLE IF NOT EXISTS automation_rules (
    rule_id String,
    name String,
    definition String,
    active UInt8,
    updated_by String,
    updated_at DateTime,
    version UInt64,
    deleted UInt8
) ENGINE = ReplacingMergeTree(version) ORDER BY rule_id;

CREATE TABLE IF NOT EXISTS system_analysis_prompts (
    prompt_id String,
    name String,
    prompt String,
    updated_by String,
    updated_at DateTime,
    version UInt64,
    deleted UInt8
) ENGINE = ReplacingMergeTree(version) ORDER BY prompt_id;

CREATE TABLE IF NOT EXISTS firewall_rulesets (
    ruleset_id String,
    name String,
    ruleset String,
    active UInt8,
    updated_by String,
    updated_at DateTime,
    version UInt64,
    deleted UInt8
) ENGINE = ReplacingMergeTree(version) ORDER BY ruleset_id;

CREATE TABLE IF NOT EXISTS users (
    username String,
    password_hash String,
    role String,
    disabled UInt8,
    updated_at DateTime,
    version UInt64,
    deleted UInt8
) ENGINE = ReplacingMergeTree(version) ORDER BY username;
