"""The catalogue of broken and hostile exports (tests/hostile/*.yaml) through the real sync and a real build.

Each case runs ``python -m ingest sync`` (click's CliRunner, exceptions not caught)
and must give exactly its expected exit code and problems, write the bystander doc,
write nothing outside the out folder, and leave no text from outside the export in
it. The cases with a ``site:`` entry are also built together, strict, into one
MkDocs site whose pages are checked for scripts, handlers and foreign requests.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from click.testing import CliRunner
from hostile.catalogue import (
    BYSTANDER,
    KINDS,
    REPO,
    SECRET,
    Case,
    Expected,
    bystanders,
    load_cases,
    readme_section,
    readme_table,
    write_export,
    write_outside,
)

from ingest.__main__ import cli
from ingest.output.normalcache import cache_path
from ingest.output.readcache import read_cache_path
from ingest.output.write import lock_path

CASES = load_cases()
SITE_CASES = [case for case in CASES if case.site]


def tree(folder: Path, skip: tuple[Path, ...] = ()) -> dict[str, tuple[int, int]]:
    """Every file below ``folder`` (symlinks not followed) with its size and mtime, less ``skip``."""
    found = {}
    for path in sorted(folder.rglob("*")):
        if any(path == s or s in path.parents for s in skip) or not (path.is_file() or path.is_symlink()):
            continue
        status = path.lstat()
        found[path.relative_to(folder).as_posix()] = (status.st_size, status.st_mtime_ns)
    return found


def run_sync(export: Path, out: Path, report: Path, *args: str):
    result = CliRunner().invoke(cli, ["sync", str(export), "--out", str(out), "--report", str(report), *args],
                                catch_exceptions=False)
    assert "Traceback" not in result.output
    return result


def assert_outcome(outcome: str, severities: set[str], pages_written: list[bool], absent_written: list[bool]) -> None:
    """What the sync did is what the README's outcome column (the case's ``outcome``) says it does."""
    assert not any(absent_written)
    if outcome in ("kept", "cleaned at build"):
        assert severities == set() and all(pages_written), outcome
    elif outcome == "repaired":
        assert severities == {"warning"} and (pages_written or absent_written), outcome
    elif outcome == "skipped":
        assert "error" in severities and (absent_written or pages_written), outcome
    else:
        assert outcome == "refused" and severities and absent_written, outcome


@pytest.mark.parametrize("case", CASES, ids=[case.id for case in CASES])
def test_case(case: Case, tmp_path: Path) -> None:
    export, out, report = tmp_path / "export", tmp_path / "out", tmp_path / "report.json"
    write_outside(tmp_path)
    write_export(export, bystanders(case.name, case.files), tmp_path)
    if case.previous:
        assert run_sync(export, out, report).exit_code == 0
    before_out = tree(out) if out.exists() else {}
    write_export(export, case.files, tmp_path)
    # Beside the docs_dir the sync keeps its lock, and, after a sync that wrote, what it normalised and read.
    beside = (out, report, lock_path(out)) + ((cache_path(out), read_cache_path(out)) if case.exit_code == 0 else ())
    before = tree(tmp_path, skip=beside)

    result = run_sync(export, out, report, *case.args)

    assert result.exit_code == case.exit_code, result.output
    problems = [Expected(p["file"], p["line"], p["kind"], p["severity"])
                for p in json.loads(report.read_text("utf-8"))["problems"]]
    assert sorted(map(str, problems)) == sorted(map(str, case.problems)), result.output
    assert tree(tmp_path, skip=beside) == before, "the sync wrote outside its out folder"
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".ingest-")], "staging folders left behind"

    if case.exit_code != 0:
        assert tree(out) == before_out if before_out else not out.exists(), "a failed sync changed the docs_dir"
        assert case.outcome == "not written" and case.previous, "the README's outcome column says otherwise"
        return
    written = {p.relative_to(out).as_posix(): p for p in out.rglob("*") if p.is_file()}
    assert_outcome(case.outcome, {p.severity for p in problems}, [page in written for page in case.pages],
                   [page in written for page in case.absent])
    assert "This page must always build." in written[BYSTANDER].read_text("utf-8")
    assert "index.md" in written
    for page in case.pages:
        assert page in written, f"{page} was not written"
    for page in case.absent:
        assert page not in written, f"{page} was written"
    for page, parts in case.contains.items():
        text = written[page].read_text("utf-8")
        for part in parts:
            assert part in text, (page, part)
    for page, parts in case.lacks.items():
        text = written[page].read_text("utf-8")
        for part in parts:
            assert part not in text, (page, part)
    for path in written.values():
        assert SECRET.encode() not in path.read_bytes(), f"{path} has text from outside the export"


def test_catalogue_has_50_cases_and_at_least_10_of_every_kind() -> None:
    """The catalogue's own shape (no ingest code runs here): enough cases, each kind well covered, unique ids."""
    assert len(CASES) >= 50
    by_kind = {kind: sum(case.kind == kind for case in CASES) for kind in KINDS}
    assert min(by_kind.values()) >= 10, by_kind
    assert {case.kind for case in CASES} == set(KINDS)
    assert len({case.id for case in CASES}) == len(CASES)


def test_readme_table_matches_the_catalogue() -> None:
    """The README shows the catalogue as it is (test_case holds each case to what the table says)."""
    readme = (REPO / "README.md").read_text("utf-8")
    assert readme_section(readme) == readme_table(CASES), "run: .venv/bin/python tests/hostile/catalogue.py"


# --- the hostile site (conftest.py): every site case built into one strict MkDocs build -------------

def test_hostile_site_builds_strict_without_warnings(hostile_site) -> None:
    assert hostile_site.warnings == []


@pytest.mark.parametrize("case", SITE_CASES, ids=[case.id for case in SITE_CASES])
def test_site_page(case: Case, hostile_site) -> None:
    html = hostile_site.page(case)
    soup = BeautifulSoup(html, "html.parser")
    article = soup.select_one("article.md-content__inner")
    assert article is not None
    for part in case.site.get("contains", []):
        assert part in str(article), part
    for part in case.site.get("lacks", []):
        assert part not in html, part
    if "title" in case.site:
        assert soup.title.get_text() == case.site["title"]


def test_no_page_of_the_hostile_site_has_script_handlers_or_foreign_frames(hostile_site) -> None:
    from hostile.hostile_site import page_safety_problems, site_scripts

    scripts = site_scripts(hostile_site.site_dir)
    problems = [problem for page in hostile_site.pages()
                for problem in page_safety_problems(hostile_site.site_dir, page, scripts)]
    assert problems == []


def test_the_page_check_finds_what_a_hostile_page_would_have(tmp_path) -> None:
    """page_safety_problems can fail: a handler, a script URL, a foreign frame and a script of the page's own."""
    from hostile.hostile_site import page_safety_problems

    (tmp_path / "index.html").write_text('<html><head><script src="assets/app.js"></script></head><body>'
                                         '<article></article></body></html>', "utf-8")
    (tmp_path / "bad.html").write_text(
        '<html><head><script src="assets/app.js"></script></head><body><article>'
        '<p onclick="x()">a</p><a href="javascript:alert(1)">b</a><iframe src="https://evil.example/"></iframe>'
        "<script>alert(2)</script></article></body></html>", "utf-8")
    assert page_safety_problems(tmp_path, "index.html") == []
    problems = page_safety_problems(tmp_path, "bad.html")
    assert len(problems) == 4, problems
