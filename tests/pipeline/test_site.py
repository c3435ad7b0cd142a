"""The built site: the sample export (and, when present, the corpus) synced and built with
``mkdocs build --strict`` through ``helpers.build_export``, then checked in the HTML.

Each export is built once per test run (session fixtures in conftest.py).
"""

from __future__ import annotations

import json
import posixpath
import re
from pathlib import Path
from urllib.parse import urlsplit

import frontmatter
import pytest
from bs4 import BeautifulSoup
from helpers import SAMPLE_EXPORT as SAMPLE

from ingest.check import check_site, export_facts
from ingest.mkdocs.searchindex import word_key

IA_2018 = "improvement-activities-measures/2018-improvement-activities/"
AHE6 = IA_2018 + "ahe-6-provide-education-opportunities-for-new-clinicians/"
CC7 = IA_2018 + "cc-7-regular-training-in-care-coordination/"
PM6 = IA_2018 + "pm-6-use-of-toolsets-or-other-resources-to-close-healthcare-disparities-across-communities/"


def soup_of(html: str) -> BeautifulSoup:
    return BeautifulSoup(html, "html.parser")


def article(built, url_path: str):
    return soup_of(built.page(url_path)).select_one("article")


def content_links(node) -> list:
    """Links written by the page's author: not Material's buttons or header permalinks."""
    return [a for a in node.find_all("a", href=True)
            if "md-content__button" not in (a.get("class") or []) and "headerlink" not in (a.get("class") or [])]


def lands_on(url_path: str, href: str) -> str:
    """The site URL path a relative href on page ``url_path`` leads to, as 'a/b/'."""
    path = urlsplit(href).path
    joined = posixpath.normpath(posixpath.join(url_path, path)) if path else url_path.rstrip("/")
    return "" if joined == "." else joined.strip("/") + "/"


def flat(text: str) -> str:
    return " ".join(text.split())


# --- the build --------------------------------------------------------------------------------

def test_sample_builds_strict_without_warnings(sample_build):
    assert sample_build.warnings == []
    assert (sample_build.site_dir / "index.html").is_file()


def test_sample_site_passes_ingest_check(sample_build):
    report = check_site(sample_build.site_dir, export_facts(SAMPLE))
    assert report.pages >= 12 and [f.to_dict() for f in report.findings] == []


def test_every_sample_doc_has_a_page(sample_build):
    docs = [path for path in SAMPLE.rglob("*")
            if path.suffix in (".md", ".txt") and "redirectTo" not in path.read_text("utf-8")]
    urls = ["" if rel == "index" else rel for rel in (p.relative_to(SAMPLE).with_suffix("").as_posix() for p in docs)]
    assert len(urls) == 11  # samples/README: 12 documents, one of them a redirect stub
    assert [url for url in urls if not (sample_build.site_dir / url / "index.html").is_file()] == []


# --- search -----------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def search_docs(sample_build) -> list[dict]:
    return json.loads((sample_build.site_dir / "search" / "search_index.json").read_text("utf-8"))["docs"]


@pytest.mark.parametrize("word, location", [
    ("preceptor", AHE6),
    ("taxpayerIdentificationNumber", "guides/exporting-quality-data/"),
    ("National Provider Identifier", "guides/getting-started/"),
    ("accumulated reports", "faq/"),
], ids=["seed 000 body", "code in a body", "guide body", "seed 004 body"])
def test_search_finds_words_in_bodies(search_docs, word, location):
    # Every word must be in a field Material searches (the index keeps each word of a page once, see searchindex.py).
    wanted = {word_key(part) for part in word.split()}
    hits = {doc["location"].split("#")[0] for doc in search_docs if wanted <= indexed_words(doc)}
    assert location in hits


def indexed_words(doc: dict) -> set[str]:
    fields = " ".join(doc.get(name, "") for name in ("title", "text", "words"))
    return {word_key(token) for token in re.split(r"[\s\-]+", fields)}


@pytest.mark.parametrize("title, location", [
    ("Measure Reference", "guides/measure-reference/"),
    ("PM 6 - Use of Toolsets or Other Resources to Close Healthcare Disparities Across Communities", PM6),
    ("Frequently Asked Questions", "faq/"),
])
def test_search_finds_titles(search_docs, title, location):
    assert any(doc["title"] == title and doc["location"] == location for doc in search_docs)


# --- the seeds --------------------------------------------------------------------------------

def test_seed_000_page_renders_clean(sample_build):
    node = article(sample_build, AHE6)
    text = node.get_text()
    assert "preceptor" in text and "Â" not in text and "\u00a0" not in text
    assert flat(node.find("h1").get_text()).startswith("AHE 6 - Provide Education Opportunities")


def test_seed_003_page_renders(sample_build):
    node = article(sample_build, PM6)
    assert "Population Health Toolkit" in node.get_text()
    assert "Â" not in node.get_text()
    # "Supporting Documentation" runs straight into "1. ...": the list must still be a list.
    items = [flat(li.get_text()) for ol in node.find_all("ol") for li in ol.find_all("li", recursive=False)]
    assert [item.split(" - ")[0] for item in items] == ["Resources Used to Improve Disparities", "Documentation of Steps"]


def test_seed_004_faq_keeps_questions_and_bullets_become_list_items(sample_build):
    node = article(sample_build, "faq/")
    assert "Can you give me some examples of CME Improvement Activities?" in node.get_text()
    items = [flat(li.get_text()) for li in node.find_all("li")]
    bullets = [flat(line.strip().lstrip("•")) for line in (SAMPLE / "faq.txt").read_text("utf-8").split("\n")
               if line.strip().startswith("•")]
    assert len(bullets) > 10
    missing = [b[:60] for b in bullets if not any(b[:60].replace("\u00a0", " ") in item for item in items)]
    assert missing == []
    assert "•" not in node.get_text()


# --- shortcodes in the built pages ------------------------------------------------------------

def test_tip_inside_numbered_step_keeps_one_list(sample_build):
    node = article(sample_build, "guides/getting-started/")
    (ol,) = node.find_all("ol")
    items = ol.find_all("li", recursive=False)
    assert len(items) == 5
    tip = items[0].select_one("div.admonition.tip")
    assert tip is not None and tip.find("img") is not None
    assert node.select_one("div.admonition.note") and node.select_one("div.admonition.warning")


def test_children_list_follows_nav_order(sample_build):
    node = article(sample_build, IA_2018)
    targets = [lands_on(IA_2018, a["href"]) for a in content_links(node)]
    assert [t for t in targets if t.startswith(IA_2018) and t != IA_2018] == [AHE6, CC7, PM6]


def test_section_page_lists_its_guides(sample_build):
    targets = {lands_on("guides/", a["href"]) for a in content_links(article(sample_build, "guides/"))}
    assert {"guides/getting-started/", "guides/measure-reference/", "guides/exporting-quality-data/"} <= targets


def test_literal_shortcode_in_code_block_is_shown_not_converted(sample_build):
    node = article(sample_build, "guides/")
    assert any("{{% note %}}" in code.get_text() for code in node.find_all("code"))
    assert node.select_one("div.admonition") is None


def test_system_name_and_brand_come_from_mkdocs_yml(sample_build):
    assert "Welcome to the Acme EHR Quality of Care help pages" in flat(article(sample_build, "").get_text())
    assert "runs overnight" in article(sample_build, "guides/exporting-quality-data/").get_text()
    pages = list(sample_build.site_dir.rglob("*.html"))
    assert len(pages) > 13 and [p for p in pages if "<!--ingest:" in p.read_text("utf-8")] == []


def test_videos_code_and_layout_render(sample_build):
    exporting = article(sample_build, "guides/exporting-quality-data/")
    sources = [iframe["src"] for iframe in exporting.find_all("iframe")]
    assert any("DLBsBw55p7Y" in src for src in sources)
    assert any("1nNyPHj_kavmdc9XdfCowZwNZKlK8xm-A" in src for src in sources)
    assert any('"performanceYear": 2018' in code.get_text() for code in exporting.find_all("code"))
    assert exporting.select_one("div.admonition.info") is not None
    reference = article(sample_build, "guides/measure-reference/")
    grid = reference.select_one("div.grid")
    assert grid is not None and len(grid.find_all("div", recursive=False)) == 2
    assert reference.find(id="measure-identifiers") is not None


def test_html_table_cells_keep_their_html_and_links_resolve(sample_build):
    node = article(sample_build, "guides/measure-reference/")
    cells = node.find("table").find_all("td")
    assert "Activity ID" in [cell.find("strong").get_text() for cell in cells if cell.find("strong")]
    hrefs = [lands_on("guides/measure-reference/", a["href"]) for cell in cells for a in cell.find_all("a")]
    assert PM6 in hrefs
    assert "**" not in node.find("table").get_text()
    assert "list’s" in node.get_text()


@pytest.mark.parametrize("page, target", [
    ("guides/getting-started/", AHE6),
    ("guides/measure-reference/", "guides/exporting-quality-data/"),
    ("guides/getting-started/", IA_2018),
    ("", "faq/"),
], ids=["drive open?id=", "docs.google.com/document/d/", "relative link to a moved section", "link to a .txt doc"])
def test_links_lead_to_internal_pages(sample_build, page, target):
    links = content_links(article(sample_build, page))
    assert target in [lands_on(page, a["href"]) for a in links if not urlsplit(a["href"]).scheme]
    assert not any("google.com" in a["href"] for a in links)


def test_raw_img_loads_on_the_built_page(sample_build):
    node = article(sample_build, "guides/getting-started/")
    srcs = [img["src"] for img in node.find_all("img")]
    png = [src for src in srcs if src.endswith("10000201000000C800000064316B71F3508DB807.png")]
    assert png
    assert (sample_build.site_dir / lands_on("guides/getting-started/", png[0]).rstrip("/")).is_file()


# --- redirects --------------------------------------------------------------------------------

def test_redirect_stub_becomes_html_redirect(sample_build):
    old = "guides/getting-started-with-quality-reporting/"
    html = sample_build.page(old)
    refresh = soup_of(html).find("meta", attrs={"http-equiv": "refresh"})
    assert refresh is not None
    url = refresh["content"].split("url=", 1)[1]
    assert lands_on(old, url) == "guides/getting-started/"


# --- page metadata ----------------------------------------------------------------------------

def test_title_is_the_only_h1(sample_build):
    h1s = {}
    for path in sorted(sample_build.site_dir.rglob("index.html")):
        html = path.read_text("utf-8")
        if 'http-equiv="refresh"' not in html:
            h1s[path.relative_to(sample_build.site_dir).as_posix()] = len(soup_of(html).select_one("article")
                                                                          .find_all("h1"))
    assert len(h1s) >= 13 and {page: n for page, n in h1s.items() if n != 1} == {}


def test_page_shows_date_version_edit_link_and_breadcrumbs(sample_build):
    meta = frontmatter.load(SAMPLE / "guides" / "getting-started.md").metadata
    page = soup_of(sample_build.page("guides/getting-started/"))
    facts = flat(page.select_one(".md-source-file").get_text())
    assert meta["date"][:10] in facts and f"Drive version {meta['version']}" in facts
    edit = page.select_one('a[title="Edit in Google Docs"]')
    assert edit["href"] == meta["source"]
    assert "Edit in Google Docs" in edit.get_text()
    assert flat(page.select_one("article h1").get_text()) == meta["title"]
    crumbs = [flat(a.get_text()) for a in page.select(".md-path a")]
    assert "Guides" in crumbs


def test_breadcrumbs_show_every_ancestor_section(sample_build):
    crumbs = [flat(a.get_text()) for a in soup_of(sample_build.page(AHE6)).select(".md-path a")]
    assert crumbs[-2:] == ["Improvement Activities Measures", "2018 Improvement Activities"]


def test_site_features_are_enabled(mkdocs_config):
    features = set(mkdocs_config["theme"]["features"])
    assert {"navigation.indexes", "navigation.path", "navigation.prune"} <= features
    palettes = mkdocs_config["theme"]["palette"]
    assert {p["scheme"] for p in palettes} == {"default", "slate"} and all("toggle" in p for p in palettes)
    extensions = {e if isinstance(e, str) else next(iter(e)) for e in mkdocs_config["markdown_extensions"]}
    assert {"toc", "pymdownx.highlight"} <= extensions  # the plugin adds ingest.mkdocs.commonmark itself
    plugins = {p if isinstance(p, str) else next(iter(p)) for p in mkdocs_config["plugins"]}
    assert {"search", "redirects", "wikigdrive"} <= plugins


def test_section_pages_are_clickable_in_the_nav(sample_build):
    nav = soup_of(sample_build.page("")).select_one("nav.md-nav--primary")
    hrefs = {lands_on("", a["href"]) for a in nav.find_all("a", href=True)}
    assert {"guides/", "improvement-activities-measures/"} <= hrefs


# --- the corpus -------------------------------------------------------------------------------

@pytest.mark.corpus
def test_corpus_builds_strict_without_warnings(corpus_build):
    assert corpus_build.warnings == []


@pytest.mark.corpus
def test_corpus_site_is_clean(corpus_build):
    assert corpus_build.site_problems == []


@pytest.mark.corpus
def test_corpus_html_has_no_shortcodes_or_mojibake(corpus_build):
    found, pages = [], list(corpus_build.site_dir.rglob("*.html"))
    for page in pages:
        html = page.read_text("utf-8")
        found += [(page.relative_to(corpus_build.site_dir).as_posix(), bad) for bad in ("{{%", "Â", "â€") if bad in html]
    assert len(pages) > 150 and found == []


def _menu_children(export: Path, parent_title: str) -> list[str]:
    """Titles of the docs whose menu parent is the doc titled ``parent_title``, by (weight, title)."""
    metas = [frontmatter.load(path).metadata for path in export.rglob("*.md")]
    (parent_id,) = {m["id"] for m in metas if m.get("title") == parent_title and not m.get("redirectTo")}
    children = [m for m in metas if not m.get("redirectTo")
                and ((m.get("menu") or {}).get("main") or {}).get("parent") == parent_id]
    return [m["title"] for m in sorted(children, key=lambda m: (float(m["menu"]["main"].get("weight") or 0),
                                                                 m["title"].casefold()))]


def _nav_section(nav: list, title: str) -> list[str] | None:
    for item in nav:
        if isinstance(item, dict):
            for key, value in item.items():
                if isinstance(value, list):
                    if key == title:
                        return [next(iter(child)) for child in value[1:] if isinstance(child, dict)]
                    found = _nav_section(value[1:], title)
                    if found is not None:
                        return found
    return None


@pytest.mark.corpus
def test_corpus_2018_section_follows_menu_weights(corpus_build):
    expected = _menu_children(corpus_build.export, "2018 Improvement Activities")
    manifest = json.loads((corpus_build.docs_dir / ".ingest" / "manifest.json").read_text("utf-8"))
    in_nav = _nav_section(manifest["nav"], "2018 Improvement Activities")
    assert in_nav is not None
    assert [title for title in in_nav if title in expected] == expected
    ahe6 = next(i for i, t in enumerate(in_nav) if t.startswith("AHE 6"))
    pm6 = next(i for i, t in enumerate(in_nav) if t.startswith("PM 6"))
    assert ahe6 < pm6


@pytest.mark.corpus
def test_corpus_2018_page_lists_children_in_nav_order(corpus_build):
    expected = _menu_children(corpus_build.export, "2018 Improvement Activities")
    section = next(p for p in corpus_build.site_dir.rglob("2018-improvement-activities/index.html")
                   if p.parent.name == "2018-improvement-activities")
    listed = [flat(a.get_text()) for a in content_links(soup_of(section.read_text("utf-8")).select_one("article"))]
    assert [title for title in listed if title in expected] == expected
