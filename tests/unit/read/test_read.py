"""Stage 1 (ingest/read.py): walking an export, decoding files and splitting front matter."""

from __future__ import annotations

import textwrap

import pytest
import yaml

from ingest.commands.sync import sync
from ingest.model import Severity
from ingest.read.document import parse_document
from ingest.read.export import read_export
from ingest.site.build import build_site

DOC = ({"id": "1docAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", "title": "A doc"}, "Body text.\n")
PNG = b"\x89PNG\r\n\x1a\n" + bytes(range(40))


def sources(export) -> list[str]:
    return [doc.source for doc in export.documents]


def page_meta(page: str) -> dict:
    """Front matter of a page the sync wrote."""
    assert page.startswith("---\n")
    return yaml.safe_load(page.split("---\n", 2)[1])


# --- which files are documents -------------------------------------------------------------

def test_md_and_txt_files_are_documents(make_export):
    root = make_export({
        "a.md": DOC,
        "notes/b.txt": "Plain text doc\n\nwith two paragraphs.\n",
        "notes/c.MD": "# Upper-case suffix\n",
    })
    assert sources(read_export(root)) == ["a.md", "notes/b.txt", "notes/c.MD"]


SIDECARS = [".wgd-directory.yaml", ".wgd-local-ab12cd.csv", ".tree.json", "page.debug.xml", "toc.md", "_errors.md"]


@pytest.mark.parametrize("folder", ["", "guides/"], ids=["root", "subfolder"])
@pytest.mark.parametrize("name", SIDECARS)
def test_wikigdrive_sidecar_is_neither_page_nor_asset(make_export, name, folder):
    content = "type: directory\ntitle: Guides\n" if name.endswith(".yaml") else "# sidecar\n"
    root = make_export({"index.md": DOC, "guides.md": DOC, f"{folder}{name}": content})
    export = read_export(root)
    assert f"{folder}{name}" not in sources(export)
    assert f"{folder}{name}" not in [asset.source for asset in export.assets]
    assert [p for p in export.problems if p.file == f"{folder}{name}"] == []


def test_sidecars_are_not_written_to_docs_dir(make_export, tmp_path):
    files = {"index.md": DOC, **{f"g/{name}": "x: 1\n" for name in SIDECARS}, "g/page.md": DOC}
    out = tmp_path / "docs"
    sync(make_export(files), out)
    written = {p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file() and ".ingest" not in p.parts}
    assert not {f"g/{name}" for name in SIDECARS} & written
    assert not any(path.endswith(("toc.md", "_errors.md")) for path in written)


def test_attachment_is_copied_as_an_asset(make_export):
    export = read_export(make_export({"index.md": DOC, "data/report.xlsx": b"PK\x03\x04", "data/codes.csv": "a,b\n"}))
    assert export.problems == []
    assert [asset.source for asset in export.assets] == ["data/codes.csv", "data/report.xlsx"]


@pytest.mark.parametrize("name", ["page.html", "x.assets/run.js", "tool.exe", "data.xml"])
def test_attachment_a_browser_or_computer_would_run_is_refused(make_export, name):
    export = read_export(make_export({"index.md": DOC, name: "<script>alert(1)</script>"}))
    assert [(p.file, p.kind) for p in export.problems] == [(name, "unsafe-attachment")]
    assert export.assets == [] and export.refused_assets == {name}


# --- titles and ids from .wgd-directory.yaml ------------------------------------------------

DIRECTORY_YAML = """\
type: 'directory'
id: '1ukoknN0y9nKxz2EEdZluQPm2c2Tg7FFK'
title: 'Help Centre'
fileMap:
  faq.txt:
    type: 'binary'
    id: '118zf3bmls3XF1CUEQAGo_QJm2lnXVVSy'
    title: 'Frequently Asked Questions'
    mimeType: 'text/plain'
    fileName: 'faq.txt'
  manuals:
    type: 'directory'
    id: '1rbUjtV9XGbFqpGVSboDUk0pYkAvAkaKU'
    title: 'User Manuals'
"""


def test_directory_yaml_titles_a_doc_without_front_matter(make_export):
    root = make_export({".wgd-directory.yaml": DIRECTORY_YAML, "faq.txt": "FAQ Search\n\nThe criteria are:\n"})
    (doc,) = read_export(root).documents
    assert doc.title == "Frequently Asked Questions"
    assert doc.id == "118zf3bmls3XF1CUEQAGo_QJm2lnXVVSy"


def test_front_matter_title_wins_over_directory_yaml(make_export):
    meta = {"id": "118zf3bmls3XF1CUEQAGo_QJm2lnXVVSy", "title": "FAQ (edited)"}
    root = make_export({".wgd-directory.yaml": DIRECTORY_YAML, "faq.txt": (meta, "Body\n")})
    assert read_export(root).documents[0].title == "FAQ (edited)"


def test_directory_yaml_names_folders(make_export):
    root = make_export({".wgd-directory.yaml": DIRECTORY_YAML, "index.md": DOC, "manuals/a.md": DOC})
    assert read_export(root).folder_titles["manuals"] == "User Manuals"


def test_broken_directory_yaml_is_ignored(make_export):
    root = make_export({".wgd-directory.yaml": "fileMap: [unclosed\n", "faq.txt": "FAQ Search\n"})
    export = read_export(root)
    assert [doc.title for doc in export.documents] == ["FAQ Search"]


# --- assets -----------------------------------------------------------------------------------

ASSETS = {
    "guides/getting-started.assets/10000201000000C800000064316B71F3508DB807.png": PNG,
    "guides/getting-started.images/image1.jpg": b"\xff\xd8\xff\xe0JFIF",
    "diagrams/flow.svg": '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"/>',
    "logo.png": PNG[::-1],
    "guides/getting-started.assets/notes.bin": b"\x00\x01",
}


def test_assets_are_listed_with_relative_paths(make_export):
    export = read_export(make_export({"guides/getting-started.md": DOC, **ASSETS}))
    assert sorted(asset.source for asset in export.assets) == sorted(ASSETS)
    assert {asset.source: asset.size for asset in export.assets} == {k: len(v) if isinstance(v, bytes) else len(v.encode()) for k, v in ASSETS.items()}


def test_assets_are_copied_byte_for_byte_keeping_relative_paths(make_export, tmp_path):
    root = make_export({"index.md": DOC, "guides/getting-started.md": DOC, **ASSETS})
    out = tmp_path / "docs"
    sync(root, out)
    for rel in ASSETS:
        assert (out / rel).read_bytes() == (root / rel).read_bytes(), rel


# --- decoding ---------------------------------------------------------------------------------

TEXT = "---\nid: '1menu'\ntitle: 'Café menu'\n---\nIt’s “fine” – naïve.\nSecond line\n"
ENCODINGS = [
    ("utf-8", TEXT.encode("utf-8"), False),
    ("utf-8 with BOM", b"\xef\xbb\xbf" + TEXT.encode("utf-8"), False),
    ("utf-8 CRLF", TEXT.replace("\n", "\r\n").encode("utf-8"), False),
    ("utf-8 BOM CRLF", b"\xef\xbb\xbf" + TEXT.replace("\n", "\r\n").encode("utf-8"), False),
    ("old Mac CR", TEXT.replace("\n", "\r").encode("utf-8"), False),
    ("cp1252", TEXT.encode("cp1252"), True),
    ("cp1252 CRLF", TEXT.replace("\n", "\r\n").encode("cp1252"), True),
]


@pytest.mark.parametrize("label, data, warns", ENCODINGS, ids=[case[0] for case in ENCODINGS])
def test_document_is_decoded_with_front_matter_and_lf_endings(label, data, warns):
    doc, problems = parse_document("menu.md", data)
    assert doc.title == "Café menu"
    assert doc.body == "It’s “fine” – naïve.\nSecond line\n"
    assert [(p.file, p.kind, p.severity) for p in problems] == ([("menu.md", "encoding", Severity.WARNING)] if warns else [])


def test_utf16_document_with_bom_is_detected_with_a_warning():
    doc, problems = parse_document("menu.md", TEXT.encode("utf-16"))
    assert doc is not None and doc.title == "Café menu"
    assert doc.body == "It’s “fine” – naïve.\nSecond line\n"
    assert [(p.kind, "utf" in p.message.lower() and "16" in p.message) for p in problems] == [("encoding", True)]


def test_cp1252_warning_names_the_encoding():
    _, (problem,) = parse_document("guides/old.md", "Naïve – café".encode("cp1252"))
    assert "cp1252" in problem.message and "guides/old.md" in problem.message


# --- front matter -----------------------------------------------------------------------------

FULL_FRONT_MATTER = """\
---
id: '15T6ky0RhKdgtkFM71h4ALHZoHYRNbo51vNsVipSEsQL'
title: 'Getting Started'
date: '2023-03-21T16:40:02.733Z'
version: 58
lastAuthor: 'Dana Whitfield'
mimeType: 'text/x-markdown'
links:
  - '../a.md'
  - 'https://drive.google.com/open?id=1SK7EKbmFSxhVveIiR-xLxJ17bRs31KIc0LbV-_yS2Ps'
source: 'https://drive.google.com/open?id=15T6ky0RhKdgtkFM71h4ALHZoHYRNbo51vNsVipSEsQL'
wikigdrive: '74f4d1b504045661a4a97b0e3aea1d65b95f37ab'
menu:
  main:
    name: 'Getting Started (menu)'
    identifier: '15T6ky0RhKdgtkFM71h4ALHZoHYRNbo51vNsVipSEsQL'
    parent: '14hCjIqNREX6a426B-jKn1yP84cB8aldMgIaRiIuNhJa'
    weight: 2510
redirectTo: '1p3mEZ-ptnnIhMW4LkU82wTtn1AEPyQMXWrmbFyGy07v'
url: 'getting-started.md'
markup: 'markdown'
reviewedBy: 'Quality team'
---
Body
"""

EXPECTED_META = {
    "id": "15T6ky0RhKdgtkFM71h4ALHZoHYRNbo51vNsVipSEsQL",
    "title": "Getting Started",
    "date": "2023-03-21T16:40:02.733Z",
    "version": 58,
    "lastAuthor": "Dana Whitfield",
    "mimeType": "text/x-markdown",
    "links": ["../a.md", "https://drive.google.com/open?id=1SK7EKbmFSxhVveIiR-xLxJ17bRs31KIc0LbV-_yS2Ps"],
    "source": "https://drive.google.com/open?id=15T6ky0RhKdgtkFM71h4ALHZoHYRNbo51vNsVipSEsQL",
    "wikigdrive": "74f4d1b504045661a4a97b0e3aea1d65b95f37ab",
    "menu": {"main": {"name": "Getting Started (menu)", "identifier": "15T6ky0RhKdgtkFM71h4ALHZoHYRNbo51vNsVipSEsQL",
                      "parent": "14hCjIqNREX6a426B-jKn1yP84cB8aldMgIaRiIuNhJa", "weight": 2510}},
    "redirectTo": "1p3mEZ-ptnnIhMW4LkU82wTtn1AEPyQMXWrmbFyGy07v",
    "url": "getting-started.md",
    "markup": "markdown",
    "reviewedBy": "Quality team",
}


def test_every_front_matter_key_is_kept():
    doc, problems = parse_document("guides/getting-started.md", FULL_FRONT_MATTER.encode())
    assert problems == []
    assert doc.meta == EXPECTED_META
    assert doc.body == "Body\n"
    assert doc.body_line == FULL_FRONT_MATTER.splitlines().index("Body") + 1


def test_menu_fields_are_read():
    doc, _ = parse_document("guides/getting-started.md", FULL_FRONT_MATTER.encode())
    assert (doc.menu_parent, doc.menu_weight) == ("14hCjIqNREX6a426B-jKn1yP84cB8aldMgIaRiIuNhJa", 2510)
    assert doc.redirect_to == "1p3mEZ-ptnnIhMW4LkU82wTtn1AEPyQMXWrmbFyGy07v"


def test_page_keeps_unknown_and_metadata_keys(make_export):
    meta = {**{k: v for k, v in EXPECTED_META.items() if k not in ("redirectTo", "url")}}
    meta["menu"] = {"main": {"name": "Guide", "weight": 5}}
    site = build_site(read_export(make_export({"index.md": DOC, "guide.md": (meta, "Body\n")})))
    written = page_meta(site.pages["guide.md"])
    for key in ("title", "date", "version", "lastAuthor", "source", "reviewedBy", "links"):
        assert written[key] == meta[key], key


def test_body_line_counts_blank_lines_after_front_matter():
    text = "---\ntitle: 'A'\n---\n\n\n\nFirst real line\n"
    doc, _ = parse_document("a.md", text.encode())
    assert doc.body.startswith("First real line")
    assert doc.body_line == 7


# --- no front matter --------------------------------------------------------------------------

NO_FRONT_MATTER = [
    ("first heading", "Intro paragraph\n\n## Setting Up **Quality**\n\ntext\n", "Setting Up Quality", []),
    ("first line", "\n\nFAQ Search\n\nThe criteria are:\n", "FAQ Search", []),
    ("linked first line", "[Quality portal](https://example.com) overview\n", "Quality portal overview", []),
    ("empty body, from file name", "", "Measure Notes", ["empty-doc"]),
]


@pytest.mark.parametrize("label, body, title, kinds", NO_FRONT_MATTER, ids=[c[0] for c in NO_FRONT_MATTER])
def test_doc_without_front_matter_gets_a_title(label, body, title, kinds):
    doc, problems = parse_document("guides/measure-notes.txt", body.encode())
    assert [p.kind for p in problems] == kinds
    assert doc.title == title


def test_doc_without_front_matter_gets_a_stable_id_from_its_path(make_export):
    files = {"faq.txt": "FAQ Search\n", "guides/faq.txt": "FAQ Search\n"}
    first = read_export(make_export(files, name="one"))
    again = read_export(make_export(files, name="two"))
    ids = [doc.id for doc in first.documents]
    assert ids == [doc.id for doc in again.documents]
    assert len(set(ids)) == 2 and all(ids)


def test_seed_without_front_matter_becomes_a_page(seeds_dir, make_export):
    seed = next(seeds_dir.glob("004_*"))
    files = {"faq.txt": seed.read_bytes(), "index.md": DOC}
    site = build_site(read_export(make_export(files, name="one")))
    again = build_site(read_export(make_export(files, name="two")))
    meta = page_meta(site.pages["faq.md"])
    assert meta["title"].strip()
    assert meta["id"] and meta["id"] == page_meta(again.pages["faq.md"])["id"]
    assert "The accredited program must define meaningful clinician participation" in site.pages["faq.md"]


# --- invalid front matter ---------------------------------------------------------------------

INVALID_YAML = [
    ("colon in unquoted title", """\
        ---
        id: 'abc123abc123'
        title: Guides: Writing for the wiki
        date: '2023-03-20'
        ---
        Body
        """, 3),
    ("quote inside single-quoted value", """\
        ---
        id: 'abc123abc123'
        date: '2023-03-20'
        title: 'It's here'
        ---
        Body
        """, 4),
    ("tab indentation", """\
        ---
        id: 'abc123abc123'
        menu:
          main:
        \tweight: 10
        ---
        Body
        """, 5),
    ("never closed", """\
        ---
        id: 'abc123abc123'
        title: 'Open ended'
        Body
        """, 1),
    ("a list, not a mapping", """\
        ---
        - id
        - title
        ---
        Body
        """, 2),
]


@pytest.mark.parametrize("label, text, line", INVALID_YAML, ids=[c[0] for c in INVALID_YAML])
def test_invalid_front_matter_is_an_error_on_its_file_line(label, text, line):
    doc, problems = parse_document("guides/bad.md", textwrap.dedent(text).encode())
    assert doc is None
    assert [(p.file, p.line, p.kind, p.severity) for p in problems] == [("guides/bad.md", line, "invalid-yaml", Severity.ERROR)]
    assert "guides/bad.md" in problems[0].message


def test_doc_with_invalid_front_matter_is_skipped_and_the_rest_builds(make_export, tmp_path):
    bad = textwrap.dedent(INVALID_YAML[0][1])
    root = make_export({"index.md": DOC, "good.md": ({"id": "1good", "title": "Good"}, "Fine\n"), "bad.md": bad})
    out = tmp_path / "docs"
    site = sync(root, out)
    assert (out / "good.md").is_file()
    assert not (out / "bad.md").exists()
    assert site.counts["errors"] == 1
    assert [(p.file, p.kind) for p in site.problems] == [("bad.md", "invalid-yaml")]


def test_unreadable_doc_is_an_error_and_the_rest_is_read(make_export, monkeypatch):
    root = make_export({"a.md": ({"id": "1a", "title": "A"}, "Hi.\n"), "b.md": ({"id": "1b", "title": "B"}, "Hi.\n")})
    real_read_bytes = type(root).read_bytes

    def read_bytes(path):
        if path.name == "b.md":
            raise PermissionError(13, "Permission denied", str(path))
        return real_read_bytes(path)

    monkeypatch.setattr(type(root), "read_bytes", read_bytes)
    export = read_export(root)
    assert [doc.source for doc in export.documents] == ["a.md"]
    [problem] = export.problems
    assert (problem.file, problem.kind, problem.severity) == ("b.md", "unreadable", Severity.ERROR)
    assert "Permission denied" in problem.message


def test_fast_front_matter_reader_reads_every_real_export_like_pyyaml(shared_dir):
    """Nearly every front matter block and .wgd-directory.yaml of the seeds and the corpus takes the fast
    path (a title written in double quotes with YAML escapes, such as ``"…\\_"``, is left to PyYAML), and
    each one that does means what PyYAML says."""
    from ingest.read.flatyaml import parse_flat_yaml
    from ingest.read.frontmatter import LOADER as _LOADER
    from ingest.read.frontmatter import YAML_HANDLER as _YAML_HANDLER

    blocks = []
    for path in sorted([*shared_dir.glob("seeds/*"), *shared_dir.glob("corpus/**/*.md"),
                        *shared_dir.glob("corpus/**/.wgd-directory.yaml")]):
        text = path.read_text("utf-8", errors="replace")
        if path.name == ".wgd-directory.yaml":
            blocks.append((path, text))
        elif _YAML_HANDLER.detect(text):
            blocks.append((path, _YAML_HANDLER.split(text)[0]))
    assert len(blocks) > 300
    slow = []
    for path, raw in blocks:
        fast = parse_flat_yaml(raw)
        if fast is None:
            slow.append(path)
            assert '"' in raw, f"{path}: wikiGDrive's plain front matter should take the fast path"
            continue
        assert fast == yaml.load(raw, Loader=_LOADER), path
    assert len(slow) <= len(blocks) // 100, slow


# --- one walk for the fingerprint and the reading -------------------------------------------

def test_reading_from_the_fingerprints_walk_reads_what_a_walk_of_its_own_reads(make_export, tmp_path):
    """The sync walks the export once (``list_folder``) for its fingerprint and hands that walk to the reading:
    the same docs, assets and problems in the same order, links and git's folders included."""
    import os

    from ingest.utils.filestate import list_folder

    root = make_export({
        "b.md": DOC, "a.md": DOC, "z/c.md": DOC, "a.assets/x.png": PNG, "a/d.md": DOC,
        "a/deeper/e.md": DOC, ".git/config.md": DOC, "sub/.github/f.md": DOC, ".gitignore": "x\n",
    })
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.md").write_text("---\ntitle: Secret\n---\nSecret.\n", "utf-8")
    os.symlink(outside, root / "linked-out")
    os.symlink(root / "z", root / "linked-in")
    os.symlink(outside / "secret.md", root / "leak.md")
    os.symlink(root / "missing.md", root / "broken.md")

    own, shared = read_export(root), read_export(root, listing=list_folder(root, changes=True))
    assert sources(shared) == sources(own) == ["a.md", "b.md", "a/d.md", "a/deeper/e.md", "z/c.md"]
    assert [a.source for a in shared.assets] == [a.source for a in own.assets] == ["a.assets/x.png"]
    assert shared.problems == own.problems
    assert {p.kind for p in own.problems} >= {"symlinked-folder", "symlink-outside-export", "unreadable"}


def test_a_folder_is_listed_files_first_each_folder_sorted_links_not_followed(tmp_path):
    import os
    import stat

    from ingest.utils.filestate import list_folder

    for path in ("b/x.md", "a.md", "c.md", "b/a/y.md", "B/z.md"):
        (tmp_path / path).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / path).write_text(path, "utf-8")
    os.symlink(tmp_path / "b", tmp_path / "link")
    listing = list_folder(tmp_path, changes=True)
    assert list(listing.files) == ["a.md", "c.md", "link", "B/z.md", "b/x.md", "b/a/y.md"]
    assert stat.S_ISLNK(listing.files["link"].st_mode)  # the link itself: the folder it leads to is not walked
    assert listing.changed_ns >= max(os.stat(tmp_path / p).st_ctime_ns for p in ("a.md", "b/a/y.md"))
    assert list_folder(tmp_path).changed_ns == 0


def test_a_directory_yaml_is_read_again_only_when_its_file_changed(make_export, monkeypatch):
    """What earlier reads made of each ``.wgd-directory.yaml`` is kept with the docs' (``known``)."""
    from ingest.read import export as reading

    parsed = []
    real = reading.read_directory_file
    monkeypatch.setattr(reading, "read_directory_file", lambda text: (parsed.append(text), real(text))[1])
    root = make_export({".wgd-directory.yaml": DIRECTORY_YAML, "faq.txt": "FAQ Search\n", "manuals/a.md": DOC})
    known = {}
    assert read_export(root, known=known).documents[0].title == "Frequently Asked Questions"
    assert len(parsed) == 1 and ".wgd-directory.yaml" in known
    again = read_export(root, known=known)
    assert len(parsed) == 1 and again.folder_titles["manuals"] == "User Manuals"
    (root / ".wgd-directory.yaml").write_text(DIRECTORY_YAML.replace("User Manuals", "Manuals"), "utf-8")
    assert read_export(root, known=known).folder_titles["manuals"] == "Manuals" and len(parsed) == 2
    (root / ".wgd-directory.yaml").unlink()
    assert read_export(root, known=known).documents[0].title == "FAQ Search"
    assert ".wgd-directory.yaml" not in known
