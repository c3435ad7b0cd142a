"""What the caches key on (ingest/mkdocs/keys.py), and which search entries are plain JSON (searchcache): the quick
way through plain dicts and lists tells a value as the general way through any mapping and sequence does."""

from __future__ import annotations

import datetime

from hypothesis import given
from hypothesis import strategies as st

from ingest.mkdocs.keys import plain, plain_or_repr


class _Mapping(dict):
    """A dict that is not exactly one: keyed the general way."""


class _Sequence(list):
    pass


def _the_general_way(value):
    if type(value) is dict:
        return _Mapping({key: _the_general_way(item) for key, item in value.items()})
    if type(value) is list:
        return _Sequence(_the_general_way(item) for item in value)
    return value


_scalars = st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=5) \
    | st.dates() | st.sets(st.integers(), max_size=3) | st.tuples(st.integers(), st.text(max_size=2))
_keys = st.text(max_size=4) | st.integers() | st.booleans()
_values = st.recursive(_scalars, lambda inner: st.lists(inner, max_size=4) | st.dictionaries(_keys, inner, max_size=4),
                       max_leaves=20)


@given(_values)
def test_a_value_is_keyed_the_same_whichever_way_it_goes(value):
    assert plain_or_repr(value) == plain_or_repr(_the_general_way(value))


def test_keys_are_sorted_as_text_and_dates_are_iso():
    assert plain({"b": 1, "a": [datetime.date(2024, 1, 2)], 2: None, 10: True}) == {
        "10": True, "2": None, "a": ["2024-01-02"], "b": 1}
    assert list(plain({"b": 1, "a": 2})) == ["a", "b"]


class _Text(str):
    pass


@given(_values)
def test_a_search_entry_is_told_plain_the_same_whichever_way_it_goes(value):
    from ingest.mkdocs.searchcache import _plain

    assert _plain(value) == _plain(_the_general_way(value))


def test_a_search_entry_is_plain_json_only():
    from ingest.mkdocs.searchcache import _plain

    assert _plain({"location": "a/", "tags": ["x", 1, 2.5, None, True], _Text("boost"): 2})
    assert not _plain({"date": datetime.date(2024, 1, 2)}) and not _plain({1: "a"}) and not _plain([("a",)])
