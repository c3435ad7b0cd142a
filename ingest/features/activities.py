"""Stage 5a, activities: MIPS Improvement Activity pages: read their fields, then lay the page out.

The quality-of-care export has one Google Doc per CMS Improvement Activity,
typed by hand from one template: ``**Activity Weighting**: High``,
``**Subcategory Name**: ...`` and ``**Description**: ...`` lines (one after
another, with or without two-space breaks, or one paragraph each; the label is
sometimes split in two bold runs), then plain "Supporting Documentation" and
"Resources" lines, each followed by a list, a paragraph or one link a line.
Some values are 'N/A', one subcategory is misspelt and casing varies.

- :func:`parse_activity` reads the fields into an :class:`Activity`, or gives
  None for any other document (redirect stubs included).
- :func:`restructure_activity_body` (``activity_body``) rewrites the body for the page: the field
  lines go (a metadata card shows them), the description is the first
  paragraph, and the two sections get ``##`` headings and real lists.

Both take a body already normalised by the core pipeline. Parse first: the
restructured body no longer has the field lines.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from typing import Any

from ingest.chardata import LIST_START_RE, SHORTCODE_START_RE
from ingest.features.activity_body import join_lines, resources_list, separate_blocks, split_parts

#: The official CMS subcategory names, keyed by the id prefix CMS uses for them.
SUBCATEGORIES: dict[str, str] = {
    "AHE": "Achieving Health Equity",
    "BMH": "Behavioral and Mental Health",
    "BE": "Beneficiary Engagement",
    "CC": "Care Coordination",
    "ERP": "Emergency Response and Preparedness",
    "EPA": "Expanded Practice Access",
    "PSPA": "Patient Safety and Practice Assessment",
    "PM": "Population Management",
}

#: Spellings seen in the export that are not a case variant of an official name.
SUBCATEGORY_ALIASES: dict[str, str] = {
    "achieving health equality": "Achieving Health Equity",
    "behavior and mental health": "Behavioral and Mental Health",
    "behavioural and mental health": "Behavioral and Mental Health",
}

#: Activity id prefixes accepted in a title without a number ("PCMH - ...").
UNNUMBERED_PREFIXES = frozenset(SUBCATEGORIES) | {"PCMH"}

#: Values that mean "no value" in a field line.
NO_VALUE = frozenset({"", "n/a", "na", "none", "-", "tbd"})

# "AHE 6 - Title", "AHE6: Title", "IA_AHE_6 - Title", "PCMH - Title".
TITLE_ID_RE = re.compile(
    r"^\s*(?:IA[ _-])?(?P<prefix>[A-Z]{2,5})(?:[ _-]?(?P<number>\d{1,3}))?"
    r"(?:\s*[-\u2013\u2014:]\s*(?P<title>.*?))?\s*$"
)
YEAR_RE = re.compile(r"(?<!\d)((?:19|20)\d\d)(?!\d)")
INLINE_LINK_RE = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
BOLD_MARK_RE = re.compile(r"\*\*|__")

_OFFICIAL = {name.casefold(): name for name in SUBCATEGORIES.values()}


@dataclass(frozen=True, kw_only=True)
class Activity:
    """The fields of one Improvement Activity document."""

    activity_id: str | None = None
    """The id as the export titles it, e.g. 'AHE 6' or 'PCMH'; None if the title has none."""

    cms_id: str | None = None
    """The id in CMS's own form, e.g. 'IA_AHE_6' or 'IA_PCMH'."""

    title: str = ""
    """The document title without the id prefix."""

    weighting: str | None = None
    """'High' or 'Medium' (title case), or None when the doc says 'N/A' or has no weighting line."""

    weighting_raw: str | None = None
    """The weighting exactly as written, e.g. 'N/A'; None when there is no weighting line."""

    subcategory: str | None = None
    """The official CMS subcategory name (see :data:`SUBCATEGORIES`), or None if unknown or 'N/A'."""

    subcategory_raw: str | None = None
    """The subcategory exactly as written, e.g. 'Achieving Health Equality'."""

    performance_year: int | None = None
    """The year from the section the doc sits in ('2018 Improvement Activities'), if given."""

    description: str = ""
    """The description as Markdown: the text after the label and anything up to the next section."""

    supporting_documentation: str = ""
    """The 'Supporting Documentation' section as Markdown, without its label ('' if absent)."""

    resources: str = ""
    """The 'Resources' section as Markdown, as a bulleted list of links, without its label."""

    @property
    def search_aliases(self) -> tuple[str, ...]:
        """Ways people type the id: 'AHE 6', 'AHE6', 'ahe-6', 'IA_AHE_6'.

        >>> Activity(activity_id="AHE 6", cms_id="IA_AHE_6").search_aliases
        ('AHE 6', 'AHE6', 'ahe-6', 'IA_AHE_6')
        >>> Activity(activity_id="PCMH", cms_id="IA_PCMH").search_aliases, Activity().search_aliases
        (('PCMH', 'pcmh', 'IA_PCMH'), ())
        """
        if not self.activity_id:
            return ()
        forms = [self.activity_id, self.activity_id.replace(" ", ""),
                 self.activity_id.lower().replace(" ", "-"), self.cms_id or ""]
        return tuple(dict.fromkeys(form for form in forms if form))

    @property
    def summary(self) -> str:
        """The first paragraph of the description as plain text, for a meta description.

        >>> Activity(description="Use **QCDR** [data](x.md).\\nMore.\\n\\n- a").summary
        'Use QCDR data. More.'
        >>> Activity(description="Submit data.\\n{{% note %}}\\nAn aside.").summary
        'Submit data.'
        """
        first = self.description.strip().split("\n\n", 1)[0]
        first = SHORTCODE_START_RE.split(first, 1)[0]  # a note or other block is not part of the summary
        text = " ".join(line for line in first.split("\n") if not LIST_START_RE.match(line))
        return " ".join(BOLD_MARK_RE.sub("", INLINE_LINK_RE.sub(r"\1", text)).split())

    def to_meta(self) -> dict[str, Any]:
        """Front matter for the page: an ``activity`` mapping (every extracted field, the
        description and sections as Markdown) and a plain-text ``description``.

        Values that are None are left out. The caller merges this into the
        document's front matter without overwriting keys it already has.

        >>> meta = Activity(activity_id="AHE 6", cms_id="IA_AHE_6", weighting="High",
        ...                  weighting_raw="High", description="Act.").to_meta()
        >>> meta["activity"]["cms_id"], meta["activity"]["aliases"], meta["description"]
        ('IA_AHE_6', ['AHE 6', 'AHE6', 'ahe-6', 'IA_AHE_6'], 'Act.')
        """
        activity = {
            "id": self.activity_id, "cms_id": self.cms_id, "title": self.title,
            "weighting": self.weighting, "weighting_raw": self.weighting_raw,
            "subcategory": self.subcategory, "subcategory_raw": self.subcategory_raw,
            "performance_year": self.performance_year, "aliases": list(self.search_aliases) or None,
            "description": self.description or None,
            "supporting_documentation": self.supporting_documentation or None,
            "resources": self.resources or None,
        }
        meta: dict[str, Any] = {"activity": {k: v for k, v in activity.items() if v is not None}}
        if self.summary:
            meta["description"] = self.summary
        return meta


def split_activity_id(title: str) -> tuple[str | None, str | None, str]:
    """Split a title into (activity_id, cms_id, title without the id).

    A numbered prefix of 2-5 capitals is accepted; without a number only the
    known prefixes are (so 'FAQ - Billing' is not taken for an activity).

    >>> split_activity_id("AHE 6 - Provide Education Opportunities for New Clinicians")
    ('AHE 6', 'IA_AHE_6', 'Provide Education Opportunities for New Clinicians')
    >>> split_activity_id("IA_PSPA_28: Completion of a Program")
    ('PSPA 28', 'IA_PSPA_28', 'Completion of a Program')
    >>> split_activity_id("PCMH - Electronic Submission")
    ('PCMH', 'IA_PCMH', 'Electronic Submission')
    >>> split_activity_id("FAQ - Billing")
    (None, None, 'FAQ - Billing')
    """
    match = TITLE_ID_RE.match(title)
    if not match:
        return None, None, title.strip()
    prefix, number = match.group("prefix"), match.group("number")
    if number is None and (prefix not in UNNUMBERED_PREFIXES or match.group("title") is None):
        return None, None, title.strip()
    if number is None:
        return prefix, f"IA_{prefix}", match.group("title")
    number = str(int(number))
    return f"{prefix} {number}", f"IA_{prefix}_{number}", match.group("title") or ""


def canonical_subcategory(raw: str | None) -> str | None:
    """The official CMS name for a subcategory as written in a doc, or None.

    Case and spacing are ignored, known misspellings are mapped, and a close
    match (difflib ratio of at least 0.9) is accepted; 'N/A' gives None.

    >>> canonical_subcategory("Emergency Response And Preparedness")
    'Emergency Response and Preparedness'
    >>> canonical_subcategory("Achieving Health Equality"), canonical_subcategory("Care Cordination")
    ('Achieving Health Equity', 'Care Coordination')
    >>> canonical_subcategory("N/A"), canonical_subcategory("Billing")
    (None, None)
    """
    key = " ".join((raw or "").replace("&", "and").split()).casefold()
    if key in NO_VALUE:
        return None
    if key in _OFFICIAL:
        return _OFFICIAL[key]
    if key in SUBCATEGORY_ALIASES:
        return SUBCATEGORY_ALIASES[key]
    close = difflib.get_close_matches(key, list(_OFFICIAL), n=1, cutoff=0.9)
    return _OFFICIAL[close[0]] if close else None


def canonical_weighting(raw: str | None) -> str | None:
    """'High' or 'Medium' in title case; None for 'N/A' or anything else.

    >>> canonical_weighting("high"), canonical_weighting("Medium  "), canonical_weighting("N/A")
    ('High', 'Medium', None)
    """
    value = (raw or "").strip().capitalize()
    return value if value in ("High", "Medium") else None


def performance_year(section_title: str | None) -> int | None:
    """The year in a section title such as '2018 Improvement Activities'.

    >>> performance_year("2019 Improvement Activities"), performance_year("Measures")
    (2019, None)
    """
    match = YEAR_RE.search(section_title or "")
    return int(match.group(1)) if match else None


def parse_activity(title: str, body: str, section_title: str | None = None) -> Activity | None:
    """Read an Improvement Activity document, or return None if ``body`` is not one.

    A document is an activity when its body has an "Activity Weighting" or a
    "Subcategory Name" field line; nothing is made up for other documents, so
    redirect stubs ('Renamed to: ...') and index pages give None.

    >>> a = parse_activity("AHE 6 - Provide Education", "**Activity Weighting**: High  \\n"
    ...     "**Subcategory** **Name**: Achieving Health Equality  \\n**Description**: Precept.\\n\\n"
    ...     "Supporting Documentation\\n1. Logs\\n\\nResources\\n[Fact sheet](https://x.org)",
    ...     "2018 Improvement Activities")
    >>> a.activity_id, a.weighting, a.subcategory, a.subcategory_raw, a.performance_year
    ('AHE 6', 'High', 'Achieving Health Equity', 'Achieving Health Equality', 2018)
    >>> a.description, a.supporting_documentation, a.resources
    ('Precept.', '1. Logs', '- [Fact sheet](https://x.org)')
    >>> parse_activity("BE 19", "Renamed to: [BE 19](be-19.md)") is None
    True
    """
    split = split_parts(body)
    if split is None:
        return None
    fields, head, description_start, sections = split
    activity_id, cms_id, short_title = split_activity_id(title)
    weighting_raw, subcategory_raw = fields.get("weighting"), fields.get("subcategory")
    return Activity(
        activity_id=activity_id, cms_id=cms_id, title=short_title,
        weighting=canonical_weighting(weighting_raw), weighting_raw=weighting_raw,
        subcategory=canonical_subcategory(subcategory_raw), subcategory_raw=subcategory_raw,
        performance_year=performance_year(section_title),
        description=join_lines(separate_blocks(head[description_start:])),
        supporting_documentation=join_lines(separate_blocks(sections.get("supporting documentation", []))),
        resources=join_lines(resources_list(sections.get("resources", []))),
    )


