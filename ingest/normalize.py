"""Stage 3: repair the text Google Docs and scrapers leave behind, the way ftfy does.

Each fix is a small ``str -> str`` function that leaves code alone. ``normalize``
runs the enabled ones in order and records the name of each fix that changed
something, so a sync can say "nbsp: 12 files, mojibake: 3". Running it twice
gives the same text as running it once.
"""

from __future__ import annotations

import dataclasses
import functools
import re
from typing import Any, Callable, NamedTuple

from ingest.chardata import (BULLET_ANY_RE, BULLET_LINE_RE, FENCE_RE, INVISIBLE_ANY_RE, INVISIBLE_RE, LIST_ITEM_RE,
                             MOJIBAKE_LEAD_RE, NBSP_RE)
from ingest.model import Document
from ingest.regions import outside_code


@functools.cache
def _ftfy() -> tuple[Any, Any]:
    """ftfy and the repairs it makes here: imported on the first doc that may need them (~0.1 s)."""
    import ftfy
    import ftfy.badness

    # Only the encoding repairs: quotes, ligatures and widths are the author's choice.
    config = ftfy.TextFixerConfig(
        unescape_html=False,
        remove_terminal_escapes=True,
        fix_encoding=True,
        restore_byte_a0=True,
        replace_lossy_sequences=True,
        decode_inconsistent_utf8=True,
        fix_c1_controls=True,
        fix_latin_ligatures=False,
        fix_character_width=False,
        uncurl_quotes=False,
        fix_line_breaks=False,
        fix_surrogates=True,
        remove_control_chars=False,
        normalization=None,
        explain=False,
    )
    return ftfy, config


def fix_mojibake(text: str) -> str:
    """Decode UTF-8 that was read as cp1252 somewhere on its way out of Drive.

    Runs first: ftfy uses the non-breaking spaces as evidence ("Â" + U+00A0).
    Code is repaired too, since mojibake is never intended.

    >>> fix_mojibake("Description**:Â\\u00a0 MIPS")
    'Description**:\\xa0 MIPS'
    >>> fix_mojibake("Weâ€™ve")
    'We’ve'
    >>> fix_mojibake("naïve café")
    'naïve café'
    """
    if text.isascii() or not MOJIBAKE_LEAD_RE.search(text):
        return text  # most docs need no repair, and fix_text is slow: test cheaply first
    ftfy, config = _ftfy()
    if not ftfy.badness.is_bad(text):
        return text
    return ftfy.fix_text(text, config)


def strip_invisible(text: str) -> str:
    """Remove zero-width and private-use characters (wikiGDrive writes U+EC02/U+EC03).

    A zero-width joiner between two emoji is kept: it is part of the glyph.

    >>> strip_invisible("a\\u200bb\\uec02c\\uec03")
    'abc'
    """
    if text.isascii() or not INVISIBLE_ANY_RE.search(text):
        return text  # the usual case; INVISIBLE_RE's look-arounds are slow on every character
    return INVISIBLE_RE.sub("", text)


def nbsp_to_space(text: str) -> str:
    """Turn non-breaking spaces into plain spaces, outside code.

    >>> nbsp_to_space("a\\u00a0b `c\\u00a0d`")
    'a b `c\\xa0d`'
    """
    if text.isascii() or not NBSP_RE.search(text):
        return text
    return outside_code(lambda prose: NBSP_RE.sub(" ", prose), text)


def bullets_to_list(text: str) -> str:
    """Make lines that start with "•" (scraped web pages) Markdown list items.

    A blank line is put before the first item when a paragraph runs into it,
    since Markdown needs one to start a list.

    >>> print(bullets_to_list("The criteria are:\\n  • one;\\n  • two"))
    The criteria are:
    <BLANKLINE>
    - one;
    - two
    """
    if text.isascii() or not BULLET_ANY_RE.search(text):
        return text
    return outside_code(_bullets_to_list, text, inline=False)


def _bullets_to_list(text: str) -> str:
    out: list[str] = []
    previous_is_item = False
    for line in text.split("\n"):
        match = BULLET_LINE_RE.match(line)
        if match:
            nested = match.group("bullet") in "◦▪‣"
            if out and out[-1].strip() and not previous_is_item:
                out.append("")
            out.append(("    - " if nested else "- ") + match.group("text").rstrip())
            previous_is_item = True
        else:
            out.append(line)
            previous_is_item = bool(LIST_ITEM_RE.match(line)) or (previous_is_item and line.strip() != "" and line.startswith(" "))
    return "\n".join(out)


def indent_list_continuations(text: str) -> str:
    """Re-indent list item content to the four spaces Python-Markdown needs.

    wikiGDrive writes CommonMark, where the content of ``1. item`` starts in
    column 3; Python-Markdown (and so MkDocs) wants 4, or the image or note under
    step 3 ends the list and step 4 restarts the numbering at 1. Lines already
    indented far enough are left as they are, which makes the fix idempotent.

    >>> print(indent_list_continuations("1. Step\\n\\n   ![](a.png)\\n2. Next"))
    1. Step
    <BLANKLINE>
        ![](a.png)
    2. Next
    """
    first = _LIST_OR_FENCE_RE.search(text)
    if first is None:
        return text  # no list (and no fence): nothing moves
    # Lines before the first list item or fence are never moved: start there. The loop steps over
    # fences itself, so a fence in a step moves with it.
    return text[:first.start()] + _indent_list_continuations(text[first.start():])


#: The first line where the list fix can have work: a list item or a fence (see LIST_ITEM_RE, FENCE_RE).
_LIST_OR_FENCE_RE = re.compile(r"^ *(?:\d{1,9}[.)]|[-*+])(?: |$)|^ *(?:`{3,}|~{3,})", re.MULTILINE)


class _Item(NamedTuple):
    content_col: int
    """Where the item's content starts, by CommonMark's rule."""
    new_indent: int
    """Where it starts once re-indented for Python-Markdown."""


def _indent_list_continuations(text: str) -> str:
    out: list[str] = []
    stack: list[_Item] = []
    previous_blank = True
    fence: tuple[str, int] | None = None  # the open fence's marker, and how far its lines move
    after_fence = False
    for line in text.split("\n"):
        stripped = line.lstrip(" ")
        if fence is not None:
            marker, shift = fence
            out.append(" " * shift + line if line.strip() else line)
            if stripped.startswith(marker) and not stripped[len(marker):].strip(marker[0] + " "):
                fence, after_fence = None, bool(stack)
            continue
        if after_fence and line.strip():
            out.append("")  # Python-Markdown needs a blank line after a fence inside a list item
        after_fence = False
        if not line.strip():
            out.append(line)
            previous_blank = True
            continue
        indent = len(line) - len(stripped)
        item = LIST_ITEM_RE.match(line)
        if item:
            while stack and stack[-1].content_col > indent:
                stack.pop()
            new = stack[-1].new_indent if stack else 0
            marker, space = item.group("marker"), item.group("space")
            content_col = indent + len(marker) + (len(space) if 0 < len(space) <= 4 else 1)
            stack.append(_Item(content_col, new + 4))
        elif stack and (indent >= stack[-1].content_col or not previous_blank):
            top = stack[-1]
            if indent < top.content_col:
                new = indent  # a lazy continuation of the item's paragraph
            else:
                new = indent if indent >= top.new_indent else top.new_indent + (indent - top.content_col)
        else:
            while stack and stack[-1].content_col > indent:
                stack.pop()
            if stack:
                top = stack[-1]
                new = indent if indent >= top.new_indent else top.new_indent + (indent - top.content_col)
            else:
                new = indent
        opening = FENCE_RE.match(stripped)
        if opening and not item:
            fence = (opening.group("fence"), new - indent)
        out.append(" " * new + stripped if new != indent else line)
        previous_blank = False
    return "\n".join(out)


FIXERS: dict[str, Callable[[str], str]] = {
    "mojibake": fix_mojibake,
    "invisible": strip_invisible,
    "nbsp": nbsp_to_space,
    "bullets": bullets_to_list,
    "list-indent": indent_list_continuations,
}


class NormalizeConfig(NamedTuple):
    """Which fixes run; each defaults to on. Override with ``NormalizeConfig(nbsp=False)``.

    - ``mojibake``: repair UTF-8 decoded as cp1252 ("Â ", "â€™") with ftfy.
    - ``invisible``: drop zero-width and private-use characters.
    - ``nbsp``: non-breaking spaces become plain spaces outside code.
    - ``bullets``: lines starting with "•" become "- " list items.
    - ``list_indent``: list item content is indented by 4, as Python-Markdown needs.
    """

    mojibake: bool = True
    invisible: bool = True
    nbsp: bool = True
    bullets: bool = True
    list_indent: bool = True


#: Fixes that only move lines (spaces, blank lines), so never give the character fixes before them
#: new work: a round in which nothing else changed is the last.
SPACING_ONLY = frozenset({"list-indent"})

#: Rounds of the fixes at most; one fix can make work for an earlier one (a C1 control that ftfy turns
#: into '€' next to a non-breaking space, say), so they run again until nothing changes, as ftfy's do.
MAX_ROUNDS = 4


def normalize_text(text: str, config: NormalizeConfig = NormalizeConfig()) -> tuple[str, list[str]]:
    """Run the enabled fixes in order until nothing changes; return the text and the names of those that changed it.

    >>> normalize_text("Weâ€™ve\\u00a0two")
    ('We’ve two', ['mojibake', 'nbsp'])
    >>> once = normalize_text("\\u00a0Â\\x80")[0]
    >>> normalize_text(once) == (once, [])
    True
    """
    applied: list[str] = []
    for _ in range(MAX_ROUNDS):
        changed_by: list[str] = []
        for name, fixer in FIXERS.items():
            if not getattr(config, name.replace("-", "_")):
                continue
            fixed = fixer(text)
            if fixed != text:
                changed_by.append(name)
                if name not in applied:
                    applied.append(name)
                text = fixed
        if not set(changed_by) - SPACING_ONLY:
            break  # nothing changed, or only spacing that gives no earlier fix new work
    return text, applied


def normalize(doc: Document, config: NormalizeConfig = NormalizeConfig()) -> Document:
    """Normalise a document's body and its title (titles carry mojibake too)."""
    body, applied = normalize_text(doc.body, config)
    title, _ = normalize_text(doc.title, config._replace(bullets=False, list_indent=False))
    if body == doc.body and title == doc.title:
        return doc  # the same object: a big export's text is held once
    meta = {**doc.meta, "title": title.strip()} if title != doc.title else doc.meta
    return dataclasses.replace(doc, body=doc.body if body == doc.body else body, meta=meta,
                               fixes=doc.fixes + tuple(applied))
