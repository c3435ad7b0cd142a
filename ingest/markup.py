"""The Markdown dialect of the export: CommonMark, read with markdown-it-py.

wikiGDrive writes CommonMark for Hugo's Goldmark. The sync reads a doc's structure with
the same parser the build renders it with (``ingest.mkdocs.commonmark``), so both agree
on what is a list, a heading, a code block or raw HTML.
"""

from __future__ import annotations

import functools
import re
import unicodedata

from markdown_it import MarkdownIt
from markdown_it.token import Token
from mdit_py_plugins.admon import admon_plugin
from mdit_py_plugins.deflist import deflist_plugin

_LOOSE_RE = re.compile(r"[\W_]+")

#: How deep blocks may nest before markdown-it stops reading them (its default, 20, is 10 list levels; the
#: sanitise stage keeps lists and quotes to 40 two-space levels, and each level is a list and an item).
MAX_NESTING = 100


@functools.cache
def parser(line_breaks: bool = True) -> MarkdownIt:
    """The CommonMark parser with the extensions the synced pages use: pipe tables, ``~~strike~~``,
    admonitions (``!!! note``) and definition lists. One a process: it holds no state between parses.

    >>> [t.type for t in parser().parse("1. a\\n2. b")][:2]
    ['ordered_list_open', 'list_item_open']
    """
    md = MarkdownIt("commonmark", {"html": True, "breaks": line_breaks, "maxNesting": MAX_NESTING})
    md.enable(["table", "strikethrough"])
    admon_plugin(md)
    deflist_plugin(md)
    return md


def block_tokens(text: str) -> list[Token]:
    """The block structure of ``text`` (inline content left unparsed: cheaper, and all a line map needs).

    >>> [(t.type, t.map) for t in block_tokens("<table>\\n<tr><td>x</td></tr>\\n</table>\\n\\ntext")]
    [('html_block', [0, 3]), ('paragraph_open', [4, 5]), ('inline', [4, 5]), ('paragraph_close', None)]
    """
    return _block_parser().parse(text)


@functools.cache
def _block_parser() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": True, "maxNesting": MAX_NESTING})
    md.enable(["table", "strikethrough"])
    admon_plugin(md)
    deflist_plugin(md)
    md.core.ruler.disable(["inline", "text_join"])
    return md


def html_block_lines(text: str) -> list[tuple[int, int]]:
    """0-based [start, end) line ranges of the raw HTML blocks of ``text``, where Markdown is not read.

    >>> html_block_lines("a\\n\\n<table><tr><td>\\n{{% note %}}\\n</td></tr></table>\\n\\nb")
    [(2, 5)]
    """
    if "<" not in text:
        return []
    return list(_block_lines(text).get("html_block", ()))


def indented_code_lines(text: str) -> list[tuple[int, int]]:
    """0-based [start, end) line ranges of the indented code blocks of ``text`` (4 spaces in, after a blank line).

    >>> indented_code_lines("Text\\n\\n    code\\n\\nText")
    [(2, 3)]
    """
    if not _INDENTED_RE.search(text):
        return []
    return list(_block_lines(text).get("code_block", ()))


_INDENTED_RE = re.compile(r"^(?: {4}|\t)", re.MULTILINE)


@functools.lru_cache(maxsize=32)
def _block_lines(text: str) -> dict[str, tuple[tuple[int, int], ...]]:
    """The line ranges of the raw HTML and indented code blocks of ``text``, from one parse (cached: every
    stage of a sync asks about a body the stages before it did not change)."""
    found: dict[str, list[tuple[int, int]]] = {}
    for token in block_tokens(text):
        if token.type in ("html_block", "code_block") and token.map:
            found.setdefault(token.type, []).append((token.map[0], token.map[1]))
    return {kind: tuple(ranges) for kind, ranges in found.items()}


def plain_text(tokens: list[Token]) -> str:
    """The text of inline tokens, as a heading's or an image's alt text reads.

    >>> plain_text(parser().parseInline("A *b* `c` [d](e)")[0].children)
    'A b c d'
    """
    parts = []
    for token in tokens:
        if token.type in ("text", "code_inline"):
            parts.append(token.content)
        elif token.type in ("softbreak", "hardbreak"):
            parts.append(" ")
        elif token.children:
            parts.append(plain_text(token.children))
    return "".join(parts)


def loose_key(text: str) -> str:
    """A heading name or fragment with case, punctuation and spacing gone, to match one with the other.

    Accents go too, as the ``toc`` extension's ids lose them.

    >>> loose_key("#Observation/Result-(OBX)") == loose_key("observationresult-obx")
    True
    >>> loose_key("Café Résumé")
    'caferesume'
    """
    if not text.isascii():
        text = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
    return _LOOSE_RE.sub("", text).casefold()
