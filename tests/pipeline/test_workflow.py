"""The example GitHub Actions workflow (.github/workflows/publish.yml) stays in step with the CLI."""

from __future__ import annotations

import shlex

import yaml
from helpers import REPO

from ingest.__main__ import cli

WORKFLOW = REPO / ".github" / "workflows" / "publish.yml"


def steps(job: str) -> list[dict]:
    return yaml.safe_load(WORKFLOW.read_text("utf-8"))["jobs"][job]["steps"]


def command(name_part: str) -> list[str]:
    step = next(s for s in steps("build") if name_part in s.get("name", ""))
    return shlex.split(step["run"])


def test_workflow_syncs_with_options_the_cli_accepts():
    args = command("Sync")
    assert args[:4] == [".venv/bin/python", "-m", "ingest", "sync"]
    assert args[4] == "$EXPORT_DIR"
    sample = str(REPO / "samples" / "export")
    context = cli.commands["sync"].make_context("sync", [sample, *args[5:]])  # raises on an unknown option
    assert context.params["out_dir"] is None  # mkdocs.yml's docs_dir


def test_workflow_builds_strict_and_deploys_the_built_site():
    assert command("Build") == [".venv/bin/mkdocs", "build", "--strict"]
    upload = next(s for s in steps("build") if s.get("uses", "").startswith("actions/upload-pages-artifact@"))
    assert upload["with"]["path"] == "site"
    assert any(s.get("uses", "").startswith("actions/deploy-pages@") for s in steps("deploy"))
    assert (REPO / command("Set up")[0]).is_file()


def test_workflow_keeps_the_url_history_in_git_not_in_a_cache():
    build_steps = steps("build")
    assert not [s for s in build_steps if s.get("uses", "").startswith("actions/cache")]
    names = [s.get("name", "") for s in build_steps]
    assert names.index("Sync the export") < names.index("Commit the URL history back") < names.index("Build with --strict")
    commit = next(s for s in build_steps if s.get("name") == "Commit the URL history back")["run"]
    assert "git add wikigdrive-history.json" in commit and "git push" in commit and "exit 1" in commit
    assert yaml.safe_load(WORKFLOW.read_text("utf-8"))["permissions"]["contents"] == "write"
    assert all("@" in s["uses"] for s in build_steps + steps("deploy") if "uses" in s)  # actions pinned to a version


def test_the_history_the_workflow_commits_is_the_one_the_sync_writes(tmp_path):
    """The sync step gives no --out: it syncs into mkdocs.yml's docs_dir, so the history beside it is kept."""
    args = command("Sync")
    assert "--out" not in args and "--no-history" not in args and "--history" not in args
    from ingest.settings import read_site_config

    assert read_site_config(REPO / "mkdocs.yml").history_file == REPO / "wikigdrive-history.json"
