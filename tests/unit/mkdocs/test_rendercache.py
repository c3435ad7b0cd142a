"""The render cache's parts, on small objects: entries, keys, link lookups, the search entries."""

from __future__ import annotations

import functools
import json
from types import SimpleNamespace

import pytest

from ingest.mkdocs import rendercache, searchcache
from ingest.mkdocs.keys import plain_or_repr
from ingest.mkdocs.rendercache import RenderCache, RenderedPage, config_digest, page_key
from ingest.mkdocs.store import EntryStore


def entry(**changes) -> RenderedPage:
    base = dict(content="<h1 id=\"a\">A</h1>", toc_tokens=[{"level": 1, "id": "a", "name": "A", "children": []}],
                title="A", anchor_ids=["a"], links_to_anchors={"b.md": {"x": "b.md#x"}},
                lookups={"b.md": ("b/", False), "gone.md": None}, records=[("mkdocs.structure.pages", 30, "w")])
    return RenderedPage(**{**base, **changes})


class Included:
    @staticmethod
    def is_excluded() -> bool:
        return False


def file(src_uri: str, url: str):
    return SimpleNamespace(src_uri=src_uri, url=url, inclusion=Included())


class Files:
    def __init__(self, *found) -> None:
        self.by_path = {f.src_uri: f for f in found}

    def get_file_from_path(self, path):
        return self.by_path.get(path)


def test_an_entry_comes_back_from_json_as_it_was():
    original = entry(cleaned="<h1>A</h1>")
    assert RenderedPage.from_dict(json.loads(json.dumps(original.to_dict()))) == original


def test_an_entry_holds_while_its_links_find_what_they_found():
    rendered = entry()
    assert rendered.still_holds(Files(file("b.md", "b/")))
    assert not rendered.still_holds(Files(file("b.md", "moved/b/")))  # the target moved
    assert not rendered.still_holds(Files())  # the target is gone
    assert not rendered.still_holds(Files(file("b.md", "b/"), file("gone.md", "gone/")))  # a missing one came


def test_keys_name_callables_and_sort_sets_so_a_digest_holds_across_runs():
    def fence(*args):
        return ""

    value = {"b": {3, 1, 2}, "a": [fence, len]}
    assert plain_or_repr(value) == {"a": [f"{__name__}.{fence.__qualname__}", "builtins.len"], "b": [1, 2, 3]}


def site_config(extensions=("toc",), configs=None):
    links = SimpleNamespace(absolute_links=20, unrecognized_links=20, not_found=30)
    return SimpleNamespace(markdown_extensions=list(extensions), mdx_configs=configs or {},
                           use_directory_urls=True, validation=SimpleNamespace(links=links))


class Slugs:
    """An extension setting that is no plain data, as `!!python/object` makes one."""

    def __init__(self, case: str) -> None:
        self.case = case

    def __repr__(self) -> str:
        return f"Slugs(case={self.case!r})"


def test_a_setting_that_is_no_plain_data_is_keyed_by_what_it_holds_not_by_its_type():
    versions = {"mkdocs": "1.6.1"}

    def digest(slugify):
        return config_digest(site_config(configs={"toc": {"slugify": slugify}}), versions, "code")

    # `!!python/object/apply:pymdownx.slugs.slugify {kwds: {case: lower}}` is a functools.partial
    assert digest(functools.partial(max, case="lower")) == digest(functools.partial(max, case="lower"))
    assert digest(functools.partial(max, case="lower")) != digest(functools.partial(max, case="fold"))
    assert digest(Slugs("lower")) == digest(Slugs("lower"))
    assert digest(Slugs("lower")) != digest(Slugs("fold"))


def test_only_the_part_that_is_no_plain_data_is_keyed_by_its_repr():
    def fence(*args):
        return ""

    key = plain_or_repr({"fence": fence, "slugify": Slugs("lower")})
    assert key == {"fence": f"{__name__}.{fence.__qualname__}", "slugify": "Slugs(case='lower')"}
    assert "0x" not in json.dumps(key)  # the callable beside it is still named, not addressed


def test_the_config_digest_changes_with_extensions_settings_versions_and_code():
    versions = {"mkdocs": "1.6.1", "mkdocs-material": "9.8.1"}
    base = config_digest(site_config(), versions, "code")
    assert config_digest(site_config(), versions, "code") == base
    assert config_digest(site_config(("toc", "tables")), versions, "code") != base
    assert config_digest(site_config(configs={"toc": {"permalink": "#"}}), versions, "code") != base
    assert config_digest(site_config(), {**versions, "mkdocs": "1.6.2"}, "code") != base
    assert config_digest(site_config(), {**versions, "mkdocs-material": "9.9.0"}, "code") != base
    assert config_digest(site_config(), versions, "other code") != base


def test_a_page_key_changes_with_the_markdown_and_the_pages_place():
    page = SimpleNamespace(file=file("a.md", "a/"))
    key = page_key("digest", page, "# A")
    assert page_key("digest", page, "# A") == key
    assert page_key("digest", page, "# B") != key
    assert page_key("other", page, "# A") != key
    assert page_key("digest", SimpleNamespace(file=file("a.md", "elsewhere/a/")), "# A") != key


def test_a_page_key_asked_again_is_the_one_hashed_unless_its_markdown_or_place_changed():
    page, seen = SimpleNamespace(file=file("a.md", "a/")), {}
    key = page_key("digest", page, "# A", seen)
    assert key == page_key("digest", page, "# A") and "a.md" in seen
    assert page_key("digest", page, "# A", seen) == key
    assert page_key("digest", page, "# B", seen) == page_key("digest", page, "# B")
    assert page_key("digest", page, "# A", seen) == key
    page.file.url = "moved/"
    assert page_key("digest", page, "# A", seen) == page_key("digest", page, "# A") != key
    assert page_key("other", page, "# A", seen) == page_key("other", page, "# A")


def test_the_entries_round_trip_and_a_bad_one_is_ignored(tmp_path, monkeypatch):
    monkeypatch.setattr(rendercache, "config_digest", lambda config: "d")
    folder = tmp_path / "render.sqlite3"
    cache = RenderCache(folder)
    cache.start(None)
    cache.entries["k"] = entry()
    cache._unsaved.add("k.json")
    cache.keep_search_entries("s", [{"location": "a/", "title": "A", "text": "t"}])
    cache.finish(keep_unused=False)
    assert EntryStore(folder).names() == {"k.json", "s.search.json"}
    again = RenderCache(folder)
    again.start(None)
    assert again.lookup("k", Files(file("b.md", "b/"))) == entry()
    assert again.search_entries("s") == [{"location": "a/", "title": "A", "text": "t"}]
    damage = EntryStore(folder)
    damage.put("k.json", "{not json")
    damage.put("s.search.json", '{"format": 2, "entry": {"not": "a list"}}')
    damage.flush()
    broken = RenderCache(folder)
    broken.start(None)
    assert broken.lookup("k", Files(file("b.md", "b/"))) is None
    assert broken.search_entries("s") is None


def test_a_build_writes_only_the_entries_it_made_and_removes_the_unused(tmp_path, monkeypatch):
    monkeypatch.setattr(rendercache, "config_digest", lambda config: "d")
    folder = tmp_path / "render.sqlite3"
    first = RenderCache(folder)
    first.start(None)
    for key in ("k", "old"):
        first.entries[key] = entry()
        first._unsaved.add(key + ".json")
    first.finish(keep_unused=False)
    second = RenderCache(folder)
    second.start(None)
    assert second.lookup("k", Files(file("b.md", "b/"))) is not None
    second.entries["new"] = entry(content="<p>new</p>")
    second._unsaved.add("new.json")
    writes = []
    real_put = second.store.put
    second.store.put = lambda name, text: (writes.append(name), real_put(name, text))
    second.finish(keep_unused=True)  # a dirty build saw only some pages: it removes none
    assert writes == ["new.json"]  # not "k.json", which it only read
    assert EntryStore(folder).names() == {"k.json", "new.json", "old.json"}
    third = RenderCache(folder)
    third.start(None)
    assert third.lookup("new", Files(file("b.md", "b/"))) is not None
    third.finish(keep_unused=False)
    assert EntryStore(folder).names() == {"new.json"}


def test_an_entry_made_in_the_build_is_written_once_cleaned(tmp_path, monkeypatch):
    monkeypatch.setattr(rendercache, "config_digest", lambda config: "d")
    monkeypatch.setattr(rendercache, "render_page", lambda page, markdown, config, files, echo=True: entry())
    monkeypatch.setattr(rendercache, "apply", lambda page, rendered, files, replay=True: None)
    folder = tmp_path / "render.sqlite3"
    cache = RenderCache(folder)
    cache.start(None)
    page = SimpleNamespace(file=file("a.md", "a/"), markdown="# A")
    cache.render(page, None, Files(file("a.md", "a/")))
    assert cache.cleaned(page, entry().content, str.upper) == entry().content.upper()
    cache.finish(keep_unused=False)
    again = RenderCache(folder)
    again.start(None)
    (key,) = [name.split(".")[0] for name in EntryStore(folder).names()]
    assert again.lookup(key, Files(file("b.md", "b/"))).cleaned == entry().content.upper()


class Index:
    def __init__(self) -> None:
        self.config = {"lang": ["en"], "separator": "[\\s]+"}
        self.entries: list[dict] = []
        self.calls = 0

    def add_entry_from_context(self, page) -> None:
        self.calls += 1
        self.entries.append({"location": page.url, "title": page.title, "text": page.content})


def search_page(content="<p>text</p>", title="A"):
    return SimpleNamespace(url="a/", title=title, content=content, meta={}, toc=[], file=SimpleNamespace(src_uri="a.md"))


def test_search_entries_are_made_once_and_added_again_as_they_were(tmp_path):
    cache = RenderCache(None)
    cache.digest = "d"
    index = Index()
    plugin = SimpleNamespace(search_index=index)
    assert searchcache.index_through_cache(plugin, cache, version="9.8.1")
    index.add_entry_from_context(search_page())
    index.add_entry_from_context(search_page())
    assert index.calls == 1 and index.entries[0] == index.entries[1]
    index.entries[0]["text"] = "changed later by the index"  # what the index does to its entries stays there
    index.add_entry_from_context(search_page())
    assert index.entries[2]["text"] == "<p>text</p>"
    index.add_entry_from_context(search_page(title="B"))
    assert index.calls == 2


def test_a_page_not_built_again_gets_the_search_entries_kept_for_it():
    cache = RenderCache(None)
    cache.digest = "d"
    index = Index()
    indexing = searchcache.index_through_cache(SimpleNamespace(search_index=index), cache, version="9.8.1")
    page = search_page()
    index.add_entry_from_context(page)
    key = cache.section_by_page["a.md"]
    assert indexing.add_kept(page, key) and index.calls == 1 and index.entries[1] == index.entries[0]
    assert not indexing.add_kept(page, "no-such-key") and len(index.entries) == 2


@pytest.mark.parametrize("version", ["9.7.0", "10.0.0", ""])
def test_another_material_indexes_every_page_itself(version):
    index = Index()
    original = index.add_entry_from_context
    assert not searchcache.index_through_cache(SimpleNamespace(search_index=index), RenderCache(None), version=version)
    assert index.add_entry_from_context == original


def test_the_render_path_is_used_only_with_the_mkdocs_it_repeats():
    assert rendercache.supported("1.6.1")
    assert not rendercache.supported("1.6.2")
    assert not rendercache.supported("2.0.0")
