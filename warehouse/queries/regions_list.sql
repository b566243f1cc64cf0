-- The 20 regions with their codes and names.
SELECT region_code, code_before_2022, kind, name_en, name_ru, name_kk, split_from
FROM regions
ORDER BY region_code
