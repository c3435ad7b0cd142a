"""The HTML policy: what raw HTML a page may have, in one place, applied twice with nh3.

Anyone who can edit a doc in Drive can put raw HTML into the public site, and Markdown
renders HTML of its own. So one policy (the tags, attributes, URL schemes and iframe hosts
below, also listed in the README) is applied twice: to each raw HTML tag of a doc's Markdown
at sync time (``ingest.transform.sanitize``, which reports every removal with its line), and
to every page's HTML once it is rendered (``clean_html``, in the MkDocs plugin: the guarantee,
since it also sees what Markdown makes). Text the theme writes into HTML as it is (front matter
values, nav titles) is escaped by ``escape_text``. ``ingest.read.svg`` says why an SVG asset
must not be copied.
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlsplit

import nh3

#: Tags an editor's HTML may use: what Google Docs exports and what Markdown writes.
TAGS = frozenset({
    "a", "abbr", "b", "blockquote", "br", "caption", "code", "col", "colgroup", "dd", "del", "details", "div", "dl",
    "dt", "em", "figcaption", "figure", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "i", "iframe", "img", "ins", "kbd",
    "li", "mark", "ol", "p", "pre", "s", "small", "span", "strong", "sub", "summary", "sup", "table", "tbody", "td",
    "tfoot", "th", "thead", "time", "tr", "u", "ul",
})

#: Tags only the sync's generated pages use (the filters of "All activities"); allowed in the built HTML.
FORM_TAGS = frozenset({"input", "select", "option"})

#: Attributes allowed per tag ("*": on every tag), besides data-* and aria-*.
ATTRIBUTES = {
    "*": {"class", "id", "title", "lang", "dir", "align", "role", "hidden"},
    "a": {"href", "name"},
    "img": {"src", "alt", "width", "height", "loading"},
    "iframe": {"src", "title", "width", "height", "allow", "allowfullscreen", "loading"},
    "td": {"colspan", "rowspan", "headers", "scope"},
    "th": {"colspan", "rowspan", "headers", "scope"},
    "col": {"span"},
    "colgroup": {"span"},
    "ol": {"start", "type", "reversed"},
    "li": {"value"},
    "details": {"open"},
    "time": {"datetime"},
    "input": {"placeholder"},
    "option": {"value", "selected"},
}
GENERIC_ATTRIBUTE_PREFIXES = {"data-", "aria-"}

#: Attribute values restricted to a set (nh3 drops any other value).
ATTRIBUTE_VALUES = {"input": {"type": {"search", "text"}}}

#: URL schemes a link may use; relative URLs are always allowed. Images must be relative (files of the export).
URL_SCHEMES = frozenset({"http", "https", "mailto", "tel"})

#: The only hosts an iframe may show, each with the path its URLs must start with: the players the
#: youtube and gvideo shortcodes write.
IFRAME_SOURCES = {
    "www.youtube-nocookie.com": "/embed/",
    "www.youtube.com": "/embed/",
    "drive.google.com": "/file/d/",
}

#: Elements removed together with their content: code, styles and other documents.
REMOVED_WITH_CONTENT = frozenset({
    "script", "style", "svg", "math", "template", "noscript", "object", "embed", "applet", "textarea", "title",
    "xmp", "noembed", "noframes", "frameset", "iframe",
})

#: Containers that an unmatched closing tag would break out of (the page's own blocks) or, left open,
#: would turn the rest of the page into raw HTML.
CONTAINERS = frozenset({"div", "table", "details", "blockquote", "ul", "ol", "dl", "figure"})

#: Block elements a page may not have (a form, a page's landmarks) that become a plain ``<div>``: removed,
#: the raw HTML block around them would end, and what follows be read as Markdown (indented lines as code).
BLOCKS_KEPT_AS_DIV = frozenset({"form", "fieldset", "center", "section", "article", "nav", "header", "footer",
                                "main", "aside", "address", "hgroup", "menu", "dir", "search"})

#: Parts of containers whose end tag HTML lets an author leave out (``<td>a<td>b``): a closing tag that
#: nothing opened goes, an opening tag never closed stays.
CONTAINER_PARTS = frozenset({"thead", "tbody", "tfoot", "tr", "td", "th", "caption", "li", "dt", "dd"})



def iframe_allowed(src: str) -> bool:
    """Whether an iframe may show ``src``: https, an allowed host, and its path.

    >>> iframe_allowed("https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ")
    True
    >>> iframe_allowed("https://evil.example/embed/x"), iframe_allowed("http://www.youtube.com/embed/x")
    (False, False)
    """
    parts = urlsplit(src.strip())
    prefix = IFRAME_SOURCES.get(parts.hostname or "")
    return parts.scheme == "https" and prefix is not None and parts.path.startswith(prefix) and "@" not in parts.netloc


def is_local_url(url: str) -> bool:
    """A URL with no scheme and no host: a file of the site.

    >>> is_local_url("a.assets/x.png"), is_local_url("//evil.example/x.png"), is_local_url("https://x.org/a.png")
    (True, False, False)
    """
    parts = urlsplit(url.strip())
    return not parts.scheme and not parts.netloc and not url.strip().startswith(("/", "\\"))


def _page_attribute(element: str, attribute: str, value: str) -> str | None:
    if element == "iframe" and attribute == "src":
        return value if iframe_allowed(value) else None
    if element == "img" and attribute == "src":
        return value if is_local_url(value) else None
    return value


def _source_attribute(element: str, attribute: str, value: str) -> str | None:
    if element == "iframe" and attribute == "src":
        return value if iframe_allowed(value) else None
    return value


#: nh3's output has every attribute in double quotes and closes every iframe; an iframe's content is raw text.
_IFRAME_RE = re.compile(r'<iframe\b(?P<attrs>[^>]*)>.*?</iframe>', re.DOTALL)


def clean_html(html: str) -> str:
    """A page's rendered HTML with everything outside the allow-list removed (the MkDocs hook's pass).

    >>> clean_html('<p onclick="x()">Hi <a href="javascript:alert(1)">there</a></p><script>alert(2)</script>')
    '<p>Hi <a>there</a></p>'
    >>> clean_html('<iframe src="https://evil.example/x"></iframe><img src="https://evil.example/t.png" alt="t">')
    '<img alt="t">'
    """
    cleaned = nh3.clean(html, tags=set(TAGS | FORM_TAGS), clean_content_tags=set(REMOVED_WITH_CONTENT - {"iframe"}),
                        attributes={tag: set(names) for tag, names in ATTRIBUTES.items()},
                        attribute_filter=_page_attribute, url_schemes=set(URL_SCHEMES), link_rel=None,
                        generic_attribute_prefixes=set(GENERIC_ATTRIBUTE_PREFIXES),
                        tag_attribute_values=ATTRIBUTE_VALUES, strip_comments=True)
    if "<iframe" not in cleaned:
        return cleaned
    # An iframe whose address was not allowed goes; the others lose their fallback text (never shown, and raw).
    return _IFRAME_RE.sub(lambda m: f"<iframe{m.group('attrs')}></iframe>" if ' src="' in m.group("attrs") else "",
                          cleaned)


def clean_tag(tag: str) -> str:
    """One raw opening tag from a doc, cleaned by the policy (``markdown`` may stay for md_in_html).

    >>> clean_tag('<img src="a.png" onerror="alert(1)">'), clean_tag('<div class="x" style="display:none">')
    ('<img src="a.png">', '<div class="x">')
    """
    attributes = {tag_name: set(names) | {"markdown"} for tag_name, names in ATTRIBUTES.items()}
    cleaned = nh3.clean(tag, tags=set(TAGS), attributes=attributes, attribute_filter=_source_attribute,
                        url_schemes=set(URL_SCHEMES), link_rel=None,
                        generic_attribute_prefixes=set(GENERIC_ATTRIBUTE_PREFIXES))
    end = cleaned.rfind("</")
    return cleaned[:end] if end > 0 and cleaned.endswith(">") and not tag.rstrip().endswith("/>") else cleaned


#: Characters that end an HTML attribute or start a tag: escaped in every value the theme writes as it is.
HTML_ESCAPES = str.maketrans({"<": "&lt;", ">": "&gt;", '"': "&quot;"})


def escape_text(value: Any) -> Any:
    """A front matter value or nav title with '<', '>' and '"' as entities, in every string it holds.

    MkDocs renders the theme without autoescaping, so such text could open a tag or leave an
    attribute; as entities it shows as text. Anything that is not plain data (a date read from
    YAML) becomes its text.

    >>> escape_text({"title": 'LVEF <40% "x"', "tags": ["a>b"], "version": 3})
    {'title': 'LVEF &lt;40% &quot;x&quot;', 'tags': ['a&gt;b'], 'version': 3}
    """
    if isinstance(value, str):
        return value.translate(HTML_ESCAPES)
    if isinstance(value, dict):
        return {str(key): escape_text(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [escape_text(item) for item in value]
    if value is None or isinstance(value, (int, float, bool)):
        return value
    return str(value).translate(HTML_ESCAPES)
