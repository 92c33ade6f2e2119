-- The feed store owned by sync-events: every event of the cc stream with its cursor (= Kafka offset + 1).
-- Rows are written by every sync-events instance (INSERT IGNORE: the cursor decides, so they agree).
CREATE TABLE sync_events (
  stream      VARCHAR(16)  NOT NULL,
  cursor_no   BIGINT       NOT NULL,
  project_gid VARCHAR(64)  NOT NULL,
  data_type   VARCHAR(32)  NOT NULL,
  data_key    VARCHAR(64)  NOT NULL,
  event_json  MEDIUMTEXT   NOT NULL,
  created_at  DOUBLE       NOT NULL,
  PRIMARY KEY (stream, cursor_no),
  KEY idx_sync_project (stream, project_gid, cursor_no)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;
