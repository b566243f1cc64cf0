"""Shared fixtures: real warehouse files in temporary directories. Helpers live in ``helpers.py``."""

from __future__ import annotations

import shutil

import pytest

from helpers import shared_posts
from qatysu.warehouse import Warehouse, init_warehouse


@pytest.fixture(autouse=True)
def _no_ambient_config(monkeypatch):
    for name in ("QATYSU_DB", "QATYSU_AUTHOR_KEY", "QATYSU_LOCK_TIMEOUT"):
        monkeypatch.delenv(name, raising=False)


@pytest.fixture(scope="session")
def _initialised(tmp_path_factory) -> Warehouse:
    """One warehouse initialised per test session (migrations, reference data, key, snapshot)."""
    template = Warehouse.at(tmp_path_factory.mktemp("template") / "qatysu.duckdb")
    init_warehouse(template)
    return template


@pytest.fixture
def wh(_initialised, tmp_path) -> Warehouse:
    """A freshly initialised warehouse of the test's own: a copy of the session's template."""
    warehouse = Warehouse.at(tmp_path / "qatysu.duckdb")
    for source, target in ((_initialised.path, warehouse.path), (_initialised.snapshot_path, warehouse.snapshot_path),
                           (_initialised.author_key_path, warehouse.author_key_path)):
        shutil.copy2(source, target)
    return warehouse


@pytest.fixture(scope="session")
def shared_lemma_lists() -> list[list[str]]:
    """Content lemmas of 3,000 real posts (analysed once per test session)."""
    from qatysu.nlp.pipeline import analyze

    return [a.content_lemmas for a in analyze(p["text"] for p in shared_posts(3000))]


