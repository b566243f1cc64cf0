-- Output of the processing step (qatysu process): lemmas, phrases and regions of every post.

CREATE TABLE post_lemmas (
    post_uid       VARCHAR PRIMARY KEY,
    content_hash   VARCHAR NOT NULL,
    lang           VARCHAR NOT NULL,
    lemmas         VARCHAR[] NOT NULL,
    tokens         INTEGER NOT NULL,
    content_tokens INTEGER NOT NULL,
    hashtags       VARCHAR[],
    mentions       VARCHAR[],
    urls           VARCHAR[],
    emoji          VARCHAR[],
    processed_at   TIMESTAMPTZ NOT NULL
);
COMMENT ON TABLE post_lemmas IS 'Lemmatised posts: content lemmas in order (stop words removed), phrases, counts and extracted entities.';
COMMENT ON COLUMN post_lemmas.post_uid IS 'The post (posts.post_uid).';
COMMENT ON COLUMN post_lemmas.content_hash IS 'posts.content_hash of the text that was processed; a different hash means the post was edited since.';
COMMENT ON COLUMN post_lemmas.lang IS 'Language of the post: ru, kk, mixed, other or und.';
COMMENT ON COLUMN post_lemmas.lemmas IS 'Lemmas of the content words in text order (stop words, numbers and punctuation removed).';
COMMENT ON COLUMN post_lemmas.tokens IS 'Word tokens in the post.';
COMMENT ON COLUMN post_lemmas.content_tokens IS 'Content lemmas in the post (length of lemmas).';
COMMENT ON COLUMN post_lemmas.hashtags IS 'Hashtags without #, look-alike letters repaired.';
COMMENT ON COLUMN post_lemmas.mentions IS '@mentions without @.';
COMMENT ON COLUMN post_lemmas.urls IS 'Links in the text.';
COMMENT ON COLUMN post_lemmas.emoji IS 'Emoji in the text, in order.';
COMMENT ON COLUMN post_lemmas.processed_at IS 'When the post was processed.';

CREATE TABLE post_phrases (
    post_uid VARCHAR PRIMARY KEY,
    lang     VARCHAR NOT NULL,
    phrases  VARCHAR[] NOT NULL
);
COMMENT ON TABLE post_phrases IS 'Collocations the phrase model of the post''s language finds in its lemmas; rebuilt whenever the model is retrained.';
COMMENT ON COLUMN post_phrases.post_uid IS 'The post (posts.post_uid).';
COMMENT ON COLUMN post_phrases.lang IS 'Language of the phrase model (ru or kk).';
COMMENT ON COLUMN post_phrases.phrases IS 'Collocations joined with _ (избирательный_участок), in text order.';

CREATE TABLE post_regions (
    post_uid    VARCHAR NOT NULL,
    region_code VARCHAR NOT NULL,
    method      VARCHAR NOT NULL,
    confidence  DOUBLE NOT NULL,
    evidence    VARCHAR,
    PRIMARY KEY (post_uid, region_code, method)
);
COMMENT ON TABLE post_regions IS 'Regions a post is attributed to, by method; a post may have several (or none).';
COMMENT ON COLUMN post_regions.post_uid IS 'The post (posts.post_uid).';
COMMENT ON COLUMN post_regions.region_code IS 'ISO 3166-2:KZ code on the current 20-unit map.';
COMMENT ON COLUMN post_regions.method IS 'text (a region, centre or alias named in the post), source (the region the source is registered to) or given (region given with an imported post).';
COMMENT ON COLUMN post_regions.confidence IS 'How sure the attribution is, 0–1: given 1.0, region name 0.9, former name 0.8, source 0.8, centre city 0.7, ambiguous name 0.6.';
COMMENT ON COLUMN post_regions.evidence IS 'What was matched (lemmas), and how an ambiguity was resolved.';

CREATE VIEW v_post_regions AS
SELECT post_uid, region_code, max(confidence) AS confidence,
       string_agg(method, ', ' ORDER BY confidence DESC) AS methods
FROM post_regions
GROUP BY post_uid, region_code;
COMMENT ON VIEW v_post_regions IS 'One row per post and region, with the strongest confidence over the methods that attribute it.';
COMMENT ON COLUMN v_post_regions.post_uid IS 'The post.';
COMMENT ON COLUMN v_post_regions.region_code IS 'The region.';
COMMENT ON COLUMN v_post_regions.confidence IS 'Highest confidence over the methods.';
COMMENT ON COLUMN v_post_regions.methods IS 'Methods that attribute the post to the region, strongest first.';
