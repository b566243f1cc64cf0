-- Posts for a keyword-in-context listing, newest first: those whose content lemmas contain $lemma, or (with
-- $lemma NULL) whose text contains the word form $form as a whole word, case ignored.
SELECT p.post_uid, strftime(p.published_local, '%Y-%m-%d') AS published, p.source_id, p.url, p.text
FROM v_posts p
WHERE CASE WHEN $lemma IS NOT NULL
           THEN p.post_uid IN (SELECT post_uid FROM post_lemmas WHERE list_contains(lemmas, $lemma))
           ELSE regexp_matches(lower(p.text), '(^|[^\p{L}\p{N}])' || lower($form) || '($|[^\p{L}\p{N}])')
      END
ORDER BY p.published_at DESC NULLS LAST, p.post_uid
LIMIT $limit
