"""The structure of a rendered page (list items, headings, code blocks), to compare two renderings.

The reference is markdown-it-py, the CommonMark reference implementation for Python, on a doc's
exported body after the sync's documented text fixes (``ingest.transform.normalize``), with each Hugo
shortcode standing for what Hugo writes there (its tags gone, ``system-name`` a name). Ours is
the page the site built. Every stage between the two (shortcodes, raw HTML, links, headings,
the renderer) must keep the structure: the same list items with the same nesting, kind and
numbering, the same headings, the same code.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

from markdown_it import MarkdownIt

from ingest.chardata import SHORTCODE_RE
from ingest.markup import loose_key
from ingest.transform.shortcodes import BLOCKS, parse_tag

#: The reference: plain CommonMark with the tables wikiGDrive never writes but Hugo reads.
REFERENCE = MarkdownIt("commonmark", {"html": True, "maxNesting": 100}).enable("table")


@dataclass
class Structure:
    items: list[tuple[int, str, int]] = field(default_factory=list)
    """Each list item in order: (nesting depth, 'ol' or 'ul', its number: the list's start plus its index)."""

    headings: list[str] = field(default_factory=list)
    """Each heading's text, case and punctuation aside."""

    first_heading_level: int = 0
    """The level of the first heading (1 for an H1), 0 without headings."""

    code: list[str] = field(default_factory=list)
    """Each code block's text, spacing aside."""


def reference_html(body: str, system_name: str = "Name") -> str:
    """markdown-it-py's rendering of an exported body, each shortcode as Hugo's templates write it.

    A block shortcode (``note``, ``tip``, ``only``, ...) is a ``<div>`` around its content, which
    is Markdown (Hugo's ``{{%`` delimiters); ``pre`` writes its content as it is; ``system-name``
    writes the name; the others write nothing the structure is made of.
    """
    def hugo(match: re.Match[str], indent: str = "") -> str:
        tag = parse_tag(match)
        if tag.name in ("system-name", "sys-name") and not tag.closing:
            return system_name
        if tag.name == "syslink" and not tag.closing:
            return tag.arg("text", 0)
        if tag.name == "anchor" and not tag.closing:
            return "<span></span>"  # Hugo's anchor template writes an empty span
        if tag.name in BLOCKS and tag.name != "pre":
            return f"\n\n{indent}</div>\n\n" if tag.closing else f"\n\n{indent}<div>\n\n"
        return ""

    lines = _blocks_at_their_tags(body.strip().split("\n"))  # a page's body is what it shows: stripped
    for number, line in enumerate(lines):
        alone = _TAG_LINE_RE.match(line)
        if alone:
            lines[number] = hugo(SHORTCODE_RE.search(line), alone.group("indent"))
    return REFERENCE.render(SHORTCODE_RE.sub(hugo, "\n".join(lines)))


def _blocks_at_their_tags(lines: list[str]) -> list[str]:
    """Each block shortcode's content at its opening tag's indentation, its own indentation aside.

    wikiGDrive indents a note's content to the list around it, or not at all; the sync reads a
    block's content relative to its first line and puts it where its tag is (documented in
    ``ingest/shortcodes.py``), which Hugo, rendering the content on its own, does too.
    """
    lines = list(lines)
    stack: list[tuple[str, int, str]] = []
    for number, line in enumerate(lines):
        alone = _TAG_LINE_RE.match(line)
        if not alone:
            continue
        tag = parse_tag(SHORTCODE_RE.search(line))
        if tag.name not in BLOCKS or tag.name == "pre":
            continue
        if not tag.closing:
            stack.append((tag.name, number, alone.group("indent")))
        elif stack and stack[-1][0] == tag.name:
            _, start, indent = stack.pop()
            inner = lines[start + 1:number]
            common = min((len(l) - len(l.lstrip(" ")) for l in inner if l.strip()), default=0)
            lines[start + 1:number] = [indent + l[common:] if l.strip() else l for l in inner]
    return lines


_TAG_LINE_RE = re.compile(r"^(?P<indent>[ \t]*)\{\{[%<][^\n]*?[%>]\}\}[ \t]*$")


def structure(html: str, skip_first_h1: bool = False) -> Structure:
    parser = _StructureParser(skip_first_h1)
    parser.feed(html)
    parser.close()
    return parser.result


_IGNORED_CLASSES = {"headerlink", "toc", "ingest-activity-card", "ingest-generated", "md-source-file"}


class _StructureParser(HTMLParser):
    def __init__(self, skip_first_h1: bool):
        super().__init__(convert_charrefs=True)
        self.result = Structure()
        self.lists: list[list] = []  # [tag, start, count]
        self.skip_h1 = skip_first_h1
        self.depth = 0
        self.ignore_depth: int | None = None
        self.heading: list[str] | None = None
        self.heading_depth = 0
        self.code: list[str] | None = None
        self.code_depth = 0

    def handle_starttag(self, tag, attrs):
        if tag in ("br", "img", "hr", "input", "col", "meta", "link", "source", "wbr"):
            return
        self.depth += 1
        values = dict(attrs)
        if self.ignore_depth is not None:
            return
        if set((values.get("class") or "").split()) & _IGNORED_CLASSES:
            self.ignore_depth = self.depth
            return
        if tag in ("ol", "ul"):
            start = values.get("start") or "1"
            self.lists.append([tag, int(start) if start.lstrip("-").isdigit() else 1, 0])
        elif tag == "li" and self.lists:
            kind, start, count = self.lists[-1]
            self.result.items.append((len(self.lists), kind, start + count if kind == "ol" else 0))
            self.lists[-1][2] += 1
        elif re.fullmatch(r"h[1-6]", tag) and self.heading is None:
            if tag == "h1" and self.skip_h1:
                self.skip_h1 = False
                self.ignore_depth = self.depth
            else:
                self.heading, self.heading_depth = [], self.depth
                if not self.result.headings and not self.result.first_heading_level:
                    self.result.first_heading_level = int(tag[1])
        elif tag == "pre" and self.code is None:
            self.code, self.code_depth = [], self.depth

    def handle_endtag(self, tag):
        if tag in ("br", "img", "hr", "input", "col", "meta", "link", "source", "wbr"):
            return
        if self.ignore_depth == self.depth:
            self.ignore_depth = None
        elif self.ignore_depth is None:
            if tag in ("ol", "ul") and self.lists:
                self.lists.pop()
            if self.heading is not None and self.depth == self.heading_depth:
                self.result.headings.append(loose_key("".join(self.heading)))
                self.heading = None
            if self.code is not None and self.depth == self.code_depth:
                self.result.code.append(" ".join("".join(self.code).split()))
                self.code = None
        self.depth -= 1

    def handle_data(self, data):
        if self.ignore_depth is not None:
            return
        if self.heading is not None:
            self.heading.append(data)
        if self.code is not None:
            self.code.append(data)
