"""A file as it is now, to tell later whether it was rewritten or replaced since."""

from __future__ import annotations

import os
from typing import Union

#: Size, modification time (ns) and inode; with the change time (ns) where asked for.
FileState = tuple[int, ...]

PathLike = Union[str, "os.PathLike[str]"]


def file_state(path: PathLike, changes: bool = False) -> FileState | None:
    """``path``'s size, modification time and inode (and, with ``changes``, its change time, which no
    program can set back), or None where there is no such file. The sync replaces files, never writes
    into one, so an equal state is the same file with the same bytes.

    >>> file_state("/no/such/file") is None
    True
    """
    try:
        status = os.stat(path)
    except OSError:
        return None
    return state_of(status, changes)


def state_of(status: os.stat_result, changes: bool = False) -> FileState:
    """:func:`file_state` of a file whose status was just taken."""
    if changes:
        return status.st_size, status.st_mtime_ns, status.st_ino, status.st_ctime_ns
    return status.st_size, status.st_mtime_ns, status.st_ino


def file_identity(path: PathLike, follow_symlinks: bool = True) -> tuple[int, int] | None:
    """Which file ``path`` is (its device and inode; a link itself, without ``follow_symlinks``), or None
    where there is none: the same identity is the same file, whatever was written into it.

    >>> file_identity("/no/such/file") is None
    True
    """
    try:
        status = os.stat(path, follow_symlinks=follow_symlinks)
    except OSError:
        return None
    return status.st_dev, status.st_ino
