"""Stage 5c, shortcodes: Hugo shortcodes of wikiGDrive exports, turned into Material Markdown (or HTML inside raw HTML).

- ``syntax``: the tags as written (``Shortcode``, ``parse_tag``) and the markers left for later stages;
- ``code``: ``pre`` around a fence, Hugo's ``{{%/* x */%}}`` escape, the system's name in code;
- ``convert``: the converter that finds every tag and reports the bad ones (``convert_shortcodes``);
- ``output``: what each shortcode becomes.

Shortcodes whose output depends on the site are left as ``<!--ingest:…-->`` markers: ``children``
and ``contentbylabel`` are filled in by the sync once the nav is known, and ``system-name``,
``syslink`` and ``only`` by the MkDocs plugin, so a brand or a system name can change without a
new sync.
"""

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ingest.transform.shortcodes.code import unwrap_fenced_pre
    from ingest.transform.shortcodes.convert import convert_shortcodes
    from ingest.transform.shortcodes.syntax import BLOCKS, INLINE, MARKER_PREFIX, Shortcode, marker, parse_tag

#: Each name's module, imported on first use: the MkDocs plugin reads the markers' syntax (``syntax``) without
#: loading the converter, whose regions parse Markdown with markdown-it (40 ms of every build's start).
_LAZY = {"unwrap_fenced_pre": "code", "convert_shortcodes": "convert", "BLOCKS": "syntax", "INLINE": "syntax",
         "MARKER_PREFIX": "syntax", "Shortcode": "syntax", "marker": "syntax", "parse_tag": "syntax"}

__all__ = ["BLOCKS", "INLINE", "MARKER_PREFIX", "Shortcode", "convert_shortcodes", "marker", "parse_tag",
           "unwrap_fenced_pre"]


def __getattr__(name: str) -> object:  # PEP 562
    if name in _LAZY:
        import importlib

        value = getattr(importlib.import_module(f"{__name__}.{_LAZY[name]}"), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
