"""The one error path of the ``qatysu`` command.

A problem the user can act on — a missing or damaged warehouse, a folder that cannot be written, a file that is
not what it should be, a refused query — is one line on stderr, naming the file or option and what to do, with
exit code 1 (click's usage errors keep their code 2). The traceback is shown only with ``qatysu --verbose``.
Every message passes through the secret mask, so an error that quotes a credential does not print it.
"""

from __future__ import annotations

import errno
import sys
import traceback
from collections.abc import Callable
from pathlib import Path

import duckdb

from qatysu.warehouse import WarehouseError
from qatysu.warehouse.privacy import install_secret_mask, mask_secrets

_ADVICE = {
    errno.EACCES: "choose a place you may write to, or change its permissions",
    errno.EPERM: "choose a place you may write to, or change its permissions",
    errno.EROFS: "the file system is read-only: choose another place",
    errno.ENOTDIR: "a part of the path is a file, not a folder",
    errno.EISDIR: "that is a folder: give a file name",
    errno.ENOENT: "check the path",
    errno.ENOSPC: "the disk is full: free some space or choose another place",
}
_state = {"verbose": False}


def set_verbose(value: bool) -> None:
    """Show the traceback with an error (``qatysu --verbose``)."""
    _state["verbose"] = _state["verbose"] or value


def describe(exc: BaseException) -> str:
    """The line the user reads for ``exc``."""
    if isinstance(exc, WarehouseError):
        return str(exc)
    if isinstance(exc, FileExistsError) and exc.filename and Path(exc.filename).is_file():
        return f"{exc.filename} is a file, not a folder: choose another place"  # a folder was to be made there
    if isinstance(exc, OSError) and exc.strerror:
        where = f"{exc.filename}: " if exc.filename else ""
        advice = _ADVICE.get(exc.errno or 0)
        return f"{where}{exc.strerror}" + (f"; {advice}" if advice else "")
    if isinstance(exc, duckdb.Error):
        return f"the warehouse: {str(exc).splitlines()[0]}"
    return f"unexpected {type(exc).__name__}: {exc} (qatysu --verbose … shows where)"


def run(app: Callable[[], object]) -> None:
    """Run the command line ``app``; errors leave through :func:`describe`, never as a traceback."""
    install_secret_mask()
    try:
        app()
    except (SystemExit, KeyboardInterrupt):
        raise
    except Exception as exc:
        from qatysu.output import err

        if _state["verbose"]:
            sys.stderr.write(mask_secrets("".join(traceback.format_exception(exc))))
        err.print(mask_secrets(f"error: {describe(exc)}"), style="red", markup=False, highlight=False, soft_wrap=True)
        sys.exit(1)
