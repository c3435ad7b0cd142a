"""Stage 5d, links: make every link and image of a page point where it will be in the site.

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

from ingest.chardata import GOOGLE_URL_RES, HTML_ATTR_RE, HTML_IMG_RE, MD_LINK_RE
from ingest.files import encode_path, relative_url
from ingest.model import Document, Problem, shorten
from ingest.transform.policy import URL_SCHEMES
from ingest.transform.regions import LineFinder, outside_code

_SCHEME_RE = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:")
_LINK_DEFINITION_RE = re.compile(
    r"^(?P<indent> {0,3})\[(?P<label>[^\]\n]+)\]:[ \t]*(?P<target><[^>\n]*>|[^\s<>]+)(?P<rest>[^\n]*)$", re.MULTILINE)
_REFERENCE_RE = re.compile(r"\[(?P<text>[^\[\]\n]+)\]\[(?P<label>[^\[\]\n]*)\]")
HTML_A_RE = re.compile(r"<a\b(?P<attrs>[^<>]*)>(?P<text>[^<]*)</a>", re.IGNORECASE)
#: A raw ``<a>`` start tag, with its text and end tag when the text is plain.
_HTML_A_TAG_RE = re.compile(r"<a\b(?P<attrs>[^<>]*)>(?:(?P<text>[^<]*)</a>)?", re.IGNORECASE)


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

    published: tuple[str, ...] = ()
    """Base URLs where this wiki is published (each ending in '/'): links under them are links to its pages."""


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
                text = _HTML_A_TAG_RE.sub(self._html_a, text)
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
        """A raw ``<img>`` keeps its tag (CommonMark leaves Markdown in raw HTML as text); its ``src`` is re-pointed.

        The page's HTML is built into MkDocs' tree with the raw HTML in it, so MkDocs makes the path
        a URL and checks it, as it does for a Markdown image.
        """
        attrs = attributes(match.group("attrs"))
        src = attrs.get("src", "")
        alt = attrs.get("alt", "")
        if not src:
            return match.group(0)
        refused = self._refuse(src, True, alt, raw_html=True)
        if refused is not None:
            return refused
        new = self.resolve(src, True, alt)
        if new is None:
            return self._missing(alt, src, True)
        return _with_attribute(match.group(0), "src", src, new)

    def _html_a(self, match: re.Match[str]) -> str:
        """A raw ``<a href>`` keeps its tag with the href re-pointed; one that points nowhere, its text alone."""
        attrs = attributes(match.group("attrs"))
        href = attrs.get("href")
        if href is None or href.startswith("#"):
            return match.group(0)
        text = match.group("text")
        new = self.resolve(href, False, text if text is not None else href)
        if new is None:
            return self._missing(text, href, False) if text is not None else match.group(0)
        return _with_attribute(match.group(0), "href", href, new)

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

    def _refuse(self, target: str, is_image: bool, text: str, raw_html: bool = False) -> str | None:
        """What to show instead of a link the site must not have: a script URL, a local file, an outside image.

        ``raw_html``: the link is a raw HTML tag, where Markdown is not read, so the replacement is HTML.
        """
        scheme = _SCHEME_RE.match(target)
        if google_id(target) is not None or not (scheme or target.startswith("//")):
            return None
        name = scheme.group(0)[:-1].lower() if scheme else ""
        if name and name not in URL_SCHEMES:
            self._report(target, "unsafe-url",
                         f"links to '{shorten(target)}', which is not an address a page may use (only http, https, "
                         "mailto and tel); it is shown as plain text. Link to a web page or a doc in the export.")
            label = text or ("image" if is_image else "")
            return f"[image: {html.escape(label)}]" if is_image else html.escape(label)
        if is_image:
            self._report(target, "external-image",
                         f"shows an image from another site ('{shorten(target)}'); the site only shows images from the "
                         "export (no tracking, works offline), so it is a link to the image. Put the image in the Google "
                         "Doc instead.")
            if raw_html:
                return f'<a href="{html.escape(target, quote=True)}">{html.escape(text or "image")}</a>'
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
        if self.index.published and self._published(target):
            return self._resolve_published(target)
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
                         f"links to '{shorten(target)}', which is outside the export folder; the link is shown as plain "
                         "text and the file is never read. Export the folder that holds it too, or link to a doc in "
                         "this export.")
            return None
        what = "image" if is_image else "doc"
        self._report(target, "missing-image" if is_image else "link-outside-export",
                     f"links to {what} '{target}', which is not in this export; the link is shown as plain text. "
                     f"Fix the link in the Google Doc, or export the folder that holds the {what}.")
        return None

    def _published(self, url: str) -> str | None:
        """The path below a published base URL that ``url`` starts with (http and https alike), or None."""
        lower = url.lower()
        for base in self.index.published:
            for variant in (base, base.replace("https://", "http://", 1), base.replace("http://", "https://", 1)):
                if lower.startswith(variant.lower()):
                    return url[len(variant):] or "/"
                if lower == variant[:-1].lower():
                    return "/"
        return None

    def _resolve_published(self, url: str) -> str:
        """A link to a page of the published wiki: to that page of this export, or kept as it is (reported)."""
        path, fragment = _split_fragment(self._published(url) or "")
        path = unquote(path).strip("/")
        stem = path[:-5] if path.endswith(".html") else path[:-3] if path.endswith(".md") else path
        candidates = [f"{stem}.md", f"{stem}/_index.md", f"{stem}/index.md", f"{stem}.txt"] if stem else \
            ["_index.md", "index.md"]
        for candidate in candidates:
            dest = self.index.by_source.get(candidate)
            if dest is not None:
                return encode_path(relative_url(self.doc.dest, dest)) + (fragment if fragment.startswith("#") else "")
        self._report(url, "published-link-missing",
                     f"links to '{shorten(url)}' on the published wiki, but no doc of this export is that page; "
                     "the link still goes to the published site. Point it at a doc in the export, or export the "
                     "doc it shows.")
        return url

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




def _escape_brackets(text: str) -> str:
    return text.replace("[", "\\[").replace("]", "\\]")


def attributes(text: str) -> dict[str, str]:
    return {m.group("name").lower(): next(v for v in (m.group("dq"), m.group("sq"), m.group("bare")) if v is not None)
            for m in HTML_ATTR_RE.finditer(text)}


def _with_attribute(tag: str, name: str, old: str, new: str) -> str:
    """``tag`` with the value of attribute ``name`` changed from ``old`` to ``new`` (quoted as it was).

    >>> _with_attribute("<img alt='a' src='x.png' width=3>", "src", "x.png", "../x.png")
    "<img alt='a' src='../x.png' width=3>"
    >>> _with_attribute('<a href=x.md>', "href", "x.md", "../x.md")
    '<a href="../x.md">'
    """
    if old == new:
        return tag
    pattern = re.compile(rf"""(\b{name}\s*=\s*)(?:"[^"]*"|'[^']*'|[^\s>]+)""", re.IGNORECASE)
    match = pattern.search(tag)
    if match is None:
        return tag
    value = match.group(0)[len(match.group(1)):]
    quote = value[0] if value[:1] in "\"'" else '"'
    return tag[:match.start()] + match.group(1) + quote + html.escape(new, quote=True) + quote + tag[match.end():]


def _quote_target(target: str) -> str:
    """Wrap a link target in <…> when it holds spaces or parentheses Markdown would misread."""
    return f"<{target}>" if re.search(r"[\s()]", target) else target
