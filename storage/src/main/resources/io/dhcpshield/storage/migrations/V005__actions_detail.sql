-- The Action Manager's record beyond the V004 columns (target kind and text, kernel timeout, taken/expires/ended at,
-- ended by, the ids a cleanup cleared, the kernel error, the version) as one JSON object. Rows written before this
-- migration carry that JSON in duid and are still read; from now on duid holds only a DUID target's DUID.
-- ClickHouse 18.16 has no ADD COLUMN IF NOT EXISTS: Migrations skips an ADD COLUMN whose column exists.
ALTER TABLE actions_log ADD COLUMN detail String DEFAULT ''
