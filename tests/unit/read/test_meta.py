"""Front matter checks (ingest/meta.py): each key the theme or the sync reads is repaired or dropped, with its line."""

from __future__ import annotations

import datetime

import pytest

from ingest.read.meta import check_front_matter
from ingest.transform.policy import escape_text as escape_html

LINES = {"id": 2, "title": 3, "menu": 4, "date": 5, "tags": 6, "hide": 7, "search": 8, "source": 9, "icon": 10}

CASES = [
    # (label, front matter, what it becomes (keys that change), problems as (line, kind))
    ("good", {"id": "1a", "title": "A", "date": "2023-03-21T16:40:02.733Z", "menu": {"main": {"parent": "1b"}}},
     {"id": "1a", "title": "A"}, []),
    ("a YAML date", {"id": "1a", "title": "A", "date": datetime.date(2023, 1, 2)}, {"date": datetime.date(2023, 1, 2)},
     []),
    ("number id", {"id": 12345, "title": "A"}, {"id": "12345"}, []),
    ("bool title", {"id": "1a", "title": True}, {"title": "Body heading"}, [(3, "invalid-title")]),
    ("date that does not exist", {"id": "1a", "title": "A", "date": "2022-02-30"}, {"date": None}, [(5, "invalid-date")]),
    ("comma tags", {"id": "1a", "title": "A", "tags": "a, b,"}, {"tags": ["a", "b"]}, []),
    ("list of mappings as tags", {"id": "1a", "title": "A", "tags": [{"a": 1}]}, {"tags": None}, [(6, "invalid-tags")]),
    ("hide as one word", {"id": "1a", "title": "A", "hide": "toc"}, {"hide": ["toc"]}, []),
    ("search boost text", {"id": "1a", "title": "A", "search": {"boost": "high"}}, {"search": None},
     [(8, "invalid-theme-setting")]),
    ("search exclude", {"id": "1a", "title": "A", "search": {"exclude": True}}, {"search": {"exclude": True}}, []),
    ("icon", {"id": "1a", "title": "A", "icon": "material/x"}, {"icon": None}, [(10, "invalid-theme-setting")]),
    ("source not a web address", {"id": "1a", "title": "A", "source": "file:///etc/passwd"}, {"source": None},
     [(9, "unsafe-url")]),
    ("menu shorthand", {"id": "1a", "title": "A", "menu": ["main", "footer"]}, {"menu": ["main", "footer"]}, []),
    ("menu parent mapping", {"id": "1a", "title": "A", "menu": {"main": {"parent": {"x": 1}}}}, {"menu": None},
     [(4, "invalid-menu")]),
]


@pytest.mark.parametrize("label, meta, becomes, problems", CASES, ids=[c[0] for c in CASES])
def test_front_matter_checks(label, meta, becomes, problems):
    checked, found = check_front_matter("a.md", meta, LINES, "# Body heading\n", True)
    for key, value in becomes.items():
        assert checked.get(key) == value, key
    assert [(p.line, p.kind) for p in found] == problems


def test_a_doc_without_front_matter_gets_id_and_title_quietly():
    checked, found = check_front_matter("guides/plain.txt", {}, {}, "First line\n", False)
    assert checked["title"] == "First line" and checked["id"].startswith("path-") and found == []


def test_directory_entry_names_a_doc_without_front_matter():
    checked, found = check_front_matter("a.md", {}, {}, "", True, {"id": "1dir", "title": "From Drive"})
    assert (checked["id"], checked["title"], found) == ("1dir", "From Drive", [])


def test_escaped_values_show_the_same_text():
    from bs4 import BeautifulSoup

    title = 'LVEF <40% & "quoted" <script>x</script>'
    html = f'<title>{escape_html(title)}</title><meta name="description" content="{escape_html(title)}">'
    soup = BeautifulSoup(html, "html.parser")
    assert soup.title.get_text() == title and soup.meta["content"] == title and soup.script is None
