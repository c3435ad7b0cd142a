"""The example GitHub Actions workflow (.github/workflows/publish.yml) stays in step with the CLI."""

from __future__ import annotations

import shlex
from pathlib import Path

import yaml

from ingest.__main__ import cli

REPO = Path(__file__).resolve().parents[1]
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
    assert context.params["out_dir"] == Path("docs_src")


def test_workflow_builds_strict_and_deploys_the_built_site():
    assert command("Build") == [".venv/bin/mkdocs", "build", "--strict"]
    upload = next(s for s in steps("build") if s.get("uses", "").startswith("actions/upload-pages-artifact@"))
    assert upload["with"]["path"] == "site"
    assert any(s.get("uses", "").startswith("actions/deploy-pages@") for s in steps("deploy"))
    assert (REPO / command("Set up")[0]).is_file()


def test_workflow_keeps_the_docs_dir_it_syncs_into():
    cached = {s["with"]["path"] for s in steps("build") if s.get("uses", "").startswith("actions/cache/")}
    assert cached == {"docs_src"}
    names = [s.get("name", "") for s in steps("build")]
    assert names.index("Sync the export") < names.index("Keep docs_src for the next run")
    assert all("@" in s["uses"] for s in steps("build") + steps("deploy") if "uses" in s)  # actions pinned to a version
