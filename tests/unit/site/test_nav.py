"""Stage 5 (ingest/nav.py): where each doc goes in the navigation, compared as indented trees."""

from __future__ import annotations

import textwrap
from typing import Any

import pytest

from ingest.model import Document
from ingest.read.navigation import navigation_document
from ingest.read.export import read_export
from ingest.site.build import build_site
from ingest.site.nav import build_navigation


def d(source: str, title: str, parent: str | None = None, weight: Any = None, ident: str | None = None,
      **meta: Any) -> Document:
    """A doc whose id is its title in lower case (unless given), placed by menu when parent/weight are set."""
    fields: dict[str, Any] = {"id": ident or title.lower().replace(" ", "-"), "title": title, **meta}
    if parent is not None or weight is not None:
        fields["menu"] = {"main": {"name": title, "parent": parent, "weight": weight}}
    return Document(source, fields, f"Body of {title}\n")


def tree(text: str) -> str:
    return textwrap.dedent(text).strip("\n")


def kinds(navigation) -> list[tuple[str, str]]:
    return [(p.file, p.kind) for p in navigation.problems]


HOME = d("index.md", "Home")


# --- (a) a navigation document ----------------------------------------------------------------

NAVIGATION = """\
- [Zeta](zeta.md)
    - [Alpha](alpha.md)
    - [One](gdoc:1oneOneOneOneOne)
        - [Deep](guides/deep.md)
- [Beta](beta.txt)
"""


@pytest.mark.parametrize("name", ["navigation.md", ".navigation.md"])
def test_navigation_document_gives_tree_and_order(make_export, name):
    meta = lambda ident, title, **extra: ({"id": ident, "title": title, **extra}, f"{title} body\n")  # noqa: E731
    root = make_export({
        name: NAVIGATION,
        "index.md": meta("1home", "Home"),
        "alpha.md": meta("1alpha", "Alpha"),
        "beta.txt": meta("1beta", "Beta"),
        "zeta.md": meta("1zeta", "Zeta"),
        "guides/one.md": meta("1oneOneOneOneOne", "One", menu={"main": {"parent": "1beta", "weight": 1}}),
        "guides/deep.md": meta("1deep", "Deep"),
        "aardvark.md": meta("1aardvark", "Aardvark"),
    })
    export = read_export(root)
    assert name not in [doc.source for doc in export.documents]
    navigation = build_navigation(export.documents, export.folder_titles, export.navigation)
    assert str(navigation.root) == tree("""
        Zeta (zeta/index.md)
            Alpha (alpha.md)
            One (guides/one/index.md)
                Deep (guides/deep.md)
        Beta (beta.md)
        Aardvark (aardvark.md)
        """)
    assert navigation.problems == []


def test_navigation_entry_without_link_is_a_section():
    navigation = build_navigation([HOME, d("a.md", "A"), d("b.md", "B")], {},
                                  navigation_document("navigation.md", "- Reference\n    - [B](b.md)\n    - [A](a.md)\n"))
    (section,) = navigation.root.children
    assert section.title == "Reference"
    assert [child.title for child in section.children] == ["B", "A"]
    assert section.dest in {page.dest for page in navigation.generated}


def test_navigation_entry_to_missing_doc_is_reported():
    navigation = build_navigation([HOME, d("a.md", "A")], {}, navigation_document("navigation.md", "- [A](a.md)\n- [Gone](gone.md)\n"))
    assert kinds(navigation) == [("navigation.md", "navigation-entry")]
    assert str(navigation.root) == "A (a.md)"


# The navigation doc as current wikiGDrive writes it: front matter listing every path (`links:`, not
# the nav), `*` items nested 3 spaces a level, labels that are not the docs' titles.
WIKIGDRIVE_NAVIGATION = """\
---
id: '15ph1CZwQ9C9J0gXCJo1s9JE8ApXfFct4w2RJoDqRvz4'
title: 'navigation'
links:
  - 'programs.md'
  - 'programs/clinical.md'
  - 'functions.md'
  - 'stray.md'
---
* [Programs](programs.md)
   * [Clinical Medicine](programs/clinical.md)
      * [Deep](programs/clinical/deep.md)
* [Functions](functions.md)
   * QuickView
   * [Gone](https://drive.google.com/open?id=1goneGoneGoneGoneGone)
      * [Rescued](functions/rescued.md)
   * [Pocket](https://drive.google.com/open?id=1pocketPocketPocket)[Registration](functions/old-registration.md)
      * [Tab](functions/registration/tab.md)
"""


def test_wikigdrive_navigation_document(make_export):
    meta = lambda ident, title, **extra: ({"id": ident, "title": title, **extra}, f"{title} body\n")  # noqa: E731
    root = make_export({
        "navigation.md": WIKIGDRIVE_NAVIGATION,
        "index.md": meta("1home", "Home"),
        "programs.md": meta("1programs", "Programs"),
        "programs/clinical.md": meta("1clinical", "Clinical Medicine Programs"),
        "programs/clinical/deep.md": meta("1deep", "Deep"),
        "functions.md": meta("1functions", "Functions"),
        "functions/rescued.md": meta("1rescued", "Rescued"),
        "functions/registration.md": meta("1registration", "Patient Registration"),
        "functions/old-registration.md": meta("1registration", "Redirect to: Patient Registration",
                                              redirectTo="1registration", url="registration.md"),
        "functions/registration/tab.md": meta("1tab", "Tab"),
        "stray.md": meta("1stray", "Stray"),
    })
    export = read_export(root)
    assert export.navigation.text.startswith("* [Programs]") and export.navigation.first_line == 10
    site = build_site(export)
    assert "'programs.md'" not in str(site.nav)  # the front matter is not the nav
    top = [next(iter(item)) for item in site.nav]
    assert top[:3] == ["Home", "Programs", "Functions"]
    assert "Stray" in top  # a doc the navigation doc does not list is placed by its folder
    programs, functions = site.nav[1]["Programs"], site.nav[2]["Functions"]
    # the navigation doc's label, not the doc's title; three-space nesting read as CommonMark
    assert programs[1] == {"Clinical Medicine": ["programs/clinical/index.md", {"Deep": "programs/clinical/deep.md"}]}
    # a bare label with nothing under it, and an entry to a missing doc, are left out; the missing doc's
    # children move up to its parent; the entry to a stub shows the stub's target
    assert [next(iter(item)) for item in functions[1:]] == ["Rescued", "Registration"]
    assert functions[2] == {"Registration": ["functions/registration/index.md", {"Tab": "functions/registration/tab.md"}]}
    lines = sorted((p.line, p.message.split("'")[1]) for p in site.problems if p.kind == "navigation-entry")
    assert lines == [(14, "QuickView"), (15, "Gone"), (17, "Pocket")]
    assert "Redirect to" not in str(site.nav) and "functions/old-registration.md" not in site.pages


# --- (b) menu parent and weight ---------------------------------------------------------------

def test_menu_parent_and_weight_give_tree_sorted_by_weight_then_title():
    docs = [
        HOME,
        d("guides.md", "Guides", "home", 2500),
        d("reference.md", "Reference", "home", 2400),
        d("guides/b.md", "Bravo", "guides", 20),
        d("guides/a.md", "Alpha", "guides", 20),
        d("guides/c.md", "Charlie", "guides", 10),
        d("elsewhere/x.md", "X-ray", "reference", 1),
    ]
    navigation = build_navigation(docs, {})
    assert str(navigation.root) == tree("""
        Reference (reference/index.md)
            X-ray (elsewhere/x.md)
        Guides (guides/index.md)
            Charlie (guides/c.md)
            Alpha (guides/a.md)
            Bravo (guides/b.md)
        """)
    assert navigation.problems == []


def test_weights_compare_as_numbers():
    docs = [HOME, d("s.md", "S", "home", 1), d("s/a.md", "A", "s", 900), d("s/b.md", "B", "s", "1000"),
            d("s/c.md", "C", "s", 80.5)]
    navigation = build_navigation(docs, {})
    assert [c.title for c in navigation.root.children[0].children] == ["C", "A", "B"]


def test_weight_that_is_not_a_number_is_reported():
    navigation = build_navigation([HOME, d("a.md", "A", "home", "ten"), d("b.md", "B", "home", 5)], {})
    assert kinds(navigation) == [("a.md", "invalid-weight")]
    assert "'ten'" in navigation.problems[0].message


def test_mixed_export_places_menu_and_folder_docs_together():
    """Like the seeds: AHE 6 has no menu, PM 6 and CC 7 name the section as parent."""
    docs = [
        HOME,
        d("ia.md", "Improvement Activities Measures", "home", 2570),
        d("ia/2018.md", "2018 Improvement Activities", "improvement-activities-measures", 2580),
        d("ia/2018/ahe-6.md", "AHE 6 - Provide Education"),
        d("ia/2018/pm-6.md", "PM 6 - Use of Toolsets", "2018-improvement-activities", 3260),
        d("ia/2018/cc-7.md", "CC 7 - Regular Training", "2018-improvement-activities", 3030),
    ]
    navigation = build_navigation(docs, {})
    assert str(navigation.root) == tree("""
        Improvement Activities Measures (ia/index.md)
            2018 Improvement Activities (ia/2018/index.md)
                AHE 6 - Provide Education (ia/2018/ahe-6.md)
                CC 7 - Regular Training (ia/2018/cc-7.md)
                PM 6 - Use of Toolsets (ia/2018/pm-6.md)
        """)


def test_missing_parent_goes_to_top_level_with_a_warning():
    navigation = build_navigation([HOME, d("a.md", "A", "home", 2), d("g/lost.md", "Lost", "1NoSuchParent", 1)], {})
    assert str(navigation.root) == tree("""
        Lost (g/lost.md)
        A (a.md)
        """)
    assert kinds(navigation) == [("g/lost.md", "missing-parent")]
    assert "1NoSuchParent" in navigation.problems[0].message


def test_parent_cycle_is_broken_with_a_warning():
    docs = [HOME, d("a.md", "A", "b", 1), d("b.md", "B", "c", 1), d("c.md", "C", "a", 1), d("z.md", "Z", "home", 9)]
    navigation = build_navigation(docs, {})
    placed = [node.title for node in navigation.root.walk()]
    assert sorted(placed) == ["A", "B", "C", "Z"]
    assert [kind for _, kind in kinds(navigation)] == ["parent-cycle"]
    top = [node.title for node in navigation.root.children]
    assert len(set(top) & {"A", "B", "C"}) == 1


def test_doc_that_is_its_own_parent_is_a_cycle_with_a_warning():
    navigation = build_navigation([HOME, d("a.md", "A", "a", 1), d("b.md", "B", "home", 2)], {})
    assert str(navigation.root) == tree("""
        A (a.md)
        B (b.md)
        """)
    assert kinds(navigation) == [("a.md", "parent-cycle")]


def test_duplicate_ids_are_reported():
    docs = [HOME, d("a.md", "A", ident="1same"), d("b/b.md", "B", ident="1same")]
    navigation = build_navigation(docs, {})
    assert kinds(navigation) == [("b/b.md", "duplicate-id")]
    assert "a.md" in navigation.problems[0].message and "1same" in navigation.problems[0].message


# --- (c) the folder tree ----------------------------------------------------------------------

def test_folder_and_sibling_doc_are_one_section():
    docs = [HOME, d("guides.md", "Guides"), d("guides/zulu.md", "Zulu"), d("guides/alpha.md", "Alpha"),
            d("guides/sub/_index.md", "Sub Section"), d("guides/sub/leaf.md", "Leaf")]
    navigation = build_navigation(docs, {"guides/sub": "Folder title"})
    assert str(navigation.root) == tree("""
        Guides (guides/index.md)
            Alpha (guides/alpha.md)
            Sub Section (guides/sub/index.md)
                Leaf (guides/sub/leaf.md)
            Zulu (guides/zulu.md)
        """)
    assert navigation.dest_by_source["guides.md"] == "guides/index.md"
    assert navigation.generated == []


def test_folder_without_a_page_gets_a_generated_one_named_from_drive():
    docs = [HOME, d("manuals/b.md", "Billing"), d("manuals/a.md", "Admissions")]
    navigation = build_navigation(docs, {"manuals": "User Manuals"})
    assert str(navigation.root) == tree("""
        User Manuals (manuals/index.md)
            Admissions (manuals/a.md)
            Billing (manuals/b.md)
        """)
    assert [(page.dest, page.title) for page in navigation.generated] == [("manuals/index.md", "User Manuals")]


def test_section_page_is_the_first_entry_of_its_nav_section():
    navigation = build_navigation([HOME, d("guides.md", "Guides"), d("guides/a.md", "A")], {})
    assert navigation.to_mkdocs() == [{"Home": "index.md"}, {"Guides": ["guides/index.md", {"A": "guides/a.md"}]}]


def test_export_without_home_gets_a_generated_home():
    navigation = build_navigation([d("a.md", "A")], {"": "Quality of Care Help"})
    assert ("index.md", "Quality of Care Help") in [(page.dest, page.title) for page in navigation.generated]


# --- what never appears in the nav ------------------------------------------------------------

def nav_entries(nav: list) -> list[tuple[str, str]]:
    found = []
    for item in nav:
        if isinstance(item, str):
            found.append(("", item))
            continue
        for title, value in item.items():
            if isinstance(value, list):
                found.append((title, value[0] if isinstance(value[0], str) else ""))
                found.extend(nav_entries(value[1:]))
            else:
                found.append((title, value))
    return found


def test_redirect_stubs_and_clash_copies_are_not_in_the_nav(make_export):
    page = lambda ident, title, **extra: ({"id": ident, "title": title, **extra}, "Body\n")  # noqa: E731
    root = make_export({
        "index.md": page("1home", "Home"),
        "guides/intro.md": page("1intro", "Intro"),
        "guides/intro@1.md": page("1introcopy", "Intro (copy)"),
        "guides/old-intro.md": page("1intro", "Redirect to: Intro", redirectTo="1intro", url="intro.md"),
    })
    site = build_site(read_export(root))
    entries = nav_entries(site.nav)
    titles = [title for title, _ in entries]
    paths = [path for _, path in entries]
    assert "Intro" in titles
    assert not any("Redirect to" in title or "copy" in title for title in titles)
    assert not any("@1" in path or "old-intro" in path for path in paths)
    assert "duplicate-id" not in [p.kind for p in site.problems]
