"""Stage 7: write the docs_dir in one step.

Everything is written into a staging folder beside the docs_dir, which then
takes the docs_dir's place: MkDocs never sees half a site, and a sync that
fails leaves the previous one untouched. The docs_dir belongs to the sync; a
folder that the sync did not write is never replaced.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from pathlib import Path
from typing import Any, Iterable

from ingest.model import Asset

MANIFEST = ".ingest/manifest.json"


class OutputError(Exception):
    """The docs_dir cannot be written; the message says why and what to do."""


def read_manifest(out_dir: Path) -> dict[str, Any] | None:
    """The manifest of the last sync into ``out_dir``, or None."""
    path = Path(out_dir) / MANIFEST
    try:
        data = json.loads(path.read_text("utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


def _check_owned(out_dir: Path) -> None:
    if out_dir.exists() and not out_dir.is_dir():
        raise OutputError(f"'{out_dir}' is a file, not a folder; choose another --out.")
    if out_dir.is_dir() and any(out_dir.iterdir()) and not (out_dir / MANIFEST).is_file():
        raise OutputError(f"'{out_dir}' is not empty and was not written by ingest (it has no {MANIFEST}); "
                          "it is left alone. Choose an empty or new folder with --out, or empty this one.")


def write_site(pages: dict[str, str], assets: Iterable[Asset], export_dir: Path, out_dir: Path,
               manifest: dict[str, Any]) -> None:
    """Write pages, copy assets and the manifest, then swap the result into ``out_dir``."""
    out_dir = Path(out_dir).absolute()
    _check_owned(out_dir)
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".ingest-staging-{out_dir.name}-", dir=out_dir.parent))
    try:
        for dest, text in pages.items():
            target = staging / dest
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text, encoding="utf-8")
        for asset in assets:
            target = staging / asset.source
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(export_dir / asset.source, target)
        (staging / MANIFEST).parent.mkdir(parents=True, exist_ok=True)
        (staging / MANIFEST).write_text(json.dumps(manifest, indent=1, ensure_ascii=False, sort_keys=True), "utf-8")
        os.chmod(staging, 0o755)
        _swap(staging, out_dir)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise


def _swap(staging: Path, out_dir: Path) -> None:
    """Put ``staging`` where ``out_dir`` is; the old folder is removed only once the new one is in place."""
    if not out_dir.exists():
        os.replace(staging, out_dir)
        return
    retired = Path(tempfile.mkdtemp(prefix=f".ingest-old-{out_dir.name}-", dir=out_dir.parent))
    os.rmdir(retired)
    os.replace(out_dir, retired)
    try:
        os.replace(staging, out_dir)
    except BaseException:
        os.replace(retired, out_dir)
        raise
    shutil.rmtree(retired, ignore_errors=True)
