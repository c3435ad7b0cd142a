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
import types
import xml.etree.ElementTree as etree
from typing import Any

import markdown
from markdown.treeprocessors import Treeprocessor

from ingest.markup import loose_key, parser
from ingest.mkdocs.tree import STAND_INS, Highlighter, TreeBuilder, plain_code

#: Tree processors that would read the built tree's text as Python-Markdown syntax again.
PYTHON_MARKDOWN_ONLY = frozenset({"inline", "attr_list", "abbr", "footnote", "footnote-duplicate",
                                  "indent-highlight", "hilite"})

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
    return plain_code


class _RestoreTags(Treeprocessor):
    """Give the stand-ins of URL-less ``a`` and ``img`` their names back, after MkDocs' link processor."""

    def run(self, root: etree.Element) -> None:
        for tag, stand_in in STAND_INS.items():
            for element in root.iter(stand_in):
                element.tag = tag


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
