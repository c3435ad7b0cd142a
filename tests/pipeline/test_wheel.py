"""The package as other teams get it: a wheel, installed into a fresh venv, whose plugin builds a site
from a minimal mkdocs.yml (no copy of this repo's overrides/, hooks or settings)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from helpers import REPO

#: What is not part of the source tree: a checkout's own state, at its top level and anywhere below.
TOP_LEVEL_STATE = {".git", ".venv", "docs_src", "site", "build", "dist", "test-artifacts", ".hypothesis", ".pytest_cache"}
ANYWHERE = shutil.ignore_patterns("*.egg-info", "__pycache__")


def _not_source(folder: str, names: list[str]) -> set[str]:
    ignored = set(ANYWHERE(folder, names))
    return ignored | (TOP_LEVEL_STATE & set(names) if Path(folder) == REPO else set())

MINIMAL_SITE = """\
site_name: Team wiki
docs_dir: docs
theme:
  name: material
  features: [content.action.edit]
plugins:
  - search
  - redirects
  - wikigdrive:
      export_dir: {export}
      system_name: Team EHR
"""


def _run(args: list, **kwargs) -> subprocess.CompletedProcess:
    env = {key: value for key, value in os.environ.items() if key not in ("PYTHONPATH", "VIRTUAL_ENV",
                                                                             "WIKIGDRIVE_EXPORT")}
    result = subprocess.run([str(a) for a in args], capture_output=True, text=True, env={**env, **kwargs.pop("env", {})},
                            **kwargs)
    if result.returncode != 0 and any(sign in result.stdout + result.stderr for sign in (
            "NewConnectionError", "Temporary failure in name resolution", "Network is unreachable")):
        pytest.skip(f"the package registry is unreachable: {args[:3]} could not download")
    assert result.returncode == 0, f"{args} failed:\n{result.stdout}\n{result.stderr}"
    return result


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    """The wheel, built from a copy of the source tree (the build leaves build/ and egg-info behind)."""
    work = tmp_path_factory.mktemp("wheel")
    shutil.copytree(REPO, work / "src", ignore=_not_source)
    _run([sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--wheel-dir", work / "dist", work / "src"])
    (built,) = (work / "dist").glob("gdocs_wiki_ingest-*.whl")
    return built


def test_the_wheel_holds_the_templates_and_registers_the_plugin(wheel):
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
        entry_points = next(archive.read(n).decode() for n in names if n.endswith(".dist-info/entry_points.txt"))
    for partial in ("activity-card.html", "actions.html", "nav-item.html", "source-file.html"):
        assert f"ingest/mkdocs/templates/partials/{partial}" in names
    assert "ingest/mkdocs/templates/assets/stylesheets/ingest.css" in names
    assert "ingest/mkdocs/templates/assets/javascripts/vendor/tablesort-5.7.1/tablesort.min.js" in names
    assert "[mkdocs.plugins]\nwikigdrive = ingest.mkdocs.plugin:WikiGDrivePlugin" in entry_points
    assert not [n for n in names if n.startswith(("tests/", "samples/", "overrides/"))]
    packages = {str(p.parent.relative_to(REPO)) for p in (REPO / "ingest").rglob("*.py")}
    assert {p for p in packages if f"{p}/__init__.py" not in names} == set()  # every package of ingest/


def test_the_wheel_in_a_fresh_venv_builds_the_sample_export_from_a_minimal_mkdocs_yml(wheel, tmp_path):
    venv = tmp_path / "venv"
    _run([sys.executable, "-m", "venv", venv])
    _run([venv / "bin" / "python", "-m", "pip", "install", "--quiet", "--disable-pip-version-check",
          "-c", REPO / "requirements.lock", wheel])
    site = tmp_path / "team-site"
    (site / "docs").mkdir(parents=True)
    (site / "mkdocs.yml").write_text(MINIMAL_SITE.format(export=REPO / "samples" / "export"), "utf-8")
    _run([venv / "bin" / "mkdocs", "build", "--strict"], cwd=site, env={"NO_MKDOCS_2_WARNING": "1"})
    ahe6 = (site / "site" / "improvement-activities-measures" / "2018-improvement-activities"
            / "ahe-6-provide-education-opportunities-for-new-clinicians" / "index.html").read_text("utf-8")
    assert "ingest-activity-card" in ahe6  # the plugin's card template, from the installed package
    assert "https://drive.google.com/open?id=1SK7EKbmFSxhVveIiR-xLxJ17bRs31KIc0LbV-_yS2Ps" in ahe6  # edit button
    assert "Team EHR" in (site / "site" / "index.html").read_text("utf-8")  # the plugin's system_name
    assert (site / "site" / "assets" / "stylesheets" / "ingest.css").is_file()
    assert (site / "site" / "guides" / "getting-started-with-quality-reporting" / "index.html").is_file()  # a redirect
    assert (site / "wikigdrive-history.json").is_file()
    imported = _run([venv / "bin" / "python", "-c", "import ingest; print(ingest.__file__)"], cwd=tmp_path)
    assert str(venv) in imported.stdout  # the installed copy, not this checkout
