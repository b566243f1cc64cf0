-- The latest completed run of one step ($step).
SELECT run_id FROM analysis_runs WHERE step = $step AND status = 'completed' ORDER BY started_at DESC LIMIT 1
