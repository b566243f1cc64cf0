-- Sources with their post counts.
SELECT source_id, kind, region_code, title, subscribers, posts, last_post_at, has_public_preview
FROM v_sources
ORDER BY source_id
