"""The records' JSON: what json writes, byte for byte, for the data records hold; what orjson refuses goes
through json; what json wrote is read back."""

from __future__ import annotations

import json
import math

import pytest

from ingest.utils import jsoncodec

PLAIN = [
    {},
    [],
    None,
    "text",
    {"format": 3, "pages": {"a/": [1, "x", None, True], "é/ü/": {"nested": {"deep": [1.5, -2, 0.001, 1e15]}}}},
    {"b": {"z": 1, "a": [{"y": 2, "x": 3}]}, "a": "keys out of order"},
    {"quote\"and\\backslash\n": "\u2028 line separator, \x00 nul, \x1f unit separator, emoji \U0001f600"},
    [-(2**63), 2**64 - 1, 0.1, -0.0, 123456789.123],
]

#: What orjson refuses, and json writes: non-string keys, numbers beyond 64 bits.
REFUSED = [
    {"b": {1: "an int key", 2.5: "a float key"}, "a": {None: "none"}, "c": {True: "bool"}},
    {"big": 2**70, "small": -(2**80)},
]


@pytest.mark.parametrize("data", PLAIN + REFUSED)
@pytest.mark.parametrize("sort_keys", [False, True])
def test_dumps_writes_what_json_writes(data: object, sort_keys: bool) -> None:
    expected = json.dumps(data, ensure_ascii=False, separators=(",", ":"), sort_keys=sort_keys).encode("utf-8")
    assert jsoncodec.dumps(data, sort_keys=sort_keys) == expected


@pytest.mark.parametrize("data", PLAIN + [{"big": 2**70}])
def test_loads_reads_what_dumps_wrote(data: object) -> None:
    written = jsoncodec.dumps(data)
    assert jsoncodec.loads(written) == data
    assert jsoncodec.loads(written.decode("utf-8")) == data


def test_floats_in_exponent_form_read_back_the_same() -> None:
    """The one difference from json's text: orjson writes ``1e-7`` and ``1e22`` where json writes ``1e-07`` and
    ``1e+22``; both are the same numbers to any JSON reader."""
    data = [1e-7, 1e22, -2.5e-300]
    assert jsoncodec.loads(jsoncodec.dumps(data)) == json.loads(json.dumps(data)) == data


def test_a_lone_surrogate_is_written_as_its_escape_and_read_back() -> None:
    data = {"name": "caf\udce9.md", "é": ["\ud800"]}
    written = jsoncodec.dumps(data, sort_keys=True)
    written.decode("utf-8")  # valid UTF-8: the surrogates are escaped
    assert b"\\udce9" in written
    assert jsoncodec.loads(written) == data


def test_json_has_no_form_for_nan_so_it_is_written_as_null() -> None:
    """As orjson and JavaScript's JSON.stringify write it (json writes ``NaN``, which browsers cannot read)."""
    assert jsoncodec.dumps({"n": math.nan, "i": [math.inf]}) == b'{"n":null,"i":[null]}'


def test_what_json_wrote_that_orjson_cannot_read_is_read_by_json() -> None:
    data = jsoncodec.loads(b'{"n": NaN, "s": "\\udce9"}')
    assert math.isnan(data["n"]) and data["s"] == "\udce9"


def test_what_has_no_json_form_is_refused() -> None:
    with pytest.raises(TypeError):
        jsoncodec.dumps({"a": {"b": object()}})


@pytest.mark.parametrize("text", [b"", b"{", b'{"a": 1,}', b"\xff\xfe"])
def test_what_is_not_json_raises_value_error(text: bytes) -> None:
    with pytest.raises(ValueError):
        jsoncodec.loads(text)
