"""markdown-it-py's tokens, raw HTML included, built into the ElementTree Python-Markdown would build.

Elements open on one stack, Markdown's and raw HTML's alike: a list between ``<td>`` and
``</td>`` lands in the cell, an end tag closes only an element raw HTML opened, and raw HTML
left open closes with the Markdown block around it. Code is highlighted and stashed as
Python-Markdown's code extensions stash it.
"""

from __future__ import annotations

import html
import re
import xml.etree.ElementTree as etree
from html.parser import HTMLParser
from typing import Callable, Sequence

import markdown
from markdown_it.token import Token

from ingest.markup import plain_text

#: HTML elements that have no content and no end tag.
VOID_ELEMENTS = frozenset({"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param",
                           "source", "track", "wbr"})

#: Block tokens (markdown-it type without _open) and the element each opens.
_BLOCK_TAGS = {
    "paragraph": "p", "blockquote": "blockquote", "bullet_list": "ul", "ordered_list": "ol", "list_item": "li",
    "table": "table", "thead": "thead", "tbody": "tbody", "tr": "tr", "th": "th", "td": "td",
    "dl": "dl", "dt": "dt", "dd": "dd",
}
#: Inline tokens and the element each opens.
_INLINE_TAGS = {"em": "em", "strong": "strong", "s": "del", "link": "a"}

#: ``{ #id .class }`` at the end of a heading (attribute list syntax; other keys are ignored).
_HEADING_ATTRIBUTES_RE = re.compile(r"[ \t]*\{:?(?P<body>(?:[ \t]*[#.][^\s{}]+)+)[ \t]*\}\Z")

#: Text that looks like an entity to Python-Markdown's serializer, which would then not escape its '&'.
_ENTITY_LIKE_RE = re.compile(r"&(?=#?[0-9A-Za-z]+;)")


Highlighter = Callable[[str, str], str]



def plain_code(code: str, language: str) -> str:
    """A code block without a highlighter.

    >>> plain_code("a < b\\n", "py")
    '<pre><code class="language-py">a &lt; b\\n</code></pre>'
    """
    lang = f' class="language-{html.escape(language)}"' if language else ""
    return f"<pre><code{lang}>{html.escape(code, quote=False)}</code></pre>"


#: What a raw ``<a>`` without ``href`` (an anchor) or an ``<img>`` without ``src`` is called while the tree
#: processors run: MkDocs' link processor takes every ``a`` and ``img`` for a link and needs its URL.
STAND_INS = {"a": "ingest-anchor", "img": "ingest-image"}
_URL_ATTRIBUTE = {"a": "href", "img": "src"}


class TreeBuilder:
    """markdown-it tokens, raw HTML included, into one ElementTree.

    Elements open on a stack. Raw HTML tags open and close elements on the same stack, so a
    list between ``<td>`` and ``</td>`` lands in the cell; an end tag closes only an element
    raw HTML opened (never the page's own list or quote), and whatever raw HTML left open is
    closed with the Markdown block around it.
    """

    def __init__(self, md: markdown.Markdown, highlight: Highlighter = plain_code, line_breaks: bool = True):
        self.md = md
        self.highlight = highlight
        self.line_breaks = line_breaks
        self.root = etree.Element(md.doc_tag)
        self.stack: list[tuple[etree.Element, bool]] = [(self.root, False)]
        """Open elements, innermost last, each with whether raw HTML opened it."""
        self.html = _HtmlFeeder(self)

    @property
    def current(self) -> etree.Element:
        return self.stack[-1][0]

    def build(self, tokens: Sequence[Token]) -> etree.Element:
        previous = None
        for token in tokens:
            kind = token.type
            if kind == "inline":
                children = token.children or []
                if previous is not None and previous.type == "heading_open":
                    children = self._heading_attributes(children)
                self._inline(children)
            elif kind.endswith("_open"):
                self._open_block(token)
            elif kind.endswith("_close"):
                if not (kind == "paragraph_close" and token.hidden):
                    self.close_markdown()
            elif kind in ("fence", "code_block"):
                words = token.info.split()
                language = words[0] if words and words[0] != "ingest-literal" else ""
                block = self.highlight(token.content, language)
                if "ingest-literal" in words:  # code that shows shortcodes as written (see ingest.transform.shortcodes)
                    block = f'<div class="ingest-literal">{block}</div>'
                self._stash_block(block)
            elif kind == "html_block":
                self.html.feed_all(token.content)
            elif kind == "hr":
                self.open("hr", {}, markdown=True)  # void: nothing to close
            previous = token
        self.html.feed_all("")
        return self.root

    def _heading_attributes(self, children: Sequence[Token]) -> Sequence[Token]:
        """A heading ending in ``{ #id .class }`` gets that id and class (Goldmark reads them too, and
        Material's tags plugin marks its listings so); the braces are not shown."""
        last = children[-1] if children else None
        if last is None or last.type != "text" or not last.content.endswith("}"):
            return children
        match = _HEADING_ATTRIBUTES_RE.search(last.content)
        if match is None:
            return children
        heading = self.current
        classes = []
        for part in match.group("body").split():
            if part.startswith("#") and len(part) > 1:
                heading.set("id", part[1:])
            elif part.startswith(".") and len(part) > 1:
                classes.append(part[1:])
        if classes:
            heading.set("class", " ".join(classes))
        text = last.content[:match.start()].rstrip()
        trimmed = Token("text", "", 0, content=text)
        return [*children[:-1], trimmed] if text else list(children[:-1])

    # -- the stack ----------------------------------------------------------------------------

    def open(self, tag: str, attrs: dict[str, str], markdown: bool) -> etree.Element:
        for name, value in attrs.items():
            if "&" in value:
                attrs[name] = _ENTITY_LIKE_RE.sub("&amp;", value)  # the serializer would leave '&#115;' as it is
        element = etree.SubElement(self.current, tag, attrs)
        if tag not in VOID_ELEMENTS and tag != STAND_INS["img"]:
            self.stack.append((element, not markdown))
        return element

    def close_markdown(self) -> None:
        """Close the innermost element Markdown opened, and any raw HTML left open inside it."""
        while len(self.stack) > 1:
            _, from_html = self.stack.pop()
            if not from_html:
                return

    def close_html(self, tag: str) -> None:
        """An end tag closes the innermost element of its name that raw HTML opened, if it is open."""
        for depth in range(len(self.stack) - 1, 0, -1):
            element, from_html = self.stack[depth]
            if not from_html:
                return  # never past an element of the Markdown around it
            if element.tag == tag:
                del self.stack[depth:]
                return

    def text(self, text: str) -> None:
        if not text:
            return
        if "&" in text:
            text = _ENTITY_LIKE_RE.sub("&amp;", text)
        parent = self.current
        if len(parent):
            last = parent[-1]
            last.tail = (last.tail or "") + text
        else:
            parent.text = (parent.text or "") + text

    # -- blocks -------------------------------------------------------------------------------

    def _open_block(self, token: Token) -> None:
        kind = token.type[:-5]
        if kind == "paragraph" and token.hidden:
            return  # a tight list's item: its text goes straight into the <li>
        if kind == "heading":
            self.open(token.tag, {}, markdown=True)
        elif kind == "admonition":
            self._open_admonition(token)
        elif kind == "admonition_title":
            parent = self.current
            self.open("summary" if parent.tag == "details" else "p",
                      {} if parent.tag == "details" else {"class": "admonition-title"}, markdown=True)
        else:
            attrs = {key: str(value) for key, value in token.attrs.items()}
            if kind == "ordered_list" and "start" in attrs and attrs["start"] == "1":
                del attrs["start"]
            self.open(_BLOCK_TAGS.get(kind, "div"), attrs, markdown=True)

    def _open_admonition(self, token: Token) -> None:
        """``!!! note`` as Python-Markdown's admonition writes it, ``??? note`` as ``pymdownx.details``."""
        classes = [c for c in str(token.attrs.get("class", "")).split() if c not in
                   ("admonition", "is-collapsible", "collapsible-open", "collapsible-closed")]
        if token.markup.startswith("?"):
            attrs = {"class": " ".join(classes)} if classes else {}
            if token.markup.endswith("+"):
                attrs["open"] = "open"
            self.open("details", attrs, markdown=True)
        else:
            self.open("div", {"class": " ".join(["admonition", *classes])}, markdown=True)

    def _stash_block(self, block_html: str) -> None:
        """Block HTML made elsewhere (highlighted code) goes in Python-Markdown's stash, as superfences puts it."""
        placeholder = self.md.htmlStash.store(block_html)
        paragraph = etree.SubElement(self.current, "p")
        paragraph.text = placeholder

    # -- inline -------------------------------------------------------------------------------

    def _inline(self, tokens: Sequence[Token]) -> None:
        depth = len(self.stack)
        after_br = False
        for token in tokens:
            kind = token.type
            if kind == "text":
                self.text(token.content)
            elif kind == "softbreak":
                if self.line_breaks and not after_br:
                    self.open("br", {}, markdown=True)  # Python-Markdown's prettify puts the newline after it
                elif not after_br:
                    self.text("\n")
            elif kind == "hardbreak":
                self.open("br", {}, markdown=True)
            elif kind == "code_inline":
                code = self.open("code", {}, markdown=True)
                code.text = token.content.replace("&", "&amp;") if "&" in token.content else token.content
                self.close_markdown()
            elif kind == "image":
                attrs = {"src": str(token.attrs.get("src", "")), "alt": plain_text(token.children or [])}
                if token.attrs.get("title"):
                    attrs["title"] = str(token.attrs["title"])
                self.open("img", attrs, markdown=True)
            elif kind == "html_inline":
                self.html.feed_all(token.content)
            elif kind.endswith("_open"):
                tag = _INLINE_TAGS.get(kind[:-5], "span")
                self.open(tag, {key: str(value) for key, value in token.attrs.items()}, markdown=True)
            elif kind.endswith("_close"):
                self.close_markdown()
            after_br = kind == "hardbreak" or (kind == "html_inline" and _is_br(token.content))
        while len(self.stack) > depth:
            self.stack.pop()  # raw HTML an inline run left open ends with it


def _is_br(tag: str) -> bool:
    return tag[:3].lower() == "<br"


class _HtmlFeeder(HTMLParser):
    """Raw HTML into the builder's tree: tags open and close elements, text is text, comments go."""

    def __init__(self, builder: TreeBuilder):
        super().__init__(convert_charrefs=True)
        self.builder = builder

    def feed_all(self, data: str) -> None:
        """Feed ``data`` and let nothing wait for more: a raw HTML token of markdown-it is complete."""
        if data:
            self.feed(data)
        self.goahead(True)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.builder.open(*_element(tag, attrs), markdown=False)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        element = self.builder.open(*_element(tag, attrs), markdown=False)
        if tag not in VOID_ELEMENTS:
            self.builder.close_html(element.tag)

    def handle_endtag(self, tag: str) -> None:
        if tag not in VOID_ELEMENTS:
            self.builder.close_html(tag)
            if tag in STAND_INS:
                self.builder.close_html(STAND_INS[tag])

    def handle_data(self, data: str) -> None:
        self.builder.text(data)

    def handle_comment(self, data: str) -> None:
        """Comments are not shown; the sync has reported and removed an editor's."""

    def handle_decl(self, decl: str) -> None:
        """A ``<!DOCTYPE>`` in a page body means nothing."""

    def unknown_decl(self, data: str) -> None:
        """Nor does a CDATA section."""


def _element(tag: str, attrs: list[tuple[str, str | None]]) -> tuple[str, dict[str, str]]:
    """The tag and attributes of a raw HTML start tag, as the tree holds them (see ``STAND_INS``).

    An old-style ``<a name="x">`` anchor also gets ``id="x"``, so MkDocs and Material know it.
    """
    values = {name: value if value is not None else name for name, value in attrs}
    if tag in STAND_INS and not values.get(_URL_ATTRIBUTE[tag]):
        values.pop(_URL_ATTRIBUTE[tag], None)
        if tag == "a" and values.get("name") and "id" not in values:
            values["id"] = values["name"]
        return STAND_INS[tag], values
    return tag, values
