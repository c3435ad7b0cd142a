"""What a build's pages resolve their links against (ingest/mkdocs/incremental.py ``files_digest``): any change
to where a file is or goes makes the pages again, and a URL nothing asked for is not made to hash it."""

from __future__ import annotations

from types import SimpleNamespace

from mkdocs.structure.files import File, Files

from ingest.mkdocs.incremental import IncrementalBuild, files_digest, meta_key


def files(use_directory_urls: bool = True, image: str = "a.assets/x.png") -> Files:
    return Files([File(path, "/docs", "/site", use_directory_urls) for path in ("index.md", "a.md", image)])


def test_the_same_files_hash_the_same() -> None:
    assert files_digest(files()) == files_digest(files())


def test_a_file_that_moves_changes_the_digest() -> None:
    assert files_digest(files()) != files_digest(files(image="a.assets/y.png"))


def test_another_url_style_changes_the_digest_of_files_whose_url_is_not_made_yet() -> None:
    assert files_digest(files(True)) != files_digest(files(False))


def test_a_url_set_by_a_plugin_changes_the_digest() -> None:
    moved = files()
    moved.get_file_from_path("a.assets/x.png").url = "elsewhere/x.png"
    assert files_digest(moved) != files_digest(files())


def test_hashing_makes_no_url() -> None:
    built = files()
    files_digest(built)
    assert all("url" not in vars(file) for file in built)
    assert [file.url for file in built] == ["./", "a/", "a.assets/x.png"]  # MkDocs makes them as before


def test_a_pages_front_matter_is_keyed_as_it_is_when_asked_again() -> None:
    build = IncrementalBuild(None)
    build.begin("/site")
    page = SimpleNamespace(file=SimpleNamespace(src_uri="a.md"), meta={"title": "A", "tags": ["x"]})
    build.deferrable(page, "key")
    assert build.meta_keys["a.md"] == meta_key({"title": "A", "tags": ["x"]})
    page.meta["tags"].append("y")  # changed in place after it was keyed: keyed again
    build.deferrable(page, "key")
    assert build.meta_keys["a.md"] == meta_key({"title": "A", "tags": ["x", "y"]})
    page.meta = {"title": "A", "tags": ["x", "y"]}  # another dict, the same front matter
    build.deferrable(page, "key")
    assert build.meta_keys["a.md"] == meta_key({"title": "A", "tags": ["x", "y"]})
    page.meta = {"title": "B", "tags": ["x", "y"]}
    build.deferrable(page, "key")
    assert build.meta_keys["a.md"] == meta_key(page.meta)
