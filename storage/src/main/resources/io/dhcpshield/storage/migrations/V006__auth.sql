-- Revoked API tokens, append-only: a single token (kind 'token', id = its token id), a refresh-token family
-- (kind 'family', id = the family id), or every token of a user issued before revoked_at (kind 'user', id empty).
-- A row matters until expires_at (the longest the revoked tokens could live), so the table is partitioned by the
-- day of expires_at and Retention drops a day once it is over: every row in it has expired.
-- kind is plain text ('token', 'family', 'user'), checked by TokenRevocations when it writes and reads.
CREATE TABLE IF NOT EXISTS token_revocations (
    kind String,
    id String,
    username String,
    revoked_at DateTime,
    revoked_micros UInt32,
    expires_at DateTime,
    reason String,
    actor String
) ENGINE = MergeTree PARTITION BY toYYYYMMDD(expires_at) ORDER BY (expires_at, kind, id);
