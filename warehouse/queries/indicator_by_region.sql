-- Region code → value of one indicator ($indicator).
SELECT region_code, value FROM indicator_values WHERE indicator_id = $indicator
