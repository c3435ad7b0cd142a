"""ingest/searchindex.py: the search index Material writes, made light without losing a word."""

from __future__ import annotations

import re

from ingest.mkdocs.searchindex import STOP_WORDS, compact_index, word_key

CONFIG = {"lang": ["en"], "separator": r"[\s\-]+", "pipeline": ["stopWordFilter"],
          "fields": {"title": {"boost": 1000.0}, "text": {"boost": 1.0}, "tags": {"boost": 1000000.0}}}
LONG = " ".join(f"word{n} and the word{n}" for n in range(200))
INDEX = {"config": CONFIG, "docs": [
    {"location": "guide/", "title": "Guide", "text": "<p>Open the <code>chart</code>.</p>", "boost": 2, "tags": ["A"]},
    {"location": "guide/#overview", "title": "Overview", "text": f"<p>{LONG}</p>"},
    {"location": "faq/", "title": "FAQ", "text": "<p>Questions.</p>"},
    {"location": "faq/#how-do-i-print", "title": "How do I print?", "text": "<p>Click Print.</p>"},
]}


def words_of(doc: dict) -> set[str]:
    fields = " ".join(doc.get(name, "") for name in ("title", "text", "words"))
    return {word_key(token) for token in re.split(r"[\s\-]+", fields)} - {""}


def test_sections_join_their_page_but_faq_questions_stay_results():
    light = compact_index(INDEX, keep_sections={"faq/"})
    assert [doc["location"] for doc in light["docs"]] == ["guide/", "faq/", "faq/#how-do-i-print"]
    guide = light["docs"][0]
    assert guide["boost"] == 2 and guide["tags"] == ["A"] and guide["title"] == "Guide"


def test_no_word_is_lost_and_each_is_kept_once():
    light = compact_index(INDEX, keep_sections={"faq/"})
    guide = light["docs"][0]
    before = {word_key(t) for doc in INDEX["docs"][:2] for t in re.split(r"[\s\-]+", re.sub("<[^>]*>", " ", doc["text"] + " " + doc["title"]))}
    assert before - STOP_WORDS - {""} <= words_of(guide)
    assert len(guide["text"]) <= 320 and "<" not in guide["text"]
    assert len(guide["words"].split()) == len(set(guide["words"].split()))
    assert not set(guide["words"].split()) & STOP_WORDS


def test_words_is_a_search_field_like_text_and_the_input_is_untouched():
    light = compact_index(INDEX)
    assert light["config"]["fields"]["words"] == {"boost": 1.0}
    assert INDEX["config"]["fields"].keys() == {"title", "text", "tags"} and len(INDEX["docs"]) == 4


def test_compacting_twice_changes_nothing():
    once = compact_index(INDEX, keep_sections={"faq/"})
    assert compact_index(once, keep_sections={"faq/"}) == once


def test_a_memo_gives_the_same_index_and_recompacts_only_what_changed():
    memo: dict = {}
    first = compact_index(INDEX, keep_sections={"faq/"}, memo=memo)
    assert first == compact_index(INDEX, keep_sections={"faq/"})
    edited = {**INDEX, "docs": [{**INDEX["docs"][0], "text": "<p>Open the new chart.</p>"}, *INDEX["docs"][1:]]}
    second = compact_index(edited, keep_sections={"faq/"}, memo=memo)
    assert second == compact_index(edited, keep_sections={"faq/"})
    assert second["docs"][0]["text"].startswith("Open the new chart.") and second["docs"][0] is not first["docs"][0]
    assert second["docs"][1] is first["docs"][1]  # the FAQ page did not change: its entry was reused
    assert len(memo) == len(second["docs"])  # the memo holds the last index's entries, no more


class _Index:
    """What CompactingGenerator uses of Material's SearchIndex: its settings and entries."""

    def __init__(self, docs: list[dict]) -> None:
        self.config = {**CONFIG, "min_search_length": 3}
        self.entries = [dict(doc) for doc in docs]


def _as_material_then_rewritten(index: _Index, prev: _Index | None = None) -> dict:
    """The old way: Material's generate_search_index (9.8.1) writes JSON, which is read back and made light."""
    import json

    entries = index.entries
    if prev and entries:
        entries = [e for e in prev.entries if not e["location"].startswith(entries[0]["location"])] + entries
    data = {"config": {key: index.config[key] for key in ["lang", "separator", "pipeline", "fields"]}, "docs": entries}
    return compact_index(json.loads(json.dumps(data, separators=(",", ":"), default=str)), keep_sections={"faq/"})


def test_the_index_made_light_as_material_generates_it_is_the_one_read_back_from_its_file():
    import json

    from ingest.mkdocs.searchcache import CompactingGenerator

    def compact(index: dict) -> dict:
        return compact_index(index, keep_sections={"faq/"})

    odd = [{**INDEX["docs"][0], "tags": [_Tag("A")]}, *INDEX["docs"][1:]]  # not JSON: written as its text
    for docs in (INDEX["docs"], odd):
        generator = CompactingGenerator(_Index(docs), compact)
        assert json.loads(generator(None)) == _as_material_then_rewritten(_Index(docs)) and generator.used
    # a `mkdocs serve --dirty` rebuild: this build's entries (one page) replace that page's in the last build's
    prev, page = _Index(INDEX["docs"]), _Index([{"location": "guide/", "title": "Guide", "text": "<p>New.</p>"}])
    expected = _as_material_then_rewritten(_Index(page.entries), prev)
    assert json.loads(CompactingGenerator(page, compact)(prev)) == expected
    assert [doc["location"] for doc in expected["docs"]] == ["faq/", "faq/#how-do-i-print", "guide/"]


class _Tag:
    def __init__(self, name: str) -> None:
        self.name = name

    def __str__(self) -> str:
        return self.name


def test_a_build_that_reuses_the_last_ones_index_starts_with_its_index_not_yet_generated():
    """Under `mkdocs serve` the search plugin's index may be the last build's: whether this build's index was
    written light is this build's to say, not a leftover of the last one."""
    import types

    from ingest.mkdocs.searchcache import compact_through

    index = _Index(INDEX["docs"])
    index.add_entry_from_context = lambda page: None
    index.generate_search_index = lambda prev: "{}"  # Material's, replaced by the generator
    plugin = types.SimpleNamespace(search_index=index)
    generator = compact_through(plugin, lambda data: data, version="9.8.1")
    assert generator is not None and not generator.used
    generator(None)
    assert generator.used
    again = compact_through(plugin, lambda data: data, version="9.8.1")
    assert again is generator and not again.used
