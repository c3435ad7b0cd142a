"""Stage 6b, history: what the last sync made, as typed records: the manifest, and what the next sync reads from it.

The manifest (``.ingest/manifest.json`` in the docs_dir; its file is ``ingest.output.manifest``'s)
records per Drive id what its page was (``DocRecord``) and per file of the docs_dir its content
(``FileRecord``). From it the next sync tells what changed (``changes_since``), keeps every URL a
page ever had (``carry_redirects``) and keeps a page that would come out the same (the page's input
key, ``input_key``, and what making it found, ``PageMade``). Every record reads back what it wrote
(``to_dict``/``from_dict``, like ``Problem``); a record edited by hand into another shape reads as
absent, so its page is made again.
"""

from __future__ import annotations

import dataclasses
import hashlib
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Callable, Mapping

from ingest.model import Document, Problem

if TYPE_CHECKING:  # imported where a page's record is read: the MkDocs plugin reads the manifest without them
    from ingest.features.catalog import CatalogEntry

#: Bumped when the manifest's layout changes; an older manifest is treated as a first sync's.
MANIFEST_FORMAT = 2


@dataclass(frozen=True)
class PageMade:
    """What making a page found, so that a page kept from the last sync reports the same."""

    problems: tuple[Problem, ...] = ()
    fixes: tuple[str, ...] = ()
    """The text fixes that changed the doc."""

    activity: CatalogEntry | None = None
    """The activity card, for an Improvement Activity page."""

    def to_dict(self) -> dict[str, Any]:
        activity = None if self.activity is None else {
            "activity": dataclasses.asdict(self.activity.activity), "title": self.activity.title,
            "dest": self.activity.dest, "source": self.activity.source}
        return {"problems": [p.to_dict() for p in self.problems], "fixes": list(self.fixes), "activity": activity}

    @classmethod
    def from_dict(cls, data: Any) -> PageMade:
        """Raises ValueError for a shape this version did not write."""
        from ingest.features.activities import Activity
        from ingest.features.catalog import CatalogEntry

        try:
            entry = data["activity"]
            activity = None if entry is None else CatalogEntry(Activity(**entry["activity"]), entry["title"],
                                                               entry["dest"], entry["source"])
            return cls(tuple(Problem.from_dict(p) for p in data["problems"]), tuple(str(f) for f in data["fixes"]),
                       activity)
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            raise ValueError(f"not a record of what a page's making found: {exc}") from None


@dataclass(frozen=True)
class DocRecord:
    """What the manifest keeps of a doc's page: what changed next time, and where its URL should lead."""

    source: str
    dest: str
    title: str
    version: Any = None
    """The Drive version wikiGDrive wrote, if any."""

    hash: str = ""
    """A digest of the page's text: a changed one is an updated doc."""

    assets: tuple[str, ...] = ()
    """The doc's ``x.assets/`` and ``x.images/`` files."""

    parents: tuple[tuple[str, str], ...] = ()
    """(Drive id, page path) of each nav parent, nearest first: where a removed doc's URL leads."""

    input: str = ""
    """The page's input key (``input_key``): an equal key makes an equal page."""

    made: PageMade | None = None

    def to_dict(self) -> dict[str, Any]:
        data = {"source": self.source, "dest": self.dest, "title": self.title, "version": self.version,
                "hash": self.hash, "assets": list(self.assets), "parents": [list(p) for p in self.parents]}
        if self.input:
            data["input"] = self.input
        if self.made is not None:
            data["made"] = self.made.to_dict()
        return data

    @classmethod
    def from_dict(cls, data: Any) -> DocRecord | None:
        """None for a shape this version did not write (a record edited by hand, say)."""
        if not isinstance(data, dict) or not isinstance(data.get("dest"), str):
            return None
        try:
            made = PageMade.from_dict(data["made"]) if "made" in data else None
        except ValueError:
            made = None
        parents = data.get("parents") if isinstance(data.get("parents"), list) else []
        return cls(str(data.get("source", "")), data["dest"], str(data.get("title", "")), data.get("version"),
                   str(data.get("hash", "")), tuple(str(a) for a in data.get("assets") or () if isinstance(a, str)),
                   tuple((str(p[0]), str(p[1])) for p in parents if isinstance(p, list) and len(p) == 2),
                   str(data.get("input", "")) if made is not None else "", made)


@dataclass(frozen=True)
class FileRecord:
    """One file of the docs_dir as the last sync wrote it."""

    key: str
    """What its content is: a hash of generated text, or an asset's size and mtime."""

    size: int
    sha1: str | None = None
    """An asset's content hash: a fresh download with the same content is the same file."""

    def to_dict(self) -> dict[str, Any]:
        if self.sha1:
            return {"key": self.key, "size": self.size, "sha1": self.sha1}
        return {"key": self.key, "size": self.size}

    @classmethod
    def from_dict(cls, data: Any) -> FileRecord | None:
        if not isinstance(data, dict) or not isinstance(data.get("key"), str) or not isinstance(data.get("size"), int):
            return None
        return cls(data["key"], data["size"], data["sha1"] if isinstance(data.get("sha1"), str) else None)


@dataclass(frozen=True)
class Manifest:
    """Everything the last sync into a docs_dir left for the next one."""

    export_path: str = ""
    """The export folder it read."""

    fingerprint: str = ""
    """Of that export, its settings and ingest itself: an equal one means nothing to do."""

    nav: list[Any] = field(default_factory=list)
    """MkDocs' ``nav``, which the plugin loads."""

    redirects: dict[str, str] = field(default_factory=dict)
    """Every old page path → where it leads now."""

    docs: dict[str, DocRecord] = field(default_factory=dict)
    """Drive id → its page."""

    files: dict[str, FileRecord] = field(default_factory=dict)
    """Every file of the docs_dir but the manifest."""

    counts: dict[str, int] = field(default_factory=dict)
    fixes: dict[str, int] = field(default_factory=dict)
    problems: tuple[Problem, ...] = ()
    """The last report: repeated by a sync with nothing to do."""

    format: int = MANIFEST_FORMAT
    generator: str = ""

    def with_files(self, files: dict[str, FileRecord]) -> Manifest:
        return dataclasses.replace(self, files=files)

    def to_dict(self) -> dict[str, Any]:
        return {
            "format": self.format,
            "generator": self.generator,
            "export": {"path": self.export_path, "fingerprint": self.fingerprint},
            "nav": self.nav,
            "redirects": self.redirects,
            "docs": {drive_id: record.to_dict() for drive_id, record in self.docs.items()},
            "files": {dest: record.to_dict() for dest, record in self.files.items()},
            "report": {"counts": self.counts, "fixes": self.fixes, "problems": [p.to_dict() for p in self.problems]},
        }

    @classmethod
    def from_dict(cls, data: Any) -> Manifest | None:
        """The manifest a dict holds; None for what is no manifest. Parts of a wrong shape read as empty."""
        if not isinstance(data, dict):
            return None
        export = data.get("export") if isinstance(data.get("export"), dict) else {}
        report = data.get("report") if isinstance(data.get("report"), dict) else {}
        docs = {str(k): r for k, v in _mapping(data.get("docs")).items() if (r := DocRecord.from_dict(v))}
        files = {str(k): r for k, v in _mapping(data.get("files")).items() if (r := FileRecord.from_dict(v))}
        redirects = {k: v for k, v in _mapping(data.get("redirects")).items() if isinstance(k, str) and isinstance(v, str)}
        problems = []
        for item in report.get("problems") or []:
            try:
                problems.append(Problem.from_dict(item))
            except (ValueError, AttributeError, TypeError):
                continue
        return cls(str(export.get("path", "")), str(export.get("fingerprint", "")),
                   data.get("nav") if isinstance(data.get("nav"), list) else [], redirects, docs, files,
                   dict(_mapping(report.get("counts"))), dict(_mapping(report.get("fixes"))), tuple(problems),
                   data.get("format") if isinstance(data.get("format"), int) else 0, str(data.get("generator", "")))


def _mapping(value: Any) -> Mapping[Any, Any]:
    return value if isinstance(value, dict) else {}


# --- what changed -------------------------------------------------------------------------------

def changes_since(previous: Manifest | None, docs: dict[str, DocRecord],
                  redirects: dict[str, str]) -> dict[str, list[dict[str, Any]]]:
    """What changed in Drive since the last sync, doc by doc (by Drive id), each with its title and path.

    A doc is added, updated (its page changed), moved (its path changed, which
    rewrites its page too), removed (with where its URL now leads) or unchanged.
    A first sync lists every doc as added. A record from the URL history knows no text,
    so its doc is updated only if it moved.
    """
    before = previous.docs if previous is not None else {}
    changes: dict[str, list[dict[str, Any]]] = {"added": [], "updated": [], "moved": [], "removed": [],
                                                "unchanged": []}
    for drive_id, record in sorted(docs.items(), key=lambda item: item[1].dest):
        old = before.get(drive_id)
        item = {"title": record.title, "path": record.dest, "source": record.source}
        if old is None:
            changes["added"].append(item)
        elif old.dest != record.dest:
            changes["moved"].append({"title": record.title, "from": old.dest, "to": record.dest,
                                     "source": record.source})
        elif old.hash and old.hash != record.hash:  # no hash: a record from the URL history
            changes["updated"].append(item)
        else:
            changes["unchanged"].append(item)
    for drive_id, old in sorted(before.items(), key=lambda item: item[1].dest):
        if drive_id not in docs:
            changes["removed"].append({"title": old.title, "path": old.dest, "source": old.source,
                                       "redirect": redirects.get(old.dest)})
    return changes


def carry_redirects(previous: Manifest | None, docs: dict[str, DocRecord], live: set[str],
                    stubs: dict[str, str]) -> dict[str, str]:
    """Every URL a page ever had keeps working: moved pages, removed pages and earlier redirects.

    A moved doc's old URL leads to its new one; a removed doc's URL leads to its
    nearest surviving parent section (else the home page); redirects made by earlier
    syncs are followed to where their target is now. Redirect stubs in the export
    (``stubs``) win, then this sync's moves and removals, then older redirects.
    """
    candidates: dict[str, str] = dict(previous.redirects) if previous is not None else {}
    for drive_id, old in (previous.docs if previous is not None else {}).items():
        if old.dest in live:
            continue
        now = docs.get(drive_id)
        target = now.dest if now else _surviving_parent(old, docs, live)
        if target:
            candidates[old.dest] = target
    candidates.update(stubs)
    resolved: dict[str, str] = {}
    for old_dest, target in candidates.items():
        seen = {old_dest}
        while target not in live and target in candidates and target not in seen:
            seen.add(target)
            target = candidates[target]
        if target in live and old_dest not in live:
            resolved[old_dest] = target
    return dict(sorted(resolved.items()))


def _surviving_parent(record: DocRecord, docs: dict[str, DocRecord], live: set[str]) -> str | None:
    """Where a removed doc's URL should lead: its nearest nav parent still in the site, else the home page."""
    for parent_id, parent_dest in record.parents:
        if parent_id and parent_id in docs:
            return docs[parent_id].dest
        if parent_dest in live:
            return parent_dest
    return "index.md" if "index.md" in live else None


# --- pages that would come out the same ---------------------------------------------------------

def digest(*parts: Any) -> str:
    """A digest of everything a page is made from besides its own doc (the caller lists it)."""
    return hashlib.sha1(repr(parts).encode("utf-8", "surrogatepass")).hexdigest()


def input_key(context: str, doc: Document, text_key: str, dest: str) -> str:
    """What a doc's page is made from: the context digest, the doc as normalised, the key of its text as
    exported (``text_key``: of its title and body, which also stands for its body as normalised, and by
    whose lines problems are reported) and the page's path. Equal keys make equal pages."""
    fields = repr((doc.source, doc.meta, doc.body_line, doc.fixes, doc.dest, doc.encoding, doc.meta_lines))
    data = "\0".join((context, fields, text_key, dest))  # every field of Document but the body (a test checks)
    return hashlib.sha1(data.encode("utf-8", "surrogatepass")).hexdigest()[:24]


def reusable(previous: Manifest | None, drive_id: str, key: str,
             previous_page: Callable[[str], str | None] | None) -> tuple[DocRecord, str] | None:
    """The record and text of the page the last sync made from the same input, if it is still as written."""
    if previous is None or previous_page is None:
        return None
    record = previous.docs.get(drive_id)
    if record is None or record.made is None or record.input != key:
        return None
    text = previous_page(record.dest)
    return (record, text) if text is not None else None


# --- the URL history committed beside mkdocs.yml -----------------------------------------------

#: Bumped when the URL history's layout changes.
URL_HISTORY_FORMAT = 1


class HistoryFormatError(ValueError):
    """The URL history holds something this version did not write; the message says what and where."""


@dataclass(frozen=True)
class UrlHistory:
    """The URLs every doc had: each doc's page (with its title and nav parents) and every old page that redirects.

    It is the part of the manifest that must outlive the docs_dir, kept in a small file that is
    committed beside ``mkdocs.yml``: with it, a docs_dir deleted and made again from the export keeps
    every old link working. It changes only when URLs do (a doc added, moved, renamed or removed).
    """

    docs: dict[str, DocRecord] = field(default_factory=dict)
    """Drive id → its page (``dest``, ``title``, ``parents``; no text hash, no page-reuse key)."""

    redirects: dict[str, str] = field(default_factory=dict)

    @classmethod
    def of(cls, manifest: Manifest) -> UrlHistory:
        return cls({drive_id: DocRecord("", record.dest, record.title, parents=record.parents)
                    for drive_id, record in sorted(manifest.docs.items())}, dict(sorted(manifest.redirects.items())))

    def to_dict(self) -> dict[str, Any]:
        return {
            "format": URL_HISTORY_FORMAT,
            "docs": {drive_id: {"page": r.dest, "title": r.title, "parents": [list(p) for p in r.parents]}
                     for drive_id, r in sorted(self.docs.items())},
            "redirects": dict(sorted(self.redirects.items())),
        }

    @classmethod
    def from_dict(cls, data: Any) -> UrlHistory:
        """Raises HistoryFormatError for anything this version did not write (a hand edit gone wrong)."""
        if not isinstance(data, dict) or data.get("format") != URL_HISTORY_FORMAT:
            found = data.get("format") if isinstance(data, dict) else type(data).__name__
            raise HistoryFormatError(f"it is not a URL history of format {URL_HISTORY_FORMAT} (found {found!r})")
        docs, redirects = data.get("docs"), data.get("redirects")
        if not isinstance(docs, dict) or not isinstance(redirects, dict):
            raise HistoryFormatError("it needs a 'docs' and a 'redirects' mapping")
        records = {}
        for drive_id, entry in docs.items():
            page = entry.get("page") if isinstance(entry, dict) else None
            parents = entry.get("parents", []) if isinstance(entry, dict) else None
            if not isinstance(page, str) or not isinstance(parents, list) or not all(
                    isinstance(p, list) and len(p) == 2 and all(isinstance(x, str) for x in p) for p in parents):
                raise HistoryFormatError(f"doc '{drive_id}' needs a 'page' and a list of [id, page] 'parents'")
            records[str(drive_id)] = DocRecord("", page, str(entry.get("title", "")),
                                               parents=tuple((p[0], p[1]) for p in parents))
        for old, new in redirects.items():
            if not isinstance(new, str):
                raise HistoryFormatError(f"the redirect of '{old}' must be a page path, not {new!r}")
        return cls(records, dict(redirects))


def with_history(previous: Manifest | None, history: UrlHistory | None) -> Manifest | None:
    """The last sync's manifest with the committed URL history merged in, so no old URL is forgotten.

    Without a manifest (a new or deleted docs_dir) the history stands in for it. With both, the
    manifest's records win (they know each page's text), the history adds the docs and redirects
    the manifest lacks (say, from a teammate's sync merged in git), and a doc whose page the two
    disagree on keeps the history's page as one more old URL.
    """
    if history is None:
        return previous
    if previous is None:
        return Manifest(docs=dict(history.docs), redirects=dict(history.redirects))
    docs = {**history.docs, **previous.docs}
    redirects = {**history.redirects, **previous.redirects}
    for drive_id, record in history.docs.items():
        now = previous.docs.get(drive_id)
        if now is not None and now.dest != record.dest:
            redirects.setdefault(record.dest, now.dest)
    return dataclasses.replace(previous, docs=docs, redirects=redirects)
