"""Run the whole pipeline: read and check everything, then write the docs_dir at once.

Like MkDocs' ``build()``, this reads top to bottom in pipeline order, and no
file is written until every page has been produced: a bad export leaves the
previous site as it was.
"""

from __future__ import annotations

import dataclasses
import hashlib
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ingest import __version__
from ingest.activities import parse_activity, restructure_activity_body
from ingest.catalog import (ACTIVITIES_CSV, ACTIVITIES_JSON, ACTIVITIES_PAGE, TAGS_PAGE, CatalogEntry, activities_csv,
                            activities_json, activities_page, activity_tags, rows, tags_page)
from ingest.faq import is_faq, strip_scraped_chrome, structure_faq
from ingest.html import render_tables
from ingest.links import LinkIndex, relative_url, rewrite_links
from ingest.model import Asset, Document, Problem, Severity
from ingest.nav import Navigation, build_navigation, page_dest
from ingest.normalize import NormalizeConfig, normalize
from ingest.pages import fill_children, fill_content_by_label, labels_of, link_list, render_page, settle_headings
from ingest.read import Export, read_export
from ingest.redirects import stub_redirects
from ingest.sanitize import sanitize_markdown
from ingest.shortcodes import convert_shortcodes
from ingest.write import read_manifest, write_site

#: Front matter keys that only matter to wikiGDrive or Hugo, not to the site.
EXPORT_ONLY_KEYS = ("menu", "wikigdrive", "redirectTo", "url", "markup")


class SyncError(Exception):
    """A problem that stops the sync before anything is written; the message says what to do."""


@dataclass
class Site:
    """Everything the sync will write, and what it found on the way."""

    pages: dict[str, str] = field(default_factory=dict)
    """Page path in the docs_dir → full Markdown text."""

    data_files: dict[str, str] = field(default_factory=dict)
    """Other generated files (activities.json, activities.csv) → their text."""

    activities: list[CatalogEntry] = field(default_factory=list)
    """Every activity page found, for the index."""

    assets: list[Asset] = field(default_factory=list)
    nav: list[Any] = field(default_factory=list)
    """MkDocs' ``nav`` setting, loaded by the hook."""

    redirects: dict[str, str] = field(default_factory=dict)
    """Old page path → new page path, for mkdocs-redirects."""

    docs: dict[str, dict[str, Any]] = field(default_factory=dict)
    """Drive id → {source, dest, title, hash}: what the manifest remembers for the next sync."""

    problems: list[Problem] = field(default_factory=list)
    fixes: Counter[str] = field(default_factory=Counter)
    """Fix name → number of docs it changed."""

    documents_read: int = 0
    changes: dict[str, list[Any]] = field(default_factory=dict)
    first_sync: bool = True
    """No earlier sync of this Drive folder into the docs_dir: every page is new."""

    @property
    def counts(self) -> dict[str, int]:
        return {
            "docs": self.documents_read,
            "pages": len(self.pages),
            "redirects": len(self.redirects),
            "assets": len(self.assets),
            "warnings": sum(p.severity is Severity.WARNING for p in self.problems),
            "errors": sum(p.severity is Severity.ERROR for p in self.problems),
        }

    def manifest(self, export_dir: Path) -> dict[str, Any]:
        return {
            "generator": f"ingest {__version__}",
            "export": str(export_dir),
            "nav": self.nav,
            "redirects": self.redirects,
            "docs": self.docs,
        }

    def report(self) -> dict[str, Any]:
        return {
            "counts": self.counts,
            "changes": self.changes,
            "fixes": dict(sorted(self.fixes.items())),
            "problems": [p.to_dict() for p in sorted(self.problems, key=_problem_order)],
        }


def _problem_order(problem: Problem) -> tuple[Any, ...]:
    return (problem.file, problem.line or 0, problem.kind, problem.message)


def build_site(export: Export, previous: dict[str, Any] | None = None,
               normalize_config: NormalizeConfig = NormalizeConfig()) -> Site:
    """Turn a read export into the pages, nav and redirects of the site. Pure: touches no disk."""
    site = Site(assets=list(export.assets), problems=list(export.problems), documents_read=len(export.documents))
    originals = {doc.source: doc.body for doc in export.documents}
    docs = [normalize(doc, normalize_config) for doc in export.documents]
    stubs = [doc for doc in docs if doc.is_redirect_stub]
    page_docs = [_as_faq(doc) if is_faq(doc.title, doc.source, doc.meta) else doc
                 for doc in docs if not doc.is_redirect_stub]
    faq_sources = frozenset(doc.source for doc in page_docs if doc.meta.get("faq") is True)

    navigation = build_navigation(page_docs, export.folder_titles, export.navigation, top_level=faq_sources)
    site.problems.extend(navigation.problems)

    index = LinkIndex(assets={asset.source for asset in export.assets}, refused=set(export.refused_assets))
    for doc in page_docs:
        dest = navigation.dest_by_source.get(doc.source)
        if dest is not None:
            index.by_source[doc.source] = dest
            index.by_id.setdefault(doc.id, dest)
    site.redirects.update(_stub_redirects(stubs, index, site.problems, [page.dest for page in navigation.generated]))
    for stub in stubs:
        target = site.redirects.get(page_dest(stub.source))
        if target:
            index.by_source[stub.source] = target

    labelled = _labelled_pages(page_docs, index)
    for doc in page_docs:
        if doc.source not in index.by_source:
            continue
        doc = dataclasses.replace(doc, dest=index.by_source[doc.source])
        try:
            doc = _as_activity(doc, navigation, site)
            doc, problems = _transform(doc, index, navigation, labelled, originals[doc.source])
        except Exception as exc:  # a bug met by one odd doc must not cost the rest of the site
            doc, problems = _unconverted(doc, exc)
        site.problems.extend(problems)
        site.fixes.update(doc.fixes)
        text = render_page(_page_meta(doc), doc.body)
        site.pages[doc.dest] = text
        site.docs.setdefault(doc.id, {"source": doc.source, "dest": doc.dest, "title": doc.title,
                                      "hash": hashlib.sha1(text.encode()).hexdigest()[:16]})
    for page in navigation.generated:
        entries = [(child.title, relative_url(page.dest, child.dest)) for child in page.node.children if child.dest]
        body = link_list(entries) if entries else "*No pages yet.*"
        site.pages[page.dest] = render_page({"title": page.title, "generated": True}, body)

    site.nav = navigation.to_mkdocs()
    if site.activities:
        _add_catalog(site, faq_dests={index.by_source[s] for s in faq_sources if s in index.by_source})
    _carry_redirects(site, previous or {}, index)
    site.changes = _changes(previous or {}, site.docs)
    site.first_sync = previous is None
    site.problems = sorted(set(site.problems), key=_problem_order)  # an image used twice on one line is one problem
    return site


def _as_faq(doc: Document) -> Document:
    """An FAQ doc: scraped page chrome goes, each question becomes its own heading."""
    body, removed = strip_scraped_chrome(doc.body)
    meta = {**doc.meta, "faq": True}
    if removed and doc.title in removed:
        meta["title"] = "Frequently Asked Questions"  # the title was only the scraped page's chrome
    body = structure_faq(body)
    return dataclasses.replace(doc, body=body, meta=meta, fixes=doc.fixes + (("faq",) if body != doc.body else ()))


def _as_activity(doc: Document, navigation: Navigation, site: Site) -> Document:
    """An Improvement Activity doc: fields to front matter and tags, sections to headings."""
    node = navigation.node_by_source.get(doc.source)
    section_title = node.parent.title if node is not None and node.parent is not None else None
    activity = parse_activity(doc.title, doc.body, section_title)
    if activity is None:
        return doc
    meta = dict(doc.meta)
    for key, value in activity.to_meta().items():
        meta.setdefault(key, value)
    meta["tags"] = list(dict.fromkeys([*(meta.get("tags") or []), *activity_tags(activity)]))
    meta.setdefault("search", {"boost": 2})
    site.activities.append(CatalogEntry(activity, doc.title, doc.dest, str(doc.meta.get("source") or "")))
    body = restructure_activity_body(doc.body)
    return dataclasses.replace(doc, body=body, meta=meta, fixes=doc.fixes + ("activity",))


def _add_catalog(site: Site, faq_dests: set[str]) -> None:
    """The "All activities" page, its JSON and CSV, and the tags index; in the nav before the FAQ."""
    data = rows(site.activities)
    site.pages[ACTIVITIES_PAGE] = render_page({"title": "All activities", "generated": True,
                                               "search": {"boost": 0.5}, "hide": ["toc"]},
                                              activities_page(site.activities))
    site.pages[TAGS_PAGE] = render_page({"title": "Tags", "generated": True}, tags_page())
    site.data_files[ACTIVITIES_JSON] = activities_json(data)
    site.data_files[ACTIVITIES_CSV] = activities_csv(data)
    entries = [{"All activities": ACTIVITIES_PAGE}, {"Tags": TAGS_PAGE}]
    position = next((i for i, item in enumerate(site.nav)
                     if isinstance(item, dict) and any(v in faq_dests for v in item.values() if isinstance(v, str))),
                    len(site.nav))
    site.nav[position:position] = entries


def _transform(doc: Document, index: LinkIndex, navigation: Navigation,
               labelled: dict[str, list[tuple[str, str]]], original: str) -> tuple[Document, list[Problem]]:
    """The body stages, in order: raw HTML sanitised, shortcodes, HTML tables, links, generated lists, headings."""
    problems: list[Problem] = []
    doc, found = sanitize_markdown(doc, original)
    problems += found
    doc, found = convert_shortcodes(doc, original)
    problems += found
    doc = render_tables(doc)
    doc, found = rewrite_links(doc, index, original)
    problems += found
    children = [(child.title, relative_url(doc.dest, child.dest)) for child in navigation.children_of(doc.source) if child.dest]
    body = fill_children(doc.body, children)
    body = fill_content_by_label(body, labelled, doc.dest)
    body = settle_headings(body, doc.title)
    return dataclasses.replace(doc, body=body), problems


def _unconverted(doc: Document, exc: Exception) -> tuple[Document, list[Problem]]:
    """A page that says it could not be converted, so the nav still leads somewhere, and an error saying why."""
    body = "*This page could not be converted from its Google Doc; the sync report says why.*"
    return dataclasses.replace(doc, body=body), [Problem(
        doc.source, None, "internal-error",
        f"Doc '{doc.source}' could not be converted ({type(exc).__name__}: {exc}); its page only says so. "
        "Please report this, with the doc, to the maintainers of the sync.", Severity.ERROR)]


def _page_meta(doc: Document) -> dict[str, Any]:
    """Front matter of the written page: the doc's own keys less the export-only ones."""
    meta = {key: value for key, value in doc.meta.items() if key not in EXPORT_ONLY_KEYS}
    meta["title"] = doc.title
    meta["ingest_source"] = doc.source
    return meta


def _stub_redirects(stubs: list[Document], index: LinkIndex, problems: list[Problem],
                    generated: list[str]) -> dict[str, str]:
    """wikiGDrive leaves a stub with ``redirectTo: <id>`` where a renamed doc used to be (see redirects.py)."""
    redirects, found = stub_redirects(stubs, index, live=[*index.by_source.values(), *generated])
    problems.extend(found)
    return redirects


def _carry_redirects(site: Site, previous: dict[str, Any], index: LinkIndex) -> None:
    """Pages that moved since the last sync, and redirects made before, keep working."""
    live = set(site.pages)
    previous_docs = previous.get("docs") or {}
    for drive_id, entry in previous_docs.items():
        now = site.docs.get(drive_id)
        old = entry.get("dest")
        if now and old and old != now["dest"] and old not in live:
            site.redirects.setdefault(old, now["dest"])
    moved = {entry.get("dest"): site.docs[i]["dest"] for i, entry in previous_docs.items() if i in site.docs}
    for old, target in (previous.get("redirects") or {}).items():
        target = moved.get(target, target)
        if old not in live and target in live and old != target:
            site.redirects.setdefault(old, target)


def _changes(previous: dict[str, Any], docs: dict[str, dict[str, Any]]) -> dict[str, list[Any]]:
    """What an editor changed in Drive since the last sync, by Drive id."""
    before = previous.get("docs") or {}
    return {
        "added": sorted(entry["dest"] for i, entry in docs.items() if i not in before),
        "changed": sorted(entry["dest"] for i, entry in docs.items()
                          if i in before and before[i].get("hash") != entry["hash"] and before[i].get("dest") == entry["dest"]),
        "moved": sorted(({"from": before[i]["dest"], "to": entry["dest"]} for i, entry in docs.items()
                         if i in before and before[i].get("dest") != entry["dest"]), key=lambda m: m["from"]),
        "removed": sorted(entry["dest"] for i, entry in before.items() if i not in docs),
    }


def _labelled_pages(docs: list[Document], index: LinkIndex) -> dict[str, list[tuple[str, str]]]:
    labelled: dict[str, list[tuple[str, str]]] = {}
    for doc in sorted(docs, key=lambda d: d.title.casefold()):
        for label in labels_of(doc.meta):
            if doc.source in index.by_source:
                labelled.setdefault(label.casefold(), []).append((doc.title, index.by_source[doc.source]))
    return labelled


def same_site(previous: dict[str, Any], documents: list[Document]) -> bool:
    """Whether the last sync was of the same Drive folder: most of its doc ids are still here.

    The export may sit in another local folder (a new download), so ids decide, not paths.
    """
    before = set(previous.get("docs") or {})
    if not before:
        return False
    now = {doc.id for doc in documents}
    return len(before & now) >= 0.5 * len(before)


def sync(export_dir: Path, out_dir: Path, strict: bool = False) -> Site:
    """Read ``export_dir``, build the site and replace ``out_dir`` with it in one step.

    Raises SyncError, writing nothing, when the export cannot be used or when
    ``strict`` is set and any problem was found.
    """
    export_dir = Path(export_dir).resolve()
    if not export_dir.is_dir():
        raise SyncError(f"Export folder '{export_dir}' does not exist or is not a folder.")
    previous = read_manifest(Path(out_dir))
    export = read_export(export_dir)
    if not export.documents:
        raise SyncError(f"No documents (.md or .txt files) were found in '{export_dir}'. "
                        "Point the sync at the folder wikiGDrive exported to.")
    if previous is not None and not same_site(previous, export.documents):
        previous = None  # another Drive folder: its pages' history (moves, redirects) is not this one's
    site = build_site(export, previous)
    if strict and site.problems:
        raise StrictError(site)
    write_site({**site.pages, **site.data_files}, site.assets, export_dir, Path(out_dir), site.manifest(export_dir))
    return site


class StrictError(SyncError):
    """``--strict`` and the sync found problems: nothing was written."""

    def __init__(self, site: Site):
        counts = site.counts
        super().__init__(f"Aborted in strict mode with {counts['warnings']} warning(s) and {counts['errors']} error(s); "
                         "nothing was written.")
        self.site = site
