-- Indicators with their coverage (regions, periods) and source.
SELECT i.indicator_id, i.name, i.unit, i.origin,
       count(DISTINCT v.region_code) AS regions,
       string_agg(DISTINCT v.period, ', ' ORDER BY v.period) AS periods,
       i.source
FROM indicators i LEFT JOIN indicator_values v USING (indicator_id)
GROUP BY ALL
ORDER BY i.origin, i.indicator_id
