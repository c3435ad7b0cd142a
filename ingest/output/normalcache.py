"""The sync's memory of normalising: each doc's text as the fixes left it, kept between syncs.

Normalising (mojibake, invisible characters, spaces, bullets, lists) is a third of a re-sync and
depends only on a doc's text (``site.build.normalize_key``), so what it made is kept in a file
beside the docs_dir (like the lock; the docs_dir itself is swapped) and a doc whose text is the
same is not normalised again. It is a cache: a file that is missing, damaged or of another
format costs only time, and deleting it is always safe.
"""

from __future__ import annotations

import json
import logging
from pathlib import Path
from typing import Any

from ingest.transform.normalize import Normalized
from ingest.utils.atomicfile import write_json_atomically

log = logging.getLogger(__name__)

#: The file's format; a file of another format is not read.
FORMAT = 1


def cache_path(out_dir: Path) -> Path:
    """Where a docs_dir's cache lives: beside it, hidden (``.docs_src.ingest-cache.json``)."""
    out_dir = Path(out_dir).absolute()
    return out_dir.parent / f".{out_dir.name}.ingest-cache.json"


def read_normalized(out_dir: Path) -> dict[str, Normalized | None]:
    """What earlier syncs into ``out_dir`` made of each doc's text; empty when there is no usable file."""
    try:
        data = json.loads(cache_path(out_dir).read_text("utf-8"))
    except (OSError, ValueError):
        return {}
    entries = data.get("normalized") if isinstance(data, dict) and data.get("format") == FORMAT else None
    if not isinstance(entries, dict):
        return {}
    known: dict[str, Normalized | None] = {}
    for key, value in entries.items():
        if value is None:
            known[key] = None
        elif (isinstance(value, list) and len(value) == 3 and isinstance(value[0], str) and isinstance(value[1], str)
              and isinstance(value[2], list) and all(isinstance(fix, str) for fix in value[2])):
            known[key] = Normalized(value[0], value[1], tuple(value[2]))
    return known


def write_normalized(out_dir: Path, normalized: dict[str, Normalized | None]) -> None:
    """Keep this sync's ``normalized`` for the next (whole or not at all; a failure is only logged)."""
    path = cache_path(out_dir)
    data: dict[str, Any] = {"format": FORMAT, "normalized": {
        key: None if value is None else [value.body, value.title, list(value.fixes)]
        for key, value in normalized.items()}}
    try:
        write_json_atomically(path, data)
    except OSError as exc:
        log.debug("The sync's cache %s could not be written (%s); the next sync normalises every doc.", path, exc)
