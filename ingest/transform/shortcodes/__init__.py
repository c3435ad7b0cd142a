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

from ingest.transform.shortcodes.code import unwrap_fenced_pre
from ingest.transform.shortcodes.convert import convert_shortcodes
from ingest.transform.shortcodes.syntax import BLOCKS, INLINE, MARKER_PREFIX, Shortcode, marker, parse_tag

__all__ = ["BLOCKS", "INLINE", "MARKER_PREFIX", "Shortcode", "convert_shortcodes", "marker", "parse_tag",
           "unwrap_fenced_pre"]
