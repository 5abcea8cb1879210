-- users_audit_log: the microseconds of event_time, so entries written within one second list newest first. Rows
-- written before this migration read 0. Paging needs no id column: its tiebreaker is a hash of the whole row.
-- No DEFAULT clause (UInt32 defaults to 0 anyway): 18.16 fills a column missing from an old part by evaluating its
-- DEFAULT expression, and a constant 0 there clashes with a 0 in the query ("Column '0' already exists").
ALTER TABLE users_audit_log ADD COLUMN event_micros UInt32
