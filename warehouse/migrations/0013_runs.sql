-- Runs that tell the truth. Each run records the process that owns it (pid, host and the process's start
-- time, since pids are reused), so a run whose process was killed is marked 'abandoned' by the next run or by
-- `qatysu runs` instead of staying 'running' for ever; a crawl stores the counts it prints. v_runs lists the
-- crawl and import runs and the analysis runs together.

ALTER TABLE crawl_runs ADD COLUMN owner_pid BIGINT;
ALTER TABLE crawl_runs ADD COLUMN owner_host VARCHAR;
ALTER TABLE crawl_runs ADD COLUMN owner_started TIMESTAMPTZ;
ALTER TABLE crawl_runs ADD COLUMN pages BIGINT;
ALTER TABLE crawl_runs ADD COLUMN posts_new BIGINT;
ALTER TABLE crawl_runs ADD COLUMN posts_updated BIGINT;
COMMENT ON COLUMN crawl_runs.status IS 'running, finished, failed: <reason>, interrupted (<reason>), or abandoned (its process ended without closing the run: killed, or the machine stopped).';
COMMENT ON COLUMN crawl_runs.items IS 'Posts written by the run (posts_new + posts_updated).';
COMMENT ON COLUMN crawl_runs.errors IS 'Errors met by the run: errors logged and exceptions raised by the spider, or malformed records of an import.';
COMMENT ON COLUMN crawl_runs.owner_pid IS 'Id of the process that ran it (NULL for runs recorded before owners were).';
COMMENT ON COLUMN crawl_runs.owner_host IS 'Host name of the machine that ran it.';
COMMENT ON COLUMN crawl_runs.owner_started IS 'When that process started: a later process with the same id is another process.';
COMMENT ON COLUMN crawl_runs.pages IS 'Pages or API responses received by a crawl (NULL for imports).';
COMMENT ON COLUMN crawl_runs.posts_new IS 'Posts stored for the first time.';
COMMENT ON COLUMN crawl_runs.posts_updated IS 'Posts already stored whose counters or text were updated.';

ALTER TABLE analysis_runs ADD COLUMN owner_pid BIGINT;
ALTER TABLE analysis_runs ADD COLUMN owner_host VARCHAR;
ALTER TABLE analysis_runs ADD COLUMN owner_started TIMESTAMPTZ;
COMMENT ON COLUMN analysis_runs.step IS 'process, topics, markers, link, report, export, or a flow (collect, pipeline).';
COMMENT ON COLUMN analysis_runs.status IS 'running, completed, nothing to do, failed: <reason>, interrupted, or abandoned (its process ended without closing the run: killed, or the machine stopped).';
COMMENT ON COLUMN analysis_runs.owner_pid IS 'Id of the process that ran it (NULL for runs recorded before owners were).';
COMMENT ON COLUMN analysis_runs.owner_host IS 'Host name of the machine that ran it.';
COMMENT ON COLUMN analysis_runs.owner_started IS 'When that process started: a later process with the same id is another process.';

COMMENT ON COLUMN posts.forwarded_from IS 'Handle or name of the channel or community a forwarded post comes from; when it comes from a person, the keyed hash of the person (as in author_hash, so the two can be joined).';

CREATE VIEW v_runs AS
SELECT run_id, CASE WHEN spider LIKE 'import%' THEN 'import' ELSE 'crawl' END AS step, spider AS name,
       started_at, finished_at, status, owner_pid, owner_host, args AS params,
       json_object('pages', pages, 'posts_new', posts_new, 'posts_updated', posts_updated, 'items', items,
                   'errors', errors, 'skipped', skipped) AS counts
FROM crawl_runs
UNION ALL
SELECT run_id, step, step, started_at, finished_at, status, owner_pid, owner_host, params,
       json_object('inputs', inputs, 'outputs', outputs)
FROM analysis_runs;
COMMENT ON VIEW v_runs IS 'Every run of every step, newest last: crawls and imports (crawl_runs) and analysis steps (analysis_runs).';
COMMENT ON COLUMN v_runs.run_id IS 'Id of the run (crawl_runs.run_id or analysis_runs.run_id).';
COMMENT ON COLUMN v_runs.step IS 'crawl, import, process, topics, markers, link, report, export, collect or pipeline.';
COMMENT ON COLUMN v_runs.name IS 'Spider or importer of a crawl or import; the step otherwise.';
COMMENT ON COLUMN v_runs.started_at IS 'When it started.';
COMMENT ON COLUMN v_runs.finished_at IS 'When it ended (NULL while running).';
COMMENT ON COLUMN v_runs.status IS 'running, a final status, or abandoned.';
COMMENT ON COLUMN v_runs.owner_pid IS 'Id of the process that ran it.';
COMMENT ON COLUMN v_runs.owner_host IS 'Host name of the machine that ran it.';
COMMENT ON COLUMN v_runs.params IS 'Arguments or parameters it ran with (never secrets).';
COMMENT ON COLUMN v_runs.counts IS 'What it read and wrote: pages, new and updated posts, errors; inputs and outputs of an analysis step.';
