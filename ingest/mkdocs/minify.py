"""Drop the indentation Jinja templates leave in every built page.

Material's templates indent their HTML; with ``navigation.prune`` a page still
carries ~65 nav items, so a third of a page's bytes were spaces at the start of
lines. Browsers collapse a run of white space to one space in normal text, so
a run that holds a line break becomes one line break, and the page renders as
before. Left alone: ``pre``, ``code`` and ``kbd`` (Material styles them
``white-space: pre-wrap``), ``textarea``, ``script`` and ``style``, and any
white space inside a tag (an attribute value keeps its spaces).

This does what ``mkdocs-minify-plugin``'s HTML option mostly buys, in about half
a millisecond a page instead of a pure-Python HTML parse.
"""

from __future__ import annotations

import re

#: Elements whose white space matters, matched whole.
_KEEP_RE = re.compile(r"<(pre|code|kbd|textarea|script|style)\b.*?</\1\s*>", re.DOTALL | re.IGNORECASE)

#: A line break and the white space after it, in text: the next angle bracket opens a tag (or a kept
#: element follows, where the piece of HTML ends).
_INDENT_RE = re.compile(r"\n\s+(?=[^<>]*(?:<|\Z))")


def collapse_whitespace(html: str) -> str:
    """Turn each line break and the indentation after it into one line break, outside kept elements.

    >>> collapse_whitespace('<ul>\\n    <li>\\n      <a href="/">Home</a>\\n    </li>\\n</ul>')
    '<ul>\\n<li>\\n<a href="/">Home</a>\\n</li>\\n</ul>'
    >>> collapse_whitespace('<pre><code>if x:\\n    y()\\n</code></pre>\\n  <p>a <code>b\\n  c</code></p>')
    '<pre><code>if x:\\n    y()\\n</code></pre>\\n<p>a <code>b\\n  c</code></p>'
    >>> collapse_whitespace('<a title="one\\n   two">x</a>')
    '<a title="one\\n   two">x</a>'
    """
    out = []
    position = 0
    for match in _KEEP_RE.finditer(html):
        out.append(_INDENT_RE.sub("\n", html[position:match.start()]))
        out.append(match.group(0))
        position = match.end()
    out.append(_INDENT_RE.sub("\n", html[position:]))
    return "".join(out)
