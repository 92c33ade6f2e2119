-- What a finished job produced (counts of an import, size of a backup), and when a version was last verified.
ALTER TABLE jobs ADD COLUMN result_json TEXT NULL;
ALTER TABLE backup_versions ADD COLUMN verified_on DOUBLE NULL;
ALTER TABLE backup_versions ADD COLUMN verify_status VARCHAR(16) NULL;
