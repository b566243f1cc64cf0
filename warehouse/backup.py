"""A consistent copy of the warehouse and of what it refers to beside it (topic and phrase models).

The copy is taken holding the write lock, after a checkpoint has folded the write-ahead log into the file, so no
writer changes it midway and it is a state the warehouse was in. It is written under a temporary name and
renamed when complete: a backup interrupted midway leaves no file that looks whole. The author key is not
copied: whoever holds a backup together with the key can re-identify authors.
"""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass
from pathlib import Path

from qatysu.warehouse.store import Warehouse, WarehouseError

# What a run keeps in the data folder that the warehouse refers to (the Prefect home and HTTP cache are not).
DATA_KEPT = ("models", "phrases")


@dataclass(frozen=True)
class BackupSummary:
    warehouse: Path
    size: int
    data: list[Path]


def backup(wh: Warehouse, dest: Path) -> BackupSummary:
    """Copy the warehouse into folder ``dest`` as ``<name>.duckdb``, with its models under ``<name>-data/``."""
    wh.require()
    target = dest / wh.path.name
    if target.exists() or target.resolve() == wh.path:
        raise WarehouseError(f"{target} already exists: back up into an empty folder")
    dest.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(f".{target.name}.partial")
    copied = []
    try:
        with wh.writer(publish=False) as con:
            con.execute("CHECKPOINT")
            shutil.copyfile(wh.path, partial)
            for name in DATA_KEPT:
                source = wh.data_dir / name
                if source.is_dir():
                    kept = dest / wh.data_dir.name / name
                    shutil.copytree(source, kept, dirs_exist_ok=True)
                    copied.append(kept)
        os.replace(partial, target)
    finally:
        partial.unlink(missing_ok=True)
    return BackupSummary(target, target.stat().st_size, copied)
