"""Images and attachments go into the site as hard links to the docs_dir's files; copies where links cannot be made."""

from __future__ import annotations

import os

from hypothesis import given
from hypothesis import strategies as st
from mkdocs.structure.files import File as MkDocsFile

from ingest.mkdocs import staticfiles
from ingest.mkdocs.staticfiles import link_or_copy


def test_a_file_is_linked_and_a_later_replacement_of_the_source_leaves_the_site_alone(tmp_path):
    source, target = tmp_path / "docs" / "a.png", tmp_path / "site" / "img" / "a.png"
    source.parent.mkdir()
    source.write_bytes(b"old")
    link_or_copy(str(source), str(target))
    assert os.path.samefile(source, target)
    link_or_copy(str(source), str(target))  # already the same file: nothing to do
    assert target.read_bytes() == b"old"
    replacement = tmp_path / "docs" / "a.png.new"  # the sync replaces files, it never writes into one
    replacement.write_bytes(b"new")
    os.replace(replacement, source)
    assert target.read_bytes() == b"old"
    link_or_copy(str(source), str(target))
    assert target.read_bytes() == b"new" and os.path.samefile(source, target)


def test_where_links_cannot_be_made_the_file_is_copied(tmp_path, monkeypatch):
    def no_links(*args):
        raise OSError(18, "Invalid cross-device link")

    monkeypatch.setattr(staticfiles.os, "link", no_links)
    source, target = tmp_path / "a.csv", tmp_path / "site" / "a.csv"
    source.write_bytes(b"x,y\n")
    target.parent.mkdir()
    target.write_bytes(b"stale")
    link_or_copy(str(source), str(target))
    assert target.read_bytes() == b"x,y\n" and not os.path.samefile(source, target)


def test_only_the_docs_dirs_files_are_linked(tmp_path):
    class File:
        def __init__(self, path, page=False, content=None):
            self.abs_src_path, self._page, self._content = path, page, content
            self.abs_dest_path = "/site/" + os.path.basename(path)
            self.copy_file = None

        def is_documentation_page(self):
            return self._page

    docs = tmp_path / "docs"
    image, page = File(str(docs / "a.png")), File(str(docs / "a.md"), page=True)
    theme, generated = File("/usr/lib/theme/assets/app.js"), File(str(docs / "x.js"), content="js")
    assert staticfiles.link_static_files([image, page, theme, generated], str(docs)) == ["/site/a.png"]
    assert image.copy_file is not None and page.copy_file is theme.copy_file is generated.copy_file is None


@given(st.text(alphabet="./ab\\é", max_size=10), st.sampled_from(["/site", "/", "/a/b", "/a/./b", "/a/", "rel", "/a/../b"]))
def test_a_files_paths_are_mkdocs_own(uri, folder):
    def file() -> MkDocsFile:
        made = MkDocsFile("x.png", folder, folder, True)
        made.src_uri = made.dest_uri = uri
        return made

    (source, normal), (target, _) = (staticfiles._path(file(), "abs_src_path", "src_dir", "src_uri", {}),
                                     staticfiles._path(file(), "abs_dest_path", "dest_dir", "dest_uri", {}))
    assert (source, target) == (file().abs_src_path, file().abs_dest_path)
    assert not normal or source == os.path.abspath(source)


def test_a_path_a_plugin_set_is_taken_as_it_is():
    file = MkDocsFile("a/b.png", "/docs", "/site", True)
    file.abs_src_path = "/elsewhere/b.png"
    assert staticfiles._path(file, "abs_src_path", "src_dir", "src_uri", {}) == ("/elsewhere/b.png", False)
    assert staticfiles._path(file, "abs_dest_path", "dest_dir", "dest_uri", {}) == ("/site/a/b.png", True)


def test_the_docs_dirs_images_of_a_real_listing_are_linked_to_mkdocs_own_paths(tmp_path):
    docs, site = tmp_path / "docs", tmp_path / "site"
    for rel in ["index.md", "a/b.png", "a/.c/d.png", "e f/ü.svg"]:
        (docs / rel).parent.mkdir(parents=True, exist_ok=True)
        (docs / rel).write_bytes(b"x")
    files = [MkDocsFile(rel, str(docs), str(site), True) for rel in ["index.md", "a/b.png", "a/.c/d.png", "e f/ü.svg"]]
    linked = []
    targets = staticfiles.link_static_files(files, str(docs), linked.append)
    assert targets == [file.abs_dest_path for file in files[1:]]
    for file in files[1:]:
        file.copy_file()
        assert os.path.samefile(file.abs_src_path, file.abs_dest_path)
    assert linked == targets
