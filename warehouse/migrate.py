"""Versioned schema migrations: ``migrations/NNNN_name.sql`` applied in order, each in one transaction.

Applied migrations are recorded in ``schema_version`` with a checksum of their text, so an
upgrade applies exactly the missing ones, and a migration edited after it shipped is caught
instead of leaving warehouses that claim the same version but differ.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from importlib import resources

import duckdb

from qatysu.warehouse.store import WarehouseError, transaction

_NAME = re.compile(r"^(\d{4})_([a-z0-9_]+)\.sql$")

_VERSION_TABLE = """
CREATE TABLE IF NOT EXISTS schema_version (
    version    INTEGER PRIMARY KEY,
    name       VARCHAR NOT NULL,
    checksum   VARCHAR NOT NULL,
    applied_at TIMESTAMPTZ NOT NULL DEFAULT current_timestamp
);
COMMENT ON TABLE schema_version IS 'Schema migrations applied to this warehouse, in order.';
COMMENT ON COLUMN schema_version.version IS 'Migration number.';
COMMENT ON COLUMN schema_version.name IS 'Migration name.';
COMMENT ON COLUMN schema_version.checksum IS 'SHA-256 of the migration text when it was applied.';
COMMENT ON COLUMN schema_version.applied_at IS 'When it was applied.';
"""


@dataclass(frozen=True)
class Migration:
    version: int
    name: str
    sql: str

    @property
    def checksum(self) -> str:
        return hashlib.sha256(self.sql.encode()).hexdigest()


def available_migrations() -> list[Migration]:
    """The migrations shipped with this version of Qatysu, in order."""
    found = []
    for entry in (resources.files("qatysu.warehouse") / "migrations").iterdir():
        match = _NAME.match(entry.name)
        if match:
            found.append(Migration(int(match[1]), match[2], entry.read_text(encoding="utf-8")))
    found.sort(key=lambda m: m.version)
    versions = [m.version for m in found]
    if versions != list(range(1, len(found) + 1)):
        raise WarehouseError(f"Migration numbers must run 1, 2, 3… without gaps; found {versions}")
    return found


def applied_versions(con: duckdb.DuckDBPyConnection) -> dict[int, str]:
    """Version → checksum of the migrations recorded in this warehouse (empty for a new file)."""
    exists = con.execute(
        "SELECT count(*) FROM information_schema.tables WHERE table_name = 'schema_version'"
    ).fetchone()[0]
    if not exists:
        return {}
    return dict(con.execute("SELECT version, checksum FROM schema_version").fetchall())


def migrate(con: duckdb.DuckDBPyConnection, *, upto: int | None = None) -> list[Migration]:
    """Apply every missing migration (up to ``upto``), returning those applied now."""
    con.execute(_VERSION_TABLE)
    done = applied_versions(con)
    shipped = available_migrations()
    for m in shipped:
        if m.version in done and done[m.version] != m.checksum:
            raise WarehouseError(
                f"Migration {m.version:04d}_{m.name} differs from the one applied to this warehouse; "
                "shipped migrations must never be edited — add a new one instead."
            )
    newer = set(done) - {m.version for m in shipped}
    if newer:
        raise WarehouseError(
            f"This warehouse has schema version {max(newer)}, newer than this Qatysu knows "
            f"({len(shipped)}). Upgrade Qatysu."
        )
    applied = []
    for m in shipped:
        if m.version in done or (upto is not None and m.version > upto):
            continue
        with transaction(con):
            con.execute(m.sql)
            con.execute(
                "INSERT INTO schema_version (version, name, checksum) VALUES (?, ?, ?)",
                [m.version, m.name, m.checksum],
            )
        applied.append(m)
    return applied
