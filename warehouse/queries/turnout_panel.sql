-- Turnout by region for every national vote on the 20-unit map (values from before the June 2022 split carried
-- to each part of a split region), with the vote's kind and date and the region's unit on the pre-2022 map
-- (the cluster: a split region and its parts share one carried figure).
SELECT c.region_code, v.vote_id, v.kind, v.vote_date, c.value AS turnout,
       c.reported_region_code <> c.region_code AS carried, x.old_code AS cluster
FROM votes v
JOIN v_indicator_values_current_map c ON c.indicator_id = v.indicator_id
JOIN region_crosswalk x ON x.new_code = c.region_code
ORDER BY v.vote_date, c.region_code
