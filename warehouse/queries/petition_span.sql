-- The year of the latest signature reading, and the first and last day a petition opened, over all petitions read.
SELECT strftime(max(observed_at), '%Y') AS year, strftime(min(created_at), '%Y-%m-%d') AS first_opened,
       strftime(max(created_at), '%Y-%m-%d') AS last_opened
FROM v_petitions
WHERE observed_at IS NOT NULL
