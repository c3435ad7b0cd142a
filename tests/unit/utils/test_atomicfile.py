"""Writing files whole: data with no JSON form leaves the old file as it was."""

from __future__ import annotations

import json

import pytest

from ingest.utils.atomicfile import write_json_atomically


def test_write_json_atomically_leaves_the_old_file_when_the_data_is_no_json(tmp_path) -> None:
    path = tmp_path / "record.json"
    write_json_atomically(path, {"pages": {"a/": [1]}})
    with pytest.raises(TypeError):
        write_json_atomically(path, {"pages": {"a/": [1], "b/": object()}})
    assert json.loads(path.read_text("utf-8")) == {"pages": {"a/": [1]}}
    assert [p.name for p in tmp_path.iterdir()] == ["record.json"]
