-- Which posts of a scope (temp table _post_units) contain each candidate unit of the engagement model.
-- Params: $units, $terms (parallel lists: the i-th candidate is ($units[i], $terms[i])).
-- Returns (post_uid, candidate index from 0).
WITH candidates AS (
    SELECT unnest($units) AS unit, unnest($terms) AS term, generate_subscripts($units, 1) - 1 AS idx
)
SELECT u.post_uid, c.idx
FROM _post_units u JOIN candidates c USING (unit, term)
