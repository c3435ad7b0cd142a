"""MkDocs' listing of the docs_dir's and the theme's files, made quicker, lists the same files in the same order."""

from __future__ import annotations

import os
from pathlib import PurePath

import jinja2
import mkdocs
import pytest
from hypothesis import given
from hypothesis import strategies as st
from mkdocs.config import load_config
from mkdocs.structure.files import File, Files, get_files

from ingest.mkdocs.listing import DocumentationPages, FilesListing, list_visible_templates, posix_path
from ingest.mkdocs.plugin import TEMPLATES_DIR

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))


def _hidden(path: str) -> bool:
    return any(part.startswith(".") for part in path.split("/"))


def test_the_listing_is_jinjas_but_the_hidden_paths(tmp_path):
    theme, extra = tmp_path / "theme", tmp_path / "extra"
    for rel in ["main.html", "README.md", "assets/app.js", "assets/.cache/x.js", ".icons/a/b.svg", ".hidden.css",
                "assets/.dotfile", "deep/er/style.css", "deep/.er/style.css"]:
        (theme / rel).parent.mkdir(parents=True, exist_ok=True)
        (theme / rel).write_text("x")
    (extra / "assets").mkdir(parents=True)
    (extra / "assets" / "app.js").write_text("override")  # listed once
    (extra / "only-here.png").write_text("png")
    (theme / "linked-folder").symlink_to(extra / "assets")  # not walked, as Jinja does not follow links
    (theme / "linked.css").symlink_to(extra / "only-here.png")
    searchpath = [str(theme), str(extra)]
    expected = [name for name in jinja2.FileSystemLoader(searchpath).list_templates() if not _hidden(name)]
    assert list_visible_templates(searchpath) == expected
    assert "linked.css" in expected and "deep/er/style.css" in expected and "assets/app.js" in expected


def _theme_files(config) -> list[tuple[str, str]]:
    files = Files([])
    files.add_files_from_theme(config.theme.get_env(), config)
    return [(file.src_uri, file.abs_src_path) for file in files]


def test_the_files_added_are_mkdocs_own_for_materials_theme_and_ours(tmp_path):
    (tmp_path / "docs").mkdir()
    config_file = tmp_path / "mkdocs.yml"
    config_file.write_text(f"site_name: T\ntheme:\n  name: material\n  custom_dir: {os.path.join(REPO, 'overrides')}\n")
    config = load_config(str(config_file))
    config.theme.dirs.insert(1, TEMPLATES_DIR)  # as the plugin adds its templates
    own = _theme_files(config)
    listing = FilesListing()
    listing.install()
    try:
        listed = _theme_files(config)
    finally:
        listing.remove()
    assert listed == own
    assert len(own) > 20 and not any(_hidden(src) for src, _ in own)
    assert any(src.startswith("assets/javascripts/") for src, _ in own)


def test_install_and_remove_put_mkdocs_own_methods_back():
    own = (File.__dict__["src_path"], Files.add_files_from_theme)
    listing = FilesListing()
    listing.install()
    listing.install()  # once only
    assert File.__dict__["src_path"] is not own[0] and Files.add_files_from_theme is not own[1]
    assert File("./a//b.md", "/docs", "/site", True).src_uri == "a/b.md"
    listing.remove()
    listing.remove()
    assert (File.__dict__["src_path"], Files.add_files_from_theme) == own


def test_another_mkdocs_version_lists_the_files_itself(monkeypatch):
    monkeypatch.setattr(mkdocs, "__version__", "1.7.0")
    own = (File.__dict__["src_path"], Files.add_files_from_theme)
    listing = FilesListing()
    listing.install()
    assert (File.__dict__["src_path"], Files.add_files_from_theme) == own


@given(st.text(alphabet="./ab\\ é\x00", max_size=12))
def test_a_path_is_made_posix_as_purepath_makes_it(value):
    assert posix_path(value) == PurePath(value).as_posix()


def test_a_path_that_is_not_a_string_is_made_posix_by_purepath():
    assert posix_path(PurePath("a/./b")) == "a/b"


def test_the_docs_dir_is_listed_as_mkdocs_lists_it(tmp_path):
    docs = tmp_path / "docs"
    for rel in ["index.md", "README.md", "a/README.md", "a/index.md", "a/b/c.md", "a/b/.hidden.md", ".git/x",
                "templates/t.html", "img.png", "z/README.md", "z/deep/x.assets/p.png"]:
        (docs / rel).parent.mkdir(parents=True, exist_ok=True)
        (docs / rel).write_text("x")
    (docs / "linked").symlink_to(docs / "a" / "b")  # MkDocs follows links into folders
    config_file = tmp_path / "mkdocs.yml"
    config_file.write_text("site_name: T\nnot_in_nav: |\n  z/\ndraft_docs: |\n  a/b/\n")
    config = load_config(str(config_file))

    def listed():
        return [(f.src_uri, f.dest_uri, f.url, f.inclusion, f.abs_src_path) for f in get_files(config)]

    own = listed()
    listing = FilesListing()
    listing.install()
    try:
        quicker = listed()
    finally:
        listing.remove()
    assert quicker == own and len(own) > 8


def test_another_loader_is_asked_itself():
    asked = []

    class Env:
        loader = jinja2.DictLoader({"a.css": "x", ".b/c.css": "y"})

        def list_templates(self, extensions=None, filter_func=None):
            asked.append(filter_func)
            return []

    class Theme:
        static_templates = ()
        dirs = ()

    class Config:
        theme = Theme

    listing = FilesListing()
    listing.install()
    try:
        Files([]).add_files_from_theme(Env(), Config())
    finally:
        listing.remove()
    assert len(asked) == 1 and asked[0] is not None


@pytest.mark.parametrize("name", ["x.html", ".x.css", "a/.b/c.js", "README.md", "assets/app.js"])
def test_hidden_paths_are_what_mkdocs_filter_drops(name):
    """The premise: MkDocs' patterns ``.*`` and ``*/.*`` drop exactly the paths with a part that starts with a dot
    (of the others, only its own patterns decide)."""
    import fnmatch

    dropped_as_hidden = fnmatch.fnmatch(name.lower(), ".*") or fnmatch.fnmatch(name.lower(), "*/.*")
    assert dropped_as_hidden == _hidden(name)


def _docs_files(tmp_path) -> tuple[Files, object]:
    docs = tmp_path / "docs"
    for rel in ["index.md", "a/b.md", "a/b.assets/p.png", "c.markdown", "draft.md", "hidden/x.md", "s.css"]:
        (docs / rel).parent.mkdir(parents=True, exist_ok=True)
        (docs / rel).write_text("x")
    config_file = tmp_path / "mkdocs.yml"
    config_file.write_text("site_name: T\ndraft_docs: draft.md\nexclude_docs: hidden/\n")
    config = load_config(str(config_file))
    return get_files(config), config


def _answers(files: Files) -> list[list[File]]:
    from mkdocs.structure.files import InclusionLevel

    return [files.documentation_pages(), files.documentation_pages(inclusion=InclusionLevel.all),
            files.documentation_pages(inclusion=InclusionLevel.is_in_serve)]


def test_the_pages_kept_are_mkdocs_answer_as_the_files_change(tmp_path):
    from mkdocs.structure.files import InclusionLevel

    files, config = _docs_files(tmp_path)
    memo = DocumentationPages()

    def both() -> tuple[list[list[File]], list[list[File]]]:
        own = _answers(files)
        memo.install()
        try:
            kept = [_answers(files), _answers(files)]  # the second from what the first kept
        finally:
            memo.remove()
        return own, kept

    def check() -> None:
        own, kept = both()
        for answer in kept:
            assert [[id(file) for file in pages] for pages in answer] == [[id(file) for file in pages] for pages in own]

    check()
    assert sorted(file.src_uri for file in files.documentation_pages(inclusion=InclusionLevel.all)) == [
        "a/b.md", "c.markdown", "draft.md", "hidden/x.md", "index.md"]
    memo.install()
    try:
        _answers(files)  # kept, then each change below is seen
        files.append(File("new.md", config.docs_dir, config.site_dir, True))
        assert "new.md" in [file.src_uri for file in files.documentation_pages()]
        old = files.get_file_from_path("a/b.md")
        files.remove(old)
        assert "a/b.md" not in [file.src_uri for file in files.documentation_pages()]
        replacement = File("a/b.md", config.docs_dir, config.site_dir, True)
        files.append(replacement)
        assert any(file is replacement for file in files.documentation_pages())
        files.remove(replacement)
        files.append(File("a/b.md", config.docs_dir, config.site_dir, True))  # equal to it, but another object
        assert not any(file is replacement for file in files.documentation_pages())
        files.get_file_from_path("index.md").inclusion = InclusionLevel.EXCLUDED
        assert "index.md" not in [file.src_uri for file in files.documentation_pages()]
    finally:
        memo.remove()
    check()


def test_the_kept_pages_are_in_place_from_install_to_remove_only_with_mkdocs_161(monkeypatch):
    own = Files.documentation_pages
    memo, other = DocumentationPages(), DocumentationPages()
    memo.install()
    memo.install()
    other.install()  # another build's plugin, while this one's is in place: left alone
    assert Files.documentation_pages is not own and other.original is None
    other.remove()
    assert Files.documentation_pages is not own
    memo.remove()
    assert Files.documentation_pages is own
    monkeypatch.setattr(mkdocs, "__version__", "1.7.0")
    memo.install()
    assert Files.documentation_pages is own
