"""Stage 5f, fragments: links to a heading of the same page: the ones no heading or anchor of it matches, reported and shown as text.

Google Docs links a heading by a bookmark of its own, and wikiGDrive writes the fragment its
own way, so a fragment is matched loosely, as the build matches it (``ingest.mkdocs.commonmark``):
with an anchor's id or a heading's text, case and punctuation aside, or by the link's text.
"""

from __future__ import annotations

import html
import re
from urllib.parse import unquote

from ingest.chardata import MD_LINK_RE
from ingest.markup import loose_key, parser
from ingest.model import Document, Problem, shorten
from ingest.transform.links import HTML_A_RE, attributes
from ingest.transform.regions import LineFinder, outside_code


def unlink_broken_fragments(doc: Document, original: str | None = None,
                            system_name: str = "") -> tuple[Document, list[Problem]]:
    """Report the links to a heading of the same page that no heading or anchor of it matches; show them as text.

    Google Docs links a heading by a bookmark of its own, and wikiGDrive writes the fragment
    its own way, so a fragment is matched loosely, as the build matches it (see
    ``ingest.mkdocs.commonmark``): with an anchor's id or a heading's text, case and punctuation
    aside, or by the link's text. A link that matches nothing was broken in the doc already
    (a bookmark deleted in Drive); it would fail ``mkdocs build --strict``.

    >>> doc = Document("a.md", {}, "## Set up\\n\\nSee [setup](#set-up) and [gone](#h.x1).\\n", dest="a.md")
    >>> fixed, problems = unlink_broken_fragments(doc)
    >>> print(fixed.body.splitlines()[-1])
    See [setup](#set-up) and <span class="ingest-missing ingest-broken-anchor" title="No heading or anchor on this page is #h.x1">gone</span>.
    >>> [p.kind for p in problems]
    ['broken-anchor']
    """
    body = doc.body
    if "(#" not in body and 'href="#' not in body and "href='#" not in body:
        return doc, []
    targets = fragment_targets(body, system_name)
    problems: list[Problem] = []
    lines = LineFinder(original if original is not None else body)
    searched = [0]

    def broken(fragment: str, text: str) -> bool:
        key = loose_key(unquote(fragment))
        return bool(key) and key not in targets and loose_key(_markup_text(text)) not in targets

    def replace(text: str, fragment: str) -> str:
        source = original if original is not None else body
        found = source.find(f"#{fragment}", searched[0])
        if found >= 0:
            searched[0] = found + 1
        problems.append(Problem(doc.source, doc.line_of(lines.line(found)) if found >= 0 else None, "broken-anchor",
                                f"Doc '{doc.source}' links to '#{shorten(fragment)}' ('{shorten(_markup_text(text))}'), "
                                "but no heading or anchor of the doc is that; the link is shown as text. Link the "
                                "heading again in the Google Doc (Insert > Link > Headings)."))
        title = html.escape(f"No heading or anchor on this page is #{fragment}", quote=True)
        return f'<span class="ingest-missing ingest-broken-anchor" title="{title}">{text}</span>'

    def markdown_link(match: re.Match[str]) -> str:
        target = match.group("target").strip("<>")
        if match.group("bang") or not target.startswith("#") or not broken(target[1:], match.group("text")):
            return match.group(0)
        return replace(match.group("text"), target[1:])

    def html_link(match: re.Match[str]) -> str:
        href = attributes(match.group("attrs")).get("href", "")
        if not href.startswith("#") or not broken(href[1:], match.group("text")):
            return match.group(0)
        return replace(match.group("text"), href[1:])

    def prose(text: str) -> str:
        if "](#" in text:
            text = MD_LINK_RE.sub(markdown_link, text)
        if "<a" in text.lower():
            text = HTML_A_RE.sub(html_link, text)
        return text

    fixed = outside_code(prose, body)
    return doc.with_fix("broken-anchors", fixed), problems


def fragment_targets(body: str, system_name: str = "") -> set[str]:
    """The loose keys (``markup.loose_key``) of every heading's text and every id and anchor name of a body."""
    keys: set[str] = set()
    tokens = parser().parse(body)
    for i, token in enumerate(tokens):
        if token.type == "html_block":
            keys.update(loose_key(value) for value in _ID_ATTR_RE.findall(token.content))
        elif token.type == "inline":
            keys.update(loose_key(child_id) for child in token.children or [] if child.type == "html_inline"
                        for child_id in _ID_ATTR_RE.findall(child.content))
            if i and tokens[i - 1].type == "heading_open":
                keys.add(loose_key(_markup_text(token.content.replace(MARKER_SYSTEM_NAME, system_name))))
    keys.discard("")
    return keys


_ID_ATTR_RE = re.compile(r"""\b(?:id|name)\s*=\s*["']?([^"'\s>]+)""", re.IGNORECASE)
MARKER_SYSTEM_NAME = "<!--ingest:system-name-->"
_TAG_OR_MARKUP_RE = re.compile(r"<[^>]*>|[*_`]|\[|\]\([^)]*\)|\]")


def _markup_text(text: str) -> str:
    """Text with its tags and Markdown marks taken out (close enough to what a reader sees, to match it)."""
    return _TAG_OR_MARKUP_RE.sub("", text)
