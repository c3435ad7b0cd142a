"""Writing files whole: the JSON written a part at a time is what ``json.dump`` writes."""

from __future__ import annotations

import io
import json
import math

import pytest

from ingest.utils.atomicfile import write_json, write_json_atomically

CASES = [
    {},
    [],
    None,
    "text",
    {"format": 3, "pages": {"a/": [1, "x", None, True], "é/ü/": {"nested": {"deep": [1.5, -2]}}}, "empty": {}},
    {"keys": {"1": "str key", "b": {"c": {"d": {"e": "four levels"}}}}},
    {1: "an int key, as json.dump turns it into a string", "b": {2.5: "a float key", None: "none", True: "bool"}},
    {"quote\"and\\backslash\n": "\u2028 line separator, \x00 nul, emoji \U0001f600, lone \ud800 surrogate"},
    {"nan": math.nan, "inf": [math.inf, -math.inf]},
]


@pytest.mark.parametrize("data", CASES)
@pytest.mark.parametrize("depth", [0, 1, 2, 5])
def test_write_json_writes_what_json_dump_writes(data: object, depth: int) -> None:
    expected = io.StringIO()
    json.dump(data, expected, ensure_ascii=False, separators=(",", ":"))
    written = io.StringIO()
    write_json(written, data, depth)
    assert written.getvalue() == expected.getvalue()


def test_write_json_refuses_what_json_refuses() -> None:
    with pytest.raises(TypeError):
        write_json(io.StringIO(), {"a": {"b": object()}})


def test_write_json_atomically_leaves_the_old_file_when_the_data_is_no_json(tmp_path) -> None:
    path = tmp_path / "record.json"
    write_json_atomically(path, {"pages": {"a/": [1]}})
    with pytest.raises(TypeError):
        write_json_atomically(path, {"pages": {"a/": [1], "b/": object()}})
    assert json.loads(path.read_text("utf-8")) == {"pages": {"a/": [1]}}
    assert [p.name for p in tmp_path.iterdir()] == ["record.json"]
