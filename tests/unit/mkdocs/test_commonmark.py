"""The CommonMark renderer (ingest/mkdocs/commonmark.py): pages read as wikiGDrive wrote them, in the
HTML the theme and MkDocs expect."""

from __future__ import annotations

import markdown
import pytest

from ingest.markup import parser


def render(text: str, **toc: object) -> tuple[str, markdown.Markdown]:
    md = markdown.Markdown(extensions=["ingest.mkdocs.commonmark", "toc", "pymdownx.highlight"],
                           extension_configs={"toc": {"permalink": True, **toc}})
    return md.convert(text), md


def html(text: str) -> str:
    return render(text)[0]


# --- CommonMark's reading, which Python-Markdown's is not --------------------------------------------

@pytest.mark.parametrize("text, expected", [
    ("Steps:\n1. One\n2. Two", "<p>Steps:</p>\n<ol>\n<li>One</li>\n<li>Two</li>\n</ol>"),
    ("* a\n   * b", "<ul>\n<li>a<ul>\n<li>b</li>\n</ul>\n</li>\n</ul>"),
    ("#define X", "<p>#define X</p>"),
    ("1. Step\n\n   ![](a.png)\n2. Next", "<ol>\n<li>\n<p>Step</p>\n<p><img alt=\"\" src=\"a.png\" /></p>\n</li>\n<li>\n<p>Next</p>\n</li>\n</ol>"),
    ("6. Six\n7. Seven", '<ol start="6">\n<li>Six</li>\n<li>Seven</li>\n</ol>'),
], ids=["list right after a paragraph line", "three-space sub-list", "#define is no heading",
        "image under a step", "numbering from 6"])
def test_commonmark_reading(text, expected):
    assert html(text) == expected


def test_same_structure_as_markdown_it():
    text = "Intro\n* a\n  1. one\n  2. two\n* b\n\n> quote\n\n| h |\n|---|\n| c |\n"
    ours, reference = html(text), parser().render(text)
    for tag in ("<li>", "<ol>", "<ul>", "<blockquote>", "<table>", "<td>"):
        assert ours.count(tag) == reference.count(tag), tag


def test_line_breaks_and_br_newline_are_one_break():
    assert html("a\nb") == "<p>a<br />\nb</p>"
    assert html("a  \nb") == "<p>a<br />\nb</p>"
    assert html("a<br />\nb") == "<p>a<br />\nb</p>"  # a raw <br> and its newline: one break


# --- raw HTML is part of the tree ---------------------------------------------------------------------

def test_raw_html_table_with_markdown_between_tags():
    out = html("<table><tr><td>\n\n**b**\n\n</td></tr></table>")
    assert out.replace("\n", "") == "<table><tr><td><p><strong>b</strong></p></td></tr></table>"


def test_raw_html_cannot_close_the_pages_own_blocks():
    out = html("* item <b>bold</li></ul></div> text\n* two")
    assert out.count("<li>") == 2 and out.endswith("</ul>")


def test_raw_links_and_anchors_reach_mkdocs_processors():
    out, md = render('<td><a href="x.md">x</a></td>\n\n<a id="top"></a>\n<a name="old"></a>')
    assert '<a href="x.md">x</a>' in out and '<a id="top"></a>' in out
    assert '<a id="old" name="old"></a>' in out  # an old-style anchor is an id too


def test_anchor_without_href_survives_mkdocs_link_processor(tmp_path):
    """MkDocs' link processor takes every <a> for a link; an <a id> anchor must not stop the build."""
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.structure.files import File, Files
    from mkdocs.structure.pages import Page

    config = MkDocsConfig()
    config.load_dict({"site_name": "x", "docs_dir": str(tmp_path), "markdown_extensions": ["ingest.mkdocs.commonmark"]})
    assert config.validate() == ([], [])
    (tmp_path / "a.md").write_text('<a id="x"></a><img alt="no src">\n\n[a](b.md)', "utf-8")
    (tmp_path / "b.md").write_text("B", "utf-8")
    files = Files([File(name, str(tmp_path), str(tmp_path / "site"), True) for name in ("a.md", "b.md")])
    page = Page(None, files.get_file_from_path("a.md"), config)
    page.read_source(config)
    page.render(config, files)
    assert '<a id="x"></a>' in page.content and 'href="../b/"' in page.content
    assert "x" in page.present_anchor_ids


def test_entities_and_ampersands():
    assert html("AT&T &copy; \\&copy;") == "<p>AT&amp;T © &amp;copy;</p>"


def test_thematic_break_inside_a_list_item_keeps_the_list():
    out = html("1. One\n\n   ---\n2. Two")
    assert out.count("<li>") == 2 and out.index("<hr />") < out.index("Two")


# --- what Python-Markdown's extensions did ----------------------------------------------------------

def test_admonitions_and_details_in_materials_html():
    assert html('!!! note "Read this"\n    Body') == \
        '<div class="admonition note">\n<p class="admonition-title">Read this</p>\n<p>Body</p>\n</div>'
    assert html("??? tip\n    Hidden") == '<details class="tip">\n<summary>Tip</summary>\n<p>Hidden</p>\n</details>'
    assert html("???+ tip\n    Open").startswith('<details class="tip" open="open">')


def test_admonition_inside_a_list_item():
    out = html("1. Step\n\n   !!! warning\n       Careful\n\n2. Next")
    assert out.count("<li>") == 2 and out.index('class="admonition warning"') < out.index("Next")


def test_code_is_highlighted_with_the_highlight_settings():
    out = html("```python\nprint('x')\n```\n\n    indented code")
    assert out.count('<div class="highlight">') == 2 and '<span class="nb">print</span>' in out


def test_strikethrough_tables_and_definition_lists():
    assert html("~~gone~~") == "<p><del>gone</del></p>"
    assert "<th>h</th>" in html("| h |\n|---|\n| c |")
    assert "<dl>" in html("Term\n: Definition")


# --- headings, ids and the table of contents ---------------------------------------------------------

def test_toc_ids_permalinks_and_tokens():
    out, md = render("## Set up\n\n### Set up")
    assert '<h2 id="set-up">Set up<a class="headerlink" href="#set-up"' in out and 'id="set-up_1"' in out
    assert [t["id"] for t in md.toc_tokens] == ["set-up"] and md.toc_tokens[0]["children"][0]["id"] == "set-up_1"


def test_heading_attribute_list_sets_its_id():
    out = html("## Name { #tags.md:1-2/slug }")
    assert '<h2 id="tags.md:1-2/slug">Name' in out and "{" not in out


def test_links_to_a_heading_by_another_spelling_land_on_it():
    out = html("See [a](#Observation/Result-(OBX)), [Observation/Result (OBX)](#h.gjdgxs) and [b](#codes).\n\n"
               "## Observation/Result (OBX)\n\n<a id=\"codes\"></a>")
    assert out.count('href="#observationresult-obx"') == 3  # two links and the permalink
    assert 'href="#codes"' in out


def test_toc_marker():
    assert '<div class="toc">' in html("[TOC]\n\n## A")
