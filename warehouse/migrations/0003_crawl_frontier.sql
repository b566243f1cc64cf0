-- Where each source's last complete crawl reached, so an incremental crawl knows where to stop.
-- Written only when a source's walk finished and its posts were committed: a crawl killed midway
-- leaves the previous frontier, and the next run walks back to it again, losing nothing.

CREATE TABLE crawl_frontier (
    source_id      VARCHAR PRIMARY KEY,
    newest_post_id BIGINT NOT NULL,
    run_id         VARCHAR NOT NULL,
    completed_at   TIMESTAMPTZ NOT NULL
);
COMMENT ON TABLE crawl_frontier IS 'Newest post reached by the last complete crawl of each source (incremental crawls stop there).';
COMMENT ON COLUMN crawl_frontier.source_id IS 'The source (sources.source_id).';
COMMENT ON COLUMN crawl_frontier.newest_post_id IS 'Highest numeric post id stored when the crawl of the source completed.';
COMMENT ON COLUMN crawl_frontier.run_id IS 'The crawl run (crawl_runs.run_id) that completed it.';
COMMENT ON COLUMN crawl_frontier.completed_at IS 'When that crawl completed.';
