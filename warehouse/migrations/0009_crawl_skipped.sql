-- What a run could not read: messages of a page that lacked an id or a date, rows of a file skipped with
-- --skip-bad. Counted apart from errors, which are failures of the run itself. (DuckDB cannot add a column
-- with a NOT NULL constraint; the writers always set it.)

ALTER TABLE crawl_runs ADD COLUMN skipped BIGINT DEFAULT 0;
UPDATE crawl_runs SET skipped = 0;
COMMENT ON COLUMN crawl_runs.skipped IS 'Messages or rows the run skipped because they could not be read (a page message without id or date, a bad row imported with --skip-bad).';
