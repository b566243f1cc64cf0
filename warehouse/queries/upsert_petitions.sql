-- Insert or refresh the petitions of temporary table _petitions (one import's batch) at time $now; fields the
-- file leaves empty keep their stored value.
INSERT INTO petitions (petition_uid, platform, petition_id, url, title, text, author_hash, created_at, closes_at,
                       status, target, region_code, topic_tags, first_seen_at, updated_at)
SELECT petition_uid, platform, petition_id, url, title, text, author_hash, created_at, closes_at,
       status, target, region_code, topic_tags, $now, $now
FROM _petitions
ON CONFLICT (petition_uid) DO UPDATE SET
    url = coalesce(excluded.url, petitions.url),
    title = excluded.title,
    text = coalesce(excluded.text, petitions.text),
    author_hash = coalesce(excluded.author_hash, petitions.author_hash),
    created_at = excluded.created_at,
    closes_at = coalesce(excluded.closes_at, petitions.closes_at),
    status = coalesce(excluded.status, petitions.status),
    target = coalesce(excluded.target, petitions.target),
    region_code = coalesce(excluded.region_code, petitions.region_code),
    topic_tags = coalesce(excluded.topic_tags, petitions.topic_tags),
    updated_at = excluded.updated_at
