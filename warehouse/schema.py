"""The schema as researchers see it, read back from the warehouse's own COMMENTs.

``docs/warehouse.md`` embeds this text; a test keeps the two the same, so the documentation
cannot drift from the migrations.
"""

from __future__ import annotations

import duckdb


def schema_markdown(con: duckdb.DuckDBPyConnection) -> str:
    objects = con.execute(
        """SELECT table_name, 'table' AS kind, comment FROM duckdb_tables()
               WHERE schema_name = 'main' AND NOT temporary AND database_name = current_database()
           UNION ALL
           SELECT view_name, 'view', comment FROM duckdb_views()
               WHERE schema_name = 'main' AND NOT internal AND NOT temporary AND database_name = current_database()
           ORDER BY kind, 1"""
    ).fetchall()
    columns = con.execute(
        """SELECT table_name, column_name, data_type, comment FROM duckdb_columns()
           WHERE schema_name = 'main' AND database_name = current_database() ORDER BY table_name, column_index"""
    ).fetchall()
    by_table: dict[str, list[tuple[str, str, str | None]]] = {}
    for table, column, dtype, comment in columns:
        by_table.setdefault(table, []).append((column, dtype, comment))
    macros = con.execute(
        """SELECT function_name, function_type, parameters, comment FROM duckdb_functions()
           WHERE schema_name = 'main' AND database_name = current_database()
             AND function_type IN ('macro', 'table_macro') AND comment IS NOT NULL
           ORDER BY function_name"""
    ).fetchall()
    parts = []
    for name, kind, comment in objects:
        parts.append(f"### `{name}` ({kind})\n\n{comment or ''}\n\n| column | type | meaning |\n|---|---|---|")
        parts.extend(f"| `{c}` | {t} | {m or ''} |" for c, t, m in by_table.get(name, []))
        parts.append("")
    if macros:
        parts.append("### Macros\n\n| macro | returns | meaning |\n|---|---|---|")
        parts.extend(f"| `{name}({', '.join(params)})` | {'rows' if kind == 'table_macro' else 'a value'} | "
                     f"{comment} |" for name, kind, params, comment in macros)
        parts.append("")
    return "\n".join(parts).rstrip() + "\n"
