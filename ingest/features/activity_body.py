"""The body of an Improvement Activity doc: its parts (field lines, sections), and the page laid out from them.

``split_parts`` finds the field lines and the "Supporting Documentation" and "Resources"
sections in every form the exports have; ``restructure_activity_body`` writes the page's body
from them (the field lines go, a card shows them; the sections get headings and real lists).
"""

from __future__ import annotations

import functools
import re

from ingest.chardata import FENCE_START_RE, LIST_START_RE

# "**Activity Weighting**: High", "**Subcategory** **Name**: X", "**Description:** X".
FIELD_RE = re.compile(
    r"^ {0,3}\*\*(?P<label>[A-Za-z][A-Za-z ]*(?:\*\*[ \t]*\*\*[A-Za-z ]+)*?)[ \t]*"
    r"(?::\*\*|\*\*[ \t]*:)[ \t]*(?P<value>.*?)[ \t]*$"
)
# "Supporting Documentation", "**Resources:**", "## Resources", "Resources: text".
SECTION_RE = re.compile(
    r"^ {0,3}(?:#{1,6}[ \t]+)?(?:\*\*)?(?P<name>Supporting Documentation|Resources)"
    r"(?:\*\*)?[ \t]*(?::(?:\*\*)?[ \t]*(?P<rest>.*?))?[ \t]*#*[ \t]*$",
    re.IGNORECASE,
)
LINK_RE = re.compile(r"\[[^\]]*\]\([^)\s]+[^)]*\)|<https?://[^>\s]+>|https?://\S+")
BLANK_RUN_RE = re.compile(r"\n(?:[ \t]*\n){2,}")
LEADING_BLANKS_RE = re.compile(r"\A(?:[ \t]*\n)+")
FIELDS = {"activity weighting": "weighting", "weighting": "weighting", "subcategory name": "subcategory",
           "subcategory": "subcategory", "description": "description", "activity description": "description"}
SECTION_TITLES = {"supporting documentation": "Supporting Documentation", "resources": "Resources"}


def restructure_activity_body(body: str) -> str:
    """Rewrite an activity's body for its page; any other body comes back unchanged.

    The weighting and subcategory lines and the "Description" label go (the
    page's metadata card shows them), so the description is the first
    paragraph. "Supporting Documentation" and "Resources" become ``##``
    headings, lists get the blank line Python-Markdown needs before and after
    them (numbered lists stay numbered), and each resource line becomes an
    item of a bulleted list. Every other line is kept, in order.

    >>> print(restructure_activity_body(
    ...     "**Activity Weighting**: Medium  \\n**Subcategory Name**: Population Management  \\n"
    ...     "**Description**: Take steps.\\n\\n\\nSupporting Documentation\\n"
    ...     "1. Toolkit;\\n2. Report.\\n\\nResources  \\n[A](https://a.org)  \\n[B](https://b.org)"))
    Take steps.
    <BLANKLINE>
    ## Supporting Documentation
    <BLANKLINE>
    1. Toolkit;
    2. Report.
    <BLANKLINE>
    ## Resources
    <BLANKLINE>
    - [A](https://a.org)
    - [B](https://b.org)
    >>> restructure_activity_body("Just text.\\n\\nResources\\n[A](a.md)")
    'Just text.\\n\\nResources\\n[A](a.md)'
    """
    split = split_parts(body)
    if split is None:
        return body
    _, head, _, sections = split
    parts = [join_lines(separate_blocks(head))]
    for key, content in sections.items():
        parts.append(f"## {SECTION_TITLES[key]}")
        parts.append(join_lines(resources_list(content) if key == "resources" else separate_blocks(content)))
    return "\n\n".join(part for part in parts if part) + ("\n" if body.endswith("\n") else "")


# --- helpers -----------------------------------------------------------------------------

@functools.lru_cache(maxsize=8)  # parse_activity and restructure_activity_body split the same body; callers only read
def split_parts(body: str) -> tuple[dict[str, str], list[str], int, dict[str, list[str]]] | None:
    """Cut an activity body into (field values, head, description start, sections).

    The head is every line before the first section label, less the weighting
    and subcategory lines, with the description label taken off its line;
    ``head[description_start:]`` is the description. Sections map
    'supporting documentation' and 'resources' to their lines (text after a
    label's colon first), in the order they appear after the last field line.
    Only the first line of each field and of each section label counts. None
    when the body has neither a weighting nor a subcategory line.
    """
    lines = body.split("\n")
    fields: dict[str, tuple[int, str]] = {}
    in_fence = False
    for index, line in enumerate(lines):
        in_fence = in_fence != bool(FENCE_START_RE.match(line))
        match = None if in_fence else FIELD_RE.match(line)
        name = FIELDS.get(" ".join(match.group("label").replace("*", " ").split()).casefold()) if match else None
        if name and name not in fields:
            fields[name] = (index, match.group("value"))  # type: ignore[union-attr]
    if "weighting" not in fields and "subcategory" not in fields:
        return None
    labels: list[tuple[int, str]] = []
    for index in range(max(index for index, _ in fields.values()) + 1, len(lines)):
        match = SECTION_RE.match(lines[index])
        if match and match.group("name").casefold() not in {key for _, key in labels}:
            labels.append((index, match.group("name").casefold()))
    sections: dict[str, list[str]] = {}
    for (index, key), end in zip(labels, [index for index, _ in labels[1:]] + [len(lines)]):
        rest = SECTION_RE.match(lines[index]).group("rest")  # type: ignore[union-attr]
        sections[key] = ([rest] if rest else []) + lines[index + 1:end]
    head: list[str] = []
    description_start = 0
    dropped = {fields[name][0] for name in ("weighting", "subcategory") if name in fields}
    for index, line in enumerate(lines[:labels[0][0] if labels else len(lines)]):
        if index in dropped:
            description_start = description_start if "description" in fields else len(head)
        elif index == fields.get("description", (-1, ""))[0]:
            description_start, value = len(head), fields["description"][1]
            head += [value + ("  " if line.endswith("  ") else "")] if value else []
        else:
            head.append(line)
    return {name: value for name, (_, value) in fields.items()}, head, description_start, sections


def separate_blocks(lines: list[str]) -> list[str]:
    """Put a blank line between a paragraph and a list that runs into it, either way round.

    A Google Docs export writes one paragraph a line, so a plain line right
    after a list item is a new paragraph, not a lazy continuation. Code fences
    are left alone.

    >>> separate_blocks(["Documentation of:", "1. a", "    1. nested", "2. b", "Note."])
    ['Documentation of:', '', '1. a', '    1. nested', '2. b', '', 'Note.']
    """
    out: list[str] = []
    in_list = in_fence = False
    for line in lines:
        fence = FENCE_START_RE.match(line)
        in_fence = in_fence != bool(fence)
        if fence or in_fence:
            in_list = False
        elif LIST_START_RE.match(line) or (line[:1] not in ("", " ", "\t")):
            is_item = bool(LIST_START_RE.match(line))
            if out and out[-1].strip() and is_item != in_list:
                out.append("")
            in_list = is_item
        out.append(line)
    return out


def resources_list(lines: list[str]) -> list[str]:
    """Each line with a link becomes a bulleted item; other lines stay paragraphs.

    Items that already are list items (numbered or not) and lines indented
    under an item are kept as they are.

    >>> resources_list(["[A](a.md)  ", "", "[B](b.md)", "", "Ask your QIO.", "1. [C](c.md)"])
    ['- [A](a.md)', '- [B](b.md)', '', 'Ask your QIO.', '', '1. [C](c.md)']
    """
    out: list[str] = []
    in_list = False
    for line in lines:
        if not line.strip():
            if not in_list:
                out.append(line)
            continue
        if in_list and line[0].isspace():
            out.append(line)
            continue
        is_item = bool(LIST_START_RE.match(line)) or bool(LINK_RE.search(line))
        if is_item != in_list and out and out[-1].strip():
            out.append("")
        if is_item and not LIST_START_RE.match(line):
            line = "- " + line.strip()
        out.append(line.rstrip() if is_item else line)
        in_list = is_item
    return out


def join_lines(lines: list[str]) -> str:
    """Lines joined, without the blank lines around them and with runs of blank lines made one.

    Text with a code fence keeps its blank lines, which may be part of the code.
    """
    text = LEADING_BLANKS_RE.sub("", "\n".join(lines)).rstrip()
    return text if any(FENCE_START_RE.match(line) for line in lines) else BLANK_RUN_RE.sub("\n\n", text)
