"""Stage 1: walk the export, decode every document and split off its front matter.

This module and ``write`` are the only ones that touch the disk. Everything is
read and checked before anything is written, like MkDocs' ``build()``.
"""

from __future__ import annotations

import codecs
import hashlib
import os
import re
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

import charset_normalizer
import frontmatter
import yaml

from ingest.chardata import HEADING_RE
from ingest.model import Asset, Document, Problem, Severity

DOCUMENT_SUFFIXES = {".md", ".txt"}
IMAGE_SUFFIXES = {".png", ".jpg", ".jpeg", ".gif", ".svg", ".webp", ".bmp", ".ico", ".tif", ".tiff"}
ASSET_FOLDER_SUFFIXES = (".assets", ".images")
NAVIGATION_DOCUMENTS = ("navigation.md", ".navigation.md")
DIRECTORY_FILE = ".wgd-directory.yaml"

# wikiGDrive's bookkeeping files: never pages, never assets.
_SIDECAR_RE = re.compile(
    r"""^(?:\.wgd-directory\.yaml|\.wgd-local-.*\.csv|\.tree\.json|.*\.debug\.xml|toc\.md|_errors\.md)$"""
)
_YAML_HANDLER = frontmatter.YAMLHandler()
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when available


@dataclass
class Export:
    """Everything read from an export folder, before any transformation."""

    root: Path
    """The export folder."""

    documents: list[Document] = field(default_factory=list)
    """Every readable document, sorted by source path."""

    assets: list[Asset] = field(default_factory=list)
    """Files copied as they are, sorted by source path."""

    navigation: tuple[str, str] | None = None
    """(source path, text) of the navigation document at the export root, if any."""

    folder_titles: dict[str, str] = field(default_factory=dict)
    """Folder path ('' for the root) to the folder's Drive title, from ``.wgd-directory.yaml``."""

    problems: list[Problem] = field(default_factory=list)


def decode_bytes(data: bytes) -> tuple[str, str]:
    """Decode a document: UTF-8 with or without BOM first, then a detected encoding.

    Returns the text with LF line endings and the name of the encoding used.

    >>> decode_bytes(b'\\xef\\xbb\\xbfcaf\\xc3\\xa9\\r\\n')
    ('café\\n', 'utf-8-sig')
    >>> decode_bytes('It\\u2019s caf\\u00e9'.encode('cp1252'))
    ('It’s café', 'cp1252')
    >>> decode_bytes('caf\\u00e9'.encode('utf-16'))
    ('café', 'utf-16')
    """
    if data.startswith(codecs.BOM_UTF8):
        text, encoding = data[len(codecs.BOM_UTF8):].decode("utf-8", errors="replace"), "utf-8-sig"
    elif data.startswith((codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)):
        text, encoding = data.decode("utf-32", errors="replace"), "utf-32"
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        text, encoding = data.decode("utf-16", errors="replace"), "utf-16"
    else:
        try:
            text, encoding = data.decode("utf-8"), "utf-8"
        except UnicodeDecodeError:
            text, encoding = _decode_legacy(data)
    return text.replace("\r\n", "\n").replace("\r", "\n"), encoding


def _decode_legacy(data: bytes) -> tuple[str, str]:
    """Google and Windows tools write cp1252; trust it when it decodes cleanly."""
    try:
        return data.decode("cp1252"), "cp1252"
    except UnicodeDecodeError:
        pass
    best = charset_normalizer.from_bytes(data).best()
    if best is not None and best.encoding:
        return str(best), best.encoding
    return data.decode("latin-1"), "latin-1"


_KEY_LINE_RE = re.compile(r"^[ \t]*([\w.-]+)[ \t]*:", re.MULTILINE)


def front_matter_lines(text: str) -> dict[str, int]:
    """File line of each key in a document's front matter, to point problems at it.

    >>> front_matter_lines("---\\ntitle: A\\nmenu:\\n  main:\\n    weight: ten\\n---\\nBody")
    {'title': 2, 'menu': 3, 'main': 4, 'weight': 5}
    """
    if not _YAML_HANDLER.detect(text):
        return {}
    end = text.find("\n---", 3)
    block = text[: end if end >= 0 else len(text)]
    lines: dict[str, int] = {}
    for match in _KEY_LINE_RE.finditer(block):
        lines.setdefault(match.group(1), block.count("\n", 0, match.start()) + 1)
    return lines


def split_front_matter(text: str) -> tuple[dict[str, Any], str, int]:
    """Split ``text`` into (metadata, body, body_line) with python-frontmatter's YAML handler.

    Unlike ``frontmatter.parse`` this keeps the body as written (two-space line
    breaks matter) and raises ``FrontMatterError`` with a file line instead of
    swallowing bad YAML.

    >>> split_front_matter("---\\ntitle: 'A'\\n---\\n\\nHello\\n")
    ({'title': 'A'}, 'Hello\\n', 5)
    >>> split_front_matter("No front matter\\n")
    ({}, 'No front matter\\n', 1)
    """
    if not _YAML_HANDLER.detect(text):
        return {}, text, 1
    try:
        raw, body = _YAML_HANDLER.split(text)
    except ValueError:
        raise FrontMatterError(1, "front matter starts with '---' but is never closed with '---'")
    try:
        meta = _YAML_HANDLER.load(raw, Loader=_LOADER) if raw.strip() else {}
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else 1
        reason = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise FrontMatterError(line, f"front matter is not valid YAML ({reason})")
    if meta is None:
        meta = {}
    if not isinstance(meta, dict):
        raise FrontMatterError(2, f"front matter must be a mapping of keys to values, not {type(meta).__name__}")
    consumed = text[: len(text) - len(body)]
    body_line = consumed.count("\n") + 1
    stripped = body.lstrip("\n")
    body_line += body[: len(body) - len(stripped)].count("\n")
    return meta, stripped, body_line


class FrontMatterError(ValueError):
    """Front matter that cannot be read; ``line`` is the file line of the fault."""

    def __init__(self, line: int, message: str):
        super().__init__(message)
        self.line = line
        self.message = message


def fallback_title(body: str, source: str) -> str:
    """A title for a doc without one: its first heading, else its first line, else its file name.

    >>> fallback_title("\\n## Setup\\ntext", "a/b.md")
    'Setup'
    >>> fallback_title("FAQ Search\\n\\nThe criteria", "faq.txt")
    'FAQ Search'
    >>> fallback_title("", "guides/getting-started.md")
    'Getting Started'
    """
    for line in body.splitlines():
        match = HEADING_RE.match(line)
        if match and match.group("text"):
            return _plain(match.group("text"))
    for line in body.splitlines():
        if line.strip():
            return _plain(line.strip())[:120]
    stem = PurePosixPath(source).stem
    return stem.replace("-", " ").replace("_", " ").strip().title() or source


def _plain(text: str) -> str:
    """Drop Markdown emphasis and link syntax from a one-line title."""
    text = re.sub(r"!?\[([^\]]*)\]\([^)]*\)", r"\1", text)
    return re.sub(r"[*_`]+", "", text).strip()


def path_id(source: str) -> str:
    """A stable id for a document that has none, derived from its path.

    >>> path_id("faq.txt") == path_id("faq.txt")
    True
    >>> path_id("faq.txt").startswith("path-")
    True
    """
    return "path-" + hashlib.sha1(source.encode("utf-8")).hexdigest()[:16]


def parse_document(source: str, data: bytes, directory: dict[str, Any] | None = None) -> tuple[Document | None, list[Problem]]:
    """Turn one exported file into a Document, or report why it cannot be read.

    ``directory`` is the parsed ``.wgd-directory.yaml`` entry for this file, used
    for a title and an id when the document has no front matter.
    """
    problems: list[Problem] = []
    text, encoding = decode_bytes(data)
    if encoding not in ("utf-8", "utf-8-sig"):
        problems.append(Problem(source, None, "encoding",
                                f"Doc '{source}' is not UTF-8; decoded it as {encoding}. "
                                "Re-export it from Drive, or save it as UTF-8, to be sure of every character."))
    try:
        meta, body, body_line = split_front_matter(text)
    except FrontMatterError as exc:
        problems.append(Problem(source, exc.line, "invalid-yaml",
                                f"Doc '{source}': {exc.message}. The doc is left out of the site; "
                                "fix the front matter (or re-export the doc) and sync again.",
                                Severity.ERROR))
        return None, problems
    meta = dict(meta)
    directory = directory or {}
    if not meta.get("id"):
        meta["id"] = str(directory.get("id") or path_id(source))
    if not meta.get("title"):
        meta["title"] = str(directory.get("title") or fallback_title(body, source))
    meta["id"] = str(meta["id"])
    meta["title"] = str(meta["title"])
    return Document(source=source, meta=meta, body=body, body_line=body_line, encoding=encoding,
                    meta_lines=front_matter_lines(text)), problems


def classify(source: str) -> str:
    """What a file in the export is: 'document', 'asset', 'navigation', 'directory' or 'skip'.

    >>> [classify(p) for p in ["a/b.md", "a/b.assets/c.png", "navigation.md", "a/.wgd-directory.yaml", "a/toc.md", "a/x.csv"]]
    ['document', 'asset', 'navigation', 'directory', 'skip', 'other']
    """
    parts = source.split("/")
    name = parts[-1]
    if name == DIRECTORY_FILE:
        return "directory"
    if len(parts) == 1 and name in NAVIGATION_DOCUMENTS:
        return "navigation"
    if _SIDECAR_RE.match(name):
        return "skip"
    if any(part.endswith(ASSET_FOLDER_SUFFIXES) for part in parts[:-1]):
        return "asset" if not name.startswith(".") else "skip"
    if any(part.startswith(".") for part in parts):
        return "skip"
    suffix = PurePosixPath(name).suffix.lower()
    if suffix in DOCUMENT_SUFFIXES:
        return "document"
    if suffix in IMAGE_SUFFIXES:
        return "asset"
    return "other"


def read_directory_file(text: str) -> dict[str, Any]:
    """Parse a ``.wgd-directory.yaml``; a broken one is simply not used."""
    try:
        data = yaml.load(text, Loader=_LOADER)
    except yaml.YAMLError:
        return {}
    return data if isinstance(data, dict) else {}


def read_export(root: Path) -> Export:
    """Read every document, asset and sidecar below ``root``."""
    export = Export(root=root)
    files: list[str] = []
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith(".git"))
        rel_dir = Path(dirpath).relative_to(root).as_posix()
        for name in sorted(filenames):
            files.append(name if rel_dir == "." else f"{rel_dir}/{name}")

    directories: dict[str, dict[str, Any]] = {}
    for source in files:
        if classify(source) == "directory":
            folder = source.rsplit("/", 1)[0] if "/" in source else ""
            info = read_directory_file((root / source).read_text("utf-8", errors="replace"))
            directories[folder] = info
            if info.get("title"):
                export.folder_titles[folder] = str(info["title"])
    for folder, info in directories.items():
        for name, entry in (info.get("fileMap") or {}).items():
            if isinstance(entry, dict) and entry.get("type") == "directory" and entry.get("title"):
                sub = f"{folder}/{name}" if folder else str(name)
                export.folder_titles.setdefault(sub, str(entry["title"]))

    for source in files:
        kind = classify(source)
        path = root / source
        if kind == "document":
            folder, _, name = source.rpartition("/")
            entry = ((directories.get(folder) or {}).get("fileMap") or {}).get(name)
            try:
                data = path.read_bytes()
            except OSError as exc:
                export.problems.append(Problem(source, None, "unreadable",
                                               f"Doc '{source}' could not be read ({exc.strerror}); it is left out of "
                                               "the site. Check the file's permissions and sync again.", Severity.ERROR))
                continue
            doc, problems = parse_document(source, data, entry if isinstance(entry, dict) else None)
            export.problems.extend(problems)
            if doc is not None:
                export.documents.append(doc)
        elif kind == "asset":
            export.assets.append(Asset(source=source, size=path.stat().st_size))
        elif kind == "navigation":
            export.navigation = (source, decode_bytes(path.read_bytes())[0])
        elif kind == "other":
            export.problems.append(Problem(source, None, "skipped-file",
                                           f"'{source}' is neither a document (.md, .txt) nor an image; it was not copied."))
    return export
