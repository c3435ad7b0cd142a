"""Whole exports read as their authors wrote them: a small one in current wikiGDrive's format
(tests/exports/wiki), built into a site, and the whole 2023 export of the public wiki
(shared/corpus/mieweb-docs-2023, marked ``corpus``), checked with ``ingest check`` and, doc by
doc, against markdown-it-py's CommonMark rendering (``helpers.structure``)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from helpers import EXPORTS_DIR, WIKI_SETTINGS, build_export, reference_html, structure

from ingest.check import NOT_COUNTED, check_site, export_facts
from ingest.files import source_url
from ingest.markup import loose_key
from ingest.read.export import read_export
from ingest.settings import SiteSettings
from ingest.transform.normalize import normalize

WIKI = EXPORTS_DIR / "wiki"


@pytest.fixture(scope="module")
def wiki_site(tmp_path_factory) -> Path:
    expected = json.loads((WIKI / "expected.json").read_text("utf-8"))
    site_dir, warnings = build_export(WIKI / "export", tmp_path_factory.mktemp("wiki"),
                                      settings=SiteSettings.from_mapping(expected["settings"]))
    assert warnings == []
    return site_dir


def article(site_dir: Path, url: str) -> BeautifulSoup:
    html = (site_dir / url / "index.html").read_text("utf-8")
    return BeautifulSoup(html, "html.parser").select_one("article")


def test_wiki_site_passes_ingest_check(wiki_site):
    report = check_site(wiki_site, export_facts(WIKI / "export"))
    assert [f.to_dict() for f in report.failures] == []
    assert [f.detail for f in report.findings if f.kind == "source-anchor"] == \
        ["No heading or anchor on this page is #h.gjdgxs"]


def test_wiki_nav_is_the_navigation_docs_with_its_labels(wiki_site):
    nav = BeautifulSoup((wiki_site / "functions" / "api" / "index.html").read_text("utf-8"), "html.parser")
    labels = [" ".join(span.get_text().split()) for span in nav.select("nav.md-nav--primary .md-ellipsis")]
    assert labels[:2] == ["Home", "Functions"]
    assert "Steps to Follow" in labels and "Steps" not in labels  # the navigation doc's label
    assert not any("Redirect to" in label or label in ("QuickView", "Pocket System") for label in labels)


def test_wiki_code_tables_and_anchors(wiki_site):
    page = article(wiki_site, "functions/api")
    code = page.select_one("div.highlight")
    assert code is not None and '"resourceType"' in code.get_text() and "{{%" not in str(page)
    assert code.select_one("span.nt") is not None  # highlighted as the pre shortcode's language, JSON
    assert page.find("h2", id="observationresult-obx") is not None
    hrefs = [a["href"] for a in page.find_all("a", href=True)]
    assert "#observationresult-obx" in hrefs and "#codes" in hrefs  # the doc's own spelling lands
    assert page.find(id="codes") is not None
    assert not [h for h in page.find_all(["h1", "h2", "h3"]) if "define" in h.get_text()]  # '#define' is text
    cells = page.find("table").find_all("td")
    assert cells[0].get_text() == "WebChart sends"  # the plugin's system_name, filled in a cell
    assert len(cells[1].find_all("br")) == 1  # '<br />' and its newline are one break
    assert cells[2].find("a")["href"] == "../"  # a raw '<a href="x.md">' in a cell is the page's URL
    warning = cells[3].select_one("div.admonition.warning")
    assert warning is not None and warning.find("strong").get_text() == "codes"
    after = page.find("table").find_next("ul")
    assert [li.get_text() for li in after.find_all("li")][0] == "After the table."
    assert after.find("a", href="../codes.csv") is not None
    assert (wiki_site / "functions" / "codes.csv").is_file() and not (wiki_site / "functions" / "tool.exe").exists()


def test_wiki_lists(wiki_site):
    page = article(wiki_site, "functions/steps")
    first, second = page.find_all("ol", recursive=False)
    items = first.find_all("li", recursive=False)
    assert len(items) == 3 and [li.get_text() for li in items[1].find("ul").find_all("li")] == \
        ["Demographics", "Insurance"]
    assert items[1].find("img") is not None  # the image under step 2 stays in step 2
    assert second.get("start") == "4" and len(second.find_all("li", recursive=False)) == 2
    nested = second.find_all("li", recursive=False)[1].find("ol")
    assert nested.get("start") == "10"
    assert nested.find_all("li", recursive=False)[1].find("ol").find("li").get_text() == "Under eleven"
    assert not any(p.get_text().lstrip().startswith(("3.", "4.", "1.")) for p in page.find_all("p"))


def test_wiki_brands_drawings_and_placeholders(wiki_site):
    home = article(wiki_site, "")
    assert "WebChart customers" in home.get_text() and "Enterprise Health customers" in home.get_text()
    assert home.find("a", string="published API page")["href"] == "functions/api/"
    assert article(wiki_site, "functions/diagram").find("img")["src"] == "../../diagrams/health-flow.svg"
    for old in ("functions/renamed-old", "functions/conflict"):
        html = (wiki_site / old / "index.html").read_text("utf-8")
        assert 'http-equiv="refresh"' in html


# --- the whole 2023 export of the public wiki ----------------------------------------------------



@pytest.mark.corpus
def test_whole_export_builds_strict_without_warnings(whole_export_build):
    assert whole_export_build.warnings == []


@pytest.mark.corpus
def test_whole_export_passes_ingest_check(whole_export_build):
    assert whole_export_build.site_problems == []
    listed = [f for f in whole_export_build.check["findings"] if f["kind"] in NOT_COUNTED]
    manifest = json.loads((whole_export_build.docs_dir / ".ingest" / "manifest.json").read_text("utf-8"))
    reported = [p for p in manifest["report"]["problems"] if p["kind"] == "broken-anchor"]
    assert len(listed) == len(reported) > 0  # each anchor broken in a doc is reported by the sync and listed


@pytest.mark.corpus
def test_whole_export_top_level_is_the_navigation_docs(whole_export_build):
    export = read_export(whole_export_build.export)
    facts = export_facts(whole_export_build.export)
    top = [label for depth, label, url in facts.navigation if depth == 0 and url is not None]
    manifest = json.loads((whole_export_build.docs_dir / ".ingest" / "manifest.json").read_text("utf-8"))
    nav = [next(iter(item)) for item in manifest["nav"]]
    assert nav[0] == "Home" and nav[1:len(top) + 1] == top
    generated = {"All activities", "Tags"}
    rest = nav[len(top) + 1:]
    assert set(rest) <= generated | {doc.title for doc in export.documents if "/" not in doc.source}, rest


@pytest.mark.corpus
def test_whole_export_has_the_structure_commonmark_gives_every_doc(whole_export_build):
    """Every doc's page has the list items (nesting, kind, numbering), headings and code blocks that
    markdown-it-py, the CommonMark reference, gives its exported body after the sync's text fixes.

    Left out: activity pages, which the sync lays out anew on purpose (ingest/activities.py).
    Lists the sync generates (``children``) are marked and not counted.
    """
    export = read_export(whole_export_build.export)
    compared, differ = 0, []
    for doc in export.documents:
        if doc.is_redirect_stub:
            continue
        page = whole_export_build.site_dir / source_url(doc.source) / "index.html"
        html = page.read_text("utf-8")
        if "ingest-activity-card" in html:
            continue
        ours = structure(html[html.find("<article"):html.rfind("</article>")], skip_first_h1=True)
        ref = structure(reference_html(normalize(doc).body, WIKI_SETTINGS.system_name))
        if ref.first_heading_level == 1 and ref.headings[:1] == [loose_key(doc.title)]:
            ref.headings = ref.headings[1:]  # the title, which the page shows as its H1
        compared += 1
        for part in ("items", "headings", "code"):
            if getattr(ours, part) != getattr(ref, part):
                differ.append((doc.source, part))
    assert compared > 600 and differ == []
