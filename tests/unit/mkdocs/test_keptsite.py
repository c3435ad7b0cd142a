"""The site kept from one build to the next (``ingest.mkdocs.keptsite``), on small folders.

A build here is what the plugin does around MkDocs: ``set_aside`` (before MkDocs' clean), MkDocs'
clean itself (``clean_directory``), ``restore``, the build's links and writes, ``finish``.
The last build's files are dated a minute back, as they are when a build starts.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

from mkdocs.utils import clean_directory

from ingest.mkdocs.keptsite import ASIDE, KeptSite

PLUGINS = ("search", "wikigdrive")


def old_site(site: Path, files: dict[str, str]) -> None:
    """The last build's files, dated a minute ago."""
    past = time.time() - 60
    for rel, text in files.items():
        path = site / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, "utf-8")
    for path in sorted(site.rglob("*"), reverse=True):
        os.utime(path, (past, past))


def tree(site: Path) -> dict[str, str]:
    """Every file (with its text) and folder (``/`` after the name) under ``site``."""
    return {p.relative_to(site).as_posix() + ("/" if p.is_dir() else ""): "" if p.is_dir() else p.read_text("utf-8")
            for p in sorted(site.rglob("*"))}


def kept_after_one_build(tmp_path: Path, links: tuple[str, ...] = ()) -> tuple[KeptSite, Path]:
    """A KeptSite whose last build (an empty site's) recorded ``links``, and its site folder."""
    site = tmp_path / "site"
    site.mkdir(exist_ok=True)
    kept = KeptSite(tmp_path / "site.json")
    kept.set_aside(str(site), PLUGINS)
    kept.restore()
    for rel in links:
        kept.linked(str(site / rel))
    kept.finish()
    return kept, site


def test_without_a_record_of_the_last_build_mkdocs_cleans_as_usual(tmp_path):
    site = tmp_path / "site"
    old_site(site, {"index.html": "old"})
    kept = KeptSite(tmp_path / "site.json")
    assert kept.set_aside(str(site), PLUGINS) is False
    assert tree(site) == {"index.html": "old"}  # untouched: MkDocs' clean empties it


def test_the_old_files_stay_through_mkdocs_clean_and_what_the_build_did_not_write_goes(tmp_path):
    kept, site = kept_after_one_build(tmp_path)
    old_site(site, {"index.html": "old home", "gone/index.html": "a removed page", "a/b/stale.png": "x",
                    "a/kept.png": "linked", "assets/app.js": "old", ".git/HEAD": "hidden"})
    (site / "empty").mkdir()
    os.utime(site / "empty", (time.time() - 60,) * 2)
    assert kept.set_aside(str(site), PLUGINS) is True
    clean_directory(str(site))
    assert tree(site) == {".git/": "", ".git/HEAD": "hidden", f"{ASIDE}/": ""} | {
        f"{ASIDE}/{rel}": text for rel, text in tree(site / ASIDE).items()}
    kept.restore()
    assert not (site / ASIDE).exists()
    (site / "index.html").write_text("new home", "utf-8")  # the build writes its pages over the old ones
    (site / "assets" / "app.js").write_text("new", "utf-8")
    (site / "new").mkdir()  # and makes a folder of its own, empty
    kept.linked(str(site / "a" / "kept.png"))  # and links an image that was there (its date is its source's)
    kept.finish()
    assert tree(site) == {".git/": "", ".git/HEAD": "hidden", "a/": "", "a/kept.png": "linked", "assets/": "",
                          "assets/app.js": "new", "index.html": "new home", "new/": ""}
    assert kept.stats.kept and kept.stats.removed == 5  # gone/index.html, gone/, a/b/stale.png, a/b/, empty/


def test_a_file_the_last_build_linked_and_this_one_does_not_is_removed_before_anything_is_written(tmp_path):
    kept, site = kept_after_one_build(tmp_path, links=("img/a.png", "img/b.png"))
    old_site(site, {"img/a.png": "a", "img/b.png": "b", "index.html": "home"})
    assert kept.set_aside(str(site), PLUGINS)
    kept.restore()
    kept.unlink_old_links([str(site / "img" / "a.png")])
    assert not (site / "img" / "b.png").exists() and (site / "img" / "a.png").exists()
    assert kept.stats.unlinked == 1


def test_a_folder_left_empty_by_the_old_links_going_is_removed_too(tmp_path):
    kept, site = kept_after_one_build(tmp_path, links=("guides/page.assets/a.png", "guides/page.assets/b.png"))
    old_site(site, {"guides/page.assets/a.png": "a", "guides/page.assets/b.png": "b", "guides/index.html": "x"})
    assert kept.set_aside(str(site), PLUGINS)
    kept.restore()
    kept.unlink_old_links([])  # the page and its images are gone from the docs
    (site / "guides" / "index.html").write_text("new", "utf-8")
    kept.finish()
    assert tree(site) == {"guides/": "", "guides/index.html": "new"}


def test_the_record_is_spent_so_a_build_that_stops_half_way_leaves_the_next_one_clean(tmp_path):
    kept, site = kept_after_one_build(tmp_path)
    old_site(site, {"index.html": "old"})
    assert kept.set_aside(str(site), PLUGINS)
    kept.failed()  # e.g. reading the docs failed, before MkDocs wrote anything
    assert tree(site) == {"index.html": "old"}  # the old site is back
    assert (tmp_path / "site.json.building").exists()  # the record is spent
    assert KeptSite(tmp_path / "site.json").set_aside(str(site), PLUGINS) is False  # in the next process too
    assert kept.set_aside(str(site), PLUGINS) is False


def test_a_build_that_links_what_the_last_one_linked_leaves_the_record_as_it_is(tmp_path):
    _, site = kept_after_one_build(tmp_path, links=("a.png",))
    written = (tmp_path / "site.json").stat().st_mtime_ns
    later = KeptSite(tmp_path / "site.json")  # another process: the record on disk
    old_site(site, {"a.png": "image"})
    assert later.set_aside(str(site), PLUGINS)
    later.restore()
    later.linked(str(site / "a.png"))
    later.finish()
    assert (tmp_path / "site.json").stat().st_mtime_ns == written and not (tmp_path / "site.json.building").exists()
    assert KeptSite(tmp_path / "site.json").set_aside(str(site), PLUGINS)  # and it still serves the next build


def test_the_record_on_disk_serves_the_next_process_for_the_same_site_only(tmp_path):
    _, site = kept_after_one_build(tmp_path)
    old_site(site, {"index.html": "old"})
    assert KeptSite(tmp_path / "site.json").set_aside(str(tmp_path / "other"), PLUGINS) is False  # another site
    _, site = kept_after_one_build(tmp_path)
    old_site(site, {"index.html": "old"})
    assert KeptSite(tmp_path / "site.json").set_aside(str(site), PLUGINS) is True


def test_with_a_plugin_it_does_not_know_or_when_told_not_to_it_keeps_nothing(tmp_path):
    kept, site = kept_after_one_build(tmp_path)
    old_site(site, {"index.html": "old"})
    assert kept.set_aside(str(site), PLUGINS + ("material/privacy",)) is False
    kept.finish()
    assert kept.set_aside(str(site), PLUGINS, keep=False) is False
    assert tree(site) == {"index.html": "old"}


def test_what_a_stopped_build_left_aside_is_removed(tmp_path):
    kept, site = kept_after_one_build(tmp_path)
    old_site(site, {"index.html": "old", f"{ASIDE}/index.html": "older"})
    assert kept.set_aside(str(site), PLUGINS)
    kept.restore()
    assert tree(site) == {"index.html": "old"}


def test_a_clean_that_removed_the_hidden_folder_too_makes_a_clean_build(tmp_path):
    import shutil

    kept, site = kept_after_one_build(tmp_path)
    old_site(site, {"index.html": "old"})
    assert kept.set_aside(str(site), PLUGINS)
    shutil.rmtree(site / ASIDE)  # a clean that does not leave hidden entries alone
    kept.restore()
    (site / "index.html").write_text("new", "utf-8")
    kept.finish()
    assert not kept.stats.kept and tree(site) == {"index.html": "new"}


def test_on_a_file_system_that_dates_in_whole_seconds_it_keeps_nothing(tmp_path, monkeypatch):
    kept, site = kept_after_one_build(tmp_path)
    old_site(site, {"index.html": "old"})
    utime = os.utime
    second = int(time.time()) * 1_000_000_000
    monkeypatch.setattr(os, "utime", lambda path, *args, **kwargs: utime(path, ns=(second, second)))
    assert kept.set_aside(str(site), PLUGINS) is False
    assert tree(site) == {"index.html": "old"}  # as it was: MkDocs' clean empties it


def test_a_file_the_sweep_cannot_remove_stays_and_the_build_goes_on(tmp_path, monkeypatch):
    kept, site = kept_after_one_build(tmp_path)
    old_site(site, {"locked/old.html": "stale", "gone.html": "stale"})
    assert kept.set_aside(str(site), PLUGINS)
    kept.restore()
    unlink = os.unlink

    def refuse(path, *args, **kwargs):
        if str(path).endswith("old.html"):
            raise PermissionError(13, "Permission denied", str(path))
        unlink(path, *args, **kwargs)

    monkeypatch.setattr(os, "unlink", refuse)
    kept.finish()
    assert tree(site) == {"locked/": "", "locked/old.html": "stale"}
    assert kept.stats.removed == 1
