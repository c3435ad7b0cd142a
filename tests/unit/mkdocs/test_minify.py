"""ingest/minify.py: built pages lose the templates' indentation and nothing a reader sees."""

from __future__ import annotations

import re

from bs4 import BeautifulSoup

from ingest.mkdocs.minify import collapse_whitespace


def visible(html: str) -> str:
    return re.sub(r"\s+", " ", BeautifulSoup(html, "html.parser").get_text()).strip()


def test_built_pages_shrink_and_read_the_same(sample_build):
    pages = {path: path.read_text("utf-8") for path in sorted(sample_build.site_dir.rglob("*.html"))}
    pages = {path: html for path, html in pages.items() if "<title>Redirecting...</title>" not in html}  # mkdocs-redirects
    assert len(pages) > 10
    for path, html in pages.items():
        assert "\n    <" not in html.split("<pre", 1)[0], f"{path} still indented"
        assert collapse_whitespace(html) == html  # the hook ran: nothing is left to collapse


def test_code_keeps_its_spaces_and_text_its_words():
    html = ('<div>\n    <p>\n      Log into\n      <strong>Acme</strong>.\n    </p>\n'
            '    <pre><code>def f():\n    return 1\n</code></pre>\n  <p><code>a\n  b</code> <kbd>Ctrl\n  C</kbd></p>\n</div>')
    out = collapse_whitespace(html)
    assert visible(out) == visible(html)
    assert "<pre><code>def f():\n    return 1\n</code></pre>" in out
    assert "<code>a\n  b</code>" in out and "<kbd>Ctrl\n  C</kbd>" in out
    assert len(out) < len(html)
