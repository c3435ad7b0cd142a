"""Redirect stubs (ingest/redirects.py): chains are followed to a live page, loops and dead ends are reported."""

from __future__ import annotations

import pytest

from ingest.model import Document
from ingest.site.redirects import stub_redirects
from ingest.transform.links import LinkIndex


def stub(source: str, ident: str, target: str, url: str | None = None) -> Document:
    meta = {"id": ident, "title": "Redirect", "redirectTo": target, **({"url": url} if url else {})}
    return Document(source, meta, "Renamed\n", meta_lines={"redirectTo": 4})


LIVE = LinkIndex(by_source={"live.md": "live.md", "dir/page.md": "dir/page/index.md"},
                 by_id={"1live": "live.md", "1page": "dir/page/index.md"})

CASES = [
    # (label, stubs, redirects, problems as (file, kind))
    ("to a live doc by id", [stub("old.md", "1live", "1live")], {"old.md": "live.md"}, []),
    ("by url when the id is unknown", [stub("dir/old.md", "1x", "1gone", url="page.md")],
     {"dir/old.md": "dir/page/index.md"}, []),
    ("a chain of stubs", [stub("a.md", "1a", "1b"), stub("b.md", "1b", "1live")],
     {"a.md": "live.md", "b.md": "live.md"}, []),
    ("a chain through url", [stub("a.md", "1a", "1none", url="b.md"), stub("b.md", "1b", "1page")],
     {"a.md": "dir/page/index.md", "b.md": "dir/page/index.md"}, []),
    ("its own target", [stub("self.md", "1self", "1self")], {}, [("self.md", "redirect-loop")]),
    ("a loop of three", [stub("a.md", "1a", "1b"), stub("b.md", "1b", "1c"), stub("c.md", "1c", "1a")], {},
     [("a.md", "redirect-loop"), ("b.md", "redirect-loop"), ("c.md", "redirect-loop")]),
    ("nowhere", [stub("old.md", "1old", "1gone")], {}, [("old.md", "redirect-target-missing")]),
    ("a url out of the export", [stub("old.md", "1old", "1gone", url="../../../etc/passwd")], {},
     [("old.md", "redirect-target-missing")]),
    ("over a live page", [stub("live.txt", "1old", "1page")], {}, [("live.txt", "redirect-clash")]),
]


@pytest.mark.parametrize("label, stubs, redirects, problems", CASES, ids=[c[0] for c in CASES])
def test_stub_redirects(label, stubs, redirects, problems):
    made, found = stub_redirects(stubs, LIVE, live=LIVE.by_source.values())
    assert made == redirects
    assert [(p.file, p.kind) for p in found] == problems
    assert all(p.line == 4 for p in found if p.kind != "redirect-clash")


def test_a_stub_never_replaces_a_generated_page():
    made, found = stub_redirects([stub("index.md", "1home", "1live")], LIVE, live=["index.md"])
    assert made == {} and [p.kind for p in found] == ["redirect-clash"]


# --- current wikiGDrive's rename placeholders -----------------------------------------------------

def placeholder(source: str, ident: str, title: str, link: str) -> Document:
    return Document(source, {"id": ident, "title": title}, f"Renamed to: [{title.split(': ')[-1]}]({link})\n")


def test_rename_placeholder_is_a_stub_to_its_link():
    old = placeholder("guides/old.md", "1oldAAAAAAAAAAA", "Redirect to: Guide", "guide.md")
    assert old.is_redirect_stub and old.redirect_to is None and old.redirect_url == "guide.md"
    index = LinkIndex(by_source={"guides/guide.md": "guides/guide.md"}, by_id={"1guide": "guides/guide.md"})
    redirects, problems = stub_redirects([old], index, live=["guides/guide.md"])
    assert redirects == {"guides/old.md": "guides/guide.md"} and problems == []


def test_conflict_placeholder_redirects_and_is_reported():
    old = placeholder("guides/dup.md", "1dupAAAAAAAAAAA", "Conflict: Redirect to: Guide", "guide.md")
    index = LinkIndex(by_source={"guides/guide.md": "guides/guide.md"})
    redirects, problems = stub_redirects([old], index, live=["guides/guide.md"])
    assert redirects == {"guides/dup.md": "guides/guide.md"}
    assert [p.kind for p in problems] == ["conflict-placeholder"]


def test_a_doc_that_only_mentions_renaming_is_no_placeholder():
    doc = Document("a.md", {"id": "1a", "title": "Redirect to: the new office"}, "We moved. Renamed to: nothing.")
    assert not doc.is_redirect_stub
    doc = Document("b.md", {"id": "1b", "title": "Office"}, "Renamed to: [X](x.md)")
    assert not doc.is_redirect_stub


def test_placeholders_are_not_pages_nor_in_the_nav(make_export):
    from ingest.read.export import read_export
    from ingest.site.build import build_site

    site = build_site(read_export(make_export({
        "index.md": ({"id": "1home", "title": "Home"}, "{{% children %}}"),
        "guide.md": ({"id": "1guide", "title": "Guide"}, "The guide."),
        "old.md": ({"id": "1old", "title": "Redirect to: Guide"}, "Renamed to: [Guide](guide.md)"),
    })))
    assert "old.md" not in site.pages and site.redirects == {"old.md": "guide.md"}
    assert "Redirect to" not in str(site.nav) and "Redirect to" not in site.pages["index.md"]
