"""The caches' entry store (``ingest.mkdocs.store``): one SQLite file, shared by a build and its workers."""

from __future__ import annotations

import contextlib
import multiprocessing
import os

import pytest

from ingest.mkdocs.store import EntryStore


def test_entries_round_trip_and_only_the_kept_ones_stay(tmp_path):
    store = EntryStore(tmp_path / "cache.sqlite3")
    store.put("a.html", "<p>a</p>")
    store.put("b.html", "<p>b</p>")
    assert store.get("a.html") == "<p>a</p>"  # before it is written, too
    assert store.flush()
    later = EntryStore(tmp_path / "cache.sqlite3")
    assert later.names() == {"a.html", "b.html"} and later.get("b.html") == "<p>b</p>" and later.get("c") is None
    later.put("a.html", "<p>a again</p>")
    later.keep_only({"a.html"})
    assert EntryStore(tmp_path / "cache.sqlite3").names() == {"a.html"}
    assert EntryStore(tmp_path / "cache.sqlite3").get("a.html") == "<p>a again</p>"


def test_pruning_gives_space_back_only_when_most_of_the_file_is_free(tmp_path):
    """A nav change makes every page's entries new: their old space is taken again by the next build's
    entries, not given back and grown again each time; the file stays under twice what it holds."""
    import sqlite3

    def size() -> int:  # the database's size as its pages say (the file itself shrinks at a checkpoint)
        with contextlib.closing(sqlite3.connect(path)) as db:
            return db.execute("PRAGMA page_count").fetchone()[0] * db.execute("PRAGMA page_size").fetchone()[0]

    path = tmp_path / "cache.sqlite3"
    store = EntryStore(path)
    page = "<p>" + "x" * 40_000 + "</p>"
    for build in range(4):  # each build's entries are all new, as after a title change
        for n in range(40):
            store.put(f"{build}-{n}.html", page)
        store.keep_only({f"{build}-{n}.html" for n in range(40)})
        assert size() < 2.2 * 40 * len(page), f"build {build}: {size()} bytes"
        if build:  # the last build's pages are free, for the next build's to take
            with contextlib.closing(sqlite3.connect(path)) as db:
                assert db.execute("PRAGMA freelist_count").fetchone()[0] * 4096 > 30 * len(page)
    store.keep_only({"3-0.html"})  # most of it free now: given back
    assert size() < 2 * len(page) + 2**16
    assert EntryStore(path).names() == {"3-0.html"}


def test_without_a_file_the_entries_are_kept_in_memory():
    store = EntryStore(None)
    store.put("a", "1")
    assert store.flush() and store.get("a") == "1" and store.names() == {"a"}
    store.keep_only(set())
    assert store.get("a") is None


def _write_in_a_worker(store: EntryStore) -> None:
    store.put("from-the-worker", "w")
    os._exit(0 if store.flush() else 3)


@pytest.mark.skipif("fork" not in multiprocessing.get_all_start_methods(), reason="no fork on this system")
def test_a_forked_worker_writes_through_a_connection_of_its_own(tmp_path):
    store = EntryStore(tmp_path / "cache.sqlite3")
    store.put("from-the-build", "b")
    assert store.flush() and store.get("from-the-build") == "b"  # the build's connection is open
    worker = multiprocessing.get_context("fork").Process(target=_write_in_a_worker, args=(store,))
    worker.start()
    worker.join()
    assert worker.exitcode == 0
    assert store.get("from-the-worker") == "w" and store.get("from-the-build") == "b"
    store.put("after", "a")
    assert store.flush() and EntryStore(tmp_path / "cache.sqlite3").names() == {"from-the-build", "from-the-worker",
                                                                                 "after"}


def test_a_damaged_file_is_read_as_empty_and_made_anew(tmp_path):
    path = tmp_path / "cache.sqlite3"
    path.write_bytes(b"not a database, " * 256)
    store = EntryStore(path)
    assert store.get("a") is None and store.names() == set()
    store.put("a", "1")
    assert store.flush() and EntryStore(path).get("a") == "1"


def test_a_file_where_the_folder_should_be_costs_only_time(tmp_path):
    (tmp_path / "cache").write_text("a file, not a folder", "utf-8")
    store = EntryStore(tmp_path / "cache" / "cache.sqlite3")
    store.put("a", "1")
    assert not store.flush() and store.get("a") is None and store.names() == set()
    store.reset()  # the next build tries again
    assert store.get("a") is None
