-- The petitions of temporary table _petitions as the batch of posts merge_batch reads (view _batch, posts.BATCH):
-- each petition's title and text as a post of platform petition, source petition:<platform>, post_uid equal to
-- its petition_uid, published when it opened; no counters (its outcome is its signatures).
CREATE OR REPLACE TEMP VIEW _batch AS
SELECT petition_uid AS post_uid, 'petition' AS platform, 'petition:' || platform AS source_id, platform AS handle,
       petition_id AS post_id, url, created_at AS published_at, author_hash,
       title || coalesce(chr(10) || chr(10) || text, '') AS text, NULL::VARCHAR AS lang, NULL::VARCHAR AS reply_to,
       NULL::VARCHAR AS forwarded_from, NULL::BIGINT AS views, NULL::BIGINT AS reactions, NULL::BIGINT AS comments,
       NULL::BIGINT AS forwards, region_code, NULL::VARCHAR AS extra
FROM _petitions
