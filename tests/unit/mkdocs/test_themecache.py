"""The theme cache's parts, on small objects: what counts as plain data, the page and site keys, the
template folders' digest, and entries kept, reused and removed."""

from __future__ import annotations

import datetime

import pytest
from mkdocs.structure.files import File
from mkdocs.structure.nav import Link
from mkdocs.structure.pages import Page
from mkdocs.structure.toc import get_toc

from ingest.mkdocs.keys import plain
from ingest.mkdocs.store import EntryStore
from ingest.mkdocs.themecache import ThemeCache, page_key, templates_digest


def make_page(content: str = "<p>Body</p>", title: str = "Guide", meta: dict | None = None) -> Page:
    file = File("guide.md", "/docs", "/site", use_directory_urls=True)
    page = Page(title, file, {"use_directory_urls": True, "docs_dir": "/docs", "site_url": None,
                              "repo_url": None, "edit_uri": None, "edit_uri_template": None})
    page.content = content
    page.meta = dict(meta or {"title": title})
    page.toc = get_toc([{"level": 2, "id": "a", "name": "A", "children": []}])
    return page


def context(page: Page, **extra) -> dict:
    return {"page": page, "config": {}, "nav": None, "base_url": "..", **extra}


def test_plain_data_is_walked_and_other_objects_are_refused():
    when = datetime.date(2023, 5, 1)
    assert plain({"b": [1, (2, 3)], "a": {"x", "y"}, "d": when}) == {"a": ["x", "y"], "b": [1, [2, 3]],
                                                                       "d": "2023-05-01"}
    assert plain(Link("Tag", "tags/#x")) == {"link": ["Tag", "tags/#x"]}
    with pytest.raises(TypeError):
        plain(object())


def test_the_page_key_follows_everything_the_templates_read_of_a_page():
    key = page_key("site", "main.html", context(make_page()))
    assert key == page_key("site", "main.html", context(make_page()))
    others = [page_key("other site", "main.html", context(make_page())),
              page_key("site", "blog.html", context(make_page())),
              page_key("site", "main.html", context(make_page(content="<p>Edited</p>"))),
              page_key("site", "main.html", context(make_page(title="Renamed"))),
              page_key("site", "main.html", context(make_page(meta={"title": "Guide", "hide": ["toc"]}))),
              page_key("site", "main.html", context(make_page(), extra_entry=["x"]))]
    assert key not in others and len(set(others)) == len(others)


def test_a_page_with_an_unknown_attribute_or_context_entry_has_no_key():
    page = make_page()
    page.typeset = {"title": "Guide"}
    assert page_key("site", "main.html", context(page)) is None
    assert page_key("site", "main.html", context(make_page(), tags=[object()])) is None


def test_template_folders_are_hashed_by_content_and_installed_ones_by_path(tmp_path):
    custom, installed = tmp_path / "overrides", tmp_path / "site-packages" / "material"
    (custom / "partials").mkdir(parents=True)
    installed.mkdir(parents=True)
    (custom / "partials" / "footer.html").write_text("<footer>A</footer>", "utf-8")
    (installed / "base.html").write_text("base", "utf-8")
    first = templates_digest([str(custom), str(installed)], [installed])
    (installed / "base.html").write_text("changed: the package's version says so", "utf-8")
    assert templates_digest([str(custom), str(installed)], [installed]) == first
    (custom / "partials" / "footer.html").write_text("<footer>B</footer>", "utf-8")
    assert templates_digest([str(custom), str(installed)], [installed]) != first


def test_a_template_folder_is_keyed_by_its_files_not_by_how_its_path_is_written(tmp_path, monkeypatch):
    """`mkdocs build` finds mkdocs.yml by its full path, `mkdocs build -f mkdocs.yml` by a relative one."""
    custom = tmp_path / "overrides"
    custom.mkdir()
    (custom / "main.html").write_text("{% extends 'base.html' %}", "utf-8")
    monkeypatch.chdir(tmp_path)
    assert templates_digest(["overrides"], []) == templates_digest([str(custom)], [])
    moved = tmp_path / "elsewhere"
    custom.rename(moved)
    assert templates_digest([str(moved)], []) == templates_digest(["elsewhere"], [])
    assert templates_digest([str(moved), str(moved)], []) != templates_digest([str(moved)], [])


class Template:
    name = "main.html"

    def __init__(self) -> None:
        self.calls = 0

    def render(self, context: dict) -> str:
        self.calls += 1
        return f"<html>{context['page'].content}</html>"


def test_an_entry_is_reused_by_a_later_build_and_removed_once_no_page_uses_it(tmp_path):
    template = Template()
    cache = ThemeCache(tmp_path / "pages.sqlite3")
    cache.site = "site"
    assert cache.render(template, context(make_page())) == "<html><p>Body</p></html>"
    assert cache.post_processed(make_page(), "<html><p>Body</p></html>", str.upper) == "<HTML><P>BODY</P></HTML>"
    cache.finish(keep_unused=False)
    later = ThemeCache(tmp_path / "pages.sqlite3")
    later.site = "site"
    assert later.render(template, context(make_page())) == "<html><p>Body</p></html>"
    assert later.post_processed(make_page(), "<html><p>Body</p></html>", lambda html: "not called") \
        == "<HTML><P>BODY</P></HTML>"
    assert template.calls == 1 and later.stats.reused == 1
    edited = ThemeCache(tmp_path / "pages.sqlite3")
    edited.site = "site"
    edited.render(template, context(make_page(content="<p>Edited</p>")))
    edited.finish(keep_unused=True)  # a dirty build keeps what it did not see
    assert len(EntryStore(tmp_path / "pages.sqlite3").names()) == 3
    edited.finish(keep_unused=False)
    assert len(EntryStore(tmp_path / "pages.sqlite3").names()) == 1


def test_the_theme_and_plugin_options_are_keyed_by_their_values(tmp_path):
    import functools

    from mkdocs.config import load_config

    from ingest.mkdocs.themecache import config_part

    (tmp_path / "docs").mkdir()
    config_file = tmp_path / "mkdocs.yml"
    config_file.write_text("site_name: T\ntheme: {name: material, palette: {primary: indigo}}\n", "utf-8")
    config = load_config(config_file=str(config_file))
    first = config_part(config)
    config.theme["palette"] = {"primary": "teal"}
    assert config_part(config) != first  # the theme as its settings, not as "a Theme"
    assert plain(functools.partial(max, 1)) == {"partial": "builtins.max", "args": [1], "keywords": {}}


def test_the_site_digest_follows_every_pages_front_matter_through_its_key(tmp_path):
    """With the front matter keyed by ``IncrementalBuild.meta_key_of`` (as the plugin does), the digest changes
    with any page's front matter, changed in place or replaced, and stays for an equal one."""
    from mkdocs.config import load_config
    from mkdocs.structure.files import Files
    from mkdocs.structure.nav import get_navigation

    from ingest.mkdocs.incremental import IncrementalBuild
    from ingest.mkdocs.themecache import site_digest

    docs = tmp_path / "docs"
    docs.mkdir()
    config_file = tmp_path / "mkdocs.yml"
    config_file.write_text("site_name: T\ntheme: {name: material}\n", "utf-8")
    config = load_config(config_file=str(config_file))
    files = Files([File(name, str(docs), str(tmp_path / "site"), True) for name in ("index.md", "a.md")])
    nav = get_navigation(files, config)
    env = config.theme.get_env()
    pages = [file.page for file in files.documentation_pages()]
    for page in pages:
        page.meta = {"title": page.file.src_uri, "tags": ["x"]}
    keys = IncrementalBuild(None)

    def digests() -> tuple[str, str]:
        return (site_digest(config, nav, files, env, versions={}, meta_key=keys.meta_key_of),
                site_digest(config, nav, files, env, versions={}))

    first = digests()
    pages[1].meta["tags"].append("y")  # changed in place after it was keyed
    second = digests()
    assert second[0] != first[0] and second[1] != first[1]
    pages[1].meta = {"title": "a.md", "tags": ["x", "y"]}  # another dict, the same front matter
    assert digests() == second
    pages[1].meta = {"title": "a.md", "tags": ["x"]}
    assert digests() == first
