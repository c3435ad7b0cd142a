"""What each shortcode becomes: Material's Markdown, or HTML where raw HTML is read as it is.

Pure functions of a parsed tag (``syntax.Shortcode``) and its content; the converter
(``convert``) finds the tags and says where each one stands.
"""

from __future__ import annotations

import html
import re
import textwrap
from pathlib import PurePosixPath

from ingest.chardata import SHORTCODE_RE
from ingest.files import IMAGE_SUFFIXES
from ingest.markup import loose_key, parser
from ingest.transform.shortcodes.syntax import ADMONITIONS, MARKER_PREFIX, Shortcode, marker, parse_tag


def block_markdown(tag: Shortcode, inner: str, indent: str) -> str:
    """A block shortcode as Markdown (an admonition, a fence, a grid, an ``only`` block), at ``indent``."""
    name = tag.name
    content = dedent_block(inner)
    if name in ADMONITIONS or name in ("details", "expand"):
        kind, title = admonition(tag)
        opener = ("??? " if name in ("details", "expand") else "!!! ") + kind
        if title:
            opener += ' "' + title.replace('"', "'") + '"'
        # Blank lines are indented too: two empty lines in a row would end the admonition.
        body = textwrap.indent(content, "    ", lambda line: True) if content.strip() else "    "
        return as_block(opener + "\n" + body, indent)
    if name == "pre":
        return as_block(fence(content, tag.arg("language", 0)), indent)
    if name in ("section", "row"):
        return as_block(f'<div class="grid ingest-columns">\n\n{content}\n\n</div>', indent)
    if name == "column":
        return as_block(f"<div>\n\n{content}\n\n</div>", indent)
    if name == "only":
        brand = tag.arg("sys", 0)
        return as_block(f"{marker('only', sys=brand)}\n\n{content}\n\n{MARKER_PREFIX}/only-->", indent)
    raise AssertionError(name)

def block_html(tag: Shortcode, inner: str) -> str:
    """A block shortcode inside raw HTML, as HTML on lines without a blank one (as Hugo's templates write it)."""
    name = tag.name
    content = dedent_block(inner)
    if name in ADMONITIONS or name in ("details", "expand"):
        kind, title = admonition(tag)
        inner_html = _markdown_html(content)
        if name in ("details", "expand"):
            return f'<details class="{kind}"><summary>{html.escape(title or "Details")}</summary>{inner_html}</details>'
        return (f'<div class="admonition {kind}"><p class="admonition-title">'
                f'{html.escape(title or kind.capitalize())}</p>{inner_html}</div>')
    if name == "pre":
        code = html.escape(content, quote=False).replace("\n", "&#10;")
        language = tag.arg("language", 0)
        attrs = f' class="language-{html.escape(language)}"' if language else ""
        return f"<pre><code{attrs}>{code}</code></pre>"
    if name in ("section", "row"):
        return f'<div class="grid ingest-columns">{_markdown_html(content)}</div>'
    if name == "column":
        return f"<div>{_markdown_html(content)}</div>"
    if name == "only":
        return f"{marker('only', sys=tag.arg('sys', 0))}{content}{MARKER_PREFIX}/only-->"
    raise AssertionError(name)

def admonition(tag: Shortcode) -> tuple[str, str]:
    """The Material admonition type and title of an admonition shortcode."""
    name = tag.name
    if name == "notice":
        return ADMONITIONS.get(tag.arg("type", 0, "note").lower(), "note"), tag.arg("title", 1)
    if name in ("details", "expand"):
        return "note", tag.arg("title", 0, "Details")
    return ADMONITIONS[name], tag.arg("title", 0)

def pre_region(piece: str) -> str:
    """A raw ``{{% pre %}}`` region found by the code scanner becomes a fenced block."""
    match = SHORTCODE_RE.match(piece.lstrip())
    if match is None or parse_tag(match).name != "pre":
        return piece
    tag = parse_tag(match)
    lead = piece[: len(piece) - len(piece.lstrip())]
    rest = piece.lstrip()[match.end():]
    close = re.search(r"\{\{[%<]\s*/pre\s*[%>]\}\}\s*$", rest)
    inner = rest[: close.start()] if close else rest
    indent = lead.rsplit("\n", 1)[-1]
    return lead[: len(lead) - len(indent)] + as_block(fence(dedent_block(inner), tag.arg("language", 0)), indent)

def drawio(tag: Shortcode, source: str, diagrams: tuple[str, ...]) -> tuple[str, str | None]:
    """A drawing, by ``diagramName`` from the export's ``diagrams/`` folder or by ``src``/``id``; and what to
    warn of when it is not there."""
    name = tag.named.get("diagramname", "")
    if name:
        path = _diagram_for(name, source, diagrams)
        if path is not None:
            return f"![{_escape_text(name)}](</{path}>)", None
        return (f'<span class="ingest-missing" title="Not in this export: diagram">[diagram: {html.escape(name)}]</span>',
                f"the drawing '{name}' is not in the export's diagrams/ folder; the page says so in its place. "
                "Export the drawing with the docs (wikiGDrive puts it in diagrams/).")
    target = tag.arg("src", 0) or tag.arg("id", 0)
    title = tag.arg("title", 1, "Diagram")
    if PurePosixPath(target).suffix.lower() in IMAGE_SUFFIXES:
        return f"![{_escape_text(title)}]({target})", None
    if target:
        return f"[{_escape_text(title)} (open in diagrams.net)](https://app.diagrams.net/#G{target})", None
    return "", None


def inline(tag: Shortcode) -> str:
    """An inline shortcode (``drawio`` aside: ``drawio``) as Markdown, HTML or a marker for a later stage."""
    name = tag.name
    if name == "system-name":
        return marker("system-name")
    if name == "sys-name":
        return marker("sys-name")
    if name == "syslink":
        return marker("syslink", text=tag.arg("text", 0), query=tag.arg("query", 1))
    if name == "anchor":
        # wikiGDrive writes {{% anchor sys="x" %}}; by hand it is also {{% anchor x %}} or name=/id=.
        named = tag.named.get("name") or tag.named.get("id") or tag.named.get("sys")
        anchor = re.sub(r"[^\w-]+", "-", named or tag.arg("name", 0)).strip("-")
        return f'<a id="{anchor}"></a>' if anchor else ""
    if name == "youtube":
        video = tag.arg("id", 0)
        return _video(f"https://www.youtube-nocookie.com/embed/{video}", "YouTube video") if video else ""
    if name == "gvideo":
        video = tag.arg("id", 0)
        return _video(f"https://drive.google.com/file/d/{video}/preview", "Google Drive video") if video else ""
    if name == "children":
        page = tag.arg("page")
        return marker("children", page=page) if page else marker("children")
    if name == "toc":
        return "\n[TOC]\n"
    if name == "contentbylabel":
        return marker("contentbylabel", label=_label_of(tag))
    raise AssertionError(name)


def dedent_block(inner: str) -> str:
    """Content of a block shortcode without its outer blank lines and common indentation."""
    lines = inner.split("\n")
    first = lines[0]
    rest = textwrap.dedent("\n".join(lines[1:]))
    text = (first.strip() + "\n" + rest) if first.strip() else rest
    return text.strip("\n").rstrip()


def as_block(block: str, indent: str) -> str:
    """Put a converted block on lines of its own, at ``indent``, with blank lines around it."""
    lines = block.split("\n")
    body = "\n".join((indent + line) if line else "" for line in lines)
    return "\n\n" + body + "\n\n"


_WHOLE_FENCE_RE = re.compile(r"\A(?P<fence>`{3,}|~{3,})(?P<info>[^\n`]*)\n(?P<code>.*?)\n?(?P=fence)[`~]*[ \t]*\Z", re.DOTALL)


def fence(content: str, language: str) -> str:
    """A fenced block of ``content``; content that already is one fenced block is that block.

    Current exports write code as ``{{% pre %}}`` around a fence: the fence is the code block
    (with the shortcode's language if it names none).

    >>> print(fence("```\\nx = 1\\n```", "python"))
    ```python
    x = 1
    ```
    >>> print(fence("a ``` b", ""))
    ````
    a ``` b
    ````
    """
    whole = _WHOLE_FENCE_RE.match(content)
    if whole is not None:
        info = whole.group("info").strip() or language.strip()
        return f"{whole.group('fence')}{info}\n{whole.group('code')}\n{whole.group('fence')}"
    longest = max((len(run) for run in re.findall(r"`+", content)), default=0)
    fence = "`" * max(3, longest + 1)
    return f"{fence}{language.strip()}\n{content}\n{fence}"


def _escape_text(text: str) -> str:
    """Text for a Markdown link or image text: brackets would end it, '<' would open a tag."""
    return text.replace("\\", "\\\\").replace("[", "\\[").replace("]", "\\]").replace("<", "&lt;")


def _video(src: str, title: str) -> str:
    return (f'<div class="ingest-video"><iframe src="{html.escape(src)}" title="{title}" '
            'loading="lazy" allow="fullscreen; picture-in-picture" allowfullscreen></iframe></div>')


def _diagram_for(name: str, source: str, diagrams: tuple[str, ...]) -> str | None:
    """The drawing of the export's ``diagrams/`` folder that a ``drawio`` shortcode names.

    wikiGDrive names each drawing after its Drive title, and the shortcode gives the title
    (``diagramName="Health Surveillance"``): matched with case and punctuation aside, else
    the drawing named like the doc that shows it.

    >>> _diagram_for("Health Surveillance", "a.md", ("diagrams/health-surveillance.svg",))
    'diagrams/health-surveillance.svg'
    >>> _diagram_for("Discovery", "x/rapid-deployment-agenda.md", ("diagrams/rapid-deployment-agenda.svg",))
    'diagrams/rapid-deployment-agenda.svg'
    """
    by_key = {loose_key(PurePosixPath(path).stem): path for path in sorted(diagrams)}
    return by_key.get(loose_key(name)) or by_key.get(loose_key(PurePosixPath(source).stem))


def _label_of(tag: Shortcode) -> str:
    """The label a ``contentbylabel`` lists: ``label=``, else the one in Confluence's ``cql="label = 'x'"``.

    >>> _label_of(Shortcode("contentbylabel", (), {"cql": "label = 'basics'"}))
    'basics'
    """
    label = tag.arg("label", 0)
    if label and "=" not in label:
        return label
    found = re.search(r"label\s*(?:=|in\s*\()\s*['\"]([^'\"]+)['\"]", tag.named.get("cql", ""), re.IGNORECASE)
    return found.group(1) if found else ""


def _markdown_html(content: str) -> str:
    """Markdown as HTML for a place where raw HTML is read as it is (Hugo's ``markdownify``): no blank lines,
    which would end the HTML block around it."""
    rendered = parser().render(content) if content.strip() else ""
    return re.sub(r"\n[ \t]*(?:\n[ \t]*)+", "\n", rendered).strip()
