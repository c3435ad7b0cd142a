"""The wikigdrive MkDocs plugin (ingest/mkdocs/plugin.py): its options, the synced nav and redirects,
the markers, the theme it brings, and the sync it runs before a build."""

from __future__ import annotations

import logging
from pathlib import Path
from types import SimpleNamespace

import pytest
from bs4 import BeautifulSoup
from helpers import REPO
from mkdocs.commands.build import build
from mkdocs.config import load_config
from mkdocs.exceptions import Abort, PluginError

from ingest.commands.sync import sync
from ingest.mkdocs import autosync
from ingest.mkdocs.plugin import EXTRA_CSS, MARKDOWN_EXTENSION, TEMPLATES_DIR, WikiGDrivePlugin
from ingest.output.manifest import MANIFEST
from ingest.settings import SiteSettings

EXPORT = {
    "index.md": ({"id": "1home", "title": "Home"}, "Log into {{% system-name %}}.\n"),
    "guides.md": ({"id": "1guides", "title": "Guides"}, "{{% children %}}\n"),
    "guides/export.md": ({"id": "1export", "title": "Exporting", "source": "https://drive.google.com/open?id=1export"},
                         'Start.\n\n{{% only sys="acme" %}}\nOn Acme hosted systems the export runs overnight.\n'
                         "{{% /only %}}\n\nOpen {{% syslink \"Quick View\" \"func=omniscope\" %}}.\n"),
    "guides/old-export.md": ({"id": "1export", "title": "Redirect to: Exporting", "redirectTo": "1export"}, "Renamed\n"),
}


@pytest.fixture
def synced(make_export, tmp_path) -> Path:
    docs = tmp_path / "docs"
    sync(make_export(EXPORT), docs)
    return docs


def config_for(docs: Path, **overrides):
    return load_config(config_file=str(REPO / "mkdocs.yml"), docs_dir=str(docs), site_dir=str(docs.parent / "site"),
                       **overrides)


def plugin_of(config) -> WikiGDrivePlugin:
    return config.plugins["wikigdrive"]


def team_site(root: Path, plugin_options: str = "", extra: str = "") -> Path:
    """A team's own minimal mkdocs.yml: Material, search, redirects and the plugin; no copy of overrides/."""
    (root / "docs").mkdir(parents=True, exist_ok=True)
    config = root / "mkdocs.yml"
    config.write_text("site_name: Team wiki\ndocs_dir: docs\ntheme:\n  name: material\n"
                      "  features: [content.action.edit]\n"
                      "plugins:\n  - search\n  - redirects\n  - wikigdrive:\n      enabled: true\n"
                      + "".join(f"      {line}\n" for line in plugin_options.splitlines())
                      + (f"extra:\n{extra}" if extra else ""), "utf-8")
    return config


def build_site(config_file: Path, **overrides) -> list[str]:
    """`mkdocs build` through the API; the warnings it logged."""
    records: list[logging.LogRecord] = []
    handler = logging.Handler(logging.WARNING)
    handler.emit = records.append  # type: ignore[method-assign]
    logger = logging.getLogger("mkdocs")
    logger.addHandler(handler)
    try:
        config = load_config(config_file=str(config_file), **overrides)
        config.plugins.on_startup(command="build", dirty=False)
        build(config)
    finally:
        logger.removeHandler(handler)
    return [record.getMessage() for record in records]


# --- options ----------------------------------------------------------------------------------

def test_defaults_suit_any_export(tmp_path):
    plugin = plugin_of(load_config(config_file=str(team_site(tmp_path))))
    assert plugin.config.export_dir is None and plugin.config.history_file == "wikigdrive-history.json"
    assert (plugin.config.brand, plugin.config.published_urls, plugin.config.sync_problems) == ("", [], "warn")


@pytest.mark.parametrize("options, says", [
    ("brand: [a, b]", "Expected type: <class 'str'>"),
    ("published_urls: [docs.example.com]", "must start with https://"),
    ("export_dir: no-such-folder", "isn't an existing directory"),
    ("sync_problems: loud", "Expected one of: ('warn', 'info')"),
])
def test_a_bad_option_is_a_config_error_naming_it(tmp_path, caplog, options, says):
    config_file = team_site(tmp_path, options)
    with caplog.at_level(logging.ERROR, logger="mkdocs"), pytest.raises(Abort):
        load_config(config_file=str(config_file))
    key = options.split(":")[0]
    assert any(key in r.getMessage() and says in r.getMessage() for r in caplog.records), caplog.text


def test_an_unknown_option_is_a_warning(tmp_path, caplog):
    with caplog.at_level(logging.WARNING, logger="mkdocs"):
        load_config(config_file=str(team_site(tmp_path, "colour: blue")))
    assert any("colour" in r.getMessage() for r in caplog.records)


def test_settings_in_extra_still_work_with_a_deprecation_warning(tmp_path, caplog):
    config = load_config(config_file=str(team_site(tmp_path, "", "  brand: acme\n  system_name: Acme EHR\n")))
    with caplog.at_level(logging.WARNING, logger="mkdocs"):
        plugin_of(config).on_config(config)
    settings = plugin_of(config).settings
    assert (settings.brand, settings.system_name) == ("acme", "Acme EHR")
    deprecations = [r.getMessage() for r in caplog.records if "deprecated" in r.getMessage()]
    assert len(deprecations) == 2 and "extra: brand" in " ".join(deprecations)


def test_the_plugins_options_win_over_extra(tmp_path, caplog):
    config = load_config(config_file=str(team_site(tmp_path, "brand: globex", "  brand: acme\n")))
    plugin_of(config).on_config(config)
    assert plugin_of(config).settings.brand == "globex"
    assert plugin_of(config).settings.system_name == "Team wiki"  # site_name, when no system_name is given


# --- the theme it brings --------------------------------------------------------------------

def test_a_team_site_gets_the_extension_templates_css_and_js_without_overrides(tmp_path, make_export):
    config_file = team_site(tmp_path)
    sync(make_export(EXPORT), tmp_path / "docs")
    config = load_config(config_file=str(config_file))
    plugin_of(config).on_config(config)
    assert config.markdown_extensions[0] == MARKDOWN_EXTENSION
    assert config.theme.dirs[0] == TEMPLATES_DIR and list(EXTRA_CSS) == config.extra_css[:1]
    assert build_site(config_file, strict=True) == []
    page = (tmp_path / "site" / "guides" / "export" / "index.html").read_text("utf-8")
    assert 'href="https://drive.google.com/open?id=1export"' in page  # the edit button of the plugin's actions.html
    assert (tmp_path / "site" / "assets" / "stylesheets" / "ingest.css").is_file()
    assert "assets/javascripts/activities.js" in page


def test_a_sites_custom_dir_wins_over_the_plugins_templates(tmp_path, make_export):
    config_file = team_site(tmp_path)
    text = config_file.read_text("utf-8").replace("  name: material\n", "  name: material\n  custom_dir: mine\n")
    assert "custom_dir: mine" in text
    config_file.write_text(text, "utf-8")
    (tmp_path / "mine" / "partials").mkdir(parents=True)
    (tmp_path / "mine" / "partials" / "actions.html").write_text("<p>our own actions</p>", "utf-8")
    sync(make_export(EXPORT), tmp_path / "docs")
    config = load_config(config_file=str(config_file))
    plugin_of(config).on_config(config)
    assert config.theme.dirs[:2] == [str(tmp_path / "mine"), TEMPLATES_DIR]
    build_site(config_file)
    assert "<p>our own actions</p>" in (tmp_path / "site" / "guides" / "export" / "index.html").read_text("utf-8")


# --- the synced nav and redirects ---------------------------------------------------------------

def test_on_config_loads_synced_nav_and_redirects(synced):
    config = config_for(synced)
    config = plugin_of(config).on_config(config)
    assert config["nav"][0] == {"Home": "index.md"}
    assert {"Guides": ["guides/index.md", {"Exporting": "guides/export.md"}]} in config["nav"]
    maps = config["plugins"]["redirects"].config["redirect_maps"]
    assert maps["guides/old-export.md"] == "guides/export.md"


def test_hand_written_nav_and_redirects_win(synced):
    config = config_for(synced, nav=[{"Only": "index.md"}])
    config["plugins"]["redirects"].config["redirect_maps"] = {"guides/old-export.md": "index.md"}
    config = plugin_of(config).on_config(config)
    assert config["nav"] == [{"Only": "index.md"}]
    assert config["plugins"]["redirects"].config["redirect_maps"]["guides/old-export.md"] == "index.md"


def test_on_config_without_a_sync_warns_and_changes_nothing(tmp_path, caplog):
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "index.md").write_text("# Hi\n")
    config = config_for(docs)
    with caplog.at_level(logging.WARNING, logger="mkdocs"):
        config = plugin_of(config).on_config(config)
    assert not config["nav"]
    assert any("sync" in record.getMessage() for record in caplog.records)


def test_a_disabled_plugin_leaves_the_site_alone(synced):
    config = config_for(synced)
    plugin_of(config).config.enabled = False
    config = plugin_of(config).on_config(config)
    assert not config["nav"] and MARKDOWN_EXTENSION not in config.markdown_extensions


# --- each page ----------------------------------------------------------------------------------

def markdown_of(text: str, meta: dict, settings: SiteSettings = SiteSettings(), edit_url: str | None = None):
    plugin = WikiGDrivePlugin()
    plugin.load_config({})
    plugin.settings = settings
    page = SimpleNamespace(meta=meta, edit_url=edit_url)
    return plugin.on_page_markdown(text, page, None, None), page


def test_on_page_markdown_points_edit_button_at_google_doc():
    out, page = markdown_of("Log into <!--ingest:system-name-->.", {"source": "https://drive.google.com/open?id=1e"},
                            SiteSettings(system_name="Acme EHR"))
    assert out == "Log into Acme EHR."
    assert page.edit_url == "https://drive.google.com/open?id=1e"


def test_on_page_markdown_without_source_keeps_edit_url():
    out, page = markdown_of("Plain.", {}, edit_url="https://example.com/edit")
    assert out == "Plain." and page.edit_url == "https://example.com/edit"


def test_brand_and_system_name_come_from_the_plugins_options(make_export, tmp_path):
    from helpers import build_export

    settings = SiteSettings(system_name="Globex Health", brand="globex", system_url="https://ehr.globex.example/app")
    site, warnings = build_export(make_export(EXPORT), tmp_path / "build", settings=settings)
    assert warnings == []
    home = BeautifulSoup((site / "index.html").read_text("utf-8"), "html.parser").select_one("article")
    assert "Log into Globex Health." in home.get_text()
    page = BeautifulSoup((site / "guides/export/index.html").read_text("utf-8"), "html.parser").select_one("article")
    assert "overnight" not in page.get_text()
    assert "Start." in page.get_text()
    assert page.find("a", string="Quick View")["href"] == "https://ehr.globex.example/app?func=omniscope"


def test_a_dirty_serve_rebuild_keeps_the_404_page_and_sitemap_and_updates_the_edited_page(synced):
    """`mkdocs serve --dirty` renders the site-wide pages once; a rebuild after an edit renders only the page."""
    site = synced.parent / "site"

    def rebuild(dirty: bool) -> WikiGDrivePlugin:
        config = config_for(synced)
        config.plugins.on_startup(command="serve", dirty=dirty)
        build(config, dirty=dirty)
        return plugin_of(config)

    assert rebuild(dirty=True).dirty
    stamps = {name: (site / name).stat().st_mtime_ns for name in ("404.html", "sitemap.xml")}
    page = synced / "guides" / "export.md"
    page.write_text(page.read_text("utf-8").replace("Start.", "Start here."), "utf-8")
    rebuild(dirty=True)
    assert "Start here." in (site / "guides" / "export" / "index.html").read_text("utf-8")
    assert {name: (site / name).stat().st_mtime_ns for name in stamps} == stamps
    assert not rebuild(dirty=False).dirty  # a clean build renders them again
    assert all((site / name).stat().st_mtime_ns != stamp for name, stamp in stamps.items())


def test_under_serve_the_oldest_generation_is_collected_after_each_rebuild_not_in_it(synced, monkeypatch):
    """``ingest.utils.collector``: the thresholds are as they were once a build ended or failed."""
    import gc

    thresholds = gc.get_threshold()
    config = config_for(synced)
    config.plugins.on_startup(command="serve", dirty=False)
    plugin = plugin_of(config)
    assert plugin.collection is not None
    seen = []
    monkeypatch.setattr(plugin, "_finish_build", lambda config: seen.append(gc.get_threshold()))
    try:
        build(config)
        assert seen and seen[0][2] >= 2**30  # none inside the build
        assert gc.get_threshold() == thresholds
        plugin.collection.building()
        plugin.on_build_error(RuntimeError("a failed build"))
        assert gc.get_threshold() == thresholds
    finally:
        config.plugins.on_shutdown()
        gc.set_threshold(*thresholds)
    assert plugin.collection.timer is None


def test_a_build_outside_serve_leaves_the_collector_alone(synced):
    config = config_for(synced)
    config.plugins.on_startup(command="build", dirty=False)
    assert plugin_of(config).collection is None


# --- the sync before a build ----------------------------------------------------------------------

def test_mkdocs_build_syncs_the_export_first_and_only_when_it_changed(tmp_path, make_export):
    export = make_export(EXPORT)
    config_file = team_site(tmp_path, f"export_dir: {export}")
    assert build_site(config_file, strict=True) == []
    assert "Start." in (tmp_path / "site" / "guides" / "export" / "index.html").read_text("utf-8")
    assert (tmp_path / "wikigdrive-history.json").is_file()
    manifest = tmp_path / "docs" / MANIFEST
    written = manifest.stat().st_mtime_ns
    build_site(config_file)
    assert manifest.stat().st_mtime_ns == written  # nothing changed: nothing synced
    doc = export / "guides" / "export.md"
    doc.write_text(doc.read_text("utf-8").replace("Start.", "Begin here."), "utf-8")
    build_site(config_file)
    assert "Begin here." in (tmp_path / "site" / "guides" / "export" / "index.html").read_text("utf-8")


def test_a_failed_sync_stops_mkdocs_build_and_keeps_the_last_docs_dir(tmp_path, make_export):
    export = make_export(EXPORT)
    config_file = team_site(tmp_path, f"export_dir: {export}")
    build_site(config_file)
    before = (tmp_path / "docs" / "guides" / "export.md").read_text("utf-8")
    (tmp_path / "wikigdrive-history.json").write_text("<<<<<<< HEAD\n", "utf-8")  # a merge gone wrong
    config = load_config(config_file=str(config_file))
    config.plugins.on_startup(command="build", dirty=False)
    with pytest.raises(PluginError, match=r"wikigdrive-history.json:1: a git merge left conflict markers"):
        plugin_of(config).on_config(config)
    assert (tmp_path / "docs" / "guides" / "export.md").read_text("utf-8") == before


def test_a_failed_sync_under_serve_is_logged_and_the_last_site_kept(tmp_path, make_export, caplog):
    export = make_export(EXPORT)
    config_file = team_site(tmp_path, f"export_dir: {export}")
    build_site(config_file)
    (tmp_path / "wikigdrive-history.json").write_text("{", "utf-8")
    config = load_config(config_file=str(config_file))
    config.plugins.on_startup(command="serve", dirty=False)
    with caplog.at_level(logging.ERROR, logger="mkdocs"):
        config = plugin_of(config).on_config(config)
    assert any("last good site stays served" in r.getMessage() and "not valid JSON" in r.getMessage()
               for r in caplog.records)
    assert config.nav  # the last sync's nav, from the docs_dir as it was


def test_sync_problems_are_warnings_so_a_strict_build_fails(tmp_path, make_export):
    export = make_export({**EXPORT, "guides/broken.md": ({"id": "1b", "title": "Broken"}, "[x](missing.md)\n")})
    warnings = build_site(team_site(tmp_path, f"export_dir: {export}"))
    assert any("missing.md" in message for message in warnings)
    quiet = build_site(team_site(tmp_path / "quiet", f"export_dir: {export}\nsync_problems: info"))
    assert not any("missing.md" in message for message in quiet)


def test_serve_writes_once_the_export_stops_changing(monkeypatch, tmp_path):
    """wikiGDrive writes file by file: the sync under serve writes once the export has not changed for
    ``debounce`` seconds (counted from its last change) and is as the sync read it; if it changed
    meanwhile, the sync must read it again."""
    now = 1_000 * 10**9
    looks = iter([("b", now), ("c", now), ("c", now)])  # read at "a", changed 0.2 s before; then again
    monkeypatch.setattr(autosync, "export_state", lambda *args: next(looks))
    monkeypatch.setattr(autosync.time, "time_ns", lambda: now)
    slept = []
    monkeypatch.setattr(autosync.time, "sleep", slept.append)
    export_sync = autosync.ExportSync(tmp_path, tmp_path / "docs", SiteSettings(), None, synced="old")
    assert export_sync._still(("a", now - 2 * 10**8), 0.5, deadline=float("inf")) is False
    assert slept == pytest.approx([0.3, 0.5, 0.5]) and next(looks, None) is None

    looks = iter([("a", now - 2 * 10**8)])
    slept.clear()
    assert export_sync._still(("a", now - 2 * 10**8), 0.5, deadline=float("inf")) is True
    assert slept == pytest.approx([0.3])


def test_serve_does_not_wait_for_an_export_long_still(monkeypatch, tmp_path):
    monkeypatch.setattr(autosync, "export_state", lambda *args: ("a", 0))  # changed long ago (mkdocs.yml edited)
    slept = []
    monkeypatch.setattr(autosync.time, "sleep", slept.append)
    export_sync = autosync.ExportSync(tmp_path, tmp_path / "docs", SiteSettings(), None, synced="old")
    assert export_sync._still(("a", 0), 1.0, deadline=float("inf")) is True
    assert slept == [0.0]


def test_serve_does_not_wait_when_the_export_is_as_last_synced(monkeypatch, tmp_path):
    monkeypatch.setattr(autosync, "export_state", lambda *args: ("same", 0))
    monkeypatch.setattr(autosync.time, "sleep", lambda seconds: pytest.fail("waited"))
    asked = []
    monkeypatch.setattr(autosync, "sync", lambda *args, **options: asked.append(options) or SimpleNamespace())
    export_sync = autosync.ExportSync(tmp_path, tmp_path / "docs", SiteSettings(), None, synced="same")
    monkeypatch.setattr(export_sync, "_log", lambda result: None)
    export_sync.run(serving=True, debounce=1.0)
    assert [(options["fingerprint"], options["confirm"]) for options in asked] == [("same", None)]


def _serving_sync(make_export, tmp_path) -> tuple[Path, autosync.ExportSync]:
    """An export synced once by `mkdocs serve`'s first build, so the next sync is one after an edit."""
    export = make_export(EXPORT)
    export_sync = autosync.ExportSync(export, tmp_path / "docs", SiteSettings(), None)
    export_sync.run(serving=True, debounce=0.05)
    return export, export_sync


def test_serve_reads_the_export_again_when_it_changed_while_the_sync_read_it(make_export, tmp_path, monkeypatch):
    """The sync under serve reads at once, while wikiGDrive may still be writing; it writes only what it read
    of a still export. An edit made while it read is read too, and no docs_dir in between is written."""
    export, export_sync = _serving_sync(make_export, tmp_path)
    doc = export / "guides" / "export.md"
    doc.write_text(doc.read_text("utf-8").replace("Start.", "First edit."), "utf-8")
    still = autosync.ExportSync._still
    asked = []

    def writing_meanwhile(self, seen, debounce, deadline):
        asked.append(seen)
        if len(asked) == 1:  # wikiGDrive writes again while the first read is worked out
            doc.write_text(doc.read_text("utf-8").replace("First edit.", "Second edit."), "utf-8")
        return still(self, seen, debounce, deadline)

    monkeypatch.setattr(autosync.ExportSync, "_still", writing_meanwhile)
    written = []
    monkeypatch.setattr(autosync, "sync", _spy(autosync.sync, written))
    result = export_sync.run(serving=True, debounce=0.05)
    assert len(asked) == 2 and asked[0] != asked[1]
    assert result is not None and not result.up_to_date
    page = (tmp_path / "docs" / "guides" / "export.md").read_text("utf-8")
    assert "Second edit." in page and "First edit." not in page
    assert written == ["changed", "written"]


def test_serve_does_not_report_a_failed_read_of_an_export_being_written(make_export, tmp_path, monkeypatch, caplog):
    """A sync that fails on what it read while wikiGDrive was still writing (here: every doc gone for a
    moment) is not reported: the export is read again once it is still."""
    export, export_sync = _serving_sync(make_export, tmp_path)
    hidden = tmp_path / "hidden"
    hidden.mkdir()
    for name in ("index.md", "guides.md", "guides"):
        (export / name).rename(hidden / name)
    still = autosync.ExportSync._still

    asked = []

    def back_meanwhile(self, seen, debounce, deadline):
        asked.append(seen)
        if len(asked) == 1:
            for name in ("index.md", "guides.md", "guides"):
                (hidden / name).rename(export / name)
            (export / "index.md").write_text((export / "index.md").read_text("utf-8") + "\nBack.\n", "utf-8")
        return still(self, seen, debounce, deadline)

    monkeypatch.setattr(autosync.ExportSync, "_still", back_meanwhile)
    with caplog.at_level(logging.ERROR, logger="mkdocs"):
        result = export_sync.run(serving=True, debounce=0.05)
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert len(asked) == 2  # after the failed read, and before writing what was read again
    assert result is not None and "Back." in (tmp_path / "docs" / "index.md").read_text("utf-8")


def _spy(sync_function, outcomes: list[str]):
    """``sync`` telling in ``outcomes`` how each call ended: written, or stopped since the export changed."""
    def spied(*args, **options):
        try:
            result = sync_function(*args, **options)
        except autosync.ExportChanged:
            outcomes.append("changed")
            raise
        outcomes.append("written")
        return result
    return spied


def test_paths_beside_mkdocs_yml_are_the_same_however_the_config_was_named(tmp_path, monkeypatch):
    """`mkdocs serve` loads the config first as ``mkdocs.yml``, then by its full path: the caches, the URL
    history and the sync kept in memory must be found again under the same path."""
    from ingest.mkdocs.config import beside_config, history_path

    monkeypatch.chdir(tmp_path)
    relative = beside_config(".cache/plugin/wikigdrive", "mkdocs.yml")
    assert relative == beside_config(".cache/plugin/wikigdrive", str(tmp_path / "mkdocs.yml"))
    assert relative == str(tmp_path / ".cache" / "plugin" / "wikigdrive")
    assert history_path("h.json", "mkdocs.yml") == str(tmp_path / "h.json")
    assert beside_config("/elsewhere/cache", "mkdocs.yml") == "/elsewhere/cache"


def test_a_sync_that_cannot_use_a_file_stops_the_build_naming_it(monkeypatch, tmp_path):
    def refused(*args, **options):
        raise PermissionError(13, "Permission denied", str(tmp_path / "docs" / "page.md"))

    monkeypatch.setattr(autosync, "sync", refused)
    export_sync = autosync.ExportSync(tmp_path, tmp_path / "docs", SiteSettings(), None)
    with pytest.raises(PluginError, match=r"Could not use '.*page\.md': Permission denied\. Nothing was changed"):
        export_sync.run(serving=False, debounce=1.0)
