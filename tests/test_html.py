"""Stage 4b (ingest/html.py): raw HTML tables render, safely, with the Markdown left in their cells."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup

from ingest.html import clean_table, render_tables
from ingest.model import Document

# The corpus style: one <td> a line and a blank line before </table>.
CORPUS_TABLE = """\
Before the table.

<table>
<tr>
<td><strong>Field</strong></td>
<td><strong>Meaning</strong></td>
</tr>
<tr>
<td>**Activity ID**</td>
<td>See [PM 6](pm-6.md) or the [CMS list](https://qpp.cms.gov/mips).</td>
</tr>

</table>

After the table.
"""


def rendered(body: str, render_markdown) -> BeautifulSoup:
    doc = render_tables(Document("a.md", {"id": "1a", "title": "A"}, body))
    return BeautifulSoup(render_markdown(doc.body), "html.parser")


def test_markdown_inside_cells_renders(render_markdown):
    soup = rendered(CORPUS_TABLE, render_markdown)
    (table,) = soup.find_all("table")
    cells = table.find_all("td")
    assert len(cells) == 4
    assert cells[2].find("strong").get_text() == "Activity ID"
    assert [a["href"] for a in cells[3].find_all("a")] == ["pm-6.md", "https://qpp.cms.gov/mips"]
    assert "**" not in table.get_text() and "](" not in table.get_text()


def test_text_around_the_table_stays_paragraphs(render_markdown):
    soup = rendered(CORPUS_TABLE, render_markdown)
    assert [p.get_text() for p in soup.find_all("p", recursive=False)] == ["Before the table.", "After the table."]


def test_table_cells_are_marked_for_md_in_html():
    soup = BeautifulSoup(clean_table("<table><tr><th>H</th></tr><tr><td>x</td></tr></table>"), "html.parser")
    for tag in soup.find_all(["table", "tr", "td", "th"]):
        assert tag.get("markdown") == "1", tag.name


@pytest.mark.parametrize("dirty, forbidden", [
    ('<table><tr><td onclick="steal()">x</td></tr></table>', "onclick"),
    ("<table><tr><td>x<script>alert(1)</script></td></tr></table>", "<script"),
    ('<table><tr><td><a href="javascript:alert(1)">x</a></td></tr></table>', "javascript:"),
    ('<table style="position:fixed"><tr><td>x</td></tr></table>', "style="),
    ('<table><tr><td><img src="a.png" onerror="x()"></td></tr></table>', "onerror"),
    ('<table><tr><td><iframe src="https://evil.example"></iframe></td></tr></table>', "<iframe"),
], ids=["event handler", "script", "javascript url", "style", "img onerror", "iframe"])
def test_table_is_sanitised(dirty, forbidden):
    cleaned = clean_table(dirty)
    assert forbidden not in cleaned.lower()
    assert "<td" in cleaned


def test_table_keeps_spans_and_links():
    cleaned = clean_table('<table><tr><td colspan="2"><a href="https://qpp.cms.gov">QPP</a></td></tr></table>')
    cell = BeautifulSoup(cleaned, "html.parser").find("td")
    assert cell["colspan"] == "2"
    assert cell.find("a")["href"] == "https://qpp.cms.gov"


def test_table_in_code_is_left_alone():
    body = "```html\n<table><tr><td onclick=\"x()\">a</td></tr></table>\n```\n"
    assert render_tables(Document("a.md", {"id": "1a", "title": "A"}, body)).body == body


def test_doc_without_table_is_unchanged():
    doc = Document("a.md", {"id": "1a", "title": "A"}, "No <strong>tables</strong> here.\n")
    assert render_tables(doc) is doc
