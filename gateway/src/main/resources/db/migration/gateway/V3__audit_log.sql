-- Who asked for what, when, on which project, with which job, and how it ended (accepted or refused).
CREATE TABLE audit_log (
  id          BIGINT       NOT NULL AUTO_INCREMENT PRIMARY KEY,
  at          DOUBLE       NOT NULL,
  user_gid    VARCHAR(191) NOT NULL,
  admin       BOOLEAN      NOT NULL,
  method      VARCHAR(8)   NOT NULL,
  action      VARCHAR(100) NOT NULL,
  project_gid VARCHAR(64)  NULL,
  job_token   CHAR(36)     NULL,
  status      INT          NOT NULL,
  outcome     VARCHAR(16)  NOT NULL,
  KEY idx_audit_project (project_gid, at),
  KEY idx_audit_at (at)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;
