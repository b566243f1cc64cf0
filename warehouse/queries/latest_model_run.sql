-- The latest markers run whose post-level model of outcome $outcome estimated units in scope $scope.
SELECT s.run_id
FROM marker_effects s JOIN analysis_runs r USING (run_id)
WHERE s.scope = $scope AND s.outcome = $outcome
ORDER BY r.started_at DESC
LIMIT 1
