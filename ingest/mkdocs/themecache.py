"""Run the theme once per page: the HTML Material's templates make of each page, kept between builds.

After the render cache (``rendercache``), most of a build's time is the theme: MkDocs runs the
templates (``main.html``, with the nav, header and footer) for every page on every build, and a
body edit or a rebuild with nothing changed pays for all of them. But what the templates make of
a page depends only on

- the page: its HTML, table of contents, title, meta, URLs and template;
- the site around it: the nav (titles, URLs, order, each entry's meta) and every page's title and URL;
- the config (theme, features, palette, extra, plugins and their options), the template files,
  and the versions of the code that runs them.

So a page's output is kept, keyed by a hash of all of these, in ``cache_dir/pages.sqlite3``; a page whose
key is the same is not run through the templates again (MkDocs' other steps, and every plugin's
``on_page_context`` and ``on_post_page``, still run). A body edit runs the templates for one page;
a title change, which is in every page's nav, for all of them.

What the hash cannot see it does not cache: a page carrying an attribute no known code sets (a
plugin's, e.g. ``typeset``) or a template context entry that is not plain data (the tags plugin's)
is rendered as MkDocs renders it, each build.

This reaches into MkDocs: ``on_env`` wraps the environment's ``get_template`` so that the template
MkDocs 1.6.1's ``_build_page`` asks for (no parent, while a page is built) goes through
:class:`CachedTemplate`. So it is used only with the MkDocs versions of ``rendercache.SUPPORTED_MKDOCS``.
"""

from __future__ import annotations

import hashlib
import json
import logging
import multiprocessing
import os
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable

import mkdocs

from ingest.mkdocs import rendercache
from ingest.mkdocs.keys import plain, plain_or_repr
from ingest.mkdocs.rendercache import RENDERING_PACKAGES, _version, code_digest
from ingest.mkdocs.store import EntryStore

log = logging.getLogger("mkdocs.plugins.wikigdrive")

#: The entries' format; part of every key.
FORMAT = 1

#: What the templates' output depends on beyond the rendering code (``rendercache.RENDERING_PACKAGES``).
THEMING_PACKAGES = ("jinja2", "markupsafe", "babel")

#: The template context MkDocs 1.6.1's ``get_context`` makes: each is in the key (the page, the nav,
#: the config) or follows from it (``base_url``, ``extra_css`` and ``extra_javascript`` from the page's URL).
STANDARD_CONTEXT = frozenset({"nav", "pages", "base_url", "extra_css", "extra_javascript", "mkdocs_version",
                              "build_date_utc", "config", "page"})

#: The attributes a page has in MkDocs 1.6.1 and from this plugin (``ingest_nav_link``, and ``render`` and
#: ``read_source`` from the render cache). The ones the templates read are in the key; a page with any other
#: is not cached.
KNOWN_PAGE_ATTRIBUTES = frozenset({
    "file", "title", "parent", "children", "previous_page", "next_page", "active", "update_date", "edit_url",
    "canonical_url", "abs_url", "url", "markdown", "meta", "content", "toc", "_title_from_render",
    "present_anchor_ids", "links_to_anchors", "_relative_path_ext", "render", "read_source", "ingest_nav_link",
    "_Page__active",
})

#: An entry's names in the store: the templates' output, and that output after ``on_post_page``'s
#: whitespace collapsing (``minify``).
SUFFIX = ".html"
COLLAPSED_SUFFIX = ".post"


@dataclass
class ThemeStats:
    """What a build did with the theme cache, for the log and the tests."""

    themed: int = 0
    """Pages run through the templates in this build (here or ahead)."""
    themed_ahead: int = 0
    """Of those, the pages themed ahead in a worker process."""
    workers: int = 0
    """Worker processes started to theme pages ahead."""
    reused: int = 0
    """Pages whose templates' output came from an earlier build."""
    uncacheable: int = 0
    """Pages the key cannot describe (see the module docstring), rendered every build."""


#: Settings that say where files are, or how a build ends, not what a page shows (a template that prints them
#: is not supported): ``mkdocs serve`` builds into a folder of its own, a moved checkout keeps its cache, and
#: ``--strict`` only decides whether warnings stop the build.
NOT_SHOWN = frozenset({"config_file_path", "site_dir", "docs_dir", "watch", "dev_addr", "strict"})


def config_part(config: Any) -> Any:
    """The whole config as plain data; plugins as their names and options (their code by version)."""
    parts: dict[str, Any] = {}
    for key in config:
        if key in NOT_SHOWN:
            continue
        value = config[key]
        if key == "plugins":
            parts[key] = {name: plain_or_repr(dict(plugin.config)) for name, plugin in value.items()}
        else:
            parts[key] = plain_or_repr(value)
    return parts


def code_versions(config: Any) -> dict[str, str]:
    """The versions of the code that runs while a page is themed: MkDocs, Material, Jinja, the plugins."""
    versions = {name: _version(name) for name in (*RENDERING_PACKAGES, *THEMING_PACKAGES)}
    for plugin in config.plugins.values():
        module = type(plugin).__module__
        top = module.split(".")[0]
        if top != "ingest" and top not in versions:
            versions[top] = _plugin_version(top, module)
    versions["python"] = ".".join(map(str, sys.version_info[:3]))
    versions["ingest"] = code_digest()
    return versions


def _plugin_version(top: str, module: str) -> str:
    """A plugin package's version: its distribution's (named like the package, as most are), its
    ``__version__``, or else its module file's size and time."""
    version = _version(top)
    if version:
        return version
    package = sys.modules.get(top)
    if isinstance(getattr(package, "__version__", None), str):
        return package.__version__
    path = getattr(sys.modules.get(module), "__file__", None)
    try:
        stat = os.stat(path) if path else None
    except OSError:
        stat = None
    return f"{path}:{stat.st_size}:{stat.st_mtime_ns}" if stat else ""


def templates_digest(dirs: list[str], installed: list[Path]) -> str:
    """A hash of the template folders' files, in their order; a folder inside an installed package
    (``installed``, whose version is in the key) by its place in the package only. Not by where a folder
    is: the same site given as ``mkdocs.yml`` or by its full path, or checked out elsewhere, keeps its key."""
    digest = hashlib.sha256()
    for folder in dirs:
        root = Path(folder).resolve()
        package = next((package for package in installed if root == package or package in root.parents), None)
        if package is not None:
            digest.update(f"installed:{package.name}/{root.relative_to(package).as_posix()}\0".encode())
            continue
        digest.update(b"folder\0")
        for path in sorted(root.rglob("*")) if root.is_dir() else ():
            if path.is_file():
                digest.update(f"{path.relative_to(root).as_posix()}\0".encode())
                digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


def _installed_theme_folders() -> list[Path]:
    folders = [Path(mkdocs.__file__).resolve().parent]
    try:
        import material

        folders.append(Path(material.__file__).resolve().parent)
    except ImportError:  # pragma: no cover - Material is a dependency
        pass
    return folders


def _nav_item(item: Any) -> Any:
    """One nav entry as the templates can see it: kind, title, URL, children, and this plugin's marks; a page
    by its file (its URL, title and meta are in the digest's list of pages, worked out once)."""
    part: dict[str, Any] = {"kind": type(item).__name__}
    if getattr(item, "is_page", False) and getattr(item, "file", None) is not None:
        part["page"] = item.file.src_uri
        part["nav_link"] = getattr(item, "ingest_nav_link", None)
        part["is_index"] = bool(getattr(item, "is_index", False))
    else:
        part["title"] = plain_or_repr(item.title)
        if getattr(item, "url", None) is not None:
            part["url"] = item.url
    pruned = getattr(item, "ingest_pruned_link", None)
    if pruned is not None:
        part["pruned_link"] = pruned.url
    children = getattr(item, "children", None)
    if children:
        part["children"] = [_nav_item(child) for child in children]
    return part


def site_digest(config: Any, nav: Any, files: Any, env: Any, versions: dict[str, str] | None = None,
                meta_key: Callable[[Any], str] | None = None) -> str:
    """A hash of what every page's themed HTML depends on, besides the page itself. ``meta_key`` gives a
    page's front matter as a hash (``incremental.meta_key``, worked out for each page already); without it,
    the front matter itself is hashed."""
    pages = [file.page for file in files.documentation_pages() if file.page is not None]
    meta_of = meta_key if meta_key is not None else (lambda page: plain_or_repr(page.meta))
    parts = {
        "format": FORMAT,
        "config": config_part(config),
        "versions": versions if versions is not None else code_versions(config),
        "templates": templates_digest(list(getattr(env.loader, "searchpath", []) or config.theme.dirs),
                                      _installed_theme_folders()),
        "nav": [_nav_item(item) for item in nav.items],
        "homepage": nav.homepage.url if nav.homepage is not None else None,
        "pages": [[page.file.src_uri, page.url, plain_or_repr(page.title), meta_of(page)] for page in pages],
    }
    return hashlib.sha256(json.dumps(parts, ensure_ascii=False, sort_keys=True).encode("utf-8", "surrogatepass")).hexdigest()


def _toc(items: Any) -> list[Any]:
    return [[item.id, item.title, item.level, _toc(item.children)] for item in items]


def page_key(site: str, name: str, context: Mapping[str, Any]) -> str | None:
    """The key of one page's themed HTML (template ``name``, ``context`` as MkDocs passes it), or
    None when something in it is not described by the key (see the module docstring)."""
    page = context.get("page")
    if page is None or not set(vars(page)) <= KNOWN_PAGE_ATTRIBUTES:
        return None
    try:
        extra = {key: plain(value) for key, value in context.items() if key not in STANDARD_CONTEXT}
        parts = [site, name, page.file.src_uri, page.url, plain(page.title), page.edit_url, page.canonical_url,
                 page.abs_url, bool(page.is_homepage), _toc(page.toc or []), plain(page.meta), extra,
                 plain(page.file.inclusion.name)]
    except (TypeError, AttributeError):
        return None
    head = json.dumps(parts, ensure_ascii=False, sort_keys=True).encode("utf-8", "surrogatepass")
    return hashlib.sha256(head + b"\0" + (page.content or "").encode("utf-8", "surrogatepass")).hexdigest()


class CachedTemplate:
    """A page's template, run through the cache by ``render``; anything else is the template's."""

    def __init__(self, template: Any, cache: ThemeCache) -> None:
        self._template = template
        self._cache = cache

    def render(self, *args: Any, **kwargs: Any) -> str:
        context = dict(*args, **kwargs)
        return self._cache.render(self._template, context)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._template, name)


class ThemeCache:
    """The themed HTML of one site's pages, two entries per key in the store at ``path`` (``ingest.mkdocs.store``)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.store = EntryStore(path)
        self.site = ""
        self.used: set[str] = set()
        """Keys this build used or made (the others are removed after a full build)."""
        self.by_page: dict[str, tuple[str, str]] = {}
        """The key and output of each page themed and not yet post-processed (by ``src_uri``)."""
        self.keys: dict[str, str] = {}
        """This build's key of each page themed through the cache (by ``src_uri``)."""
        self.stats = ThemeStats()
        self._config: Any = None
        self._get_template: Any = None
        """The environment's own ``get_template`` (for themeing ahead)."""
        self._ahead: dict[str, int] = {}
        """Pages a worker themes ahead (by ``src_uri``) → the worker's index in ``_running``."""
        self._running: list[tuple[Any, Any] | None] = []
        self._made_ahead: set[str] = set()

    def start(self, config: Any, nav: Any, files: Any, env: Any, meta_key: Callable[[Any], str] | None = None) -> Any:
        """Begin a build (at ``on_env``): the site's digest (``meta_key`` as :func:`site_digest` takes it), and
        ``env`` with its page templates cached."""
        self.site = site_digest(config, nav, files, env, meta_key=meta_key)
        self.used, self.by_page, self.keys, self.stats, self._config = set(), {}, {}, ThemeStats(), config
        self.store.reset()
        self._ahead, self._running, self._made_ahead = {}, [], set()
        wrapped = env.__dict__.get("get_template")
        if isinstance(wrapped, _CachingGetTemplate):
            self._get_template = wrapped.get_template
        else:
            self._get_template = env.get_template
            env.get_template = _CachingGetTemplate(env.get_template, self)
        return env

    def theme_ahead(self, config: Any, nav: Any, files: Any, workers: int, post_process: Callable[[str], str],
                    skipped: Callable[[Any], bool] = lambda page: False) -> None:
        """Theme the later pages of the build in ``workers - 1`` forked processes while this one
        copies the static files and themes the first pages; each worker writes the entries of the
        pages it themed (and their ``post_process``-ed form) for the build to find.

        A worker makes each page's context as ``_build_page`` does (with every plugin's
        ``on_page_context``, whose effects stay in the worker), so its key is the build's; a page
        whose entry exists already is skipped, as is a page the build will not build (``skipped``).
        The build waits for a worker when it reaches the worker's first page; a worker that failed
        leaves its pages to the build.
        """
        from mkdocs.structure.files import InclusionLevel

        pages = [file.page for file in files.documentation_pages(inclusion=InclusionLevel.is_included)
                 if file.page is not None and not file.inclusion.is_excluded() and not skipped(file.page)]
        if (workers < 2 or len(pages) < rendercache.PARALLEL_MIN_PAGES or "fork" not in multiprocessing.get_all_start_methods()
                or multiprocessing.current_process().daemon):
            return
        # This process also copies the static files and themes the 404 page and the sitemap first.
        first = int(len(pages) / workers * 0.85)
        rest = pages[first:]
        size = -(-len(rest) // (workers - 1))
        context = multiprocessing.get_context("fork")
        for index, start in enumerate(range(0, len(rest), size)):
            share = rest[start:start + size]
            receiver, sender = context.Pipe(duplex=False)
            process = context.Process(target=_theme_share, daemon=True,
                                      args=(self, share, config, nav, files, post_process, sender))
            process.start()
            sender.close()
            self._running.append((process, receiver))
            self._ahead.update((page.file.src_uri, index) for page in share)
        self.stats.workers = len(self._running)

    def _wait(self, index: int) -> None:
        """Wait for worker ``index`` to finish, and note the entries it made."""
        running = self._running[index]
        if running is None:
            return
        process, receiver = running
        try:
            self._made_ahead.update(receiver.recv())
        except (EOFError, OSError):  # a worker that died leaves its pages to the build
            pass
        process.join()
        self._running[index] = None

    def render(self, template: Any, context: dict[str, Any]) -> str:
        page = context.get("page")
        index = self._ahead.pop(page.file.src_uri, None) if page is not None else None
        if index is not None:
            self._wait(index)
        key = page_key(self.site, template.name, context)
        if key is None:
            self.stats.uncacheable += 1
            return template.render(context)
        self.used.add(key)
        self.keys[page.file.src_uri] = key
        output = self._read(key + SUFFIX)
        if output is None:
            output = template.render(context)
            self._write(key + SUFFIX, output)
            self.stats.themed += 1
        elif key in self._made_ahead:
            self.stats.themed += 1
            self.stats.themed_ahead += 1
        else:
            self.stats.reused += 1
        self.by_page[page.file.src_uri] = (key, output)
        return output

    def post_processed(self, page: Any, output: str, process: Callable[[str], str]) -> str:
        """``process(output)``, kept with the page's entry when ``output`` is its themed HTML as cached."""
        entry = self.by_page.pop(page.file.src_uri, None)
        if entry is None or entry[1] != output:
            return process(output)
        name = entry[0] + COLLAPSED_SUFFIX
        processed = self._read(name)
        if processed is None:
            processed = process(output)
            self._write(name, processed)
        return processed

    def keep(self, key: str) -> None:
        """Keep the entry of ``key`` though this build did not use it (a page it did not build: ``incremental``)."""
        self.used.add(key)

    def is_page_template(self, parent: Any) -> bool:
        """Whether a ``get_template`` call is ``_build_page``'s: no parent template, while a page is built."""
        return parent is None and self._config is not None and getattr(self._config, "_current_page", None) is not None

    def finish(self, keep_unused: bool) -> None:
        """End a build: remove the entries no page used (not after a dirty build, which saw only some)."""
        for index in range(len(self._running)):
            self._wait(index)
        self._config = self._get_template = None
        self._ahead = {}
        self.store.flush()
        if not keep_unused:
            self.store.keep_only({key + suffix for key in self.used for suffix in (SUFFIX, COLLAPSED_SUFFIX)})

    def _read(self, name: str) -> str | None:
        return self.store.get(name)

    def _write(self, name: str, text: str) -> None:
        self.store.put(name, text)


class _CachingGetTemplate:
    """``Environment.get_template`` that hands ``_build_page`` a :class:`CachedTemplate`."""

    def __init__(self, get_template: Any, cache: ThemeCache) -> None:
        self.get_template = get_template
        self.cache = cache

    def __call__(self, name: Any, parent: Any = None, globals: Any = None) -> Any:
        template = self.get_template(name, parent, globals)
        if self.cache.is_page_template(parent) and globals is None:
            return CachedTemplate(template, self.cache)
        return template


def _theme_share(cache: ThemeCache, share: list[Any], config: Any, nav: Any, files: Any,
                 post_process: Callable[[str], str], sender: Any) -> None:
    """A worker: theme its pages as ``_build_page`` would and keep them in the cache; send back their keys."""
    from mkdocs.commands.build import get_context
    from mkdocs.structure.files import InclusionLevel

    rendercache.quiet_worker_logging()
    doc_files = files.documentation_pages(inclusion=InclusionLevel.is_included)
    made = []
    for page in share:
        config._current_page = page
        page.active = True
        try:
            context = get_context(nav, doc_files, config, page)
            template = cache._get_template(page.meta.get("template", "main.html"))
            context = config.plugins.on_page_context(context, page=page, config=config, nav=nav)
            key = page_key(cache.site, template.name, context)
            if key is None or cache.store.get(key + SUFFIX) is not None:
                continue
            output = template.render(context)
            cache._write(key + COLLAPSED_SUFFIX, post_process(output))
            cache._write(key + SUFFIX, output)
            made.append(key)
        except Exception:  # noqa: BLE001 - the build themes it again, and reports it there
            continue
        finally:
            page.active = False
            config._current_page = None
    if not cache.store.flush():
        made = []  # the build themes them itself
    sender.send(made)
    sender.close()
