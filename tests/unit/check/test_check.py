"""``ingest check`` (ingest/check/): each class it reports, on small pages in Material's HTML."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from ingest.__main__ import cli
from ingest.check import ExportFacts, check_site
from ingest.check.page import read_page, resolve
from ingest.check.site import check_pages


def nav_html(items: list[tuple]) -> str:
    """Material's primary nav for (label, href, children) items."""
    def entries(items):
        out = []
        for label, href, children in items:
            link = f'<a href="{href}" class="md-nav__link"><span class="md-ellipsis">{label}</span></a>'
            sub = f'<nav class="md-nav"><ul class="md-nav__list">{entries(children)}</ul></nav>' if children else ""
            out.append(f'<li class="md-nav__item">{link}{sub}</li>')
        return "".join(out)
    return f'<nav class="md-nav md-nav--primary"><ul class="md-nav__list">{entries(items)}</ul></nav>'


def page(body: str, url: str = "a/", title: str = "A", nav: list[tuple] = ()) -> str:
    return (f"<html><body>{nav_html(list(nav))}<article class=\"md-content__inner\"><h1>{title}</h1>{body}"
            "</article></body></html>")


def kinds(*pages_html: tuple[str, str], files: set[str] = frozenset(), export: ExportFacts | None = None):
    pages = [read_page(html, url) for url, html in pages_html]
    report = check_pages(pages, set(files) | {p.url + "index.html" for p in pages}, export=export)
    return sorted((f.page, f.kind) for f in report.findings)


@pytest.mark.parametrize("body, kind", [
    ("<p>Log into {{% system-name %}}.</p>", "shortcode"),
    ("<pre><code>{{% pre %}}\nselect 1;</code></pre>", "shortcode"),  # code included
    ("<p><!--ingest:only sys=\"x\"--></p>", "shortcode"),
    ("<p>The measure listâ€™s data</p>", "mojibake"),
    ("<p>Weighting:Â High</p>", "mojibake"),
    ("<p>Steps:<br>\n3. Sign in.</p>", "spilled-list"),
    ("<td>* Chrome for iOS will not work</td>", "spilled-list"),
    ("<h1>Part two</h1>", "h1"),
    ('<p><a href="../gone/">x</a></p>', "broken-link"),
    ('<img src="../a.assets/none.png">', "broken-link"),
    ('<p><a href="#nowhere">x</a></p>', "broken-fragment"),
    ('<p><span class="ingest-missing ingest-broken-anchor" title="No heading or anchor on this page is #h.x">x</span></p>',
     "source-anchor"),
], ids=["shortcode", "shortcode in code", "marker", "mojibake", "mojibake nbsp", "spilled number", "spilled bullet",
        "two h1", "broken link", "broken image", "broken fragment", "anchor broken in the source"])
def test_each_class_is_found(body, kind):
    assert kinds(("a/", page(body))) == [("a/", kind)]


def test_a_good_page_has_no_finding():
    body = ('<h2 id="setup">Setup</h2><p><a href="#setup">up</a> <a href="../b/#top">b</a> <a href="https://x.org">x</a>'
            ' <img src="../a.assets/p.png"></p><ol><li>Three is a word here</li></ol><p>1 of 3 steps</p>'
            "<pre><code>1. code is code\nÂ</code></pre>")
    other = page('<p id="top">B</p>', "b/", "B")
    assert kinds(("a/", page(body)), ("b/", other), files={"a.assets/p.png"}) == []


def test_redirect_stub_shown_as_a_page():
    assert kinds(("a/", page("<p>Renamed to: <a href='../b/'>B</a></p>", title="Redirect to: B")),
                 ("b/", page("", "b/", "B"))) == [("a/", "stub-page")]


def test_links_resolve_like_a_browser():
    assert resolve("a/b/", "../c/#x") == ("a/c/", "x")
    assert resolve("a/b/", "../../") == ("", "")
    assert resolve("a/", "mailto:x@example.org") is None


# --- the nav against the navigation doc -----------------------------------------------------------

NAV = [("Home", "../", []), ("Programs", "../programs/", [("Clinic", "../programs/clinic/", [])]),
       ("Functions", "../functions/", [("E-Chart", "../functions/e-chart/", []), ("Scheduling", "../s/", [])])]
EXPORT = ExportFacts(
    titles={"": "Home", "programs/": "Programs", "programs/clinic/": "Clinical Medicine", "functions/": "Functions",
            "functions/e-chart/": "E-Chart", "s/": "Scheduling"},
    weights={"functions/e-chart/": 20, "s/": 10},
    navigation=[(0, "Programs", "programs/"), (1, "Clinic", "programs/clinic/"), (0, "Functions", "functions/")])


def test_nav_as_the_navigation_doc_says_has_no_finding():
    # E-Chart and Scheduling are not in the navigation doc: their weights (20, 10) order them
    nav = [NAV[0], NAV[1], ("Functions", "../functions/", [("Scheduling", "../s/", []), ("E-Chart", "../functions/e-chart/", [])])]
    assert kinds(("a/", page("", nav=nav)), export=EXPORT) == []


def test_nav_findings():
    nav = [("Home", "../", []), ("Functions", "../functions/", [("E-Chart", "../functions/e-chart/", []),
                                                               ("Scheduling", "../s/", [])]),
           ("Programmes", "../programs/", [])]
    found = kinds(("a/", page("", nav=nav)), export=EXPORT)
    assert ("programs/", "nav-label") in found  # shown as 'Programmes', the navigation doc says 'Programs'
    assert ("programs/clinic/", "nav-missing") in found
    assert ("functions/", "nav-order") in found  # before Programs, after it in the navigation doc
    assert ("s/", "nav-order") in found  # weight 10 after weight 20


def test_nav_is_merged_from_the_pruned_nav_of_every_page():
    pruned = [NAV[0], ("Programs", "../programs/", []), NAV[2]]
    open_programs = [NAV[0], NAV[1], ("Functions", "../functions/", [])]
    assert ("programs/clinic/", "nav-missing") not in kinds(("a/", page("", nav=pruned)),
                                                            ("b/", page("", "b/", nav=open_programs)), export=EXPORT)


# --- the command -------------------------------------------------------------------------------------

def test_command_exit_status_summary_and_json(tmp_path: Path):
    site = tmp_path / "site"
    (site / "a").mkdir(parents=True)
    (site / "a" / "index.html").write_text(page("<p>{{% note %}}</p><p><a href='#x'>x</a></p>"), "utf-8")
    result = CliRunner().invoke(cli, ["check", str(site)])
    assert result.exit_code == 1, result.output
    assert "shortcode" in result.output and "broken-fragment" in result.output and "a/" in result.output
    result = CliRunner().invoke(cli, ["check", str(site), "--json"])
    data = json.loads(result.output)
    assert data["failures"] == 2 and data["counts"]["shortcode"] == 1
    (site / "a" / "index.html").write_text(page("<p>fine</p>"), "utf-8")
    result = CliRunner().invoke(cli, ["check", str(site)])
    assert result.exit_code == 0 and "0 problems" in result.output


def test_command_refuses_a_folder_that_is_no_site(tmp_path: Path):
    result = CliRunner().invoke(cli, ["check", str(tmp_path)])
    assert result.exit_code == 1 and "no built pages" in result.output and "Traceback" not in result.output


def test_check_site_reads_a_site_folder(tmp_path: Path):
    site = tmp_path / "site"
    (site / "b").mkdir(parents=True)
    (site / "index.html").write_text(page("<a href='b/'>b</a>", ""), "utf-8")
    (site / "b" / "index.html").write_text(page("", "b/"), "utf-8")
    report = check_site(site)
    assert report.pages == 2 and report.findings == []


def test_shortcodes_a_doc_shows_as_written_are_not_residue():
    body = ('<div class="ingest-literal"><pre><code>{{% note %}}</code></pre></div>'
            '<p><code class="ingest-literal">{{% tip %}}</code> <span class="ingest-literal">{{&lt; x &gt;}}</span></p>')
    assert kinds(("a/", page(body))) == []
