"""Author pseudonyms: a keyed hash, with the key kept outside the warehouse.

A plain hash of a public user id can be reversed by hashing candidate ids; an HMAC cannot without the
key. The key is created once at ``qatysu init`` beside the warehouse (mode 0600) or supplied through
``$QATYSU_AUTHOR_KEY``, so a shared warehouse or Parquet export never carries what would re-identify authors.
Every person a post names gets the same pseudonym: its author, the person it was forwarded from, the person
whose personal chat an export holds. Channels and public communities keep their handles.

The key and the API credentials are secrets: log lines and error messages pass through :func:`mask_secrets`.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import os
import secrets
import traceback
from pathlib import Path
from typing import Any
from urllib.parse import quote, quote_plus

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
        register_secret(from_env)
        return from_env.strip().encode()
    if not path.is_file():
        raise WarehouseError(
            f"No author key at {path}. `qatysu init` creates it; if the warehouse was copied here, "
            f"copy its key too or set ${AUTHOR_KEY_ENV} (a new key breaks the link with earlier pseudonyms)."
        )
    key = path.read_text().strip()
    register_secret(key)
    return key.encode()


def author_hash(key: bytes, platform: str, author: str) -> str:
    """Pseudonym of one author on one platform (the same person on two platforms gets two pseudonyms)."""
    return hmac.new(key, f"{platform}:{author}".encode(), hashlib.sha256).hexdigest()[:32]


# Secrets in logs and messages ------------------------------------------------------------------------------

SECRET_ENVS = ("VK_TOKEN", "YOUTUBE_API_KEY", AUTHOR_KEY_ENV)
MASK = "[secret]"
MIN_SECRET_LENGTH = 6  # shorter values would mask ordinary words
_secrets: set[str] = set()


def register_secret(value: str | bytes | None) -> None:
    """Mask ``value`` (as it is, and URL-encoded) in every log line and error message from now on."""
    if isinstance(value, bytes):
        value = value.decode(errors="replace")
    value = (value or "").strip()
    if len(value) >= MIN_SECRET_LENGTH:
        _secrets.update({value, quote(value, safe=""), quote_plus(value)})


def mask_secrets(text: str) -> str:
    """``text`` with every secret known to this process (the API credentials in the environment, the author
    key once loaded) replaced by ``[secret]``."""
    for name in SECRET_ENVS:
        register_secret(os.environ.get(name))
    for secret in sorted(_secrets, key=len, reverse=True):
        if secret in text:
            text = text.replace(secret, MASK)
    return text


def install_secret_mask() -> None:
    """Mask secrets in every log record this process makes, whichever logger and handler it goes to.

    A filter on a logger misses the records that propagate from its children, and Scrapy and Prefect install
    handlers of their own; the record factory sees every record as it is made. The message is rendered and
    masked at once, and so is the traceback of a logged exception (formatted here as a handler would).
    """
    previous = logging.getLogRecordFactory()
    if getattr(previous, "masks_secrets", False):
        return

    def factory(*args: Any, **kwargs: Any) -> logging.LogRecord:
        record = previous(*args, **kwargs)
        try:
            message = record.getMessage()
        except Exception:  # a malformed logging call: the handler reports it as usual
            return record
        record.msg, record.args = mask_secrets(message), None
        if record.exc_info and record.exc_info[1] is not None:
            record.exc_text = mask_secrets("".join(traceback.format_exception(*record.exc_info)).rstrip("\n"))
        return record

    factory.masks_secrets = True  # type: ignore[attr-defined]
    logging.setLogRecordFactory(factory)
