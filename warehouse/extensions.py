"""DuckDB extensions Qatysu uses, loaded from their Python packages: nothing is downloaded at run time.

The full-text-search extension ships as ``duckdb-extension-fts`` (pinned to the DuckDB version); every
connection the warehouse opens loads it, so the search macros work in ``qatysu sql`` as in Python. In the DuckDB
shell, ``LOAD '<path>'`` with the path :func:`fts_extension_path` gives (``qatysu search --extension-path``).
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import duckdb


@cache
def fts_extension_path() -> Path | None:
    """The FTS extension file of the installed ``duckdb-extension-fts`` for this DuckDB, if there is one."""
    try:
        import duckdb_extension_fts
    except ImportError:
        return None
    root = Path(duckdb_extension_fts.__file__).parent
    found = sorted(root.glob(f"extensions/v{duckdb.__version__}/**/fts.duckdb_extension"))
    return found[0] if found else None


def load_fts(con: duckdb.DuckDBPyConnection) -> bool:
    """Load the FTS extension into ``con``; False when the package is missing (search is then unavailable)."""
    path = fts_extension_path()
    if path is None:
        return False
    con.execute(f"LOAD '{path}'")
    return True
