"""Leave the pages a rebuild would write again byte for byte: not rendered, themed or written again.

With the render, theme and search caches, a rebuild that changes one page still takes every other
page through MkDocs: its cached rendering loaded and checked, its template context made, its search
entries and themed HTML keyed and read, its file written again (about a millisecond a page: most of a
body edit's build on a whole export, and of a `mkdocs serve` reload). None of it is needed for a page
whose output cannot have changed. Since the last build into the same site folder, that is a page

- whose Markdown (as every plugin leaves it), front matter and place (path, URL) are the same;
- in a site whose rendering settings are the same (the render cache's digest: extensions, their
  settings, the code's versions), and whose files are all where they were (links resolve as before);
- in a site whose theming is the same (the theme cache's site digest: the config, the templates, the
  nav with every page's title and front matter, the versions);
- whose file in the site is the one the last build wrote (same size, date and inode: the kept site,
  ``keptsite``, leaves it in place).

Such a page is still read, and every plugin's ``on_page_markdown`` sees it (the nav, the tags and
the other pages see it as ever), but it is not rendered (*deferred*): what rendering leaves on a
page that the rest of the build reads (its title, anchors and links to other pages' anchors, and what
rendering logged, logged again) comes from the record of the last build. Once the theming is known
(``on_env``): if it changed after all (a new title is in every page's nav), the deferred pages are
rendered then, from the render cache; if not, they are not built (*skipped*): their search entries go
into the index from the cache, in their place, and their files stay.

The record (:class:`BuildRecord`) is written at the end of each build that used the caches, kept in the
cache folder (in memory under `mkdocs serve`) and marked spent while the next build runs, so a build stopped half-way
leaves none. Without it, or in a site the kept site does not keep, every page is built.

This reaches into MkDocs 1.6.1: the ``_build_page`` its ``build`` calls is wrapped, for the build's
duration (:class:`SkippingBuildPage`). The plugin uses it only where the caches are used, which are
pinned to that version, and with the plugins the kept site knows (``keptsite.KNOWN_PLUGINS``).
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

from ingest.mkdocs.keys import plain_or_repr
from ingest.mkdocs.rendercache import RenderedPage, apply, copy_meta
from ingest.utils.atomicfile import RecordFile
from ingest.utils.filestate import FileState, file_state

#: The record's format.
FORMAT = 1



@dataclass
class PageRecord:
    """What the last build made of one page, and what the rest of a build reads of it."""

    render: str
    """The render cache's key of the page's rendering (its Markdown, place and the render digest)."""
    meta: str
    """A hash of its front matter (the card and search read it; the Markdown key does not cover it)."""
    title: str | None
    """The title its rendering found (its first heading), for the nav."""
    anchors: list[str]
    links: dict[str, dict[str, str]] | None
    """Its links to other pages' anchors (by the linked file's ``src_uri``), checked at the build's end."""
    records: list[tuple[str, int, str]]
    """What rendering it logged (MkDocs' link warnings): logged again when it is deferred."""
    section: str | None
    """The search cache's key of its entries (None: no search plugin indexed it)."""
    theme: str | None
    """The theme cache's key of its HTML (None: not themed through the cache)."""
    dest: FileState | None
    """Its file in the site, as that build left it."""

    @classmethod
    def of_rendering(cls, key: str, meta: str, rendered: RenderedPage, section: str | None, theme: str | None,
                     dest: FileState | None) -> PageRecord:
        """The record of a page this build rendered (or took from the render cache) as ``rendered``."""
        return cls(key, meta, rendered.title, list(rendered.anchor_ids), rendered.links_to_anchors,
                   list(rendered.records), section, theme, dest)

    def stand_in(self) -> RenderedPage:
        """What rendering the page left on it that the rest of a build reads, as if it was rendered now."""
        return RenderedPage(content="", toc_tokens=[], title=self.title, anchor_ids=self.anchors,
                            links_to_anchors=self.links, lookups={}, records=self.records)

    def to_list(self) -> list[Any]:
        return [self.render, self.meta, self.title, self.anchors, self.links, self.records, self.section,
                self.theme, self.dest]

    @classmethod
    def from_list(cls, data: list[Any]) -> PageRecord:
        render, meta, title, anchors, links, records, section, theme, dest = data
        return cls(str(render), str(meta), title if isinstance(title, str) else None, [str(a) for a in anchors],
                   links if isinstance(links, dict) else None,
                   [(str(name), int(level), str(message)) for name, level, message in records],
                   section if isinstance(section, str) else None, theme if isinstance(theme, str) else None,
                   (int(dest[0]), int(dest[1]), int(dest[2])) if isinstance(dest, list) and len(dest) == 3 else None)


@dataclass
class BuildRecord:
    """The last build into one site folder: what all its pages depended on, and each page's record."""

    site_dir: str
    render_digest: str
    files_digest: str
    site_digest: str
    pages: dict[str, PageRecord] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {"format": FORMAT, "site_dir": self.site_dir, "render_digest": self.render_digest,
                "files_digest": self.files_digest, "site_digest": self.site_digest,
                "pages": {uri: page.to_list() for uri, page in self.pages.items()}}

    @classmethod
    def from_dict(cls, data: Any) -> BuildRecord | None:
        """The record in ``data``, or None where it is not one (another format, damaged)."""
        try:
            if data.get("format") != FORMAT:
                return None
            pages = {str(uri): PageRecord.from_list(item) for uri, item in data["pages"].items()}
            return cls(str(data["site_dir"]), str(data["render_digest"]), str(data["files_digest"]),
                       str(data["site_digest"]), pages)
        except (AttributeError, KeyError, TypeError, ValueError):
            return None


def files_digest(files: Any) -> str:
    """A hash of where every file of the build is and goes: what a page's links resolve against."""
    lines = sorted(f"{file.src_uri}\0{file.dest_uri}\0{_url_part(file)}\0{file.inclusion.name}\0"
                   f"{int(file.is_documentation_page())}\n" for file in files)
    return hashlib.sha256("".join(lines).encode("utf-8", "surrogatepass")).hexdigest()


def _url_part(file: Any) -> str:
    """A file's URL where it is known already (a page's, or one a plugin set); else what MkDocs makes it of,
    ``dest_uri`` (hashed already) and ``use_directory_urls``, without making it: quoting the URLs of a whole
    export's images, which no page of the build asks for, was a tenth of the plugin's time in a one-page build.
    (MkDocs 1.6 keeps ``File.url`` in the file's ``__dict__`` once made or set.)"""
    url = vars(file).get("url")
    return url if isinstance(url, str) else f"\1{int(bool(file.use_directory_urls))}"


def meta_key(meta: Any) -> str:
    """A hash of a page's front matter (as JSON where it is JSON, as the caches key a value otherwise)."""
    try:
        text = json.dumps(meta, ensure_ascii=False, sort_keys=True, allow_nan=True)
    except (TypeError, ValueError):  # a date, a key that is no string: keyed as the caches key them
        text = json.dumps(plain_or_repr(meta), ensure_ascii=False, sort_keys=True)
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


@dataclass
class IncrementalStats:
    """What a build did with the pages it found unchanged, for the log and the tests."""

    deferred: int = 0
    """Pages not rendered when read (their rendering was known to be the last build's)."""
    skipped: int = 0
    """Pages not built at all: their files stayed as the last build wrote them."""
    materialized: int = 0
    """Deferred pages rendered after all (the theming changed, or the page's file did)."""


class IncrementalBuild:
    """The pages of one build that need not be made again (see the module docstring)."""

    def __init__(self, record_path: Path | None) -> None:
        self.record_path = record_path
        """Where the record is kept between builds (None: in memory only, as under `mkdocs serve`)."""
        self.remembered: BuildRecord | None = None
        """The last build's record, for the next build in this process."""
        self.last: BuildRecord | None = None
        """The record of the last build into this build's site folder, if it can be used."""
        self.render_digest = ""
        self.files_digest = ""
        """This build's render digest and :func:`files_digest`, for its record."""
        self.rendering_same = False
        """This build renders as the last one did, against the same files: its pages may be deferred."""
        self.theming_same = False
        """This build themes as the last one did: its deferred pages may be skipped."""
        self.deferred: dict[str, Any] = {}
        """The deferred pages (by ``src_uri``), until they are skipped or rendered."""
        self.meta_keys: dict[str, str] = {}
        """Each page's :func:`meta_key`, as it was when it rendered."""
        self._meta_seen: dict[str, tuple[Any, str]] = {}
        """Each page's front matter (a copy) and its key, as :meth:`deferrable` last saw them in this build: it sees
        a page when rendering ahead and again when the page is built."""
        self.skipped: dict[str, PageRecord] = {}
        self.stats = IncrementalStats()

    # --- a build ------------------------------------------------------------------------------

    def begin(self, site_dir: str) -> None:
        """Start a build into ``site_dir``: take the last build's record (spent while this one runs), if it was of that folder."""
        record = self._take_record()
        self.last = record if record is not None and record.site_dir == os.path.abspath(site_dir) else None
        self.render_digest = self.files_digest = ""
        self.rendering_same = self.theming_same = False
        self.deferred, self.meta_keys, self.skipped, self._meta_seen = {}, {}, {}, {}
        self.stats = IncrementalStats()

    def check_rendering(self, render_digest: str, files: Any, usable: bool) -> None:
        """Once the files and the render digest are known (``on_nav``): may pages be deferred? Only where
        ``usable``: the last build's files are still in the site (the kept site keeps them)."""
        self.render_digest, self.files_digest = render_digest, files_digest(files)
        self.rendering_same = (usable and self.last is not None and self.last.render_digest == render_digest
                               and self.last.files_digest == self.files_digest)

    def deferrable(self, page: Any, key: str) -> PageRecord | None:
        """The last build's record of ``page`` if its rendering (``key``) and front matter are what they were."""
        uri = page.file.src_uri
        meta = self.meta_key_of(page)
        self.meta_keys[uri] = meta
        if not self.rendering_same or self.last is None:
            return None
        record = self.last.pages.get(uri)
        if record is None or record.render != key or record.meta != meta:
            return None
        return record

    def meta_key_of(self, page: Any) -> str:
        """The :func:`meta_key` of ``page``'s front matter, worked out again only where it changed since this
        build last asked (it asks when rendering ahead, when building the page and when keying the theme)."""
        uri = page.file.src_uri
        seen = self._meta_seen.get(uri)
        if seen is not None and type(page.meta) is dict and seen[0] == page.meta:
            return seen[1]
        meta = meta_key(page.meta)
        self._meta_seen[uri] = (copy_meta(page.meta), meta)
        return meta

    def defer(self, page: Any, record: PageRecord, files: Any) -> None:
        """Leave on ``page`` what rendering it would leave that the rest of the build reads, from ``record``;
        its content stays empty until it is skipped or rendered (:meth:`take_deferred`)."""
        apply(page, record.stand_in(), files, replay=True)
        self.deferred[page.file.src_uri] = page
        self.stats.deferred += 1

    def is_deferred(self, page: Any) -> bool:
        return page.file.src_uri in self.deferred

    def check_theming(self, site_digest: str) -> bool:
        """Once the theming is known (``on_env``): may deferred pages be skipped? If not, each deferred page
        is to be rendered now (:meth:`take_deferred`)."""
        self.theming_same = self.rendering_same and self.last is not None and self.last.site_digest == site_digest
        return self.theming_same

    def skippable(self, page: Any) -> PageRecord | None:
        """The record of a deferred page that need not be built: themed through the cache, and its file
        in the site as the last build left it."""
        if not self.theming_same or self.last is None or page.file.src_uri not in self.deferred:
            return None
        record = self.last.pages.get(page.file.src_uri)
        if record is None or record.theme is None or record.dest is None:
            return None
        if file_state(page.file.abs_dest_path) != record.dest:
            return None
        return record

    def skip(self, page: Any, record: PageRecord) -> None:
        """Note ``page`` as skipped: its file and cache entries stay as the last build left them."""
        self.deferred.pop(page.file.src_uri, None)
        self.skipped[page.file.src_uri] = record
        self.stats.skipped += 1

    def take_deferred(self, page: Any) -> str | None:
        """Stop deferring ``page`` (to render it now): its render key, or None where it was not deferred."""
        if self.deferred.pop(page.file.src_uri, None) is None or self.last is None:
            return None
        self.stats.materialized += 1
        return self.last.pages[page.file.src_uri].render

    # --- the record -----------------------------------------------------------------------------

    def new_record(self, site_dir: str, site_digest: str) -> BuildRecord:
        """This build's record, without pages yet."""
        return BuildRecord(os.path.abspath(site_dir), self.render_digest, self.files_digest, site_digest)

    def finish(self, record: BuildRecord) -> None:
        """End a build that wrote its whole site, with its ``record`` for the next build."""
        self.deferred = {}
        self.remembered = record
        if self.record_path is not None:
            RecordFile(self.record_path).keep(record.to_dict())

    def abandon(self) -> None:
        """End a build that stopped, or start one that makes every page."""
        self.deferred, self.skipped = {}, {}
        self.rendering_same = self.theming_same = False

    def _take_record(self) -> BuildRecord | None:
        remembered, self.remembered = self.remembered, None
        data = RecordFile(self.record_path).take() if self.record_path is not None else None
        if remembered is not None:
            return remembered
        return BuildRecord.from_dict(data) if isinstance(data, dict) else None


class SkippingBuildPage:
    """MkDocs 1.6.1's ``mkdocs.commands.build._build_page`` with ``skip(page)`` asked first: a page it
    skips is not built. In place for one build (:meth:`install` to :meth:`remove`); outside it, it
    passes every page on to MkDocs' own."""

    def __init__(self, skip: Callable[[Any], bool]) -> None:
        self.skip = skip
        self.original: Callable[..., None] | None = None
        self.active = False

    def install(self) -> None:
        from mkdocs.commands import build

        if build._build_page is not self:
            self.original = build._build_page
            build._build_page = self
        self.active = True

    def remove(self) -> None:
        from mkdocs.commands import build

        self.active = False
        if build._build_page is self and self.original is not None:
            build._build_page = self.original

    def __call__(self, page: Any, config: Any, doc_files: Any, nav: Any, env: Any, dirty: bool = False,
                 excluded: bool = False) -> None:
        if self.active and not dirty and self.skip(page):
            return
        assert self.original is not None
        self.original(page, config, doc_files, nav, env, dirty, excluded=excluded)
