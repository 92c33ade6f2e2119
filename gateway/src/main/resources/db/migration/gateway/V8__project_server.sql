-- The database server a project's database is on (a name of restorepoint.servers; issue 16). Existing
-- projects are on the default server, the one RP_MANAGED_DB_* configures.
ALTER TABLE projects ADD COLUMN server VARCHAR(64) NOT NULL DEFAULT 'default';
