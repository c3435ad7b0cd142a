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

import lazy_loader

#: Each name's module, imported on first use (``lazy_loader``): the MkDocs plugin reads the markers' syntax
#: (``syntax``) without loading the converter, whose regions parse Markdown with markdown-it (40 ms of every
#: build's start).
__getattr__, __dir__, __all__ = lazy_loader.attach(__name__, submod_attrs={
    "code": ["unwrap_fenced_pre"], "convert": ["convert_shortcodes"],
    "syntax": ["BLOCKS", "INLINE", "MARKER_PREFIX", "Shortcode", "marker", "parse_tag"]})
