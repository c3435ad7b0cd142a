"""What the last sync wrote, so the next one knows what changed.

The manifest lives in the docs_dir (``.ingest/manifest.json``) and is swapped in
with it, so it always describes the docs_dir it sits in. It records:

- ``export``: the export folder and a fingerprint of it (every file's path, size
  and mtime, plus the ingest version): equal fingerprints mean nothing to do;
- ``docs``: Drive id → output path, title, Drive version, content hash, assets,
  nav parents; what moved, changed or went since the last sync is read from here.
  Also what the page was made from (``input``, a key over the doc and everything
  around it) and what making it found (``made``: problems, fixes, activity), so the
  next sync keeps a page that would come out the same instead of making it again;
- ``files``: every file of the docs_dir → content key and size, to leave unchanged
  files alone and to notice a docs_dir edited by hand;
- ``redirects``: every URL a page ever had → where it is now, kept across syncs;
- ``nav`` and ``report`` (counts, fixes, problems) of the last sync.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
from pathlib import Path
from typing import Any

from ingest import __version__

MANIFEST = ".ingest/manifest.json"

#: Bumped when the manifest's layout changes; an older manifest is treated as a first sync's.
MANIFEST_FORMAT = 2

_PACKAGE_DIR = Path(__file__).resolve().parents[1]  # the ingest package


def read_manifest(out_dir: Path) -> dict[str, Any] | None:
    """The manifest of the last sync into ``out_dir``, or None."""
    try:
        data = json.loads((Path(out_dir) / MANIFEST).read_text("utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


def manifest_bytes(manifest: dict[str, Any]) -> bytes:
    """The manifest as written: stable key order, so equal manifests are equal files.

    Compact, one line: json's C encoder is used only without ``indent``, and is ten
    times faster on a big export's manifest (``python -m json.tool`` shows it indented).
    """
    return (json.dumps(manifest, ensure_ascii=False, sort_keys=True, separators=(",", ":")) + "\n").encode("utf-8")


def _walk_stats(root: Path | str, prefix: str = "") -> list[tuple[str, int, int]]:
    """(relative path, size, mtime_ns) of every file below ``root``, without following symlinks."""
    found: list[tuple[str, int, int]] = []
    try:
        entries = list(os.scandir(root))
    except OSError:
        return found
    for entry in entries:
        rel = prefix + entry.name
        try:
            if entry.is_dir(follow_symlinks=False):
                found.extend(_walk_stats(entry.path, rel + "/"))
            else:
                stat = entry.stat(follow_symlinks=False)
                found.append((rel, stat.st_size, stat.st_mtime_ns))
        except OSError:
            found.append((rel, -1, -1))
    return found


@functools.cache
def code_stamp() -> str:
    """The ingest version and its modules' sizes and mtimes: a changed ingest is a reason to re-sync.

    Worked out once a process (the fingerprint and the build's context digest both use it)."""
    stats = sorted((name, size, mtime) for name, size, mtime in _walk_stats(_PACKAGE_DIR) if name.endswith(".py"))
    return __version__ + ":" + hashlib.sha1(repr(stats).encode()).hexdigest()[:12]


def export_fingerprint(export_dir: Path, settings: Any = None) -> str:
    """A digest of every file in the export (path, size, mtime), of ingest itself and of the site's settings.

    Cheap (one stat a file, nothing read), and it changes whenever wikiGDrive
    rewrites, adds or removes a file, so an unchanged fingerprint means the last
    sync's docs_dir is still the right one.
    """
    digest = hashlib.sha1((code_stamp() + repr(settings)).encode())
    for rel, size, mtime in sorted(_walk_stats(Path(export_dir))):
        digest.update(f"{rel}\0{size}\0{mtime}\n".encode("utf-8", "surrogateescape"))
    return digest.hexdigest()


def docs_dir_intact(out_dir: Path, manifest: dict[str, Any]) -> bool:
    """Whether ``out_dir`` holds exactly the files its manifest lists, untouched since that sync.

    A file edited, added or removed by hand after the sync makes this False, and
    the sync then rewrites the docs_dir instead of trusting it.
    """
    files = manifest.get("files")
    if not isinstance(files, dict):
        return False
    try:
        written_at = os.stat(Path(out_dir) / MANIFEST).st_mtime_ns
    except OSError:
        return False
    found = {rel: (size, mtime) for rel, size, mtime in _walk_stats(Path(out_dir)) if rel != MANIFEST}
    if found.keys() != files.keys():
        return False
    for rel, (size, mtime) in found.items():
        entry = files[rel]
        if not isinstance(entry, dict) or entry.get("size") != size or mtime > written_at:
            return False
    return True


def changes_since(previous: dict[str, Any], docs: dict[str, dict[str, Any]],
             redirects: dict[str, str]) -> dict[str, list[dict[str, Any]]]:
    """What changed in Drive since the last sync, doc by doc (by Drive id), each with its title and path.

    A doc is added, updated (its page changed), moved (its path changed, which
    rewrites its page too), removed (with where its URL now leads) or unchanged.
    A first sync lists every doc as added.
    """
    before = previous.get("docs") or {}
    changes: dict[str, list[dict[str, Any]]] = {"added": [], "updated": [], "moved": [], "removed": [],
                                                "unchanged": []}
    for drive_id, entry in sorted(docs.items(), key=lambda item: item[1]["dest"]):
        old = before.get(drive_id)
        item = {"title": entry["title"], "path": entry["dest"], "source": entry["source"]}
        if not isinstance(old, dict):
            changes["added"].append(item)
        elif old.get("dest") != entry["dest"]:
            changes["moved"].append({"title": entry["title"], "from": old.get("dest"), "to": entry["dest"],
                                     "source": entry["source"]})
        elif old.get("hash") != entry["hash"]:
            changes["updated"].append(item)
        else:
            changes["unchanged"].append(item)
    for drive_id, old in sorted(before.items(), key=lambda item: str(item[1].get("dest"))):
        if drive_id not in docs and isinstance(old, dict):
            changes["removed"].append({"title": old.get("title"), "path": old.get("dest"), "source": old.get("source"),
                                       "redirect": redirects.get(old.get("dest"))})
    return changes
