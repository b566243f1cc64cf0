-- Both marker methods of one markers run side by side, for every unit the engagement model estimated and every
-- unit either method found (q ≤ $q_level): the per-post log-odds (z, q) and the model's ratio within sources
-- (exp(estimate), 95% interval, q), and whether they agree — both find it with the same sign, only one does,
-- or they find opposite signs. Params: $run, $q_level.
WITH scores AS (SELECT * FROM marker_scores WHERE run_id = $run),
effects AS (SELECT * FROM marker_effects WHERE run_id = $run)
SELECT s.scope, s.unit, s.term, s.lang, s.z, s.q AS q_logodds, s.count_high, s.count_low,
       exp(e.estimate) AS ratio, exp(e.ci_low) AS ratio_low, exp(e.ci_high) AS ratio_high, e.q AS q_model,
       CASE WHEN e.term IS NULL THEN (CASE WHEN s.q <= $q_level THEN 'log-odds only (not in the model)'
                                           ELSE 'neither' END)
            WHEN s.q <= $q_level AND e.q <= $q_level AND sign(s.z) = sign(e.estimate) THEN 'both'
            WHEN s.q <= $q_level AND e.q <= $q_level THEN 'opposite signs'
            WHEN s.q <= $q_level THEN 'log-odds only'
            WHEN e.q <= $q_level THEN 'model only'
            ELSE 'neither' END AS agreement,
       CASE WHEN least(s.q, coalesce(e.q, 1)) > $q_level THEN 'no evidence'
            WHEN (CASE WHEN e.q <= $q_level THEN e.estimate ELSE s.z END) > 0 THEN 'higher'
            ELSE 'lower' END AS engagement
FROM scores s LEFT JOIN effects e USING (scope, unit, term)
WHERE e.term IS NOT NULL OR s.q <= $q_level
ORDER BY s.scope, s.unit, least(s.q, coalesce(e.q, 1)), s.term
