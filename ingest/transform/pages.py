"""Stage 5e, pages: finish each page: headings under the title, generated lists, front matter.

Material shows ``title`` as the page's H1 unless the body has one, so a body
that repeats its title as H1 loses that line, and a body that uses H1 for its
sections has every heading moved down a level: the title stays the only H1.
"""

from __future__ import annotations

import html
import json
import math
import re
from typing import Any, Callable, Iterable

import yaml

from ingest.chardata import HEADING_RE
from ingest.files import relative_url
from ingest.transform.policy import escape_text
from ingest.transform.regions import outside_code
from ingest.transform.shortcodes import MARKER_PREFIX

CHILDREN_MARKER = MARKER_PREFIX + "children"
_CHILDREN_RE = re.compile(re.escape(MARKER_PREFIX) + r'children(?: page="(?P<page>[^"]*)")?-->')
_CONTENTBYLABEL_RE = re.compile(re.escape(MARKER_PREFIX) + r'contentbylabel label="(?P<label>[^"]*)"-->')
_DUMPER = getattr(yaml, "CSafeDumper", yaml.SafeDumper)  # libyaml when available: 20x faster
_ATX_RE = re.compile(r"^(?P<indent> {0,3})(?P<hashes>#{1,6})(?=[ \t]|$)", re.MULTILINE)


def _plain(text: str) -> str:
    return re.sub(r"[*_`\[\]]|\(.*?\)|\s+", " ", text).strip().casefold()


def settle_headings(body: str, title: str) -> str:
    """Drop an opening H1 that repeats the title; demote the rest if any H1 is left.

    >>> settle_headings("# Setup\\n\\ntext", "Setup")
    'text'
    >>> settle_headings("# Part one\\n\\n## Detail", "Guide")
    '## Part one\\n\\n### Detail'
    >>> settle_headings("```\\n# comment\\n```", "Guide")
    '```\\n# comment\\n```'
    """
    if not _ATX_RE.search(body):
        return body  # no heading at all: nothing to drop or demote
    lines = body.split("\n")
    first = next((i for i, line in enumerate(lines) if line.strip()), None)
    if first is not None:
        match = HEADING_RE.match(lines[first])
        if match and len(match.group("hashes")) == 1 and _plain(match.group("text")) == _plain(title):
            body = "\n".join(lines[first + 1:]).lstrip("\n")
    has_h1 = False

    def find_h1(prose: str) -> str:
        nonlocal has_h1
        has_h1 = has_h1 or any(len(m.group("hashes")) == 1 for m in _ATX_RE.finditer(prose))
        return prose

    outside_code(find_h1, body, inline=False)
    if not has_h1:
        return body

    def demote(prose: str) -> str:
        return _ATX_RE.sub(lambda m: m.group("indent") + m.group("hashes") + ("#" if len(m.group("hashes")) < 6 else ""), prose)

    return outside_code(demote, body, inline=False)


def link_list(entries: Iterable[tuple[str, str]]) -> str:
    """A Markdown list of (title, relative link) pairs.

    >>> print(link_list([("AHE 6", "ahe-6.md"), ("PM 6", "pm-6.md")]))
    - [AHE 6](ahe-6.md)
    - [PM 6](pm-6.md)
    """
    return "\n".join(f"- [{_escape_link_text(title)}]({target})" for title, target in entries)


def _escape_link_text(text: str) -> str:
    """Brackets would end the link; '<' would open a tag (a title is text, never HTML)."""
    return text.replace("[", "\\[").replace("]", "\\]").replace("<", "&lt;").replace(">", "&gt;")


def fill_children(body: str, children: list[tuple[str, str]],
                  children_of: Callable[[str], list[tuple[str, str]] | None] = lambda title: None) -> str:
    """Replace the ``children`` shortcode's marker with the list of child pages, in nav order.

    ``children`` are this page's; ``{{% children page="Title" %}}`` lists those of the page with that
    nav title (``children_of``; None when there is no such page).

    >>> print(fill_children("A\\n\\n   <!--ingest:children-->", [("x", "x.md")]))
    A
    <BLANKLINE>
    <BLANKLINE>
    <BLANKLINE>
       <div class="ingest-generated">
    <BLANKLINE>
       - [x](x.md)
    <BLANKLINE>
       </div>
    <BLANKLINE>
    <BLANKLINE>
    """
    if CHILDREN_MARKER not in body:
        return body

    def listing(match: re.Match[str]) -> str:
        page = match.group("page")
        entries = children if page is None else children_of(html.unescape(page))
        if entries is None:
            return _generated(body, match, f"*There is no page “{html.unescape(page or '')}” to list the pages of.*")
        return _generated(body, match, link_list(entries) if entries else "*This section has no pages yet.*")

    return _CHILDREN_RE.sub(listing, body)


def _generated(body: str, marker: re.Match[str], block: str) -> str:
    """A list the sync made, in place of its marker: at the marker line's indentation (in a list item, it
    stays in the item), and in a ``div.ingest-generated`` so a reader (or a test) can tell it from the doc's."""
    line_start = body.rfind("\n", 0, marker.start()) + 1
    before = body[line_start:marker.start()]
    indent = before if not before.strip() else ""
    lines = ['<div class="ingest-generated">', "", *block.split("\n"), "", "</div>"]
    return "\n\n" + "\n".join(indent + line if line else "" for line in lines) + "\n\n"


def fill_content_by_label(body: str, labelled: dict[str, list[tuple[str, str]]], page_dest: str) -> str:
    """Replace ``contentbylabel`` markers with the pages carrying that label (front matter tags/labels).

    ``labelled`` maps a case-folded label to (title, page path) pairs; links are made relative to ``page_dest``.
    """
    def listing(match: re.Match[str]) -> str:
        entries = [(title, relative_url(page_dest, dest)) for title, dest in labelled.get(match.group("label").casefold(), [])]
        return _generated(body, match, link_list(entries) if entries else
                          f"*No pages are labelled “{match.group('label')}”.*")

    return _CONTENTBYLABEL_RE.sub(listing, body)


def labels_of(meta: dict[str, Any]) -> list[str]:
    """The labels a doc carries: ``tags`` and ``labels`` in its front matter."""
    found: list[str] = []
    for key in ("tags", "labels"):
        value = meta.get(key)
        if isinstance(value, str):
            found.extend(part.strip() for part in value.split(","))
        elif isinstance(value, list):
            found.extend(str(part).strip() for part in value)
    return [label for label in found if label]


def render_page(meta: dict[str, Any], body: str) -> str:
    """The Markdown file MkDocs reads: YAML front matter (its text escaped for the theme: ``policy.escape_text``), then the body.

    >>> print(render_page({"title": "A", "tags": ["x"], "search": {"boost": 2}}, "Hello"), end="")
    ---
    title: "A"
    tags: ["x"]
    search: {"boost": 2}
    ---
    <BLANKLINE>
    Hello
    """
    return f"---\n{front_matter(escape_text(meta))}---\n\n{body.strip()}\n"


#: Characters a JSON string may hold that YAML would not read back as they are: C0/C1 controls, DEL,
#: NEL and the Unicode line and paragraph separators (YAML line breaks), lone surrogates, U+FFFE/FFFF.
_NOT_YAML_RE = re.compile("[^\t\n\x20-\x7e\xa0-\u2027\u202a-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
_PLAIN_KEY_RE = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_YAML_WORDS = frozenset({"y", "n", "yes", "no", "on", "off", "true", "false", "null"})


def front_matter(meta: dict[str, Any]) -> str:
    """YAML for ``meta``: one line a key, each value in JSON, which YAML reads as flow style.

    Dumping with PyYAML's representer was a fifth of a sync's transform time; this is
    ~10x faster. Values JSON would write in a form YAML 1.1 reads otherwise (``1e+100``,
    ``NaN``, control or line-separator characters) go through ``yaml.dump`` instead.

    >>> print(front_matter({"title": "It's: “x”", "on": True, "n": [1.5, None]}), end="")
    title: "It's: “x”"
    "on": true
    "n": [1.5, null]
    """
    lines = []
    for key, value in meta.items():
        text = json.dumps(value, ensure_ascii=False)
        if _NOT_YAML_RE.search(text) or not _json_safe(value):
            text = yaml.dump(value, Dumper=_DUMPER, allow_unicode=True, default_flow_style=True, width=10**9).strip()
            if text.endswith("\n..."):
                text = text[:-4].strip()
        plain = _PLAIN_KEY_RE.fullmatch(key) and key.lower() not in _YAML_WORDS
        lines.append(f"{key if plain else json.dumps(key, ensure_ascii=False)}: {text}\n")
    return "".join(lines)


def _json_safe(value: Any) -> bool:
    """No float that JSON writes in a form YAML 1.1 does not read as that float (1e+100, NaN)."""
    if isinstance(value, float):
        return math.isfinite(value) and "e" not in repr(value)
    if isinstance(value, dict):
        return all(_json_safe(v) for v in value.values())
    if isinstance(value, list):
        return all(_json_safe(v) for v in value)
    return True
