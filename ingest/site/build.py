"""Build the site in memory: every stage between the read export and the files to write.

Pure, like MkDocs' ``structure`` package: it takes a read export (and the last
sync's manifest, ``site.history``, for URL history and pages to keep) and returns a
``Site``; nothing here touches the disk, so ``sync`` imports it only when the export
did change. The stages, in order: normalise every doc (and lay out FAQ docs), place
them in the nav, turn stubs into redirects, then per page: activity fields, sanitise,
shortcodes, links, generated lists, headings; then the catalogue and the URL history.
"""

from __future__ import annotations

import dataclasses
import hashlib
from collections import Counter
from dataclasses import dataclass, field
from typing import Any, Callable, Mapping

from ingest import __version__
from ingest.features.catalog import CatalogEntry, as_activity_page, catalogue
from ingest.features.faq import as_faq_page, is_faq
from ingest.files import page_dest, relative_url
from ingest.model import Asset, Document, NavNode, Problem, Severity, problem_order
from ingest.read.export import Export
from ingest.settings import SiteSettings
from ingest.site.history import (
    MANIFEST_FORMAT,
    DocRecord,
    Manifest,
    PageMade,
    carry_redirects,
    changes_since,
    digest,
    input_key,
    reusable,
)
from ingest.site.nav import HOME_DEST, HOME_TITLE, Navigation, build_navigation
from ingest.site.redirects import stub_redirects, stub_targets
from ingest.transform.fragments import unlink_broken_fragments
from ingest.transform.links import LinkIndex, rewrite_links
from ingest.transform.normalize import NormalizeConfig, Normalized, normalized_text, with_normalized
from ingest.transform.pages import (
    fill_children,
    fill_content_by_label,
    labels_of,
    link_list,
    render_page,
    settle_headings,
)
from ingest.transform.sanitize import sanitize_markdown
from ingest.transform.shortcodes import convert_shortcodes, unwrap_fenced_pre
from ingest.transform.shortcodes.brands import brand_problems
from ingest.utils.parallel import map_items
from ingest.utils.progress import NoProgress, Progress

#: Front matter keys that only matter to wikiGDrive or Hugo, not to the site.
EXPORT_ONLY_KEYS = ("menu", "wikigdrive", "redirectTo", "url", "markup")


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

    docs: dict[str, DocRecord] = field(default_factory=dict)
    """Drive id → what the manifest remembers of its page."""

    problems: list[Problem] = field(default_factory=list)
    fixes: Counter[str] = field(default_factory=Counter)
    """Fix name → number of docs it changed."""

    documents_read: int = 0
    changes: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    """added, updated, moved, removed, unchanged: each doc by title and path (see ``_changes``)."""

    first_sync: bool = True
    """No earlier sync of this Drive folder into the docs_dir: every page is new."""

    normalized: dict[str, Normalized | None] = field(default_factory=dict)
    """What normalising made of each doc's text, by :func:`normalize_key`: for the next sync to reuse."""

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

    @property
    def texts(self) -> dict[str, str]:
        """Every generated file of the docs_dir (pages and data files) → its text."""
        return {**self.pages, **self.data_files}

    def manifest(self, export_path: str, fingerprint: str) -> Manifest:
        """What the next sync reads of this one (its files are the write plan's)."""
        return Manifest(export_path, fingerprint, self.nav, self.redirects, self.docs, {}, self.counts,
                        dict(sorted(self.fixes.items())), tuple(self.problems), MANIFEST_FORMAT, f"ingest {__version__}")


def build_site(export: Export, previous: Manifest | None = None,
               normalize_config: NormalizeConfig = NormalizeConfig(), progress: Progress = NoProgress(),
               jobs: int = 1, previous_page: Callable[[str], str | None] | None = None,
               settings: SiteSettings = SiteSettings(), code: str = "",
               normalized: Mapping[str, Normalized | None] | None = None) -> Site:
    """Turn a read export into the pages, nav and redirects of the site. Pure: touches no disk.

    ``jobs`` > 1 spreads the per-document stages over that many processes for a big export;
    the result is the same. ``previous_page`` (path → the text the last sync wrote there, if it
    is still as written) lets a doc whose page would come out the same skip the body stages:
    the last sync's manifest (``previous``) records what each page was made from. ``settings``
    are the site's (``mkdocs.yml``): its brand and the addresses it is published at. ``code``
    stands for the ingest that made the pages (``output.manifest.code_stamp``): a page made by
    other code is made again. ``normalized`` is an earlier sync's ``Site.normalized``: a doc whose
    text is the same is not normalised again.
    """
    site = Site(assets=list(export.assets), problems=list(export.problems), documents_read=len(export.documents))
    keys = [normalize_key(doc, normalize_config, code) for doc in export.documents]
    text_keys = {doc.source: key for doc, key in zip(export.documents, keys)}  # a page's input key takes its doc's
    docs = _normalize_all(export.documents, keys, normalize_config, normalized or {}, site.normalized, jobs, progress)
    site.problems.extend(brand_problems(docs, settings.brand))
    stubs = [doc for doc in docs if doc.is_redirect_stub]
    page_docs = [as_faq_page(doc) if is_faq(doc.title, doc.source, doc.meta) else doc
                 for doc in docs if not doc.is_redirect_stub]
    faq_sources = frozenset(doc.source for doc in page_docs if doc.meta.get("faq") is True)

    navigation = build_navigation(page_docs, export.folder_titles, export.navigation, top_level=faq_sources,
                                  redirects=stub_targets(stubs, page_docs))
    site.problems.extend(navigation.problems)

    index = LinkIndex(assets={asset.source for asset in export.assets}, refused=set(export.refused_assets),
                      published=settings.published_urls)
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

    placed = [doc for doc in page_docs if doc.source in index.by_source]
    originals = {doc.source: doc.body for doc in export.documents}
    labelled = _labelled_pages(page_docs, index)
    context_key = _context_digest(index, navigation, normalize_config, settings, code)
    titles_key = _titles_digest(context_key, navigation, labelled)
    inputs = [input_key(_doc_context(doc, navigation, context_key, titles_key), doc, text_keys[doc.source],
                        index.by_source[doc.source]) for doc in placed]
    context = _PageContext(placed, originals, index, navigation, labelled, _assets_by_folder(export.assets), inputs,
                           _diagrams(index.assets), settings.system_name)
    reused = {}
    for i, doc in enumerate(placed):
        found = reusable(previous, doc.id, inputs[i], previous_page)
        if found is not None:
            record, text = found
            made = record.made or PageMade()
            reused[i] = _RenderedPage(doc.id, record.dest, text, list(made.problems), made.fixes, record,
                                      made.activity)
    todo = [i for i in range(len(placed)) if i not in reused]
    progress.stage("transforming docs", len(todo))
    rendered = iter(map_items(_render_listed, (context, todo), len(todo), jobs, progress.advance))
    for i in range(len(placed)):
        page = reused.get(i) or next(rendered)
        site.problems.extend(page.problems)
        site.fixes.update(page.fixes)
        site.pages[page.dest] = page.text
        site.docs.setdefault(page.doc_id, page.record)
        if page.activity is not None:
            site.activities.append(page.activity)
    for generated in navigation.generated:
        entries = [(child.title, relative_url(generated.dest, child.dest))
                   for child in generated.node.children if child.dest]
        body = link_list(entries) if entries else "*No pages yet.*"
        site.pages[generated.dest] = render_page({"title": generated.title, "generated": True}, body)

    site.nav = navigation.to_mkdocs()
    if site.activities:
        listing = catalogue(site.activities, site.nav, {index.by_source[s] for s in faq_sources if s in index.by_source})
        site.pages.update(listing.pages)
        site.data_files.update(listing.data_files)
        site.nav = listing.nav
    site.redirects = carry_redirects(previous, site.docs, set(site.pages), site.redirects)
    site.changes = changes_since(previous, site.docs, site.redirects)
    site.first_sync = previous is None
    site.problems = sorted(set(site.problems), key=problem_order)  # an image used twice on one line is one problem
    return site


@dataclass(frozen=True)
class _PageContext:
    """What every page's transform reads: the docs placed in the nav and the export-wide indexes."""

    docs: list[Document]
    originals: dict[str, str]
    """Source path → body as exported, to report problems by the exported file's lines."""

    index: LinkIndex
    navigation: Navigation
    labelled: dict[str, list[tuple[str, str]]]
    assets_by_folder: dict[str, list[str]]
    inputs: list[str]
    """Each doc's input key (see ``_input_key``), recorded in the manifest with what its page was."""

    diagrams: tuple[str, ...] = ()
    """The export's drawings (``diagrams/``), which ``drawio`` shortcodes show by name."""

    system_name: str = ""
    """What ``{{% system-name %}}`` will show, to match a link to a heading that has it."""


@dataclass(frozen=True)
class _RenderedPage:
    """One doc's page and what the sync learns from it; small, so it travels back from a worker cheaply."""

    doc_id: str
    dest: str
    text: str
    problems: list[Problem]
    fixes: tuple[str, ...]
    record: DocRecord
    activity: CatalogEntry | None


def normalize_key(doc: Document, config: NormalizeConfig, code: str) -> str:
    """What normalising a doc depends on: its body and title, the fixes chosen and the code."""
    data = "\0".join((code, repr(tuple(config)), doc.title, doc.body))
    return hashlib.sha1(data.encode("utf-8", "surrogatepass")).hexdigest()


def _normalize_all(documents: list[Document], keys: list[str], config: NormalizeConfig,
                   known: Mapping[str, Normalized | None], made: dict[str, Normalized | None], jobs: int,
                   progress: Progress) -> list[Document]:
    """Every doc normalised: from ``known`` where its text (its :func:`normalize_key`, in ``keys``) was normalised
    before, the rest on ``jobs`` processes. ``made`` gets each doc's outcome by key (what the next sync will know)."""
    todo = [i for i, key in enumerate(keys) if key not in known]
    progress.stage("normalising docs", len(todo))
    # A worker sends back only what the fixes changed: a doc they leave alone stays the same
    # object (no copy of every doc in memory, nor the time to pickle it).
    fresh = dict(zip(todo, map_items(_normalize_listed, (documents, config, todo), len(todo), jobs, progress.advance)))
    docs = []
    for i, doc in enumerate(documents):
        outcome = fresh[i] if i in fresh else known[keys[i]]
        made[keys[i]] = outcome
        docs.append(with_normalized(doc, outcome))
    return docs


def _normalize_listed(context: tuple[list[Document], NormalizeConfig, list[int]], j: int) -> Normalized | None:
    documents, config, todo = context
    return normalized_text(documents[todo[j]], config)


def _render_listed(context: tuple[_PageContext, list[int]], j: int) -> _RenderedPage:
    page_context, todo = context
    return _render_one(page_context, todo[j])


def _render_one(context: _PageContext, i: int) -> _RenderedPage:
    """The body stages of one placed doc, then its page text."""
    doc = context.docs[i]
    doc = dataclasses.replace(doc, dest=context.index.by_source[doc.source])
    try:
        node = context.navigation.node_by_source.get(doc.source)
        doc, activity = as_activity_page(doc, node.parent.title if node is not None and node.parent else None)
        doc, problems = _transform(doc, context.index, context.navigation, context.labelled,
                                   context.originals[doc.source], context.diagrams, context.system_name)
    except Exception as exc:  # a bug met by one odd doc must not cost the rest of the site
        doc, problems = _unconverted(doc, exc)
        activity = None
    text = render_page(_page_meta(doc), doc.body)
    made = PageMade(tuple(problems), doc.fixes, activity)
    record = _doc_record(doc, text, context.navigation, context.assets_by_folder, context.inputs[i], made)
    return _RenderedPage(doc.id, doc.dest, text, problems, doc.fixes, record, activity)


# --- pages the last sync made from the same input ------------------------------------------------

def _context_digest(index: LinkIndex, navigation: Navigation, normalize_config: NormalizeConfig,
                    settings: SiteSettings, code: str) -> str:
    """A digest of what every page is made from besides its own doc, titles aside: the ingest code,
    the fixes chosen, where every doc and asset goes, the nav's shape (each node's parent) and the settings.

    Not the order of siblings: a title sorts its doc among them, and only the pages that list pages show
    the order (their key has every title, in nav order: :func:`_titles_digest`).
    """

    def shape(node: NavNode) -> tuple[Any, ...]:
        return node.dest, node.doc_id, tuple(sorted((shape(child) for child in node.children), key=repr))

    return digest(code, tuple(normalize_config), sorted(index.by_source.items()), sorted(index.by_id.items()),
                  sorted(index.assets), sorted(index.refused), repr(settings),
                  sorted((source, node.dest) for source, node in navigation.node_by_source.items()),
                  shape(navigation.root))


def _titles_digest(context_key: str, navigation: Navigation, labelled: dict[str, list[tuple[str, str]]]) -> str:
    """The context with every nav title and the labelled pages: what a page that lists other pages reads."""
    titles = [(node.dest, node.doc_id, node.title) for node in navigation.root.walk()]
    return digest(context_key, navigation.root.title, titles, sorted(labelled.items()))


#: A doc that may list other pages by their titles: ``children`` and ``contentbylabel`` shortcodes (or
#: their markers), in any case. Erring towards a match costs only time.
_LISTS_PAGES_WORDS = (b"children", b"contentbylabel")


def _may_list_pages(body: str) -> bool:
    """Whether ``body`` names a shortcode that lists pages (lowered as ASCII bytes: the shortcodes' names are
    ASCII, and a case-blind regex took six times as long over a whole wiki).

    >>> _may_list_pages("{{% ContentByLabel %}}"), _may_list_pages("No lists, ünïcode")
    (True, False)
    """
    lowered = body.encode("utf-8", "surrogatepass").lower()
    return any(word in lowered for word in _LISTS_PAGES_WORDS)


def _doc_context(doc: Document, navigation: Navigation, context_key: str, titles_key: str) -> str:
    """The part of a doc's input key that is not the doc itself: the titles it reads, on top of the context.

    Other docs' titles reach a page only through the lists of pages it shows; its nav parent's title
    makes an activity's performance year. So a title change makes again only the doc, its children
    and the pages that list pages, not the whole site.
    """
    if _may_list_pages(doc.body):
        return titles_key
    node = navigation.node_by_source.get(doc.source)
    parent = node.parent.title if node is not None and node.parent is not None else None
    return digest(context_key, parent)


def _transform(doc: Document, index: LinkIndex, navigation: Navigation,
               labelled: dict[str, list[tuple[str, str]]], original: str,
               diagrams: tuple[str, ...] = (), system_name: str = "") -> tuple[Document, list[Problem]]:
    """The body stages, in order: raw HTML sanitised, shortcodes, links, generated lists, headings."""
    problems: list[Problem] = []
    doc = unwrap_fenced_pre(doc)
    doc, found = sanitize_markdown(doc, original)
    problems += found
    doc, found = convert_shortcodes(doc, original, diagrams=diagrams)
    problems += found
    doc, found = rewrite_links(doc, index, original)
    problems += found
    def listed(nodes: list[NavNode]) -> list[tuple[str, str]]:
        return [(child.title, relative_url(doc.dest, child.dest)) for child in nodes if child.dest]

    def children_of(title: str) -> list[tuple[str, str]] | None:
        node = navigation.node_titled(title)
        return listed(node.children) if node is not None else None

    body = fill_children(doc.body, listed(navigation.children_of(doc.source)), children_of)
    body = fill_content_by_label(body, labelled, doc.dest)
    body = settle_headings(body, doc.title)
    doc, found = unlink_broken_fragments(dataclasses.replace(doc, body=body), original, system_name)
    return doc, problems + found


def _diagrams(assets: set[str]) -> tuple[str, ...]:
    """The export's drawings: images in its top ``diagrams/`` folder (what ``drawio`` shortcodes show)."""
    return tuple(sorted(path for path in assets if path.startswith("diagrams/") and path.count("/") == 1))


def _unconverted(doc: Document, exc: Exception) -> tuple[Document, list[Problem]]:
    """A page that says it could not be converted, so the nav still leads somewhere, and an error saying why."""
    body = "*This page could not be converted from its Google Doc; the sync report says why.*"
    return dataclasses.replace(doc, body=body), [Problem(
        doc.source, None, "internal-error",
        f"Doc '{doc.source}' could not be converted ({type(exc).__name__}: {exc}); its page only says so. "
        "Please report this, with the doc, to the maintainers of the sync.", Severity.ERROR)]


def _page_meta(doc: Document) -> dict[str, Any]:
    """Front matter of the written page: the doc's own keys less the export-only ones; the home page titled
    as the nav labels it, so its tab says what its heading does."""
    meta = {key: value for key, value in doc.meta.items() if key not in EXPORT_ONLY_KEYS}
    meta["title"] = HOME_TITLE if doc.dest == HOME_DEST else doc.title
    meta["ingest_source"] = doc.source
    return meta


def _stub_redirects(stubs: list[Document], index: LinkIndex, problems: list[Problem],
                    generated: list[str]) -> dict[str, str]:
    """wikiGDrive leaves a stub with ``redirectTo: <id>`` where a renamed doc used to be (see redirects.py)."""
    redirects, found = stub_redirects(stubs, index, live=[*index.by_source.values(), *generated])
    problems.extend(found)
    return redirects


def _assets_by_folder(assets: list[Asset]) -> dict[str, list[str]]:
    """Asset paths by their top ``*.assets``/``*.images`` folder: a doc ``x.md`` owns ``x.assets/`` and ``x.images/``.

    >>> _assets_by_folder([Asset("a/x.assets/b/2.png"), Asset("a/x.assets/1.png"), Asset("y.images/3.gif"),
    ...                    Asset("z/4.png")])
    {'a/x.assets': ['a/x.assets/1.png', 'a/x.assets/b/2.png'], 'y.images': ['y.images/3.gif']}
    """
    by_folder: dict[str, list[str]] = {}
    owner_of: dict[str, str | None] = {}  # each folder's top asset folder (thousands of images, a few hundred folders)
    for source in sorted(asset.source for asset in assets):
        folder = source.rpartition("/")[0]
        owner = owner_of.get(folder, "")
        if owner == "":
            parts = folder.split("/")
            owner = next(("/".join(parts[:depth + 1]) for depth, part in enumerate(parts)
                          if part.endswith((".assets", ".images"))), None)
            owner_of[folder] = owner
        if owner is not None:
            by_folder.setdefault(owner, []).append(source)
    return by_folder


def _doc_record(doc: Document, text: str, navigation: Navigation, assets_by_folder: dict[str, list[str]],
                key: str, made: PageMade) -> DocRecord:
    """What the manifest keeps of a page: enough to tell next time what changed and where its URL should lead."""
    stem = doc.source.rsplit(".", 1)[0]
    parents = []
    node = navigation.node_by_source.get(doc.source)
    parent = node.parent if node is not None else None
    while parent is not None and parent.dest:
        parents.append((parent.doc_id or "", parent.dest))
        parent = parent.parent
    assets = assets_by_folder.get(stem + ".assets", []) + assets_by_folder.get(stem + ".images", [])
    return DocRecord(doc.source, doc.dest, doc.title, doc.meta.get("version"), hashlib.sha1(text.encode()).hexdigest()[:16],
                     tuple(assets), tuple(parents), key, made)


def _labelled_pages(docs: list[Document], index: LinkIndex) -> dict[str, list[tuple[str, str]]]:
    labelled: dict[str, list[tuple[str, str]]] = {}
    for doc in sorted(docs, key=lambda d: d.title.casefold()):
        for label in labels_of(doc.meta):
            if doc.source in index.by_source:
                labelled.setdefault(label.casefold(), []).append((doc.title, index.by_source[doc.source]))
    return labelled
