-- The codes of the 20 regions of the current map.
SELECT region_code FROM regions ORDER BY region_code
