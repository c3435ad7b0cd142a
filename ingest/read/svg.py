"""Whether an SVG asset may be copied into the site.

A browser runs the scripts of an SVG opened on its own (a click on the image), in
the site's name; inside ``<img>`` they never run. So an SVG with a script, an event
handler or a script address is not copied (the read stage reports it), and one that
cannot be parsed is not either, since it cannot be checked.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ElementTree

from ingest.model import shorten

_SCRIPT_SCHEME_RE = re.compile(r"^\s*(?:javascript|vbscript|data\s*:\s*text/html)", re.IGNORECASE)
#: Elements that run code or load another document inside an SVG.
_SVG_ACTIVE = frozenset({"script", "iframe", "embed", "object", "handler", "listener"})


def svg_problem(text: str) -> str | None:
    """What makes an SVG unsafe to serve (a script, an event handler, a script URL), or None.

    >>> svg_problem('<svg xmlns="http://www.w3.org/2000/svg"><rect width="4" height="4"/></svg>') is None
    True
    >>> svg_problem('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>')
    'a <script> element'
    >>> svg_problem('<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>')
    "an event handler (onload='alert(1)')"
    """
    if re.search(r"<!ENTITY", text, re.IGNORECASE):
        return "XML entity declarations"
    try:
        root = ElementTree.fromstring(text.encode("utf-8"))
    except (ElementTree.ParseError, ValueError):
        return "XML that does not parse (so it cannot be checked)"
    for element in root.iter():
        name = str(element.tag).rsplit("}", 1)[-1].lower()
        if name in _SVG_ACTIVE:
            return f"a <{name}> element"
        for key, value in element.attrib.items():
            key = key.rsplit("}", 1)[-1].lower()
            if key.startswith("on") or key == "attributename" and value.strip().lower().startswith("on"):
                return f"an event handler ({key}='{_clip(value)}')"
            if _SCRIPT_SCHEME_RE.match(value) or (key == "href" and value.strip().lower().startswith("data:")
                                                  and name not in ("image", "feimage")):
                return f"a script address ({key}='{_clip(value)}')"
    return None


def _clip(text: str) -> str:
    return shorten(text, 30)
