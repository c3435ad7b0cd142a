"""Stage 4c: make every link and image of a page point where it will be in the site.

Pages can move (a section page ``x.md`` becomes ``x/index.md``, ``.txt`` becomes
``.md``), so every relative link is resolved against the exported file and
written again relative to the page's new place. Drive and Docs URLs of docs in
the export become internal links. A link to a doc that is not in the export is
reported and rendered so that ``mkdocs build --strict`` still passes.
"""

from __future__ import annotations

import html
import posixpath
import re
from dataclasses import dataclass, field
from urllib.parse import unquote

from ingest.chardata import GOOGLE_URL_RES, HTML_ATTR_RE, HTML_HREF_RE, HTML_IMG_RE, MD_LINK_RE
from ingest.model import Document, Problem
from ingest.regions import LineFinder, outside_code

_SCHEME_RE = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:")
#: Schemes a link may use (sanitize.URL_SCHEMES); gdoc: links are resolved before.
SAFE_SCHEMES = frozenset({"http", "https", "mailto", "tel"})
_LINK_DEFINITION_RE = re.compile(
    r"^(?P<indent> {0,3})\[(?P<label>[^\]\n]+)\]:[ \t]*(?P<target><[^>\n]*>|[^\s<>]+)(?P<rest>[^\n]*)$", re.MULTILINE)
_REFERENCE_RE = re.compile(r"\[(?P<text>[^\[\]\n]+)\]\[(?P<label>[^\[\]\n]*)\]")
_HTML_A_RE = re.compile(r"<a\b(?P<attrs>[^<>]*)>(?P<text>[^<]*)</a>", re.IGNORECASE)


@dataclass
class LinkIndex:
    """Where every document and asset of the export ends up in the docs_dir."""

    by_source: dict[str, str] = field(default_factory=dict)
    """Exported file path → page path in the docs_dir (redirect stubs → their target's page)."""

    by_id: dict[str, str] = field(default_factory=dict)
    """Drive id → page path in the docs_dir."""

    assets: set[str] = field(default_factory=set)
    """Asset paths (the same in the export and the docs_dir)."""

    refused: set[str] = field(default_factory=set)
    """Assets the read stage would not copy (unsafe SVGs, already reported): shown as text."""


def google_id(url: str) -> str | None:
    """The Drive id named by a Drive/Docs URL or ``gdoc:`` link.

    >>> google_id("https://drive.google.com/open?id=1SK7EKbmFSxhVveIiR")
    '1SK7EKbmFSxhVveIiR'
    >>> google_id("https://docs.google.com/document/d/1ItMLcQN5Tn-2om/edit#heading=h.x")
    '1ItMLcQN5Tn-2om'
    >>> google_id("https://example.com") is None
    True
    """
    if not url.startswith(("http", "gdoc:")):
        return None  # a relative link, most of them: no pattern can match
    for pattern in GOOGLE_URL_RES:
        match = pattern.match(url)
        if match:
            return match.group("id")
    return None


def relative_url(from_page: str, to_path: str) -> str:
    """A relative link from one docs_dir path to another, as MkDocs wants it.

    >>> relative_url("a/b/index.md", "a/c.md")
    '../c.md'
    >>> relative_url("a.md", "a.assets/x.png")
    'a.assets/x.png'
    >>> relative_url("a/b/c.md", "a/b"), relative_url("x/y.md", "x/y/z.md"), relative_url("ab/c.md", "a/d.md")
    ('.', 'y/z.md', '../a/d.md')
    """
    start = posixpath.normpath(posixpath.dirname(from_page) or ".")
    target = posixpath.normpath(to_path)
    if start.startswith(("/", "..")) or target.startswith(("/", "..")):
        return posixpath.relpath(target, start)
    # posixpath.relpath asks the OS for the working directory on every call (a third of this stage's
    # path work); docs_dir paths are relative and normalised, so the common prefix is all it takes.
    start_parts = [] if start == "." else start.split("/")
    target_parts = [] if target == "." else target.split("/")
    common = 0
    for a, b in zip(start_parts, target_parts):
        if a != b:
            break
        common += 1
    return "/".join([".."] * (len(start_parts) - common) + target_parts[common:]) or "."


def _split_fragment(url: str) -> tuple[str, str]:
    for sep in ("#", "?"):
        if sep in url:
            head, tail = url.split(sep, 1)
            return head, sep + tail
    return url, ""


def rewrite_links(doc: Document, index: LinkIndex, original: str | None = None) -> tuple[Document, list[Problem]]:
    """Rewrite the links and images of ``doc`` (whose ``dest`` is set) for the docs_dir.

    ``original`` is the body as exported, used only to report problems by file line.
    """
    rewriter = _Rewriter(doc, index, original if original is not None else doc.body)
    body = outside_code(rewriter.prose, doc.body)
    return doc.with_fix("links", body), rewriter.problems


class _Rewriter:
    def __init__(self, doc: Document, index: LinkIndex, original: str):
        self.doc = doc
        self.index = index
        self.original = original
        self.problems: list[Problem] = []
        self.source_dir = posixpath.dirname(doc.source)
        self.searched_from: dict[str, int] = {}
        self.lines = LineFinder(original)

    def prose(self, text: str) -> str:
        # Markdown links first: the HTML passes write Markdown links that are already final.
        # Each pass runs only where its tag can be (a plain substring test is ~50x cheaper than the scan).
        if "](" in text:
            text = MD_LINK_RE.sub(self._markdown_link, text)
        if "<" in text:
            lower = text.lower()
            if "<img" in lower:
                text = HTML_IMG_RE.sub(self._html_img, text)
                lower = text.lower()
            if "<a" in lower:
                text = _HTML_A_RE.sub(self._html_a, text)
                text = HTML_HREF_RE.sub(self._html_href, text)
        return self._definitions(text) if "]:" in text else text

    # -- Markdown -----------------------------------------------------------

    def _markdown_link(self, match: re.Match[str]) -> str:
        is_image = bool(match.group("bang"))
        text, target = match.group("text"), match.group("target").strip("<>")
        title = match.group("title") or ""
        refused = self._refuse(target, is_image, text)
        if refused is not None:
            return refused
        new = self.resolve(target, is_image, text)
        if new is None:
            return self._missing(text, target, is_image)
        return f"{match.group('bang')}[{text}]({_quote_target(new)}{title})"

    def _html_img(self, match: re.Match[str]) -> str:
        """Raw ``<img>`` becomes a Markdown image, so MkDocs fixes its path for directory URLs."""
        attrs = _attrs(match.group("attrs"))
        src = attrs.pop("src", "")
        alt = attrs.pop("alt", "")
        if not src:
            return match.group(0)
        refused = self._refuse(src, True, alt)
        if refused is not None:
            return refused
        new = self.resolve(src, True, alt)
        if new is None:
            return self._missing(alt, src, True)
        extra = " ".join(f'{key}="{html.escape(value)}"' for key, value in attrs.items() if key in ("width", "height", "title"))
        return f"![{alt}]({_quote_target(new)})" + (f"{{ {extra} }}" if extra else "")

    def _html_a(self, match: re.Match[str]) -> str:
        """A raw ``<a href>`` around plain text becomes a Markdown link, for the same reason."""
        attrs = _attrs(match.group("attrs"))
        href = attrs.get("href")
        if href is None or (_SCHEME_RE.match(href) and not google_id(href)):
            return match.group(0)
        text = match.group("text")
        new = self.resolve(href, False, text)
        if new is None:
            return self._missing(text, href, False)
        return f"[{text}]({_quote_target(new)})"

    def _html_href(self, match: re.Match[str]) -> str:
        url = match.group("url")
        new = self.resolve(url, False, url) if not url.startswith("#") else url
        if new is None or not _SCHEME_RE.match(new) and new.endswith(".md"):
            return match.group(0)
        return f"{match.group('pre')}{match.group('q')}{new}{match.group('q')}"

    def _definitions(self, text: str) -> str:
        """Reference definitions (``[1]: target``) are links too; one that points nowhere goes, with its uses."""
        dropped: set[str] = set()

        def definition(match: re.Match[str]) -> str:
            target = match.group("target").strip("<>")
            label = match.group("label")
            if self._refuse(target, False, label) is None:
                new = self.resolve(target, False, label)
                if new is not None:
                    return f"{match.group('indent')}[{label}]: {_quote_target(new)}{match.group('rest')}"
            dropped.add(" ".join(label.split()).casefold())
            return ""

        text = _LINK_DEFINITION_RE.sub(definition, text)
        if not dropped:
            return text
        return _REFERENCE_RE.sub(lambda m: m.group("text") if " ".join((m.group("label") or m.group("text")).split())
                                 .casefold() in dropped else m.group(0), text)

    def _refuse(self, target: str, is_image: bool, text: str) -> str | None:
        """What to show instead of a link the site must not have: a script URL, a local file, an outside image."""
        scheme = _SCHEME_RE.match(target)
        if google_id(target) is not None or not (scheme or target.startswith("//")):
            return None
        name = scheme.group(0)[:-1].lower() if scheme else ""
        if name and name not in SAFE_SCHEMES:
            self._report(target, "unsafe-url",
                         f"links to '{_short(target)}', which is not an address a page may use (only http, https, "
                         "mailto and tel); it is shown as plain text. Link to a web page or a doc in the export.")
            label = text or ("image" if is_image else "")
            return f"[image: {html.escape(label)}]" if is_image else html.escape(label)
        if is_image:
            self._report(target, "external-image",
                         f"shows an image from another site ('{_short(target)}'); the site only shows images from the "
                         "export (no tracking, works offline), so it is a link to the image. Put the image in the Google "
                         "Doc instead.")
            return f"[{_escape_brackets(text) or 'image'}]({_quote_target(target)})"
        return None

    # -- resolution ---------------------------------------------------------

    def resolve(self, target: str, is_image: bool, text: str) -> str | None:
        """The new link target, the old one when it needs no change, or None when it points nowhere."""
        if not target or target.startswith("#"):
            return target
        drive_id = google_id(target)
        if drive_id is not None:
            dest = self.index.by_id.get(drive_id)
            if dest is not None:
                return relative_url(self.doc.dest, dest)
            self._report(target, "link-outside-export",
                         f"links to Google doc '{drive_id}', which is not in this export; the link opens it in Google Drive. "
                         "Export the folder it is in too, or link to a doc in this export.")
            return target if not target.startswith("gdoc:") else f"https://drive.google.com/open?id={drive_id}"
        if _SCHEME_RE.match(target) or target.startswith("//"):
            return target
        path, fragment = _split_fragment(target)
        if not path:
            return target
        for resolved in self._candidates(unquote(path)):
            if resolved in self.index.assets:
                return encode_path(relative_url(self.doc.dest, resolved)) + fragment
            if resolved in self.index.refused:
                return None
            dest = self.index.by_source.get(resolved) or self.index.by_source.get(posixpath.splitext(resolved)[0] + ".md")
            if dest is not None:
                return encode_path(relative_url(self.doc.dest, dest)) + (fragment if fragment.startswith("#") else "")
        if any(resolved in self.index.refused for resolved in self._candidates(unquote(path))):
            return None
        if all(candidate == ".." or candidate.startswith("../") for candidate in self._candidates(unquote(path))):
            self._report(target, "link-outside-export",
                         f"links to '{_short(target)}', which is outside the export folder; the link is shown as plain "
                         "text and the file is never read. Export the folder that holds it too, or link to a doc in "
                         "this export.")
            return None
        what = "image" if is_image else "doc"
        self._report(target, "missing-image" if is_image else "link-outside-export",
                     f"links to {what} '{target}', which is not in this export; the link is shown as plain text. "
                     f"Fix the link in the Google Doc, or export the folder that holds the {what}.")
        return None

    def _candidates(self, path: str) -> list[str]:
        """Where a relative path may point: from the exported file, then from the page's URL.

        Newer wikiGDrive versions write paths relative to the page's URL (``x/``), as Hugo
        serves it, so ``../x.assets/a.png`` in ``x.md`` means ``x.assets/a.png``.
        """
        if path.startswith("/"):
            return [posixpath.normpath(path.lstrip("/"))]
        stem = posixpath.splitext(self.doc.source)[0]
        return [posixpath.normpath(posixpath.join(self.source_dir, path)), posixpath.normpath(posixpath.join(stem, path))]

    def _missing(self, text: str, target: str, is_image: bool) -> str:
        label = text or posixpath.basename(target)
        title = html.escape(f"Not in this export: {target}", quote=True)
        if is_image:
            return f'<span class="ingest-missing ingest-missing-image" title="{title}">[image: {html.escape(label)}]</span>'
        return f'<span class="ingest-missing" title="{title}">{label}</span>'

    def _report(self, target: str, kind: str, message: str) -> None:
        # The same target can be linked twice: each report takes the next occurrence. The target is looked
        # for as a link target first ('(x', '"x', ']: x'), so '/etc/passwd' is not found inside 'file:///etc/passwd'.
        found = -1
        for needle in (f"({target}", f"(<{target}", f'"{target}', f"'{target}", f"]: {target}", target):
            found = self.original.find(needle, self.searched_from.get(needle, 0))
            if found >= 0:
                self.searched_from[needle] = found + len(needle)
                break
        if found < 0:
            found = self.original.find(target)
        line = self.doc.line_of(self.lines.line(found)) if found >= 0 else None
        self.problems.append(Problem(self.doc.source, line, kind, f"Doc '{self.doc.source}' {message}"))


def encode_path(path: str) -> str:
    """Percent-encode what a URL path cannot hold as it is: '%', '#' and '?' in file names.

    >>> encode_path("c#/100%.assets/a?.png")
    'c%23/100%25.assets/a%3F.png'
    """
    return path.replace("%", "%25").replace("#", "%23").replace("?", "%3F")


def _short(text: str, limit: int = 80) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _escape_brackets(text: str) -> str:
    return text.replace("[", "\\[").replace("]", "\\]")


def _attrs(text: str) -> dict[str, str]:
    return {m.group("name").lower(): next(v for v in (m.group("dq"), m.group("sq"), m.group("bare")) if v is not None)
            for m in HTML_ATTR_RE.finditer(text)}


def _quote_target(target: str) -> str:
    """Wrap a link target in <…> when it holds spaces or parentheses Markdown would misread."""
    return f"<{target}>" if re.search(r"[\s()]", target) else target
