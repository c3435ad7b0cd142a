"""Stage 2, normalise (lists): repair the lists wikiGDrive writes so that CommonMark reads them as the Google Doc has them.

wikiGDrive writes CommonMark, but with a few habits CommonMark reads otherwise than the
doc means, so its list items end up as text ("3. Sign in" on a line of a paragraph):

- it nests a sub-list 3 spaces a level, however wide the marker above is: under ``11. Step``
  (content at column 7) a sub-item at 6 spaces is no sub-item, and at 9 spaces under
  ``* Item`` it is code;
- a list Google Docs numbers on from 3, 10, ... starts right under a paragraph line, where
  CommonMark lets only a list starting at 1 begin;
- a table is a raw HTML block, which CommonMark ends only at a blank line, and none follows
  ``</table>``: the list after it is swallowed into the table's HTML;
- a shortcode opening an item is put before its number (``{{% sys-name %}}1.  creates``), and an
  item after a raw ``<pre>`` is put on its line (``<pre>x</pre>2. File``).

``repair_lists`` undoes each (the text fix ``lists``). It moves lines and adds blank lines;
it never changes a word, and it leaves code and raw HTML alone. Running it twice gives the
same text as running it once.
"""

from __future__ import annotations

import re
from typing import NamedTuple

from ingest.chardata import FENCE_RE, LIST_ITEM_RE
from ingest.markup import html_block_lines

_ITEM_AFTER_PRE_RE = re.compile(r"</pre>[ \t]*(?=(?:\d{1,9}[.)]|[-*+])[ \t]+\S)", re.IGNORECASE)
_TABLE_END_RE = re.compile(r"</table>[ \t]*$", re.IGNORECASE)
_SHORTCODE_BEFORE_NUMBER_RE = re.compile(r"^(?P<indent> *)(?P<code>\{\{%\s*sys(?:tem)?-name\s*%\}\})"
                                         r"(?P<number>\d{1,9}[.)])[ \t]+(?=\S)", re.MULTILINE)
#: Lines that are no paragraph text: headings, block quotes, thematic breaks, tables, raw HTML.
_NOT_PARAGRAPH_RE = re.compile(r"^ {0,3}(?:#{1,6}(?:[ \t]|$)|>|[-*_](?:[ \t]*[-*_]){2,}[ \t]*$|\||<)")


class _Item(NamedTuple):
    marker_indent: int
    """Column of the item's marker."""

    content_col: int
    """Column where the item's content starts, by CommonMark's rule."""

    ordered: bool


def repair_lists(text: str) -> str:
    """The list repairs above, in one pass over the lines (fences and raw HTML left as they are).

    >>> print(repair_lists("Steps:\\n3. Third\\n4. Fourth"))
    Steps:
    <BLANKLINE>
    3. Third
    4. Fourth
    >>> print(repair_lists("   10. Ten\\n   11. Eleven\\n      1. Sub"))
       10. Ten
       11. Eleven
           1. Sub
    >>> print(repair_lists("</table>\\n* After"))
    </table>
    <BLANKLINE>
    * After
    """
    if not _may_need_repair(text):
        return text
    text = _SHORTCODE_BEFORE_NUMBER_RE.sub(lambda m: f"{m['indent']}{m['number']} {m['code']} ", text)
    if "</pre>" in text:
        text = _ITEM_AFTER_PRE_RE.sub("</pre>\n", text)
    out: list[str] = []
    stack: list[_Item] = []
    previous = ""  # the last line written (as written), "" after a blank line
    fence: str | None = None
    html = _html_lines(text)
    for number, line in enumerate(text.split("\n")):
        stripped = line.lstrip(" ")
        indent = len(line) - len(stripped)
        if fence is not None:
            out.append(line)
            closing = FENCE_RE.match(stripped)
            if closing and closing.group("fence").startswith(fence) and not closing.group("info").strip():
                fence = None
            previous = line
            continue
        if not stripped:
            out.append(line)
            previous = ""
            continue
        if number in html:  # raw HTML, which runs to the next blank line
            out.append(line)
            if _TABLE_END_RE.search(line) and number + 1 in html:
                out.append("")  # end the table's HTML block: what follows it is Markdown
                previous = ""
            else:
                previous = line
            continue
        opening = FENCE_RE.match(stripped)
        if opening and indent <= (stack[-1].content_col + 3 if stack else 3):
            fence = opening.group("fence")
            out.append(line)
            previous = line
            continue
        item = LIST_ITEM_RE.match(line)
        if item and item.group("text").strip():
            line, indent = _place_item(line, indent, stack)
            marker = item.group("marker")
            ordered = marker[0].isdigit()
            sibling = any(open_item.marker_indent == indent and open_item.ordered == ordered for open_item in stack)
            while stack and stack[-1].marker_indent >= indent:
                stack.pop()
            if ordered and int(marker[:-1]) != 1 and not sibling and _is_paragraph(previous):
                out.append("")  # only a list that starts at 1 may interrupt a paragraph
            space = len(item.group("space"))
            stack.append(_Item(indent, indent + len(marker) + (space if space <= 4 else 1), ordered))
        elif stack and not previous:
            top = stack[-1]
            if top.marker_indent < indent < top.content_col:
                line = " " * top.content_col + stripped  # content under a wide marker, after a blank line
            elif indent <= top.marker_indent:
                while stack and stack[-1].marker_indent >= indent:
                    stack.pop()
        out.append(line)
        previous = line
    return "\n".join(out)


def _html_lines(text: str) -> set[int]:
    """0-based numbers of the lines in raw HTML blocks."""
    if "<" not in text:
        return set()
    return {number for start, end in html_block_lines(text) for number in range(start, end)}


def _place_item(line: str, indent: int, stack: list[_Item]) -> tuple[str, int]:
    """A sub-item nested deeper than its parent's marker goes to the parent's content column."""
    parents = [item for item in stack if item.marker_indent < indent]
    if not parents:
        return line, indent
    parent = parents[-1]
    if parent.content_col <= indent <= parent.content_col + 3:
        return line, indent
    return " " * parent.content_col + line.lstrip(" "), parent.content_col


def _is_paragraph(line: str) -> bool:
    """Whether a line (the one before a list item) is paragraph text, which only a list starting at 1 interrupts."""
    if not line.strip():
        return False
    stripped = line.lstrip(" ")
    if LIST_ITEM_RE.match(line):
        return True  # the item's own paragraph: a sub-list starting at 10 under it is no sub-list either
    return not _NOT_PARAGRAPH_RE.match(stripped) and not FENCE_RE.match(stripped)


def _may_need_repair(text: str) -> bool:
    """A cheap first look: a list marker or a table end anywhere."""
    return (bool(_LIST_MARKER_ANY_RE.search(text)) or "</table>" in text.lower() or "</pre>" in text
            or ("name" in text and bool(_SHORTCODE_BEFORE_NUMBER_RE.search(text))))


_LIST_MARKER_ANY_RE = re.compile(r"^ *(?:\d{1,9}[.)]|[-*+])[ \t]", re.MULTILINE)
