"""Compiled patterns and character tables, built once at import (like ftfy's chardata)."""

import re

#: Characters that take no space and carry nothing a reader needs; wikiGDrive also
#: emits private-use code points (U+EC02, U+EC03) as bookmarks.
INVISIBLE_RE = re.compile(
    "[\u200b\u200c\u2060\ufeff\u00ad\ue000-\uf8ff]"
    # A zero-width joiner is kept only where it glues two emoji together.
    "|(?<![\U0001f000-\U0001faff\u2600-\u27bf])\u200d|\u200d(?![\U0001f000-\U0001faff\u2600-\u27bf])"
)

#: Any character INVISIBLE_RE might remove: a cheap test before running it.
INVISIBLE_ANY_RE = re.compile("[\u200b\u200c\u200d\u2060\ufeff\u00ad\ue000-\uf8ff]")

#: UTF-8 lead bytes (0xC2-0xF4) read as cp1252/latin-1: no mojibake without one of these.
MOJIBAKE_LEAD_RE = re.compile("[\u00c2-\u00f4]")

#: Non-breaking spaces Google Docs leaves after labels and inside sentences.
NBSP_RE = re.compile("[\u00a0\u202f\u2007]")

#: Any typographic bullet: a cheap test before the line scan of BULLET_LINE_RE.
BULLET_ANY_RE = re.compile("[•◦▪‣●]")

#: A line that starts with a typographic bullet, as text scraped from a web page has.
BULLET_LINE_RE = re.compile(r"^(?P<indent>[ \t]*)(?P<bullet>[•◦▪‣●])[ \t\u00a0]*(?P<text>.*)$")

#: A Markdown list item: indentation, marker, the spaces after it, the text.
LIST_ITEM_RE = re.compile(r"^(?P<indent> *)(?P<marker>\d{1,9}[.)]|[-*+])(?P<space> +|$)(?P<text>.*)$")

#: The start of a list item with text, indented at most 3 spaces (a paragraph-level item).
LIST_START_RE = re.compile(r"^ {0,3}(?:[-*+]|\d{1,9}[.)])[ \t]+(?=\S)")

#: A code fence line, indented at most 3 spaces.
FENCE_START_RE = re.compile(r"^ {0,3}(?:`{3,}|~{3,})")

#: A code fence opening or closing line.
FENCE_RE = re.compile(r"^(?P<indent> *)(?P<fence>`{3,}|~{3,})(?P<info>.*)$")

#: Inline code spans (a backtick run, then the same run).
CODE_SPAN_RE = re.compile(r"(?<!`)(`+)(?!`).+?(?<!`)\1(?!`)", re.DOTALL)

#: Hugo shortcodes, both delimiters: {{% name args %}} and {{< name args >}}; /name closes.
SHORTCODE_RE = re.compile(
    r"\{\{(?P<delim>[%<])\s*(?P<close>/)?\s*(?P<name>[A-Za-z][\w-]*)(?P<args>(?:[^%>}]|%(?!\}\})|>(?!\}\}))*?)\s*[%>]\}\}"
)

#: Where a shortcode (or a marker the shortcode stage leaves) begins.
SHORTCODE_START_RE = re.compile(r"\{\{[%<]|<!--ingest:")

#: A shortcode parameter: key="value", key=value, "value" or value.
SHORTCODE_ARG_RE = re.compile(r"""(?:(?P<key>[\w-]+)\s*=\s*)?(?:"(?P<dq>[^"]*)"|'(?P<sq>[^']*)'|(?P<bare>[^\s"']+))""")

#: Drive and Docs URLs that name a file by id.
GOOGLE_URL_RES = (
    re.compile(r"^https?://drive\.google\.com/open\?(?:.*&)?id=(?P<id>[\w-]{10,})"),
    re.compile(r"^https?://drive\.google\.com/file/d/(?P<id>[\w-]{10,})"),
    re.compile(r"^https?://docs\.google\.com/(?:document|spreadsheets|presentation|drawings|forms)/(?:u/\d+/)?d/(?P<id>[\w-]{10,})"),
    re.compile(r"^gdoc:(?P<id>[\w-]{10,})"),
)

#: Inline Markdown links and images: [text](target "title") / ![alt](target).
MD_LINK_RE = re.compile(
    r"(?P<bang>!?)\[(?P<text>(?:[^\[\]]|\[[^\[\]]*\])*)\]\(\s*(?P<target><[^>]*>|[^\s()]*(?:\([^\s()]*\)[^\s()]*)*)(?P<title>\s+\"[^\"]*\"|\s+'[^']*')?\s*\)"
)

#: Raw HTML tags whose URLs the link stage resolves. A tag's attributes never span a '<': without that bound,
#: a long line of '<a ' with no '>' costs time quadratic in its length.
HTML_IMG_RE = re.compile(r"<img\b(?P<attrs>[^<>]*?)/?>", re.IGNORECASE)
HTML_ATTR_RE = re.compile(r"""(?P<name>[\w:-]+)\s*=\s*(?:"(?P<dq>[^"]*)"|'(?P<sq>[^']*)'|(?P<bare>[^\s>]+))""")

#: An ATX heading (up to 3 spaces in); a closing run of '#' counts only after a space, as in CommonMark.
HEADING_RE = re.compile(r"^ {0,3}(?P<hashes>#{1,6})[ \t]+(?P<text>.*?)(?:[ \t]+#+)?[ \t]*$")

#: Control characters no document needs (NUL, escape, ...): everything below a space but tab, line feed,
#: form feed and carriage return, and DEL. YAML refuses them; ftfy's remove_control_chars takes them out.
CONTROL_RE = re.compile("[\x00-\x08\x0b\x0e-\x1f\x7f]")

#: Bytes that are never in a text file's first few KB in any number (control bytes, as above).
BINARY_BYTES = bytes(range(0, 9)) + bytes(range(14, 32)) + b"\x0b\x7f"

#: Bytes outside ASCII.
NON_ASCII_BYTES = bytes(range(128, 256))

#: One well-formed UTF-8 multi-byte sequence.
UTF8_SEQUENCE_RE = re.compile(rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}")
