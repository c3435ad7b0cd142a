"""Render each page's Markdown once: a content-addressed cache kept between builds, filled on both cores.

MkDocs converts every page on every build, one after the other (``Page.render``), and that is
half a build's time. But a page's HTML depends only on its Markdown, its place (path and URL),
the Markdown extensions and their settings, the versions of the code that renders, and the
files its links point at. So each page's rendering is kept, keyed by a hash of all but the last,
with the link lookups it made (path → URL found, or none) checked again before it is used: a
page linking to a doc that was moved, added or removed is rendered again; the others are not.
What the rendering logged (MkDocs' link warnings, which fail a ``--strict`` build) is kept with
it and logged again each time it is used, so a cached build reports what a cold one does.

On a build with pages to render, they are rendered ahead in worker processes (``fork``, after
the nav is known: on ``on_nav``), from the Markdown each page will have (its source with the
plugin's markers filled in). MkDocs then renders each page as usual, and the page takes the
entry whose key matches its final Markdown; a page that another plugin changed on the way
matches none and is rendered in the build process as MkDocs would.

This reaches into MkDocs: ``Page.render`` is replaced on each page by :meth:`RenderCache.render`,
whose miss path is MkDocs 1.6.1's own ``Page.render``. So it is used only with the MkDocs version
it was written against (:data:`SUPPORTED_MKDOCS`); with any other, pages render as MkDocs renders them.
"""

from __future__ import annotations

import copy
import dataclasses
import datetime
import functools
import hashlib
import json
import logging
import multiprocessing
import sys
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path
from typing import Any, Callable, Iterable

import mkdocs

from ingest.mkdocs.keys import plain_or_repr
from ingest.mkdocs.store import EntryStore
from ingest.utils import jsoncodec
from ingest.utils.filestate import FileState, file_state
from ingest.utils.picklefile import PickleCache

log = logging.getLogger("mkdocs.plugins.wikigdrive")

#: The MkDocs versions whose ``Page.render`` :func:`render_page` repeats.
SUPPORTED_MKDOCS = frozenset({"1.6.1"})

#: The entry files' format; a file of another format is not read.
FORMAT = 2

#: The format of the kept page sources' file (``RenderCache.open_sources``); a file of another is not read.
SOURCES_FORMAT = 1

#: The packages whose code renders a page: their versions are part of every key.
RENDERING_PACKAGES = ("mkdocs", "mkdocs-material", "markdown", "markdown-it-py", "mdit-py-plugins",
                      "pymdown-extensions", "pygments")

#: What a worker does with a page it rendered (see :meth:`RenderCache.render_ahead`).
AfterRender = Callable[[Any, "RenderedPage"], dict[str, list[dict[str, Any]]]]

#: Below this many pages to render, worker processes cost more than they save.
PARALLEL_MIN_PAGES = 16


def supported(version: str | None = None) -> bool:
    """Whether this MkDocs (or ``version``) is the one :func:`render_page` was written against."""
    return (version if version is not None else mkdocs.__version__) in SUPPORTED_MKDOCS


@dataclass
class RenderedPage:
    """What MkDocs' ``Page.render`` leaves on a page, and what it needed and logged on the way."""

    content: str
    toc_tokens: list[Any]
    title: str | None
    anchor_ids: list[str]
    links_to_anchors: dict[str, dict[str, str]] | None
    """Per linked file (by ``src_uri``): anchor → the link as written; None when MkDocs does not collect them."""
    lookups: dict[str, tuple[str, bool] | None]
    """Each path the links were looked up at: the URL found and whether that file is excluded, or None."""
    records: list[tuple[str, int, str]] = field(default_factory=list)
    """What was logged: (logger, level, message)."""
    cleaned: str | None = None
    """The content after the plugin's allow-list (``on_page_content``), once it ran."""

    def to_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> RenderedPage:
        lookups = {path: (found[0], bool(found[1])) if found else None for path, found in data["lookups"].items()}
        records = [(str(name), int(level), str(message)) for name, level, message in data["records"]]
        return cls(content=data["content"], toc_tokens=data["toc_tokens"], title=data["title"],
                   anchor_ids=list(data["anchor_ids"]), links_to_anchors=data["links_to_anchors"],
                   lookups=lookups, records=records, cleaned=data.get("cleaned"))

    def still_holds(self, files: Any) -> bool:
        """Whether every link lookup finds what it found then."""
        return all(_found(files.get_file_from_path(path)) == found for path, found in self.lookups.items())


def _found(file: Any) -> tuple[str, bool] | None:
    return None if file is None else (file.url, file.inclusion.is_excluded())


def _version(package: str) -> str:
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return ""


@functools.lru_cache(maxsize=1)
def code_digest() -> str:
    """A hash of the ingest package's code, which renders pages too (the CommonMark extension).

    Once a process: it stands for the code running, which does not change while it runs.
    """
    root = Path(__file__).resolve().parents[1]
    digest = hashlib.sha256()
    for path in sorted(root.rglob("*.py")):
        digest.update(path.relative_to(root).as_posix().encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def config_digest(config: Any, versions: dict[str, str] | None = None, code: str | None = None) -> str:
    """A hash of what every page's rendering depends on: the extensions and their settings, the
    settings MkDocs' link checks read, the rendering code's versions."""
    links = config.validation.links
    parts = {
        "format": FORMAT,
        "extensions": plain_or_repr(list(config.markdown_extensions)),
        "extension_configs": plain_or_repr(config.mdx_configs or {}),
        "use_directory_urls": bool(config.use_directory_urls),
        "validation": [int(links.absolute_links), int(links.unrecognized_links), int(links.not_found)],
        "versions": versions if versions is not None else {name: _version(name) for name in RENDERING_PACKAGES},
        "python": sys.version_info[:2],
        "code": code if code is not None else code_digest(),
    }
    return hashlib.sha256(json.dumps(parts, sort_keys=True).encode()).hexdigest()


def page_key(digest: str, page: Any, markdown: str, seen: dict[str, tuple[str, str, str]] | None = None) -> str:
    """The cache key of one page's rendering: the build's digest, the page's place, its Markdown.

    ``seen`` (by ``src_uri``: the place and Markdown last hashed, and the key) spares hashing the same again: a
    build asks a page's key when rendering ahead and again when it builds the page.
    """
    file = page.file
    place = f"{digest}\0{file.src_uri}\0{file.url}\0{int(file.inclusion.is_excluded())}\0{int(_collects_anchor_links())}\0"
    known = seen.get(file.src_uri) if seen is not None else None
    if known is not None and known[0] == place and known[1] == markdown:
        return known[2]
    key = hashlib.sha256(place.encode() + markdown.encode("utf-8", "surrogatepass")).hexdigest()
    if seen is not None:
        seen[file.src_uri] = (place, markdown, key)
    return key


def _collects_anchor_links() -> bool:
    return logging.getLogger("mkdocs.structure.pages").getEffectiveLevel() > logging.DEBUG


class _LookupRecorder:
    """The build's ``Files`` for MkDocs' link processor, noting each path it looks up and what it finds."""

    def __init__(self, files: Any) -> None:
        self._files = files
        self.lookups: dict[str, tuple[str, bool] | None] = {}

    def get_file_from_path(self, path: str) -> Any:
        file = self._files.get_file_from_path(path)
        self.lookups[path] = _found(file)
        return file

    def __getattr__(self, name: str) -> Any:
        return getattr(self._files, name)


class _Capture(logging.Handler):
    """Keeps the records logged under ``mkdocs`` while a page renders."""

    def __init__(self) -> None:
        super().__init__(logging.NOTSET)
        self.records: list[tuple[str, int, str]] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append((record.name, record.levelno, record.getMessage()))


def render_page(page: Any, markdown_text: str, config: Any, files: Any, echo: bool = True) -> RenderedPage:
    """MkDocs 1.6.1's ``Page.render``, keeping what it needed (link lookups) and logged; without ``echo``,
    what it logs is kept only (it was logged already, from an earlier build's record).

    The page itself is not changed.
    """
    import markdown
    from mkdocs.structure import pages

    recorder = _LookupRecorder(files)
    md = markdown.Markdown(extensions=config["markdown_extensions"], extension_configs=config["mdx_configs"] or {})
    raw_html_ext = pages._RawHTMLPreprocessor()
    raw_html_ext._register(md)
    extract_anchors_ext = pages._ExtractAnchorsTreeprocessor(page.file, recorder, config)
    extract_anchors_ext._register(md)
    relative_path_ext = pages._RelativePathTreeprocessor(page.file, recorder, config)
    relative_path_ext._register(md)
    extract_title_ext = pages._ExtractTitleTreeprocessor()
    extract_title_ext._register(md)
    capture = _Capture()
    logger = logging.getLogger("mkdocs")
    handlers = logger.handlers
    logger.handlers = [*handlers, capture] if echo else [capture]
    try:
        content = md.convert(markdown_text)
    finally:
        logger.handlers = handlers
    anchors = None
    if _collects_anchor_links():
        anchors = {target.src_uri: dict(links) for target, links in relative_path_ext.links_to_anchors.items()}
    return RenderedPage(content=content, toc_tokens=_plain(getattr(md, "toc_tokens", [])),
                        title=extract_title_ext.title,
                        anchor_ids=sorted(extract_anchors_ext.present_anchor_ids | raw_html_ext.present_anchor_ids),
                        links_to_anchors=anchors, lookups=recorder.lookups, records=capture.records)


def _plain(tokens: Any) -> Any:
    """``toc_tokens`` as plain lists and dicts (as JSON keeps them)."""
    return json.loads(json.dumps(tokens))


def apply(page: Any, rendered: RenderedPage, files: Any, replay: bool = True) -> None:
    """Leave on ``page`` what ``Page.render`` would; with ``replay``, log again what it logged."""
    from mkdocs.structure.toc import get_toc

    for name, level, message in rendered.records if replay else ():
        logging.getLogger(name).log(level, "%s", message)
    page.content = rendered.content
    page.toc = get_toc(rendered.toc_tokens)
    page._title_from_render = rendered.title
    page.present_anchor_ids = set(rendered.anchor_ids)
    if rendered.links_to_anchors is not None:
        # kept by each file's src_uri, which is the files' own key: no path to normalise again
        by_uri = getattr(files, "src_uris", None)
        links = {}
        for src_uri, anchors in rendered.links_to_anchors.items():
            target = by_uri.get(src_uri) if by_uri is not None else files.get_file_from_path(src_uri)
            if target is not None:
                links[target] = dict(anchors)
        page.links_to_anchors = links


@dataclass
class CacheStats:
    """What a build did with the cache, for the log."""

    reused: int = 0
    """Pages whose rendering came from an earlier build."""
    rendered_ahead: int = 0
    """Pages rendered ahead in worker processes (and used)."""
    rendered: int = 0
    """Pages rendered in the build process (a miss)."""
    workers: int = 0
    indexed: int = 0
    """Pages whose search entries were made again (the others came from the cache)."""
    sources_kept: int = 0
    """Pages whose source was not read again (the file was as an earlier build read it)."""


class RenderCache:
    """The renderings of one site's pages, an entry per key in the store at ``path`` (``None``: kept in
    memory only; see ``ingest.mkdocs.store``).

    A build reads only the entries its pages ask for, and writes only the ones it made: an edit to one
    page costs one entry, not the whole cache.
    """

    def __init__(self, path: Path | None) -> None:
        self.path = path
        self.store = EntryStore(path)
        self.entries: dict[str, RenderedPage] = {}
        """Entries of this build, by key."""
        self.by_page: dict[str, str] = {}
        """This build's key of each page (by ``src_uri``), for ``on_page_content``."""
        self.ahead: set[str] = set()
        """Keys of the entries rendered ahead in this build."""
        self.sections: dict[str, list[dict[str, Any]]] = {}
        """Search entries of each page used in this build, by :func:`ingest.mkdocs.searchcache.section_key`."""
        self.sections_ahead: set[str] = set()
        """Keys of the search entries made ahead in this build."""
        self.section_by_page: dict[str, str] = {}
        """This build's key of each page's search entries (by ``src_uri``), as the search index asked for them."""
        self.kept: set[str] = set()
        """Keys of entries this build did not load but keeps (pages it did not render: ``incremental``)."""
        self.digest = ""
        self.stats = CacheStats()
        self._known: dict[str, RenderedPage] = {}
        self._known_sections: dict[str, list[dict[str, Any]]] = {}
        """What earlier builds of this process used (a `mkdocs serve` keeps them in memory)."""
        self._unsaved: set[str] = set()
        """Names of this build's entries that the store does not hold yet (or holds stale)."""
        self._read_ahead: dict[str, tuple[str | None, str, dict[str, Any]]] = {}
        """What :meth:`render_ahead` read of each page (by ``src_uri``): its file, Markdown and front matter."""
        self._keys_seen: dict[str, tuple[str, str, str]] = {}
        """This build's :func:`page_key` of each page, with what it hashed."""
        self.sources: dict[str, tuple[FileState, str, dict[str, Any]]] | None = None
        """Each source file's size, dates and inode when it was last read, with its Markdown and front matter,
        so a build does not read and parse again the pages that did not change (None: every page is read;
        see :meth:`open_sources`)."""
        self.sources_path: Path | None = None
        """The file ``sources`` is kept in between builds, if it is written."""
        self.sources_file: PickleCache | None = None
        self._sources_used: set[str] = set()
        self._sources_changed = False

    # --- a build ------------------------------------------------------------------------------

    def start(self, config: Any) -> None:
        """Begin a build: the config's digest."""
        self.digest = config_digest(config)
        self._known.update(self.entries)
        self._known_sections.update(self.sections)
        self.entries, self.sections, self.by_page, self.ahead, self.sections_ahead = {}, {}, {}, set(), set()
        self.section_by_page, self.kept = {}, set()
        self._unsaved, self._read_ahead, self._keys_seen = set(), {}, {}
        self._sources_used, self._sources_changed = set(), False
        self.stats = CacheStats()
        self.store.reset()

    def open_sources(self, path: Path | None, write: bool = True) -> None:
        """Keep each page's source from one build to the next: in memory, and from the file ``path``, which is
        read now (and written after each full build, with ``write``). Reading every page's file and front
        matter again is a tenth of a build that renders one page."""
        self.sources_file = None if path is None else PickleCache(path, _sources_header(), log, "every page is read",
                                                                  "the next build reads every page")
        self.sources = self.sources_file.read() if self.sources_file is not None else {}
        self.sources_path = path if write else None

    def _load(self, name: str) -> Any:
        """The data of one entry of the store, or None (missing, unreadable, of another format)."""
        text = self.store.get(name)
        if text is None:
            return None
        try:
            data = jsoncodec.loads(text)
        except ValueError as exc:
            log.debug("The render cache's %s could not be read (%s): its page is rendered again.", name, exc)
            return None
        return data.get("entry") if isinstance(data, dict) and data.get("format") == FORMAT else None

    def lookup(self, key: str, files: Any) -> RenderedPage | None:
        entry = self.entries.get(key)
        if entry is not None:
            return entry  # made, or checked, in this build
        entry = self._known.get(key)
        if entry is None:
            data = self._load(key + ENTRY_SUFFIX)
            if data is not None:
                try:
                    entry = RenderedPage.from_dict(data)
                except (KeyError, TypeError, ValueError, IndexError, AttributeError):
                    entry = None
        if entry is None or not entry.still_holds(files):
            return None
        self.entries[key] = entry
        return entry

    def key(self, page: Any) -> str:
        """The key of ``page``'s rendering, of its Markdown as it is now."""
        if page.markdown is None:
            raise RuntimeError("`markdown` field hasn't been set (via `read_source`)")
        return page_key(self.digest, page, page.markdown, self._keys_seen)

    def render(self, page: Any, config: Any, files: Any, key: str | None = None, logged: bool = False) -> None:
        """``Page.render`` through the cache: an entry for the page's Markdown, or a rendering kept for next time.

        ``logged``: what rendering the page logs was logged already (a page whose rendering was left for
        later, from the last build's record: ``incremental``), so it is not logged again.
        """
        if key is None:
            key = self.key(page)
        entry = self.lookup(key, files)
        if entry is None:
            entry = self.entries[key] = render_page(page, page.markdown, config, files, echo=not logged)
            self.stats.rendered += 1
            if self.ahead:
                log.debug("Rendered in the build (its Markdown is not what was rendered ahead): %s", page.file.src_uri)
            self._unsaved.add(key + ENTRY_SUFFIX)
            apply(page, entry, files, replay=False)  # its records were logged as it rendered
        else:
            if key in self.ahead:
                self.stats.rendered_ahead += 1
            else:
                self.stats.reused += 1
            apply(page, entry, files, replay=not logged)
        self.by_page[page.file.src_uri] = key

    def keep(self, *keys: str | None) -> None:
        """Keep the entries of ``keys`` (a page's rendering and search entries) though this build did not use them."""
        self.kept.update(key for key in keys if key)

    def read_source(self, page: Any, config: Any) -> None:
        """``Page.read_source``, but of a page read for rendering ahead moments ago: what it read then
        (reading and parsing the front matter of every page again is a tenth of a warm build); else of a
        file as an earlier build read it, when it is the same file (``sources``)."""
        kept = self._read_ahead.pop(page.file.src_uri, None)
        if kept is not None and kept[0] == page.file.abs_src_path:
            page.markdown, page.meta = kept[1], kept[2]
            return
        self._read_page(page, config)

    def _read_page(self, page: Any, config: Any) -> None:
        """MkDocs' ``Page.read_source``; from ``sources`` where its file is as an earlier build read it
        (not where another plugin supplies sources: its ``on_page_read_source`` runs as in MkDocs)."""
        path = page.file.abs_src_path
        if self.sources is None or not path or config.plugins.events.get("page_read_source"):
            type(page).read_source(page, config)
            return
        same = file_state(path, changes=True)
        known = self.sources.get(path)
        self._sources_used.add(path)
        if known is not None and known[0] == same:
            page.markdown, page.meta = known[1], copy_meta(known[2])
            self.stats.sources_kept += 1
            return
        type(page).read_source(page, config)
        if same is not None and page.markdown is not None:
            self.sources[path] = (same, page.markdown, copy_meta(page.meta))
            self._sources_changed = True

    def cleaned(self, page: Any, html: str, clean: Callable[[str], str]) -> str:
        """``clean(html)``, kept with the page's entry when ``html`` is its rendering as cached."""
        key = self.by_page.get(page.file.src_uri, "")
        entry = self.entries.get(key)
        if entry is None or entry.content != html:
            return clean(html)
        if entry.cleaned is None:
            entry.cleaned = clean(html)
            self._unsaved.add(key + ENTRY_SUFFIX)
        return entry.cleaned

    def search_entries(self, key: str) -> list[dict[str, Any]] | None:
        """The search entries kept for ``key``, as copies (the index's later stages change them)."""
        entries = self.sections.get(key)
        if entries is None:
            entries = self._known_sections.get(key)
            if entries is None:
                entries = self._load(key + SECTIONS_SUFFIX)
                if not isinstance(entries, list) or not all(isinstance(entry, dict) for entry in entries):
                    return None
            self.sections[key] = entries
            if key in self.sections_ahead:
                self.stats.indexed += 1
        return [_copy_entry(entry) for entry in entries]

    def keep_search_entries(self, key: str, entries: list[dict[str, Any]]) -> None:
        self.sections[key] = [_copy_entry(entry) for entry in entries]
        self.stats.indexed += 1
        self._unsaved.add(key + SECTIONS_SUFFIX)

    def render_ahead(self, pages: Iterable[Any], markdown_of: Callable[[Any], str], config: Any, files: Any,
                     workers: int, after: AfterRender | None = None,
                     deferred: Callable[[Any, str], bool] | None = None) -> None:
        """Render, in ``workers`` processes, the pages that have no entry yet (see the module docstring).

        ``after`` is called in the worker with each page as rendered (its ``content``, ``toc`` and title
        set): it may fill in the entry's ``cleaned`` HTML and return search entries to keep, by key. Each
        worker writes the entries it made to the folder itself, so their encoding is spread over the cores.
        """
        pending = []
        for page in pages:
            try:
                self._read_page(page, config)
                self._read_ahead[page.file.src_uri] = (page.file.abs_src_path, page.markdown, copy_meta(page.meta))
                markdown_text = markdown_of(page)
            except Exception:  # noqa: BLE001 - the build reads it again, and reports it there
                continue
            key = page_key(self.digest, page, markdown_text, self._keys_seen)
            if deferred is not None and deferred(page, key):
                continue
            if self.lookup(key, files) is None:
                pending.append((key, page, markdown_text))
        if (workers < 2 or len(pending) < PARALLEL_MIN_PAGES or "fork" not in multiprocessing.get_all_start_methods()
                or multiprocessing.current_process().daemon):  # a pool's worker may not start processes
            return
        shares: list[list[tuple[str, Any, str]]] = [[] for _ in range(workers)]
        for index, item in enumerate(sorted(pending, key=lambda item: -len(item[2]))):
            shares[index % workers].append(item)
        context = multiprocessing.get_context("fork")
        running = []
        for share in shares:
            receiver, sender = context.Pipe(duplex=False)
            process = context.Process(target=_render_share, daemon=True,
                                      args=(share, config, files, sender, after, self.store))
            process.start()
            sender.close()
            running.append((process, receiver))
        for process, receiver in running:
            try:
                for key, data, sections, saved in receiver.recv():
                    self.entries[key] = RenderedPage.from_dict(data)
                    self.ahead.add(key)
                    self._known_sections.update(sections)
                    self.sections_ahead.update(sections)
                    if not saved:
                        self._unsaved.update([key + ENTRY_SUFFIX, *(section + SECTIONS_SUFFIX for section in sections)])
            except (EOFError, OSError):  # a worker that died leaves its pages to the build
                pass
            process.join()
        self.stats.workers = workers

    def finish(self, keep_unused: bool) -> None:
        """Write the entries this build made; after a full build, remove those it did not use (a dirty
        build, which saw only some pages, keeps them)."""
        self._save()
        if not keep_unused:
            used = ({key + ENTRY_SUFFIX for key in (*self.entries, *self.kept)}
                    | {key + SECTIONS_SUFFIX for key in (*self.sections, *self.kept)})
            self.store.keep_only(used)
            self._known, self._known_sections = {}, {}
            self._save_sources()

    def _save_sources(self) -> None:
        """Write the sources this full build read or kept (those of pages gone are left out), if any changed."""
        if self.sources is None:
            return
        if len(self.sources) != len(self._sources_used):
            self.sources = {path: self.sources[path] for path in self._sources_used if path in self.sources}
            self._sources_changed = True
        if self.sources_path is not None and self.sources_file is not None and self._sources_changed:
            self.sources_file.write(self.sources)

    def _save(self) -> None:
        for name in sorted(self._unsaved):
            key, suffix = name.split(".", 1)
            data: Any = self.entries[key].to_dict() if "." + suffix == ENTRY_SUFFIX else self.sections.get(key)
            if data is not None:
                self.store.put(name, _entry_text(data))
        self.store.flush()
        self._unsaved = set()


#: What YAML's safe loader makes of scalars: shared between a page's front matter and its copy.
_SHARED_TYPES = frozenset({str, int, float, bool, bytes, type(None), datetime.date, datetime.datetime})


def copy_meta(value: Any) -> Any:
    """A copy of a page's front matter that a plugin may change without changing ``value``: its dicts, lists
    and sets are copied, the rest (what YAML's safe loader makes of scalars: strings, numbers, dates) is
    shared. Ten times ``copy.deepcopy``'s speed, on every page of every build (twice).

    >>> meta = {"tags": ["a"], "menu": {"main": {"weight": 1}}, "date": "2023-01-01"}
    >>> copied = copy_meta(meta); copied["tags"].append("b"); copied["menu"]["main"]["weight"] = 2
    >>> meta
    {'tags': ['a'], 'menu': {'main': {'weight': 1}}, 'date': '2023-01-01'}
    """
    kind = type(value)
    if kind is dict:  # the common case, its scalars shared without a call each
        return {key: item if type(item) in _SHARED_TYPES else copy_meta(item) for key, item in value.items()}
    if kind is list:
        return [item if type(item) in _SHARED_TYPES else copy_meta(item) for item in value]
    if isinstance(value, dict):
        return {key: copy_meta(item) for key, item in value.items()}
    if isinstance(value, list):
        return [copy_meta(item) for item in value]
    if isinstance(value, (set, bytearray)):
        return copy.deepcopy(value)
    if isinstance(value, (str, int, float, bool, bytes, type(None), datetime.date, datetime.datetime)):
        return value
    return copy.deepcopy(value)  # what another loader made: copied as before


def _sources_header() -> str:
    """The first line of the kept sources' file: what they were read with (MkDocs reads the front matter with
    PyYAML, through libyaml where it has it)."""
    import yaml

    return (f"ingest-page-sources {SOURCES_FORMAT} mkdocs {mkdocs.__version__} pyyaml {yaml.__version__}"
            f"{' libyaml' if yaml.__with_libyaml__ else ''}")


#: The entry of a page's rendering, and of its search entries, in the store (after the key).
ENTRY_SUFFIX = ".json"
SECTIONS_SUFFIX = ".search.json"


def _entry_text(data: Any) -> str:
    """An entry as the store keeps it: JSON, with the format it was written in."""
    return jsoncodec.dumps({"format": FORMAT, "entry": data}).decode("utf-8")


def _copy_entry(entry: dict[str, Any]) -> dict[str, Any]:
    return {key: list(value) if isinstance(value, list) else value for key, value in entry.items()}


def quiet_worker_logging() -> None:
    """In a forked worker: log nothing (the build process reports each page as it uses it)."""
    logger = logging.getLogger("mkdocs")
    logger.handlers = []
    logger.propagate = False


def _render_share(share: list[tuple[str, Any, str]], config: Any, files: Any, sender: Any,
                  after: AfterRender | None, store: EntryStore) -> None:
    """A worker: render its pages, keep them in ``store`` and send them back (records kept, none shown:
    the build shows them)."""
    quiet_worker_logging()
    results = []
    for key, page, markdown_text in share:
        try:
            rendered = render_page(page, markdown_text, config, files)
            sections: dict[str, list[dict[str, Any]]] = {}
            if after is not None:
                apply(page, rendered, files, replay=False)  # this process's copy of the page
                sections = after(page, rendered)
            data = rendered.to_dict()
        except Exception:  # noqa: BLE001 - the build renders it again, and reports it there
            continue
        store.put(key + ENTRY_SUFFIX, _entry_text(data))
        for section, entries in sections.items():
            store.put(section + SECTIONS_SUFFIX, _entry_text(entries))
        results.append((key, data, sections))
    saved = store.path is not None and store.flush()  # else the build writes them, or finds it cannot
    sender.send([(key, data, sections, saved) for key, data, sections in results])
    sender.close()
