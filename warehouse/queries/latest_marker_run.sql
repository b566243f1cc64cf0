-- The latest markers run that scored scope $scope.
SELECT s.run_id
FROM marker_scores s JOIN analysis_runs r USING (run_id)
WHERE s.scope = $scope
ORDER BY r.started_at DESC
LIMIT 1
