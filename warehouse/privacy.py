"""Author pseudonyms: a keyed hash, with the key kept outside the warehouse.

A plain hash of a public user id can be reversed by hashing candidate ids; an HMAC cannot without the
key. The key is created once at ``qatysu init`` beside the warehouse (mode 0600) or supplied through
``$QATYSU_AUTHOR_KEY``, so a shared warehouse or Parquet export never carries what would re-identify authors.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
from pathlib import Path

from qatysu.warehouse.store import WarehouseError

AUTHOR_KEY_ENV = "QATYSU_AUTHOR_KEY"


def ensure_author_key(path: Path) -> bool:
    """Create the key file if it is missing; return True when it was created now."""
    if os.environ.get(AUTHOR_KEY_ENV) or path.exists():
        return False
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as fh:
        fh.write(secrets.token_hex(32) + "\n")
    return True


def load_author_key(path: Path) -> bytes:
    """The key from ``$QATYSU_AUTHOR_KEY`` or the key file."""
    from_env = os.environ.get(AUTHOR_KEY_ENV)
    if from_env:
        return from_env.strip().encode()
    if not path.exists():
        raise WarehouseError(
            f"No author key at {path}. `qatysu init` creates it; if the warehouse was copied here, "
            f"copy its key too or set ${AUTHOR_KEY_ENV} (a new key breaks the link with earlier pseudonyms)."
        )
    return path.read_text().strip().encode()


def author_hash(key: bytes, platform: str, author: str) -> str:
    """Pseudonym of one author on one platform (the same person on two platforms gets two pseudonyms)."""
    return hmac.new(key, f"{platform}:{author}".encode(), hashlib.sha256).hexdigest()[:32]
