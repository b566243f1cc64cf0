-- Posts in each engagement group of temporary table _groups.
SELECT grp, count(*) AS posts FROM _groups GROUP BY 1
