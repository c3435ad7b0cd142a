"""Stage 4a (ingest/shortcodes.py): Hugo shortcodes to Material Markdown, checked on the rendered HTML."""

from __future__ import annotations

import textwrap

import pytest
from bs4 import BeautifulSoup

from ingest.mkdocs.markers import render_markers
from ingest.model import Document
from ingest.read.document import parse_document
from ingest.read.export import read_export
from ingest.settings import resolve_settings
from ingest.site.build import build_site
from ingest.transform.normalize import normalize
from ingest.transform.shortcodes import convert_shortcodes

EXTRA = {"system_name": "Acme EHR", "system_url": "", "brand": "acme"}


def _render(body: str, options: dict, site_name: str) -> str:
    """The markers filled in with the plugin's ``options`` on a site called ``site_name``."""
    return render_markers(body, resolve_settings(options, set(options), {}, site_name)[0])


def doc(body: str, source: str = "guides/page.md") -> Document:
    return Document(source, {"id": "1pageAAAAAAAAAAAAAAAAA", "title": "Page"}, textwrap.dedent(body))


def convert(body: str) -> tuple[str, list]:
    converted, problems = convert_shortcodes(doc(body))
    return converted.body, problems


@pytest.fixture
def html(render_markdown):
    """Convert the shortcodes of a body (after normalising it), fill the hook's markers, render."""
    def run(body: str, extra: dict = EXTRA) -> BeautifulSoup:
        converted, problems = convert_shortcodes(normalize(doc(body)))
        assert [p for p in problems if p.kind != "unclosed-shortcode"] == []
        return BeautifulSoup(render_markdown(_render(converted.body, extra, "Wiki")), "html.parser")

    return run


# --- admonitions ------------------------------------------------------------------------------

@pytest.mark.parametrize("name", ["note", "info", "tip", "warning"])
def test_callout_becomes_admonition(html, name):
    soup = html(f"""\
        Before.

        {{{{% {name} %}}}}
        Only users with the <strong>Quality Administrator</strong> role can enroll.
        {{{{% /{name} %}}}}

        After.
        """)
    (box,) = soup.select("div.admonition")
    assert name in box["class"]
    assert "Only users with the" in box.get_text() and box.find("strong")
    assert "{{%" not in str(soup)
    assert [p.get_text() for p in soup.find_all("p", recursive=False)] == ["Before.", "After."]


def test_admonition_keeps_markdown_inside(html):
    soup = html("{{% warning %}}\nSee **bold** and [a link](other.md).\n{{% /warning %}}\n")
    box = soup.select_one("div.admonition.warning")
    assert box.find("strong").get_text() == "bold"
    assert box.find("a")["href"] == "other.md"


def test_admonition_in_numbered_step_stays_in_the_step(html):
    soup = html("""\
        1. Open the **Quick View** and find the portlet.
           {{% tip %}}
           No portlet? Click <strong>Select Portlets</strong>.
           <img src="a.assets/b.png" />
           {{% /tip %}}
        2. Click <strong>Enroll</strong>.
        3. Type the provider names.
        4. Click <strong>Submit</strong>.
        """)
    (ol,) = soup.find_all("ol")
    items = ol.find_all("li", recursive=False)
    assert len(items) == 4
    assert items[0].select_one("div.admonition.tip") is not None
    assert "Select Portlets" in items[0].get_text()
    assert items[1].get_text().strip().startswith("Click")


def test_admonition_inside_bullet_item_with_two_space_indent(html):
    soup = html("- First\n  {{% note %}}\n  Inside\n  {{% /note %}}\n- Second\n")
    (ul,) = soup.find_all("ul")
    assert len(ul.find_all("li", recursive=False)) == 2


# --- site-dependent shortcodes, filled by the hook --------------------------------------------

@pytest.mark.parametrize("name", ["system-name", "sys-name"])
def test_system_name_comes_from_extra(name):
    body, problems = convert(f"Log into {{{{% {name} %}}}} today.")
    assert problems == []
    assert _render(body, {"system_name": "Acme EHR"}, "Wiki") == "Log into Acme EHR today."
    assert _render(body, {}, "Quality Wiki") == "Log into Quality Wiki today."


@pytest.mark.parametrize("brand, kept", [("acme", True), ("ACME", True), ("other", False), ("", True)],
                         ids=["same brand", "brand case-insensitive", "other brand", "no brand keeps all"])
def test_only_block_follows_the_brand(brand, kept):
    body, _ = convert('Start.\n\n{{% only sys="acme" %}}\nOn Acme hosted systems.\n{{% /only %}}\n\nEnd.')
    out = _render(body, {"brand": brand}, "Wiki")
    assert ("On Acme hosted systems." in out) is kept
    assert "Start." in out and "End." in out and "{{%" not in out


def test_only_block_for_several_brands():
    body, _ = convert('{{% only sys="acme,globex" %}}\nShared.\n{{% /only %}}')
    assert "Shared." in _render(body, {"brand": "globex"}, "Wiki")
    assert "Shared." not in _render(body, {"brand": "initech"}, "Wiki")


def test_syslink_links_to_system_url_or_is_bold():
    body, _ = convert('Open the {{% syslink "Quick View" "func=omniscope" %}} page.')
    assert _render(body, {"system_url": "https://ehr.example/app"}, "W") == \
        "Open the [Quick View](https://ehr.example/app?func=omniscope) page."
    assert _render(body, {"system_url": "https://ehr.example/app?x=1"}, "W") == \
        "Open the [Quick View](https://ehr.example/app?x=1&func=omniscope) page."
    assert _render(body, {}, "W") == "Open the **Quick View** page."


# --- simple conversions -----------------------------------------------------------------------

def test_pre_with_language_becomes_fenced_code(html):
    soup = html("""\
        {{% pre language="json" %}}
        {
          "performanceYear": 2018
        }
        {{% /pre %}}
        """)
    code = soup.find("code")
    assert code is not None
    assert '"performanceYear": 2018' in code.get_text()
    assert code.get_text().startswith("{\n  ")  # inner indentation kept
    assert code.select_one(".nt") is not None  # highlighted as JSON: the key is a JSON name token


def test_pre_language_becomes_the_fence_info():
    body, problems = convert('{{% pre language="json" %}}\n{"a": 1}\n{{% /pre %}}')
    assert problems == []
    assert body.strip().split("\n") == ["```json", '{"a": 1}', "```"]


def test_pre_keeps_shortcodes_and_backticks_literal():
    body, problems = convert('{{% pre %}}\nuse {{% note %}} and ``` fences\n{{% /pre %}}')
    assert problems == []
    assert "use {{% note %}} and ``` fences" in body
    fence = body.strip().split("\n")[0]
    assert set(fence) == {"`"} and len(fence) > 3


def test_anchor_becomes_html_anchor(html):
    soup = html('{{% anchor "measure-identifiers" %}}\n### Identifiers\n\nSee [above](#measure-identifiers).')
    assert soup.find(id="measure-identifiers") is not None


@pytest.mark.parametrize("code, src_part", [
    ("{{% youtube DLBsBw55p7Y %}}", "DLBsBw55p7Y"),
    ('{{< youtube id="DLBsBw55p7Y" >}}', "DLBsBw55p7Y"),
    ("{{% gvideo 1nNyPHj_kavmdc9XdfCowZwNZKlK8xm-A %}}", "drive.google.com/file/d/1nNyPHj_kavmdc9XdfCowZwNZKlK8xm-A"),
], ids=["youtube", "youtube angle brackets, named id", "gvideo"])
def test_video_becomes_embedded_player(html, code, src_part):
    (iframe,) = html(f"Watch:\n\n{code}\n").find_all("iframe")
    assert src_part in iframe["src"]
    assert iframe["src"].startswith("https://")
    assert "youtube" in iframe["src"] or "gvideo" in code


def test_columns_become_a_grid(html):
    soup = html("""\
        {{% section %}}
        {{% column %}}
        **Population Management**
        [PM 6](pm-6.md)
        {{% /column %}}
        {{% column %}}
        **Care Coordination**
        [CC 7](cc-7.md)
        {{% /column %}}
        {{% /section %}}
        """)
    grid = soup.select_one("div.grid")
    columns = grid.find_all("div", recursive=False)
    assert len(columns) == 2
    assert [c.find("strong").get_text() for c in columns] == ["Population Management", "Care Coordination"]
    assert [c.find("a")["href"] for c in columns] == ["pm-6.md", "cc-7.md"]


def test_row_is_a_grid_too(html):
    soup = html("{{% row %}}\n{{% column %}}\nA\n{{% /column %}}\n{{% /row %}}\n")
    assert soup.select_one("div.grid > div") is not None


def test_toc_becomes_table_of_contents(html):
    soup = html("{{% toc %}}\n\n## First\n\n## Second\n")
    toc = soup.select_one("div.toc")
    assert toc is not None and [a.get_text() for a in toc.find_all("a")] == ["First", "Second"]


@pytest.mark.parametrize("code, expected_tag, target", [
    ('{{% drawio src="flow.svg" %}}', "img", "flow.svg"),
    ('{{% drawio "1AbCdEfGhIjKlMnOp" %}}', "a", "https://app.diagrams.net/#G1AbCdEfGhIjKlMnOp"),
], ids=["image file", "drive diagram"])
def test_drawio_becomes_image_or_link(html, code, expected_tag, target):
    element = html(code).find(expected_tag)
    assert element is not None
    assert element.get("src" if expected_tag == "img" else "href") == target


# --- children and contentbylabel need the whole site ------------------------------------------

def _meta(ident, title, parent=None, weight=None, **extra):
    meta = {"id": ident, "title": title, **extra}
    if parent or weight is not None:
        meta["menu"] = {"main": {"parent": parent, "weight": weight}}
    return meta


def test_children_lists_child_pages_in_nav_order(make_export):
    root = make_export({
        "index.md": (_meta("1home", "Home"), "Welcome\n"),
        "guides.md": (_meta("1guides", "Guides"), "Intro.\n\n{{% children %}}\n\nOutro.\n"),
        "guides/zebra.md": (_meta("1zebra", "Zebra", "1guides", 10), "Z\n"),
        "guides/alpha.md": (_meta("1alpha", "Alpha", "1guides", 30), "A\n"),
        "guides/mango.md": (_meta("1mango", "Mango", "1guides", 20), "M\n"),
        "other.md": (_meta("1other", "Other"), "Not a child\n"),
    })
    page = build_site(read_export(root)).pages["guides/index.md"]
    links = [line for line in page.split("\n") if line.startswith("- [")]
    assert links == ["- [Zebra](zebra.md)", "- [Mango](mango.md)", "- [Alpha](alpha.md)"]
    assert page.index("Intro.") < page.index("- [Zebra]") < page.index("Outro.")


def test_contentbylabel_lists_labelled_pages(make_export):
    root = make_export({
        "index.md": (_meta("1home", "Home"), "Billing pages:\n\n{{% contentbylabel \"billing\" %}}\n"),
        "b.md": (_meta("1b", "Claims", tags=["Billing"]), "B\n"),
        "a.md": (_meta("1a", "Invoices", labels="billing, finance"), "A\n"),
        "c.md": (_meta("1c", "Enrollment", tags=["quality"]), "C\n"),
    })
    page = build_site(read_export(root)).pages["index.md"]
    assert [line for line in page.split("\n") if line.startswith("- [")] == ["- [Claims](b.md)", "- [Invoices](a.md)"]


# --- what is left alone, and what is reported -------------------------------------------------

@pytest.mark.parametrize("body", [
    "```\n{{% note %}}\nThe text of the note goes here.\n{{% /note %}}\n```\n",
    "~~~\n{{% tip %}}\n~~~\n",
    "Write `{{% note %}}` on a line of its own.\n",
    "<pre>{{% tip %}}x{{% /tip %}}</pre>\n",
    "1. Step\n\n    ```\n    {{% warning %}}\n    ```\n",
], ids=["backtick fence", "tilde fence", "code span", "raw pre", "fence in a list item"])
def test_shortcodes_in_code_are_untouched(body):
    converted, problems = convert(body)
    assert converted == textwrap.dedent(body)
    assert problems == []


def test_unknown_shortcode_stays_visible_and_is_reported_with_file_line():
    text = ("---\nid: '1abcabcabcabc'\ntitle: 'Odd'\n---\n\nIntro line.\n\n"
            "Some {{% glossary term=\"MIPS\" %}} text.\n\nAfter.\n")
    parsed, _ = parse_document("guides/odd.md", text.encode())
    converted, problems = convert_shortcodes(parsed)
    assert '{{% glossary term="MIPS" %}}' in converted.body
    file_line = text.split("\n").index('Some {{% glossary term="MIPS" %}} text.') + 1
    assert [(p.file, p.line, p.kind) for p in problems] == [("guides/odd.md", file_line, "unknown-shortcode")]
    assert "glossary" in problems[0].message


def test_second_of_two_identical_unknown_shortcodes_gets_its_own_line():
    parsed, _ = parse_document("a.md", b"---\ntitle: 'A'\n---\n{{% foo %}}\n\n{{% foo %}}\n")
    _, problems = convert_shortcodes(parsed)
    assert sorted(p.line for p in problems) == [4, 6]


def test_unclosed_block_ends_at_end_of_document_with_a_warning(html):
    text = "---\ntitle: 'A'\n---\nIntro.\n\n{{% note %}}\nInside the note.\n\nStill inside.\n"
    parsed, _ = parse_document("guides/a.md", text.encode())
    converted, problems = convert_shortcodes(parsed)
    assert [(p.file, p.line, p.kind) for p in problems] == [("guides/a.md", 6, "unclosed-shortcode")]
    soup = html(parsed.body)
    box = soup.select_one("div.admonition.note")
    assert "Inside the note." in box.get_text() and "Still inside." in box.get_text()
    assert "Intro." not in box.get_text()


def test_nested_blocks_convert_inside_out(html):
    soup = html("{{% section %}}\n{{% column %}}\n{{% note %}}\nDeep\n{{% /note %}}\n{{% /column %}}\n{{% /section %}}\n")
    assert soup.select_one("div.grid div.admonition.note") is not None


def test_problem_lines_stay_file_lines_when_text_fixes_add_lines(make_export):
    """The bullet fix inserts a blank line before a list; reported lines must still be the file's."""
    text = ("---\nid: '1home'\ntitle: 'Home'\n---\nIntro:\n\u2022 one\n\u2022 two\n\n"
            "{{% glossary %}}\n\n{{% note %}}\nNever closed.\n")
    site = build_site(read_export(make_export({"index.md": text})))
    lines = text.split("\n")
    expected = {("unknown-shortcode", lines.index("{{% glossary %}}") + 1),
                ("unclosed-shortcode", lines.index("{{% note %}}") + 1)}
    assert {(p.kind, p.line) for p in site.problems} == expected


# --- current wikiGDrive's forms ---------------------------------------------------------------------

def test_pre_around_a_fence_is_the_fence():
    from ingest.transform.shortcodes import unwrap_fenced_pre

    body = '{{% pre language="json" %}}\n```\n{"a": 1}\n{{% /pre %}}\n\n```\n## After\n\n<table><tr><td>x</td></tr></table>\n'
    fixed = unwrap_fenced_pre(doc(body)).body
    assert fixed == '\n```json\n{"a": 1}\n\n\n```\n## After\n\n<table><tr><td>x</td></tr></table>\n'
    converted, problems = convert(fixed)
    assert problems == [] and "{{%" not in converted and "<table>" in converted


def test_pre_inside_a_fence_leaves_its_tags_out():
    from ingest.transform.shortcodes import unwrap_fenced_pre

    body = "```\n{{% pre %}}\nhttp://example.org\n{{% /pre %}}\n```"
    assert unwrap_fenced_pre(doc(body)).body == "```\n\nhttp://example.org\n\n```"


def test_pre_without_a_fence_becomes_one():
    converted, _ = convert('{{% pre language="sql" %}}\nSELECT 1;\n{{% /pre %}}')
    assert "```sql\nSELECT 1;\n```" in converted


@pytest.mark.parametrize("tag", ['{{% anchor sys="codes" %}}', '{{% anchor "codes" %}}', "{{% anchor name=codes %}}",
                                 "{{% anchor id=codes %}}"])
def test_anchor_in_every_form(tag):
    converted, problems = convert(f"{tag}\nText")
    assert problems == [] and '<a id="codes"></a>' in converted


def test_block_shortcode_inside_a_table_cell_becomes_html():
    converted, problems = convert("<table><tr>\n<td>{{% warning %}}Check the **codes**.{{% /warning %}}</td>\n"
                                  "<td>{{% system-name %}}</td>\n</tr></table>")
    assert problems == []
    assert ('<td><div class="admonition warning"><p class="admonition-title">Warning</p>'
            "<p>Check the <strong>codes</strong>.</p></div></td>") in converted
    assert "<td><!--ingest:system-name--></td>" in converted
    assert "\n\n" not in converted.strip()  # a blank line would end the table's HTML block


def test_sys_name_is_the_short_name():
    converted, _ = convert("{{% sys-name %}} and {{% system-name %}}")
    assert _render(converted, {"system_name": "WebChart", "system_abbr": "WC"}, "Wiki") == "WC and WebChart"


def test_system_name_in_code_is_filled_in_too():
    converted, problems = convert("```\nlogin to {{% system-name %}}\n```")
    assert problems == [] and "<!--ingest:system-name-->" in converted


def test_drawio_shows_the_drawing_from_diagrams():
    d = doc('{{% drawio border="true" diagramName="Health Surveillance" revision="5" %}}', "functions/hs.md")
    converted, problems = convert_shortcodes(d, diagrams=("diagrams/health-surveillance.svg",))
    assert problems == [] and converted.body.strip() == "![Health Surveillance](</diagrams/health-surveillance.svg>)"
    missing, problems = convert_shortcodes(doc('{{% drawio diagramName="Gone" %}}'), diagrams=())
    assert [p.kind for p in problems] == ["missing-diagram"] and "[diagram: Gone]" in missing.body


def test_contentbylabel_reads_confluences_cql_and_its_closing_tag_goes():
    converted, problems = convert("{{% contentbylabel max=\"3\" cql=\"label = 'basics'\" %}}\n{{% /contentbylabel %}}")
    assert problems == [] and converted.strip() == '<!--ingest:contentbylabel label="basics"-->'


def test_children_of_another_page():
    from ingest.transform.pages import fill_children

    converted, _ = convert('{{% children page="General Functionality" %}}')
    listed = fill_children(converted, [], lambda title: [("A", "a.md")] if title == "General Functionality" else None)
    assert "- [A](a.md)" in listed
    assert "no page" in fill_children(converted, [], lambda title: None)


def test_admonition_content_with_blank_lines_stays_in_the_admonition(html):
    page = html("{{% info %}}\nThe text.\n\n\n![](a.png)\n{{% /info %}}\nAfter")
    assert page.select_one("div.admonition.info img") is not None and page.select_one("pre") is None


def test_hugo_escaped_shortcodes_are_shown_as_written_and_marked():
    body = "```\n{{%/* note */%}}\nText\n{{%/* /note */%}}\n```\n\nType `{{%/* tip */%}}` or {{</* warning */>}}."
    converted, problems = convert(body)
    assert problems == []
    assert converted.startswith("``` ingest-literal\n{{% note %}}\nText\n{{% /note %}}\n```")
    assert '<code class="ingest-literal">{{% tip %}}</code>' in converted
    assert '<span class="ingest-literal">{{&lt; warning &gt;}}</span>' in converted
