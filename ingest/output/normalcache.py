"""The sync's memory of normalising: each doc's text as the fixes left it, kept between syncs.

Normalising (mojibake, invisible characters, spaces, bullets, lists) is a third of a re-sync and
depends only on a doc's text (``site.build.normalize_key``), so what it made is kept in a file
beside the docs_dir (like the lock; the docs_dir itself is swapped) and a doc whose text is the
same is not normalised again. It is a pickle, as the read cache is (``readcache``), read back four
times faster than the JSON it was. It is a cache: a file that is missing, damaged or of another
format or ingest costs only time, and deleting it is always safe.
"""

from __future__ import annotations

import contextlib
import logging
from pathlib import Path

from ingest.files import beside_docs_dir
from ingest.output.manifest import code_stamp
from ingest.transform.normalize import Normalized
from ingest.utils.picklefile import PickleCache

log = logging.getLogger(__name__)

#: The file's format; a file of another format (or of another ingest) is not read.
FORMAT = 2


def cache_path(out_dir: Path) -> Path:
    """Where a docs_dir's cache lives: beside it, hidden (``.docs_src.ingest-normal.pickle``)."""
    return beside_docs_dir(out_dir, ".ingest-normal.pickle")


def _old_cache_path(out_dir: Path) -> Path:
    """Where earlier versions kept it, as JSON: removed when the new file is written."""
    return beside_docs_dir(out_dir, ".ingest-cache.json")


def _header() -> str:
    return f"ingest-normal {FORMAT} {code_stamp()}"


def normalized_cache(out_dir: Path) -> PickleCache:
    """The cache of ``out_dir``: its ``read()`` is what earlier syncs made of each doc's text (empty when there
    is no usable file); :func:`write_normalized` keeps this sync's."""
    return PickleCache(cache_path(out_dir), _header(), log, "every doc is normalised",
                       "the next sync normalises every doc")


def write_normalized(cache: PickleCache, out_dir: Path, normalized: dict[str, Normalized | None]) -> None:
    """Keep this sync's ``normalized`` for the next (a failure is only logged), and drop an earlier version's file."""
    cache.write(dict(normalized))
    with contextlib.suppress(OSError):
        _old_cache_path(out_dir).unlink(missing_ok=True)
