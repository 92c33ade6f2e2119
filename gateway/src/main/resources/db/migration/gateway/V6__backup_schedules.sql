-- Scheduled backups and their retention (docs/design/0010-schedules-and-retention.md).
-- One schedule per project. next_fire_at is the tick a gateway claims, by compare-and-set, in the same
-- transaction that records the backup: whichever instance moves it on takes that backup, no other can.
CREATE TABLE backup_schedules (
  project_gid   VARCHAR(64)  NOT NULL PRIMARY KEY,
  name          VARCHAR(64)  NOT NULL,
  cron          VARCHAR(120) NOT NULL,
  zone          VARCHAR(64)  NOT NULL,
  enabled       BOOLEAN      NOT NULL,
  keep_last     INT          NOT NULL,
  keep_days     INT          NOT NULL,
  next_fire_at  DOUBLE       NOT NULL,
  last_fired_at DOUBLE       NULL,
  updated_on    DOUBLE       NOT NULL,
  KEY idx_schedules_due (enabled, next_fire_at),
  CONSTRAINT fk_schedules_project FOREIGN KEY (project_gid) REFERENCES projects (gid)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;
