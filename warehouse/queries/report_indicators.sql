-- Report: the values of the indicators that link run $run tested.
SELECT i.indicator_id, i.name, v.region_code, v.period, v.value, v.boundary_version
FROM indicators i JOIN indicator_values v USING (indicator_id)
WHERE i.indicator_id IN (SELECT DISTINCT indicator FROM theme_links WHERE run_id = $run)
ORDER BY 1, 3
