"""A first sync copies the export's images into the staging folder while it makes the pages (ingest/output/precopy.py):
the docs_dir is the one a sync without it writes, no file is written into, and a sync that stops early loses nothing."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from helpers import page, snapshot

from ingest.commands.sync import SyncError, sync
from ingest.output import precopy, write
from ingest.output.precopy import AssetCopy

EXPORT = {
    "index.md": page("1home", "Home", "![](index.assets/a.png)"),
    "guides/one.md": page("1one", "One", "![](one.assets/b.png) ![](one.assets/deep/c.gif)"),
    "index.assets/a.png": b"\x89PNG a",
    "guides/one.assets/b.png": b"\x89PNG b",
    "guides/one.assets/deep/c.gif": b"GIF89a c",
    **{f"guides/many.assets/{n:03}.png": f"\x89PNG {n}".encode() for n in range(40)},
}


@pytest.fixture
def ahead_always(monkeypatch):
    """Copy ahead whatever the number of assets; note what the staging wrote itself."""
    monkeypatch.setattr(precopy, "MIN_ASSETS", 1)
    written: list[str] = []
    copy_file = write._copy_file

    def counted(source, target):
        written.append(Path(target).name)
        copy_file(source, target)

    monkeypatch.setattr(write, "_copy_file", counted)
    return written


def test_a_first_sync_copies_the_images_ahead_and_writes_the_docs_dir_a_sync_without_it_writes(
        make_export, tmp_path, ahead_always, monkeypatch):
    export = make_export(EXPORT)
    sync(export, tmp_path / "docs")
    assert ahead_always == []  # every image copied ahead, none written again by the staging
    with_copy = snapshot(tmp_path / "docs")
    monkeypatch.setattr(precopy, "MIN_ASSETS", 10**9)
    sync(export, tmp_path / "plain")
    assert with_copy == snapshot(tmp_path / "plain") and len(ahead_always) == 43
    sync(export, tmp_path / "docs")  # nothing to do: nothing copied ahead, nothing written
    assert len(ahead_always) == 43 and snapshot(tmp_path / "docs") == with_copy


def test_a_file_in_the_staging_folder_is_replaced_never_written_into(tmp_path):
    staging, elsewhere = tmp_path / "staging", tmp_path / "site"
    (staging / "x.assets").mkdir(parents=True)
    elsewhere.mkdir()
    (elsewhere / "a.png").write_bytes(b"the site's")
    os.link(elsewhere / "a.png", staging / "x.assets" / "a.png")  # as a stopped sync's staging may hold
    source = tmp_path / "a.png"
    source.write_bytes(b"new")
    copy = AssetCopy(staging, [("x.assets/a.png", "stat:3:1", str(source)), ("y/b.png", "stat:0:1", str(tmp_path / "gone"))])
    assert copy.start()
    made = copy.finish()
    status = (staging / "x.assets" / "a.png").stat()
    assert made == {"x.assets/a.png": ("stat:3:1", (status.st_dev, status.st_ino))}  # the missing one left to the sync
    assert (staging / "x.assets" / "a.png").read_bytes() == b"new" and (elsewhere / "a.png").read_bytes() == b"the site's"


def test_a_file_made_ahead_is_written_again_where_it_is_not_what_the_plan_wants(make_export, tmp_path, ahead_always,
                                                                                 monkeypatch):
    """The export's image changed after it was copied ahead (another content key), or the file was replaced."""
    export = make_export(EXPORT)
    finish = AssetCopy.finish

    def stale(self):
        made = finish(self)
        identity = made["index.assets/a.png"][1]
        made["index.assets/a.png"] = ("stat:0:0", identity)
        made["guides/one.assets/b.png"] = (made["guides/one.assets/b.png"][0], (0, 0))
        return made

    monkeypatch.setattr(AssetCopy, "finish", stale)
    sync(export, tmp_path / "docs")
    assert sorted(ahead_always) == ["a.png", "b.png"]
    assert (tmp_path / "docs" / "index.assets" / "a.png").read_bytes() == b"\x89PNG a"


def test_a_sync_that_stops_after_copying_ahead_writes_nothing_and_the_next_is_whole(make_export, tmp_path, ahead_always):
    export = make_export({**EXPORT, "guides/broken.md": page("1broken", "Broken", "[gone](missing.md)")})
    with pytest.raises(SyncError):
        sync(export, tmp_path / "docs", strict=True)
    assert not (tmp_path / "docs" / ".ingest").exists()
    sync(export, tmp_path / "docs")
    sync(export, tmp_path / "fresh")
    assert snapshot(tmp_path / "docs") == snapshot(tmp_path / "fresh")
