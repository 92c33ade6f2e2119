-- The last cursor removed by retention, per stream: a client asking for events after an older cursor is
-- told its cursor is too old (HTTP 410) instead of silently missing events.
ALTER TABLE sync_streams ADD COLUMN pruned_through BIGINT NOT NULL DEFAULT 0;
