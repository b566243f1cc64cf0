-- A forecast run's parameters, input and output counts ($run), for the report's caveats.
SELECT run_id, params::VARCHAR AS params, inputs::VARCHAR AS inputs, outputs::VARCHAR AS outputs
FROM analysis_runs WHERE run_id = $run
