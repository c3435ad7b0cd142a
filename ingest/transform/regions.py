"""Tell code from prose, so the text stages never touch what is inside code.

Code here means fenced blocks, inline code spans, raw ``<pre>`` blocks and Hugo
``pre`` shortcodes (they become fenced blocks later).
"""

from __future__ import annotations

import bisect
import functools
import re
from typing import Callable, Iterator

from ingest.chardata import CODE_SPAN_RE, FENCE_RE
from ingest.markup import html_block_lines, indented_code_lines

_NEWLINE_RE = re.compile("\n")
_PRE_SHORTCODE_RE = re.compile(r"\{\{[%<]\s*pre\b", re.IGNORECASE)
#: Openers and closers of raw ``<pre>`` blocks and Hugo ``pre`` shortcodes.
_PRE_PAIRS = (
    (re.compile(r"<pre\b", re.IGNORECASE), re.compile(r"</pre>", re.IGNORECASE)),
    (re.compile(r"\{\{[%<]\s*pre\b", re.IGNORECASE), re.compile(r"\{\{[%<]\s*/pre\s*[%>]\}\}", re.IGNORECASE)),
)


def element_spans(text: str, opener: re.Pattern[str], closer: re.Pattern[str]) -> Iterator[tuple[int, int]]:
    """(start, end) of each opener and the first closer after it, in one pass over ``text``.

    The same as ``finditer`` of ``opener.*?closer`` with DOTALL, without its cost: that
    regex scans to the end of the text from every opener that is never closed, which
    makes a long line of ``<pre`` take time quadratic in its length.

    >>> import re
    >>> t = "<b>x</b> <b>y <b>"
    >>> [t[s:e] for s, e in element_spans(t, re.compile("<b>"), re.compile("</b>"))]
    ['<b>x</b>']
    """
    position = 0
    while (start := opener.search(text, position)) is not None:
        end = closer.search(text, start.end())
        if end is None:
            return
        yield start.start(), end.end()
        position = end.end()


def _may_have_code(text: str) -> bool:
    """A cheap first look (substring tests, then the regex only where they found something)."""
    if "```" in text or "~~~" in text:
        return True
    if "\n    " in text or "\n\t" in text or text.startswith(("    ", "\t")):
        return True  # an indented code block, maybe
    if "<" in text and "<pre" in text.lower():
        return True
    return "{{" in text and _PRE_SHORTCODE_RE.search(text) is not None


@functools.lru_cache(maxsize=32)
def code_blocks(text: str) -> tuple[tuple[int, int], ...]:
    """(start, end) character ranges of fenced code blocks, ``<pre>`` and ``pre`` shortcodes.

    An unclosed fence runs to the end of the text, as CommonMark says. Cached: the
    stages of a sync ask again about a body that no fix before them changed.

    >>> t = "a\\n```\\nx\\n```\\nb"
    >>> [t[s:e] for s, e in code_blocks(t)]
    ['```\\nx\\n```\\n']
    """
    if not _may_have_code(text):
        return ()  # most docs have no code: skip the line scan
    ranges: list[tuple[int, int]] = []
    offset = 0
    fence: str | None = None
    start = 0
    for line in text.splitlines(keepends=True):
        match = FENCE_RE.match(line.rstrip("\n"))
        if fence is None and match:
            fence, start = match.group("fence"), offset
        elif fence is not None and match and match.group("fence").startswith(fence) and not match.group("info").strip():
            ranges.append((start, offset + len(line)))
            fence = None
        offset += len(line)
    if fence is not None:
        ranges.append((start, len(text)))
    pre_blocks = sorted(span for opener, closer in _PRE_PAIRS for span in element_spans(text, opener, closer))
    fences = sorted(ranges)
    kept: list[tuple[int, int]] = []
    taken = 0  # end of the last pre block kept: a pre block inside another is not one more
    for start, end in pre_blocks:
        if start >= taken and not any(s <= start < e for s, e in fences):
            kept.append((start, end))
            taken = end
    # A pre block holds the fences inside it (``{{% pre %}}`` around a fence is how current exports
    # write code): the ranges never overlap, so each character is in one piece.
    ranges = [(s, e) for s, e in fences if not any(ps <= s < pe for ps, pe in kept)] + kept
    indented = _line_spans(text, indented_code_lines(text))
    if indented:
        # CommonMark's indented code (4 spaces in, after a blank line, outside a list's content)
        ranges = [*ranges, *indented]
    html = html_spans(text)
    if html:
        # Inside a raw HTML block CommonMark reads no Markdown: a fence or a backtick there is text
        # (and a <script> between backticks is a script). Only <pre> stays code.
        ranges = [(s, e) for s, e in ranges if text.startswith("<", s) or not _inside(s, html)]
    return _disjoint(ranges)


def _disjoint(ranges: list[tuple[int, int]]) -> tuple[tuple[int, int], ...]:
    """The ranges, each inside an earlier one left out: every character is in one piece at most.

    >>> _disjoint([(2, 5), (0, 10), (12, 14)])
    ((0, 10), (12, 14))
    """
    kept: list[tuple[int, int]] = []
    for start, end in sorted(ranges, key=lambda r: (r[0], -r[1])):
        if kept and start < kept[-1][1]:
            continue
        kept.append((start, end))
    return tuple(kept)


def segments(text: str, inline: bool = True) -> Iterator[tuple[bool, str]]:
    """Split ``text`` into (is_code, piece) runs; joining the pieces gives ``text`` back.

    >>> list(segments("a `b` c"))
    [(False, 'a '), (True, '`b`'), (False, ' c')]
    """
    position = 0
    html = html_spans(text) if inline and "`" in text else ()
    for start, end in code_blocks(text):
        if start > position:
            yield from _inline_segments(text[position:start], inline, position, html)
        yield True, text[start:end]
        position = end
    if position < len(text):
        yield from _inline_segments(text[position:], inline, position, html)


@functools.lru_cache(maxsize=32)
def html_spans(text: str) -> tuple[tuple[int, int], ...]:
    """(start, end) character ranges of the raw HTML blocks of ``text``, as CommonMark reads it.

    >>> t = "<div>\\n`x`\\n</div>\\n\\n`y`"
    >>> [t[s:e] for s, e in html_spans(t)]
    ['<div>\\n`x`\\n</div>\\n']
    """
    if "<" not in text:
        return ()
    return _line_spans(text, html_block_lines(text))


def _line_spans(text: str, blocks: list[tuple[int, int]]) -> tuple[tuple[int, int], ...]:
    """Character ranges of 0-based [first, last) line ranges."""
    if not blocks:
        return ()
    starts = [0]
    for match in _NEWLINE_RE.finditer(text):
        starts.append(match.end())
    starts.append(len(text))
    return tuple((starts[first], starts[min(last, len(starts) - 1)]) for first, last in blocks)


def _inside(offset: int, spans: tuple[tuple[int, int], ...]) -> bool:
    return any(start <= offset < end for start, end in spans)


def _inline_segments(text: str, inline: bool, offset: int = 0,
                     html: tuple[tuple[int, int], ...] = ()) -> Iterator[tuple[bool, str]]:
    if not inline or "`" not in text:
        yield False, text
        return
    position = 0
    for match in CODE_SPAN_RE.finditer(text):
        if html and _inside(offset + match.start(), html):
            continue  # backticks in raw HTML are text
        if match.start() > position:
            yield False, text[position:match.start()]
        yield True, match.group(0)
        position = match.end()
    if position < len(text):
        yield False, text[position:]


def outside_code(fix: Callable[[str], str], text: str, inline: bool = True) -> str:
    """Apply ``fix`` to the prose of ``text`` only.

    >>> outside_code(str.upper, "a `b` c")
    'A `b` C'
    """
    return "".join(piece if is_code else fix(piece) for is_code, piece in segments(text, inline))


def line_of_offset(text: str, offset: int) -> int:
    """1-based line number of a character offset."""
    return text.count("\n", 0, offset) + 1


class LineFinder:
    """1-based line numbers of many offsets in one text, each found by bisection.

    Counting newlines from the start for every offset is quadratic on a long doc
    with many problems on one line.

    >>> LineFinder("a\\nb\\nc").line(4)
    3
    """

    def __init__(self, text: str):
        self.text = text
        self.newlines: list[int] | None = None  # found on first use: most docs have nothing to report

    def line(self, offset: int) -> int:
        if self.newlines is None:
            self.newlines = [match.start() for match in _NEWLINE_RE.finditer(self.text)]
        return bisect.bisect_left(self.newlines, offset) + 1
