-- A forecast run's leave-one-vote-out backtest, best model first within each kind ($run).
SELECT kind, model, round(mae, 2) AS mae, round(coverage80, 2) AS coverage80, round(coverage95, 2) AS coverage95, n,
       CASE WHEN chosen THEN 'chosen' ELSE '' END AS chosen
FROM forecast_backtest WHERE run_id = $run ORDER BY kind, mae
