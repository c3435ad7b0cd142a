"""The manifest's file, and the fingerprint of an export: the sync's memory on disk.

The manifest (``site.history.Manifest``) lives in the docs_dir (``.ingest/manifest.json``) and
is swapped in with it, so it always describes the docs_dir it sits in. Here it is read and
written, and here the disk is asked whether anything changed: the export's fingerprint (every
file's path, size and mtime, plus ingest itself and the site's settings) and whether the
docs_dir is still as the manifest says.
"""

from __future__ import annotations

import functools
import hashlib
import os
from pathlib import Path
from typing import Any

from ingest import __version__
from ingest.site.history import Manifest
from ingest.utils import jsoncodec
from ingest.utils.filestate import FolderListing, list_folder

MANIFEST = ".ingest/manifest.json"

_PACKAGE_DIR = Path(__file__).resolve().parents[1]  # the ingest package


def read_manifest(out_dir: Path, records: bool = True) -> Manifest | None:
    """The manifest of the last sync into ``out_dir``, or None.

    Without ``records``, its docs' and files' records are left out (empty): what the MkDocs plugin
    reads (the nav, the redirects) without making 10,000 records for nothing on every build.
    """
    try:
        data = jsoncodec.loads((Path(out_dir) / MANIFEST).read_bytes())
    except (OSError, ValueError):
        return None
    if not records and isinstance(data, dict):
        data = {key: value for key, value in data.items() if key not in ("docs", "files")}
    return Manifest.from_dict(data)


def manifest_bytes(manifest: Manifest) -> bytes:
    """The manifest as written: stable key order, so equal manifests are equal files.

    Compact, one line (``python -m json.tool`` shows it indented): a big export's manifest is megabytes,
    written at every sync (``utils.jsoncodec``).
    """
    return jsoncodec.dumps(manifest.to_dict(), sort_keys=True) + b"\n"


def _walk_stats(root: Path | str) -> list[tuple[str, int, int]]:
    """(relative path, size, mtime_ns) of every file below ``root``, without following symlinks (-1 where it
    could not be stat-ed)."""
    return [(rel, *_size_and_mtime(status)) for rel, status in list_folder(root).files.items()]


def _size_and_mtime(status: os.stat_result | None) -> tuple[int, int]:
    return (status.st_size, status.st_mtime_ns) if status is not None else (-1, -1)


@functools.cache
def code_stamp() -> str:
    """The ingest version and its modules' sizes and mtimes: a changed ingest is a reason to re-sync.

    Worked out once a process (the fingerprint and the build's context digest both use it)."""
    stats = sorted((name, size, mtime) for name, size, mtime in _walk_stats(_PACKAGE_DIR) if name.endswith(".py"))
    return __version__ + ":" + hashlib.sha1(repr(stats).encode()).hexdigest()[:12]


def export_fingerprint(export_dir: Path, settings: Any = None, listing: FolderListing | None = None) -> str:
    """A digest of every file in the export (path, size, mtime), of ingest itself and of the site's settings.

    Cheap (one stat a file, nothing read), and it changes whenever wikiGDrive
    rewrites, adds or removes a file, so an unchanged fingerprint means the last
    sync's docs_dir is still the right one. ``listing`` is the export's, if just taken.
    """
    return export_state(export_dir, settings, listing)[0]


def export_state(export_dir: Path, settings: Any = None, listing: FolderListing | None = None) -> tuple[str, int]:
    """The export's :func:`export_fingerprint`, and when it last changed (the file system's clock, ns):
    the latest change time of its files and folders, which no program can set back. ``listing`` is the
    export's (``list_folder(export_dir, changes=True)``), if just taken."""
    if listing is None:
        listing = list_folder(export_dir, changes=True)
    digest = hashlib.sha1((code_stamp() + repr(settings)).encode())
    for rel, status in listing.files.items():  # in the listing's order, which is the same for the same files
        size, mtime = _size_and_mtime(status)
        digest.update(f"{rel}\0{size}\0{mtime}\n".encode("utf-8", "surrogateescape"))
    return digest.hexdigest(), listing.changed_ns


def docs_dir_intact(out_dir: Path, manifest: Manifest) -> bool:
    """Whether ``out_dir`` holds exactly the files its manifest lists, untouched since that sync.

    A file edited, added or removed by hand after the sync makes this False, and
    the sync then rewrites the docs_dir instead of trusting it.
    """
    try:
        written_at = os.stat(Path(out_dir) / MANIFEST).st_mtime_ns
    except OSError:
        return False
    found = {rel: (size, mtime) for rel, size, mtime in _walk_stats(Path(out_dir)) if rel != MANIFEST}
    if found.keys() != manifest.files.keys():
        return False
    return all(manifest.files[rel].size == size and mtime <= written_at for rel, (size, mtime) in found.items())
