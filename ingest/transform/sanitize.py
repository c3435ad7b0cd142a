"""Stage 5b, sanitise: the raw HTML of a doc's Markdown cleaned by the policy (``policy``), every removal reported.

Each raw HTML tag outside code is cleaned by nh3 on its own (nh3 would escape the Markdown
around it); elements that carry code (``<script>``, ``<style>``, ``<iframe>`` from other hosts,
``<svg>``) go with their content, comments go, and container tags that would close the page's
own blocks are balanced. Each removal is reported with its file and line. (Attribute lists,
``{: onclick=...}``, are Python-Markdown's: the pages are CommonMark, where they are plain text.)
The rendered page is cleaned again, by the same policy (``policy.clean_html``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ingest.chardata import HTML_ATTR_RE
from ingest.model import Document, Problem, shorten
from ingest.transform.policy import (
    BLOCKS_KEPT_AS_DIV,
    CONTAINER_PARTS,
    CONTAINERS,
    REMOVED_WITH_CONTENT,
    TAGS,
    clean_tag,
    iframe_allowed,
)
from ingest.transform.regions import LineFinder, segments

# --- the Markdown pass ---------------------------------------------------------------------------

_TOKEN_RE = re.compile(
    r"<!--(?:(?P<comment>.*?)-->|(?P<unclosed>))"
    r"|<(?P<declaration>[!?])[^<>]*>"
    r"|<(?P<autolink>(?P<scheme>[A-Za-z][\w+.-]*):[^<>\s]*|[^<>\s@/]+@[^<>\s@]+)>"
    r"|<(?P<close>/)?(?P<name>[A-Za-z][A-Za-z0-9-]*)(?P<attrs>[^<>]*)>",
    re.DOTALL,
)
_AUTOLINK_SCHEMES = frozenset({"http", "https", "mailto", "ftp"})
_LINK_DESTINATION_RE = re.compile(r"(?:\]\(|\]:)[ \t]*\Z")


@dataclass
class _Edit:
    """One change to a prose piece: [start, end) becomes ``text`` (None: left as it is)."""

    start: int
    end: int
    text: str | None
    line: int | None = None
    """Where the token is (a ``_MarkdownCleaner._locate`` reference), for the balance step's reports."""
    name: str = ""
    closing: bool = False


def sanitize_markdown(doc: Document, original: str | None = None) -> tuple[Document, list[Problem]]:
    """Clean the raw HTML of a doc's Markdown (outside code) and report every removal.

    ``original`` is the body as exported, to report problems by its lines.
    """
    problems: list[Problem] = []
    body, deep_line = limit_nesting(doc.body)
    if deep_line is not None:
        problems.append(Problem(doc.source, doc.line_of(deep_line), "deep-nesting",
                                f"Doc '{doc.source}': lists or quotes are nested deeper than a page can show (lines "
                                f"indented more than {4 * MAX_NESTING} spaces, or more than {MAX_NESTING} quote "
                                "levels); the deeper lines were moved up to that depth. Flatten the list in the "
                                "Google Doc."))
        doc = doc.with_fix("nesting", body)
    if "<" not in doc.body:
        return doc, problems
    cleaner = _MarkdownCleaner(doc, original if original is not None else doc.body)
    body = doc.body
    for _ in range(MAX_PASSES):  # a removal can join the text around it into a new tag: clean until nothing changes
        cleaned = cleaner.run(body)
        if cleaned == body:
            break
        body = cleaned
    else:
        body = _TAG_START_RE.sub("&lt;", body)  # still changing: no '<' of what is left may open a tag
    return doc.with_fix("html", body), problems + cleaner.problems


#: Passes of the Markdown cleaner before what is left is escaped.
MAX_PASSES = 4
_TAG_START_RE = re.compile(r"<(?=[A-Za-z/!?])")


#: How deep lists and block quotes may nest; Python-Markdown's recursion gives out at about 250.
MAX_NESTING = 20
_DEEP_INDENT_RE = re.compile(r"^(?P<indent>[ \t]{%d,})(?=\S)" % (4 * MAX_NESTING + 1), re.MULTILINE)
_DEEP_QUOTE_RE = re.compile(r"^(?P<quotes>(?:[ ]{0,3}>){%d,})" % (MAX_NESTING + 1), re.MULTILINE)


def limit_nesting(body: str) -> tuple[str, int | None]:
    """Move lines indented (or quoted) deeper than MAX_NESTING levels up to that level, outside code.

    Returns the body and the body line of the first line moved, or None.

    >>> limit_nesting("- a\\n" + " " * 200 + "- deep")[0].split("\\n")[1] == " " * 80 + "- deep"
    True
    >>> limit_nesting("> " * 30 + "quote")[0] == ">" * 20 + " quote"
    True
    """
    if not _DEEP_INDENT_RE.search(body) and not _DEEP_QUOTE_RE.search(body):
        return body, None
    first: list[int] = []

    def shallower(prose: str, offset: int) -> str:
        def indent(match: re.Match[str]) -> str:
            first.append(offset + match.start())
            return " " * (4 * MAX_NESTING)

        def quotes(match: re.Match[str]) -> str:
            first.append(offset + match.start())
            return ">" * MAX_NESTING
        return _DEEP_QUOTE_RE.sub(quotes, _DEEP_INDENT_RE.sub(indent, prose))

    out, offset = [], 0
    for is_code, piece in segments(body, inline=False):
        out.append(piece if is_code else shallower(piece, offset))
        offset += len(piece)
    fixed = "".join(out)
    return fixed, (body.count("\n", 0, min(first)) + 1 if first else None)


class _MarkdownCleaner:
    def __init__(self, doc: Document, original: str):
        self.doc = doc
        self.original = original
        self.lines = LineFinder(original)
        self.searched_from: dict[str, int] = {}
        self.problems: list[Problem] = []
        self._tokens: list[tuple[str, int, int, str]] = []
        """Every token met, in order (see ``_locate``), and the file lines of the first ones asked for."""
        self._lines: list[int | None] = []

    def run(self, body: str) -> str:
        """Edit every prose piece, then balance the containers across the whole doc, then apply the edits."""
        pieces = self._pieces(body)
        edits = {index: self._clean_piece(piece) for index, (is_code, piece) in enumerate(pieces) if not is_code}
        self._balance([edit for index in sorted(edits) for edit in edits[index]])
        return "".join(_apply(piece, edits.get(index, [])) for index, (_, piece) in enumerate(pieces))

    @staticmethod
    def _pieces(body: str) -> list[tuple[bool, str]]:
        """Prose and code; a raw ``<pre>`` block is HTML, so it counts as prose here."""
        return [(is_code and not piece.lstrip().lower().startswith("<pre"), piece) for is_code, piece in segments(body)]

    def _clean_piece(self, piece: str) -> list[_Edit]:
        edits: list[_Edit] = []
        position = 0
        while (match := _TOKEN_RE.search(piece, position)) is not None:
            position = match.end()
            token = match.group(0)
            line = self._locate(piece, match.start(), max(len(token), 40), token)
            if match.group("unclosed") is not None:
                self._report(line, "html-comment", "an HTML comment is opened ('<!--') but never closed, which would "
                                                    "hide the rest of the page; the '<!--' was removed.")
                edits.append(_Edit(match.start(), match.end(), ""))
            elif match.group("comment") is not None:
                hidden = " ".join(match.group("comment").split())
                self._report(line, "html-comment", f"an HTML comment hides text from the page ('{shorten(hidden)}'); "
                                                    "it was removed. Delete it in the Google Doc, or make it visible.")
                edits.append(_Edit(match.start(), match.end(), ""))
            elif match.group("declaration"):
                self._report(line, "unsafe-html", f"'{shorten(token)}' is not HTML a page may contain; it was removed.")
                edits.append(_Edit(match.start(), match.end(), ""))
            elif match.group("autolink") is not None:
                scheme = (match.group("scheme") or "mailto").lower()
                if scheme not in _AUTOLINK_SCHEMES:
                    self._report(line, "unsafe-url", f"the link {shorten(token)} is not an address a page may use; "
                                                      "it was removed. Link to a web page or a doc.")
                    edits.append(_Edit(match.start(), match.end(), ""))
            elif _LINK_DESTINATION_RE.search(piece, max(0, match.start() - 8), match.start()):
                continue  # [text](<a b.md>) and [1]: <a b.md> are link targets, not tags
            elif match.group("close"):
                name = match.group("name").lower()
                if name in BLOCKS_KEPT_AS_DIV:
                    edits.append(_Edit(match.start(), match.end(), "</div>", line, "div", True))
                else:
                    edits.append(_Edit(match.start(), match.end(), f"</{name}>" if name in TAGS else "", line, name,
                                       True))
            else:
                edit = self._opening(piece, match, line)
                edits.append(edit)
                position = max(position, edit.end)
        return edits

    def _opening(self, piece: str, match: re.Match[str], line: int | None) -> _Edit:
        token, name = match.group(0), match.group("name").lower()
        attrs = _attributes(match.group("attrs"))
        if name in REMOVED_WITH_CONTENT and not (name == "iframe" and iframe_allowed(attrs.get("src", ""))):
            closer = re.compile(rf"</{name}\s*>", re.IGNORECASE).search(piece, match.end())
            what = f"<{name}> from '{shorten(attrs['src'])}'" if name == "iframe" and attrs.get("src") else f"<{name}>"
            if closer is None:  # nothing to take with it (<embed> has no content): the text after it stays text
                self._report(line, "unsafe-html", f"{what} is not allowed on the site; the tag was removed.")
                return _Edit(match.start(), match.end(), "", line)
            self._report(line, "unsafe-html", f"{what} is not allowed on the site; it was removed with its content.")
            return _Edit(match.start(), closer.end(), "", line)
        if name in BLOCKS_KEPT_AS_DIV:
            self._report(line, "unsafe-html", f"raw HTML <{name}> is not allowed on the site; it is a plain <div> "
                                               "there, and its text is kept.")
            return _Edit(match.start(), match.end(), "<div>", line, "div")
        if name not in TAGS:
            self._report(line, "unsafe-html", f"raw HTML <{name}> is not allowed on the site; the tag was removed "
                                               "and its text kept.")
            return _Edit(match.start(), match.end(), "", line, name)
        if not attrs:
            return _Edit(match.start(), match.end(), None, line, name)  # nothing to clean: most tags of an export
        cleaned = clean_tag(token)
        removed = [key for key in attrs if key not in _attributes(cleaned[len(name) + 1:])]
        unsafe_urls = [key for key in removed if key in ("href", "src")]
        if unsafe_urls:
            self._report(line, "unsafe-url", f"<{name} {unsafe_urls[0]}='{shorten(attrs[unsafe_urls[0]])}'> is not an "
                                              "address a page may use; it was removed. Link to a web page or a doc.")
        if set(removed) - set(unsafe_urls):
            listed = ", ".join(key for key in removed if key not in unsafe_urls)
            self._report(line, "unsafe-html", f"<{name}> had attributes the site does not allow ({listed}); "
                                               "they were removed.")
        return _Edit(match.start(), match.end(), cleaned if removed else None, line, name)

    def _balance(self, edits: list[_Edit]) -> None:
        """Closing tags nothing opened, and containers never closed, go: they would break the page's own blocks."""
        open_tags: dict[str, list[_Edit]] = {}
        for edit in edits:
            if (edit.name not in CONTAINERS and edit.name not in CONTAINER_PARTS) or edit.text == "":
                continue
            if not edit.closing:
                open_tags.setdefault(edit.name, []).append(edit)
            elif open_tags.get(edit.name):
                open_tags[edit.name].pop()
            else:
                self._report(edit.line, "unbalanced-html",
                             f"</{edit.name}> closes a block that was never opened (it would break out of the page's "
                             "own blocks); it was removed.")
                edit.text = ""
        for name, unclosed in open_tags.items():
            if name in CONTAINER_PARTS:
                continue
            for edit in unclosed:
                self._report(edit.line, "unbalanced-html",
                             f"<{name}> is never closed (the rest of the page would be raw HTML); it was removed.")
                edit.text = ""

    def _locate(self, piece: str, start: int, length: int, token: str) -> int:
        """A reference to where a token is; its file line is worked out only if a problem is reported.

        Tokens are found in the exported body in the order they were met (see ``_find``), so a
        reference remembers the token, and ``_line`` finds every token up to it, in order.
        """
        self._tokens.append((piece, start, length, token))
        return len(self._tokens) - 1

    def _line(self, reference: int | None) -> int | None:
        if reference is None:
            return None
        while len(self._lines) <= reference:
            piece, start, length, token = self._tokens[len(self._lines)]
            self._lines.append(self._find(piece[start:start + length], token))
        return self._lines[reference]

    def _find(self, *needles: str) -> int | None:
        """File line of the next occurrence in the exported body of the first needle found there.

        Every token is located in order, with its context first: the same tag can be on many lines. A token
        that an earlier pass put together is found by the start of its text.
        """
        for needle in (*needles, *(needles[-1][:size] for size in (16, 8) if len(needles[-1]) > size)):
            found = self.original.find(needle, self.searched_from.get(needle, 0))
            if found >= 0:
                self.searched_from[needle] = found + len(needle)
                return self.doc.line_of(self.lines.line(found))
        return None

    def _report(self, reference: int | None, kind: str, message: str) -> None:
        self.problems.append(Problem(self.doc.source, self._line(reference), kind,
                                     f"Doc '{self.doc.source}': {message}"))


def _apply(piece: str, edits: list[_Edit]) -> str:
    out, position = [], 0
    for edit in sorted((e for e in edits if e.text is not None), key=lambda e: e.start):
        out += [piece[position:edit.start], edit.text]
        position = edit.end
    return "".join(out) + piece[position:]


def _attributes(text: str) -> dict[str, str]:
    if not text.strip(" \t\n/"):
        return {}  # <td>, <br/>: most tags of an export
    names = {m.group("name").lower(): next(v for v in (m.group("dq"), m.group("sq"), m.group("bare")) if v is not None)
             for m in HTML_ATTR_RE.finditer(text)}
    for bare in re.findall(r"(?:^|\s)([A-Za-z_:][\w:.-]*)(?=\s|/?$)", HTML_ATTR_RE.sub(" ", text)):
        names.setdefault(bare.lower(), "")
    return names


