"""Stage 1, read: walk the export, decode every document and split off its front matter.

This module and ``write`` are the only ones that touch the disk. Everything is
read and checked before anything is written, like MkDocs' ``build()``.
"""

from __future__ import annotations

import functools
import os
import re
import stat
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from ingest.model import Asset, Document, NavigationDocument, Problem, Severity
from ingest.read.decode import decode_bytes
from ingest.read.document import parse_document
from ingest.read.flatyaml import parse_flat_yaml
from ingest.read.frontmatter import LOADER, YAML_FAILURES, refuse_aliases
from ingest.read.navigation import read_navigation
from ingest.read.svg import svg_problem
from ingest.utils.filestate import FileState, FolderListing, list_folder, state_of
from ingest.utils.parallel import map_items

DOCUMENT_SUFFIXES = {".md", ".txt"}
ASSET_FOLDER_SUFFIXES = (".assets", ".images")
#: Files a browser would run in the site's name if opened from it (pages, scripts, XML that can carry
#: XHTML) or that a reader's computer would run: attachments of these kinds are not copied.
UNSAFE_ATTACHMENT_SUFFIXES = frozenset({
    ".html", ".htm", ".xhtml", ".xht", ".shtml", ".mht", ".mhtml", ".xml", ".xsl", ".xslt", ".svgz", ".js", ".mjs",
    ".swf", ".hta", ".php", ".phtml", ".exe", ".msi", ".bat", ".cmd", ".com", ".scr", ".dll", ".jar", ".sh",
    ".ps1", ".vbs", ".wsf", ".app", ".dmg",
})
NAVIGATION_DOCUMENTS = ("navigation.md", ".navigation.md")
DIRECTORY_FILE = ".wgd-directory.yaml"
#: A doc bigger than this is not read (the largest real ones are well under 1 MB).
MAX_DOCUMENT_BYTES = 32 * 2**20

# wikiGDrive's bookkeeping files: never pages, never assets.
_SIDECAR_RE = re.compile(
    r"""^(?:\.wgd-directory\.yaml|\.wgd-local-.*\.csv|\.tree\.json|.*\.debug\.xml|toc\.md|_errors\.md)$"""
)
@dataclass
class Export:
    """Everything read from an export folder, before any transformation."""

    root: Path
    """The export folder."""

    documents: list[Document] = field(default_factory=list)
    """Every readable document, sorted by source path."""

    assets: list[Asset] = field(default_factory=list)
    """Files copied as they are, sorted by source path."""

    navigation: NavigationDocument | None = None
    """The navigation document at the export root, if any."""

    folder_titles: dict[str, str] = field(default_factory=dict)
    """Folder path ('' for the root) to the folder's Drive title, from ``.wgd-directory.yaml``."""

    problems: list[Problem] = field(default_factory=list)

    refused_assets: set[str] = field(default_factory=set)
    """Assets that were not copied (unsafe SVGs, links out of the export): links to them are shown as text,
    without a second warning."""


def classify(source: str) -> str:
    """What a file in the export is: 'document', 'asset' (an image or an attachment, copied), 'navigation',
    'directory', 'skip' (wikiGDrive's bookkeeping) or 'unsafe' (an attachment that is not copied).

    >>> [classify(p) for p in ["a/b.md", "a/b.assets/c.png", "navigation.md", "a/.wgd-directory.yaml", "a/toc.md"]]
    ['document', 'asset', 'navigation', 'directory', 'skip']
    >>> [classify(p) for p in ["a/x.csv", "a/report.PDF", "a/page.html"]]
    ['asset', 'asset', 'unsafe']
    >>> [classify(p) for p in ["a/.b/c.md", ".d/e.png", "f.assets/.g.png", ".h.assets/i/j.png", "k.images/l.exe"]]
    ['skip', 'skip', 'skip', 'asset', 'unsafe']
    """
    folder, _, name = source.rpartition("/")
    if name == DIRECTORY_FILE:
        return "directory"
    if not folder and name in NAVIGATION_DOCUMENTS:
        return "navigation"
    if _SIDECAR_RE.match(name):
        return "skip"
    suffix = os.path.splitext(name)[1].lower()
    in_assets, hidden = _folder_kind(folder)
    if in_assets:
        if name.startswith("."):
            return "skip"
        return "unsafe" if suffix in UNSAFE_ATTACHMENT_SUFFIXES else "asset"
    if hidden or name.startswith("."):
        return "skip"
    if suffix in DOCUMENT_SUFFIXES:
        return "document"
    if suffix in UNSAFE_ATTACHMENT_SUFFIXES:
        return "unsafe"
    return "asset"


@functools.lru_cache(maxsize=4096)  # an export's thousands of files are in a few hundred folders
def _folder_kind(folder: str) -> tuple[bool, bool]:
    """Whether the folder ``folder`` (``/``-separated, '' for the export's) is in an asset folder
    (``x.assets/``, ``x.images/``), and whether it is in a hidden one."""
    parts = folder.split("/") if folder else []
    return any(part.endswith(ASSET_FOLDER_SUFFIXES) for part in parts), any(part.startswith(".") for part in parts)


def read_directory_file(text: str) -> dict[str, Any]:
    """Parse a ``.wgd-directory.yaml``; a broken one is simply not used."""
    data = parse_flat_yaml(text)
    if data is not None:
        return data
    try:
        refuse_aliases(text)
        data = yaml.load(text, Loader=LOADER)
    except YAML_FAILURES:
        return {}
    return data if isinstance(data, dict) else {}


#: What reading made of each doc (the document, or None, and its problems), of the navigation document
#: (with its entries), of each SVG (None, and the problem that keeps it out of the site, if any) and of each
#: ``.wgd-directory.yaml`` (its data), by source path, with the state of its file then (size, dates, inode;
#: for a doc, its sidecar entry too).
KnownFiles = dict[str, tuple[tuple[Any, ...], Document | NavigationDocument | dict[str, Any] | None, list[Problem]]]


def read_export(root: Path, jobs: int = 1, known: KnownFiles | None = None,
                listing: FolderListing | None = None) -> Export:
    """Read every document, asset and sidecar below ``root``, and nothing outside it.

    Links in the export (symlinks) are followed only to files inside it; a linked
    folder is never entered. ``jobs`` > 1 reads and parses a big export's documents
    on that many processes. ``known`` (kept by a long-running process or beside the docs_dir,
    and brought up to date here) is what earlier reads made of each doc and SVG: one whose file
    is the same (size, modification and change time, inode) is not read again. ``listing`` is
    ``root``'s (``utils.filestate.list_folder``), if the sync has just taken it for the fingerprint.
    """
    export = Export(root=root)
    base = os.fspath(root)  # paths as strings below: 10,000 ``Path`` objects were a tenth of a re-sync
    if listing is None:
        listing = list_folder(base)
    files: list[str] = []
    for source, status in listing.files.items():
        if ".git" in source and any(part.startswith(".git") for part in source.split("/")[:-1]):
            continue  # git's own folders are not read
        if status is not None and stat.S_ISLNK(status.st_mode) and os.path.isdir(os.path.join(base, source)):
            export.problems.append(_link_problem(root, source, folder=True))
            continue
        files.append(source)

    usable: list[str] = []
    statuses: dict[str, os.stat_result] = {}  # of each file read: an asset's is all its reading needs
    kinds = {source: classify(source) for source in files}
    for source in files:
        kind = kinds[source]
        if kind == "skip":
            continue
        refusal, status = _refusal(base, source, kind, listing.files[source])
        if refusal is not None:
            export.problems.append(refusal)
            if kind == "asset":
                export.refused_assets.add(source)
        else:
            usable.append(source)
            statuses[source] = status

    directories: dict[str, dict[str, Any]] = {}
    directory_sources: set[str] = set()
    for source in usable:
        if kinds[source] == "directory":
            folder = source.rsplit("/", 1)[0] if "/" in source else ""
            directories[folder] = info = _read_directory(base, source, known, statuses[source])
            directory_sources.add(source)
            if _is_name(info.get("title")):
                export.folder_titles[folder] = str(info["title"])
    for folder, info in directories.items():
        file_map = info.get("fileMap")
        for name, entry in (file_map.items() if isinstance(file_map, dict) else ()):
            if isinstance(entry, dict) and entry.get("type") == "directory" and _is_name(entry.get("title")):
                sub = f"{folder}/{name}" if folder else str(name)
                export.folder_titles.setdefault(sub, str(entry["title"]))

    documents: list[tuple[str, dict[str, Any] | None]] = []
    for source in usable:
        kind = kinds[source]
        if kind == "document":
            folder, _, name = source.rpartition("/")
            file_map = (directories.get(folder) or {}).get("fileMap")
            entry = file_map.get(name) if isinstance(file_map, dict) else None
            documents.append((source, entry if isinstance(entry, dict) else None))
        elif kind == "asset":
            asset, problem = _read_asset(base, source, known, statuses[source])
            if asset is None:
                export.problems.append(problem)
                continue
            if problem is not None:
                export.problems.append(problem)
                export.refused_assets.add(source)
            else:
                export.assets.append(asset)
        elif kind == "navigation":
            export.navigation, problem = _read_navigation(os.path.join(base, source), source, known, statuses[source])
            if problem is not None:
                export.problems.append(problem)
        elif kind == "unsafe":
            export.problems.append(Problem(source, None, "unsafe-attachment",
                                           f"'{source}' is a {os.path.splitext(source)[1].lower()} file, which a "
                                           "browser or a reader's computer would run if it were opened from the "
                                           "site; it was not copied, and links to it are shown as text. Attach it "
                                           "as a PDF or a zip, or link to where it is published."))
            export.refused_assets.add(source)
    states = [_state(statuses[source], entry) if known is not None else None for source, entry in documents]
    kept = {i: known[source] for i, (source, _) in enumerate(documents)
            if known is not None and states[i] is not None and known.get(source, (None,))[0] == states[i]}
    fresh = [i for i in range(len(documents)) if i not in kept]
    read = dict(zip(fresh, map_items(_read_document, (root, [documents[i] for i in fresh]), len(fresh), jobs)))
    for i, (source, _) in enumerate(documents):
        if i in kept:
            _, doc, problems = kept[i]
        else:
            doc, problems = read[i]
            if known is not None and states[i] is not None:
                known[source] = (states[i], doc, list(problems))
        export.problems.extend(problems)
        if doc is not None:
            export.documents.append(doc)
    if known is not None:
        navigation = {export.navigation.source} if export.navigation is not None else set()
        for source in set(known) - {source for source, _ in documents} - {asset.source for asset in export.assets} \
                - export.refused_assets - navigation - directory_sources:
            del known[source]
    return export


def _read_directory(root: str, source: str, known: KnownFiles | None, status: os.stat_result) -> dict[str, Any]:
    """What a ``.wgd-directory.yaml`` holds (``read_directory_file``), read again only when its file changed:
    a synthetic export of 2,000 docs has 190 of them, a twentieth of a second of every re-sync."""
    state = state_of(status, changes=True) if known is not None else None
    kept = _kept(known, source, state)
    if kept is not None and isinstance(kept[0], dict):
        return kept[0]
    try:
        with open(os.path.join(root, source), encoding="utf-8", errors="replace") as handle:
            info = read_directory_file(handle.read())
    except OSError:
        info = {}  # like a broken one: not used
    _keep(known, source, state, info, None)
    return info


def _state(status: os.stat_result, entry: dict[str, Any] | None) -> tuple[Any, ...]:
    """What reading a doc depends on: its file's size, dates and inode (as the export's walk found them), and
    its sidecar entry."""
    return (*state_of(status, changes=True), repr(entry))


def _read_document(context: tuple[Path, list[tuple[str, dict[str, Any] | None]]],
                   i: int) -> tuple[Document | None, list[Problem]]:
    """Read and parse the i-th document (a worker's unit of work for a big export)."""
    root, documents = context
    source, entry = documents[i]
    try:
        data = (root / source).read_bytes()
    except OSError as exc:
        return None, [Problem(source, None, "unreadable",
                              f"Doc '{source}' could not be read ({exc.strerror}); it is left out of "
                              "the site. Check the file's permissions and sync again.", Severity.ERROR)]
    return parse_document(source, data, entry)


def _is_name(value: Any) -> bool:
    return isinstance(value, (str, int)) and not isinstance(value, bool) and bool(str(value).strip())


def _refusal(root: str, source: str, kind: str,
             listed: os.stat_result | None = None) -> tuple[Problem | None, os.stat_result | None]:
    """Why a file must not be read (a link out of the export, not a regular file, or too big), and the file's
    status (of the file a link inside the export leads to). ``listed`` is its ``lstat``, if just taken.
    ``root`` is a string: a ``Path`` joined 9,000 times doubled the time of this check."""
    try:
        status = listed if listed is not None else os.lstat(os.path.join(root, source))
        if stat.S_ISLNK(status.st_mode):
            path = os.path.join(root, source)
            target = Path(os.path.realpath(path))
            if not target.is_relative_to(Path(os.path.realpath(root))):
                return _link_problem(Path(root), source, folder=False), None
            status = os.stat(path)
    except OSError as exc:
        what = "Doc" if kind == "document" else "File"
        return Problem(source, None, "unreadable", f"{what} '{source}' could not be read ({exc.strerror}); it is left "
                                                   "out of the site. Check that it exists and sync again.",
                       Severity.ERROR), None
    if not stat.S_ISREG(status.st_mode):
        return Problem(source, None, "not-a-file", f"'{source}' is not a regular file (a pipe, socket or device); "
                                                   "it was not read. Remove it from the export.", Severity.ERROR), None
    if kind == "document" and status.st_size > MAX_DOCUMENT_BYTES:
        return Problem(source, None, "doc-too-large",
                       f"Doc '{source}' is {status.st_size // 2**20} MB, more than the {MAX_DOCUMENT_BYTES // 2**20} MB "
                       "a doc may have; it is left out of the site. Split it into several docs.", Severity.ERROR), None
    return None, status


def _link_problem(root: Path, source: str, folder: bool) -> Problem:
    target = os.path.realpath(root / source)
    inside = Path(target).is_relative_to(Path(os.path.realpath(root)))
    if folder and inside:
        return Problem(source, None, "symlinked-folder",
                       f"Folder '{source}' is a link to '{Path(target).relative_to(os.path.realpath(root)).as_posix()}' "
                       "in the export; links to folders are not followed, so nothing in it was read twice.")
    what = "a folder" if folder else "a file"
    return Problem(source, None, "symlink-outside-export",
                   f"'{source}' is a link to {what} outside the export; it was not followed, so nothing of it is in the "
                   "site. Copy what it points to into the export instead.", Severity.ERROR)


def _read_navigation(path: str, source: str, known: KnownFiles | None,
                     status: os.stat_result) -> tuple[NavigationDocument | None, Problem | None]:
    """The navigation document and its entries (``ingest.read.navigation``); not read again while its file
    is the same (``status``, as the export's walk found it), with ``known``."""
    state = state_of(status, changes=True) if known is not None else None
    kept = _kept(known, source, state)
    if kept is not None and isinstance(kept[0], NavigationDocument):
        return kept
    navigation, problem = read_navigation(path, source)
    _keep(known, source, state, navigation, problem)
    return navigation, problem


def _read_asset(root: str, source: str, known: KnownFiles | None,
                status: os.stat_result) -> tuple[Asset | None, Problem | None]:
    """An asset as it will be copied; an SVG is read first, since a browser runs the scripts in one it opens
    (not again while its file is the same, with ``known``). ``status`` is its file's, as the export's walk
    found it; ``root`` the export's folder.

    (None, problem) when it cannot be read; (asset, problem) when it must not be copied.
    """
    try:
        asset = Asset(source=source, size=status.st_size, mtime_ns=status.st_mtime_ns)
        if not source.lower().endswith(".svg"):
            return asset, None
        state = state_of(status, changes=True)
        kept = _kept(known, source, state)
        if kept is not None:
            return asset, kept[1]
        with open(os.path.join(root, source), "rb") as stream:
            data = stream.read()
    except OSError as exc:
        return None, Problem(source, None, "unreadable", f"Image '{source}' could not be read ({exc.strerror}); it was "
                                                         "not copied. Check the file's permissions and sync again.")
    reason = svg_problem(decode_bytes(data)[0])
    problem = None if reason is None else Problem(
        source, None, "unsafe-svg",
        f"Image '{source}' is an SVG with {reason}, which would run in the site's name when the image "
        "is opened; it was not copied. Export the drawing again as PNG, or without it.")
    _keep(known, source, state, None, problem)
    return asset, problem


def _kept(known: KnownFiles | None, source: str, state: FileState | None) -> tuple[Any, Problem | None] | None:
    """What reading made of a navigation document, an SVG or a ``.wgd-directory.yaml`` (what it read, and the
    problem it found), if it was read with its file in ``state``; else None."""
    kept = known.get(source) if known is not None and state is not None else None
    if kept is None or kept[0] != state:
        return None
    return kept[1], kept[2][0] if kept[2] else None


def _keep(known: KnownFiles | None, source: str, state: FileState | None, read: Any, problem: Problem | None) -> None:
    """Remember in ``known`` what reading a navigation document, an SVG or a ``.wgd-directory.yaml`` made, with its
    file's state."""
    if known is not None and state is not None:
        known[source] = (state, read, [problem] if problem is not None else [])
