-- What the steps read, as documented views and macros: the report's stable tables (the same figures in the HTML,
-- XLSX, CSV and Markdown reports and in a researcher's own SQL), and the posts the processing step has yet to do.

CREATE MACRO pending_posts(since, reprocess_before) AS TABLE
SELECT p.post_uid, p.content_hash, p.text
FROM posts p LEFT JOIN post_lemmas l USING (post_uid)
WHERE (l.post_uid IS NULL OR l.content_hash <> p.content_hash
       OR (reprocess_before IS NOT NULL AND l.processed_at < reprocess_before))
  AND (since IS NULL OR p.published_at >= since);
COMMENT ON MACRO TABLE pending_posts IS 'Posts the processing step has yet to do: never processed, edited since (another content hash), or processed before reprocess_before; only those published since since (NULL: all).';

CREATE VIEW v_report_posts_by_platform AS
SELECT platform, count(*) AS posts FROM posts GROUP BY 1 ORDER BY 2 DESC;
COMMENT ON VIEW v_report_posts_by_platform IS 'Report: posts per platform.';
COMMENT ON COLUMN v_report_posts_by_platform.platform IS 'Platform (telegram, vk, youtube, news, …).';
COMMENT ON COLUMN v_report_posts_by_platform.posts IS 'Posts stored.';

CREATE VIEW v_report_posts_by_language AS
SELECT coalesce(lang, 'unprocessed') AS lang, count(*) AS posts FROM posts GROUP BY 1 ORDER BY 2 DESC;
COMMENT ON VIEW v_report_posts_by_language IS 'Report: posts per language found by processing.';
COMMENT ON COLUMN v_report_posts_by_language.lang IS 'ru, kk, mixed, other, or unprocessed.';
COMMENT ON COLUMN v_report_posts_by_language.posts IS 'Posts stored.';

CREATE VIEW v_report_posts_by_month AS
SELECT month, count(*) AS posts FROM v_posts GROUP BY 1 ORDER BY 1;
COMMENT ON VIEW v_report_posts_by_month IS 'Report: posts per month of publication (Asia/Almaty time).';
COMMENT ON COLUMN v_report_posts_by_month.month IS 'Month, YYYY-MM.';
COMMENT ON COLUMN v_report_posts_by_month.posts IS 'Posts published in that month.';

CREATE VIEW v_report_posts_by_source_kind AS
SELECT coalesce(source_kind, 'unknown') AS source_kind, count(*) AS posts FROM v_posts GROUP BY 1 ORDER BY 2 DESC;
COMMENT ON VIEW v_report_posts_by_source_kind IS 'Report: posts per kind of source.';
COMMENT ON COLUMN v_report_posts_by_source_kind.source_kind IS 'news, official, akimat, blogger, activist, party, other, or unknown.';
COMMENT ON COLUMN v_report_posts_by_source_kind.posts IS 'Posts stored.';

CREATE VIEW v_report_posts_by_region AS
SELECT g.region_code, g.name_en, g.name_ru, count(r.post_uid) AS posts
FROM regions g LEFT JOIN v_post_regions r USING (region_code)
GROUP BY ALL ORDER BY g.region_code;
COMMENT ON VIEW v_report_posts_by_region IS 'Report: posts per region (by source region or a region named in the text), every region listed.';
COMMENT ON COLUMN v_report_posts_by_region.region_code IS 'Region code (KZ-xx, current map).';
COMMENT ON COLUMN v_report_posts_by_region.name_en IS 'Region name in English.';
COMMENT ON COLUMN v_report_posts_by_region.name_ru IS 'Region name in Russian.';
COMMENT ON COLUMN v_report_posts_by_region.posts IS 'Posts placed in the region.';

CREATE VIEW v_report_runs AS
SELECT run_id, step, started_at, finished_at, status, params::VARCHAR AS params, inputs::VARCHAR AS inputs,
       outputs::VARCHAR AS outputs, versions::VARCHAR AS versions
FROM analysis_runs ORDER BY started_at;
COMMENT ON VIEW v_report_runs IS 'Report: every analysis run with its parameters, counts and software versions, as text.';
COMMENT ON COLUMN v_report_runs.run_id IS 'Id of the run.';
COMMENT ON COLUMN v_report_runs.step IS 'Step (collect, process, topics, markers, link, report, pipeline).';
COMMENT ON COLUMN v_report_runs.started_at IS 'When it started.';
COMMENT ON COLUMN v_report_runs.finished_at IS 'When it finished (empty while running).';
COMMENT ON COLUMN v_report_runs.status IS 'running, completed, nothing to do, or failed: <reason>.';
COMMENT ON COLUMN v_report_runs.params IS 'Parameters, JSON.';
COMMENT ON COLUMN v_report_runs.inputs IS 'Input counts, JSON.';
COMMENT ON COLUMN v_report_runs.outputs IS 'Output counts, JSON.';
COMMENT ON COLUMN v_report_runs.versions IS 'Software versions, JSON.';
