"""The MkDocs side (ingest/hooks.py via hooks/ingest_hooks.py): nav, redirects and markers from the sync."""

from __future__ import annotations

import logging
from pathlib import Path
from types import SimpleNamespace

import pytest
from bs4 import BeautifulSoup
from mkdocs.config import load_config

from ingest.commands.sync import sync
from ingest.mkdocs import hooks

REPO = Path(__file__).resolve().parents[1]

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


def test_on_config_loads_synced_nav_and_redirects(synced):
    config = hooks.on_config(config_for(synced))
    assert config["nav"][0] == {"Home": "index.md"}
    assert {"Guides": ["guides/index.md", {"Exporting": "guides/export.md"}]} in config["nav"]
    maps = config["plugins"]["redirects"].config["redirect_maps"]
    assert maps["guides/old-export.md"] == "guides/export.md"


def test_hand_written_nav_and_redirects_win(synced):
    config = config_for(synced, nav=[{"Only": "index.md"}])
    config["plugins"]["redirects"].config["redirect_maps"] = {"guides/old-export.md": "index.md"}
    config = hooks.on_config(config)
    assert config["nav"] == [{"Only": "index.md"}]
    assert config["plugins"]["redirects"].config["redirect_maps"]["guides/old-export.md"] == "index.md"


def test_on_config_without_a_sync_warns_and_changes_nothing(tmp_path, caplog):
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "index.md").write_text("# Hi\n")
    config = config_for(docs)
    with caplog.at_level(logging.WARNING, logger="mkdocs"):
        config = hooks.on_config(config)
    assert not config["nav"]
    assert any("sync" in record.getMessage() for record in caplog.records)


def test_on_page_markdown_points_edit_button_at_google_doc():
    page = SimpleNamespace(meta={"source": "https://drive.google.com/open?id=1export"}, edit_url=None)
    config = {"extra": {"system_name": "Acme EHR"}, "site_name": "Wiki"}
    out = hooks.on_page_markdown("Log into <!--ingest:system-name-->.", page, config)
    assert out == "Log into Acme EHR."
    assert page.edit_url == "https://drive.google.com/open?id=1export"


def test_on_page_markdown_without_source_keeps_edit_url():
    page = SimpleNamespace(meta={}, edit_url="https://example.com/edit")
    assert hooks.on_page_markdown("Plain.", page, {"extra": {}, "site_name": "W"}) == "Plain."
    assert page.edit_url == "https://example.com/edit"


@pytest.fixture
def other_brand_site(make_export, tmp_path):
    """The EXPORT built with a different brand and system name in extra:."""
    from sitebuild import build_export

    site, warnings = build_export(make_export(EXPORT), tmp_path / "build", extra={"system_name": "Globex Health", "brand": "globex",
                                                            "system_url": "https://ehr.globex.example/app"})
    return site, warnings


def test_brand_and_system_name_come_from_mkdocs_yml(other_brand_site):
    site, warnings = other_brand_site
    assert warnings == []
    home = BeautifulSoup((site / "index.html").read_text("utf-8"), "html.parser").select_one("article")
    assert "Log into Globex Health." in home.get_text()
    page = BeautifulSoup((site / "guides/export/index.html").read_text("utf-8"), "html.parser").select_one("article")
    assert "overnight" not in page.get_text()
    assert "Start." in page.get_text()
    assert page.find("a", string="Quick View")["href"] == "https://ehr.globex.example/app?func=omniscope"


def test_a_dirty_serve_rebuild_keeps_the_404_page_and_sitemap_and_updates_the_edited_page(synced, monkeypatch):
    """`mkdocs serve --dirty` renders the site-wide pages once; a rebuild after an edit renders only the page."""
    from mkdocs.commands.build import build

    monkeypatch.setattr(hooks, "dirty_serve", False)
    monkeypatch.setattr(hooks, "serving", False)
    site = synced.parent / "site"

    def rebuild(dirty: bool) -> None:
        config = config_for(synced)
        config.plugins.on_startup(command="serve", dirty=dirty)
        build(config, dirty=dirty)

    rebuild(dirty=True)
    assert hooks.dirty_serve
    stamps = {name: (site / name).stat().st_mtime_ns for name in ("404.html", "sitemap.xml")}
    page = synced / "guides" / "export.md"
    page.write_text(page.read_text("utf-8").replace("Start.", "Start here."), "utf-8")
    rebuild(dirty=True)
    assert "Start here." in (site / "guides" / "export" / "index.html").read_text("utf-8")
    assert {name: (site / name).stat().st_mtime_ns for name in stamps} == stamps
    rebuild(dirty=False)  # a clean build renders them again
    assert not hooks.dirty_serve
    assert all((site / name).stat().st_mtime_ns != stamp for name, stamp in stamps.items())
