"""A cache kept as a pickle, behind a first line that names what wrote it (:class:`PickleCache`).

Sphinx keeps its environment between builds this way: the caches hold values of any type (front
matter's dates among them) and are read back ten times faster than JSON. The first line (the cache's
kind, its format and the versions of the code that made it) is checked before anything is unpickled,
so a file of another format or another version is never read; only ingest writes these files, in
folders it owns, where whoever can write can also change ``mkdocs.yml``. A file that is missing,
damaged or foreign costs only time: the caller starts without it, and one that cannot be written is
only logged.

The caches are read, changed a little and written again (one doc edited in a whole export): after a
first write of the whole dict, each write appends only the entries changed since it was read, so an
edit no longer rewrites megabytes (7 MB for the 2023 corpus, 30 ms of each re-sync).
"""

from __future__ import annotations

import logging
import os
import pickle
from pathlib import Path
from typing import Any

from ingest.utils.atomicfile import write_binary_atomically

#: Changes appended after the whole dict at most, and their bytes at most as a share of it: past either,
#: the next write is of the whole dict again (reading many small changes costs more than one pickle).
MAX_CHANGES = 64
MAX_CHANGED_SHARE = 0.5

_MISSING = object()


class PickleCache:
    """A dict kept at ``path`` under the first line ``header``, written whole or as the changes since it was read.

    The file holds the whole dict, then a pickle ``(changed entries, removed keys)`` for each later write.
    :meth:`read` applies them in turn; :meth:`write` appends the entries of ``data`` that are not the very
    objects it read (a changed entry is a new value: the caches replace entries, never change one in place)
    and the keys gone, where the file is still the one it read (its inode, size and date), ended cleanly,
    and is not yet too long; else it writes the whole dict, in one step. A change is appended with one
    ``write`` to a file opened for appending, so a process stopped midway leaves a last change cut short:
    :meth:`read` leaves it out (the file is then as before that write) and the next write is whole.
    A file that cannot be read or written is logged on ``log`` (at debug level) with ``without_read`` or
    ``without_write``: what the reader does without it.
    """

    def __init__(self, path: Path, header: str, log: logging.Logger, without_read: str, without_write: str) -> None:
        self.path = path
        self.header = header
        self.log = log
        self.without_read = without_read
        self.without_write = without_write
        self._read: dict[Any, Any] = {}
        """The entries as read (or last written): what the next write leaves out where they are the same."""
        self._identity: tuple[int, int, int, int] | None = None
        """The file as read or written (device, inode, size, date); None: the next write is whole."""
        self._whole_bytes = 0
        self._changes = 0
        self._changed_bytes = 0

    def read(self) -> dict[Any, Any]:
        """The dict kept; an empty one where there is none to use."""
        self._read, self._identity = {}, None
        try:
            with open(self.path, "rb") as stream:
                if stream.readline() != _line(self.header):
                    self.log.debug("%s was written by another version: %s.", self.path, self.without_read)
                    return {}
                data = pickle.load(stream)
                if not isinstance(data, dict):
                    return {}
                status = os.fstat(stream.fileno())
                whole, changes, clean = stream.tell(), 0, True
                while stream.tell() < status.st_size:
                    try:
                        changed, removed = pickle.load(stream)
                    except Exception:  # noqa: BLE001 - a change cut short: the file as it was before it
                        clean = False
                        break
                    for key in removed:
                        data.pop(key, None)
                    data.update(changed)
                    changes += 1
        except FileNotFoundError:
            return {}
        except Exception as exc:  # noqa: BLE001 - cut short, damaged, unreadable: a cache costs only time
            self.log.debug("%s could not be read (%s): %s.", self.path, exc or type(exc).__name__, self.without_read)
            return {}
        self._read = dict(data)
        if clean:
            self._identity = _identity(status)
            self._whole_bytes, self._changes, self._changed_bytes = whole, changes, status.st_size - whole
        return data

    def write(self, data: dict[Any, Any]) -> None:
        """Keep ``data``: the changes since it was read, appended, where that can be done; else the whole dict,
        in one step."""
        read = self._read
        changed = {key: value for key, value in data.items() if read.get(key, _MISSING) is not value}
        removed = [key for key in read if key not in data]
        if not changed and not removed and self._identity is not None:
            return
        try:
            if not self._append(changed, removed):
                _write_whole(self.path, self.header, data)
                status = os.stat(self.path)
                self._identity = _identity(status)
                self._whole_bytes, self._changes, self._changed_bytes = status.st_size, 0, 0
            self._read = dict(data)
        except (OSError, pickle.PicklingError) as exc:
            self._identity = None
            self.log.debug("%s could not be written (%s): %s.", self.path, exc, self.without_write)

    def _append(self, changed: dict[Any, Any], removed: list[Any]) -> bool:
        """Append the change, if the file is still as read or written here and not too long; whether it was."""
        if self._identity is None or self._changes >= MAX_CHANGES:
            return False
        record = pickle.dumps((changed, removed), protocol=pickle.HIGHEST_PROTOCOL)
        if self._changed_bytes + len(record) > MAX_CHANGED_SHARE * self._whole_bytes:
            return False
        try:
            handle = os.open(self.path, os.O_WRONLY | os.O_APPEND)
        except FileNotFoundError:
            return False
        try:
            if _identity(os.fstat(handle)) != self._identity:
                return False  # another process wrote it since: its entries are not the ones read here
            written = os.write(handle, record)
            if written != len(record):  # a full disk, say: the change is cut short, and the next read leaves it out
                raise OSError(f"wrote {written} of {len(record)} bytes")
            self._identity = _identity(os.fstat(handle))
        finally:
            os.close(handle)
        self._changes += 1
        self._changed_bytes += len(record)
        return True


def _identity(status: os.stat_result) -> tuple[int, int, int, int]:
    return status.st_dev, status.st_ino, status.st_size, status.st_mtime_ns


def _write_whole(path: Path, header: str, data: dict[Any, Any]) -> None:
    def write(stream: Any) -> None:
        stream.write(_line(header))
        pickle.dump(data, stream, protocol=pickle.HIGHEST_PROTOCOL)

    write_binary_atomically(path, write)


def _line(header: str) -> bytes:
    return header.encode("utf-8") + b"\n"
