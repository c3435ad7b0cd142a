"""The converter: every shortcode of a doc, found left to right, each turned into what it becomes (``output``).

Block shortcodes (``{{% note %}}…{{% /note %}}``) are converted innermost first, keeping
the indentation of the line they stand on, so a note inside a numbered step stays inside
the step; inside raw HTML (a table cell) they become HTML. Nothing inside code is touched,
but for the ``pre`` tags and the names code shows (``code``). Unknown, unclosed and stray
tags are reported with their file line.
"""

from __future__ import annotations

import itertools
import re
from collections import deque

from ingest.chardata import SHORTCODE_RE
from ingest.markup import html_block_lines
from ingest.model import Document, Problem
from ingest.transform.regions import LineFinder, segments
from ingest.transform.shortcodes.code import NAME_IN_CODE_RE, show_literals
from ingest.transform.shortcodes.output import block_html, block_markdown, drawio, inline, pre_region
from ingest.transform.shortcodes.syntax import BLOCKS, INLINE, MAX_NESTING, Shortcode, marker, parse_tag


def convert_shortcodes(doc: Document, original: str | None = None,
                       diagrams: tuple[str, ...] = ()) -> tuple[Document, list[Problem]]:
    """Convert every shortcode of a document; report unknown and unclosed ones.

    ``original`` is the body as exported: problems are reported by its lines, since
    the text fixes before this stage may have added lines. ``diagrams`` are the export's
    drawings (its ``diagrams/`` folder), which ``drawio`` shows by name.
    """
    converter = _Converter(doc, original if original is not None else doc.body, diagrams)
    body = converter.run(doc.body)
    return doc.with_fix("shortcodes", body), converter.problems


class _Converter:
    def __init__(self, doc: Document, original: str, diagrams: tuple[str, ...] = ()):
        self.doc = doc
        self.original = original
        self.diagrams = diagrams
        self.problems: list[Problem] = []

    # -- driver -------------------------------------------------------------

    def run(self, body: str) -> str:
        if "{{" not in body:
            return body
        self.protected = _unused_character(body + self.original)  # stands for '{{' inside code meanwhile
        if "/*" in body:
            body = show_literals(body, self.protected)
        body = self._protect_code(body)
        self.lines: dict[str, deque[int]] = {}
        original = "".join(piece if not code else piece.replace("{{", self.protected)
                           for code, piece in segments(self.original))
        lines = LineFinder(original)
        for match in SHORTCODE_RE.finditer(original):
            self.lines.setdefault(match.group(0), deque()).append(lines.line(match.start()))
        self.closers = _pair_blocks(body)
        self.too_deep = False
        # A block shortcode inside raw HTML (a table cell) must become HTML: CommonMark reads no
        # Markdown there, and a blank line would end the HTML block.
        self.html_lines = html_block_lines(body) if "<" in body else []
        self.body_lines = LineFinder(body)
        body = self._convert(body, 0, 0)
        return body.replace(self.protected, "{{")

    def _protect_code(self, body: str) -> str:
        """Hide the shortcodes inside code, converting ``pre`` shortcodes to fences first.

        The system's name is the one shortcode code shows filled in (Hugo fills every shortcode,
        code or not): its marker is replaced by plain text at build time.
        """
        out = []
        for is_code, piece in segments(body):
            if is_code:
                if piece.lstrip().startswith("{{"):
                    piece = pre_region(piece)
                if "name" in piece:
                    piece = NAME_IN_CODE_RE.sub(lambda m: marker(m.group(1).lower()), piece)
                piece = piece.replace("{{", self.protected)
            out.append(piece)
        return "".join(out)

    def _take_line(self, match: re.Match[str]) -> int:
        """Body line of this tag: tags are met left to right, so take the first unused one."""
        lines = self.lines.get(match.group(0)) or deque([1])
        return lines.popleft() if len(lines) > 1 else lines[0]

    def _convert(self, text: str, offset: int, depth: int) -> str:
        """Convert tags left to right; a block's content is converted before the block.

        ``text`` is the part of the body that starts at ``offset``; ``depth`` counts the
        blocks around it.
        """
        if depth > MAX_NESTING:
            return self._flatten(text)
        out = ""
        position = 0
        while True:
            match = SHORTCODE_RE.search(text, position)
            if match is None:
                return out + text[position:]
            tag = parse_tag(match)
            line = self._take_line(match)
            out += text[position:match.start()]
            if tag.closing:
                out += self._stray_closer(tag, match, line)
                position = match.end()
            elif tag.name in BLOCKS:
                close = self._closer_of(match, text, offset)
                if close is None:
                    self._warn(line, "unclosed-shortcode",
                               f"'{{{{% {tag.name} %}}}}' is never closed; it now ends at the end of the doc. "
                               f"Add '{{{{% /{tag.name} %}}}}' in the Google Doc where it should end.")
                    inner, position = text[match.end():], len(text)
                else:
                    inner, position = text[match.end():close.start()], close.end()
                in_html = self._in_html(offset + match.start())
                indent, opens_line = _line_indent(out)
                if opens_line and not in_html:
                    out = out[: len(out) - len(indent)]
                inner = self._convert(inner, offset + match.end(), depth + 1)
                if in_html:  # its lines stay at the indentation of the line it is on (in a list item, say)
                    converted = block_html(tag, inner).replace("\n", "\n" + indent)
                else:
                    converted = block_markdown(tag, inner, indent)
                if close is not None:
                    self._take_line(close)
                out += converted
            elif tag.name in INLINE:
                out += self._inline(tag, line)
                position = match.end()
            else:
                self._warn(line, "unknown-shortcode",
                           f"unknown shortcode '{match.group(0)}' is shown as text. "
                           "Remove it from the Google Doc, or ask for it to be supported.")
                out += match.group(0)
                position = match.end()

    def _in_html(self, offset: int) -> bool:
        """Whether the body offset is inside a raw HTML block."""
        if not self.html_lines:
            return False
        line = self.body_lines.line(offset) - 1
        return any(start <= line < end for start, end in self.html_lines)

    def _closer_of(self, opener: re.Match[str], text: str, offset: int) -> re.Match[str] | None:
        """The tag closing ``opener``, if it is inside ``text`` (the block being converted)."""
        start = self.closers.get(offset + opener.start())
        if start is None or start - offset >= len(text):
            return None  # never closed, or closed only after the block around it ends
        return SHORTCODE_RE.match(text, start - offset)

    def _flatten(self, text: str) -> str:
        """Blocks nested deeper than MAX_NESTING keep their text; their tags go, with one warning."""
        if not self.too_deep and SHORTCODE_RE.search(text):
            self.too_deep = True
            line = self._take_line(SHORTCODE_RE.search(text))
            self._warn(line, "shortcode-too-deep",
                       f"shortcodes are nested more than {MAX_NESTING} deep; the inner ones were removed and their "
                       "text kept. Simplify the nesting in the Google Doc.")
        return SHORTCODE_RE.sub("", text)

    def _stray_closer(self, tag: Shortcode, match: re.Match[str], line: int) -> str:
        if tag.name in INLINE:
            return ""  # a macro with an empty body came out of Confluence as an opening and a closing tag
        if tag.name in BLOCKS:
            self._warn(line, "stray-shortcode", f"'{match.group(0)}' closes a block that was never opened; it was dropped.")
            return ""
        self._warn(line, "unknown-shortcode", f"unknown shortcode '{match.group(0)}' is shown as text.")
        return match.group(0)

    def _warn(self, line: int, kind: str, message: str) -> None:
        self.problems.append(Problem(self.doc.source, self.doc.line_of(line), kind,
                                     f"Doc '{self.doc.source}': {message}"))

    def _inline(self, tag: Shortcode, line: int) -> str:
        if tag.name != "drawio":
            return inline(tag)
        text, warning = drawio(tag, self.doc.source, self.diagrams)
        if warning is not None:
            self._warn(line, "missing-diagram", warning)
        return text


def _unused_character(text: str) -> str:
    """A character that is not in ``text``: NUL (the read stage removes it), else a noncharacter.

    >>> _unused_character("a"), _unused_character("a\\x00") == "\\ufdd0"
    ('\\x00', True)
    """
    candidates = itertools.chain((0,), range(0xFDD0, 0xFDF0), range(0xF0000, 0x10FFFE))
    return next(chr(code) for code in candidates if chr(code) not in text)


def _pair_blocks(body: str) -> dict[int, int]:
    """Start of each block tag's opener → start of its closer, found in one pass.

    A closer belongs to the nearest unclosed opener of its name, which is what
    counting nesting depth forward from each opener finds, without rescanning the
    rest of the doc from every opener that is never closed.

    >>> _pair_blocks("{{% note %}}a{{% tip %}}b{{% /note %}}")
    {0: 25}
    """
    open_tags: dict[str, list[int]] = {}
    closers: dict[int, int] = {}
    for match in SHORTCODE_RE.finditer(body):
        tag = parse_tag(match)
        if tag.name not in BLOCKS:
            continue
        if not tag.closing:
            open_tags.setdefault(tag.name, []).append(match.start())
        elif open_tags.get(tag.name):
            closers[open_tags[tag.name].pop()] = match.start()
    return closers


def _line_indent(before: str) -> tuple[str, bool]:
    """The indentation of the line a tag starts on, and whether the tag opens that line."""
    line = before.rsplit("\n", 1)[-1]
    indent = re.match(r"[ \t]*", line).group(0)
    return indent, line == indent
