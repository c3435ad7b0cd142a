"""The ``wikigdrive`` MkDocs plugin: a site made from a wikiGDrive export, in any team's ``mkdocs.yml``.

::

    plugins:
      - search
      - redirects
      - wikigdrive:
          export_dir: export

What it does, by MkDocs event:

- ``on_config``: syncs the export into ``docs_dir`` when ``export_dir`` is set and it changed
  (``autosync``); loads the synced nav (unless ``nav:`` is written by hand) and redirects; adds the
  CommonMark extension, its templates (the activity card, the edit button, the nav entry; a
  site's ``custom_dir`` still wins) and their CSS and JavaScript.
- ``on_pre_build``/``on_files``: keeps the last build's site in place through MkDocs' clean
  (``keptsite``), so a rebuild writes the pages again but not the folders and images it has; and
  takes the record of the last build, whose unchanged pages are not made again (``incremental``).
- ``on_serve``: watches the export folder instead of the docs_dir the sync writes, with inotify too
  where there is one (``watch``).
- ``on_nav``: renders ahead, on every core, the pages the render cache lacks (``rendercache``).
- ``on_env``: has the docs_dir's images and attachments hard-linked into the site
  (``staticfiles``), Material's search index take each page's entries from the cache
  (``searchcache``) and each page's template go through the theme cache (``themecache``).
- per page: renders it through the render cache (or, unchanged, not at all: ``incremental``; a
  page whose theming is the last build's too is then not built), fills in the site-specific markers
  (``markers``), points the edit button at the Google Doc, cleans the HTML with the sync's
  allow-list and puts the activity card first.
- ``on_post_page``/``on_post_build``: drops the templates' indentation (``minify``), writes the
  caches and makes the search index light (``searchindex``, each entry's light form kept too);
  in a kept site, removes what the build did not write.

Its options are ``ingest.mkdocs.config.WikiGDriveConfig``. State lives on the instance, which
`mkdocs serve` keeps from one rebuild to the next (the plugin has ``on_startup``).
"""

from __future__ import annotations

import contextlib
import functools
import logging
import os
import shutil
from pathlib import Path
from typing import TYPE_CHECKING, Any

from mkdocs.config.config_options import ExtraScriptValue
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, event_priority

from ingest.mkdocs.config import WikiGDriveConfig, beside_config, history_path
from ingest.mkdocs.incremental import BuildRecord, IncrementalBuild, PageRecord, SkippingBuildPage
from ingest.mkdocs.keptsite import KeptSite
from ingest.mkdocs.listing import DocumentationPages, FilesListing
from ingest.mkdocs.markers import render_markers
from ingest.mkdocs.minify import collapse_whitespace
from ingest.mkdocs.processend import collect_less_while_building, leave_the_rest_to_the_exit, mkdocs_command
from ingest.mkdocs.rendercache import RenderCache, supported
from ingest.mkdocs.searchcache import (
    CachedIndexing,
    CompactedEntries,
    CompactingGenerator,
    compact_through,
    index_through_cache,
    section_key,
)
from ingest.mkdocs.searchcache import applies as searchcache_applies
from ingest.mkdocs.searchindex import compact_index
from ingest.mkdocs.staticfiles import link_static_files
from ingest.mkdocs.themecache import ThemeCache
from ingest.mkdocs.watch import ExportWatcher
from ingest.output.manifest import MANIFEST, read_manifest
from ingest.settings import SettingsError, SiteSettings, resolve_settings
from ingest.transform.policy import clean_html
from ingest.transform.shortcodes.syntax import MARKER_PREFIX
from ingest.utils import jsoncodec
from ingest.utils.collector import CollectionBetweenBuilds
from ingest.utils.filestate import file_state

if TYPE_CHECKING:
    from ingest.commands.sync import SyncResult
    from ingest.mkdocs.autosync import ExportSync

log = logging.getLogger("mkdocs.plugins.wikigdrive")

#: The plugin's theme files: partials that override Material's, and their CSS and JavaScript.
TEMPLATES_DIR = str(Path(__file__).resolve().parent / "templates")
EXTRA_CSS = ("assets/stylesheets/ingest.css",)
EXTRA_JAVASCRIPT = ("assets/javascripts/vendor/tablesort-5.7.1/tablesort.min.js",
                    "assets/javascripts/vendor/tablesort-5.7.1/tablesort.number.min.js",
                    "assets/javascripts/activities.js")
MARKDOWN_EXTENSION = "ingest.mkdocs.commonmark"

#: The theme's pages that show no page of the docs: a dirty rebuild keeps the ones already built.
SITE_WIDE_TEMPLATES = frozenset({"404.html", "sitemap.xml", "sitemap.xml.gz"})


class CardTemplate:
    """The activity card template, loaded once a build (in ``on_config``) from the theme's Jinja environment."""

    name = "partials/activity-card.html"

    def __init__(self) -> None:
        self.template: Any = None

    def load(self, env: Any) -> None:
        self.template = env.get_template(self.name)

    def render(self, page: Any, config: Any) -> str:
        if self.template is None:  # a page rendered without a build's on_config
            self.load(config["theme"].get_env())
        return self.template.render(page=page, config=config)


class WikiGDrivePlugin(BasePlugin[WikiGDriveConfig]):
    """Build a wikiGDrive export's site: see the module docstring."""

    supports_multiple_instances = False

    def __init__(self) -> None:
        self.given: frozenset[str] = frozenset()
        """The options ``mkdocs.yml`` sets (the others are defaults, and may come from ``extra:``)."""
        self.serving = False
        self.dirty = False
        self.dirty_build = False
        """A `--dirty` build, which renders only the pages whose source is newer than their HTML."""
        self.settings = SiteSettings()
        self.filled: dict[str, str] = {}
        """This build's Markdown with markers, each as filled in (``render_markers``): a page's is filled when
        it is rendered ahead and again when it is built."""
        self.card = CardTemplate()
        self.export_sync: ExportSync | None = None
        self.export_watcher = ExportWatcher()
        """The export's native watch under `mkdocs serve` (``ingest.mkdocs.watch``)."""
        self.sectioned_pages: set[str] = set()
        """URLs of the pages whose search sections stay separate results (FAQ pages); kept across
        `mkdocs serve --dirty` rebuilds, which see only the pages that changed."""
        self.compacted: CompactedEntries | None = None
        """Each search entry's compact form: kept in the cache folder, or, with the cache off, in memory
        from one `mkdocs serve` build to the next; None for a one-off build without the cache."""
        self.render_cache: RenderCache | None = None
        """Each page's rendering, kept between builds (``ingest.mkdocs.rendercache``); None when off."""
        self.theme_cache: ThemeCache | None = None
        """Each page's themed HTML, kept between builds (``ingest.mkdocs.themecache``); None when off."""
        self.nav: Any = None
        """This build's nav (``on_env``, which keys the theme cache by it, is not given it)."""
        self.kept_site = KeptSite(None)
        """The last build's site, kept in place from one build to the next (``ingest.mkdocs.keptsite``)."""
        self.incremental = IncrementalBuild(None)
        """The pages a build need not make again (``ingest.mkdocs.incremental``)."""
        self.build_page = SkippingBuildPage(self._skip_page)
        self.files_listing = FilesListing()
        """MkDocs' listing of the docs_dir's and the theme's files, made quicker (``on_config`` to ``on_files``)."""
        self.documentation_pages = DocumentationPages()
        """MkDocs' list of the pages, kept while the files are the same (``on_config`` to the build's end)."""
        self.indexing: CachedIndexing | None = None
        """This build's search indexing through the cache (None: none, or Material indexes itself)."""
        self.generator: CompactingGenerator | None = None
        """This build's search index, made light as Material generates it (None: rewritten after it)."""
        self.build_files: Any = None
        self.build_config: Any = None
        """This build's files and config (``on_nav``), for pages rendered late (``incremental``)."""
        self.collection: CollectionBetweenBuilds | None = None
        """Under `mkdocs serve`, the garbage collection moved from inside each rebuild to after it."""

    def load_config(self, options: dict[str, Any], config_file_path: str | None = None):
        self.given = frozenset(options)
        errors, warnings = super().load_config(options, config_file_path)
        if not errors:
            try:  # the checks MkDocs' option types do not make (URL schemes), worded like the sync's
                resolve_settings(self.config, self.given, {}, "", "the wikigdrive plugin")
            except SettingsError as exc:
                from mkdocs.config.base import ValidationError

                errors.append(("published_urls", ValidationError(str(exc))))
        return errors, warnings

    def on_startup(self, *, command: str, dirty: bool) -> None:
        self.serving = command == "serve"
        self.dirty = self.serving and dirty
        self.dirty_build = dirty
        collect_less_while_building()
        if self.collection is not None:
            self.collection.stop()
        serving = command == "serve" or mkdocs_command() == "serve"  # `serve --clean` is told "build"
        self.collection = CollectionBetweenBuilds() if serving else None

    # --- the site ----------------------------------------------------------------------------

    def on_config(self, config: Any) -> Any:
        if not self.config.enabled:
            return config
        if self.collection is not None:
            self.collection.building()
        try:
            self.settings, deprecations = resolve_settings(self.config, self.given, config.extra or {},
                                                           config.site_name or "", config.config_file_path or "mkdocs.yml")
        except SettingsError as exc:
            raise PluginError(str(exc)) from None
        self.filled = {}
        for message in deprecations:
            log.warning(message)
        self._add_theme(config)
        self.files_listing.install()  # for MkDocs' get_files, next; removed in on_files
        self.documentation_pages.install()  # for the build; removed at its end
        self._open_render_cache(config)
        synced = self._sync(config) if self.config.export_dir else None
        manifest = synced.manifest if synced is not None and synced.manifest is not None and not synced.dry_run \
            else read_manifest(Path(config.docs_dir), records=False)
        if manifest is None:
            log.warning("%s was not written by the sync (no %s): run `python -m ingest sync EXPORT_DIR` first, "
                        "or set the wikigdrive plugin's export_dir.", config.docs_dir, MANIFEST)
            return config
        if not config.nav:
            config.nav = manifest.nav or None
        redirects = config.plugins.get("redirects")
        if redirects is not None:
            maps = dict(manifest.redirects)
            maps.update(redirects.config.get("redirect_maps") or {})  # hand-written ones win
            redirects.config["redirect_maps"] = maps
        elif manifest.redirects:
            log.warning("The sync made %d redirect(s) but the 'redirects' plugin is not enabled in mkdocs.yml.",
                        len(manifest.redirects))
        return config

    def _add_theme(self, config: Any) -> None:
        """The CommonMark extension, the templates (after the site's custom_dir) and their CSS and JavaScript.

        On a `mkdocs serve --dirty` rebuild, the 404 page and the sitemap are not rendered again once
        built (rendering them walks the whole nav: ~0.7 s at 2,000 pages, for pages nobody edits).
        """
        if MARKDOWN_EXTENSION not in config.markdown_extensions:
            config.markdown_extensions.insert(0, MARKDOWN_EXTENSION)
        theme = config.theme
        if TEMPLATES_DIR not in theme.dirs:
            theme.dirs.insert(1 if theme.custom_dir else 0, TEMPLATES_DIR)
        config.extra_css[:0] = [css for css in EXTRA_CSS if css not in config.extra_css]
        scripts = {str(script) for script in config.extra_javascript}
        config.extra_javascript[:0] = [ExtraScriptValue(js) for js in EXTRA_JAVASCRIPT if js not in scripts]
        self.card.load(theme.get_env())  # again on every build, so `mkdocs serve` sees template edits
        if self.dirty and (Path(config.site_dir) / "404.html").is_file():
            theme.static_templates -= SITE_WIDE_TEMPLATES

    def _open_render_cache(self, config: Any) -> None:
        """The render cache of this site (the same one from one `mkdocs serve` rebuild to the next)."""
        if not self.config.cache or not supported():
            if self.config.cache:
                log.debug("The render cache is off: it is written for MkDocs 1.6.1, so pages render as MkDocs renders them.")
            self.render_cache = self.theme_cache = None
            self.kept_site.record = self.incremental.record_path = None
            if not self.serving:
                self.compacted = None  # a one-off build would key every entry for nothing
            elif self.compacted is None or self.compacted.path is not None:
                self.compacted = CompactedEntries(None)
            return
        folder = Path(beside_config(self.config.cache_dir, config.config_file_path))
        if self.render_cache is None or self.render_cache.path != folder / "render.sqlite3":
            self.render_cache = RenderCache(folder / "render.sqlite3")
            # each build reads only the pages that changed; `mkdocs serve` keeps them in memory once read
            self.render_cache.open_sources(folder / "sources.pickle", write=not self.serving)
            for old in ("render.json", "render", "pages"):  # the file-a-page caches of earlier versions
                with contextlib.suppress(OSError):
                    shutil.rmtree(folder / old) if (folder / old).is_dir() else (folder / old).unlink()
        if self.theme_cache is None or self.theme_cache.path != folder / "pages.sqlite3":
            self.theme_cache = ThemeCache(folder / "pages.sqlite3")
        if self.compacted is None or self.compacted.path != folder / "search.json":
            self.compacted = CompactedEntries(folder / "search.json")
        # `mkdocs serve` builds into a folder of its own each time it starts: its records are kept in memory
        self.kept_site.record = None if self.serving else folder / "site.json"
        self.incremental.record_path = None if self.serving else folder / "built.json"

    def _sync(self, config: Any) -> SyncResult | None:
        history = history_path(self.config.history_file, config.config_file_path)
        target = (Path(self.config.export_dir), Path(config.docs_dir), self.settings, Path(history))
        from ingest.mkdocs.autosync import ExportSync  # only where the plugin syncs: the sync's stages are many imports

        current = self.export_sync
        if current is None or (current.export_dir, current.docs_dir, current.settings, current.history_file) != target:
            current = self.export_sync = ExportSync(*target)
        current.problem_level = logging.WARNING if self.config.sync_problems == "warn" else logging.INFO
        return current.run(self.serving, float(self.config.debounce))

    @event_priority(-100)  # the last: MkDocs empties the site right after
    def on_pre_build(self, config: Any) -> None:
        """Set the last build's site aside from MkDocs' clean, to keep it (``ingest.mkdocs.keptsite``):
        with the cache on, and not in a `--dirty` build, which keeps the site itself."""
        if self.config.enabled:
            self.kept_site.set_aside(config.site_dir, config.plugins,
                                     keep=self.theme_cache is not None and not self.dirty_build)
            if self._incremental():
                self.incremental.begin(config.site_dir)
            else:
                self.incremental.abandon()

    @event_priority(100)  # the first: nothing is written yet
    def on_files(self, files: Any, config: Any) -> Any:
        """Put the set-aside site back, now that MkDocs has emptied the folder."""
        self.files_listing.remove()
        if self.config.enabled:
            self.kept_site.restore()
        return files

    def on_build_error(self, error: Exception) -> None:
        """Put the set-aside site back, if the build stopped before it was; MkDocs builds every page again."""
        if self.collection is not None:
            self.collection.built()
        self.files_listing.remove()
        self.documentation_pages.remove()
        if self.config.enabled:
            self.kept_site.failed()
            self.build_page.remove()
            self.incremental.abandon()

    def _incremental(self) -> bool:
        """Whether this build may leave unchanged pages as they are (``incremental``): with the caches, in a
        site the last build's files stay in (which also keeps it to the plugins known), not `--dirty`."""
        return self.render_cache is not None and self.theme_cache is not None and not self.dirty_build

    def on_serve(self, server: Any, config: Any, builder: Any) -> Any:
        """Watch the export, which wikiGDrive writes, instead of the docs_dir, which the sync writes
        (a sync during a rebuild would otherwise ask for another rebuild): with inotify where the kernel
        reports its changes, so an edit is heard at once (``watch``), else by MkDocs' polling."""
        if self.config.enabled and self.config.export_dir:
            server.unwatch(config.docs_dir)
            if not self.export_watcher.start(server, Path(self.config.export_dir)):
                server.watch(self.config.export_dir)
        return server

    def on_shutdown(self) -> None:
        """Stop watching the export, keep what `mkdocs serve` compacted for search and close the caches' files;
        at the end of a command-line `mkdocs build`, spare the process the interpreter's teardown of what it
        built (``processend``)."""
        self.export_watcher.stop()
        self.files_listing.remove()
        self.documentation_pages.remove()
        if self.collection is not None:
            self.collection.stop()
        if self.compacted is not None and self.serving:
            self.compacted.save()
        for cache in (self.render_cache, self.theme_cache):
            if cache is not None:
                cache.store.close()
        if not self.serving:
            leave_the_rest_to_the_exit()

    @event_priority(-100)  # the last: the pages are rendered ahead with the nav and files as final
    def on_nav(self, nav: Any, config: Any, files: Any) -> None:
        """Start the render cache's build, render the pages it lacks ahead in worker processes, and
        give the pruned nav's sections their links."""
        if not self.config.enabled:
            return
        self.nav = nav
        self.build_files, self.build_config = files, config
        if self.render_cache is not None:
            self.render_cache.start(config)
            if self._incremental():
                self.incremental.check_rendering(self.render_cache.digest, files, usable=self.kept_site.active)
            workers = self._ahead_workers()
            if workers > 1:
                pages = [file.page for file in files.documentation_pages() if file.page is not None]
                self.render_cache.render_ahead(pages, lambda page: self._page_markdown(page, config, files),
                                               config, files, workers, self._after_render(config),
                                               deferred=lambda page, key: self._deferrable(page, key, config) is not None)
        self._link_sections(nav, config)

    def _ahead_workers(self) -> int:
        """Processes to render and theme pages ahead in: one per CPU (or ``workers``); none under
        `mkdocs serve`, whose builds run in threads (no fork), nor in a dirty build, which sees few pages."""
        if self.serving or self.dirty_build:
            return 0
        return self.config.workers or os.cpu_count() or 1

    def _page_markdown(self, page: Any, config: Any, files: Any) -> str:
        """A page's Markdown as this plugin leaves it (to render ahead; other plugins may change it still)."""
        return self.on_page_markdown(page.markdown or "", page=page, config=config, files=files)

    def _after_render(self, config: Any) -> Any:
        """What a worker rendering ahead does next with a page: this plugin's ``on_page_content``, then
        Material's indexing of it for search (where ``searchcache`` applies), kept with the cache."""
        cache = self.render_cache
        search = _search_plugin(config)
        index = getattr(search, "search_index", None) if searchcache_applies(search) else None

        def after(page: Any, rendered: Any) -> dict[str, list[dict[str, Any]]]:
            rendered.cleaned = clean_html(rendered.content)
            page.content = self._with_card(rendered.cleaned, page, config)
            if index is None or cache is None:
                return {}
            fresh = type(index)(**index.config)
            fresh.add_entry_from_context(page)
            return {section_key(page, index.config, cache.digest): fresh.entries}

        return after

    def _link_sections(self, nav: Any, config: Any) -> None:
        """Give each section the page its pruned nav entry links to (see ``templates/partials/nav-item.html``).

        Only with ``navigation.prune`` and without ``navigation.tabs`` or ``navigation.sections``,
        which change how Material writes a section; otherwise the partial renders as Material's.
        """
        features = set(config.theme.get("features") or ())
        if "navigation.prune" not in features or features & {"navigation.tabs", "navigation.sections"}:
            return
        sections = [item for item in nav.items if item.is_section]
        while sections:
            section = sections.pop()
            first = section.children[0] if section.children else None
            while first is not None and first.children:
                first = first.children[0]
            if first is not None:
                section.ingest_pruned_link = first
            sections.extend(child for child in section.children if child.is_section)

    @event_priority(-100)  # the last: the theme cache sees the environment as the other plugins leave it
    def on_env(self, env: Any, config: Any, files: Any) -> Any:
        """Have the docs_dir's images and attachments hard-linked into the site (``staticfiles``), the
        search index take each page's entries from the cache (``searchcache``) and each page's
        template go through the theme cache (``themecache``)."""
        if self.config.enabled:
            self.kept_site.unlink_old_links(link_static_files(files, config.docs_dir, self.kept_site.linked))
            search = _search_plugin(config)
            self.indexing = None
            if self.render_cache is not None and search is not None:
                self.indexing = index_through_cache(search, self.render_cache)
            self.generator = compact_through(search, self._compact_index)
            if self.theme_cache is not None:
                # Jinja's own cache of compiled templates (keyed by each template's source): half a second
                # of a build that themes few pages goes to compiling Material's templates.
                from jinja2 import FileSystemBytecodeCache

                folder = self.theme_cache.path.parent / "jinja"
                folder.mkdir(parents=True, exist_ok=True)
                env.bytecode_cache = FileSystemBytecodeCache(str(folder))
            if self.theme_cache is not None and self.nav is not None:
                env = self.theme_cache.start(config, self.nav, files, env, meta_key=self.incremental.meta_key_of)
                if self.incremental.check_theming(self.theme_cache.site):
                    self.build_page.install()  # the pages left as they are skip MkDocs' _build_page
                else:
                    for page in list(self.incremental.deferred.values()):
                        self._render_later(page, config, files)
                self.theme_cache.theme_ahead(config, self.nav, files, self._ahead_workers(), collapse_whitespace,
                                             skipped=self.incremental.is_deferred)
        return env

    # --- each page ---------------------------------------------------------------------------

    def on_pre_page(self, page: Any, config: Any, files: Any) -> Any:
        """Render the page through the render cache (:meth:`RenderCache.render` in place of ``Page.render``),
        from the source it read when rendering ahead (:meth:`RenderCache.read_source`)."""
        if self.config.enabled and self.render_cache is not None:
            page.read_source = functools.partial(self.render_cache.read_source, page)
            page.render = functools.partial(self._render, page)
        return page

    def _render(self, page: Any, config: Any, files: Any) -> None:
        """``Page.render`` through the render cache; a page whose rendering is the last build's is not
        rendered, only given what the rest of the build reads of it (``incremental``)."""
        assert self.render_cache is not None
        key = self.render_cache.key(page)
        record = self._deferrable(page, key, config)
        if record is None:
            self.render_cache.render(page, config, files, key)
            return
        self.incremental.defer(page, record, files)
        self.render_cache.keep(record.render, record.section)

    def _deferrable(self, page: Any, key: str, config: Any) -> PageRecord | None:
        """The last build's record of ``page`` where its rendering can wait (see ``incremental``): not a page
        the tags plugin writes a listing into after rendering."""
        record = self.incremental.deferrable(page, key)
        if record is None:
            return None
        tags = config.plugins.get("material/tags") or config.plugins.get("tags")
        if any(listing.page is page for listing in getattr(tags, "listings", None) or ()):
            return None
        return record

    def _render_later(self, page: Any, config: Any, files: Any) -> None:
        """Render a deferred page after all (its theming changed, or its file in the site did)."""
        key = self.incremental.take_deferred(page)
        if key is None or self.render_cache is None:
            return
        self.render_cache.render(page, config, files, key, logged=True)
        page.content = config.plugins.on_page_content(page.content, page=page, config=config, files=files)

    def _skip_page(self, page: Any) -> bool:
        """Whether ``page`` need not be built (MkDocs' ``_build_page``, through :class:`SkippingBuildPage`):
        its file is as the last build wrote it, its search entries are added from the cache. A deferred
        page that must be built after all is rendered first."""
        record = self.incremental.skippable(page)
        if record is not None and self._add_kept_search_entries(page, record):
            assert self.theme_cache is not None and self.render_cache is not None
            self.incremental.skip(page, record)
            self.kept_site.keep(page.file.abs_dest_path)
            self.theme_cache.keep(record.theme or "")
            self.render_cache.keep(record.render, record.section)
            self._note_sectioned(page)
            return True
        self._render_later(page, self.build_config, self.build_files)
        return False

    def _add_kept_search_entries(self, page: Any, record: PageRecord) -> bool:
        """Add a skipped page's search entries to the index, as its ``on_page_context`` would; False where
        they are not kept (the page is built then)."""
        search = _search_plugin(self.build_config)
        if search is None or not getattr(search.config, "enabled", True):
            return True
        return self.indexing is not None and record.section is not None and self.indexing.add_kept(page, record.section)

    def on_page_markdown(self, markdown: str, page: Any, config: Any, files: Any) -> str:
        """Fill markers in; point Material's edit button at the Google Doc; mark plain nav links.

        ``page.ingest_nav_link`` tells ``templates/partials/nav-item.html`` that the page's nav entry
        is a plain link (no icon, subtitle or status), which it writes without Material's macros.
        """
        if not self.config.enabled:
            return markdown
        page.ingest_nav_link = not any(page.meta.get(key) for key in ("icon", "subtitle", "status"))
        source = page.meta.get("source")
        if isinstance(source, str) and source.startswith("https://"):
            page.edit_url = source
        if MARKER_PREFIX not in markdown:
            return markdown
        filled = self.filled.get(markdown)
        if filled is None:
            filled = self.filled[markdown] = render_markers(markdown, self.settings)
        return filled

    @event_priority(-50)  # after other plugins' changes: the allow-list sees the final HTML
    def on_page_content(self, html: str, page: Any, config: Any, files: Any) -> str:
        """Clean the page's HTML with the sync's allow-list, then put the activity card
        (``templates/partials/activity-card.html``) before an activity page's body.

        Material adds the title as H1 before the content, so the card comes right after it,
        and search indexes the card too (the ids "IA_AHE_6", "AHE6" find the page).
        """
        if not self.config.enabled or self.incremental.is_deferred(page):
            return html  # a deferred page has no HTML yet: this runs again if it is rendered
        # the allow-list, once Markdown has rendered (ingest/transform/policy.py); kept with a cached page
        html = clean_html(html) if self.render_cache is None else self.render_cache.cleaned(page, html, clean_html)
        return self._with_card(html, page, config)

    def _with_card(self, html: str, page: Any, config: Any) -> str:
        activity = page.meta.get("activity")
        if not isinstance(activity, dict) or not activity.get("id"):
            return html
        return self.card.render(page, config) + html

    def on_page_context(self, context: Any, page: Any, config: Any, nav: Any) -> Any:
        """Note the FAQ pages: each of their questions stays its own search result."""
        self._note_sectioned(page)
        return context

    def _note_sectioned(self, page: Any) -> None:
        if page.meta.get("faq") is True:
            self.sectioned_pages.add(page.url)

    def on_post_page(self, output: str, page: Any, config: Any) -> str:
        """Drop the templates' indentation from the page (:func:`ingest.mkdocs.minify.collapse_whitespace`)."""
        if not self.config.enabled:
            return output
        if self.theme_cache is None:
            return collapse_whitespace(output)
        return self.theme_cache.post_processed(page, output, collapse_whitespace)

    def on_post_template(self, output_content: str, template_name: str, config: Any) -> str:
        """The same for the theme's own HTML pages (404.html); sitemap.xml is left as it is."""
        if self.config.enabled and template_name.endswith(".html"):
            return collapse_whitespace(output_content)
        return output_content

    @event_priority(-50)  # after the search plugin has written its index
    def on_post_build(self, config: Any) -> None:
        """Make the search index light (:func:`ingest.mkdocs.searchindex.compact_index`): done as Material
        generated it where ``searchcache`` applies, else by rewriting the file it wrote; then, in a site kept
        from the last build, remove what this build did not write (``keptsite``). Under `mkdocs serve`, the
        garbage is collected a moment later (``ingest.utils.collector``)."""
        try:
            self._finish_build(config)
        finally:
            self.documentation_pages.remove()
            if self.collection is not None:
                self.collection.built()

    def _finish_build(self, config: Any) -> None:
        # The caches' housekeeping is not on the way from an edit to the page served: under `mkdocs serve`,
        # the entries no page uses are left for the next command-line build to remove, and the search
        # entries' compact forms are written when it stops (``on_shutdown``); together a tenth of a second
        # of every rebuild of 2,000 docs. A cache left as it was costs only time.
        keep_unused = self.dirty_build or self.serving
        if self.config.enabled and self.theme_cache is not None:
            self.theme_cache.finish(keep_unused=keep_unused)
            theme = self.theme_cache.stats
            log.debug("Theme cache: %d page(s) reused, %d themed (%d ahead in %d worker(s)), %d not cacheable.",
                      theme.reused, theme.themed, theme.themed_ahead, theme.workers, theme.uncacheable)
        if self.config.enabled and self.render_cache is not None:
            self.render_cache.finish(keep_unused=keep_unused)
            stats = self.render_cache.stats
            log.debug("Render cache: %d page(s) reused, %d rendered ahead in %d worker(s), %d rendered in the build; "
                      "%d indexed for search; %d source(s) not read again.", stats.reused, stats.rendered_ahead,
                      stats.workers, stats.rendered, stats.indexed, stats.sources_kept)
        if not self.config.enabled:
            return
        path = Path(config.site_dir) / "search" / "search_index.json"
        written_light = self.generator is not None and self.generator.used
        if not written_light and path.is_file():  # else no search plugin, or it is disabled
            light = self._compact_index(jsoncodec.loads(path.read_bytes()))
            path.write_bytes(jsoncodec.dumps(light))
        if self.compacted is not None and not self.serving:
            self.compacted.save()  # writes nothing where nothing was compacted
        self.build_page.remove()
        if not self.dirty_build:  # a dirty build leaves files it did not write, which are the site's
            self.kept_site.finish()
            kept = self.kept_site.stats
            if kept.kept:
                log.debug("Kept the last build's site: %d of its links unlinked first, %d file(s) and folder(s) "
                          "it had and this build did not write removed.", kept.unlinked, kept.removed)
        if self._incremental():
            self.incremental.finish(self._build_record(config))
            done = self.incremental.stats
            log.debug("Unchanged pages: %d not rendered when read, %d of them not built, %d rendered after all.",
                      done.deferred, done.skipped, done.materialized)
        self.build_files = self.build_config = None

    def _compact_index(self, index: dict[str, Any]) -> dict[str, Any]:
        """The search index made light (``searchindex``), each entry's light form kept for the next build."""
        memo = self.compacted.for_build() if self.compacted is not None else None
        return compact_index(index, keep_sections=self.sectioned_pages, memo=memo)

    def _build_record(self, config: Any) -> BuildRecord:
        """What this build made of each page, for the next build (``incremental``)."""
        assert self.render_cache is not None and self.theme_cache is not None
        record = self.incremental.new_record(config.site_dir, self.theme_cache.site)
        cache, theme = self.render_cache, self.theme_cache
        for file in self.build_files.documentation_pages() if self.build_files is not None else ():
            uri = file.src_uri
            kept = self.incremental.skipped.get(uri)
            if kept is not None:
                record.pages[uri] = kept
                continue
            key = cache.by_page.get(uri)
            entry = cache.entries.get(key) if key is not None else None
            meta = self.incremental.meta_keys.get(uri)
            if key is not None and entry is not None and meta is not None:
                record.pages[uri] = PageRecord.of_rendering(key, meta, entry, cache.section_by_page.get(uri),
                                                            theme.keys.get(uri), file_state(file.abs_dest_path))
        return record


def _search_plugin(config: Any) -> Any:
    """The site's search plugin (Material's, however ``mkdocs.yml`` names it), or None."""
    return config.plugins.get("search") or config.plugins.get("material/search")
