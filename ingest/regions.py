"""Tell code from prose, so the text stages never touch what is inside code.

Code here means fenced blocks, inline code spans, raw ``<pre>`` blocks and Hugo
``pre`` shortcodes (they become fenced blocks later).
"""

from __future__ import annotations

import functools
import re
from typing import Callable, Iterator

from ingest.chardata import CODE_SPAN_RE, FENCE_RE

_MAYBE_CODE_RE = re.compile(r"^ *(?:```|~~~)|<pre\b|\{\{[%<]\s*pre\b", re.MULTILINE | re.IGNORECASE)
_PRE_BLOCK_RE = re.compile(r"<pre\b.*?</pre>|\{\{[%<]\s*pre\b.*?\{\{[%<]\s*/pre\s*[%>]\}\}", re.DOTALL | re.IGNORECASE)


@functools.lru_cache(maxsize=32)
def code_blocks(text: str) -> tuple[tuple[int, int], ...]:
    """(start, end) character ranges of fenced code blocks, ``<pre>`` and ``pre`` shortcodes.

    An unclosed fence runs to the end of the text, as CommonMark says. Cached: the
    stages of a sync ask again about a body that no fix before them changed.

    >>> t = "a\\n```\\nx\\n```\\nb"
    >>> [t[s:e] for s, e in code_blocks(t)]
    ['```\\nx\\n```\\n']
    """
    if not _MAYBE_CODE_RE.search(text):
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
    for match in _PRE_BLOCK_RE.finditer(text):
        if not any(s <= match.start() < e for s, e in ranges):
            ranges.append(match.span())
    return tuple(sorted(ranges))


def segments(text: str, inline: bool = True) -> Iterator[tuple[bool, str]]:
    """Split ``text`` into (is_code, piece) runs; joining the pieces gives ``text`` back.

    >>> list(segments("a `b` c"))
    [(False, 'a '), (True, '`b`'), (False, ' c')]
    """
    position = 0
    for start, end in code_blocks(text):
        if start > position:
            yield from _inline_segments(text[position:start], inline)
        yield True, text[start:end]
        position = end
    if position < len(text):
        yield from _inline_segments(text[position:], inline)


def _inline_segments(text: str, inline: bool) -> Iterator[tuple[bool, str]]:
    if not inline or "`" not in text:
        yield False, text
        return
    position = 0
    for match in CODE_SPAN_RE.finditer(text):
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
