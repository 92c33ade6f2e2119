-- Control data owned by the gateway: projects, their members, backup versions and jobs.
CREATE TABLE projects (
  gid            VARCHAR(64)  NOT NULL PRIMARY KEY,
  name           VARCHAR(200) NOT NULL,
  database_name  VARCHAR(64)  NOT NULL,
  owner          VARCHAR(191) NOT NULL,
  status         VARCHAR(16)  NOT NULL DEFAULT 'active',
  next_version   INT          NOT NULL DEFAULT 1,
  last_backed_up DOUBLE       NULL,
  created_on     DOUBLE       NOT NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

CREATE TABLE project_members (
  project_gid VARCHAR(64)  NOT NULL,
  user_gid    VARCHAR(191) NOT NULL,
  role        VARCHAR(16)  NOT NULL,
  status      VARCHAR(16)  NOT NULL DEFAULT 'active',
  PRIMARY KEY (project_gid, user_gid),
  CONSTRAINT fk_members_project FOREIGN KEY (project_gid) REFERENCES projects (gid)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

-- status: pending (job running), valid (artifact committed), failed (job rejected), deleted
CREATE TABLE backup_versions (
  project_gid VARCHAR(64)  NOT NULL,
  version     INT          NOT NULL,
  name        VARCHAR(200) NOT NULL,
  created_by  VARCHAR(200) NOT NULL,
  created_on  DOUBLE       NOT NULL,
  status      VARCHAR(16)  NOT NULL,
  job_token   CHAR(36)     NOT NULL,
  row_count   BIGINT       NULL,
  byte_count  BIGINT       NULL,
  PRIMARY KEY (project_gid, version),
  UNIQUE KEY uk_versions_job (job_token),
  CONSTRAINT fk_versions_project FOREIGN KEY (project_gid) REFERENCES projects (gid)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

CREATE TABLE jobs (
  token        CHAR(36)     NOT NULL PRIMARY KEY,
  project_gid  VARCHAR(64)  NOT NULL,
  job          VARCHAR(32)  NOT NULL,
  status       VARCHAR(16)  NOT NULL,
  version      INT          NULL,
  total        BIGINT       NOT NULL DEFAULT 0,
  remaining    BIGINT       NOT NULL DEFAULT 0,
  info_json    TEXT         NULL,
  failure_json TEXT         NULL,
  requested_by VARCHAR(191) NOT NULL,
  worker_id    VARCHAR(191) NULL,
  created_on   DOUBLE       NOT NULL,
  updated_on   DOUBLE       NOT NULL,
  KEY idx_jobs_project (project_gid, created_on),
  CONSTRAINT fk_jobs_project FOREIGN KEY (project_gid) REFERENCES projects (gid)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;
