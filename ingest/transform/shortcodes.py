"""Stage 4a: turn the Hugo shortcodes of wikiGDrive exports into Material Markdown.

Block shortcodes (``{{% note %}}…{{% /note %}}``) are converted innermost first,
keeping the indentation of the line they stand on so a note inside a numbered
step stays inside the step. Shortcodes whose output depends on the site are
left as ``<!--ingest:…-->`` markers: ``children`` and ``contentbylabel`` are
filled in by the sync once the nav is known, and ``system-name``, ``syslink``
and ``only`` by the MkDocs hook from ``extra:`` in ``mkdocs.yml``, so a brand
or a system name can change without a new sync.

Nothing inside code (fences, code spans, ``<pre>``) is touched.
"""

from __future__ import annotations

import html
import itertools
import re
import textwrap
from collections import deque
from dataclasses import dataclass
from pathlib import PurePosixPath

from ingest.chardata import FENCE_RE, SHORTCODE_ARG_RE, SHORTCODE_RE
from ingest.model import Document, Problem
from ingest.files import IMAGE_SUFFIXES
from ingest.markup import html_block_lines, loose_key, parser
from ingest.transform.regions import LineFinder, segments

#: Admonition shortcodes and the Material admonition type each becomes.
ADMONITIONS = {
    "note": "note", "info": "info", "tip": "tip", "warning": "warning",
    "danger": "danger", "caution": "warning", "important": "important", "notice": "note",
}
#: Shortcodes that wrap content and need a closing tag.
BLOCKS = set(ADMONITIONS) | {"pre", "column", "row", "section", "only", "details", "expand"}
#: Shortcodes that stand alone.
INLINE = {"system-name", "sys-name", "syslink", "anchor", "gvideo", "youtube", "children",
          "toc", "drawio", "contentbylabel"}
MARKER_PREFIX = "<!--ingest:"
#: Blocks nested deeper than this keep their text without their tags (and Python's stack stays small).
MAX_NESTING = 20



@dataclass(frozen=True)
class Shortcode:
    """One parsed shortcode tag."""

    name: str
    """Lower-case name, e.g. 'note'."""

    positional: tuple[str, ...]
    """Arguments without a key, in order."""

    named: dict[str, str]
    """key=value arguments."""

    closing: bool = False

    def arg(self, key: str, index: int | None = None, default: str = "") -> str:
        """A named argument, else the positional one at ``index``."""
        if key in self.named:
            return self.named[key]
        if index is not None and index < len(self.positional):
            return self.positional[index]
        return default


def parse_tag(match: re.Match[str]) -> Shortcode:
    """Parse a SHORTCODE_RE match.

    >>> from ingest.chardata import SHORTCODE_RE
    >>> parse_tag(SHORTCODE_RE.search('{{% syslink "Quick View" "func=omniscope" %}}'))
    Shortcode(name='syslink', positional=('Quick View', 'func=omniscope'), named={}, closing=False)
    """
    positional: list[str] = []
    named: dict[str, str] = {}
    for arg in SHORTCODE_ARG_RE.finditer(match.group("args") or ""):
        value = next(v for v in (arg.group("dq"), arg.group("sq"), arg.group("bare")) if v is not None)
        if arg.group("key"):
            named[arg.group("key").lower()] = value
        else:
            positional.append(value)
    return Shortcode(match.group("name").lower(), tuple(positional), named, bool(match.group("close")))


def marker(name: str, **attrs: str) -> str:
    """An ``<!--ingest:name k="v"-->`` marker for a later stage.

    >>> marker("syslink", text="Quick View", query="func=omniscope")
    '<!--ingest:syslink text="Quick View" query="func=omniscope"-->'
    """
    parts = [name] + [f'{key}="{html.escape(value, quote=True)}"' for key, value in attrs.items()]
    return MARKER_PREFIX + " ".join(parts) + "-->"


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
_LITERAL_RE = re.compile(r"(?P<open>\{\{[%<])/\*(?P<inner>.*?)\*/(?P<close>[%>]\}\})", re.DOTALL)
def _shown(match: re.Match[str]) -> str:
    """An escaped shortcode as Hugo shows it: ``{{%/* note */%}}`` is ``{{% note %}}``."""
    return f"{match['open']}{match['inner']}{match['close']}"


_NAME_IN_CODE_RE = re.compile(r"\{\{[%<]\s*(system-name|sys-name)\s*[%>]\}\}", re.IGNORECASE)
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
            body = self._literals(body)
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

    def _literals(self, body: str) -> str:
        """Hugo's way to show a shortcode as it is written, ``{{%/* note */%}}``: shown as ``{{% note %}}``.

        Marked ``ingest-literal`` (a class on the element, a word of a fence's info string), so that
        ``ingest check`` tells it from a shortcode the sync failed to convert.
        """
        protected = self.protected

        def shown(match: re.Match[str]) -> str:
            return _shown(match).replace("{{", protected)  # no later stage takes it for a shortcode

        out = []
        for is_code, piece in segments(body):
            if not _LITERAL_RE.search(piece):
                out.append(piece)
                continue
            first, newline, rest = piece.partition("\n")
            if not is_code:
                out.append(_LITERAL_RE.sub(lambda m: '<span class="ingest-literal">'
                                           + html.escape(shown(m), quote=False) + "</span>", piece))
            elif newline and FENCE_RE.match(first.lstrip()):  # a fence: say it in its info string
                out.append(first.rstrip() + " ingest-literal" + newline + _LITERAL_RE.sub(shown, rest))
            elif piece.startswith("`"):  # a code span: as raw HTML, where the class can be said
                code = _LITERAL_RE.sub(shown, piece).strip("`").strip()
                out.append(f'<code class="ingest-literal">{html.escape(code, quote=False)}</code>')
            else:
                out.append(_LITERAL_RE.sub(shown, piece))
        return "".join(out)

    def _protect_code(self, body: str) -> str:
        """Hide the shortcodes inside code, converting ``pre`` shortcodes to fences first.

        The system's name is the one shortcode code shows filled in (Hugo fills every shortcode,
        code or not): its marker is replaced by plain text at build time.
        """
        out = []
        for is_code, piece in segments(body):
            if is_code:
                if piece.lstrip().startswith("{{"):
                    piece = self._pre_block(piece)
                if "name" in piece:
                    piece = _NAME_IN_CODE_RE.sub(lambda m: marker(m.group(1).lower()), piece)
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
                    converted = self._html_block(tag, inner).replace("\n", "\n" + indent)
                else:
                    converted = self._block(tag, inner, indent)
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

    # -- blocks -------------------------------------------------------------

    def _block(self, tag: Shortcode, inner: str, indent: str) -> str:
        name = tag.name
        content = _dedent_block(inner)
        if name in ADMONITIONS or name in ("details", "expand"):
            kind, title = self._admonition(tag)
            opener = ("??? " if name in ("details", "expand") else "!!! ") + kind
            if title:
                opener += ' "' + title.replace('"', "'") + '"'
            # Blank lines are indented too: two empty lines in a row would end the admonition.
            body = textwrap.indent(content, "    ", lambda line: True) if content.strip() else "    "
            return _as_block(opener + "\n" + body, indent)
        if name == "pre":
            return _as_block(_fence(content, tag.arg("language", 0)), indent)
        if name in ("section", "row"):
            return _as_block(f'<div class="grid ingest-columns">\n\n{content}\n\n</div>', indent)
        if name == "column":
            return _as_block(f"<div>\n\n{content}\n\n</div>", indent)
        if name == "only":
            brand = tag.arg("sys", 0)
            return _as_block(f"{marker('only', sys=brand)}\n\n{content}\n\n{MARKER_PREFIX}/only-->", indent)
        raise AssertionError(name)

    def _html_block(self, tag: Shortcode, inner: str) -> str:
        """A block shortcode inside raw HTML, as HTML on lines without a blank one (as Hugo's templates write it)."""
        name = tag.name
        content = _dedent_block(inner)
        if name in ADMONITIONS or name in ("details", "expand"):
            kind, title = self._admonition(tag)
            inner_html = _markdown_html(content)
            if name in ("details", "expand"):
                return f'<details class="{kind}"><summary>{html.escape(title or "Details")}</summary>{inner_html}</details>'
            return (f'<div class="admonition {kind}"><p class="admonition-title">'
                    f'{html.escape(title or kind.capitalize())}</p>{inner_html}</div>')
        if name == "pre":
            code = html.escape(content, quote=False).replace("\n", "&#10;")
            language = tag.arg("language", 0)
            attrs = f' class="language-{html.escape(language)}"' if language else ""
            return f"<pre><code{attrs}>{code}</code></pre>"
        if name in ("section", "row"):
            return f'<div class="grid ingest-columns">{_markdown_html(content)}</div>'
        if name == "column":
            return f"<div>{_markdown_html(content)}</div>"
        if name == "only":
            return f"{marker('only', sys=tag.arg('sys', 0))}{content}{MARKER_PREFIX}/only-->"
        raise AssertionError(name)

    def _admonition(self, tag: Shortcode) -> tuple[str, str]:
        """The Material admonition type and title of an admonition shortcode."""
        name = tag.name
        if name == "notice":
            return ADMONITIONS.get(tag.arg("type", 0, "note").lower(), "note"), tag.arg("title", 1)
        if name in ("details", "expand"):
            return "note", tag.arg("title", 0, "Details")
        return ADMONITIONS[name], tag.arg("title", 0)

    def _pre_block(self, piece: str) -> str:
        """A raw ``{{% pre %}}`` region found by the code scanner becomes a fenced block."""
        match = SHORTCODE_RE.match(piece.lstrip())
        if match is None or parse_tag(match).name != "pre":
            return piece
        tag = parse_tag(match)
        lead = piece[: len(piece) - len(piece.lstrip())]
        rest = piece.lstrip()[match.end():]
        close = re.search(r"\{\{[%<]\s*/pre\s*[%>]\}\}\s*$", rest)
        inner = rest[: close.start()] if close else rest
        indent = lead.rsplit("\n", 1)[-1]
        return lead[: len(lead) - len(indent)] + _as_block(_fence(_dedent_block(inner), tag.arg("language", 0)), indent)

    def _drawio(self, tag: Shortcode, line: int) -> str:
        """A drawing: by ``diagramName`` from the export's ``diagrams/`` folder, or by ``src``/``id``."""
        name = tag.named.get("diagramname", "")
        if name:
            path = _diagram_for(name, self.doc.source, self.diagrams)
            if path is not None:
                return f"![{_escape_text(name)}](</{path}>)"
            self._warn(line, "missing-diagram",
                       f"the drawing '{name}' is not in the export's diagrams/ folder; the page says so in its place. "
                       "Export the drawing with the docs (wikiGDrive puts it in diagrams/).")
            return f'<span class="ingest-missing" title="Not in this export: diagram">[diagram: {html.escape(name)}]</span>'
        target = tag.arg("src", 0) or tag.arg("id", 0)
        title = tag.arg("title", 1, "Diagram")
        if PurePosixPath(target).suffix.lower() in IMAGE_SUFFIXES:
            return f"![{_escape_text(title)}]({target})"
        if target:
            return f"[{_escape_text(title)} (open in diagrams.net)](https://app.diagrams.net/#G{target})"
        return ""

    # -- inline -------------------------------------------------------------

    def _inline(self, tag: Shortcode, line: int) -> str:
        name = tag.name
        if name == "system-name":
            return marker("system-name")
        if name == "sys-name":
            return marker("sys-name")
        if name == "syslink":
            return marker("syslink", text=tag.arg("text", 0), query=tag.arg("query", 1))
        if name == "anchor":
            # wikiGDrive writes {{% anchor sys="x" %}}; by hand it is also {{% anchor x %}} or name=/id=.
            named = tag.named.get("name") or tag.named.get("id") or tag.named.get("sys")
            anchor = re.sub(r"[^\w-]+", "-", named or tag.arg("name", 0)).strip("-")
            return f'<a id="{anchor}"></a>' if anchor else ""
        if name == "youtube":
            video = tag.arg("id", 0)
            return _video(f"https://www.youtube-nocookie.com/embed/{video}", "YouTube video") if video else ""
        if name == "gvideo":
            video = tag.arg("id", 0)
            return _video(f"https://drive.google.com/file/d/{video}/preview", "Google Drive video") if video else ""
        if name == "children":
            page = tag.arg("page")
            return marker("children", page=page) if page else marker("children")
        if name == "toc":
            return "\n[TOC]\n"
        if name == "contentbylabel":
            return marker("contentbylabel", label=_label_of(tag))
        if name == "drawio":
            return self._drawio(tag, line)
        raise AssertionError(name)


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


def _dedent_block(inner: str) -> str:
    """Content of a block shortcode without its outer blank lines and common indentation."""
    lines = inner.split("\n")
    first = lines[0]
    rest = textwrap.dedent("\n".join(lines[1:]))
    text = (first.strip() + "\n" + rest) if first.strip() else rest
    return text.strip("\n").rstrip()


def _as_block(block: str, indent: str) -> str:
    """Put a converted block on lines of its own, at ``indent``, with blank lines around it."""
    lines = block.split("\n")
    body = "\n".join((indent + line) if line else "" for line in lines)
    return "\n\n" + body + "\n\n"


_WHOLE_FENCE_RE = re.compile(r"\A(?P<fence>`{3,}|~{3,})(?P<info>[^\n`]*)\n(?P<code>.*?)\n?(?P=fence)[`~]*[ \t]*\Z", re.DOTALL)


def _fence(content: str, language: str) -> str:
    """A fenced block of ``content``; content that already is one fenced block is that block.

    Current exports write code as ``{{% pre %}}`` around a fence: the fence is the code block
    (with the shortcode's language if it names none).

    >>> print(_fence("```\\nx = 1\\n```", "python"))
    ```python
    x = 1
    ```
    >>> print(_fence("a ``` b", ""))
    ````
    a ``` b
    ````
    """
    whole = _WHOLE_FENCE_RE.match(content)
    if whole is not None:
        info = whole.group("info").strip() or language.strip()
        return f"{whole.group('fence')}{info}\n{whole.group('code')}\n{whole.group('fence')}"
    longest = max((len(run) for run in re.findall(r"`+", content)), default=0)
    fence = "`" * max(3, longest + 1)
    return f"{fence}{language.strip()}\n{content}\n{fence}"


def _escape_text(text: str) -> str:
    """Text for a Markdown link or image text: brackets would end it, '<' would open a tag."""
    return text.replace("\\", "\\\\").replace("[", "\\[").replace("]", "\\]").replace("<", "&lt;")


def _video(src: str, title: str) -> str:
    return (f'<div class="ingest-video"><iframe src="{html.escape(src)}" title="{title}" '
            'loading="lazy" allow="fullscreen; picture-in-picture" allowfullscreen></iframe></div>')


def _diagram_for(name: str, source: str, diagrams: tuple[str, ...]) -> str | None:
    """The drawing of the export's ``diagrams/`` folder that a ``drawio`` shortcode names.

    wikiGDrive names each drawing after its Drive title, and the shortcode gives the title
    (``diagramName="Health Surveillance"``): matched with case and punctuation aside, else
    the drawing named like the doc that shows it.

    >>> _diagram_for("Health Surveillance", "a.md", ("diagrams/health-surveillance.svg",))
    'diagrams/health-surveillance.svg'
    >>> _diagram_for("Discovery", "x/rapid-deployment-agenda.md", ("diagrams/rapid-deployment-agenda.svg",))
    'diagrams/rapid-deployment-agenda.svg'
    """
    by_key = {loose_key(PurePosixPath(path).stem): path for path in sorted(diagrams)}
    return by_key.get(loose_key(name)) or by_key.get(loose_key(PurePosixPath(source).stem))


def _label_of(tag: Shortcode) -> str:
    """The label a ``contentbylabel`` lists: ``label=``, else the one in Confluence's ``cql="label = 'x'"``.

    >>> _label_of(Shortcode("contentbylabel", (), {"cql": "label = 'basics'"}))
    'basics'
    """
    label = tag.arg("label", 0)
    if label and "=" not in label:
        return label
    found = re.search(r"label\s*(?:=|in\s*\()\s*['\"]([^'\"]+)['\"]", tag.named.get("cql", ""), re.IGNORECASE)
    return found.group(1) if found else ""


def _markdown_html(content: str) -> str:
    """Markdown as HTML for a place where raw HTML is read as it is (Hugo's ``markdownify``): no blank lines,
    which would end the HTML block around it."""
    rendered = parser().render(content) if content.strip() else ""
    return re.sub(r"\n[ \t]*(?:\n[ \t]*)+", "\n", rendered).strip()