"""The MkDocs side of the sync: load its nav and redirects, fill in site-specific text.

``hooks/ingest_hooks.py`` (listed under ``hooks:`` in ``mkdocs.yml``) calls these,
so ``mkdocs.yml`` stays hand-written: the sync never edits it.

``extra:`` settings read here:

- ``system_name``: what ``{{% system-name %}}`` shows (default: ``site_name``).
- ``system_abbr``: what ``{{% sys-name %}}`` shows, the short form (default: ``system_name``).
- ``system_url``: base URL ``{{% syslink "Text" "query" %}}`` links to (``<url>?<query>``);
  without it the text is shown in bold.
- ``brand``: keeps ``{{% only sys="<brand>" %}}`` blocks for that brand and drops the
  others; without it every block is kept.

Each built page loses the indentation of the theme's templates (``ingest/minify.py``).
After the build, the search index Material wrote is made light (``ingest/searchindex.py``):
one entry a page (FAQ pages keep one per question), a short teaser, the other words once.
"""

from __future__ import annotations

import html
import json
import logging
import re
from pathlib import Path
from typing import Any

from ingest.mkdocs.minify import collapse_whitespace
from ingest.mkdocs.searchindex import compact_index
from ingest.output.manifest import MANIFEST, read_manifest
from ingest.transform.policy import clean_html
from ingest.transform.shortcodes import MARKER_PREFIX

log = logging.getLogger("mkdocs.plugins.ingest")

_SYSTEM_NAME_RE = re.compile(re.escape(MARKER_PREFIX) + r"system-name-->")
_SYS_NAME_RE = re.compile(re.escape(MARKER_PREFIX) + r"sys-name-->")
_SYSLINK_RE = re.compile(re.escape(MARKER_PREFIX) + r'syslink text="(?P<text>[^"]*)" query="(?P<query>[^"]*)"-->')
_ONLY_RE = re.compile(re.escape(MARKER_PREFIX) + r'only sys="(?P<sys>[^"]*)"-->(?P<body>.*?)'
                      + re.escape(MARKER_PREFIX) + r"/only-->", re.DOTALL)


#: Whether this process is a `mkdocs serve`, which builds again after every change, and a dirty one
#: (set by ``on_startup``).
serving = False
dirty_serve = False

#: The theme's pages that show no page of the docs: a dirty rebuild keeps the ones already built.
SITE_WIDE_TEMPLATES = frozenset({"404.html", "sitemap.xml", "sitemap.xml.gz"})


def on_startup(command: str, dirty: bool) -> None:
    global serving, dirty_serve
    serving = command == "serve"
    dirty_serve = serving and dirty


def on_config(config: Any) -> Any:
    """Use the synced nav (unless ``nav:`` is written by hand) and add the synced redirects.

    On a `mkdocs serve --dirty` rebuild, the 404 page and the sitemap are not rendered again once
    built (rendering them walks the whole nav: ~0.7 s at 2,000 pages, for pages nobody edits).
    """
    card.load(config["theme"].get_env())  # again on every build, so `mkdocs serve` sees template edits
    if dirty_serve and (Path(config["site_dir"]) / "404.html").is_file():
        config["theme"].static_templates -= SITE_WIDE_TEMPLATES
    manifest = read_manifest(Path(config["docs_dir"]))
    if manifest is None:
        log.warning("%s was not written by the sync (no %s): run `python -m ingest sync EXPORT_DIR` first.",
                    config["docs_dir"], MANIFEST)
        return config
    if not config.get("nav"):
        config["nav"] = manifest.nav or None
    redirects = manifest.redirects
    plugin = config["plugins"].get("redirects")
    if plugin is not None:
        maps = dict(redirects)
        maps.update(plugin.config.get("redirect_maps") or {})  # hand-written ones win
        plugin.config["redirect_maps"] = maps
    elif redirects:
        log.warning("The sync made %d redirect(s) but the 'redirects' plugin is not enabled in mkdocs.yml.", len(redirects))
    return config


def render_markers(markdown: str, extra: dict[str, Any], site_name: str) -> str:
    """Fill in ``system-name``, ``syslink`` and ``only`` from ``extra:``.

    >>> render_markers('Log into <!--ingest:system-name-->.', {"system_name": "Acme EHR"}, "Wiki")
    'Log into Acme EHR.'
    >>> render_markers('<!--ingest:syslink text="Quick View" query="func=omniscope"-->', {"system_url": "https://ehr.example/"}, "W")
    '[Quick View](https://ehr.example/?func=omniscope)'
    >>> render_markers('a<!--ingest:only sys="acme"-->X<!--ingest:/only-->b', {"brand": "other"}, "W")
    'ab'
    """
    system_name = str(extra.get("system_name") or site_name)
    markdown = _SYSTEM_NAME_RE.sub(lambda m: system_name, markdown)
    system_abbr = str(extra.get("system_abbr") or system_name)
    markdown = _SYS_NAME_RE.sub(lambda m: system_abbr, markdown)
    system_url = str(extra.get("system_url") or "")

    def syslink(match: re.Match[str]) -> str:
        text, query = html.unescape(match.group("text")), html.unescape(match.group("query"))
        if not system_url:
            return f"**{text}**"
        joiner = "&" if "?" in system_url else "?"
        return f"[{text}]({system_url}{joiner}{query})" if query else f"[{text}]({system_url})"

    markdown = _SYSLINK_RE.sub(syslink, markdown)
    brand = str(extra.get("brand") or "").strip().casefold()

    def only(match: re.Match[str]) -> str:
        wanted = {part.strip().casefold() for part in html.unescape(match.group("sys")).split(",")}
        return match.group("body") if not brand or brand in wanted else ""

    return _ONLY_RE.sub(only, markdown)


class CardTemplate:
    """The activity card template, loaded once a build (in ``on_config``) from the theme's Jinja environment."""

    name = "partials/activity-card.html"

    def __init__(self) -> None:
        self.template: Any = None

    def load(self, env: Any) -> None:
        self.template = env.get_template(self.name)

    def render(self, page: Any, config: Any) -> str:
        if self.template is None:  # a page rendered without a build's on_config
            self.load(config["theme"].get_env())
        return self.template.render(page=page, config=config)


card = CardTemplate()


def on_page_content(html_text: str, page: Any, config: Any) -> str:
    """Clean the page's HTML with the sync's allow-list (``ingest/sanitize.py``), then put the activity card
    (``overrides/partials/activity-card.html``) before an activity page's body.

    Material adds the title as H1 before the content, so the card comes right after it,
    and search indexes the card too (the ids "IA_AHE_6", "AHE6" find the page).
    """
    html_text = clean_html(html_text)  # the allow-list, once Markdown has rendered (ingest/transform/policy.py)
    activity = page.meta.get("activity")
    if not isinstance(activity, dict) or not activity.get("id"):
        return html_text
    return card.render(page, config) + html_text


def on_nav(nav: Any, config: Any) -> None:
    """Give each section the page its pruned nav entry links to (see ``overrides/partials/nav-item.html``).

    Only with ``navigation.prune`` and without ``navigation.tabs`` or ``navigation.sections``,
    which change how Material writes a section; otherwise the partial renders as Material's.
    """
    features = set(config["theme"].get("features") or ())
    if "navigation.prune" not in features or features & {"navigation.tabs", "navigation.sections"}:
        return
    sections = [item for item in nav.items if item.is_section]
    while sections:
        section = sections.pop()
        first = section.children[0] if section.children else None
        while first is not None and first.children:
            first = first.children[0]
        if first is not None:
            section.ingest_pruned_link = first
        sections.extend(child for child in section.children if child.is_section)


def on_page_markdown(markdown: str, page: Any, config: Any) -> str:
    """Fill markers in; point Material's edit button at the Google Doc; mark plain nav links.

    ``page.ingest_nav_link`` tells ``overrides/partials/nav-item.html`` that the page's nav entry
    is a plain link (no icon, subtitle or status), which it writes without Material's macros.
    """
    page.ingest_nav_link = not any(page.meta.get(key) for key in ("icon", "subtitle", "status"))
    source = page.meta.get("source")
    if isinstance(source, str) and source.startswith("https://"):
        page.edit_url = source
    if MARKER_PREFIX not in markdown:
        return markdown
    return render_markers(markdown, dict(config.get("extra") or {}), config["site_name"])


def on_post_page(output: str) -> str:
    """Drop the templates' indentation from the page (:func:`ingest.mkdocs.minify.collapse_whitespace`)."""
    return collapse_whitespace(output)


def on_post_template(output: str, template_name: str) -> str:
    """The same for the theme's own HTML pages (404.html); sitemap.xml is left as it is."""
    return collapse_whitespace(output) if template_name.endswith(".html") else output


#: URLs of the pages whose search sections stay separate results (FAQ pages); kept across
#: `mkdocs serve --dirty` rebuilds, which see only the pages that changed.
sectioned_pages: set[str] = set()


def on_page_context(page: Any) -> None:
    """Note the FAQ pages: each of their questions stays its own search result."""
    if page.meta.get("faq") is True:
        sectioned_pages.add(page.url)


#: Each search entry's compact form, from the last build to the next under `mkdocs serve` (see ``compact_index``).
_compacted_entries: dict[Any, dict[str, Any]] = {}


def on_post_build(config: Any) -> None:
    """Rewrite the search index Material's search plugin wrote with :func:`ingest.mkdocs.searchindex.compact_index`."""
    path = Path(config["site_dir"]) / "search" / "search_index.json"
    if not path.is_file():  # no search plugin, or it is disabled
        return
    index = json.loads(path.read_text("utf-8"))
    # Only `mkdocs serve` builds again; a one-off build would key every entry for nothing.
    light = compact_index(index, keep_sections=sectioned_pages, memo=_compacted_entries if serving else None)
    path.write_text(json.dumps(light, separators=(",", ":"), ensure_ascii=False), "utf-8")
