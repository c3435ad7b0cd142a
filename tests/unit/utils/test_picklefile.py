"""A pickle cache: written whole, then as the changes since it was read; whatever is on disk reads back as the
last write that ended, and a file that cannot be used costs only time."""

from __future__ import annotations

import logging
import os
import pickle

import pytest

from ingest.utils import picklefile
from ingest.utils.picklefile import PickleCache

log = logging.getLogger("test")


def cache(path, header="test 1"):
    return PickleCache(path, header, log, "read without it", "written without it")


def entries(n: int) -> dict[str, tuple[int, str]]:
    return {f"doc{i}.md": (i, "text " * 50) for i in range(n)}


def test_the_first_write_is_whole_and_reads_back(tmp_path):
    path = tmp_path / "c.pickle"
    assert cache(path).read() == {}
    cache(path).write(entries(20))
    assert path.read_bytes().startswith(b"test 1\n")
    assert cache(path).read() == entries(20)


def test_a_change_is_appended_and_reads_back_with_the_rest(tmp_path):
    path = tmp_path / "c.pickle"
    cache(path).write(entries(200))
    whole = path.stat().st_size
    kept = cache(path)
    data = kept.read()
    data["doc3.md"] = (3, "edited")
    del data["doc7.md"]
    data["new.md"] = (0, "added")
    kept.write(data)
    assert whole < path.stat().st_size < whole + 200  # the three entries only
    assert cache(path).read() == data
    data["doc4.md"] = (4, "edited again")  # the same cache object writes what changed since its last write
    kept.write(data)
    assert cache(path).read() == data


def test_nothing_changed_writes_nothing(tmp_path):
    path = tmp_path / "c.pickle"
    cache(path).write(entries(5))
    before = path.stat()
    kept = cache(path)
    kept.write(dict(kept.read()))  # the same values, in a new dict
    assert path.stat().st_mtime_ns == before.st_mtime_ns and path.stat().st_size == before.st_size


def test_after_many_changes_the_file_is_written_whole_again(tmp_path, monkeypatch):
    monkeypatch.setattr(picklefile, "MAX_CHANGES", 3)
    path = tmp_path / "c.pickle"
    cache(path).write(entries(50))
    whole = path.stat().st_size
    data = entries(50)
    for n in range(4):
        kept = cache(path)
        data = kept.read()
        data[f"doc{n}.md"] = (n, f"edit {n}")
        kept.write(data)
    assert path.stat().st_size <= whole + 50  # the fourth write folded the three changes in
    assert cache(path).read() == data


def test_changes_as_big_as_half_the_cache_are_written_whole(tmp_path):
    path = tmp_path / "c.pickle"
    cache(path).write(entries(10))
    kept = cache(path)
    data = kept.read()
    data.update({key: (0, "changed " * 50) for key in list(data)[:6]})
    kept.write(data)
    with open(path, "rb") as stream:
        stream.readline()
        assert pickle.load(stream) == data and stream.read() == b""  # one whole pickle, no change after it


def test_a_change_cut_short_is_left_out_and_the_next_write_is_whole(tmp_path):
    path = tmp_path / "c.pickle"
    cache(path).write(entries(100))
    kept = cache(path)
    first = kept.read()
    first["doc1.md"] = (1, "first edit")
    kept.write(first)
    second = dict(first)
    second["doc2.md"] = (2, "second edit")
    kept.write(second)
    os.truncate(path, path.stat().st_size - 5)  # the process was stopped while it appended the second
    again = cache(path)
    assert again.read() == first
    first["doc3.md"] = (3, "third edit")
    again.write(first)
    assert cache(path).read() == first
    with open(path, "rb") as stream:
        stream.readline()
        assert pickle.load(stream) == first and stream.read() == b""


def test_a_file_another_process_wrote_since_it_was_read_is_written_whole(tmp_path):
    path = tmp_path / "c.pickle"
    cache(path).write(entries(100))
    mine, theirs = cache(path), cache(path)
    data, other = mine.read(), theirs.read()
    other["doc9.md"] = (9, "theirs")
    theirs.write(other)
    data["doc5.md"] = (5, "mine")
    mine.write(data)  # not appended to their file: its entries are not the ones read here
    assert cache(path).read() == data


def test_a_file_of_another_version_or_damaged_is_not_used(tmp_path):
    path = tmp_path / "c.pickle"
    cache(path, "test 1").write(entries(3))
    assert cache(path, "test 2").read() == {}
    path.write_bytes(b"test 1\nnot a pickle")
    assert cache(path).read() == {}
    kept = cache(path)
    kept.read()
    kept.write(entries(3))  # written whole over it
    assert cache(path).read() == entries(3)


def test_a_cache_that_cannot_be_written_is_only_logged(tmp_path, caplog):
    folder = tmp_path / "gone"
    folder.write_text("a file where the folder would be")
    kept = cache(folder / "c.pickle")
    with caplog.at_level(logging.DEBUG, logger="test"):
        kept.write(entries(2))
    assert "could not be written" in caplog.text and "written without it" in caplog.text


@pytest.mark.parametrize("value", [{"a": 1}, {"nested": {"deep": [1, 2]}}])
def test_a_value_replaced_by_an_equal_new_one_is_written_again(tmp_path, value):
    """Entries are compared by identity: a new value is a change, however equal (a cache never changes one in place)."""
    path = tmp_path / "c.pickle"
    cache(path).write({"k": value, "other": 1})
    kept = cache(path)
    data = kept.read()
    data["k"] = dict(value)
    kept.write(data)
    assert cache(path).read() == {"k": value, "other": 1}
