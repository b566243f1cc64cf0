-- (indicator_id, boundary_version, period, map region → value) of the latest period of each indicator (all, or
-- those in $names), on the map it was reported on.
WITH latest AS (
    SELECT indicator_id, max(period_start) AS period_start FROM indicator_values GROUP BY 1
)
SELECT v.indicator_id, any_value(v.boundary_version), any_value(v.period),
       map_from_entries(list({'k': v.region_code, 'v': v.value}))
FROM indicator_values v JOIN latest USING (indicator_id, period_start)
WHERE $names IS NULL OR v.indicator_id IN (SELECT unnest($names))
GROUP BY v.indicator_id
ORDER BY v.indicator_id
