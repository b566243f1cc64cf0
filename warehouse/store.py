"""The warehouse file, its companions on disk, and how processes share it.

DuckDB lets one process write a database file at a time, and a process that holds the file open
(even read-only) keeps every writer out. Qatysu therefore keeps write connections short, retries
when another process holds the lock, and gives readers their own file: a snapshot copied from the
warehouse after each write step. A step of many batches (processing) keeps one connection across
its batches, since DuckDB checkpoints on every close, but hands it back at intervals so that a writer
waiting for the lock gets its turn. A researcher querying the snapshot never blocks a scheduled flow,
and the flow never blocks the researcher (the snapshot is replaced by an atomic rename, so an open
reader keeps the old copy until it closes).
"""

from __future__ import annotations

import os
import random
import shutil
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb


DEFAULT_DB = "qatysu.duckdb"
DB_ENV = "QATYSU_DB"
LOCK_TIMEOUT_ENV = "QATYSU_LOCK_TIMEOUT"
DEFAULT_LOCK_TIMEOUT_S = 120.0
MAX_RETRY_DELAY_S = 1.0  # a writer waiting for the lock retries at least this often (± half, jittered)
SESSION_HOLD_S = 30.0  # a write session hands the lock back after holding it this long
SESSION_CHECKPOINT_THRESHOLD = "4GB"  # write-ahead log a write session lets grow between its checkpoints
MEMORY_LIMIT_ENV = "QATYSU_DUCKDB_MEMORY"
# DuckDB's own default is 80 % of the machine's memory per connection: a step's big join or aggregate (the
# report's words by topic and month over a million posts) would take the machine. Above this DuckDB spills to
# its temporary folder beside the database instead.
DEFAULT_MEMORY_LIMIT = "3GB"


class WarehouseError(RuntimeError):
    """A problem a user can act on; the CLI prints the message without a traceback."""


class WarehouseBusy(WarehouseError):
    """Another process kept the warehouse locked for longer than the lock timeout."""


class WarehouseMissing(WarehouseError):
    """The warehouse file does not exist yet."""


# Connections inside a ``transaction`` block (DuckDB aborts a transaction on a nested BEGIN, so it is not asked).
_in_transaction: set[int] = set()


class WarehouseUnreadable(WarehouseError):
    """The file is not a DuckDB database, or a damaged one."""


@contextmanager
def transaction(con: duckdb.DuckDBPyConnection) -> Iterator[duckdb.DuckDBPyConnection]:
    """All statements of the block commit together or not at all.

    Inside another ``transaction`` block the inner one joins it: the outer block commits or rolls back the
    whole, so a writer that groups several writers' batches (a petition and its post) stays all-or-nothing.
    """
    if id(con) in _in_transaction:
        yield con
        return
    con.execute("BEGIN TRANSACTION")
    _in_transaction.add(id(con))
    try:
        yield con
    except BaseException:
        con.execute("ROLLBACK")
        raise
    finally:
        _in_transaction.discard(id(con))
    con.execute("COMMIT")


def _is_lock_conflict(exc: duckdb.Error) -> bool:
    return "Could not set lock" in str(exc) or "Conflicting lock" in str(exc)


@dataclass(frozen=True)
class Warehouse:
    """One warehouse file and the files kept beside it."""

    path: Path

    @classmethod
    def at(cls, db: str | os.PathLike[str] | None = None) -> Warehouse:
        """The warehouse named by ``db``, else by ``$QATYSU_DB``, else ``./qatysu.duckdb``."""
        chosen = db or os.environ.get(DB_ENV) or DEFAULT_DB
        return cls(Path(chosen).expanduser().resolve())

    @property
    def snapshot_path(self) -> Path:
        """Read-only copy for researchers, refreshed after every write step."""
        return self.path.with_name(f"{self.path.stem}.snapshot{self.path.suffix}")

    @property
    def author_key_path(self) -> Path:
        """Secret key of the author pseudonyms; never inside the warehouse."""
        return self.path.with_name(f"{self.path.stem}.author.key")

    @property
    def data_dir(self) -> Path:
        """Directory for everything else a run produces beside the warehouse (models, Prefect home)."""
        return self.path.with_name(f"{self.path.stem}-data")

    def exists(self) -> bool:
        return self.path.exists()

    def require(self) -> None:
        """Raise a clear error unless the warehouse exists (before anything else complains about its companions)."""
        self.check_path()
        if not self.exists():
            raise WarehouseMissing(f"No warehouse at {self.path}: run `qatysu init --db {self.path}` first.")

    def check_path(self) -> None:
        """Raise a clear error when ``--db`` names a folder rather than a warehouse file."""
        if self.path.is_dir():
            raise WarehouseError(f"--db {self.path} is a folder; give the warehouse file in it, "
                                 f"e.g. --db {self.path / DEFAULT_DB}")

    def _connect(self, path: Path, *, read_only: bool,
                 config: dict[str, Any] | None = None) -> duckdb.DuckDBPyConnection:
        timeout = float(os.environ.get(LOCK_TIMEOUT_ENV, DEFAULT_LOCK_TIMEOUT_S))
        deadline = time.monotonic() + timeout
        delay = 0.05
        while True:
            try:
                con = duckdb.connect(str(path), read_only=read_only)
            except duckdb.Error as exc:
                if not (isinstance(exc, duckdb.IOException) and _is_lock_conflict(exc)):
                    reason = str(exc).splitlines()[0]
                    if not path.exists():
                        raise WarehouseError(f"{path} cannot be created ({reason}); choose a folder you may write "
                                             "to with --db") from exc
                    raise WarehouseUnreadable(
                        f"{path} cannot be opened as a DuckDB warehouse ({reason}); check --db, or restore the "
                        "file from a backup (qatysu backup)") from exc
                if time.monotonic() >= deadline:
                    raise WarehouseBusy(
                        f"{path} is locked by another process and stayed locked for {timeout:g} s "
                        f"({exc}). A scheduled flow may be writing: wait for it, or raise "
                        f"${LOCK_TIMEOUT_ENV}. To read while it writes, use the snapshot "
                        f"(qatysu sql reads {self.snapshot_path.name} by default)."
                    ) from exc
                time.sleep(delay * (0.5 + random.random()))
                delay = min(delay * 2, MAX_RETRY_DELAY_S)
                continue
            limit = os.environ.get(MEMORY_LIMIT_ENV) or DEFAULT_MEMORY_LIMIT
            try:
                con.execute(f"SET memory_limit = '{limit.replace(chr(39), '')}'")
            except duckdb.Error as exc:
                con.close()
                raise WarehouseError(f"${MEMORY_LIMIT_ENV}={limit!r} is not a memory size DuckDB takes "
                                     f"(e.g. 3GB, 500MB): {str(exc).splitlines()[0]}") from exc
            for name, value in (config or {}).items():  # after loading it: a sandboxed connection may load nothing
                con.execute(f"SET {name} = {str(value).lower()}")
            return con

    @contextmanager
    def writer(self, *, publish: bool = True, create: bool = False) -> Iterator[duckdb.DuckDBPyConnection]:
        """A short-lived write connection; the snapshot is refreshed when the block succeeds.

        Writers inside one long step (a crawl writing batch after batch) pass ``publish=False``
        for the batches and call :meth:`publish_snapshot` once at the end of the step.
        Only ``init`` passes ``create``: every other command needs an initialised warehouse.
        """
        if not create:
            self.require()
        con = self._connect(self.path, read_only=False)
        try:
            yield con
            if publish:
                self._copy_to_snapshot(con)
        finally:
            con.close()

    @contextmanager
    def write_session(self, *, hold_s: float = SESSION_HOLD_S, threads: int | None = None) -> Iterator[WriteSession]:
        """One write connection for the batches of a long step; the snapshot is refreshed when the block succeeds.

        Each batch commits in its own transaction, as with :meth:`writer`, so a step that stops midway
        keeps what it stored. Closing a DuckDB connection checkpoints the database, which costs more the
        bigger the warehouse: a connection per batch would spend most of a step's time there. ``threads``
        caps DuckDB's threads, for a step whose cores are busy with work of its own.
        """
        self.require()
        session = WriteSession(self, hold_s, threads)
        try:
            yield session
            self._copy_to_snapshot(session.connection())
        finally:
            session.close()

    def publish_snapshot(self) -> None:
        """Refresh the readers' snapshot from the warehouse as it is now."""
        with self.writer(publish=True):
            pass

    def _copy_to_snapshot(self, con: duckdb.DuckDBPyConnection) -> None:
        # CHECKPOINT folds the write-ahead log into the file; holding the write connection while
        # copying keeps other writers out, so the copy is a consistent state.
        con.execute("CHECKPOINT")
        tmp = self.snapshot_path.with_name(self.snapshot_path.name + ".tmp")
        shutil.copyfile(self.path, tmp)
        os.replace(tmp, self.snapshot_path)

    @contextmanager
    def reader(self, *, live: bool = False, config: dict[str, Any] | None = None
               ) -> Iterator[duckdb.DuckDBPyConnection]:
        """A read-only connection to the snapshot (default) or, with ``live``, to the warehouse itself.

        Reading live sees the latest data but holds the lock while open and waits for writers. A snapshot that
        is missing or damaged is rebuilt from the warehouse first. ``config`` holds DuckDB settings of the
        connection (the sandbox of ``qatysu sql``).
        """
        self.require()
        if live:
            con = self._connect(self.path, read_only=True, config=config)
        else:
            try:
                if not self.snapshot_path.is_file():
                    raise WarehouseUnreadable(f"{self.snapshot_path} is missing")
                con = self._connect(self.snapshot_path, read_only=True, config=config)
            except WarehouseUnreadable:
                try:
                    self.publish_snapshot()
                    path = self.snapshot_path
                except (WarehouseUnreadable, OSError):  # no writing beside it: read the warehouse itself
                    path = self.path
                con = self._connect(path, read_only=True, config=config)
        try:
            yield con
        finally:
            con.close()


class WriteSession:
    """The connection of :meth:`Warehouse.write_session`: take it with :meth:`connection` at each batch.

    After ``hold_s`` seconds the connection is closed and, after a pause as long as a waiting writer's
    longest retry delay, opened again, so other writers (a crawl storing its pages) are not locked out
    for the length of a long step.
    """

    def __init__(self, wh: Warehouse, hold_s: float, threads: int | None = None):
        self.wh = wh
        self.hold_s = hold_s
        self.threads = threads
        self._con: duckdb.DuckDBPyConnection | None = None
        self._since = 0.0

    def connection(self) -> duckdb.DuckDBPyConnection:
        if self._con is not None and time.monotonic() - self._since > self.hold_s:
            self.close()
            time.sleep(MAX_RETRY_DELAY_S * 1.5)
        if self._con is None:
            self._con = self.wh._connect(self.wh.path, read_only=False)
            if self.threads:
                self._con.execute(f"SET threads = {int(self.threads)}")
            # it checkpoints as it hands the warehouse back and in checkpointing(), not after every 16 MB of
            # write-ahead log as DuckDB would: that stopped the processing step's batches several times a run
            self._con.execute(f"SET checkpoint_threshold = '{SESSION_CHECKPOINT_THRESHOLD}'")
            self._since = time.monotonic()
        return self._con

    @contextmanager
    def checkpointing(self) -> Iterator[None]:
        """Fold the write-ahead log into the file while the block runs Python work that needs no warehouse
        (DuckDB checkpoints outside the GIL), so the checkpoint that publishing the snapshot starts with
        has little left to do. The block must not use the session's connection."""
        cursor = self.connection().cursor()
        failed: list[BaseException] = []

        def checkpoint() -> None:
            try:
                cursor.execute("CHECKPOINT")
            except BaseException as exc:  # raised in the caller's thread, below
                failed.append(exc)

        thread = threading.Thread(target=checkpoint, name="qatysu-checkpoint")
        thread.start()
        try:
            yield
        finally:
            thread.join()
            cursor.close()
        if failed:
            raise failed[0]

    def close(self) -> None:
        if self._con is not None:
            self._con.close()
            self._con = None
