"""Stage 4c (ingest/links.py): links and images point where the pages end up.

Each rewritten link is checked by resolving it from the page's new place, not by
comparing it with a string the implementation would produce.
"""

from __future__ import annotations

import dataclasses
import posixpath
import re

import pytest
from helpers import SAMPLE_EXPORT

from ingest.model import Document
from ingest.read.document import parse_document
from ingest.read.export import read_export
from ingest.site.build import build_site
from ingest.transform.links import LinkIndex, rewrite_links

AHE6_ID = "1SK7EKbmFSxhVveIiR-xLxJ17bRs31KIc0LbV-_yS2Ps"
EXPORT_ID = "1fIXUIksaSVJH70TO2yATZnOwBlrpLj9yWxGiyh6vQ0O"
MISSING_ID = "1zzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzz"

# The export after the nav stage: section pages moved to x/index.md, .txt became .md.
INDEX = LinkIndex(
    by_source={
        "index.md": "index.md",
        "guides.md": "guides/index.md",
        "guides/getting-started.md": "guides/getting-started.md",
        "guides/exporting.md": "guides/exporting.md",
        "ia/2018.md": "ia/2018/index.md",
        "ia/2018/ahe-6.md": "ia/2018/ahe-6.md",
        "faq.txt": "faq.md",
    },
    by_id={AHE6_ID: "ia/2018/ahe-6.md", EXPORT_ID: "guides/exporting.md"},
    assets={"guides/getting-started.assets/flow.png", "guides.assets/logo.svg", "ia/2018.images/chart.png"},
)

MD_TARGET_RE = re.compile(r"!?\[[^\]]*\]\(<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\)")


def rewrite(body: str, source: str, dest: str):
    doc = Document(source, {"id": "1me", "title": "Me"}, body, dest=dest)
    return rewrite_links(doc, INDEX)


def only_target(body: str) -> str:
    """The one link or image target of a body: Markdown's ``](x)``, or a raw tag's ``href``/``src``."""
    (target,) = MD_TARGET_RE.findall(body) or RAW_TARGET_RE.findall(body)
    return target


RAW_TARGET_RE = re.compile(r"""\b(?:href|src)=["']([^"']*)["']""")


def lands_on(page_dest: str, url: str) -> str:
    """The docs_dir path a relative URL written on ``page_dest`` points to."""
    path = url.split("#")[0]
    return posixpath.normpath(posixpath.join(posixpath.dirname(page_dest), path))


# --- relative links keep working when pages move ---------------------------------------------

RELATIVE = [
    # label, source, dest, link as exported, where it must land
    ("section page links to its child", "guides.md", "guides/index.md", "[Start](guides/getting-started.md)",
     "guides/getting-started.md"),
    ("section page image", "guides.md", "guides/index.md", "![](guides.assets/logo.svg)", "guides.assets/logo.svg"),
    ("child links up to its section page", "guides/getting-started.md", "guides/getting-started.md",
     "[Guides](../guides.md)", "guides/index.md"),
    ("link across folders to a section", "guides/getting-started.md", "guides/getting-started.md",
     "[2018](../ia/2018.md)", "ia/2018/index.md"),
    ("image next to the page", "guides/getting-started.md", "guides/getting-started.md",
     "![flow](getting-started.assets/flow.png)", "guides/getting-started.assets/flow.png"),
    ("moved page's image in a sibling folder", "ia/2018.md", "ia/2018/index.md", "![c](2018.images/chart.png)",
     "ia/2018.images/chart.png"),
    ("link to a .txt doc", "index.md", "index.md", "[FAQ](faq.txt)", "faq.md"),
    ("absolute-from-root path", "ia/2018/ahe-6.md", "ia/2018/ahe-6.md", "[Home](/index.md)", "index.md"),
    ("path with %20-free spaces", "index.md", "index.md", "[Start](<guides/getting-started.md>)",
     "guides/getting-started.md"),
]


@pytest.mark.parametrize("label, source, dest, link, lands", RELATIVE, ids=[c[0] for c in RELATIVE])
def test_relative_link_lands_on_the_moved_page(label, source, dest, link, lands):
    doc, problems = rewrite(f"See {link} here.", source, dest)
    assert problems == []
    assert lands_on(dest, only_target(doc.body)) == lands


def test_fragment_is_kept():
    doc, _ = rewrite("[Ids](../guides.md#identifiers)", "guides/exporting.md", "guides/exporting.md")
    target = only_target(doc.body)
    assert target.endswith("#identifiers") and lands_on("guides/exporting.md", target) == "guides/index.md"


def test_link_title_is_kept():
    doc, _ = rewrite('[Start](guides/getting-started.md "First steps")', "guides.md", "guides/index.md")
    assert '"First steps")' in doc.body


@pytest.mark.parametrize("body", [
    "[QPP](https://qpp.cms.gov/mips/improvement-activities?py=2018)",
    "[Mail](mailto:help@example.com)",
    "[Top](#before-you-begin)",
    "`[code](missing.md)`",
    "```\n![](missing.png)\n```",
], ids=["external", "mailto", "same-page anchor", "code span", "fence"])
def test_link_that_needs_no_change_is_left_alone(body):
    doc, problems = rewrite(body, "guides.md", "guides/index.md")
    assert doc.body == body and problems == []


# --- raw HTML ---------------------------------------------------------------------------------

def test_raw_img_stays_raw_html_and_resolves():
    # CommonMark reads no Markdown inside raw HTML (a table cell): the tag stays, its src is re-pointed.
    doc, problems = rewrite('Portlet: <img src="getting-started.assets/flow.png" />', "guides/getting-started.md",
                            "guides/getting-started.md")
    assert problems == [] and doc.body == 'Portlet: <img src="getting-started.assets/flow.png" />'
    assert lands_on("guides/getting-started.md", only_target(doc.body)) == "guides/getting-started.assets/flow.png"


def test_raw_img_on_moved_page_keeps_alt_and_size():
    doc, _ = rewrite('<img alt="Logo" src="guides.assets/logo.svg" width="120">', "guides.md", "guides/index.md")
    assert doc.body == '<img alt="Logo" src="../guides.assets/logo.svg" width="120">'
    assert lands_on("guides/index.md", only_target(doc.body)) == "guides.assets/logo.svg"


RAW_ANCHORS = [
    ("child up to its section page", "guides/exporting.md", "../guides.md", "guides/index.md"),
    ("home to a section page", "index.md", "guides.md", "guides/index.md"),
    ("home to a plain page", "index.md", "guides/exporting.md", "guides/exporting.md"),
    ("home to a .txt doc", "index.md", "faq.txt", "faq.md"),
]


@pytest.mark.parametrize("label, source, href, lands", RAW_ANCHORS, ids=[c[0] for c in RAW_ANCHORS])
def test_raw_anchor_to_a_doc_is_re_pointed(label, source, href, lands):
    dest = INDEX.by_source[source]
    doc, problems = rewrite(f'<a href="{href}">Guides</a>', source, dest)
    assert problems == [] and doc.body.startswith('<a href="') and doc.body.endswith('">Guides</a>')
    assert lands_on(dest, only_target(doc.body)) == lands


def test_raw_anchor_around_markup_is_re_pointed_too():
    doc, problems = rewrite('<a class="x" href="guides.md"><b>Guides</b></a>', "index.md", "index.md")
    assert problems == [] and doc.body == '<a class="x" href="guides/index.md"><b>Guides</b></a>'


def test_raw_anchor_to_a_missing_doc_keeps_its_text():
    doc, problems = rewrite('<a href="gone.md">Gone</a>', "index.md", "index.md")
    assert [p.kind for p in problems] == ["link-outside-export"]
    assert "<a " not in doc.body and ">Gone</span>" in doc.body


# --- Google Drive and Docs URLs ---------------------------------------------------------------

GOOGLE_URLS = [
    ("drive open?id=", f"https://drive.google.com/open?id={AHE6_ID}", "ia/2018/ahe-6.md"),
    ("drive open with other parameters", f"https://drive.google.com/open?authuser=0&id={AHE6_ID}", "ia/2018/ahe-6.md"),
    ("docs edit", f"https://docs.google.com/document/d/{EXPORT_ID}/edit", "guides/exporting.md"),
    ("docs edit with heading", f"https://docs.google.com/document/d/{EXPORT_ID}/edit#heading=h.x1", "guides/exporting.md"),
    ("docs for a signed-in user", f"https://docs.google.com/document/u/0/d/{EXPORT_ID}/view", "guides/exporting.md"),
    ("drive file", f"https://drive.google.com/file/d/{AHE6_ID}/view", "ia/2018/ahe-6.md"),
    ("gdoc:", f"gdoc:{AHE6_ID}", "ia/2018/ahe-6.md"),
]


@pytest.mark.parametrize("label, url, lands", GOOGLE_URLS, ids=[c[0] for c in GOOGLE_URLS])
def test_google_url_of_doc_in_export_becomes_internal_link(label, url, lands):
    doc, problems = rewrite(f"Read [this]({url}).", "guides/getting-started.md", "guides/getting-started.md")
    assert problems == []
    target = only_target(doc.body)
    assert "google.com" not in target and not target.startswith("gdoc:")
    assert lands_on("guides/getting-started.md", target) == lands


def test_google_url_in_raw_anchor_becomes_internal_link():
    doc, _ = rewrite(f'<a href="https://drive.google.com/open?id={AHE6_ID}">AHE 6</a>', "guides.md", "guides/index.md")
    assert "google.com" not in doc.body
    assert lands_on("guides/index.md", only_target(doc.body)) == "ia/2018/ahe-6.md"


# --- links to docs that are not in the export -------------------------------------------------

FILE = """\
---
id: '1meAAAAAAAAAAAAAAAAAAAAAA'
title: 'Getting Started'
---

Intro.

See [Scanning](../document-management/scanning.md) for paper charts.

![Old chart](missing.assets/chart.png)

Also [the policy](https://docs.google.com/document/d/{missing}/edit) and [gdoc](gdoc:{missing}).
""".format(missing=MISSING_ID)


@pytest.fixture
def missing_links():
    parsed, _ = parse_document("guides/getting-started.md", FILE.encode())
    parsed = dataclasses.replace(parsed, dest="guides/getting-started.md")
    return rewrite_links(parsed, INDEX)


def file_line(needle: str) -> int:
    return next(i for i, line in enumerate(FILE.split("\n"), 1) if needle in line)


def test_missing_doc_is_reported_with_file_and_line(missing_links):
    _, problems = missing_links
    found = {(p.file, p.line, p.kind) for p in problems}
    assert ("guides/getting-started.md", file_line("scanning.md"), "link-outside-export") in found
    assert ("guides/getting-started.md", file_line("chart.png"), "missing-image") in found
    assert ("guides/getting-started.md", file_line("docs.google.com"), "link-outside-export") in found
    assert len(problems) == 4
    assert all(p.line == file_line("docs.google.com") for p in problems if MISSING_ID in p.message)


def test_each_missing_link_is_reported_on_its_own_line():
    text = "---\ntitle: 'A'\n---\nSee [a](gone.md).\n\nAgain [b](gone.md).\n\n![x](no.png)\n\n![y](no.png)\n"
    parsed, _ = parse_document("a.md", text.encode())
    _, problems = rewrite_links(dataclasses.replace(parsed, dest="a.md"), INDEX)
    assert sorted((p.line, p.kind) for p in problems) == [
        (4, "link-outside-export"), (6, "link-outside-export"), (8, "missing-image"), (10, "missing-image")]


def test_missing_relative_doc_is_rendered_as_text(missing_links, render_markdown):
    doc, _ = missing_links
    assert "scanning.md" not in MD_TARGET_RE.sub("", doc.body).replace("Not in this export: ../document-management/scanning.md", "")
    html = render_markdown(doc.body)
    assert "Scanning" in html
    assert 'href="../document-management/scanning.md"' not in html
    assert 'src="missing.assets/chart.png"' not in html


def test_missing_google_doc_stays_a_working_drive_link(missing_links):
    doc, _ = missing_links
    targets = MD_TARGET_RE.findall(doc.body)
    assert all(t.startswith("https://") for t in targets if MISSING_ID in t)
    assert sum(MISSING_ID in t for t in targets) == 2
    assert "gdoc:" not in "".join(targets)


# --- through the whole sync -------------------------------------------------------------------

def test_sample_links_resolve_to_written_pages():
    site = build_site(read_export(SAMPLE_EXPORT))
    assets = {asset.source for asset in site.assets}
    broken = []
    for dest, text in site.pages.items():
        body = text.split("---\n", 2)[2]
        body = re.sub(r"```.*?```", "", body, flags=re.DOTALL)
        for target in MD_TARGET_RE.findall(body):
            if re.match(r"^[a-z]+:", target) or target.startswith("#"):
                continue
            landed = lands_on(dest, target)
            if landed not in site.pages and landed not in assets and landed not in getattr(site, "data_files", {}):
                broken.append((dest, target))
    assert broken == []
    assert [p for p in site.problems if p.kind in ("link-outside-export", "missing-image")] == []


# --- links the site must not have ------------------------------------------------------------

REFUSED = [
    # label, link as exported, what the page shows instead, problem kind
    ("javascript link", "[go](javascript:alert(1))", "go", "unsafe-url"),
    ("upper-case scheme", "[go](JavaScript:alert(1))", "go", "unsafe-url"),
    ("data image", "![dot](data:image/png;base64,iVBORw0KGgo=)", "[image: dot]", "unsafe-url"),
    ("file link", "[hosts](file:///etc/hosts)", "hosts", "unsafe-url"),
    ("outside image", "![pixel](https://tracker.example/p.gif)", "[pixel](https://tracker.example/p.gif)",
     "external-image"),
    ("link climbing out", "[pw](../../../etc/passwd)", 'title="Not in this export: ../../../etc/passwd">pw</span>',
     "link-outside-export"),
]


@pytest.mark.parametrize("label, link, shown, kind", REFUSED, ids=[c[0] for c in REFUSED])
def test_links_the_site_must_not_have_are_shown_as_text(label, link, shown, kind):
    doc, problems = rewrite(f"Before {link} after.\n", "index.md", "index.md")
    assert shown in doc.body
    assert link not in doc.body
    assert [p.kind for p in problems] == [kind]


def test_reference_definitions_are_resolved_and_bad_ones_dropped_with_their_uses():
    body = "[Start][s] and [Evil][e] and [Out][o]\n\n[s]: guides/getting-started.md\n[e]: javascript:x\n[o]: ../../x.md\n"
    doc, problems = rewrite(body, "guides.md", "guides/index.md")
    assert "[Start][s] and Evil and Out" in doc.body
    assert lands_on("guides/index.md", re.search(r"\[s\]: (\S+)", doc.body).group(1)) == "guides/getting-started.md"
    assert "javascript" not in doc.body and "../../x.md" not in doc.body
    assert [p.kind for p in problems] == ["unsafe-url", "link-outside-export"]


def test_file_names_with_hash_question_and_percent_are_encoded():
    index = dataclasses.replace(INDEX, assets={"c#/100%.assets/a?.png"})
    doc, problems = rewrite_links(Document("c#/p.md", {"id": "1p", "title": "P"}, "![a](100%25.assets/a%3F.png)\n",
                                           dest="c-/p.md"), index)
    assert problems == []
    assert only_target(doc.body) == "../c%23/100%25.assets/a%3F.png"


def test_a_refused_asset_is_text_without_a_second_warning():
    index = dataclasses.replace(INDEX, refused={"guides.assets/evil.svg"})
    doc, problems = rewrite_links(Document("guides.md", {"id": "1g", "title": "G"}, "![logo](guides.assets/evil.svg)\n",
                                           dest="guides/index.md"), index)
    assert "[image: logo]" in doc.body and problems == []


# --- links to the published copy of the wiki ----------------------------------------------------------

PUBLISHED = dataclasses.replace(INDEX, published=("https://docs.example.com/", "https://help.example.org/wiki/"))

PUBLISHED_LINKS = [
    ("directory URL", "https://docs.example.com/guides/exporting/", "guides/exporting.md"),
    ("Hugo's .html URL", "https://docs.example.com/guides/exporting.html", "guides/exporting.md"),
    ("http for https", "http://docs.example.com/ia/2018/ahe-6/", "ia/2018/ahe-6.md"),
    ("a section page", "https://docs.example.com/guides/", "guides/index.md"),
    ("with a fragment", "https://docs.example.com/guides/exporting/#file-format", "guides/exporting.md"),
    ("the home page", "https://docs.example.com/", "index.md"),
    ("a second base", "https://help.example.org/wiki/faq/", "faq.md"),
]


@pytest.mark.parametrize("label, url, lands", PUBLISHED_LINKS, ids=[c[0] for c in PUBLISHED_LINKS])
def test_link_to_the_published_wiki_becomes_internal(label, url, lands):
    doc, problems = rewrite_links(Document("guides.md", {"id": "1me", "title": "Me"}, f"[x]({url})", dest="guides/index.md"),
                                  PUBLISHED)
    target = only_target(doc.body)
    assert problems == [] and "example" not in target
    assert lands_on("guides/index.md", target) == lands
    if "#" in url:
        assert target.endswith("#file-format")


def test_link_to_a_published_page_not_in_the_export_is_kept_and_reported():
    body = '[old](https://docs.example.com/latest/admin.html) and <a href="https://docs.example.com/gone/">gone</a>'
    doc, problems = rewrite_links(Document("index.md", {"id": "1me", "title": "Me"}, body, dest="index.md"), PUBLISHED)
    assert doc.body == body
    assert [p.kind for p in problems] == ["published-link-missing", "published-link-missing"]


def test_other_sites_are_left_alone():
    doc, problems = rewrite_links(Document("index.md", {"id": "1me", "title": "Me"},
                                           "[x](https://docs.example.community/guides/)", dest="index.md"), PUBLISHED)
    assert problems == [] and "docs.example.community" in doc.body


# --- links to a heading of the same page ---------------------------------------------------------------

@pytest.mark.parametrize("link", ["[x](#set-up)", "[x](#Set-Up!)", "[Set up](#h.gjdgxs)", '<a href="#setup">x</a>',
                                  "[x](#codes)", "[The Acme EHR login](#h.x)"],
                         ids=["id", "another spelling", "by its text", "raw", "anchor", "system name in a heading"])
def test_a_link_that_lands_is_kept(link):
    from ingest.transform.fragments import unlink_broken_fragments

    body = f"{link}\n\n## Set up\n\n<a id=\"codes\"></a>\n\n## The <!--ingest:system-name--> login\n"
    doc, problems = unlink_broken_fragments(Document("a.md", {}, body), system_name="Acme EHR")
    assert problems == [] and doc.body == body


def test_a_link_to_no_heading_is_reported_by_line_and_shown_as_text():
    from ingest.transform.fragments import unlink_broken_fragments

    body = 'Intro\n\n<td><a href="#h.30j0zll">old</a></td>\n'
    doc, problems = unlink_broken_fragments(Document("a.md", {}, body, body_line=5))
    assert [(p.kind, p.line) for p in problems] == [("broken-anchor", 7)]
    assert "<a " not in doc.body and 'class="ingest-missing ingest-broken-anchor"' in doc.body and ">old</span>" in doc.body
