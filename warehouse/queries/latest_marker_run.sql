-- The latest markers run that scored scope $scope with outcome $outcome (engagement or signatures).
SELECT s.run_id
FROM marker_scores s JOIN analysis_runs r USING (run_id)
WHERE s.scope = $scope AND s.outcome = $outcome
ORDER BY r.started_at DESC
LIMIT 1
