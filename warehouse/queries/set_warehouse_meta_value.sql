-- Store a value under one key of warehouse_meta, replacing an earlier one.
INSERT OR REPLACE INTO warehouse_meta VALUES ($key, $value)
