-- Where a backup came from (docs/design/0010-schedules-and-retention.md): manual (an API call), safety
-- (taken before a restore), scheduled (a schedule's tick). Retention expires scheduled ones only.
ALTER TABLE backup_versions ADD COLUMN origin VARCHAR(16) NOT NULL DEFAULT 'manual';
UPDATE backup_versions SET origin = 'safety' WHERE created_by = 'RestorePoint';
