"""The DuckDB warehouse: the only package that knows SQL schemas.

Other packages hand it records and read from it through the functions exported here.
"""

from __future__ import annotations

from dataclasses import dataclass

from qatysu.warehouse.migrate import Migration, migrate
from qatysu.warehouse.posts import UpsertResult, post_uid_for, source_id_for, upsert_posts, upsert_sources
from qatysu.warehouse.privacy import ensure_author_key, load_author_key
from qatysu.warehouse.reference import load_reference
from qatysu.warehouse.store import (
    Warehouse,
    WarehouseBusy,
    WarehouseError,
    WarehouseMissing,
    WarehouseUnreadable,
    WriteSession,
    transaction,
)


@dataclass(frozen=True)
class InitResult:
    created: bool
    migrations: list[Migration]
    reference_loaded: bool
    key_created: bool

    @property
    def changed(self) -> bool:
        return self.created or bool(self.migrations) or self.reference_loaded or self.key_created


def init_warehouse(wh: Warehouse, *, upto: int | None = None) -> InitResult:
    """Create or upgrade the warehouse: migrations, shipped reference data, the author key, the snapshot.

    ``upto`` stops at an older migration (for testing upgrades); reference data needs the full schema.
    """
    wh.check_path()
    created = not wh.exists()
    wh.path.parent.mkdir(parents=True, exist_ok=True)
    key_created = ensure_author_key(wh.author_key_path)
    with wh.writer(publish=False, create=True) as con:
        applied = migrate(con, upto=upto)
        reference = load_reference(con) if upto is None else False
    changed = created or applied or reference or key_created or not wh.snapshot_path.exists()
    if changed:
        wh.publish_snapshot()
    return InitResult(created, applied, reference, key_created)


__all__ = [
    "InitResult",
    "UpsertResult",
    "Warehouse",
    "WarehouseBusy",
    "WarehouseError",
    "WarehouseMissing",
    "WarehouseUnreadable",
    "init_warehouse",
    "load_author_key",
    "migrate",
    "post_uid_for",
    "source_id_for",
    "transaction",
    "upsert_posts",
    "upsert_sources",
]
