-- Researcher-facing views and the map crosswalk macros.

CREATE TABLE warehouse_meta (
    key   VARCHAR PRIMARY KEY,
    value VARCHAR NOT NULL
);
COMMENT ON TABLE warehouse_meta IS 'Facts about this warehouse file (e.g. the checksum of the reference data loaded).';
COMMENT ON COLUMN warehouse_meta.key IS 'Name of the fact.';
COMMENT ON COLUMN warehouse_meta.value IS 'Its value.';

CREATE VIEW v_posts AS
SELECT
    p.post_uid,
    p.platform,
    p.source_id,
    s.title                                                  AS source_title,
    s.kind                                                   AS source_kind,
    s.region_code                                            AS source_region_code,
    p.url,
    p.published_at,
    timezone('Asia/Almaty', p.published_at)                  AS published_local,
    date_trunc('month', timezone('Asia/Almaty', p.published_at))::DATE AS month,
    p.lang,
    p.text,
    p.views,
    p.reactions,
    p.comments,
    p.forwards,
    CASE WHEN p.reactions IS NULL AND p.comments IS NULL AND p.forwards IS NULL THEN NULL
         ELSE coalesce(p.reactions, 0) + coalesce(p.comments, 0) + coalesce(p.forwards, 0) END AS interactions,
    p.reply_to,
    p.forwarded_from,
    p.author_hash,
    p.region_code                                            AS given_region_code
FROM posts p
LEFT JOIN sources s USING (source_id);
COMMENT ON VIEW v_posts IS 'Posts with their source''s title, kind and region, local time and month.';
COMMENT ON COLUMN v_posts.post_uid IS 'Unique post id "<source_id>:<post_id>".';
COMMENT ON COLUMN v_posts.platform IS 'telegram, vk, youtube, news, petition or import.';
COMMENT ON COLUMN v_posts.source_id IS 'The source "<platform>:<handle>".';
COMMENT ON COLUMN v_posts.source_title IS 'Title of the source.';
COMMENT ON COLUMN v_posts.source_kind IS 'news, official, akimat, blogger, activist, party or other.';
COMMENT ON COLUMN v_posts.source_region_code IS 'Region the source is registered to, if any.';
COMMENT ON COLUMN v_posts.url IS 'Canonical public address of the post.';
COMMENT ON COLUMN v_posts.published_at IS 'Publication time (time zone aware).';
COMMENT ON COLUMN v_posts.published_local IS 'Publication time as local wall-clock time in Kazakhstan (Asia/Almaty zone).';
COMMENT ON COLUMN v_posts.month IS 'First day of the publication month, Kazakhstan time.';
COMMENT ON COLUMN v_posts.lang IS 'ru, kk, mixed, other or und; NULL until processed.';
COMMENT ON COLUMN v_posts.text IS 'Post text.';
COMMENT ON COLUMN v_posts.views IS 'Latest views; NULL where not shown.';
COMMENT ON COLUMN v_posts.reactions IS 'Latest reactions or likes; NULL where not shown.';
COMMENT ON COLUMN v_posts.comments IS 'Latest comments; NULL where not shown.';
COMMENT ON COLUMN v_posts.forwards IS 'Latest forwards or reposts; NULL where not shown.';
COMMENT ON COLUMN v_posts.interactions IS 'reactions + comments + forwards (missing counters count as 0); NULL when none is shown.';
COMMENT ON COLUMN v_posts.reply_to IS 'post_id this post replies to.';
COMMENT ON COLUMN v_posts.forwarded_from IS 'Original source of a forwarded post.';
COMMENT ON COLUMN v_posts.author_hash IS 'Keyed hash of the author id.';
COMMENT ON COLUMN v_posts.given_region_code IS 'Region given with the post by its source file, if any.';

CREATE VIEW v_sources AS
SELECT
    s.source_id,
    s.platform,
    s.handle,
    s.title,
    s.kind,
    s.region_code,
    s.subscribers,
    s.url,
    s.has_public_preview,
    count(p.post_uid)        AS posts,
    min(p.published_at)      AS first_post_at,
    max(p.published_at)      AS last_post_at,
    sum(p.views)             AS total_views,
    median(p.views)          AS median_views
FROM sources s
LEFT JOIN posts p USING (source_id)
GROUP BY ALL;
COMMENT ON VIEW v_sources IS 'Sources with their post counts, date range and views.';
COMMENT ON COLUMN v_sources.source_id IS 'The source "<platform>:<handle>".';
COMMENT ON COLUMN v_sources.platform IS 'Platform of the source.';
COMMENT ON COLUMN v_sources.handle IS 'Platform handle.';
COMMENT ON COLUMN v_sources.title IS 'Title of the source.';
COMMENT ON COLUMN v_sources.kind IS 'news, official, akimat, blogger, activist, party or other.';
COMMENT ON COLUMN v_sources.region_code IS 'Region the source is registered to, if any.';
COMMENT ON COLUMN v_sources.subscribers IS 'Subscribers as last seen.';
COMMENT ON COLUMN v_sources.url IS 'Public address.';
COMMENT ON COLUMN v_sources.has_public_preview IS 'FALSE when the platform shows no public preview.';
COMMENT ON COLUMN v_sources.posts IS 'Posts stored from the source.';
COMMENT ON COLUMN v_sources.first_post_at IS 'Earliest stored post.';
COMMENT ON COLUMN v_sources.last_post_at IS 'Latest stored post.';
COMMENT ON COLUMN v_sources.total_views IS 'Sum of latest views over posts that show views.';
COMMENT ON COLUMN v_sources.median_views IS 'Median of latest views over posts that show views.';

CREATE VIEW v_indicator_values AS
SELECT
    v.indicator_id,
    i.name          AS indicator_name,
    i.unit,
    v.region_code,
    r.name_en       AS region_en,
    r.name_ru       AS region_ru,
    r.name_kk       AS region_kk,
    v.period,
    v.period_start,
    v.value,
    v.boundary_version,
    v.note,
    i.source,
    i.origin
FROM indicator_values v
JOIN indicators i USING (indicator_id)
LEFT JOIN regions r USING (region_code);
COMMENT ON VIEW v_indicator_values IS 'Indicator values with indicator names, units, sources and region names, each on the map of its period.';
COMMENT ON COLUMN v_indicator_values.indicator_id IS 'The indicator.';
COMMENT ON COLUMN v_indicator_values.indicator_name IS 'Human-readable indicator name.';
COMMENT ON COLUMN v_indicator_values.unit IS 'Unit of the value.';
COMMENT ON COLUMN v_indicator_values.region_code IS 'ISO 3166-2:KZ code.';
COMMENT ON COLUMN v_indicator_values.region_en IS 'Region name in English.';
COMMENT ON COLUMN v_indicator_values.region_ru IS 'Region name in Russian.';
COMMENT ON COLUMN v_indicator_values.region_kk IS 'Region name in Kazakh.';
COMMENT ON COLUMN v_indicator_values.period IS 'Period as given.';
COMMENT ON COLUMN v_indicator_values.period_start IS 'First day of the period.';
COMMENT ON COLUMN v_indicator_values.value IS 'The value.';
COMMENT ON COLUMN v_indicator_values.boundary_version IS 'pre-2022-06 or post-2022-06 map.';
COMMENT ON COLUMN v_indicator_values.note IS 'Caveats for this value.';
COMMENT ON COLUMN v_indicator_values.source IS 'Source of the indicator.';
COMMENT ON COLUMN v_indicator_values.origin IS 'reference or researcher.';

-- Every value read on the current 20-unit map: a value for a region that was split on
-- 8 June 2022 is carried to each region now lying within it (the same figure, flagged).
CREATE VIEW v_indicator_values_current_map AS
WITH parts AS (
    SELECT old_code, count(*) AS parts FROM region_crosswalk GROUP BY old_code
)
SELECT indicator_id, region_code, period, period_start, value,
       'as reported' AS method, region_code AS reported_region_code, note
FROM indicator_values
WHERE boundary_version = 'post-2022-06'
UNION ALL
SELECT v.indicator_id, c.new_code, v.period, v.period_start, v.value,
       CASE WHEN n.parts = 1 THEN 'as reported (region unchanged by the 2022 split)'
            ELSE 'carried from ' || v.region_code || ' on the pre-2022 map (same figure for every part)' END,
       v.region_code, v.note
FROM indicator_values v
JOIN region_crosswalk c ON c.old_code = v.region_code
JOIN parts n ON n.old_code = v.region_code
WHERE v.boundary_version = 'pre-2022-06';
COMMENT ON VIEW v_indicator_values_current_map IS 'All indicator values on the 20-unit map: values from before the June 2022 split are carried to each part of a split region.';
COMMENT ON COLUMN v_indicator_values_current_map.indicator_id IS 'The indicator.';
COMMENT ON COLUMN v_indicator_values_current_map.region_code IS 'Region on the 20-unit map.';
COMMENT ON COLUMN v_indicator_values_current_map.period IS 'Period as given.';
COMMENT ON COLUMN v_indicator_values_current_map.period_start IS 'First day of the period.';
COMMENT ON COLUMN v_indicator_values_current_map.value IS 'The value (for carried values, the figure of the whole old region).';
COMMENT ON COLUMN v_indicator_values_current_map.method IS 'as reported, or carried from the old region.';
COMMENT ON COLUMN v_indicator_values_current_map.reported_region_code IS 'The region the value was reported for.';
COMMENT ON COLUMN v_indicator_values_current_map.note IS 'Caveats for this value.';

-- One indicator read on the 17-unit map in force until 7 June 2022. Values of the parts of a split
-- region are averaged, weighted by weight_indicator (its values for the same region and period,
-- e.g. registered voters) when every part has a weight, otherwise unweighted, and the method says which.
CREATE MACRO indicator_on_old_map(ind, weight_ind := NULL) AS TABLE
WITH parts AS (
    SELECT old_code, count(*) AS expected FROM region_crosswalk GROUP BY old_code
), post AS (
    SELECT c.old_code, v.period, v.period_start, v.region_code, v.value, w.value AS weight
    FROM indicator_values v
    JOIN region_crosswalk c ON c.new_code = v.region_code
    LEFT JOIN indicator_values w
      ON w.indicator_id = weight_ind AND w.region_code = v.region_code AND w.period = v.period
    WHERE v.indicator_id = ind AND v.boundary_version = 'post-2022-06'
), aggregated AS (
    SELECT
        p.old_code AS region_code, p.period, p.period_start,
        CASE WHEN count(*) = 1 THEN any_value(p.value)
             WHEN count(p.weight) = count(*) THEN sum(p.value * p.weight) / sum(p.weight)
             ELSE avg(p.value) END AS value,
        CASE WHEN any_value(x.expected) = 1 THEN 'as reported (region unchanged by the 2022 split)'
             WHEN count(*) < any_value(x.expected) THEN
                  'incomplete: only ' || string_agg(p.region_code, ', ' ORDER BY p.region_code)
                  || ' of the ' || any_value(x.expected) || ' parts reported; unweighted mean'
             WHEN count(p.weight) = count(*) THEN
                  'weighted mean of ' || string_agg(p.region_code, ', ' ORDER BY p.region_code)
                  || ' by ' || weight_ind
             ELSE 'unweighted mean of ' || string_agg(p.region_code, ', ' ORDER BY p.region_code)
                  || ' (no weights given)' END AS method,
        count(*) AS n_parts
    FROM post p JOIN parts x USING (old_code)
    GROUP BY p.old_code, p.period, p.period_start
)
SELECT ind AS indicator_id, region_code, period, period_start, value, method, n_parts
FROM aggregated
UNION ALL
SELECT ind, region_code, period, period_start, value, 'as reported', 1
FROM indicator_values
WHERE indicator_id = ind AND boundary_version = 'pre-2022-06';
