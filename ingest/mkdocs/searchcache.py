"""Index each page for Material's search once: its entries kept with the render cache.

Material's search plugin parses every page's HTML into sections on every build (a fifth of a
build that renders no page). A page's entries depend only on its HTML, its table of contents,
URL, title and front matter (``search``, ``tags``, ``title``) and the plugin's settings, so they
are kept under a hash of those (:func:`section_key`) and added to the index again as they were.

The index is made light (:func:`ingest.mkdocs.searchindex.compact_index`) as Material generates it
(:class:`CompactingGenerator`), not read back from the file Material wrote.

This reaches into Material: the search plugin's ``SearchIndex.add_entry_from_context`` and
``generate_search_index`` are wrapped on the build's index. So it is used only with the Material
version it was read against (:data:`SUPPORTED_MATERIAL`); with any other, Material indexes every page
itself, and the plugin rewrites the index it wrote.
"""

from __future__ import annotations

import hashlib
import json
import logging
from importlib import metadata
from pathlib import Path
from typing import Any, Callable

from ingest.mkdocs.keys import JSON_SCALARS, plain_or_repr
from ingest.mkdocs.rendercache import RenderCache
from ingest.utils import jsoncodec
from ingest.utils.atomicfile import write_json_atomically

log = logging.getLogger("mkdocs.plugins.wikigdrive")

#: The format of the compacted entries' file.
FORMAT = 1

#: The Material versions whose ``SearchIndex`` this wraps.
SUPPORTED_MATERIAL = frozenset({"9.8.1"})


def material_version() -> str:
    try:
        return metadata.version("mkdocs-material")
    except metadata.PackageNotFoundError:
        return ""


def applies(search_plugin: Any, version: str | None = None) -> bool:
    """Whether the search plugin's index is the one this was read against (a Material search plugin, enabled)."""
    if search_plugin is None or (version if version is not None else material_version()) not in SUPPORTED_MATERIAL:
        return False
    index = getattr(search_plugin, "search_index", None)
    return (index is not None and hasattr(index, "add_entry_from_context") and isinstance(getattr(index, "config", None), dict)
            and isinstance(getattr(index, "entries", None), list))


def index_through_cache(search_plugin: Any, cache: RenderCache, version: str | None = None) -> CachedIndexing | None:
    """Have the search plugin's index for this build take its entries from ``cache``: the indexing, or
    None where it cannot."""
    if not applies(search_plugin, version):
        return None
    index = search_plugin.search_index
    if not isinstance(index.add_entry_from_context, CachedIndexing):
        index.add_entry_from_context = CachedIndexing(index, index.add_entry_from_context, cache)
    return index.add_entry_from_context


def compact_through(search_plugin: Any, compact: Callable[[dict[str, Any]], dict[str, Any]],
                    version: str | None = None) -> CompactingGenerator | None:
    """Have the search plugin's index for this build written as ``compact`` makes it: the generator, or
    None where it cannot (Material writes its own index, for the plugin to rewrite)."""
    if not applies(search_plugin, version) or not hasattr(search_plugin.search_index, "generate_search_index"):
        return None
    index = search_plugin.search_index
    if not isinstance(index.generate_search_index, CompactingGenerator):
        index.generate_search_index = CompactingGenerator(index, compact)
    index.generate_search_index.used = False  # this build's to set (the index may be the last build's)
    return index.generate_search_index


class CompactingGenerator:
    """``SearchIndex.generate_search_index`` of Material 9.8.1 giving the index as ``compact`` makes it:
    the same entries (after a dirty rebuild, the last build's with this one's), made light before they are
    written as JSON, instead of Material writing the whole index and the plugin reading it back."""

    def __init__(self, index: Any, compact: Callable[[dict[str, Any]], dict[str, Any]]) -> None:
        self.index = index
        self.compact = compact
        self.used = False
        """Whether this build's index was generated here (and is already light)."""

    def __call__(self, prev: Any) -> str:
        index = self.index
        config = {key: index.config[key] for key in ["lang", "separator", "pipeline", "fields"]}
        if prev and index.entries:  # a dirty rebuild: the entries of its pages replace the last build's
            path = index.entries[0]["location"]
            index.entries = [entry for entry in prev.entries if not entry["location"].startswith(path)] + index.entries
        if prev and not index.entries:
            index.entries = prev.entries
        data = {"config": config, "docs": index.entries}
        if not _plain(data):  # as Material writes it: what JSON has no form for, as text
            data = json.loads(json.dumps(data, default=str))
        self.used = True
        return jsoncodec.dumps(self.compact(data)).decode("utf-8")


def _plain(value: Any) -> bool:
    """Whether ``value`` is made of what JSON writes as it is (so it reads back the same)."""
    kind = type(value)
    if kind in JSON_SCALARS:
        return True
    if kind is dict:  # the index's entries: a few thousand a build
        return all((type(key) is str or isinstance(key, str)) and (type(item) in JSON_SCALARS or _plain(item))
                   for key, item in value.items())
    if kind is list:
        return all(type(item) in JSON_SCALARS or _plain(item) for item in value)
    if isinstance(value, str) or value is None or isinstance(value, (bool, int, float)):
        return True
    if isinstance(value, list):
        return all(_plain(item) for item in value)
    if isinstance(value, dict):
        return all(isinstance(key, str) and _plain(item) for key, item in value.items())
    return False


def _toc(items: Any) -> list[Any]:
    return [[item.id, item.url, item.title, _toc(item.children)] for item in items]


def section_key(page: Any, index_config: dict[str, Any], digest: str) -> str:
    """What a page's search entries depend on, hashed."""
    meta = page.meta
    parts = [digest, plain_or_repr(index_config), page.url, str(page.title), plain_or_repr(meta.get("title")),
             plain_or_repr(meta.get("tags")), plain_or_repr(meta.get("search")), _toc(page.toc)]
    head = json.dumps(parts, ensure_ascii=False).encode("utf-8", "surrogatepass")
    return hashlib.sha256(head + b"\0" + (page.content or "").encode("utf-8", "surrogatepass")).hexdigest()


class CachedIndexing:
    """``SearchIndex.add_entry_from_context`` through the cache."""

    def __init__(self, index: Any, index_page: Any, cache: RenderCache) -> None:
        self.index = index
        self.index_page = index_page
        self.cache = cache

    def __call__(self, page: Any) -> None:
        key = section_key(page, self.index.config, self.cache.digest)
        self.cache.section_by_page[page.file.src_uri] = key
        entries = self.cache.search_entries(key)
        if entries is not None:
            self.index.entries.extend(entries)
            return
        start = len(self.index.entries)
        self.index_page(page)
        self.cache.keep_search_entries(key, self.index.entries[start:])

    def add_kept(self, page: Any, key: str) -> bool:
        """Add the entries kept under ``key`` for ``page`` (a page not built again: ``incremental``), as
        indexing it would; False where the cache has none."""
        entries = self.cache.search_entries(key)
        if entries is None:
            return False
        self.index.entries.extend(entries)
        self.cache.section_by_page[page.file.src_uri] = key
        return True


class CompactedEntries:
    """Each search entry's compact form (the memo of :func:`ingest.mkdocs.searchindex.compact_index`),
    kept in a file between builds (in memory only, with ``path`` None): compacting is a second of every
    build, and few entries change."""

    def __init__(self, path: Path | None) -> None:
        self.path = path
        self.memo: dict[str, dict[str, Any]] | None = None
        self._stored: frozenset[str] = frozenset()

    def for_build(self) -> dict[str, dict[str, Any]]:
        """The memo to hand ``compact_index`` (read from the file once; `mkdocs serve` keeps it in memory)."""
        if self.memo is None:
            self.memo = {}
            try:
                data = jsoncodec.loads(self.path.read_bytes()) if self.path is not None else None
            except (OSError, ValueError):
                data = None
            if isinstance(data, dict) and data.get("format") == FORMAT and isinstance(data.get("entries"), dict):
                self.memo = {key: entry for key, entry in data["entries"].items() if isinstance(entry, dict)}
            self._stored = frozenset(self.memo)
        return self.memo

    def save(self) -> None:
        """Write the memo when this build's entries are not the ones in the file."""
        if self.path is None or self.memo is None or frozenset(self.memo) == self._stored:
            return
        try:
            write_json_atomically(self.path, {"format": FORMAT, "entries": self.memo})
            self._stored = frozenset(self.memo)
        except OSError as exc:  # a cache that cannot be written costs only time
            log.debug("The search entries could not be kept in %s (%s).", self.path, exc)
