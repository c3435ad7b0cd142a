"""The shortcodes of wikiGDrive exports as written: their names, tags and the markers the sync leaves."""

from __future__ import annotations

import html
import re
from dataclasses import dataclass

from ingest.chardata import SHORTCODE_ARG_RE

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
