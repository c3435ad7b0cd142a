"""The render and theme caches in real builds: a cached build writes what a plain cold build writes,
and each kind of change (a page, the nav, a template override, mkdocs.yml, the MkDocs or Material
version) makes the right pages again.

Every build here is `mkdocs build --strict` through MkDocs' API, of the bundled sample export, with
the cache in the test's own folder. "Plain" is the plugin with ``cache: false`` and ``workers: 1``:
MkDocs' own ``Page.render`` on every page, one after the other.
"""

from __future__ import annotations

import logging
import os
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import mkdocs
import pytest
from helpers import REPO, SAMPLE_EXPORT, snapshot
from mkdocs.commands.build import build
from mkdocs.config import load_config
from mkdocs.utils import yaml_load

from ingest.commands.sync import sync
from ingest.mkdocs import keptsite, rendercache, searchcache, themecache
from ingest.mkdocs.rendercache import CacheStats
from ingest.mkdocs.store import EntryStore
from ingest.mkdocs.themecache import ThemeStats


@dataclass
class Built:
    site: dict[str, bytes]
    stats: CacheStats | None
    warnings: list[str]
    theme: ThemeStats | None = None
    plugin: Any = None
    """The wikigdrive plugin (MkDocs keeps one instance a process, with its caches in memory)."""


class Site:
    """A synced copy of the sample export, built with a config of its own (in ``root``)."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.export = root / "export"
        shutil.copytree(SAMPLE_EXPORT, self.export)
        self.docs = root / "docs"
        self.cache_dir = root / "cache"
        self.overrides = root / "overrides"
        self.overrides.mkdir()
        with open(REPO / "mkdocs.yml", encoding="utf-8") as stream:
            self.config = yaml_load(stream)
        self.config["theme"]["custom_dir"] = str(self.overrides)
        self.sync()

    def sync(self) -> None:
        sync(self.export, self.docs, jobs=1)

    def plugin_options(self) -> dict:
        (options,) = [entry["wikigdrive"] for entry in self.config["plugins"]
                      if isinstance(entry, dict) and "wikigdrive" in entry]
        return options

    def build(self, name: str, cache: bool = True, workers: int = 2, strict: bool = True, fresh: bool = True,
              command: str = "build") -> Built:
        """Build into ``root/name``: emptied first, unless not ``fresh`` (a rebuild of the site that is there);
        ``command`` "serve" builds as `mkdocs serve` rebuilds (the plugin keeps its records in memory)."""
        import yaml

        self.plugin_options().update(cache=cache, workers=workers, cache_dir=str(self.cache_dir))
        config_file = self.root / f"{name}.yml"
        config_file.write_text(yaml.safe_dump(self.config, sort_keys=False), "utf-8")
        site_dir = self.root / name
        if fresh:
            shutil.rmtree(site_dir, ignore_errors=True)
        config = load_config(config_file=str(config_file), docs_dir=str(self.docs), site_dir=str(site_dir),
                             strict=strict)
        records: list[logging.LogRecord] = []
        handler = logging.Handler(logging.WARNING)
        handler.emit = records.append  # type: ignore[method-assign]
        logger = logging.getLogger("mkdocs")
        logger.addHandler(handler)
        try:
            config.plugins.on_startup(command=command, dirty=False)
            build(config)
        finally:
            logger.removeHandler(handler)
        plugin = config.plugins["wikigdrive"]
        stats = plugin.render_cache.stats if plugin.render_cache is not None else None
        theme = plugin.theme_cache.stats if plugin.theme_cache is not None else None
        return Built(snapshot(site_dir), stats, [record.getMessage() for record in records], theme, plugin)

    def plain(self, name: str = "plain") -> Built:
        return self.build(name, cache=False, workers=1)

    def edit(self, rel: str, old: str, new: str) -> None:
        path = self.export / rel
        text = path.read_text("utf-8")
        assert old in text, f"{old!r} is not in {rel}"
        path.write_text(text.replace(old, new, 1), "utf-8")


@pytest.fixture
def site(tmp_path, monkeypatch) -> Site:
    monkeypatch.setattr(rendercache, "PARALLEL_MIN_PAGES", 1)  # the sample is small: render ahead anyway
    return Site(tmp_path)


def rename_getting_started(site: Site) -> None:
    """A title change in Drive (the doc's title and its menu name), synced."""
    site.edit("guides/getting-started.md", "title: 'Getting Started'", "title: 'First Steps'")
    site.edit("guides/getting-started.md", "name: 'Getting Started'", "name: 'First Steps'")
    site.sync()


def add_a_sentence(site: Site) -> None:
    """An edit in Drive to one doc's body, synced."""
    site.edit("guides/getting-started.md", "## Next Steps\n", "## Next Steps\n\nA sentence added in Drive.\n")
    site.sync()


def pages_of(built: Built) -> int:
    return sum(1 for name in built.site if name.endswith(".html") and name != "404.html")


def docs_pages_of(built: Built) -> int:
    """The pages of docs (not the 404 page, nor the redirects' stubs): what the theme runs for."""
    return sum(1 for name, html in built.site.items()
               if name.endswith(".html") and name != "404.html" and b"md-content" in html)


def assert_same_site(built: Built, plain: Built) -> None:
    assert built.site.keys() == plain.site.keys()
    differ = [name for name in built.site if built.site[name] != plain.site[name]]
    assert differ == [], f"{len(differ)} file(s) differ from a plain cold build, e.g. {differ[:5]}"


def test_a_cold_cached_build_and_a_warm_one_write_what_a_plain_cold_build_writes(site):
    plain = site.plain()
    cold = site.build("cold")
    assert cold.stats is not None and cold.stats.rendered_ahead > 0 and cold.stats.workers == 2
    assert_same_site(cold, plain)
    warm = site.build("warm")
    assert warm.stats is not None and warm.stats.rendered == 0 and warm.stats.rendered_ahead == 0
    assert warm.stats.reused == cold.stats.rendered + cold.stats.rendered_ahead
    assert warm.stats.indexed == 0  # search entries came from the cache too
    assert cold.theme is not None and cold.theme.themed == docs_pages_of(cold) and cold.theme.reused == 0
    assert cold.theme.workers == 1 and 0 < cold.theme.themed_ahead < cold.theme.themed  # this process themes too
    assert warm.theme is not None and warm.theme.themed == 0 and warm.theme.reused == docs_pages_of(warm)
    assert warm.theme.uncacheable == 0
    assert any((site.cache_dir / "jinja").iterdir())  # Jinja's compiled templates, kept too
    assert_same_site(warm, plain)
    serial = site.build("serial", workers=1)  # no workers: a warm build is the same
    assert_same_site(serial, plain)


def test_an_edited_page_is_the_only_one_rendered_again(site):
    site.build("first")
    site.edit("guides/getting-started.md", "## Next Steps\n", "## Next Steps\n\nA sentence added in Drive.\n")
    site.sync()
    again = site.build("again")
    assert again.stats is not None and again.stats.rendered + again.stats.rendered_ahead == 1
    assert again.stats.indexed == 1
    assert again.theme is not None and again.theme.themed == 1  # the other pages' HTML is as it was
    assert b"A sentence added in Drive." in again.site["guides/getting-started/index.html"]
    assert_same_site(again, site.plain())


def test_a_title_change_updates_the_nav_of_every_page_without_rendering_them_all_again(site):
    site.build("first")
    rename_getting_started(site)
    again = site.build("again")
    assert_same_site(again, site.plain())
    assert again.stats is not None and 0 < again.stats.rendered + again.stats.rendered_ahead < pages_of(again)
    assert again.theme is not None and again.theme.themed == docs_pages_of(again)  # every page's nav changed
    other = again.site["guides/measure-reference/index.html"].decode()
    assert "First Steps" in other  # its nav shows the new title


def test_a_page_whose_link_target_moved_is_rendered_again(site):
    site.build("first")
    (site.export / "guides" / "measure-reference.md").rename(site.export / "measure-reference.md")
    site.sync()
    again = site.build("again")
    assert_same_site(again, site.plain())
    assert again.stats is not None and again.stats.rendered + again.stats.rendered_ahead >= 2  # it, and its linker
    assert b'href="../../measure-reference/"' in again.site["guides/getting-started/index.html"]


def test_a_template_override_shows_on_every_page(site):
    site.build("first")
    (site.overrides / "main.html").write_text(
        '{% extends "base.html" %}\n{% block announce %}Template override seen{% endblock %}\n', "utf-8")
    again = site.build("again")
    assert again.stats is not None and again.stats.rendered == again.stats.rendered_ahead == 0
    assert again.theme is not None and again.theme.reused == 0 and again.theme.themed == docs_pages_of(again)
    pages = [html for name, html in again.site.items() if name.endswith(".html") and b"md-content" in html]
    assert len(pages) >= 10 and all(b"Template override seen" in html for html in pages)
    assert_same_site(again, site.plain())


def test_a_change_to_mkdocs_yml_renders_every_page_again(site):
    first = site.build("first")
    assert first.stats is not None
    (toc,) = [entry for entry in site.config["markdown_extensions"] if isinstance(entry, dict) and "toc" in entry]
    toc["toc"]["permalink"] = "#"
    again = site.build("again")
    assert again.stats is not None and again.stats.reused == 0
    assert again.stats.rendered + again.stats.rendered_ahead == first.stats.rendered + first.stats.rendered_ahead
    assert again.theme is not None and again.theme.reused == 0
    assert_same_site(again, site.plain())


@pytest.mark.parametrize("package", ["mkdocs", "mkdocs-material", "markdown-it-py"])
def test_another_version_of_the_rendering_code_renders_every_page_again(site, monkeypatch, package):
    first = site.build("first")
    real = rendercache._version
    monkeypatch.setattr(rendercache, "_version", lambda name: "0.0-other" if name == package else real(name))
    again = site.build("again")
    assert first.stats is not None and again.stats is not None and again.stats.reused == 0
    assert again.stats.indexed == first.stats.indexed  # search entries are keyed by the same digest


def test_with_another_mkdocs_pages_render_as_mkdocs_renders_them(site, monkeypatch):
    monkeypatch.setattr(mkdocs, "__version__", "1.7.0")  # (the pages' generator tag says so too)
    plain = site.plain()
    fallback = site.build("fallback")
    assert fallback.stats is None and fallback.theme is None
    assert_same_site(fallback, plain)


def test_with_another_material_search_indexes_every_page_itself(site, monkeypatch):
    """...and writes its whole index, which the plugin reads back and makes light: the same index as the one
    made light as Material generates it."""
    plain = site.plain()
    first = site.build("first")
    assert first.plugin.generator is not None and first.plugin.generator.used
    monkeypatch.setattr(searchcache, "SUPPORTED_MATERIAL", frozenset({"0.0"}))
    again = site.build("again")
    assert again.stats is not None and again.stats.indexed == 0 and again.stats.reused > 0
    assert again.plugin.generator is None
    assert_same_site(again, plain)


def test_a_damaged_cache_costs_only_time(site):
    plain = site.plain()
    first = site.build("first")
    first.plugin.render_cache = None  # as a new process finds it: the entries only on disk
    store = EntryStore(site.cache_dir / "render.sqlite3")
    names = sorted(store.names())
    assert names
    for number, name in enumerate(names):  # torn, of another format, of another shape
        store.put(name, ['{"format": 2, "entry": {"content": 1}, "sect', '{"format": 1, "entries": {}}',
                         '{"format": 2, "entry": {"content": 1}}'][number % 3])
    assert store.flush()
    again = site.build("again")
    assert again.stats is not None and again.stats.reused == 0
    assert_same_site(again, plain)
    assert_same_site(site.build("third"), plain)
    again.plugin.render_cache = again.plugin.theme_cache = None
    for path in (site.cache_dir / "render.sqlite3", site.cache_dir / "pages.sqlite3"):
        path.write_bytes(b"not a database, " * 256)  # the whole file damaged: made anew
        for suffix in ("-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
    fourth = site.build("fourth")
    assert fourth.stats is not None and fourth.stats.reused == 0
    assert_same_site(fourth, plain)
    assert_same_site(site.build("fifth"), plain)


def test_the_caches_of_earlier_versions_are_removed(site):
    old = site.cache_dir / "pages"
    old.mkdir(parents=True)
    (old / "abc.html").write_text("<html>a page of an earlier version</html>", "utf-8")
    site.build("site")
    assert not old.exists() and (site.cache_dir / "pages.sqlite3").is_file()


def test_a_cached_build_logs_the_link_warnings_a_cold_one_logs(site):
    page = site.docs / "guides" / "getting-started.md"
    page.write_text(page.read_text("utf-8") + "\n[Gone](no-such-page.md)\n", "utf-8")  # by hand, after the sync
    cold = site.build("cold", strict=False)
    warm = site.build("warm", strict=False)
    assert warm.stats is not None and warm.stats.rendered == warm.stats.rendered_ahead == 0
    gone = [message for message in cold.warnings if "no-such-page.md" in message]
    assert len(gone) == 1
    assert [message for message in warm.warnings if "no-such-page.md" in message] == gone


def test_the_default_cache_is_beside_mkdocs_yml(tmp_path):
    (tmp_path / "docs").mkdir()
    config_file = tmp_path / "mkdocs.yml"
    config_file.write_text("site_name: T\nplugins:\n  - wikigdrive\n", "utf-8")
    config = load_config(config_file=str(config_file))
    config.plugins.on_startup(command="build", dirty=False)
    config = config.plugins.on_config(config)
    assert config.plugins["wikigdrive"].render_cache.path == tmp_path / ".cache" / "plugin" / "wikigdrive" / "render.sqlite3"


def test_a_change_to_the_theme_settings_themes_every_page_again_and_renders_none(site):
    site.build("first")
    site.config.setdefault("extra", {})["announcement_seen"] = True
    site.config["theme"]["palette"][0]["primary"] = "teal"
    again = site.build("again")
    assert again.stats is not None and again.stats.rendered == again.stats.rendered_ahead == 0
    assert again.theme is not None and again.theme.reused == 0 and again.theme.themed == docs_pages_of(again)
    assert b'data-md-color-primary="teal"' in again.site["guides/getting-started/index.html"]
    assert_same_site(again, site.plain())


@pytest.mark.parametrize("package", ["jinja2", "mkdocs-material", "mkdocs_redirects"])
def test_another_version_of_the_theming_code_themes_every_page_again(site, monkeypatch, package):
    site.build("first")
    real = themecache._version
    monkeypatch.setattr(themecache, "_version", lambda name: "0.0-other" if name == package else real(name))
    again = site.build("again")
    assert again.theme is not None and again.theme.reused == 0 and again.theme.themed == docs_pages_of(again)


def test_a_page_the_key_cannot_describe_is_themed_every_build(site, monkeypatch):
    """A plugin's own attribute on a page (here set by hand) could change what the templates write."""
    from ingest.mkdocs.plugin import WikiGDrivePlugin

    real = WikiGDrivePlugin.on_page_content

    def marking(self, html, page, config, files):
        if page.file.src_uri == "guides/getting-started.md":
            page.typeset = {"title": "set by another plugin"}
        return real(self, html, page=page, config=config, files=files)

    monkeypatch.setattr(WikiGDrivePlugin, "on_page_content", marking)
    site.build("first")
    again = site.build("again")
    assert again.theme is not None and again.theme.uncacheable == 1 and again.theme.themed == 0
    assert again.theme.reused == docs_pages_of(again) - 1


def test_entries_no_page_uses_are_removed_after_a_full_build(site):
    site.build("first")
    store = EntryStore(site.cache_dir / "pages.sqlite3")
    before = store.names()
    add_a_sentence(site)
    site.build("again")
    after = store.names()
    assert len(after) == len(before) and len(before - after) == 2  # the page's old HTML, and as post-processed


def test_a_worker_that_dies_leaves_its_pages_to_the_build(site, monkeypatch):
    import os

    monkeypatch.setattr(themecache, "_theme_share", lambda *args: os._exit(3))
    cold = site.build("cold")
    assert cold.theme is not None and cold.theme.workers == 1 and cold.theme.themed_ahead == 0
    assert cold.theme.themed == docs_pages_of(cold)
    assert_same_site(cold, site.plain())


def test_a_palette_change_alone_themes_every_page_again(site):
    site.build("first")
    site.config["theme"]["palette"][0]["primary"] = "teal"
    again = site.build("again")
    assert again.theme is not None and again.theme.reused == 0 and again.theme.themed == docs_pages_of(again)
    assert_same_site(again, site.plain())


# --- the site kept from one build to the next (ingest.mkdocs.keptsite) ------------------------------

def folders_of(root: Path) -> set[str]:
    return {path.relative_to(root).as_posix() for path in root.rglob("*") if path.is_dir()}


def test_a_rebuild_keeps_the_site_in_place_and_writes_what_a_cold_build_writes(site):
    first = site.build("site")
    assert not first.plugin.kept_site.stats.kept  # nothing to keep yet
    image = next(path for path in sorted(site.docs.rglob("*.png")))
    rel = image.relative_to(site.docs).as_posix()
    linked = site.root / "site" / rel
    assert os.path.samefile(image, linked)
    unchanged_folder = (site.root / "site" / "guides").stat().st_ino
    stale = site.root / "site" / "left" / "over.html"  # e.g. written by hand, or by a plugin since removed
    stale.parent.mkdir()
    stale.write_text("stale", "utf-8")
    os.utime(stale, (0, 0))
    (site.root / "site" / ".git").mkdir()  # hidden: MkDocs' clean leaves it too
    (site.root / "site" / ".git" / "HEAD").write_text("ref", "utf-8")
    site.edit("guides/getting-started.md", "## Next Steps\n", "## Next Steps\n\nA sentence added in Drive.\n")
    (site.export / "guides" / "new-page.md").write_text(
        "---\ntitle: 'New Page'\nid: new-page-id\n---\nA page added in Drive.\n", "utf-8")
    export_image = site.export / rel
    export_image.unlink()  # the image is gone from the export, so from the docs_dir and the site
    site.sync()
    again = site.build("site", fresh=False)
    kept = again.plugin.kept_site.stats
    assert kept.kept and kept.unlinked == 1 and kept.removed >= 2  # left/over.html, left/
    assert (site.root / "site" / "guides").stat().st_ino == unchanged_folder  # not made again
    assert again.site.pop(".git/HEAD") == b"ref"
    plain = site.plain()
    assert_same_site(again, plain)
    assert folders_of(site.root / "site") - {".git"} == folders_of(site.root / "plain")
    assert b"A sentence added in Drive." in again.site["guides/getting-started/index.html"]


def test_a_rebuild_with_a_plugin_it_does_not_know_is_a_clean_one(site, monkeypatch):
    site.build("site")
    stale = site.root / "site" / "left-over.html"
    stale.write_text("stale", "utf-8")
    os.utime(stale, (0, 0))
    monkeypatch.setattr(keptsite, "KNOWN_PLUGINS", keptsite.KNOWN_PLUGINS - {"material/tags"})
    again = site.build("site", fresh=False)
    assert not again.plugin.kept_site.stats.kept
    assert "left-over.html" not in again.site  # MkDocs emptied the folder
    assert_same_site(again, site.plain())


def test_a_build_that_fails_before_writing_puts_the_old_site_back_and_the_next_one_starts_clean(site, monkeypatch):
    from mkdocs.commands import build as build_command

    first = site.build("site")
    real = build_command.get_files

    def broken(config):
        raise OSError("the docs_dir could not be read")

    monkeypatch.setattr(build_command, "get_files", broken)
    with pytest.raises(OSError):
        site.build("site", fresh=False)
    assert snapshot(site.root / "site") == first.site
    monkeypatch.setattr(build_command, "get_files", real)
    again = site.build("site", fresh=False)
    assert not again.plugin.kept_site.stats.kept
    assert_same_site(again, site.plain())


def test_a_rebuild_after_a_doc_and_its_images_are_gone_leaves_no_empty_folder(site):
    site.build("site")
    assert (site.root / "site" / "guides" / "getting-started.assets").is_dir()
    (site.export / "guides" / "getting-started.md").unlink()
    shutil.rmtree(site.export / "guides" / "getting-started.assets")
    site.sync()
    again = site.build("site", fresh=False)
    assert again.plugin.kept_site.stats.kept and again.plugin.kept_site.stats.unlinked > 0
    plain = site.plain()
    assert_same_site(again, plain)
    assert folders_of(site.root / "site") == folders_of(site.root / "plain")


# --- pages a rebuild leaves as they are (ingest.mkdocs.incremental) ---------------------------------

def test_a_rebuild_after_an_edit_builds_only_the_edited_page_and_writes_what_a_cold_build_writes(site):
    site.build("site")
    before = {path: path.stat().st_mtime_ns for path in (site.root / "site").rglob("index.html")}
    add_a_sentence(site)
    again = site.build("site", fresh=False)
    done = again.plugin.incremental.stats
    assert done.skipped == done.deferred > 0 and done.materialized == 0
    assert again.theme is not None and again.theme.themed == 1  # the edited page, and no other
    rewritten = [path for path, mtime in before.items() if path.stat().st_mtime_ns != mtime]
    pages = {path.relative_to(site.root / "site").as_posix() for path in rewritten}
    assert "guides/getting-started/index.html" in pages and len(pages) <= 3  # and the pages MkDocs always writes
    assert_same_site(again, site.plain())
    third = site.build("site", fresh=False)  # nothing changed: nothing is built again
    assert third.plugin.incremental.stats.skipped == docs_pages_of(third) - 1  # the tags page is always built
    assert_same_site(third, site.plain())


def test_a_title_change_renders_the_deferred_pages_after_all_and_themes_every_page(site):
    site.build("site")
    rename_getting_started(site)
    again = site.build("site", fresh=False)
    done = again.plugin.incremental.stats
    assert done.deferred > 0 and done.skipped == 0 and done.materialized == done.deferred
    assert again.theme is not None and again.theme.themed == docs_pages_of(again)
    assert "First Steps" in again.site["guides/measure-reference/index.html"].decode()
    assert_same_site(again, site.plain())


def test_a_front_matter_change_alone_builds_that_page_again(site):
    site.build("site")
    page = site.docs / "guides" / "measure-reference.md"
    page.write_text(page.read_text("utf-8").replace("---\n", "---\ntags:\n  - Reference\n", 1), "utf-8")  # by hand
    again = site.build("site", fresh=False)
    done = again.plugin.incremental.stats
    assert done.skipped == 0 and done.materialized == done.deferred  # its tags are in the tags page and the nav
    assert b"Reference" in again.site["tags/index.html"]
    assert_same_site(again, site.plain())


def test_a_page_changed_in_the_site_by_hand_is_written_again(site):
    site.build("site")
    page = site.root / "site" / "guides" / "measure-reference" / "index.html"
    page.write_text("changed by hand", "utf-8")
    again = site.build("site", fresh=False)
    done = again.plugin.incremental.stats
    assert done.materialized == 1 and done.skipped == done.deferred - 1
    assert_same_site(again, site.plain())


def test_a_template_override_builds_every_page_again(site):
    site.build("site")
    (site.overrides / "main.html").write_text(
        '{% extends "base.html" %}\n{% block announce %}Template override seen{% endblock %}\n', "utf-8")
    again = site.build("site", fresh=False)
    assert again.plugin.incremental.stats.skipped == 0
    assert all(b"Template override seen" in html for name, html in again.site.items()
               if name.endswith(".html") and b"md-content" in html)
    assert_same_site(again, site.plain())


def test_a_change_to_the_markdown_settings_defers_no_page(site):
    site.build("site")
    (toc,) = [entry for entry in site.config["markdown_extensions"] if isinstance(entry, dict) and "toc" in entry]
    toc["toc"]["permalink"] = "#"
    again = site.build("site", fresh=False)
    assert again.plugin.incremental.stats.deferred == 0
    assert_same_site(again, site.plain())


def test_a_new_image_defers_no_page(site):
    """Links resolve against every file: one more file could change where any link goes."""
    site.build("site")
    (site.export / "guides" / "getting-started.assets" / "new.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    site.sync()
    again = site.build("site", fresh=False)
    assert again.plugin.incremental.stats.deferred == 0
    assert_same_site(again, site.plain())


def test_a_page_left_as_it_is_still_reports_its_broken_links_and_anchors(site):
    reference = site.docs / "guides" / "measure-reference.md"
    reference.write_text(reference.read_text("utf-8") + "\n[Gone](no-such-page.md)\n", "utf-8")  # by hand
    cold = site.build("site", strict=False)
    started = site.docs / "guides" / "getting-started.md"
    started.write_text(started.read_text("utf-8") + "\n[Ids](measure-reference.md#no-such-heading)\n", "utf-8")
    again = site.build("site", strict=False, fresh=False)
    assert again.plugin.incremental.stats.skipped > 0
    gone = [message for message in cold.warnings if "no-such-page.md" in message]
    assert len(gone) == 1 and [message for message in again.warnings if "no-such-page.md" in message] == gone
    assert any("no-such-heading" in message for message in again.warnings)
    with pytest.raises(Exception, match="strict"):
        site.build("site", fresh=False)  # strict: the warnings of pages left as they are count too


def test_a_rebuild_after_a_failed_build_builds_every_page(site, monkeypatch):
    from mkdocs.commands import build as build_command

    site.build("site")
    add_a_sentence(site)
    real = themecache.ThemeCache.render

    def failing(self, template, context):
        raise RuntimeError("a template failed")

    monkeypatch.setattr(themecache.ThemeCache, "render", failing)  # while pages are built, others skipped
    with pytest.raises(RuntimeError):
        site.build("site", fresh=False)
    monkeypatch.setattr(themecache.ThemeCache, "render", real)
    again = site.build("site", fresh=False)
    assert again.plugin.incremental.stats.deferred == 0
    assert build_command._build_page.__module__ == "mkdocs.commands.build"  # MkDocs' own again
    assert_same_site(again, site.plain())


def test_under_mkdocs_serve_the_record_of_the_last_build_is_kept_in_memory(site):
    site.build("site", command="serve")
    assert not (site.cache_dir / "built.json").exists()
    add_a_sentence(site)
    again = site.build("site", command="serve", fresh=False)
    assert again.plugin.incremental.stats.skipped == docs_pages_of(again) - 2  # the edited page, the tags page
    assert_same_site(again, site.plain())


def test_a_strict_build_after_a_plain_one_leaves_every_page_as_it_is(site):
    """``--strict`` decides whether warnings stop the build, not what a page shows."""
    site.build("site", strict=False)
    again = site.build("site", fresh=False)
    assert again.plugin.incremental.stats.skipped == docs_pages_of(again) - 1  # the tags page is always built
    assert again.theme is not None and again.theme.themed <= 1


def test_a_page_rendered_after_all_without_its_cache_entry_logs_its_warnings_once(site):
    """Deferred from the record (its warnings logged again), then rendered anew: not logged a second time."""
    reference = site.docs / "guides" / "measure-reference.md"
    reference.write_text(reference.read_text("utf-8") + "\n[Gone](no-such-page.md)\n", "utf-8")  # by hand
    first = site.build("site", strict=False)
    first.plugin.render_cache = None  # as a new process finds it
    (site.cache_dir / "render.sqlite3").unlink()  # the entries lost, the record of the last build kept
    started = site.docs / "guides" / "getting-started.md"  # by hand too: a sync would undo the link above
    started.write_text(started.read_text("utf-8").replace("title: ", "subtitle: Now\ntitle: ", 1), "utf-8")
    again = site.build("site", strict=False, fresh=False)  # the theming changed: deferred pages are rendered
    assert again.plugin.incremental.stats.materialized > 0 and again.stats is not None and again.stats.rendered > 0
    assert len([message for message in again.warnings if "no-such-page.md" in message]) == 1
    assert_same_site(again, site.build("plain", cache=False, workers=1, strict=False))


def test_a_build_reads_again_only_the_sources_whose_file_changed(site):
    """Each page's source (Markdown and front matter) is kept between builds by its file's size, dates and
    inode: a page edited by hand in the docs_dir is read again, the others are not; a damaged file of kept
    sources costs only time."""
    first = site.build("site")
    assert first.stats is not None and first.stats.sources_kept == 0
    pages = docs_pages_of(first)
    page = site.docs / "guides" / "measure-reference.md"
    page.write_text(page.read_text("utf-8").replace("---\n", "---\ntags:\n  - Reference\n", 1), "utf-8")  # by hand
    again = site.build("site", fresh=False)
    assert again.stats is not None and again.stats.sources_kept == pages - 1
    assert b"Reference" in again.site["tags/index.html"]
    assert_same_site(again, site.plain())
    (site.cache_dir / "sources.pickle").write_bytes(b"ingest-page-sources 1 mkdocs\n\x80\x05 cut short")
    damaged = site.build("site", fresh=False)
    assert damaged.stats is not None and damaged.stats.sources_kept == 0
    assert_same_site(damaged, site.plain())
    assert site.build("site", fresh=False).stats.sources_kept == pages


def test_under_mkdocs_serve_the_caches_housekeeping_waits_for_the_next_build_and_the_stop(site):
    """Under serve, entries no page uses stay until a command-line build removes them, and the search
    entries' compact forms are written when serve stops, not at every rebuild."""
    site.build("site", command="serve")
    store = EntryStore(site.cache_dir / "pages.sqlite3")
    memo = site.cache_dir / "search.json"
    before = store.names()
    add_a_sentence(site)
    again = site.build("site", command="serve", fresh=False)
    assert before < store.names()  # the edited page's old HTML is still there, beside its new one
    assert not memo.exists()
    again.plugin.on_shutdown()
    assert memo.is_file()
    site.build("site", fresh=False)
    assert len(store.names()) == len(before)  # a command-line build removes what no page uses


def test_markers_are_filled_once_a_page_though_it_is_rendered_ahead(site, monkeypatch):
    """A page's markers are filled when it is rendered ahead and its Markdown is given again when it is
    built: the second time takes the first's result, and the site is a plain cold build's."""
    from ingest.mkdocs import plugin as plugin_module

    filled = []
    real = plugin_module.render_markers
    monkeypatch.setattr(plugin_module, "render_markers", lambda markdown, settings: (filled.append(markdown),
                                                                                   real(markdown, settings))[1])
    with_markers = [path for path in site.docs.rglob("*.md") if "<!--ingest:" in path.read_text("utf-8")]
    assert with_markers
    built = site.build("ahead")
    assert built.stats is not None and built.stats.rendered_ahead > 0
    assert len(filled) == len(set(filled)) == len(with_markers)
    assert_same_site(built, site.plain())
