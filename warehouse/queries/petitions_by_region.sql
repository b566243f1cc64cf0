-- (region_code, petitions, signatures, petitions_per_100k) for every region: petitions whose text names the region
-- (v_post_regions) or, when the text names none, whose file gave it; signatures at their latest reading;
-- petitions_per_100k from the latest value of indicator $population (inhabitants), NULL when it is not loaded.
WITH placed AS (
    SELECT v.petition_uid, r.region_code, v.signatures
    FROM v_petitions v JOIN v_post_regions r ON r.post_uid = v.petition_uid
    UNION
    SELECT v.petition_uid, v.region_code, v.signatures
    FROM v_petitions v
    WHERE v.region_code IS NOT NULL
      AND NOT EXISTS (SELECT 1 FROM v_post_regions r WHERE r.post_uid = v.petition_uid)
), population AS (
    SELECT region_code, arg_max(value, period_start) AS inhabitants
    FROM indicator_values WHERE indicator_id = $population
    GROUP BY region_code
)
SELECT g.region_code, count(p.petition_uid) AS petitions, coalesce(sum(p.signatures), 0)::BIGINT AS signatures,
       count(p.petition_uid) * 100000.0 / pop.inhabitants AS petitions_per_100k
FROM regions g
LEFT JOIN placed p USING (region_code)
LEFT JOIN population pop USING (region_code)
GROUP BY g.region_code, pop.inhabitants
ORDER BY g.region_code
