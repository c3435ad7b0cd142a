"""Stage 6, catalogue: the site-wide pages built from every activity: the "All activities" index,
its data as JSON and CSV, and the tags index.

The index is one table row per activity (a plain table inside
``div.ingest-activities``, so Material styles it), sortable (tablesort, as
Material's docs suggest) and filterable (``ingest/mkdocs/templates/assets/javascripts/activities.js``); both
re-run on Material's instant navigation.
"""

from __future__ import annotations

import csv
import dataclasses
import html
import io
import json
import re
from dataclasses import dataclass
from typing import Any

from ingest.features.activities import SUBCATEGORIES, Activity, parse_activity
from ingest.features.activity_body import restructure_activity_body
from ingest.files import encode_path, page_url, relative_url
from ingest.model import Document
from ingest.transform.pages import render_page

ACTIVITIES_PAGE = "all-activities.md"
ACTIVITIES_JSON = "activities.json"
ACTIVITIES_CSV = "activities.csv"
TAGS_PAGE = "tags.md"
WEIGHTING_TAG = "{} weighting"

#: Weightings from most to least points, for sorting.
WEIGHTING_ORDER = ("High", "Medium", "Low")

#: Columns of activities.json and activities.csv, in order.
FIELDS = ("id", "cms_id", "title", "subcategory", "weighting", "performance_year", "description", "url", "source")


@dataclass(frozen=True)
class CatalogEntry:
    """One activity page of the site."""

    activity: Activity
    title: str
    """The page title, e.g. 'AHE 6 - Provide Education Opportunities for New Clinicians'."""

    dest: str
    """The page's path in the docs_dir."""

    source: str = ""
    """The Google Doc's URL."""


def activity_tags(activity: Activity) -> list[str]:
    """Material tags for an activity page: its subcategory and its weighting.

    >>> activity_tags(Activity(activity_id="AHE 6", subcategory="Achieving Health Equity", weighting="High"))
    ['Achieving Health Equity', 'High weighting']
    """
    tags = []
    if activity.subcategory:
        tags.append(activity.subcategory)
    if activity.weighting:
        tags.append(WEIGHTING_TAG.format(activity.weighting))
    return tags


def natural_key(activity_id: str | None) -> str:
    """A sort key that puts 'AHE 2' before 'AHE 10'.

    >>> sorted(["AHE 10", "AHE 2", "BE 1"], key=natural_key)
    ['AHE 2', 'AHE 10', 'BE 1']
    """
    return re.sub(r"\d+", lambda m: m.group(0).zfill(6), (activity_id or "").upper())


def rows(entries: list[CatalogEntry]) -> list[dict[str, Any]]:
    """One dict per activity, sorted by id: the data behind the table, the JSON and the CSV."""
    out = []
    for entry in sorted(entries, key=lambda e: (natural_key(e.activity.activity_id), e.title)):
        a = entry.activity
        out.append({
            "id": a.activity_id, "cms_id": a.cms_id, "title": a.title or entry.title,
            "subcategory": a.subcategory, "weighting": a.weighting, "performance_year": a.performance_year,
            "description": a.summary, "url": page_url(entry.dest), "source": entry.source,
        })
    return out


def activities_json(data: list[dict[str, Any]]) -> str:
    return json.dumps({"activities": data, "count": len(data)}, indent=1, ensure_ascii=False) + "\n"


def activities_csv(data: list[dict[str, Any]]) -> str:
    """CSV with a header row; spreadsheet apps open it as it is."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=FIELDS, lineterminator="\n")
    writer.writeheader()
    for row in data:
        writer.writerow({key: "" if row.get(key) is None else row[key] for key in FIELDS})
    return buffer.getvalue()


def activities_page(entries: list[CatalogEntry]) -> str:
    """The Markdown body of the "All activities" page: filters, then the table."""
    data = rows(entries)
    by_dest = {page_url(e.dest): e for e in entries}
    subcategories = sorted({row["subcategory"] for row in data if row["subcategory"]},
                           key=lambda s: list(SUBCATEGORIES.values()).index(s) if s in SUBCATEGORIES.values() else 99)
    weightings = sorted({row["weighting"] for row in data if row["weighting"]}, key=_weighting_rank)
    years = sorted({row["performance_year"] for row in data if row["performance_year"]})
    lines = [
        f"{len(data)} improvement activities. Click a column heading to sort; type or choose to filter. "
        f"The same data: [{ACTIVITIES_JSON}]({ACTIVITIES_JSON}) · [{ACTIVITIES_CSV}]({ACTIVITIES_CSV}).",
        "",
        '<div class="ingest-activity-filters" role="search" data-search-exclude>',
        '<input type="search" data-filter="text" placeholder="Filter by id, title or description" aria-label="Filter activities">',
        f'<select data-filter="subcategory" aria-label="Subcategory">{_options(subcategories, "All subcategories")}</select>',
        f'<select data-filter="weighting" aria-label="Weighting">{_options(weightings, "All weightings")}</select>',
        f'<select data-filter="year" aria-label="Performance year">{_options(years, "All years")}</select>',
        f'<span class="ingest-activity-filters__count" data-filter-count aria-live="polite">{len(data)} of {len(data)}</span>',
        "</div>",
        "",
        '<div class="ingest-activities" data-search-exclude>',  # each row is its own page's result
        '<table>',
        '<thead><tr><th data-sort-default>ID</th><th>Activity</th><th>Subcategory</th><th>Weighting</th>'
        '<th data-sort-method="number">Year</th></tr></thead>',
        '<tbody>',
    ]
    for row in data:
        entry = by_dest[row["url"]]
        search = " ".join(str(row[k] or "") for k in ("id", "cms_id", "title", "subcategory", "description")).casefold()
        link = encode_path(relative_url(ACTIVITIES_PAGE, entry.dest))
        title = html.escape(row["title"] or entry.title)
        lines.append(
            f'<tr data-subcategory="{html.escape(row["subcategory"] or "")}" '
            f'data-weighting="{html.escape(row["weighting"] or "")}" data-year="{row["performance_year"] or ""}" '
            f'data-search="{html.escape(search)}">'
            f'<td data-sort="{natural_key(row["id"])}">{html.escape(row["id"] or "")}</td>'
            f'<td><a href="{html.escape(link)}">{title}</a></td>'
            f'<td>{html.escape(row["subcategory"] or "—")}</td>'
            f'<td data-sort="{_weighting_rank(row["weighting"])}">{_badge(row["weighting"])}</td>'
            f'<td>{row["performance_year"] or ""}</td></tr>'
        )
    lines += ["</tbody>", "</table>", "</div>", "",
              '<p class="ingest-activity-filters__empty" hidden>No activity matches these filters.</p>', "",
              f"Activities by subcategory and weighting: [Tags]({TAGS_PAGE})."]
    return "\n".join(lines)


def _weighting_rank(weighting: str | None) -> int:
    return WEIGHTING_ORDER.index(weighting) if weighting in WEIGHTING_ORDER else len(WEIGHTING_ORDER)


def _options(values: list[Any], label: str) -> str:
    """A select's options: 'all' first, then one per value."""
    choices = "".join(f'<option value="{html.escape(str(v))}">{html.escape(str(v))}</option>' for v in values)
    return f'<option value="">{label}</option>' + choices


def _badge(weighting: str | None) -> str:
    if not weighting:
        return "—"
    return f'<span class="ingest-badge ingest-badge--{weighting.lower()}">{html.escape(weighting)}</span>'


def tags_page() -> str:
    """The tags index: Material's tags plugin fills the listing in."""
    return ("Every activity is tagged with its subcategory and its weighting. "
            f"See also [All activities]({ACTIVITIES_PAGE}).\n\n<!-- material/tags -->\n")


def as_activity_page(doc: Document, section_title: str | None) -> tuple[Document, CatalogEntry | None]:
    """An Improvement Activity doc: fields to front matter and tags, sections to headings; and its catalogue entry.

    ``section_title`` is the nav section it is in ("2018 Improvement Activities" gives its year).
    """
    activity = parse_activity(doc.title, doc.body, section_title)
    if activity is None:
        return doc, None
    meta = dict(doc.meta)
    for key, value in activity.to_meta().items():
        meta.setdefault(key, value)
    meta["tags"] = list(dict.fromkeys([*(meta.get("tags") or []), *activity_tags(activity)]))
    meta.setdefault("search", {"boost": 2})
    entry = CatalogEntry(activity, doc.title, doc.dest, str(doc.meta.get("source") or ""))
    body = restructure_activity_body(doc.body)
    return dataclasses.replace(doc, body=body, meta=meta, fixes=doc.fixes + ("activity",)), entry


@dataclass(frozen=True)
class Catalogue:
    """The site-wide pages of the activities: "All activities", the tags index, the data files, their nav."""

    pages: dict[str, str]
    """Page path → its Markdown file."""

    data_files: dict[str, str]
    """activities.json and activities.csv → their text."""

    nav: list[Any]
    """The site's nav with the two pages in it, before the FAQ."""


def catalogue(entries: list[CatalogEntry], nav: list[Any], faq_dests: set[str]) -> Catalogue:
    """The "All activities" page, its JSON and CSV, and the tags index; in the nav before the FAQ."""
    data = rows(entries)
    pages = {
        ACTIVITIES_PAGE: render_page({"title": "All activities", "generated": True, "search": {"boost": 0.5},
                                      "hide": ["toc"]}, activities_page(entries)),
        # a list of page titles: each is its page's own search result
        TAGS_PAGE: render_page({"title": "Tags", "generated": True, "search": {"exclude": True}}, tags_page()),
    }
    position = next((i for i, item in enumerate(nav)
                     if isinstance(item, dict) and any(v in faq_dests for v in item.values() if isinstance(v, str))),
                    len(nav))
    return Catalogue(pages, {ACTIVITIES_JSON: activities_json(data), ACTIVITIES_CSV: activities_csv(data)},
                     nav[:position] + [{"All activities": ACTIVITIES_PAGE}, {"Tags": TAGS_PAGE}] + nav[position:])
