-- Core tables: what was collected, from where, by which crawl, and the regional reference data.
-- Foreign keys are deliberately not declared: DuckDB rewrites updated rows of a referenced table,
-- which would make every counter update on posts pay for them. Integrity is kept by the writers
-- in warehouse/ (the only code that writes here) and checked by tests.

CREATE TABLE sources (
    source_id          VARCHAR PRIMARY KEY,
    platform           VARCHAR NOT NULL,
    handle             VARCHAR NOT NULL,
    title              VARCHAR,
    description        VARCHAR,
    kind               VARCHAR,
    region_code        VARCHAR,
    subscribers        BIGINT,
    url                VARCHAR,
    has_public_preview BOOLEAN,
    added_at           TIMESTAMPTZ NOT NULL DEFAULT current_timestamp,
    updated_at         TIMESTAMPTZ
);
COMMENT ON TABLE sources IS 'Where posts come from: one row per channel, wall, video channel, site or file source.';
COMMENT ON COLUMN sources.source_id IS 'Stable id "<platform>:<handle>" (handle lower-cased, except case-sensitive YouTube ids), e.g. telegram:tengrinews.';
COMMENT ON COLUMN sources.platform IS 'telegram, vk, youtube, news, petition or import.';
COMMENT ON COLUMN sources.handle IS 'Platform handle as the platform spells it (channel name, wall id, site domain).';
COMMENT ON COLUMN sources.title IS 'Display title of the source as last seen.';
COMMENT ON COLUMN sources.description IS 'Self-description of the source as last seen.';
COMMENT ON COLUMN sources.kind IS 'news, official, akimat, blogger, activist, party or other (set by the researcher).';
COMMENT ON COLUMN sources.region_code IS 'ISO 3166-2:KZ code of the region the source is registered to, if any.';
COMMENT ON COLUMN sources.subscribers IS 'Subscribers or members as last seen; NULL when unknown.';
COMMENT ON COLUMN sources.url IS 'Public address of the source.';
COMMENT ON COLUMN sources.has_public_preview IS 'FALSE when the platform shows no public preview (e.g. a Telegram channel without t.me/s).';
COMMENT ON COLUMN sources.added_at IS 'When the source was first registered or seen.';
COMMENT ON COLUMN sources.updated_at IS 'When the source metadata was last refreshed.';

CREATE TABLE posts (
    post_uid       VARCHAR PRIMARY KEY,
    platform       VARCHAR NOT NULL,
    source_id      VARCHAR NOT NULL,
    post_id        VARCHAR NOT NULL,
    url            VARCHAR,
    published_at   TIMESTAMPTZ,
    collected_at   TIMESTAMPTZ NOT NULL,
    updated_at     TIMESTAMPTZ NOT NULL,
    author_hash    VARCHAR,
    text           VARCHAR,
    lang           VARCHAR,
    reply_to       VARCHAR,
    forwarded_from VARCHAR,
    views          BIGINT,
    reactions      BIGINT,
    comments       BIGINT,
    forwards       BIGINT,
    region_code    VARCHAR,
    content_hash   VARCHAR NOT NULL,
    extra          JSON
);
COMMENT ON TABLE posts IS 'One row per collected post or comment; counters hold the latest observation (history in post_metrics).';
COMMENT ON COLUMN posts.post_uid IS 'Unique id "<source_id>:<post_id>", e.g. telegram:tengrinews:51234.';
COMMENT ON COLUMN posts.platform IS 'telegram, vk, youtube, news, petition or import.';
COMMENT ON COLUMN posts.source_id IS 'The source (sources.source_id) the post belongs to.';
COMMENT ON COLUMN posts.post_id IS 'Id of the post within its source, as the platform gives it.';
COMMENT ON COLUMN posts.url IS 'Canonical public address of the post (for Telegram https://t.me/<channel>/<id>).';
COMMENT ON COLUMN posts.published_at IS 'Publication time (time zone aware; shown in the session time zone).';
COMMENT ON COLUMN posts.collected_at IS 'When the post was first stored.';
COMMENT ON COLUMN posts.updated_at IS 'When the post was last re-collected.';
COMMENT ON COLUMN posts.author_hash IS 'Keyed hash (HMAC-SHA256) of the author id; the key is kept outside the warehouse. NULL for channel posts.';
COMMENT ON COLUMN posts.text IS 'Post text as published, line breaks kept.';
COMMENT ON COLUMN posts.lang IS 'Language: ru, kk, mixed, other or und (set by processing; NULL until processed).';
COMMENT ON COLUMN posts.reply_to IS 'post_id of the post this one replies to, within the same source.';
COMMENT ON COLUMN posts.forwarded_from IS 'Name or handle of the original source of a forwarded post.';
COMMENT ON COLUMN posts.views IS 'Views at the latest observation; NULL where the platform shows none (never zero-filled).';
COMMENT ON COLUMN posts.reactions IS 'Reactions or likes at the latest observation; NULL when not shown.';
COMMENT ON COLUMN posts.comments IS 'Comments or replies at the latest observation; NULL when not shown.';
COMMENT ON COLUMN posts.forwards IS 'Forwards or reposts at the latest observation; NULL when not shown.';
COMMENT ON COLUMN posts.region_code IS 'Region given with the post by its source file (importers); text-based attribution lives in post_regions.';
COMMENT ON COLUMN posts.content_hash IS 'MD5 of the text; changes when a post is edited.';
COMMENT ON COLUMN posts.extra IS 'Platform-specific details as JSON (media flags, edit mark, links, hashtags, per-emoji reactions).';

CREATE TABLE post_metrics (
    post_uid    VARCHAR NOT NULL,
    observed_at TIMESTAMPTZ NOT NULL,
    views       BIGINT,
    reactions   BIGINT,
    comments    BIGINT,
    forwards    BIGINT
);
COMMENT ON TABLE post_metrics IS 'Every observation of a post''s engagement counters; one row per post per collection, so growth is kept.';
COMMENT ON COLUMN post_metrics.post_uid IS 'The post (posts.post_uid).';
COMMENT ON COLUMN post_metrics.observed_at IS 'When the counters were read.';
COMMENT ON COLUMN post_metrics.views IS 'Views at observed_at; NULL when not shown.';
COMMENT ON COLUMN post_metrics.reactions IS 'Reactions or likes at observed_at; NULL when not shown.';
COMMENT ON COLUMN post_metrics.comments IS 'Comments at observed_at; NULL when not shown.';
COMMENT ON COLUMN post_metrics.forwards IS 'Forwards or reposts at observed_at; NULL when not shown.';

CREATE TABLE crawl_runs (
    run_id      VARCHAR PRIMARY KEY,
    spider      VARCHAR NOT NULL,
    started_at  TIMESTAMPTZ NOT NULL,
    finished_at TIMESTAMPTZ,
    status      VARCHAR NOT NULL,
    items       BIGINT NOT NULL DEFAULT 0,
    errors      BIGINT NOT NULL DEFAULT 0,
    args        JSON
);
COMMENT ON TABLE crawl_runs IS 'One row per crawl or import run.';
COMMENT ON COLUMN crawl_runs.run_id IS 'Unique run id.';
COMMENT ON COLUMN crawl_runs.spider IS 'Spider or importer name (telegram, vk, youtube, news, import-csv, ...).';
COMMENT ON COLUMN crawl_runs.started_at IS 'Start time of the run.';
COMMENT ON COLUMN crawl_runs.finished_at IS 'End time; NULL while running or after a crash.';
COMMENT ON COLUMN crawl_runs.status IS 'running, finished, failed or interrupted.';
COMMENT ON COLUMN crawl_runs.items IS 'Posts written by the run.';
COMMENT ON COLUMN crawl_runs.errors IS 'Errors met by the run.';
COMMENT ON COLUMN crawl_runs.args IS 'Run arguments as JSON (secrets are never stored).';

CREATE TABLE regions (
    region_code      VARCHAR PRIMARY KEY,
    code_before_2022 VARCHAR,
    kato_prefix      VARCHAR NOT NULL,
    kind             VARCHAR NOT NULL,
    name_en          VARCHAR NOT NULL,
    name_kk          VARCHAR NOT NULL,
    name_ru          VARCHAR NOT NULL,
    split_from       VARCHAR,
    created          DATE
);
COMMENT ON TABLE regions IS 'The 20 first-level units of Kazakhstan in force since 8 June 2022 (17 oblasts, 3 cities).';
COMMENT ON COLUMN regions.region_code IS 'ISO 3166-2:KZ code, numeric form in force since 29 Nov 2022 (KZ-63).';
COMMENT ON COLUMN regions.code_before_2022 IS 'ISO 3166-2:KZ letter code used before 29 Nov 2022 (KZ-VOS); NULL for regions created in 2022.';
COMMENT ON COLUMN regions.kato_prefix IS 'First two digits of the KATO classifier code.';
COMMENT ON COLUMN regions.kind IS 'oblast or city (of republican significance).';
COMMENT ON COLUMN regions.name_en IS 'English name.';
COMMENT ON COLUMN regions.name_kk IS 'Kazakh name.';
COMMENT ON COLUMN regions.name_ru IS 'Russian name.';
COMMENT ON COLUMN regions.split_from IS 'For regions created on 8 June 2022, the region they were split from.';
COMMENT ON COLUMN regions.created IS 'Creation date for regions created on 8 June 2022.';

CREATE TABLE region_aliases (
    alias       VARCHAR NOT NULL,
    alias_key   VARCHAR NOT NULL,
    region_code VARCHAR NOT NULL,
    lang        VARCHAR NOT NULL,
    alias_kind  VARCHAR NOT NULL,
    PRIMARY KEY (alias_key, region_code)
);
COMMENT ON TABLE region_aliases IS 'Names, abbreviations, former names and codes that refer to a region, for matching.';
COMMENT ON COLUMN region_aliases.alias IS 'The name as written (ВКО, Нур-Султан, Almaty Region).';
COMMENT ON COLUMN region_aliases.alias_key IS 'Matching key: lower case, ё→е, dashes and spaces collapsed.';
COMMENT ON COLUMN region_aliases.region_code IS 'The region (regions.region_code) on the current 20-unit map.';
COMMENT ON COLUMN region_aliases.lang IS 'ru, kk, en or code.';
COMMENT ON COLUMN region_aliases.alias_kind IS 'code, name, abbreviation, former_name or centre (administrative centre city).';

CREATE TABLE region_crosswalk (
    old_code VARCHAR NOT NULL,
    new_code VARCHAR NOT NULL,
    PRIMARY KEY (old_code, new_code)
);
COMMENT ON TABLE region_crosswalk IS 'The 8 June 2022 split: which of the 20 current regions lie in each of the 17 earlier ones.';
COMMENT ON COLUMN region_crosswalk.old_code IS 'Region on the 17-unit map in force until 7 June 2022.';
COMMENT ON COLUMN region_crosswalk.new_code IS 'Region on the 20-unit map in force since 8 June 2022 that lies within old_code.';

CREATE TABLE indicators (
    indicator_id VARCHAR PRIMARY KEY,
    name         VARCHAR NOT NULL,
    unit         VARCHAR,
    description  VARCHAR,
    source       VARCHAR,
    origin       VARCHAR NOT NULL,
    loaded_at    TIMESTAMPTZ NOT NULL DEFAULT current_timestamp
);
COMMENT ON TABLE indicators IS 'Regional participation indicators: shipped reference data and researcher-loaded series.';
COMMENT ON COLUMN indicators.indicator_id IS 'Short id used in indicator_values and analyses (turnout_mazhilis_2023).';
COMMENT ON COLUMN indicators.name IS 'Human-readable name.';
COMMENT ON COLUMN indicators.unit IS 'Unit of the values: %, count, ratio...';
COMMENT ON COLUMN indicators.description IS 'What is measured, and caveats.';
COMMENT ON COLUMN indicators.source IS 'Where the figures come from (citation and address).';
COMMENT ON COLUMN indicators.origin IS 'reference (shipped with Qatysu) or researcher (loaded with qatysu indicators load).';
COMMENT ON COLUMN indicators.loaded_at IS 'When the indicator was loaded.';

CREATE TABLE indicator_values (
    indicator_id     VARCHAR NOT NULL,
    region_code      VARCHAR NOT NULL,
    period           VARCHAR NOT NULL,
    period_start     DATE NOT NULL,
    value            DOUBLE NOT NULL,
    boundary_version VARCHAR NOT NULL,
    note             VARCHAR,
    PRIMARY KEY (indicator_id, region_code, period)
);
COMMENT ON TABLE indicator_values IS 'Indicator values by region and period, on the map in force at the period.';
COMMENT ON COLUMN indicator_values.indicator_id IS 'The indicator (indicators.indicator_id).';
COMMENT ON COLUMN indicator_values.region_code IS 'ISO 3166-2:KZ numeric code of the region.';
COMMENT ON COLUMN indicator_values.period IS 'Period as given: YYYY, YYYY-Qn, YYYY-MM or YYYY-MM-DD (election day).';
COMMENT ON COLUMN indicator_values.period_start IS 'First day of the period, for ordering and joins.';
COMMENT ON COLUMN indicator_values.value IS 'The value, in the indicator''s unit.';
COMMENT ON COLUMN indicator_values.boundary_version IS 'pre-2022-06 (17-unit map) or post-2022-06 (20-unit map).';
COMMENT ON COLUMN indicator_values.note IS 'Caveats for this value (snapshot time, source remarks).';
