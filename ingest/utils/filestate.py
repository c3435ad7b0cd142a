"""A file as it is now, to tell later whether it was rewritten or replaced since; and every file of a folder."""

from __future__ import annotations

import os
from dataclasses import dataclass
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


@dataclass(frozen=True)
class FolderListing:
    """Every file below a folder and its status (``os.lstat``: links are listed, never followed; None where
    it could not be taken), and the latest change time of the folder, its files and its folders (ns; 0
    unless asked for). One walk of an export serves the fingerprint that says whether to sync and the
    reading, which both stat every file."""

    files: dict[str, os.stat_result | None]
    """Path relative to the folder ('/'-separated) → status; in the order of a walk that sorts each folder's
    names and lists its files before its folders (as ``os.walk`` with sorted names does)."""

    changed_ns: int = 0


def list_folder(root: PathLike, changes: bool = False) -> FolderListing:
    """The :class:`FolderListing` of ``root`` (empty where it cannot be read); with ``changes``, the latest
    change time of what is in it, which no program can set back.

    >>> list_folder("/no/such/folder")
    FolderListing(files={}, changed_ns=0)
    """
    files: dict[str, os.stat_result | None] = {}
    changed = [0]
    if changes:
        try:
            changed[0] = os.stat(root).st_ctime_ns
        except OSError:
            pass
    _list(os.fspath(root), "", files, changed if changes else None)
    return FolderListing(files, changed[0])


def _list(folder: str, prefix: str, files: dict[str, os.stat_result | None], changed: list[int] | None) -> None:
    try:
        with os.scandir(folder) as scan:
            entries = sorted(scan, key=lambda entry: entry.name)
    except OSError:
        return
    folders = []
    for entry in entries:
        rel = prefix + entry.name
        try:
            if entry.is_dir(follow_symlinks=False):
                if changed is not None:
                    changed[0] = max(changed[0], entry.stat(follow_symlinks=False).st_ctime_ns)
                folders.append((entry.path, rel))
                continue
            status = entry.stat(follow_symlinks=False)
        except OSError:
            files[rel] = None
            continue
        files[rel] = status
        if changed is not None:
            changed[0] = max(changed[0], status.st_ctime_ns)
    for path, rel in folders:
        _list(path, rel + "/", files, changed)
