-- The value stored under one key ($key) of warehouse_meta.
SELECT value FROM warehouse_meta WHERE key = $key
