"""The command line (ingest/__main__.py), driven through click's CliRunner."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from ingest.__main__ import cli

GOOD = {
    "index.md": ({"id": "1home", "title": "Home"}, "Welcome.\n"),
    "guides.md": ({"id": "1guides", "title": "Guides"}, "{{% children %}}\n"),
    "guides/a.md": ({"id": "1a", "title": "A"}, "![](a.assets/x.png)\n"),
    "guides/a.assets/x.png": b"\x89PNG",
    "guides/old-a.md": ({"id": "1a", "title": "Redirect to: A", "redirectTo": "1a"}, "Renamed\n"),
}
# A link to a doc outside the export: a warning on line 5 of the file.
WARNING_DOC = "---\nid: '1b'\ntitle: 'B'\n---\nSee [scanning](../other/scanning.md).\n"


def run(*args: str):
    result = CliRunner().invoke(cli, [str(arg) for arg in args])
    assert "Traceback" not in result.output
    return result


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_sync_help_lists_every_option():
    result = run("sync", "--help")
    assert result.exit_code == 0
    for option in ("EXPORT_DIR", "--out", "--report", "--strict", "--dry-run", "--lock-timeout", "--jobs", "--quiet", "-q",
                   "--verbose", "-v", "--help"):
        assert option in result.output, option
    command = cli.commands["sync"]
    for param in command.params:
        for flag in param.opts:
            assert flag in result.output or param.name.upper() in result.output


def test_clean_sync_exits_0_and_summarises(make_export, tmp_path):
    result = run("sync", make_export(GOOD), "--out", tmp_path / "docs")
    assert result.exit_code == 0, result.output
    assert (tmp_path / "docs" / "guides" / "a.md").is_file()
    assert "0 warnings, 0 errors" in result.output
    assert "Error" not in result.output


def test_first_sync_says_so_and_a_resync_lists_changes(make_export, tmp_path):
    root = make_export(GOOD)
    first = run("sync", root, "--out", tmp_path / "docs")
    assert "First sync of this export into this folder: 3 docs added" in first.output
    (root / "guides" / "b.md").write_text("---\nid: '1b'\ntitle: 'B'\n---\nNew page.\n", "utf-8")
    second = run("sync", root, "--out", tmp_path / "docs")
    assert "Changes since the last sync: 1 added, 1 updated, 0 moved, 0 removed, 2 unchanged." in second.output
    assert "  added     B: guides/b.md\n" in second.output
    assert "  updated   Guides: guides/index.md\n" in second.output  # its children list gained B


def test_sync_with_warnings_exits_0_and_prints_file_and_line(make_export, tmp_path):
    root = make_export({**GOOD, "guides/b.md": WARNING_DOC})
    result = run("sync", root, "--out", tmp_path / "docs")
    assert result.exit_code == 0, result.output
    assert "guides/b.md:5" in result.output and "scanning.md" in result.output
    assert "1 warning, 0 errors" in result.output
    assert (tmp_path / "docs" / "guides" / "b.md").is_file()


def test_missing_export_is_a_usage_error(tmp_path):
    result = run("sync", tmp_path / "nope", "--out", tmp_path / "docs")
    assert result.exit_code == 2  # click's usage error, as --help documents
    assert "Error:" in result.output and "nope" in result.output and "does not exist" in result.output
    assert "Traceback" not in result.output
    assert not (tmp_path / "docs").exists()


def test_empty_export_is_a_clear_error(tmp_path):
    (tmp_path / "export" / "sub").mkdir(parents=True)
    result = run("sync", tmp_path / "export", "--out", tmp_path / "docs")
    assert result.exit_code == 1
    assert "Error:" in result.output and "No documents" in result.output
    assert not (tmp_path / "docs").exists()


def test_out_folder_not_written_by_ingest_is_left_untouched(make_export, tmp_path):
    out = tmp_path / "mydocs"
    (out / "sub").mkdir(parents=True)
    (out / "index.md").write_text("# Hand written\n")
    (out / "sub" / "page.md").write_text("Mine\n")
    before = snapshot(out)
    result = run("sync", make_export(GOOD), "--out", out)
    assert result.exit_code == 1
    assert "Error:" in result.output and "not written by ingest" in result.output
    assert snapshot(out) == before


def test_out_that_is_a_file_is_a_clear_error(make_export, tmp_path):
    out = tmp_path / "docs"
    out.write_text("not a folder")
    result = run("sync", make_export(GOOD), "--out", out)
    assert result.exit_code in (1, 2) and "Error:" in result.output
    assert out.read_text() == "not a folder"


def test_strict_with_warnings_exits_1_and_keeps_previous_site(make_export, tmp_path):
    root, out = make_export(GOOD), tmp_path / "docs"
    assert run("sync", root, "--out", out).exit_code == 0
    before = snapshot(out)
    (root / "guides" / "b.md").write_text(WARNING_DOC)
    result = run("sync", root, "--out", out, "--strict")
    assert result.exit_code == 1
    assert "Error:" in result.output and "strict" in result.output
    assert "guides/b.md:5" in result.output
    assert snapshot(out) == before


def test_strict_without_problems_writes(make_export, tmp_path):
    result = run("sync", make_export(GOOD), "--out", tmp_path / "docs", "--strict")
    assert result.exit_code == 0, result.output
    assert (tmp_path / "docs" / "index.md").is_file()


def test_report_has_counts_and_problems(make_export, tmp_path):
    root = make_export({**GOOD, "guides/b.md": WARNING_DOC, "bad.md": "---\ntitle: Guides: Writing\n---\nBody\n"})
    report = tmp_path / "reports" / "sync.json"
    run("sync", root, "--out", tmp_path / "docs", "--report", report)
    data = json.loads(report.read_text("utf-8"))
    pages = {p.relative_to(tmp_path / "docs").as_posix() for p in (tmp_path / "docs").rglob("*.md")}
    assert data["counts"] == {"docs": 5, "pages": len(pages), "redirects": 1, "assets": 1, "warnings": 1, "errors": 1}
    problems = {(p["file"], p["line"], p["kind"]) for p in data["problems"]}
    assert problems == {("guides/b.md", 5, "link-outside-export"), ("bad.md", 2, "invalid-yaml")}
    assert all({"file", "line", "kind", "message"} <= set(p) and p["message"] for p in data["problems"])


def test_report_is_written_in_strict_mode_too(make_export, tmp_path):
    root = make_export({**GOOD, "guides/b.md": WARNING_DOC})
    report = tmp_path / "report.json"
    result = run("sync", root, "--out", tmp_path / "docs", "--strict", "--report", report)
    assert result.exit_code == 1
    assert json.loads(report.read_text("utf-8"))["counts"]["warnings"] == 1


@pytest.mark.parametrize("flag", ["-q", "--quiet"])
def test_quiet_prints_problems_and_one_line_summary(make_export, tmp_path, flag):
    result = run("sync", make_export({**GOOD, "guides/b.md": WARNING_DOC}), "--out", tmp_path / "docs", flag)
    assert result.exit_code == 0
    assert "guides/b.md:5" in result.output
    assert "Changes since the last sync" not in result.output


def test_unwritable_report_path_is_a_clear_error(make_export, tmp_path):
    (tmp_path / "blocker").write_text("a file, so no folder can be made here", "utf-8")
    result = run("sync", make_export(GOOD), "--out", tmp_path / "docs", "--report", tmp_path / "blocker" / "r.json")
    assert result.exit_code == 1
    assert "Could not write the report" in result.output and "blocker" in result.output
