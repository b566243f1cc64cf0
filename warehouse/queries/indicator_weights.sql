-- Each region's latest value of the indicator $indicator on the 20-unit map (e.g. registered voters), used as
-- its weight in national figures; no rows when the indicator is not loaded.
SELECT region_code, arg_max(value, period_start) AS weight
FROM v_indicator_values_current_map
WHERE indicator_id = $indicator
GROUP BY region_code
