-- Whether the warehouse has the forecast tables (migration 0008): one row if so.
SELECT 1 FROM duckdb_tables() WHERE table_name = 'votes'
