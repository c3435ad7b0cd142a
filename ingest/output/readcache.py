"""The sync's memory of reading: each doc and SVG as it was read, kept between syncs.

Reading and parsing every doc of the export, and every SVG (checked for scripts), is a tenth of a
second or more of each re-sync, though an edit changes one doc. What reading made of each depends only
on its file (and a doc's entry in the folder's ``.wgd-directory.yaml``; ``ingest.read.export.KnownFiles``
keys it by the file's size, dates and inode and by that entry), so it is kept in a file beside the
docs_dir, as `mkdocs serve` keeps it in memory, and a file that is the same is not read again.

The file is a pickle, as Sphinx keeps its environment between builds: documents hold front matter of
any YAML type (dates among them). It is read only when its first line names this format and this very
ingest (``code_stamp``), and only ingest writes it, beside the docs_dir it writes; whoever can write
there can change ``mkdocs.yml`` as well. It is a cache: a file that is missing, damaged or of another
ingest costs only time, and deleting it is always safe.
"""

from __future__ import annotations

import logging
from pathlib import Path

from ingest.files import beside_docs_dir
from ingest.output.manifest import code_stamp
from ingest.utils.picklefile import PickleCache

log = logging.getLogger(__name__)

#: The file's format; a file of another format (or of another ingest) is not read.
FORMAT = 1


def read_cache_path(out_dir: Path) -> Path:
    """Where a docs_dir's read cache lives: beside it, hidden (``.docs_src.ingest-read.pickle``)."""
    return beside_docs_dir(out_dir, ".ingest-read.pickle")


def _header() -> str:
    return f"ingest-read {FORMAT} {code_stamp()}"


def known_files_cache(out_dir: Path) -> PickleCache:
    """The read cache of ``out_dir``: its ``read()`` is what earlier syncs read of each doc and SVG
    (``ingest.read.export.KnownFiles``; empty when there is no usable file), and ``write(known)`` keeps this sync's reads for the
    next (a failure is only logged)."""
    return PickleCache(read_cache_path(out_dir), _header(), log, "every doc is read", "the next sync reads every doc")
