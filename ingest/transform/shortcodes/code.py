"""Shortcodes and code: ``pre`` around a fence, Hugo's ``{{%/* x */%}}`` escape, the system's name in code.

Hugo fills shortcodes before it reads Markdown, code included, so in a current export
``{{% pre %}}`` around a fence is transparent (``unwrap_fenced_pre``), a doc shows a shortcode
as written with Hugo's escape (``LITERAL_RE``), and ``{{% system-name %}}`` in code shows the name.
"""

from __future__ import annotations

import html
import re

from ingest.chardata import FENCE_RE, SHORTCODE_RE
from ingest.model import Document
from ingest.transform.regions import segments
from ingest.transform.shortcodes.syntax import parse_tag

_PRE_TAG_RE = re.compile(r"\{\{[%<]\s*(?P<close>/)?\s*pre\b(?:[^%>}]|%(?!\}\})|>(?!\}\}))*[%>]\}\}", re.IGNORECASE)


def unwrap_fenced_pre(doc: Document) -> Document:
    """Drop the ``pre`` tags that only wrap a fence: the fence is the code block.

    Hugo's ``pre`` shortcode writes its content as it is, so in a current export
    ``{{% pre %}}`` around a fence (or inside one) is transparent, and the fences pair up as
    CommonMark pairs them, even when the closing tag comes before the closing fence. A ``pre``
    with no fence near it stays, and becomes a fenced block later.

    >>> unwrap_fenced_pre(Document("a.md", {}, "{{% pre %}}\\n```\\nx\\n{{% /pre %}}\\n```\\n")).body
    '\\n```\\nx\\n\\n```\\n'
    """
    body = doc.body
    if "pre" not in body or "{{" not in body:
        return doc
    tags = list(_PRE_TAG_RE.finditer(body))
    if not tags:
        return doc
    fenced = _fenced_ranges(body)
    drop: list[re.Match[str]] = []
    opener: re.Match[str] | None = None
    for tag in tags:
        if not tag.group("close"):
            opener = tag
            continue
        if opener is None:
            continue
        inner = body[opener.end():tag.start()]
        if _FENCE_LINE_RE.search(inner) or any(s <= opener.start() < e for s, e in fenced):
            drop += [opener, tag]
        opener = None
    if not drop:
        return doc
    out, position = [], 0
    for tag in drop:
        out.append(body[position:tag.start()])
        position = tag.end()
        if not tag.group("close"):
            language = parse_tag(SHORTCODE_RE.match(tag.group(0))).arg("language", 0) if SHORTCODE_RE.match(
                tag.group(0)) else ""
            fence = _BARE_FENCE_RE.match(body, position)
            if language and fence:  # the fence right after the tag names no language: the pre's
                out.append(body[position:fence.end()] + language.strip())
                position = fence.end()
    return doc.with_fix("pre-around-fence", "".join(out) + body[position:])


#: Hugo's escaped shortcode: ``{{%/* name args */%}}`` or ``{{</* name */>}}`` shows the shortcode as written.
LITERAL_RE = re.compile(r"(?P<open>\{\{[%<])/\*(?P<inner>.*?)\*/(?P<close>[%>]\}\})", re.DOTALL)


def shown(match: re.Match[str]) -> str:
    """An escaped shortcode as Hugo shows it: ``{{%/* note */%}}`` is ``{{% note %}}``."""
    return f"{match['open']}{match['inner']}{match['close']}"


#: The system's name in code, which code shows filled in.
NAME_IN_CODE_RE = re.compile(r"\{\{[%<]\s*(system-name|sys-name)\s*[%>]\}\}", re.IGNORECASE)
_BARE_FENCE_RE = re.compile(r"[ \t]*\n {0,3}(?:`{3,}|~{3,})(?=[ \t]*$)", re.MULTILINE)
_FENCE_LINE_RE = re.compile(r"^ {0,3}(?:`{3,}|~{3,})", re.MULTILINE)


def _fenced_ranges(body: str) -> list[tuple[int, int]]:
    """Character ranges of the fenced blocks of ``body``, shortcode tags aside (CommonMark's pairing)."""
    ranges: list[tuple[int, int]] = []
    fence: str | None = None
    start = offset = 0
    for line in body.splitlines(keepends=True):
        match = FENCE_RE.match(line.rstrip("\n"))
        if match and len(match.group("indent")) <= 3:
            marker = match.group("fence")
            if fence is None:
                fence, start = marker, offset
            elif marker[0] == fence[0] and len(marker) >= len(fence) and not match.group("info").strip():
                ranges.append((start, offset + len(line)))
                fence = None
        offset += len(line)
    if fence is not None:
        ranges.append((start, len(body)))
    return ranges


def show_literals(body: str, protected: str) -> str:
    """Hugo's way to show a shortcode as it is written, ``{{%/* note */%}}``: shown as ``{{% note %}}``.

    Marked ``ingest-literal`` (a class on the element, a word of a fence's info string), so that
    ``ingest check`` tells it from a shortcode the sync failed to convert. Its ``{{`` is written as
    ``protected``, so no later stage takes it for a shortcode (the converter puts it back).
    """
    def literal(match: re.Match[str]) -> str:
        return shown(match).replace("{{", protected)

    out = []
    for is_code, piece in segments(body):
        if not LITERAL_RE.search(piece):
            out.append(piece)
            continue
        first, newline, rest = piece.partition("\n")
        if not is_code:
            out.append(LITERAL_RE.sub(lambda m: '<span class="ingest-literal">'
                                      + html.escape(literal(m), quote=False) + "</span>", piece))
        elif newline and FENCE_RE.match(first.lstrip()):  # a fence: say it in its info string
            out.append(first.rstrip() + " ingest-literal" + newline + LITERAL_RE.sub(literal, rest))
        elif piece.startswith("`"):  # a code span: as raw HTML, where the class can be said
            code = LITERAL_RE.sub(literal, piece).strip("`").strip()
            out.append(f'<code class="ingest-literal">{html.escape(code, quote=False)}</code>')
        else:
            out.append(LITERAL_RE.sub(literal, piece))
    return "".join(out)
