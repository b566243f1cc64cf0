-- The backtest of a forecast run ($run) for the report.
SELECT kind, model, mae, coverage80, coverage95, n, chosen
FROM forecast_backtest WHERE run_id = $run ORDER BY kind, mae
