"""The export step: the warehouse as Parquet files, recorded in ``analysis_runs`` (used by ``qatysu export``)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from qatysu.flows.provenance import recorded_run
from qatysu.warehouse import Warehouse
from qatysu.warehouse.export import export_parquet, exported_tables


def export_step(wh: Warehouse, out_dir: Path, *, live: bool = False,
                progress: Callable[[str, int], None] = lambda table, total: None) -> dict[str, int]:
    """Export posts and every other table from the snapshot (or, with ``live``, the warehouse); return rows per
    table. ``progress(table, total)`` before each of the ``total`` tables."""
    with recorded_run(wh, "export", {"out": str(out_dir), "live": live}) as run:
        with wh.reader(live=live) as con:
            total = 1 + len(exported_tables(con))
            counts = export_parquet(con, out_dir, progress=lambda table: progress(table, total))
        run["outputs"] = counts
    return counts
