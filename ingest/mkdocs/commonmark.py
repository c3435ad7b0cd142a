"""Render the synced pages as CommonMark, the dialect wikiGDrive writes (for Hugo's Goldmark).

Python-Markdown reads lists, headings and raw HTML by other rules than CommonMark: a list
right after a paragraph line, a sub-bullet indented by 3, ``#define X`` or a table cell
with a note in it each mean something else there. So this Python-Markdown extension
replaces its instance's ``convert``: markdown-it-py (the CommonMark reference for Python)
parses the page, and the tokens, raw HTML included, are built into the ElementTree that
Python-Markdown would have built. The instance's tree processors then run as they always
do (``toc`` gives ids, permalinks and ``toc_tokens``; MkDocs' own fix links, collect the
anchors and find the title), then its serializer and postprocessors. MkDocs itself is
untouched: it still calls ``md.convert`` and reads ``md.toc_tokens``.

What Python-Markdown extensions did for the page is done here, in the same HTML:
admonitions (``!!! note "Title"``) and collapsible ones (``??? note``, as
``pymdownx.details`` writes them), fenced and indented code (highlighted by
``pymdownx.highlight`` with its settings, when it is configured), pipe tables,
``~~strike~~``, definition lists, and a line break for each line break of the doc (the
``line_breaks`` option, as ``nl2br``). Raw HTML is parsed into the same tree, so MkDocs
checks and rewrites the links in a table cell too, and the ids of ``<a id>`` anchors are
known to it. Links to a heading of the same page that name it another way than its id
(``#Observation/Result-(OBX)``, or a link whose text is the heading) are pointed at it.

Enable it in ``mkdocs.yml`` (the wikigdrive plugin adds it itself)::

    markdown_extensions:
      - ingest.mkdocs.commonmark
"""

from __future__ import annotations

import functools
import html
import re
import types
import xml.etree.ElementTree as etree
from html.parser import HTMLParser
from typing import Any, Callable, Sequence

import markdown
from markdown.treeprocessors import Treeprocessor
from markdown_it.token import Token

from ingest.markup import loose_key, parser, plain_text

#: Tree processors that would read the built tree's text as Python-Markdown syntax again.
PYTHON_MARKDOWN_ONLY = frozenset({"inline", "attr_list", "abbr", "footnote", "footnote-duplicate",
                                  "indent-highlight", "hilite"})

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


class CommonMarkExtension(markdown.Extension):
    """Convert with markdown-it-py into Python-Markdown's tree; see the module docstring."""

    def __init__(self, **kwargs: Any) -> None:
        self.config = {
            "line_breaks": [True, "A line break in the doc is a line break on the page (as nl2br). Default: True"],
        }
        super().__init__(**kwargs)

    def extendMarkdown(self, md: markdown.Markdown) -> None:
        md.registerExtension(self)
        # After `toc` (5), which gives the headings their ids, and before MkDocs' relative links (0) and
        # anchor check, which then see every same-page link pointing at an id that exists.
        md.treeprocessors.register(_SamePageFragments(md), "ingest_fragments", 4)
        md.treeprocessors.register(_RestoreTags(md), "ingest_restore_tags", -100)
        md.convert = types.MethodType(functools.partial(_convert, line_breaks=self.getConfig("line_breaks")), md)


def makeExtension(**kwargs: Any) -> CommonMarkExtension:  # noqa: N802 - Python-Markdown's entry point
    return CommonMarkExtension(**kwargs)


def _convert(md: markdown.Markdown, source: str, line_breaks: bool = True) -> str:
    """``Markdown.convert`` with markdown-it-py in place of the preprocessors and the block and inline parsers."""
    if not source.strip():
        return ""
    builder = TreeBuilder(md, _highlighter(md), line_breaks)
    root = builder.build(parser(line_breaks).parse(source))
    skipped = {id(md.treeprocessors[name]) for name in PYTHON_MARKDOWN_ONLY if name in md.treeprocessors}
    for treeprocessor in md.treeprocessors:
        if id(treeprocessor) in skipped:
            continue
        new_root = treeprocessor.run(root)
        if new_root is not None:
            root = new_root
    output = md.serializer(root)
    start = output.find(f"<{md.doc_tag}>")
    end = output.rfind(f"</{md.doc_tag}>")
    output = output[start + len(md.doc_tag) + 2:end].strip() if start >= 0 and end >= 0 else ""
    for postprocessor in md.postprocessors:
        output = postprocessor.run(output)
    return output.strip()


Highlighter = Callable[[str, str], str]


def _highlighter(md: markdown.Markdown) -> Highlighter:
    """Code block HTML as ``pymdownx.highlight`` writes it with its settings, else a plain ``pre``."""
    for extension in md.registeredExtensions:
        if not hasattr(extension, "get_pymdownx_highlighter"):
            continue
        settings = dict(extension.getConfigs())  # as configured (the extension itself waits for superfences)
        css_class = settings.pop("css_class", "highlight")
        accepted = ("guess_lang", "pygments_style", "use_pygments", "noclasses", "linenums", "linenums_style",
                    "linenums_special", "linenums_class", "extend_pygments_lang", "language_prefix",
                    "code_attr_on_pre", "auto_title", "auto_title_map", "line_spans", "line_anchors",
                    "anchor_linenums", "pygments_lang_class", "stripnl", "default_lang")
        highlight = extension.get_pymdownx_highlighter()(md, **{k: v for k, v in settings.items() if k in accepted})
        return lambda code, language: highlight.highlight(code, language, css_class)
    return _plain_code


def _plain_code(code: str, language: str) -> str:
    """A code block without a highlighter.

    >>> _plain_code("a < b\\n", "py")
    '<pre><code class="language-py">a &lt; b\\n</code></pre>'
    """
    lang = f' class="language-{html.escape(language)}"' if language else ""
    return f"<pre><code{lang}>{html.escape(code, quote=False)}</code></pre>"


class TreeBuilder:
    """markdown-it tokens, raw HTML included, into one ElementTree.

    Elements open on a stack. Raw HTML tags open and close elements on the same stack, so a
    list between ``<td>`` and ``</td>`` lands in the cell; an end tag closes only an element
    raw HTML opened (never the page's own list or quote), and whatever raw HTML left open is
    closed with the Markdown block around it.
    """

    def __init__(self, md: markdown.Markdown, highlight: Highlighter = _plain_code, line_breaks: bool = True):
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
        if tag not in VOID_ELEMENTS and tag != _STAND_INS["img"]:
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


#: What a raw ``<a>`` without ``href`` (an anchor) or an ``<img>`` without ``src`` is called while the tree
#: processors run: MkDocs' link processor takes every ``a`` and ``img`` for a link and needs its URL.
_STAND_INS = {"a": "ingest-anchor", "img": "ingest-image"}
_URL_ATTRIBUTE = {"a": "href", "img": "src"}


class _RestoreTags(Treeprocessor):
    """Give the stand-ins of URL-less ``a`` and ``img`` their names back, after MkDocs' link processor."""

    def run(self, root: etree.Element) -> None:
        for tag, stand_in in _STAND_INS.items():
            for element in root.iter(stand_in):
                element.tag = tag


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
            if tag in _STAND_INS:
                self.builder.close_html(_STAND_INS[tag])

    def handle_data(self, data: str) -> None:
        self.builder.text(data)

    def handle_comment(self, data: str) -> None:
        """Comments are not shown; the sync has reported and removed an editor's."""

    def handle_decl(self, decl: str) -> None:
        """A ``<!DOCTYPE>`` in a page body means nothing."""

    def unknown_decl(self, data: str) -> None:
        """Nor does a CDATA section."""


def _element(tag: str, attrs: list[tuple[str, str | None]]) -> tuple[str, dict[str, str]]:
    """The tag and attributes of a raw HTML start tag, as the tree holds them (see ``_STAND_INS``).

    An old-style ``<a name="x">`` anchor also gets ``id="x"``, so MkDocs and Material know it.
    """
    values = {name: value if value is not None else name for name, value in attrs}
    if tag in _STAND_INS and not values.get(_URL_ATTRIBUTE[tag]):
        values.pop(_URL_ATTRIBUTE[tag], None)
        if tag == "a" and values.get("name") and "id" not in values:
            values["id"] = values["name"]
        return _STAND_INS[tag], values
    return tag, values


class _SamePageFragments(Treeprocessor):
    """Point each link to a heading of this page at the heading's id, however the doc spelt it.

    Google Docs links to a heading by its own bookmark; wikiGDrive writes the fragment from the
    heading's text by its own rules (``#observation/result-obx``), or from the link's text. So a
    fragment that is no id on the page is matched, case and punctuation aside, with an id, then
    with a heading's text, then the link's text with a heading's text and with an id. The sync
    matches the same way (``ingest.transform.fragments.unlink_broken_fragments``) and shows a link that matches
    nothing as text; one that still gets here is left for MkDocs' anchor check to report.
    """

    def run(self, root: etree.Element) -> None:
        links = [a for a in root.iter("a") if (a.get("href") or "").startswith("#") and len(a.get("href", "")) > 1]
        if not links:
            return
        ids: dict[str, str] = {}
        headings: dict[str, str] = {}
        for element in root.iter():
            element_id = element.get("id") or (element.get("name") if element.tag == "a" else None)
            if not element_id:
                continue
            ids.setdefault(loose_key(element_id), element_id)
            if isinstance(element.tag, str) and len(element.tag) == 2 and element.tag[0] == "h" and element.tag[1].isdigit():
                headings.setdefault(loose_key(_heading_text(element)), element_id)
        present = set(ids.values())
        for link in links:
            fragment = html.unescape(link.get("href", "")[1:])
            if fragment in present:
                continue
            key, text_key = loose_key(fragment), loose_key("".join(link.itertext()))
            found = ids.get(key) or headings.get(key) or headings.get(text_key) or ids.get(text_key)
            if found:
                link.set("href", "#" + found)


def _heading_text(heading: etree.Element) -> str:
    """A heading's text without the permalink ``toc`` put in it."""
    parts = [heading.text or ""]
    for child in heading:
        if "headerlink" not in (child.get("class") or "").split():
            parts.extend(child.itertext())
        parts.append(child.tail or "")
    return "".join(parts).strip()
