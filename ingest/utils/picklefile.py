"""A cache kept as a pickle, behind a first line that names what wrote it.

Sphinx keeps its environment between builds this way: the caches hold values of any type (front
matter's dates among them) and are read back ten times faster than JSON. The first line (the cache's
kind, its format and the versions of the code that made it) is checked before anything is unpickled,
so a file of another format or another version is never read; only ingest writes these files, in
folders it owns, where whoever can write can also change ``mkdocs.yml``. A file that is missing,
damaged or foreign costs only time: the caller starts without it.
"""

from __future__ import annotations

import pickle
from pathlib import Path
from typing import Any

from ingest.utils.atomicfile import write_binary_atomically


class NoCache(Exception):
    """The file holds no usable cache: missing (``missing``), of another header, or damaged (the message says which)."""

    def __init__(self, reason: str, missing: bool = False) -> None:
        super().__init__(reason)
        self.missing = missing


def read_pickle(path: Path, header: str) -> Any:
    """What ``path`` holds under the first line ``header``; raises NoCache where there is none."""
    try:
        with open(path, "rb") as stream:
            if stream.readline() != _line(header):
                raise NoCache("written by another version")
            return pickle.load(stream)
    except FileNotFoundError:
        raise NoCache("no file", missing=True) from None
    except NoCache:
        raise
    except Exception as exc:  # noqa: BLE001 - cut short, damaged, unreadable: a cache costs only time
        raise NoCache(str(exc) or type(exc).__name__) from None


def write_pickle(path: Path, header: str, data: Any) -> None:
    """Keep ``data`` at ``path`` under the first line ``header``, whole or not at all.

    Raises OSError or pickle.PicklingError where it cannot.
    """

    def write(stream: Any) -> None:
        stream.write(_line(header))
        pickle.dump(data, stream, protocol=pickle.HIGHEST_PROTOCOL)

    write_binary_atomically(path, write)


def _line(header: str) -> bytes:
    return header.encode("utf-8") + b"\n"
