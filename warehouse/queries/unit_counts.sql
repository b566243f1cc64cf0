-- Per-post counts of every unit of a scope for the marker log-odds: of the posts in each engagement group
-- (temp table _groups, built by the markers step), how many contain the unit (temp table _post_units).
-- Params: $min_count (units in fewer posts of the scope are not scored).
SELECT u.unit, u.term, mode(g.lang) AS lang,
       count(*) FILTER (WHERE g.grp = 'high') AS count_high,
       count(*) FILTER (WHERE g.grp = 'low') AS count_low,
       count(*) AS count_all
FROM _post_units u JOIN _groups g USING (post_uid)
GROUP BY u.unit, u.term
HAVING count(*) >= $min_count
ORDER BY u.unit, u.term
