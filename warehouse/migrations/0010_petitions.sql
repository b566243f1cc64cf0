-- Petitions: each petition once, every reading of its signature count appended (as post_metrics keeps engagement),
-- and a view of signatures per day since opening. A petition's title and text are also stored as a post of
-- platform 'petition' whose post_uid equals the petition_uid, so processing (language, lemmas, regions named in
-- the text) and topic models treat petition texts like any post, and their results join on that uid.

CREATE TABLE petitions (
    petition_uid  VARCHAR PRIMARY KEY,
    platform      VARCHAR NOT NULL,
    petition_id   VARCHAR NOT NULL,
    url           VARCHAR,
    title         VARCHAR NOT NULL,
    text          VARCHAR,
    author_hash   VARCHAR,
    created_at    TIMESTAMPTZ NOT NULL,
    closes_at     TIMESTAMPTZ,
    status        VARCHAR,
    target        VARCHAR,
    region_code   VARCHAR,
    topic_tags    VARCHAR[],
    first_seen_at TIMESTAMPTZ NOT NULL,
    updated_at    TIMESTAMPTZ NOT NULL
);
COMMENT ON TABLE petitions IS 'One row per petition (the eGov portal''s online petitions, change.org and the like), as last imported; signature counts over time are in petition_signatures.';
COMMENT ON COLUMN petitions.petition_uid IS 'Unique id "petition:<platform>:<petition_id>"; also the post_uid of the petition''s text in posts (platform petition), so post_lemmas and v_post_regions join on it.';
COMMENT ON COLUMN petitions.platform IS 'Where the petition is published, lower-case (e.g. egov, change.org).';
COMMENT ON COLUMN petitions.petition_id IS 'Id of the petition on its platform.';
COMMENT ON COLUMN petitions.url IS 'Public address of the petition.';
COMMENT ON COLUMN petitions.title IS 'Title as published.';
COMMENT ON COLUMN petitions.text IS 'Body text as published, line breaks kept.';
COMMENT ON COLUMN petitions.author_hash IS 'Keyed hash (HMAC-SHA256) of the author''s name or id, the same pseudonym as posts.author_hash of the petition''s post; the key is kept outside the warehouse.';
COMMENT ON COLUMN petitions.created_at IS 'When the petition opened for signatures.';
COMMENT ON COLUMN petitions.closes_at IS 'When signing closes (or closed); NULL when not given.';
COMMENT ON COLUMN petitions.status IS 'Status as the platform gives it, lower-case (e.g. open, closed, under review, answered, accepted, rejected).';
COMMENT ON COLUMN petitions.target IS 'The body or official the petition is addressed to, as given.';
COMMENT ON COLUMN petitions.region_code IS 'Region given with the petition by its source file; regions named in its text are in v_post_regions.';
COMMENT ON COLUMN petitions.topic_tags IS 'Topic tags or categories the platform gives the petition.';
COMMENT ON COLUMN petitions.first_seen_at IS 'When the petition was first imported.';
COMMENT ON COLUMN petitions.updated_at IS 'When it was last imported.';

CREATE TABLE petition_signatures (
    petition_uid VARCHAR NOT NULL,
    observed_at  TIMESTAMPTZ NOT NULL,
    signatures   BIGINT NOT NULL,
    threshold    BIGINT,
    PRIMARY KEY (petition_uid, observed_at)
);
COMMENT ON TABLE petition_signatures IS 'Every reading of a petition''s signature count: one row per petition per collection, so growth is kept; the same reading imported twice is stored once.';
COMMENT ON COLUMN petition_signatures.petition_uid IS 'The petition (petitions.petition_uid).';
COMMENT ON COLUMN petition_signatures.observed_at IS 'When the count was read (the file''s observed_at, else the time of the import).';
COMMENT ON COLUMN petition_signatures.signatures IS 'Signatures at observed_at.';
COMMENT ON COLUMN petition_signatures.threshold IS 'Signatures the petition needs to be considered (the eGov portal''s threshold), as shown at observed_at; NULL when the platform sets none.';

CREATE VIEW v_petitions AS
WITH latest AS (
    SELECT petition_uid, arg_max(observed_at, observed_at) AS observed_at,
           arg_max(signatures, observed_at) AS signatures, arg_max(threshold, observed_at) AS threshold,
           count(*) AS snapshots
    FROM petition_signatures
    GROUP BY petition_uid
)
SELECT p.petition_uid, p.platform, p.petition_id, p.url, p.title, p.target, p.status, p.region_code, p.topic_tags,
       p.created_at, p.closes_at, l.observed_at, l.signatures, l.threshold, l.snapshots,
       greatest(epoch(least(l.observed_at, coalesce(p.closes_at, l.observed_at)) - p.created_at) / 86400.0, 1.0)
           AS days_open,
       l.signatures / greatest(epoch(least(l.observed_at, coalesce(p.closes_at, l.observed_at)) - p.created_at)
                               / 86400.0, 1.0) AS signatures_per_day,
       l.signatures >= l.threshold AS threshold_reached
FROM petitions p LEFT JOIN latest l USING (petition_uid);
COMMENT ON VIEW v_petitions IS 'Each petition with its latest signature count and its pace: signatures per day since it opened, counted up to the latest reading or to closing, whichever came first, and at least one day.';
COMMENT ON COLUMN v_petitions.petition_uid IS 'The petition (and the post_uid of its text).';
COMMENT ON COLUMN v_petitions.platform IS 'Where it is published.';
COMMENT ON COLUMN v_petitions.petition_id IS 'Its id on the platform.';
COMMENT ON COLUMN v_petitions.url IS 'Public address.';
COMMENT ON COLUMN v_petitions.title IS 'Title.';
COMMENT ON COLUMN v_petitions.target IS 'Body or official addressed.';
COMMENT ON COLUMN v_petitions.status IS 'Status as last imported.';
COMMENT ON COLUMN v_petitions.region_code IS 'Region given with the petition (not from its text).';
COMMENT ON COLUMN v_petitions.topic_tags IS 'The platform''s topic tags.';
COMMENT ON COLUMN v_petitions.created_at IS 'When it opened.';
COMMENT ON COLUMN v_petitions.closes_at IS 'When signing closes; NULL when not given.';
COMMENT ON COLUMN v_petitions.observed_at IS 'The latest reading of its signatures; NULL when never read.';
COMMENT ON COLUMN v_petitions.signatures IS 'Signatures at the latest reading.';
COMMENT ON COLUMN v_petitions.threshold IS 'Threshold at the latest reading; NULL when none.';
COMMENT ON COLUMN v_petitions.snapshots IS 'Readings stored (petition_signatures rows).';
COMMENT ON COLUMN v_petitions.days_open IS 'Days from opening to the latest reading or to closing, whichever is earlier; at least 1.';
COMMENT ON COLUMN v_petitions.signatures_per_day IS 'signatures / days_open: the outcome of `qatysu markers score --outcome signatures`.';
COMMENT ON COLUMN v_petitions.threshold_reached IS 'signatures ≥ threshold at the latest reading; NULL without a threshold.';

ALTER TABLE marker_scores ADD COLUMN outcome VARCHAR DEFAULT 'engagement';
COMMENT ON COLUMN marker_scores.outcome IS 'What defines the high and low groups: engagement (relative engagement of posts within each source) or signatures (signatures per day of petitions, v_petitions, within each platform).';

COMMENT ON COLUMN indicators.origin IS 'reference (shipped with Qatysu), researcher (loaded with qatysu indicators load) or petitions (petitions by region, computed from this warehouse by qatysu petitions regions --store).';
