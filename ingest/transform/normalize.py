"""Stage 2, normalise: repair the text Google Docs and scrapers leave behind, the way ftfy does.

Each fix is a small ``str -> str`` function that leaves code alone. ``normalize``
runs the enabled ones in order and records the name of each fix that changed
something, so a sync can say "nbsp: 12 files, mojibake: 3". Running it twice
gives the same text as running it once.
"""

from __future__ import annotations

import dataclasses
import functools
from typing import Any, Callable, NamedTuple

from ingest.chardata import (
    BULLET_ANY_RE,
    BULLET_LINE_RE,
    INVISIBLE_ANY_RE,
    INVISIBLE_RE,
    LIST_ITEM_RE,
    MOJIBAKE_LEAD_RE,
    NBSP_RE,
)
from ingest.model import Document
from ingest.transform.lists import repair_lists
from ingest.transform.regions import outside_code


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


FIXERS: dict[str, Callable[[str], str]] = {
    "mojibake": fix_mojibake,
    "invisible": strip_invisible,
    "nbsp": nbsp_to_space,
    "bullets": bullets_to_list,
    "lists": repair_lists,
}


class NormalizeConfig(NamedTuple):
    """Which fixes run; each defaults to on. Override with ``NormalizeConfig(nbsp=False)``.

    - ``mojibake``: repair UTF-8 decoded as cp1252 ("Â ", "â€™") with ftfy.
    - ``invisible``: drop zero-width and private-use characters.
    - ``nbsp``: non-breaking spaces become plain spaces outside code.
    - ``bullets``: lines starting with "•" become "- " list items.
    - ``lists``: wikiGDrive's lists nested and started the way CommonMark reads them (``ingest/lists.py``).
    """

    mojibake: bool = True
    invisible: bool = True
    nbsp: bool = True
    bullets: bool = True
    lists: bool = True


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
        if not changed_by:
            break
    return text, applied


def normalize(doc: Document, config: NormalizeConfig = NormalizeConfig()) -> Document:
    """Normalise a document's body and its title (titles carry mojibake too)."""
    return with_normalized(doc, normalized_text(doc, config))


class Normalized(NamedTuple):
    """What :func:`normalize` makes of a doc's text: the body and title after, and the fixes that changed them."""

    body: str
    title: str
    fixes: tuple[str, ...]


def normalized_text(doc: Document, config: NormalizeConfig = NormalizeConfig()) -> Normalized | None:
    """The fixes' work on ``doc``'s body and title, or None when they leave both as they are.

    Depends only on the body, the title and ``config``: a sync keeps it by those (``site.build``)
    and does not normalise an unchanged doc again.
    """
    body, applied = normalize_text(doc.body, config)
    title, _ = normalize_text(doc.title, config._replace(bullets=False, lists=False))
    if body == doc.body and title == doc.title:
        return None
    return Normalized(body, title, tuple(applied))


def with_normalized(doc: Document, normalized: Normalized | None) -> Document:
    """``doc`` with its normalised text (the same object when there is none: a big export's text is held once)."""
    if normalized is None:
        return doc
    body, title, applied = normalized
    meta = {**doc.meta, "title": title.strip()} if title != doc.title else doc.meta
    return dataclasses.replace(doc, body=doc.body if body == doc.body else body, meta=meta,
                               fixes=doc.fixes + tuple(applied))
