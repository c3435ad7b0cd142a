"""Stage 4b: make the raw HTML Google Docs exports render safely inside Markdown.

Tables are cleaned with nh3 (no scripts, styles or event handlers survive) and
their cells marked ``markdown="1"`` so the Markdown left inside them (bold,
links, images) is rendered by ``md_in_html`` and MkDocs checks their links.
"""

from __future__ import annotations

import re

import nh3

from ingest.model import Document
from ingest.regions import element_spans, outside_code

TABLE_TAGS = {"table", "thead", "tbody", "tfoot", "tr", "td", "th", "caption", "colgroup", "col"}
INLINE_TAGS = {"a", "img", "strong", "em", "b", "i", "u", "s", "br", "p", "span", "code", "sup", "sub",
               "ul", "ol", "li", "div", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "blockquote", "pre"}
ATTRIBUTES = {
    "*": {"title", "align", "id"},
    "a": {"href"},
    "img": {"src", "alt", "width", "height"},
    "td": {"colspan", "rowspan"},
    "th": {"colspan", "rowspan"},
    "col": {"span"},
}
_TABLE_OPEN_RE = re.compile(r"<table\b", re.IGNORECASE)
_TABLE_CLOSE_RE = re.compile(r"</table\s*>", re.IGNORECASE)
_MARKABLE_RE = re.compile(r"<(table|thead|tbody|tfoot|tr|td|th)\b([^>]*)>", re.IGNORECASE)


def clean_table(table: str) -> str:
    """Sanitise one ``<table>`` and let Markdown inside its cells render.

    >>> print(clean_table('<table><tr><td onclick="x()">**b** [l](a.md)</td></tr></table>'))
    <table markdown="1"><tbody markdown="1"><tr markdown="1"><td markdown="1">**b** [l](a.md)</td></tr></tbody></table>
    """
    cleaned = nh3.clean(table, tags=TABLE_TAGS | INLINE_TAGS, attributes=ATTRIBUTES, link_rel=None,
                        url_schemes={"http", "https", "mailto", "tel"})
    # md_in_html renders a cell's Markdown only when the cell and every element around it say so.
    return _MARKABLE_RE.sub(lambda m: f'<{m.group(1)}{m.group(2)} markdown="1">', cleaned)


def render_tables(doc: Document) -> Document:
    """Clean every raw HTML table outside code blocks, keeping blank lines around it."""
    if "<table" not in doc.body.lower():
        return doc

    def fix(prose: str) -> str:
        out, position = [], 0
        for start, end in element_spans(prose, _TABLE_OPEN_RE, _TABLE_CLOSE_RE):
            out += [prose[position:start], "\n\n", clean_table(prose[start:end]), "\n\n"]
            position = end
        return "".join(out) + prose[position:]

    return doc.with_fix("html-tables", outside_code(fix, doc.body, inline=False))
