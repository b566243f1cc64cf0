"""Software versions recorded with every fit and flow run, so a result can be traced to what made it."""

from __future__ import annotations

import platform
from importlib.metadata import PackageNotFoundError, version

CORE = ("qatysu", "duckdb", "numpy", "spacy", "pymorphy3", "gensim")


def software_versions(*extra: str) -> dict[str, str]:
    found = {"python": platform.python_version()}
    for name in (*CORE, *extra):
        try:
            found[name] = version(name)
        except PackageNotFoundError:
            found[name] = "not installed"
    return found
