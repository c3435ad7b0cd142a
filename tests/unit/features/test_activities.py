"""Tests for ingest/activities.py: reading Improvement Activity docs and laying them out.

Inputs are normalised the way the core pipeline does it (see ``normalised``), so
the cases look like what ``parse_activity`` receives in a real sync.
"""

from __future__ import annotations

import re
from pathlib import Path

import frontmatter
import ftfy
import markdown
import pytest
from helpers import SHARED

from ingest.features.activities import canonical_subcategory, parse_activity, split_activity_id
from ingest.features.activity_body import restructure_activity_body

IA_DIR = "functions/quality-of-care/measures/improvement-activities-measures"
LINK_LINE = "[2018 Improvement Activities Requirements](https://qpp.cms.gov/mips/improvement-activities?py=2018)"


def normalised(text: str) -> tuple[dict, str]:
    """Front matter and body, normalised roughly as ingest/normalize.py does."""
    post = frontmatter.loads(text)
    body = ftfy.fix_text(post.content, uncurl_quotes=False).replace("\xa0", " ")
    return dict(post.metadata), body


def shared_file(pattern: str) -> Path:
    if not SHARED.is_dir():
        pytest.skip(f"shared folder {SHARED} is absent")
    matches = sorted(SHARED.glob(pattern))
    if not matches:
        pytest.skip(f"no file matches {pattern!r} under {SHARED}")
    return matches[0]


def content_lines(body: str) -> list[str]:
    """The lines a restructured page must still contain, without list markers and breaks."""
    kept = []
    for line in body.split("\n"):
        text = re.sub(r"^\s*(?:[-*+]\s+)", "", line).strip()
        text = re.sub(r"^(?:\*\*Description\*\*|Supporting Documentation|Resources)\s*:\s*", "", text)
        if not text or re.match(r"^\*\*(Activity Weighting|Subcategory)", text):
            continue
        if text in ("Supporting Documentation", "Resources"):
            continue
        kept.append(text)
    return kept


def assert_nothing_lost(before: str, after: str, label: str = "") -> None:
    after_lines = {re.sub(r"^\s*(?:[-*+]\s+)", "", line).strip() for line in after.split("\n")}
    lost = [line for line in content_lines(before) if line not in after_lines]
    assert not lost, f"{label}: lines lost by restructure_activity_body: {lost}"


# --- ids in titles ----------------------------------------------------------------------
# label, title, expected (activity_id, cms_id, title)
ID_CASES = [
    ("spaced id", "AHE 6 - Provide Education Opportunities for New Clinicians",
     ("AHE 6", "IA_AHE_6", "Provide Education Opportunities for New Clinicians")),
    ("two-digit number", "PSPA 28 - Completion of an Accredited Program",
     ("PSPA 28", "IA_PSPA_28", "Completion of an Accredited Program")),
    ("no number (PCMH)", "PCMH - Electronic Submission of Patient Centered Medical Home Accreditation",
     ("PCMH", "IA_PCMH", "Electronic Submission of Patient Centered Medical Home Accreditation")),
    ("CMS form", "IA_AHE_6 - Provide Education", ("AHE 6", "IA_AHE_6", "Provide Education")),
    ("compact with colon", "BE12: Use Decision Aids", ("BE 12", "IA_BE_12", "Use Decision Aids")),
    ("hyphenated with en dash", "ERP-2 \u2013 Humanitarian Needs", ("ERP 2", "IA_ERP_2", "Humanitarian Needs")),
    ("trailing full stop kept", "BE 10 - Participation in a QCDR, that Promotes Plans.",
     ("BE 10", "IA_BE_10", "Participation in a QCDR, that Promotes Plans.")),
    ("redirect stub title", "Redirect to: BE 19 - Use Group Visits",
     (None, None, "Redirect to: BE 19 - Use Group Visits")),
    ("unknown unnumbered prefix", "FAQ - Billing", (None, None, "FAQ - Billing")),
    ("plain title", "2018 Improvement Activities", (None, None, "2018 Improvement Activities")),
]


@pytest.mark.parametrize("label, title, expected", ID_CASES, ids=[c[0] for c in ID_CASES])
def test_activity_id_is_split_from_title(label, title, expected):
    assert split_activity_id(title) == expected


# --- field lines ------------------------------------------------------------------------
# label, body, expected (weighting, weighting_raw, subcategory, subcategory_raw, description)
FIELD_CASES = [
    ("lines with two-space breaks",
     "**Activity Weighting**: Medium  \n**Subcategory Name**: Population Management  \n**Description**: Take steps.",
     ("Medium", "Medium", "Population Management", "Population Management", "Take steps.")),
    ("lines without breaks",
     "**Activity Weighting**: High\n**Subcategory Name**: Care Coordination\n**Description**: Coordinate.",
     ("High", "High", "Care Coordination", "Care Coordination", "Coordinate.")),
    ("one paragraph each",
     "**Activity Weighting**: High\n\n**Subcategory Name**: Achieving Health Equity\n\n**Description**:  Precept.",
     ("High", "High", "Achieving Health Equity", "Achieving Health Equity", "Precept.")),
    ("label split in two bold runs",
     "**Activity Weighting**: High\n**Subcategory** **Name**: Achieving Health Equity\n**Description**: Seeing.",
     ("High", "High", "Achieving Health Equity", "Achieving Health Equity", "Seeing.")),
    ("colon inside the bold",
     "**Activity Weighting:** medium\n**Subcategory Name:** Beneficiary Engagement",
     ("Medium", "medium", "Beneficiary Engagement", "Beneficiary Engagement", "")),
    ("misspelt subcategory",
     "**Activity Weighting**: High\n**Subcategory Name**: Achieving Health Equality\n**Description**: Use tools.",
     ("High", "High", "Achieving Health Equity", "Achieving Health Equality", "Use tools.")),
    ("capitalised And",
     "**Activity Weighting**: Medium\n**Subcategory Name**: Emergency Response And Preparedness",
     ("Medium", "Medium", "Emergency Response and Preparedness", "Emergency Response And Preparedness", "")),
    ("Behavior for Behavioral",
     "**Activity Weighting**: High\n**Subcategory Name**: Behavior and Mental Health",
     ("High", "High", "Behavioral and Mental Health", "Behavior and Mental Health", "")),
    ("N/A values",
     "**Activity Weighting**: N/A  \n**Subcategory Name**: N/A  \n**Description**: Submit accreditation.",
     (None, "N/A", None, "N/A", "Submit accreditation.")),
    ("no description label",
     "**Activity Weighting**: High\n**Subcategory Name**: Care Coordination\nCoordinate care.\n\nResources\n[A](a.md)",
     ("High", "High", "Care Coordination", "Care Coordination", "Coordinate care.")),
    ("description before the other fields",
     "**Description**: Coordinate.\n**Activity Weighting**: High\n**Subcategory Name**: Care Coordination\nMore.",
     ("High", "High", "Care Coordination", "Care Coordination", "Coordinate.\nMore.")),
    ("description over several blocks",
     "**Activity Weighting**: High\n**Subcategory Name**: Population Management\n"
     "**Description**: Attest to having:\n* a goal\n* a review\nThe threshold rises.\n\n\nSupporting Documentation\nRecords.",
     ("High", "High", "Population Management", "Population Management",
      "Attest to having:\n\n* a goal\n* a review\n\nThe threshold rises.")),
]


@pytest.mark.parametrize("label, body, expected", FIELD_CASES, ids=[c[0] for c in FIELD_CASES])
def test_field_lines_are_read(label, body, expected):
    activity = parse_activity("AHE 6 - Title", body)
    assert activity is not None
    got = (activity.weighting, activity.weighting_raw, activity.subcategory,
           activity.subcategory_raw, activity.description)
    assert got == expected


# label, raw, canonical
SUBCATEGORY_CASES = [
    ("official", "Patient Safety and Practice Assessment", "Patient Safety and Practice Assessment"),
    ("upper case", "EXPANDED PRACTICE ACCESS", "Expanded Practice Access"),
    ("ampersand", "Behavioral & Mental Health", "Behavioral and Mental Health"),
    ("extra spaces", "Care  Coordination ", "Care Coordination"),
    ("typo", "Beneficiary Engagment", "Beneficiary Engagement"),
    ("not a subcategory", "Quality", None),
    ("empty", "", None),
]


@pytest.mark.parametrize("label, raw, expected", SUBCATEGORY_CASES, ids=[c[0] for c in SUBCATEGORY_CASES])
def test_subcategory_is_made_canonical(label, raw, expected):
    assert canonical_subcategory(raw) == expected


def test_performance_year_comes_from_section_title():
    body = "**Activity Weighting**: High\n**Subcategory Name**: Care Coordination"
    assert parse_activity("CC 1 - X", body, "2019 Improvement Activities").performance_year == 2019
    assert parse_activity("CC 1 - X", body).performance_year is None


def test_meta_holds_fields_and_aliases():
    body = "**Activity Weighting**: High\n**Subcategory Name**: Achieving Health Equity\n**Description**: Act **now**."
    meta = parse_activity("AHE 6 - Provide", body, "2018 Improvement Activities").to_meta()
    assert meta == {
        "activity": {
            "id": "AHE 6", "cms_id": "IA_AHE_6", "title": "Provide", "weighting": "High",
            "weighting_raw": "High", "subcategory": "Achieving Health Equity",
            "subcategory_raw": "Achieving Health Equity", "performance_year": 2018,
            "aliases": ["AHE 6", "AHE6", "ahe-6", "IA_AHE_6"],
            "description": "Act **now**.",
        },
        "description": "Act now.",
    }


# --- documents that are not activities ----------------------------------------------------
# label, title, body
NEGATIVE_CASES = [
    ("redirect stub", "Redirect to: BE 19 - Use Group Visits",
     "Renamed to: [BE 19 - Use Group Visits](be-19-use-group-visits.md)"),
    ("section index", "2018 Improvement Activities", "{{% children %}}"),
    ("prose naming the fields", "FAQ",
     "This activity is listed as Activity ID IA_PSPA_28, Subcategory Name: Patient Safety And Practice "
     "Assessment, with an Activity Weighting of Medium.\n\nResources\n" + LINK_LINE),
    ("id in title but no fields", "AHE 6 - Provide Education", "Some text.\n\nSupporting Documentation\nLogs."),
    ("field inside a code block", "Template",
     "```\n**Activity Weighting**: High\n**Subcategory Name**: Care Coordination\n```"),
]


@pytest.mark.parametrize("label, title, body", NEGATIVE_CASES, ids=[c[0] for c in NEGATIVE_CASES])
def test_non_activity_is_none_and_untouched(label, title, body):
    assert parse_activity(title, body) is None
    assert restructure_activity_body(body) == body


# --- restructuring ------------------------------------------------------------------------

def test_restructure_is_idempotent_and_keeps_other_content():
    body = ("Intro kept.\n\n**Activity Weighting**: High\n**Subcategory Name**: Care Coordination\n"
            "**Description**: Do it.\n\nSupporting Documentation: Records, or\n* logs\n{{% note %}}\n\nNote.\n"
            "{{% /note %}}\n\nResources\n" + LINK_LINE + "\nAsk your QIO.\n")
    out = restructure_activity_body(body)
    assert out == (
        "Intro kept.\n\nDo it.\n\n## Supporting Documentation\n\nRecords, or\n\n* logs\n\n{{% note %}}\n\n"
        "Note.\n{{% /note %}}\n\n## Resources\n\n- " + LINK_LINE + "\n\nAsk your QIO.\n"
    )
    assert restructure_activity_body(out) == out
    assert_nothing_lost(body, out)


def test_seed_000_separate_paragraphs():
    meta, body = normalised(shared_file("seeds/000_*.txt").read_text(encoding="utf-8"))
    activity = parse_activity(meta["title"], body, "2018 Improvement Activities")
    assert (activity.activity_id, activity.cms_id, activity.weighting, activity.subcategory,
            activity.performance_year) == ("AHE 6", "IA_AHE_6", "High", "Achieving Health Equity", 2018)
    assert activity.description.startswith("MIPS eligible clinicians acting as a preceptor")
    assert activity.supporting_documentation.startswith("Documentation of participation as a preceptor")
    assert activity.resources.count("\n- [") == 3 and activity.resources.startswith("- [2018")

    out = restructure_activity_body(body)
    assert out.startswith("MIPS eligible clinicians acting as a preceptor")
    assert "**Activity Weighting**" not in out and "**Subcategory Name**" not in out
    assert_nothing_lost(body, out, "seed 000")
    html = markdown.markdown(out, extensions=["toc"])
    assert html.startswith("<p>MIPS eligible clinicians")
    assert '<h2 id="supporting-documentation">' in html and '<h2 id="resources">' in html
    resources = html.split('<h2 id="resources">Resources</h2>', 1)[1]
    assert resources.count('<li><a href="https://qpp.cms.gov/') == 4


def test_seed_003_consecutive_lines_with_breaks():
    meta, body = normalised(shared_file("seeds/003_*.txt").read_text(encoding="utf-8"))
    activity = parse_activity(meta["title"], body, "2018 Improvement Activities")
    assert (activity.activity_id, activity.weighting, activity.subcategory) == (
        "PM 6", "Medium", "Population Management")
    assert activity.title == "Use of Toolsets or Other Resources to Close Healthcare Disparities Across Communities"
    assert activity.description.startswith("Take steps to improve healthcare disparities")
    assert activity.supporting_documentation.startswith("1. Resources Used to Improve Disparities")
    sections = activity.to_meta()["activity"]
    assert "Documentation of Steps" in sections["supporting_documentation"]
    assert "2019 Improvement Activities Requirements" in sections["resources"]
    assert sections["description"].startswith("Take steps to improve healthcare disparities")

    out = restructure_activity_body(body)
    assert_nothing_lost(body, out, "seed 003")
    html = markdown.markdown(out, extensions=["toc"])
    documentation = html.split('<h2 id="supporting-documentation">', 1)[1].split("<h2", 1)[0]
    assert documentation.count("<ol>") == 1 and documentation.count("<li>") == 2
    resources = html.split('<h2 id="resources">Resources</h2>', 1)[1]
    assert "<ul>" in resources and resources.count("<li><a href=") == 4


# --- the whole corpus ---------------------------------------------------------------------
# Docs that really have no weighting or subcategory value, and what they say instead.
NO_VALUE_DOCS = {
    "pcmh-electronic-submission-of-patient-centered-medical-home-accreditation.md":
        "Activity Weighting and Subcategory Name are both 'N/A' in the doc",
}


def activity_docs(export: str) -> tuple[list[tuple[Path, dict, str]], list[Path]]:
    """(path, meta, body) of each 2018/2019 activity doc, and the redirect stubs left out."""
    folder = SHARED / "corpus" / export / IA_DIR
    if not folder.is_dir():
        pytest.skip(f"corpus folder {folder} is absent")
    docs, stubs = [], []
    for path in sorted(folder.glob("201[89]-improvement-activities/*.md")):
        meta, body = normalised(path.read_text(encoding="utf-8"))
        if meta.get("redirectTo") or body.lstrip().startswith("Renamed to:"):
            stubs.append(path)
        else:
            docs.append((path, meta, body))
    return docs, stubs


@pytest.mark.corpus
@pytest.mark.parametrize("export, expected, expected_stubs", [
    ("quality-of-care-2022", 118, 3),
    ("quality-of-care-2023", 118, 1),
])
def test_corpus_activities_parse_with_weighting_and_subcategory(export, expected, expected_stubs):
    docs, stubs = activity_docs(export)
    parsed, incomplete, not_parsed = 0, [], []
    for path, meta, body in docs:
        activity = parse_activity(meta["title"], body, path.parent.name.replace("-", " "))
        if activity is None:
            not_parsed.append(path.name)
            continue
        parsed += 1
        assert activity.performance_year == int(path.parent.name[:4])
        assert activity.activity_id and activity.description and activity.resources, path.name
        if not (activity.weighting and activity.subcategory):
            incomplete.append(path.name)
            assert path.name in NO_VALUE_DOCS, (
                f"{path.name}: weighting {activity.weighting_raw!r}, subcategory {activity.subcategory_raw!r}")
            assert (activity.weighting_raw, activity.subcategory_raw) == ("N/A", "N/A")
    assert (len(docs), len(stubs)) == (expected, expected_stubs), (
        f"{export}: found {len(docs)} activity docs and {len(stubs)} redirect stubs, "
        f"expected {expected} and {expected_stubs}")
    assert parsed == len(docs), f"{export}: parsed {parsed} of {len(docs)}; not parsed: {not_parsed}"
    assert sorted(incomplete) == sorted(NO_VALUE_DOCS), f"{export}: without weighting/subcategory: {incomplete}"
    for path in stubs:
        meta, body = normalised(path.read_text(encoding="utf-8"))
        assert parse_activity(meta["title"], body) is None, path.name


@pytest.mark.corpus
@pytest.mark.parametrize("export", ["quality-of-care-2022", "quality-of-care-2023"])
def test_corpus_restructure_keeps_content_and_renders_sections(export):
    docs, _ = activity_docs(export)
    for path, meta, body in docs:
        out = restructure_activity_body(body)
        assert_nothing_lost(body, out, path.name)
        assert restructure_activity_body(out) == out, path.name
        html = markdown.markdown(out, extensions=["toc"])
        assert html.startswith("<p>"), f"{path.name}: the description is not the first paragraph"
        assert '<h2 id="supporting-documentation">' in html, path.name
        resources = html.split('<h2 id="resources">Resources</h2>', 1)[1]
        assert resources.startswith("\n<ul>\n<li><a href="), f"{path.name}: resources are not a list"
