-- The latest runs of every step, newest first ($running: only those in progress); $limit rows at most.
SELECT run_id, step, name, status, started_at, finished_at, owner_pid, owner_host, counts
FROM v_runs
WHERE NOT $running OR status = 'running'
ORDER BY started_at DESC
LIMIT $limit
