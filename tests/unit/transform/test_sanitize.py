"""The HTML allow-list (ingest/sanitize.py): what it keeps for the site, what it removes, what it reports."""

from __future__ import annotations

import pytest

from ingest.model import Document
from ingest.read.svg import svg_problem
from ingest.transform.policy import clean_html, iframe_allowed
from ingest.transform.sanitize import sanitize_markdown

# What Python-Markdown, its extensions, the shortcodes and the sync write into a page: all of it must stay.
SITE_HTML = [
    ('<div class="admonition note"><p class="admonition-title">Note</p><p>x</p></div>', "admonition"),
    ('<details class="note" open><summary>More</summary><p>x</p></details>', "details"),
    ('<div class="highlight"><pre><span></span><code><a id="__codelineno-0-1" name="__codelineno-0-1" '
     'href="#__codelineno-0-1"></a><span class="n">x</span>\n</code></pre></div>', "highlighted code"),
    ('<h2 id="setup">Setup<a class="headerlink" href="#setup" title="Permanent link">¶</a></h2>', "permalink"),
    ('<sup id="fnref:1"><a class="footnote-ref" href="#fn:1">1</a></sup><div class="footnote"><hr><ol>'
     '<li id="fn:1"><p>Note.<a class="footnote-backref" href="#fnref:1" title="Jump back">↩</a></p></li></ol></div>',
     "footnotes"),
    ('<table><thead><tr><th align="left">A</th></tr></thead><tbody><tr><td colspan="2">b</td></tr></tbody></table>',
     "table"),
    ('<p><img alt="logo" src="a.assets/logo.png" width="40"> <a href="../b/">B</a> <a href="https://qpp.cms.gov">'
     "CMS</a> <a href=\"mailto:help@example.org\">mail</a></p>", "image and links"),
    ('<div class="ingest-video"><iframe src="https://www.youtube-nocookie.com/embed/abc" title="YouTube video" '
     'loading="lazy" allow="fullscreen; picture-in-picture" allowfullscreen=""></iframe></div>', "video"),
    ('<a id="top"></a><span class="ingest-missing" title="Not in this export: x.md">x</span>', "anchor and missing"),
    ('<div class="ingest-activity-filters" role="search" data-search-exclude=""><input type="search" '
     'data-filter="text" placeholder="Filter" aria-label="Filter"><select data-filter="year"><option value="">All'
     '</option></select></div>', "activity filters"),
    ('<ol start="6"><li>six</li></ol><dl><dt>T</dt><dd>d</dd></dl><p><del>old</del> <mark>m</mark> <kbd>K</kbd></p>',
     "lists and inline"),
]


@pytest.mark.parametrize("html, label", SITE_HTML, ids=[case[1] for case in SITE_HTML])
def test_what_the_site_writes_is_kept(html, label):
    from bs4 import BeautifulSoup

    def shape(markup):
        return [(tag.name, sorted(tag.attrs)) for tag in BeautifulSoup(markup, "html.parser").find_all(True)]

    assert shape(clean_html(html)) == shape(html)


REMOVED = [
    ('<p onclick="x()">a</p>', "onclick"),
    ("<script>alert(1)</script>", "alert"),
    ('<a href="javascript:alert(1)">a</a>', "javascript"),
    ('<a href="java&#x09;script:alert(1)">a</a>', "script:"),
    ('<img src="data:image/png;base64,AAAA">', "data:"),
    ('<img src="https://tracker.example/p.png">', "tracker"),
    ('<iframe src="https://evil.example/"></iframe>', "iframe"),
    ('<iframe src="https://www.youtube.com.evil.example/embed/x"></iframe>', "iframe"),
    ('<div style="display:none">a</div>', "style"),
    ("<style>body{display:none}</style>", "display"),
    ('<svg><script>alert(1)</script></svg>', "svg"),
    ('<form action="https://evil.example"><input type="password"></form>', "password"),
    ("<!-- secret -->", "secret"),
    ('<meta http-equiv="refresh" content="0;url=https://evil.example">', "refresh"),
]


@pytest.mark.parametrize("html, gone", REMOVED, ids=[case[1] + str(i) for i, case in enumerate(REMOVED)])
def test_what_can_run_or_hide_or_call_out_is_removed(html, gone):
    assert gone not in clean_html(html)


@pytest.mark.parametrize("src, allowed", [
    ("https://www.youtube-nocookie.com/embed/abc", True),
    ("https://www.youtube.com/embed/abc", True),
    ("https://drive.google.com/file/d/1abc/preview", True),
    ("https://drive.google.com/uc?export=download", False),
    ("https://www.youtube.com@evil.example/embed/x", False),
    ("//www.youtube.com/embed/abc", False),
])
def test_iframe_hosts(src, allowed):
    assert iframe_allowed(src) is allowed


def sanitized(body: str) -> tuple[str, list[tuple[int | None, str]]]:
    doc, problems = sanitize_markdown(Document("a.md", {"id": "1a", "title": "A"}, body, body_line=5))
    return doc.body, [(p.line, p.kind) for p in problems]


def test_markdown_around_raw_html_is_left_alone():
    body = "> quote with <b>bold</b> & a < b\n\n- item <i>it</i>\n\n`<script>` in code\n"
    assert sanitized(body) == (body, [])


def test_each_removal_is_reported_on_its_file_line():
    body, problems = sanitized("ok\n<b onclick='x'>b</b>\n\n<script>x</script>\n[a](<a b.md>)\n")
    assert body == "ok\n<b>b</b>\n\n\n[a](<a b.md>)\n"
    assert problems == [(6, "unsafe-html"), (8, "unsafe-html")]


def test_a_removal_that_makes_a_new_tag_is_cleaned_too():
    body, problems = sanitized('<a href="data:x,<script>s</script>">t</a>')
    assert body == "<a>t</a>"
    assert [kind for _, kind in problems] == ["unsafe-html", "unsafe-url"]


@pytest.mark.parametrize("svg, reason", [
    ('<svg xmlns="http://www.w3.org/2000/svg"><rect width="1" height="1"/></svg>', None),
    ('<svg xmlns="http://www.w3.org/2000/svg"><image href="data:image/png;base64,AA"/></svg>', None),
    ('<svg xmlns="http://www.w3.org/2000/svg"><svg:script xmlns:svg="http://www.w3.org/2000/svg"/></svg>',
     "a <script> element"),
    ('<svg xmlns="http://www.w3.org/2000/svg"><a href="javascript:alert(1)"><text>x</text></a></svg>',
     "a script address (href='javascript:alert(1)')"),
    ('<svg xmlns="http://www.w3.org/2000/svg"><set attributeName="onmouseover" to="alert(1)"/></svg>',
     "an event handler (attributename='onmouseover')"),
    ('<!DOCTYPE svg [<!ENTITY a "aaaa">]><svg xmlns="http://www.w3.org/2000/svg">&a;</svg>', "XML entity declarations"),
    ("<svg", "XML that does not parse (so it cannot be checked)"),
])
def test_svg_problem(svg, reason):
    assert svg_problem(svg) == reason
