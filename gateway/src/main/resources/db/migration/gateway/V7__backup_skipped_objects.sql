-- Objects a backup left out because the backup account could not read them (only where the operator allowed
-- that, RP_BACKUP_SKIP_UNREADABLE_OBJECTS): a JSON array of {kind, name, reason}; NULL when none.
ALTER TABLE backup_versions ADD COLUMN skipped_json TEXT NULL;
