"""Progress display (ingest/progress.py): a bar on a terminal, plain lines elsewhere."""

from __future__ import annotations

import io
import os
import pty
import subprocess
import sys

from helpers import REPO

from ingest.commands.sync import sync
from ingest.utils.progress import BarProgress, LineProgress, NoProgress, progress_for


class FakeTerminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_terminal_gets_a_bar_and_a_log_gets_lines():
    assert isinstance(progress_for(FakeTerminal()), BarProgress)
    assert isinstance(progress_for(io.StringIO()), LineProgress)
    assert isinstance(progress_for(FakeTerminal(), quiet=True), NoProgress)


def test_bar_shows_count_and_total_on_a_terminal():
    stream = FakeTerminal()
    progress = BarProgress(stream, delay=0)
    progress.stage("transforming docs", 4)
    for _ in range(4):
        progress.advance()
    progress.close()
    shown = stream.getvalue()
    assert "\ringest: transforming docs:   0%|" in shown and "0/4 [" in shown
    assert shown.endswith("\r") and shown.rsplit("\r", 2)[1].strip() == ""  # cleared when the stage ends


def test_lines_name_each_stage_with_its_count(make_export, tmp_path):
    stream = io.StringIO()
    root = make_export({"index.md": ({"id": "1", "title": "Home"}, "Hi\n"), "a.md": ({"id": "2", "title": "A"}, "A\n")})
    sync(root, tmp_path / "docs", progress=LineProgress(stream))
    lines = stream.getvalue().splitlines()
    assert [line.split(":")[1].strip() for line in lines] == [
        "checking the export for changes", "reading the export", "normalising docs", "transforming docs",
        "writing the docs_dir"]
    assert lines[3].startswith("ingest: transforming docs: 2 done in ")
    assert "\r" not in stream.getvalue()


def test_cli_progress_goes_to_stderr_as_lines_when_not_a_terminal(make_export, tmp_path):
    root = make_export({"index.md": ({"id": "1", "title": "Home"}, "Hi\n")})
    result = subprocess.run([sys.executable, "-m", "ingest", "sync", str(root), "--out", str(tmp_path / "docs")],
                            capture_output=True, text=True, cwd=REPO)
    assert result.returncode == 0
    assert "ingest: transforming docs: 1 done in" in result.stderr
    assert "ingest:" not in result.stdout and "Synced 1 doc" in result.stdout


def test_cli_on_a_terminal_prints_no_plain_lines(make_export, tmp_path):
    """On a terminal a short sync shows no bar (it ends before the half-second delay) and no log lines."""
    root = make_export({"index.md": ({"id": "1", "title": "Home"}, "Hi\n")})
    controller, terminal = pty.openpty()
    try:
        result = subprocess.run([sys.executable, "-m", "ingest", "sync", str(root), "--out", str(tmp_path / "docs")],
                                stdout=subprocess.PIPE, stderr=terminal, text=True, cwd=REPO)
        os.close(terminal)
        shown = b""
        try:
            while chunk := os.read(controller, 4096):
                shown += chunk
        except OSError:
            pass
    finally:
        os.close(controller)
    assert result.returncode == 0 and "Synced 1 doc" in result.stdout
    assert b"done in" not in shown
