"""Site settings (ingest/settings.py): read from mkdocs.yml, defaults that suit any export."""

from __future__ import annotations

import re

import pytest
from click.testing import CliRunner
from helpers import REPO

from ingest.__main__ import cli
from ingest import settings
from ingest.model import Document
from ingest.settings import SettingsError, SiteConfig, SiteSettings, read_site_config
from ingest.transform.shortcodes.brands import brand_problems


def test_defaults_keep_every_block_and_every_link():
    assert SiteSettings() == SiteSettings(system_name="", system_abbr="", system_url="", brand="", published_urls=())


def test_the_shipped_mkdocs_yml_sets_no_brand():
    """A team that copies it must not lose the export's only blocks, whatever their brands."""
    site = read_site_config(REPO / "mkdocs.yml")
    assert site.settings.brand == "" and site.deprecations == ()
    assert site.docs_dir == REPO / "docs_src" and site.history_file == REPO / "wikigdrive-history.json"


def test_read_from_the_plugins_options_with_site_name_as_the_system_name(tmp_path):
    (tmp_path / "export").mkdir()
    config = tmp_path / "mkdocs.yml"
    config.write_text("site_name: Help\nsite_url: !ENV [SITE_URL, 'http://x/']\ndocs_dir: pages\nplugins:\n"
                      "  - search\n  - wikigdrive:\n      export_dir: export\n      brand: wc\n"
                      "      history_file: state/urls.json\n"
                      "      published_urls: [https://docs.example.com]\n", "utf-8")
    site = read_site_config(config)
    assert site == SiteConfig(SiteSettings(system_name="Help", brand="wc", published_urls=("https://docs.example.com/",)),
                              tmp_path / "pages", tmp_path / "export", tmp_path / "state" / "urls.json")
    assert read_site_config(tmp_path / "missing.yml") == SiteConfig()


def test_settings_in_extra_are_read_with_a_deprecation(tmp_path):
    config = tmp_path / "mkdocs.yml"
    config.write_text("site_name: Help\nplugins: [wikigdrive]\nextra:\n  brand: wc\n", "utf-8")
    site = read_site_config(config)
    assert site.settings.brand == "wc"
    (message,) = site.deprecations
    assert "'extra: brand' is deprecated" in message and "plugins: - wikigdrive: brand:" in message


def test_the_cli_warns_about_extra_and_takes_the_export_from_the_plugin(tmp_path, make_export):
    export = make_export({"index.md": ({"id": "1home", "title": "Home"}, "Hi")})
    config = tmp_path / "mkdocs.yml"
    config.write_text(f"site_name: Help\ndocs_dir: docs\nplugins:\n  - wikigdrive:\n      export_dir: {export}\n"
                      "extra:\n  brand: wc\n", "utf-8")
    result = CliRunner().invoke(cli, ["sync", "--config", str(config), "-q"])
    assert result.exit_code == 0, result.output
    assert "Warning: " in result.output and "'extra: brand' is deprecated" in result.output
    assert (tmp_path / "docs" / "index.md").is_file() and (tmp_path / "wikigdrive-history.json").is_file()


def test_without_an_export_anywhere_the_cli_says_where_to_give_one(tmp_path):
    config = tmp_path / "mkdocs.yml"
    config.write_text("site_name: Help\n", "utf-8")
    result = CliRunner().invoke(cli, ["sync", "--config", str(config)])
    assert result.exit_code == 2 and "Give EXPORT_DIR" in result.output and "export_dir" in result.output


@pytest.mark.parametrize("text, says", [
    ("extra:\n  brand: [a, b]\n", "'brand' must be text"),
    ("extra:\n  published_urls: docs.example.com\n", "must start with https://"),
    ("extra: [1]\n", "'extra' must be a mapping"),
    ("site_name: 'x\n", "Could not read"),
    ("plugins:\n  - wikigdrive:\n      brand: [a]\n", "option 'brand': Expected type"),
    ("plugins:\n  - wikigdrive:\n      export_dir: nowhere\n", "option 'export_dir'"),
    ("plugins:\n  - wikigdrive:\n      published_urls: [ftp://x]\n", "must start with https://"),
    ("plugins:\n  - wikigdrive: [1]\n", "options must be a mapping"),
])
def test_a_bad_setting_is_a_clear_error(tmp_path, text, says):
    config = tmp_path / "mkdocs.yml"
    config.write_text(text, "utf-8")
    with pytest.raises(SettingsError, match=re.escape(says)):
        read_site_config(config)


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


def _site_with_export(tmp_path, extra_options: str = "") -> tuple:
    (tmp_path / "export").mkdir(exist_ok=True)
    config = tmp_path / "mkdocs.yml"
    config.write_text("site_name: Help\nplugins:\n  - wikigdrive:\n      export_dir: export\n      brand: wc\n"
                      + extra_options, "utf-8")
    return config, tmp_path / ".cache" / "plugin" / "wikigdrive" / "site-config.pickle"


def test_the_command_line_remembers_what_it_read_of_mkdocs_yml(tmp_path, monkeypatch):
    config, kept = _site_with_export(tmp_path)
    site = settings.remembered_site_config(config)
    assert site == read_site_config(config) and kept.is_file()

    def not_again(config_file):
        raise AssertionError("read again")

    monkeypatch.setattr(settings, "_read_site_config", not_again)
    assert settings.remembered_site_config(config) == site


def test_a_changed_file_is_read_again(tmp_path):
    config, kept = _site_with_export(tmp_path)
    assert settings.remembered_site_config(config).settings.brand == "wc"
    config.write_text(config.read_text("utf-8").replace("brand: wc", "brand: ent"), "utf-8")
    assert settings.remembered_site_config(config).settings.brand == "ent"


def test_an_export_folder_gone_is_checked_again_and_named(tmp_path):
    config, kept = _site_with_export(tmp_path)
    settings.remembered_site_config(config)
    (tmp_path / "export").rmdir()
    with pytest.raises(SettingsError, match="export_dir"):
        settings.remembered_site_config(config)


@pytest.mark.parametrize("extra", ["      cache_dir: elsewhere\n", "      cache: false\n"])
def test_nothing_is_kept_where_the_plugins_cache_is_elsewhere_or_off(tmp_path, extra):
    config, kept = _site_with_export(tmp_path, extra)
    assert settings.remembered_site_config(config) == read_site_config(config)
    assert not kept.exists()


def test_the_environment_an_env_tag_reads_is_part_of_what_is_remembered(tmp_path, monkeypatch):
    config, kept = _site_with_export(tmp_path, "      system_name: !ENV [SYSTEM, OTHER, 'Acme']\n")
    monkeypatch.setenv("SYSTEM", "First")
    assert settings.remembered_site_config(config).settings.system_name == "First"
    monkeypatch.setenv("SYSTEM", "Second")
    assert settings.remembered_site_config(config).settings.system_name == "Second"
    monkeypatch.delenv("SYSTEM")
    monkeypatch.setenv("OTHER", "Third")
    assert settings.remembered_site_config(config).settings.system_name == "Third"
    monkeypatch.delenv("OTHER")
    assert settings.remembered_site_config(config).settings.system_name == "Acme"
    assert kept.is_file()


@pytest.mark.parametrize("text", ["      system_name: !ENV\n        - SYSTEM\n",
                                  "      system_name: !ENV [SYSTEM,\n        'Acme']\n"])
def test_an_env_tag_over_several_lines_is_read_every_time(tmp_path, monkeypatch, text):
    config, kept = _site_with_export(tmp_path, text)
    monkeypatch.setenv("SYSTEM", "First")
    assert settings.remembered_site_config(config).settings.system_name == "First"
    monkeypatch.setenv("SYSTEM", "Second")
    assert settings.remembered_site_config(config).settings.system_name == "Second"
    assert not kept.exists()


def test_the_shipped_mkdocs_yml_is_remembered_with_its_env_tags(tmp_path, monkeypatch):
    """The config teams copy reads SITE_URL, WIKIGDRIVE_EXPORT and WIKIGDRIVE_CACHE_DIR from the environment."""
    config = tmp_path / "mkdocs.yml"
    config.write_bytes((REPO / "mkdocs.yml").read_bytes())
    (tmp_path / "overrides").mkdir()
    monkeypatch.delenv("WIKIGDRIVE_CACHE_DIR", raising=False)
    monkeypatch.delenv("WIKIGDRIVE_EXPORT", raising=False)
    site = settings.remembered_site_config(config)
    assert site == read_site_config(config)
    assert (tmp_path / ".cache" / "plugin" / "wikigdrive" / "site-config.pickle").is_file()


def test_a_damaged_kept_file_costs_only_time(tmp_path):
    config, kept = _site_with_export(tmp_path)
    kept.parent.mkdir(parents=True)
    kept.write_bytes(b"not a pickle")
    assert settings.remembered_site_config(config) == read_site_config(config)
    assert settings.remembered_site_config(tmp_path / "missing.yml") == SiteConfig()
