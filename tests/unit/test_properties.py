"""Properties that hold for any input (hypothesis): the stages never raise, and never undo or lose text.

The settings profile ("ingest": 60 examples, no deadline) is in conftest.py; HYPOTHESIS_PROFILE=thorough
runs 2,000 a property.
"""

from __future__ import annotations

import re

from hypothesis import example, given
from hypothesis import strategies as st

from ingest.model import Document
from ingest.read.decode import decode_document
from ingest.read.document import parse_document
from ingest.transform.normalize import normalize_text
from ingest.transform.policy import clean_html
from ingest.transform.sanitize import sanitize_markdown
from ingest.transform.shortcodes import BLOCKS, INLINE, convert_shortcodes

#: Characters the text fixes and the Markdown around them care about, mixed into arbitrary text.
MARKDOWN_BITS = ["\u00a0", "\u200b", "\uec02", "•", "◦", "- ", "1. ", "\n", "\n\n", "    ", "```", "~~~", "`",
                 "Ã©", "â€™", "Â\u00a0", "# ", "> ", "<pre>", "</pre>", "{{% pre %}}", "{{% /pre %}}", "\t", "*"]
markdownish = st.lists(st.one_of(st.text(max_size=12), st.sampled_from(MARKDOWN_BITS)), max_size=40).map("".join)


@given(st.one_of(st.text(), markdownish))
@example("1. Step\n\n   ![](a.png)\n2. Next")
@example("•\u00a0one\n  ◦ two\n```\nx\u00a0y")
def test_normalisation_is_idempotent_and_never_raises(text: str) -> None:
    once, _ = normalize_text(text)
    twice, applied = normalize_text(once)
    assert twice == once, applied


FRONT_MATTER_BITS = [b"---\n", b"id: ", b"title: ", b"menu:\n  main:\n    weight: ", b"date: 2022-13-45\n", b"&a ",
                     b"*a", b"[", b"]", b"{", b"}", b"!!python/object:x ", b"\x00", b"\xff", b"\r\n", b"\xef\xbb\xbf",
                     b"\xfe\xff", b"\x89PNG", b"- ", b": ", b"'", b'"', b"\t", b"\n"]
frontmatterish = st.lists(st.one_of(st.binary(max_size=12), st.sampled_from(FRONT_MATTER_BITS)),
                          max_size=40).map(b"".join)


@given(st.one_of(st.binary(), frontmatterish))
@example(b"---\na: &a [*a]\n---\n")
@example(b"---\ndate: 2022-02-30 10:00:00\n---\nx")
def test_reading_any_bytes_never_raises(data: bytes) -> None:
    doc, problems = parse_document("any.md", data)
    if doc is None:
        assert any(problem.severity.value == "error" for problem in problems)
    else:
        assert isinstance(doc.id, str) and doc.id and isinstance(doc.title, str) and doc.title
    assert "\x00" not in decode_document(data).text


plain_text = st.text(alphabet=st.characters(blacklist_characters="{}%<>`~\\[]!*_#|", blacklist_categories=("Cs",)),
                     max_size=30)


@st.composite
def shortcode_bodies(draw) -> tuple[str, list[str]]:
    """A body of plain text with shortcode tags (known, unknown, closers, unclosed) between, and the plain pieces."""
    names = sorted(BLOCKS | INLINE) + ["unknown-code"]
    pieces, plain = [], []
    for _ in range(draw(st.integers(0, 12))):
        if draw(st.booleans()):
            text = draw(plain_text)
            pieces.append(text)
            plain.append(text)
        else:
            name = draw(st.sampled_from(names))
            close = "/" if draw(st.booleans()) else ""
            args = draw(st.sampled_from(["", ' "Title"', ' name="x"', " 1abcdefghijk"]))
            delim = draw(st.sampled_from(["%", "<"]))
            pieces.append(f"{{{{{delim} {close}{name}{args if not close else ''} {'%' if delim == '%' else '>'}}}}}")
    return "".join(pieces), plain


def _is_subsequence(needles: str, haystack: str) -> bool:
    """Whether every character of ``needles`` is in ``haystack``, in order (whitespace aside: blocks are indented)."""
    remaining = iter("".join(haystack.split()))
    return all(char in remaining for char in "".join(needles.split()))


@given(shortcode_bodies())
@example(("Before {{% note %}}inside{{% /note %}} after", ["Before ", "inside", " after"]))
@example(("a {{% tip %}} b {{% warning %}} c {{% /tip %}} d", ["a ", " b ", " c ", " d"]))
def test_shortcode_conversion_never_loses_text_outside_shortcodes(body_and_plain) -> None:
    body, plain = body_and_plain
    doc, _ = convert_shortcodes(Document("a.md", {"id": "1a", "title": "A"}, body))
    assert _is_subsequence("".join(plain), doc.body), doc.body


html_bits = ["<script>", "</script>", "<img src=x onerror=alert(1)>", "<a href='javascript:x'>", "</a>", "<div>",
             "</div>", "<!--", "-->", "<iframe src='https://evil.example'>", "</iframe>", "{: onclick=x }", "`", "\n",
             "<", ">", '"', "<table>", "</table>", "<details>", "<svg onload=x>"]
htmlish = st.lists(st.one_of(st.text(max_size=8), st.sampled_from(html_bits)), max_size=30).map("".join)


@given(htmlish)
def test_sanitising_markdown_never_raises_and_is_idempotent(body: str) -> None:
    doc = Document("a.md", {"id": "1a", "title": "A"}, body)
    once, _ = sanitize_markdown(doc)
    twice, problems = sanitize_markdown(once)
    assert twice.body == once.body
    assert problems == []


@given(htmlish)
def test_cleaned_html_has_no_script_or_handler(html: str) -> None:
    cleaned = clean_html(html).lower()
    assert "<script" not in cleaned and "evil.example" not in cleaned
    assert not re.search(r"<[^>]*\son\w+=", cleaned)


# The fast reader of wikiGDrive's front matter (flatyaml) must mean exactly what PyYAML means, or step aside.
YAML_KEYS = ["id", "title", "menu", "main", "weight", "parent", "links", "on", "Yes", "null", "a-b", "_x", "x y", "1a",
             "x.md", "a,b (c)", "2018-01-01", "1.5", ".inf", "~", "12", "-x", "é", "a#b", "a #b", "&a", "!x", "? x",
             "0x1f", "1_0", "<<", "=", "x  "]
YAML_VALUES = ["'text'", "'it''s'", "''", "'''", "'a' 'b'", "'a: b'", "'# c'", "12", "-0", "007", "1_000", "0x1f",
               "true", "True", "false", "[]", "{}", "~", "null", "plain", "'x' # c", "'\u00a0é\U0001f600'", "3.5",
               "2023-01-20", "'\u2028'", "'\x85'", "'\ufeff'", "&a 'x'", "*a", "!!str 5", "'a", "\"dq\""]


@st.composite
def flatish_yaml(draw) -> str:
    """Lines that are mostly wikiGDrive's subset (quoted strings, numbers, nesting, lists) with YAML traps mixed in."""
    lines = []
    for _ in range(draw(st.integers(1, 12))):
        indent = " " * draw(st.sampled_from([0, 0, 0, 2, 4, 1, 3]))
        key = draw(st.sampled_from(YAML_KEYS))
        kind = draw(st.sampled_from(["value", "value", "nested", "item", "blank", "raw"]))
        if kind == "value":
            lines.append(f"{indent}{key}: {draw(st.sampled_from(YAML_VALUES))}")
        elif kind == "nested":
            lines.append(f"{indent}{key}:")
        elif kind == "item":
            lines.append(f"{indent}- {draw(st.sampled_from(YAML_VALUES))}")
        elif kind == "blank":
            lines.append(draw(st.sampled_from(["", " ", "#", "..."])))
        else:
            lines.append(draw(st.text(max_size=10)))
    return "\n".join(lines)


def _typed(value):
    """A value with every type spelled out, so True == 1 and 1 == 1.0 do not pass for equal."""
    if isinstance(value, dict):
        return ("dict", [(_typed(k), _typed(v)) for k, v in value.items()])
    if isinstance(value, list):
        return ("list", [_typed(v) for v in value])
    return (type(value).__name__, value)


@given(st.one_of(flatish_yaml(), st.text(max_size=60)))
@example("menu:\n  main:\n    weight: 10\nlinks:\n- 'a'\ntitle: 'x'")
@example("a: 'x'\n  b: 1")
@example("on: 'x'")
def test_fast_front_matter_reader_agrees_with_pyyaml(raw: str) -> None:
    import yaml

    from ingest.read.flatyaml import parse_flat_yaml
    from ingest.read.frontmatter import LOADER as _LOADER

    fast = parse_flat_yaml(raw)
    if fast is None:
        return  # not the subset: the sync uses PyYAML itself
    assert _typed(fast) == _typed(yaml.load(raw, Loader=_LOADER))


docs_path = st.lists(st.sampled_from(["a", "b", "ab", "c.md", "index.md", "a.assets", "y z", "é", ".", ".."]),
                     min_size=1, max_size=5).map("/".join)


@given(docs_path, docs_path)
@example("a/b/c.md", "a/b")
def test_relative_url_is_posixpath_relpath_without_the_working_directory(from_page: str, to_path: str) -> None:
    import posixpath

    from ingest.transform.links import relative_url

    assert relative_url(from_page, to_path) == posixpath.relpath(to_path, posixpath.dirname(from_page) or ".")
