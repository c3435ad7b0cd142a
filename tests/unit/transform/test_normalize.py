"""Stage 3 (ingest/normalize.py): text repairs, driven by the case tables in tests/cases/.

normalize.json holds (label, original, expected); negative.json holds text that
every fix must leave exactly as it is, like ftfy's test cases.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from helpers import CASES_DIR

from ingest.model import Document
from ingest.read.document import parse_document
from ingest.read.frontmatter import split_front_matter
from ingest.transform.normalize import NormalizeConfig, normalize, normalize_text

CASES = json.loads((CASES_DIR / "normalize.json").read_text("utf-8"))
NEGATIVE = json.loads((CASES_DIR / "negative.json").read_text("utf-8"))


def seed_body(seeds_dir: Path, prefix: str) -> str:
    doc, _ = parse_document(prefix, next(seeds_dir.glob(f"{prefix}_*")).read_bytes())
    return doc.body


@pytest.mark.parametrize("case", CASES, ids=[case["label"] for case in CASES])
def test_normalize_case(case):
    assert normalize_text(case["original"])[0] == case["expected"]


@pytest.mark.parametrize("case", NEGATIVE, ids=[case["label"] for case in NEGATIVE])
def test_clean_text_is_unchanged(case):
    assert normalize_text(case["text"]) == (case["text"], [])


@pytest.mark.parametrize("case", CASES, ids=[case["label"] for case in CASES])
def test_normalising_twice_gives_the_same_text(case):
    once, _ = normalize_text(case["original"])
    assert normalize_text(once) == (once, [])


# --- named behaviours -------------------------------------------------------------------------

def test_nbsp_in_code_span_is_kept():
    assert normalize_text("Type `x\u00a0y`")[0] == "Type `x\u00a0y`"


def test_nbsp_in_fence_is_kept_and_prose_around_it_fixed():
    text = "Before\u00a0it\n\n```\na\u00a0b\n```\n\nAfter\u00a0it\n"
    assert normalize_text(text)[0] == "Before it\n\n```\na\u00a0b\n```\n\nAfter it\n"


def test_bullet_inside_code_is_not_a_list_item():
    fixed = normalize_text("```\n• keep me\n```\n• list me")[0]
    assert fixed.startswith("```\n• keep me\n```\n")
    assert fixed.endswith("\n- list me")


def test_fence_in_numbered_step_stays_in_the_list(render_markdown):
    text = "1. Step\n\n   ```\n   code\n   ```\n2. Next\n3. Third\n"
    html = render_markdown(normalize_text(text)[0])
    assert html.count("<ol>") == 1 and html.count("<li>") == 3
    assert html.index("<code>") < html.index("Next")


def test_fix_names_are_recorded_in_order():
    assert normalize_text("We\u00e2\u20ac\u2122ve\u00a0two\u200b")[1] == ["mojibake", "invisible", "nbsp"]


def test_each_fix_can_be_switched_off():
    text = "a\u00a0b\n\u2022 item"
    assert normalize_text(text, NormalizeConfig(nbsp=False))[0] == "a\u00a0b\n\n- item"
    assert normalize_text(text, NormalizeConfig(bullets=False))[0] == "a b\n\u2022 item"


def test_document_title_mojibake_is_repaired_and_fixes_recorded():
    doc = Document("a.md", {"id": "x", "title": "We\u00e2\u20ac\u2122ve moved"}, "Body\u00a0text\n")
    fixed = normalize(doc)
    assert fixed.title == "We\u2019ve moved"
    assert fixed.body == "Body text\n"
    assert fixed.fixes == ("nbsp",)


# --- the seeds --------------------------------------------------------------------------------

def test_seed_000_loses_its_mojibake(seeds_dir):
    body = seed_body(seeds_dir, "000")
    assert "\u00c2\u00a0" in body  # the seed really has the fault
    fixed, applied = normalize_text(body)
    assert "\u00c2" not in fixed and "\u00a0" not in fixed
    assert "**Description**: " in fixed and "preceptor" in fixed
    assert applied[:1] == ["mojibake"]


def test_seed_003_keeps_two_space_line_breaks(seeds_dir):
    body = seed_body(seeds_dir, "003")
    breaks = [line.rstrip() for line in body.split("\n") if line.endswith("  ") and line.strip()]
    assert breaks, "seed 003 should have two-space line breaks"
    fixed_lines = normalize_text(body)[0].split("\n")
    for line in breaks:
        match = [fixed for fixed in fixed_lines if fixed.rstrip().replace("\u00a0", " ") == line.replace("\u00a0", " ").rstrip()]
        assert match and all(fixed.endswith("  ") for fixed in match), line


def test_seed_004_bullets_become_list_items(seeds_dir):
    body = seed_body(seeds_dir, "004")
    bullets = [line.strip().lstrip("•").strip() for line in body.split("\n") if line.strip().startswith("•")]
    fixed = normalize_text(body)[0]
    items = [line[2:] for line in fixed.split("\n") if line.startswith("- ")]
    assert "•" not in fixed
    assert [normalize_text(b)[0] for b in bullets] == items


@pytest.mark.parametrize("prefix", ["000", "003", "004"])
def test_seed_normalises_idempotently(seeds_dir, prefix):
    once, _ = normalize_text(seed_body(seeds_dir, prefix))
    assert normalize_text(once) == (once, [])


@pytest.mark.corpus
def test_every_corpus_doc_normalises_idempotently_and_clean(corpus_dir):
    docs = sorted(corpus_dir.rglob("*.md"))
    assert docs
    not_idempotent, residue = [], []
    for path in docs:
        _, body, _ = split_front_matter(path.read_text("utf-8"))
        once, _ = normalize_text(body)
        if normalize_text(once)[0] != once:
            not_idempotent.append(path.relative_to(corpus_dir).as_posix())
        if any(bad in once for bad in ("\u00c2\u00a0", "\u00e2\u20ac", "\uec02", "\uec03", "\u200b")):
            residue.append(path.relative_to(corpus_dir).as_posix())
    assert not_idempotent == []
    assert residue == []
