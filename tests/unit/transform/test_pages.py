"""Stage 6 (ingest/pages.py): the title is the page's only H1, and pages are written with front matter."""

from __future__ import annotations

import re

import pytest
import yaml

from ingest.read.export import read_export
from ingest.site.build import build_site
from ingest.transform.pages import fill_children, render_page, settle_headings

HEADINGS = [
    # label, title, body, expected
    ("opening H1 repeating the title is dropped", "Getting Started",
     "# Getting Started\n\nThis guide takes you through it.\n\n## Before You Begin\n",
     "This guide takes you through it.\n\n## Before You Begin\n"),
    ("repeat with different case and emphasis", "Getting Started",
     "\n# **getting started**\n\nText\n", "Text\n"),
    ("other H1s are demoted with everything under them", "Guide",
     "# Part one\n\n## Detail\n\n###### Deepest\n\n# Part two\n",
     "## Part one\n\n### Detail\n\n###### Deepest\n\n## Part two\n"),
    ("title H1 that is not first is demoted, not dropped", "Guide",
     "Intro\n\n# Guide\n\ntext\n", "Intro\n\n## Guide\n\ntext\n"),
    ("no H1: headings stay", "Guide", "## A\n\n### B\n", "## A\n\n### B\n"),
    ("hash lines in code are not headings", "Guide",
     "# Setup\n\n```bash\n# install it\npip install x\n```\n", "## Setup\n\n```bash\n# install it\npip install x\n```\n"),
    ("hashtag is not a heading", "Guide", "#quality matters\n", "#quality matters\n"),
]


@pytest.mark.parametrize("label, title, body, expected", HEADINGS, ids=[c[0] for c in HEADINGS])
def test_title_is_the_only_h1(label, title, body, expected):
    assert settle_headings(body, title) == expected


@pytest.mark.parametrize("label, title, body, expected", HEADINGS, ids=[c[0] for c in HEADINGS])
def test_settling_headings_twice_changes_nothing_more(label, title, body, expected):
    once = settle_headings(body, title)
    assert settle_headings(once, title) == once


def test_children_marker_is_replaced_by_list():
    from ingest.transform.shortcodes import MARKER_PREFIX

    body = f"Intro\n\n{MARKER_PREFIX}children-->\n"
    assert "- [A](a.md)\n- [B \\[draft\\]](b.md)" in fill_children(body, [("A", "a.md"), ("B [draft]", "b.md")])
    assert "<!--" not in fill_children(body, [])


def test_rendered_page_front_matter_round_trips():
    meta = {"title": "It's: “quoted”", "date": "2023-03-21T16:40:02.733Z", "version": 58, "tags": ["a", "b"],
            "search": {"boost": 2}}
    text = render_page(meta, "\n\nBody line\n\n")
    front, body = re.match(r"---\n(.*?)---\n(.*)", text, re.DOTALL).groups()
    assert yaml.safe_load(front) == meta
    assert body == "\nBody line\n"


def test_synced_page_has_title_in_front_matter_and_no_duplicate_h1(make_export):
    root = make_export({
        "index.md": ({"id": "1home", "title": "Home"}, "Welcome\n"),
        "guide.md": ({"id": "1guide", "title": "Setup Guide", "date": "2023-03-21T16:40:02.733Z", "version": 7},
                     "# Setup Guide\n\nFirst paragraph.\n\n# Install\n\nSteps.\n"),
    })
    page = build_site(read_export(root)).pages["guide.md"]
    front = yaml.safe_load(page.split("---\n", 2)[1])
    body = page.split("---\n", 2)[2]
    assert (front["title"], front["version"]) == ("Setup Guide", 7)
    assert str(front["date"]).startswith("2023-03-21")
    assert not re.search(r"^# ", body, re.MULTILINE)
    assert "## Install" in body and body.strip().startswith("First paragraph.")
