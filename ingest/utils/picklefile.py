"""A cache kept as a pickle, behind a first line that names what wrote it.

Sphinx keeps its environment between builds this way: the caches hold values of any type (front
matter's dates among them) and are read back ten times faster than JSON. The first line (the cache's
kind, its format and the versions of the code that made it) is checked before anything is unpickled,
so a file of another format or another version is never read; only ingest writes these files, in
folders it owns, where whoever can write can also change ``mkdocs.yml``. A file that is missing,
damaged or foreign costs only time: the caller starts without it (``read_cache``), and one that cannot
be written is only logged (``write_cache``).
"""

from __future__ import annotations

import logging
import pickle
from pathlib import Path
from typing import Any

from ingest.utils.atomicfile import write_binary_atomically


def read_cache(path: Path, header: str, log: logging.Logger, without: str) -> dict[Any, Any]:
    """The dict kept at ``path`` under the first line ``header``; an empty one where there is none to use.
    A file that is there but cannot be used is logged (at debug level, on ``log``) with ``without``:
    what the caller does without it."""
    try:
        with open(path, "rb") as stream:
            if stream.readline() != _line(header):
                log.debug("%s was written by another version: %s.", path, without)
                return {}
            data = pickle.load(stream)
    except FileNotFoundError:
        return {}
    except Exception as exc:  # noqa: BLE001 - cut short, damaged, unreadable: a cache costs only time
        log.debug("%s could not be read (%s): %s.", path, exc or type(exc).__name__, without)
        return {}
    return data if isinstance(data, dict) else {}


def write_cache(path: Path, header: str, data: dict[Any, Any], log: logging.Logger, without: str) -> None:
    """Keep ``data`` at ``path`` under the first line ``header``, whole or not at all. A failure is logged
    (at debug level, on ``log``) with ``without``: what the next reader does without it."""

    def write(stream: Any) -> None:
        stream.write(_line(header))
        pickle.dump(data, stream, protocol=pickle.HIGHEST_PROTOCOL)

    try:
        write_binary_atomically(path, write)
    except (OSError, pickle.PicklingError) as exc:
        log.debug("%s could not be written (%s): %s.", path, exc, without)


def _line(header: str) -> bytes:
    return header.encode("utf-8") + b"\n"
