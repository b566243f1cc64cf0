-- The turnout history of the region × vote panel, for the report's fan charts.
SELECT region_code, vote_id, kind, vote_date, turnout, carried FROM v_region_panel ORDER BY vote_date, region_code
