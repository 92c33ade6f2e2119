-- admission counts the unfinished jobs of all projects (restorepoint.gateway.max-queued-jobs)
CREATE INDEX idx_jobs_status ON jobs (status);
