"""A re-sync keeps the pages that would come out the same (ingest/site/history.py, ``input`` in the manifest):
only docs whose page can change go through the body stages, and the docs_dir is byte for byte what a
fresh sync of the same export writes."""

from __future__ import annotations

import dataclasses
import json
import shutil

import pytest
from helpers import page, snapshot

from ingest.commands.sync import sync
from ingest.model import Document
from ingest.site import build
from ingest.site.build import normalize_key
from ingest.site.history import input_key
from ingest.transform.normalize import NormalizeConfig

EXPORT = {
    "index.md": page("1home", "Home", "See [the guide](guides/edit.md)."),
    "guides.md": page("1guides", "Guides", "{{% children %}}"),
    "guides/edit.md": page("1edit", "Edit me", "Text <b onclick=\"x()\">bold</b> and [Home](../index.md)."),
    "guides/keep.md": page("1keep", "Keep", "![](keep.assets/k.png)"),
    "guides/keep.assets/k.png": b"\x89PNG keep",
    "guides/broken.md": page("1broken", "Broken", "[gone](missing.md)"),
    "activities/ahe-6.md": page("1ahe6", "AHE 6 - Provide Education",
                                "**Activity Weighting:** High\n\n**Subcategory:** Achieving Health Equity\n\n"
                                "**Description:** Teach new clinicians.\n"),
}


@pytest.fixture
def rendered(monkeypatch) -> list[str]:
    """The sources that went through the body stages in each sync since the test began."""
    made: list[str] = []
    real = build._render_one

    def counting(context, i):
        made.append(context.docs[i].source)
        return real(context, i)

    monkeypatch.setattr(build, "_render_one", counting)
    return made


def resync_against_fresh(make_export, tmp_path, files: dict, rendered: list[str]) -> list[str]:
    """Sync EXPORT, then ``files`` over it; check the result against a fresh sync; the docs made again."""
    out = tmp_path / "docs"
    sync(make_export(EXPORT), out)
    shutil.rmtree(tmp_path / "export")
    rendered.clear()
    export = make_export(files)
    sync(export, out)
    again = list(rendered)
    sync(export, tmp_path / "fresh")
    assert snapshot(out) == snapshot(tmp_path / "fresh")  # the manifest too: the export is at the same path
    return again


def test_editing_one_doc_makes_only_its_page_again(make_export, tmp_path, rendered):
    files = {**EXPORT, "guides/keep.md": page("1keep", "Keep", "![](keep.assets/k.png)\n\nA new line.")}
    assert resync_against_fresh(make_export, tmp_path, files, rendered) == ["guides/keep.md"]


def test_what_the_kept_pages_found_is_reported_again(make_export, tmp_path, rendered):
    """Problems, fixes and activities of the pages kept come from the manifest: the report is the same."""
    out = tmp_path / "docs"
    first = sync(make_export(EXPORT), out)
    shutil.rmtree(tmp_path / "export")
    rendered.clear()
    second = sync(make_export({**EXPORT, "index.md": page("1home", "Home", "See [the guide](guides/edit.md). More.")}),
                  out)
    assert rendered == ["index.md"]
    assert {p.file for p in first.problems} >= {"guides/broken.md", "guides/edit.md"}
    assert [p.to_dict() for p in second.problems] == [p.to_dict() for p in first.problems]
    assert second.fixes == first.fixes and second.counts == first.counts
    assert "AHE 6" in (out / "activities" / "index.md").read_text("utf-8")


def test_a_new_title_makes_again_only_its_page_and_the_pages_listing_it(make_export, tmp_path, rendered):
    """A title reaches other pages through the lists of pages (``children``), not through links."""
    files = {**EXPORT, "guides/keep.md": page("1keep", "Kept", "![](keep.assets/k.png)")}
    again = resync_against_fresh(make_export, tmp_path, files, rendered)
    assert sorted(again) == ["guides.md", "guides/keep.md"]
    assert "[Kept](keep.md)" in (tmp_path / "docs" / "guides" / "index.md").read_text("utf-8")


def test_a_new_title_that_moves_a_doc_among_its_siblings_makes_again_only_the_pages_that_show_the_order(
        make_export, tmp_path, rendered):
    """Siblings are sorted by title: the order shows in the lists of pages, not in the other pages."""
    files = {**EXPORT, "guides/keep.md": page("1keep", "A kept page", "![](keep.assets/k.png)")}
    again = resync_against_fresh(make_export, tmp_path, files, rendered)
    assert sorted(again) == ["guides.md", "guides/keep.md"]
    listing = (tmp_path / "docs" / "guides" / "index.md").read_text("utf-8")
    assert listing.index("[A kept page](keep.md)") < listing.index("[Broken](broken.md)")


def test_a_new_section_title_makes_its_activities_again(make_export, tmp_path, rendered):
    """An activity's performance year is read from its nav section's title."""
    with_section = {**EXPORT, "activities.md": page("1acts", "2018 Improvement Activities", "Intro.")}
    out = tmp_path / "docs"
    sync(make_export(with_section), out)
    shutil.rmtree(tmp_path / "export")
    rendered.clear()
    export = make_export({**with_section, "activities.md": page("1acts", "2019 Improvement Activities", "Intro.")})
    sync(export, out)
    assert sorted(rendered) == ["activities.md", "activities/ahe-6.md", "guides.md"]  # guides.md lists pages
    sync(export, tmp_path / "fresh")
    assert snapshot(out) == snapshot(tmp_path / "fresh")
    assert "2019" in (out / "activities" / "ahe-6.md").read_text("utf-8")


def test_a_new_label_makes_the_pages_listing_that_label_again(make_export, tmp_path, rendered):
    listing = {**EXPORT, "labels.md": page("1labels", "Labelled", "{{% contentbylabel label=\"howto\" %}}")}
    out = tmp_path / "docs"
    sync(make_export(listing), out)
    shutil.rmtree(tmp_path / "export")
    rendered.clear()
    export = make_export({**listing, "guides/keep.md": page("1keep", "Keep", "![](keep.assets/k.png)", labels=["howto"])})
    sync(export, out)
    assert sorted(rendered) == ["guides.md", "guides/keep.md", "labels.md"]  # guides.md lists pages too
    sync(export, tmp_path / "fresh")
    assert snapshot(out) == snapshot(tmp_path / "fresh")
    assert "[Keep](guides/keep.md)" in (out / "labels.md").read_text("utf-8")


@pytest.mark.parametrize("dated_back", [False, True])
def test_a_page_edited_by_hand_is_made_again(make_export, tmp_path, rendered, dated_back):
    """Edited to the same size; or with its dates set back to the sync's too, which its change time tells (the
    export changed as well then: with no change, nothing is read, and a hand edit with old dates stays)."""
    import os

    out = tmp_path / "docs"
    export = make_export(EXPORT)
    sync(export, out)
    fresh = snapshot(out)
    target = out / "guides" / "keep.md"
    before = target.stat()
    target.write_bytes(target.read_bytes().replace(b"keep", b"KEEP"))  # same size, new content
    if dated_back:
        os.utime(target, ns=(before.st_atime_ns, before.st_mtime_ns))
        edited = export / "guides" / "edit.md"
        edited.write_bytes(edited.read_bytes() + b"\nMore.\n")
    rendered.clear()
    sync(export, out)
    assert sorted(rendered) == (["guides/edit.md", "guides/keep.md"] if dated_back else ["guides/keep.md"])
    assert (out / "guides" / "keep.md").read_bytes() == fresh["guides/keep.md"]
    if not dated_back:
        assert snapshot(out) == fresh


def test_the_input_key_covers_every_field_of_a_document():
    """A field added to Document must be part of the key, or a page could be kept when it changed. The body is
    a function of the text key (the doc's title and body as exported, the fixes chosen and the code)."""
    doc = Document(source="a.md", meta={"id": "1a", "title": "A"}, body="Body", body_line=3, fixes=("nbsp",),
                   dest="a.md", encoding="utf-8", meta_lines={"id": 2})
    text_key = normalize_key(doc, NormalizeConfig(), "code")
    key = input_key("digest", doc, text_key, "a.md")
    changed = {"source": "b.md", "meta": {"id": "1a", "title": "B"}, "body_line": 4,
               "fixes": (), "dest": "b.md", "encoding": "cp1252", "meta_lines": {"id": 3}}
    assert {field.name for field in dataclasses.fields(Document)} == set(changed) | {"body"}
    for name, value in changed.items():
        assert input_key("digest", dataclasses.replace(doc, **{name: value}), text_key, "a.md") != key, name
    assert input_key("other", doc, text_key, "a.md") != key
    assert input_key("digest", doc, text_key, "b/a.md") != key
    for other in (dataclasses.replace(doc, body="Body as exported"), dataclasses.replace(doc, meta={"title": "B"})):
        assert input_key("digest", doc, normalize_key(other, NormalizeConfig(), "code"), "a.md") != key
    assert input_key("digest", doc, normalize_key(doc, NormalizeConfig(), "other code"), "a.md") != key
    assert input_key("digest", doc, normalize_key(doc, NormalizeConfig(bullets=False), "code"), "a.md") != key


@pytest.mark.parametrize("made", [None, "x", {"problems": ["x"], "fixes": [], "activity": None},
                                  {"problems": [], "fixes": 5, "activity": None},
                                  {"problems": [], "fixes": [], "activity": {"title": "x"}}])
def test_a_manifest_record_edited_by_hand_makes_the_page_again(make_export, tmp_path, rendered, made):
    import json

    out = tmp_path / "docs"
    export = make_export(EXPORT)
    sync(export, out)
    fresh = snapshot(out)
    manifest_path = out / ".ingest" / "manifest.json"
    manifest = json.loads(manifest_path.read_text("utf-8"))
    manifest["docs"]["1keep"]["made"] = made
    manifest_path.write_text(json.dumps(manifest), "utf-8")
    (export / "index.md").touch()  # the export "changed": the sync runs its stages
    rendered.clear()
    sync(export, out)
    assert "guides/keep.md" in rendered
    assert {k: v for k, v in snapshot(out).items() if k != ".ingest/manifest.json"} == \
        {k: v for k, v in fresh.items() if k != ".ingest/manifest.json"}


# --- normalising is kept too (ingest/output/normalcache.py) ---------------------------------------

ODD = {**EXPORT, "guides/odd.md": page("1odd", "Odd Â Title", "Costs 5Â dollars.\n\n• one\n• two")}


@pytest.fixture
def normalised(monkeypatch) -> list[str]:
    """The sources normalised in each sync since the test began."""
    made: list[str] = []
    real = build.normalized_text

    def counting(doc, config):
        made.append(doc.source)
        return real(doc, config)

    monkeypatch.setattr(build, "normalized_text", counting)
    return made


def test_a_resync_normalises_only_the_docs_whose_text_changed(make_export, tmp_path, normalised):
    out = tmp_path / "docs"
    sync(make_export(ODD), out)
    assert "guides/odd.md" in normalised
    shutil.rmtree(tmp_path / "export")
    normalised.clear()
    export = make_export({**ODD, "guides/edit.md": page("1edit", "Edit me", "Edited in Drive.")})
    sync(export, out)
    assert normalised == ["guides/edit.md"]
    odd = (out / "guides" / "odd.md").read_text("utf-8")
    assert "- one" in odd and "•" not in odd  # the kept fixes, applied again
    sync(export, tmp_path / "fresh")
    assert snapshot(out) == snapshot(tmp_path / "fresh")


@pytest.mark.parametrize("damage", ["garbage", "cut short", "another ingest", "not a dict"])
def test_a_damaged_normalise_cache_costs_only_time(make_export, tmp_path, normalised, damage):
    import pickle

    from ingest.output.normalcache import cache_path

    out = tmp_path / "docs"
    sync(make_export(ODD), out)
    whole = cache_path(out).read_bytes()
    header = whole.split(b"\n", 1)[0] + b"\n"
    cache_path(out).write_bytes({"garbage": b"{not a pickle", "cut short": whole[:len(whole) // 2],
                                 "another ingest": b"ingest-normal 2 0.0.1:000000000000\n" + whole[len(header):],
                                 "not a dict": header + pickle.dumps(["a list"])}[damage])
    shutil.rmtree(tmp_path / "export")
    normalised.clear()
    export = make_export({**ODD, "guides/edit.md": page("1edit", "Edit me", "Edited in Drive.")})
    sync(export, out)
    assert len(normalised) == len(ODD) - 1  # every doc (the image is not one), none from the damaged file
    sync(export, tmp_path / "fresh")
    assert snapshot(out) == snapshot(tmp_path / "fresh")


def test_the_json_normalise_cache_of_earlier_versions_is_removed(make_export, tmp_path):
    from ingest.output.normalcache import cache_path

    out = tmp_path / "docs"
    old = tmp_path / ".docs.ingest-cache.json"
    old.write_text('{"format": 1, "normalized": {}}', "utf-8")
    sync(make_export(ODD), out)
    assert cache_path(out).is_file() and not old.exists()


# --- reading is kept too (ingest/output/readcache.py) ---------------------------------------------

@pytest.fixture
def read_docs(monkeypatch) -> list[str]:
    """The docs read (and parsed) from the export in each sync since the test began (one process)."""
    from ingest.read import export as reading

    made: list[str] = []
    real = reading._read_document

    def counting(context, i):
        made.append(context[1][i][0])
        return real(context, i)

    monkeypatch.setattr(reading, "_read_document", counting)
    return made


def test_a_resync_reads_only_the_docs_whose_file_changed(make_export, tmp_path, read_docs):
    """What the sync read of each doc is kept beside the docs_dir, by the file's size, dates and inode."""
    out = tmp_path / "docs"
    export = make_export(EXPORT)
    sync(export, out, jobs=1)
    assert sorted(read_docs) == sorted(name for name in EXPORT if name.endswith(".md"))
    read_docs.clear()
    edit = export / "guides" / "edit.md"
    edit.write_text(edit.read_text("utf-8").replace("Text", "Text edited in Drive,"), "utf-8")
    sync(export, out, jobs=1)
    assert read_docs == ["guides/edit.md"]
    assert "edited in Drive" in (out / "guides" / "edit.md").read_text("utf-8")
    sync(export, tmp_path / "fresh", jobs=1)
    assert snapshot(out) == snapshot(tmp_path / "fresh")


@pytest.mark.parametrize("damage", ["garbage", "cut short", "another ingest", "not a dict"])
def test_a_damaged_read_cache_costs_only_time(make_export, tmp_path, read_docs, damage):
    import pickle

    from ingest.output.readcache import read_cache_path

    out = tmp_path / "docs"
    export = make_export(EXPORT)
    sync(export, out, jobs=1)
    path = read_cache_path(out)
    whole = path.read_bytes()
    header = whole.split(b"\n", 1)[0] + b"\n"
    path.write_bytes({"garbage": b"\x80\x04not a pickle at all", "cut short": whole[:len(whole) // 2],
                      "another ingest": b"ingest-read 1 0.0.1:000000000000\n" + whole[len(header):],
                      "not a dict": header + pickle.dumps(["a list"])}[damage])
    read_docs.clear()
    edit = export / "guides" / "edit.md"
    edit.write_text(edit.read_text("utf-8").replace("Text", "Text edited in Drive,"), "utf-8")
    sync(export, out, jobs=1)
    assert sorted(read_docs) == sorted(name for name in EXPORT if name.endswith(".md"))  # all read again
    sync(export, tmp_path / "fresh", jobs=1)
    assert snapshot(out) == snapshot(tmp_path / "fresh")
    read_docs.clear()
    sync(export, tmp_path / "again", jobs=1)  # into another docs_dir: its own cache, nothing kept yet
    assert sorted(read_docs) == sorted(name for name in EXPORT if name.endswith(".md"))


def test_a_dry_run_keeps_no_read_cache(make_export, tmp_path):
    from ingest.output.readcache import read_cache_path

    out = tmp_path / "docs"
    sync(make_export(EXPORT), out, dry_run=True, jobs=1)
    assert not read_cache_path(out).exists()


SAFE_SVG = b'<svg xmlns="http://www.w3.org/2000/svg"><rect width="4" height="4"/></svg>'
UNSAFE_SVG = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'


def test_an_svg_is_checked_again_only_when_its_file_changed(make_export, tmp_path, monkeypatch):
    """A browser runs the scripts in an SVG it opens: each is checked when read, and what the check found is
    kept with the doc reads; an SVG rewritten with a script is refused at the next sync."""
    from ingest.read import export as reading

    checked: list[str] = []
    real = reading.svg_problem
    monkeypatch.setattr(reading, "svg_problem", lambda text: (checked.append(text), real(text))[1])
    files = {**EXPORT, "guides/edit.md": page("1edit", "Edit me", "![](edit.assets/d.svg)"),
             "guides/edit.assets/d.svg": SAFE_SVG}
    out = tmp_path / "docs"
    export = make_export(files)
    sync(export, out, jobs=1)
    assert len(checked) == 1 and (out / "guides" / "edit.assets" / "d.svg").is_file()
    (export / "index.md").write_text((export / "index.md").read_text("utf-8") + "\nMore.\n", "utf-8")
    sync(export, out, jobs=1)
    assert len(checked) == 1  # the SVG's file is the same: not read again
    (export / "guides" / "edit.assets" / "d.svg").write_bytes(UNSAFE_SVG)
    result = sync(export, out, jobs=1)
    assert len(checked) == 2 and not (out / "guides" / "edit.assets" / "d.svg").exists()
    assert "unsafe-svg" in [problem.kind for problem in result.problems]
    (export / "index.md").write_text((export / "index.md").read_text("utf-8") + "\nAnd more.\n", "utf-8")
    result = sync(export, out, jobs=1)  # the kept verdict still refuses it, and still says why
    assert len(checked) == 2
    fresh = sync(export, tmp_path / "fresh", jobs=1)  # another docs_dir: nothing kept, the SVG read
    assert len(checked) == 3 and result.report()["problems"] == fresh.report()["problems"]
    assert snapshot(out) == snapshot(tmp_path / "fresh")


def test_the_navigation_document_is_parsed_again_only_when_its_file_changed(make_export, tmp_path, monkeypatch):
    """A whole wiki's navigation document is a tenth of a second to parse: its entries are kept with the reads,
    and a navigation document rewritten with another order puts the nav in that order at the next sync."""
    from ingest.read import navigation as reading

    parsed: list[str] = []
    real = reading.parse_navigation
    monkeypatch.setattr(reading, "parse_navigation", lambda text: (parsed.append(text), real(text))[1])
    order = "* [Home](index.md)\n* [Guides](guides.md)\n   * [Keep](guides/keep.md)\n   * [Edit me](guides/edit.md)\n"
    out = tmp_path / "docs"
    export = make_export({**EXPORT, "navigation.md": "---\nlinks: []\n---\n" + order})
    first = sync(export, out, jobs=1)
    assert len(parsed) == 1
    (export / "index.md").write_text((export / "index.md").read_text("utf-8") + "\nMore.\n", "utf-8")
    sync(export, out, jobs=1)
    assert len(parsed) == 1  # its file is the same: its entries are the kept ones
    assert _order(first.manifest.nav, "Keep", "Edit me") == ["Keep", "Edit me"]
    swapped = order.replace("   * [Keep](guides/keep.md)\n   * [Edit me](guides/edit.md)\n",
                            "   * [Edit me](guides/edit.md)\n   * [Keep](guides/keep.md)\n")
    (export / "navigation.md").write_text("---\nlinks: []\n---\n" + swapped, "utf-8")
    assert _order(sync(export, out, jobs=1).manifest.nav, "Keep", "Edit me") == ["Edit me", "Keep"]
    assert len(parsed) == 2
    sync(export, tmp_path / "fresh", jobs=1)
    assert len(parsed) == 3  # another docs_dir: nothing kept
    assert snapshot(out) == snapshot(tmp_path / "fresh")


def _order(nav: list, *titles: str) -> list[str]:
    """``titles`` in the order the nav (MkDocs' ``nav``, as the manifest keeps it) lists them."""
    text = json.dumps(nav)
    return sorted(titles, key=lambda title: text.index(json.dumps(title)))
