"""Fill in the site-specific text the sync left as markers: ``system-name``, ``sys-name``, ``syslink``, ``only``.

The sync writes markers, not text, so that a change of system name, URL or brand in
``mkdocs.yml`` shows at the next build without a sync.
"""

from __future__ import annotations

import html
import re

from ingest.settings import SiteSettings
from ingest.transform.shortcodes.syntax import MARKER_PREFIX

_SYSTEM_NAME_RE = re.compile(re.escape(MARKER_PREFIX) + r"system-name-->")
_SYS_NAME_RE = re.compile(re.escape(MARKER_PREFIX) + r"sys-name-->")
_SYSLINK_RE = re.compile(re.escape(MARKER_PREFIX) + r'syslink text="(?P<text>[^"]*)" query="(?P<query>[^"]*)"-->')
_ONLY_RE = re.compile(re.escape(MARKER_PREFIX) + r'only sys="(?P<sys>[^"]*)"-->(?P<body>.*?)'
                      + re.escape(MARKER_PREFIX) + r"/only-->", re.DOTALL)


def render_markers(markdown: str, settings: SiteSettings) -> str:
    """Fill in ``system-name``, ``sys-name``, ``syslink`` and ``only`` from the site's settings.

    >>> render_markers('Log into <!--ingest:system-name-->.', SiteSettings(system_name="Acme EHR"))
    'Log into Acme EHR.'
    >>> render_markers('<!--ingest:syslink text="Quick View" query="func=omniscope"-->',
    ...                SiteSettings(system_url="https://ehr.example/"))
    '[Quick View](https://ehr.example/?func=omniscope)'
    >>> render_markers('a<!--ingest:only sys="acme"-->X<!--ingest:/only-->b', SiteSettings(brand="other"))
    'ab'
    """
    system_name = settings.system_name
    markdown = _SYSTEM_NAME_RE.sub(lambda m: system_name, markdown)
    system_abbr = settings.system_abbr or system_name
    markdown = _SYS_NAME_RE.sub(lambda m: system_abbr, markdown)
    system_url = settings.system_url

    def syslink(match: re.Match[str]) -> str:
        text, query = html.unescape(match.group("text")), html.unescape(match.group("query"))
        if not system_url:
            return f"**{text}**"
        joiner = "&" if "?" in system_url else "?"
        return f"[{text}]({system_url}{joiner}{query})" if query else f"[{text}]({system_url})"

    markdown = _SYSLINK_RE.sub(syslink, markdown)
    brand = settings.brand.casefold()

    def only(match: re.Match[str]) -> str:
        wanted = {part.strip().casefold() for part in html.unescape(match.group("sys")).split(",")}
        return match.group("body") if not brand or brand in wanted else ""

    return _ONLY_RE.sub(only, markdown)
