"""Site settings (ingest/settings.py): read from mkdocs.yml, defaults that suit any export."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from ingest.__main__ import cli
from ingest.model import Document
from ingest.settings import SettingsError, SiteSettings, read_settings
from ingest.transform.shortcodes.brands import brand_problems

REPO = Path(__file__).resolve().parents[1]


def test_defaults_keep_every_block_and_every_link():
    assert SiteSettings() == SiteSettings(system_name="", system_abbr="", system_url="", brand="", published_urls=())


def test_the_shipped_mkdocs_yml_sets_no_brand():
    """A team that copies it must not lose the export's only blocks, whatever their brands."""
    assert read_settings(REPO / "mkdocs.yml").brand == ""


def test_read_from_extra_with_site_name_as_the_system_name(tmp_path):
    config = tmp_path / "mkdocs.yml"
    config.write_text("site_name: Help\nsite_url: !ENV [SITE_URL, 'http://x/']\nextra:\n  brand: wc\n"
                      "  published_urls: [https://docs.example.com]\n", "utf-8")
    settings = read_settings(config)
    assert settings == SiteSettings(system_name="Help", brand="wc", published_urls=("https://docs.example.com/",))
    assert read_settings(tmp_path / "missing.yml") == SiteSettings()


@pytest.mark.parametrize("text, says", [
    ("extra:\n  brand: [a, b]\n", "'brand' must be text"),
    ("extra:\n  published_urls: docs.example.com\n", "must start with https://"),
    ("extra: [1]\n", "'extra' must be a mapping"),
    ("site_name: 'x\n", "Could not read"),
])
def test_a_bad_setting_is_a_clear_error(tmp_path, text, says):
    config = tmp_path / "mkdocs.yml"
    config.write_text(text, "utf-8")
    with pytest.raises(SettingsError, match=says):
        read_settings(config)


def test_the_sync_names_the_bad_setting_without_a_traceback(tmp_path, make_export):
    config = tmp_path / "bad.yml"
    config.write_text("extra:\n  published_urls: [ftp://x]\n", "utf-8")
    export = make_export({"index.md": ({"id": "1home", "title": "Home"}, "Hi")})
    result = CliRunner().invoke(cli, ["sync", str(export), "--out", str(tmp_path / "docs"), "--config", str(config)])
    assert result.exit_code == 1 and "bad.yml" in result.output and "Traceback" not in result.output
    assert not (tmp_path / "docs").exists()


def only_doc(*brands: str) -> Document:
    body = "\n".join(f'{{{{% only sys="{brand}" %}}}}\nFor {brand}.\n{{{{% /only %}}}}' for brand in brands)
    return Document("a.md", {"id": "1a", "title": "A"}, body)


def test_a_brand_no_block_names_is_reported_with_the_brands_found():
    (problem,) = brand_problems([only_doc("eh", "wc"), only_doc("wc")], "acme")
    assert problem.kind == "brand-not-in-export" and "(eh, wc)" in problem.message and "all 3" in problem.message


@pytest.mark.parametrize("brand", ["", "wc", "WC"])
def test_a_brand_the_export_names_or_none_is_fine(brand):
    assert brand_problems([only_doc("eh", "wc")], brand) == []
