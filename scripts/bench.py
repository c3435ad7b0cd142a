"""Benchmark against the real peer: our sync + strict build of a wikiGDrive export, and Hugo's build of it.

Usage: scripts/bench [--workloads corpus,1000,5000,20000] [--repeat N] [--big-repeat N]
                     [--no-naive | --naive-max N] [--no-hugo] [--hugo-timeout S]
                     [--serve-docs N | --no-serve] [--profile | --no-profile]
                     [--work DIR] [--keep] [--results FILE | --no-results] [--merge]

Workloads: ``corpus`` is the public 2023 export (../shared/corpus/mieweb-docs-2023, 825 docs; skipped with a
reason when ../shared is absent); a number is a synthetic export of that many docs (scripts/synthetic_export.py,
seed 0, its home page named ``_index.md`` as wikiGDrive names it, which Hugo needs). Each is copied or written
into the scratch folder; the bench changes nothing outside it.

Each workload runs in rounds (``--repeat``, default 3; ``--big-repeat``, default 1, from 5,000 docs). Within a
round the steps take turns, so a shared machine's drift slows them all alike; each runs in a fresh process,
timed by wall and CPU time (wait4, children included); the medians are kept:

- ``cp -r`` of the export: the floor for anything that reads and writes every file;
- our sync, ``python -m ingest sync EXPORT --out DOCS --config CONFIG -q``, into an empty docs_dir without a
  URL history (a first sync); peak RSS;
- our strict build, ``mkdocs build --strict -f CONFIG -q``, cold: the plugin's render cache (``.cache/``
  beside CONFIG) is deleted first; peak RSS. CONFIG is the repo's mkdocs.yml written into the workload's
  folder (custom_dir absolute, docs_dir and site_dir there, the plugin's export_dir unset; for the corpus its
  system_name WebChart and the two published URLs);
- the naive build: the export copied into a Material site (navigation.prune, the search plugin) and built
  with ``mkdocs build`` (not strict), up to ``--naive-max`` docs;
- Hugo: ``../shared/peers/hugo-build EXPORT OUT``, Hugo with the theme the corpus was published with. Its
  ``hugo_s`` (one timed hugo run; copying and patching are not timed) is the figure compared with. It is
  skipped, with the reason, when its output (each page holds the whole menu: about docs² × 350 bytes) would
  not fit on the disk, or when it fails.

Then, the render cache warm: a full rebuild with nothing changed (the site removed first); the editor's loop,
one mid-tree doc's body edited in the export (a new paragraph each time), re-synced and built; that doc's
title changed, re-synced and built; and the body edit again as one command, ``mkdocs build`` with the plugin's
export_dir set (the re-sync runs in the build's process, as ``scripts/run`` and the plugin's own users run it).
Each is checked in the built page and set against Hugo's full build.
On the corpus (``--profile``, the default) one cold build runs under cProfile, summarised by where its time
goes. ``--serve-docs N`` (default 2,000) runs ``mkdocs serve`` on an N-doc export with the plugin's export_dir
set (the plugin watches the export and re-syncs once it is still for its debounce), edits one doc ``--repeat``
times, a few seconds apart, and times each from the write until the page served over HTTP has the edit (the
median is the figure); then the same with ``--dirty``. The target line is the plain ``mkdocs serve``, as an
editor runs it.

It prints a table, the targets met or missed, the serve line and what was skipped, and writes the same and the
profile to the results file (default benchmarks/results.md; notes below its ``<!-- notes -->`` line are kept)
and the figures to results.json beside it; ``--merge`` keeps the last figures of workloads not run this time.
Each workload starts by timing a fixed Python loop (the "reference loop"), the machine's speed at the time, so
figures measured at different times can be compared.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import pstats
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import sysconfig
import tempfile
import textwrap
import threading
import time
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from mkdocs.utils import yaml_load

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "scripts"))

from synthetic_export import write_export

SHARED = REPO.parent / "shared"
CORPUS = SHARED / "corpus" / "mieweb-docs-2023"
HUGO_BUILD = SHARED / "peers" / "hugo-build"
PYTHON = sys.executable
MKDOCS = str(Path(PYTHON).with_name("mkdocs"))
ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "PYTHONPATH": str(REPO)}
NOTES_MARK = "<!-- notes -->"
ISSUE = 13
BIG = 5000  # from this many docs a workload runs --big-repeat rounds
NAIVE_CONFIG = ("site_name: Naive\ntheme:\n  name: material\n  features:\n    - navigation.prune\n"
                "plugins:\n  - search\n")
CORPUS_OPTIONS = {"system_name": "WebChart",
                  "published_urls": ["https://docs.webchartnow.com/", "https://docs.enterprisehealth.com/"]}
HUGO_BYTES_PER_DOC2 = 350  # Hugo's output with the real theme: ~231 KB a page at 825 docs, ~325 KB at 1,000
SERVE_TARGET_S, SERVE_TARGET_DOCS = 2.0, 2000
SERVE_PAUSE_S = 2.0  # between the edits under mkdocs serve
#: The line under "Skipped" when the serve test is not run (dropped when --merge keeps an earlier one).
SERVE_SKIPPED = "mkdocs serve test: --no-serve"


@dataclass(frozen=True)
class Target:
    key: str
    label: str
    limit: float
    stretch: float | None = None
    where: tuple[str, ...] = ()
    """The workloads the target is set for (empty: every one)."""


TARGETS = (
    Target("total_vs_hugo", "full sync + strict build ≤ 1.0× Hugo's build (stretch 0.5×)", 1.0, 0.5,
           ("corpus", "5000", "20000")),
    Target("edit_vs_hugo", "editor's loop, one body edited: re-sync + build ≤ 0.15× Hugo's full build", 0.15),
    Target("edit_one_vs_hugo", "the same loop as one command (`mkdocs build` with the plugin's export_dir: the re-sync "
           "runs in the build) ≤ 0.15× Hugo's full build", 0.15),
    Target("title_vs_hugo", "a title change: re-sync + build ≤ 0.5× Hugo's full build", 0.5),
    Target("html_kb_per_page", "HTML ≤ 60 KB a page", 60.0),
    Target("index_vs_naive", "search index ≤ 60% of the naive one", 0.60),
)

#: The table's rows: label, figure, format.
ROWS = (
    ("docs", "docs", ",.0f"), ("cp -r (s)", "cp_s", ".2f"),
    ("sync (s, wall)", "sync_s", ".2f"), ("sync (s, CPU)", "sync_cpu_s", ".2f"), ("sync peak RSS (MB)", "sync_rss_mb", ".0f"),
    ("strict build, cold (s, wall)", "build_s", ".1f"), ("strict build, cold (s, CPU)", "build_cpu_s", ".1f"),
    ("build peak RSS (MB)", "build_rss_mb", ".0f"),
    ("sync + build (s, wall)", "total_s", ".1f"), ("sync + build (s, CPU)", "total_cpu_s", ".1f"),
    ("naive Material build (s, wall)", "naive_s", ".1f"), ("naive build (s, CPU)", "naive_cpu_s", ".1f"),
    ("Hugo build (hugo_s)", "hugo_s", ".2f"), ("Hugo pages", "hugo_pages", ",.0f"), ("Hugo patched docs", "hugo_patched", ".0f"),
    ("(sync + build) ÷ Hugo", "total_vs_hugo", ".2f"), ("build ÷ Hugo", "build_vs_hugo", ".2f"),
    ("(sync + build) ÷ naive", "total_vs_naive", ".2f"),
    ("warm full rebuild, nothing changed (s)", "warm_build_s", ".1f"),
    ("body edit: re-sync (s)", "edit_sync_s", ".2f"), ("body edit: build (s)", "edit_build_s", ".1f"),
    ("body edit: total (s)", "edit_total_s", ".1f"), ("body edit ÷ Hugo", "edit_vs_hugo", ".2f"),
    ("body edit, one command: mkdocs build with export_dir (s)", "edit_one_s", ".1f"),
    ("body edit, one command ÷ Hugo", "edit_one_vs_hugo", ".2f"),
    ("title change: re-sync + build (s)", "title_total_s", ".1f"), ("title change ÷ Hugo", "title_vs_hugo", ".2f"),
    ("pages built", "pages", ",.0f"), ("HTML per page (KB)", "html_kb_per_page", ".1f"),
    ("naive HTML per page (KB)", "naive_html_kb_per_page", ".1f"), ("Hugo HTML per page (KB)", "hugo_html_kb_per_page", ".1f"),
    ("search index (KB)", "index_kb", ",.0f"), ("naive search index (KB)", "naive_index_kb", ",.0f"),
    ("search index ÷ naive", "index_vs_naive", ".2f"),
    ("reference loop (s; machine speed)", "reference_s", ".2f"), ("measured on", "date", "s"),
)


# --- running a step -------------------------------------------------------------------------------

class StepFailed(RuntimeError):
    pass


@dataclass
class Run:
    """One child process: wall and CPU seconds (children included), peak RSS in MB, what it printed."""

    wall: float
    cpu: float
    rss_mb: float
    out: str = ""


def run(args: list[str], cwd: Path | None = None, timeout: float | None = None) -> Run:
    """Run ``args`` in its own session and measure it with wait4; raise StepFailed unless it exits 0."""
    timed_out: list[bool] = []

    def kill(pid: int) -> None:
        timed_out.append(True)
        os.killpg(pid, signal.SIGKILL)

    with tempfile.TemporaryFile() as out:
        start = time.perf_counter()
        process = subprocess.Popen(args, cwd=cwd, env=ENV, stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
        timer = threading.Timer(timeout, kill, (process.pid,)) if timeout else None
        try:
            if timer:
                timer.start()
            _, status, usage = os.wait4(process.pid, 0)
        except BaseException:
            os.killpg(process.pid, signal.SIGKILL)
            raise
        finally:
            if timer:
                timer.cancel()
        wall = time.perf_counter() - start
        process.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        text = out.read().decode("utf-8", errors="replace")
    if process.returncode != 0:
        why = f"killed after {timeout:.0f} s" if timed_out else f"exit status {process.returncode}"
        raise StepFailed(f"{' '.join(map(str, args))} failed ({why}):\n{text[-2000:]}")
    return Run(wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024, text)


def median(runs: list[Run]) -> Run:
    return Run(statistics.median(r.wall for r in runs), statistics.median(r.cpu for r in runs),
               max(r.rss_mb for r in runs))


def rmtree(path: Path) -> None:
    shutil.rmtree(path, ignore_errors=True)


def reference_loop() -> float:
    """Seconds of a fixed pure-Python loop in a fresh process, the best of three: the machine's speed now."""
    return min(run([PYTHON, "-c", "sum(i * i for i in range(5_000_000))"]).wall for _ in range(3))


# --- a workload's folder and its sites ------------------------------------------------------------

@dataclass(frozen=True)
class Site:
    """A workload's scratch folder: the export, our config, docs_dir and site, the naive and Hugo sites."""

    root: Path

    export = property(lambda self: self.root / "export")
    copy = property(lambda self: self.root / "copy")
    docs = property(lambda self: self.root / "docs")
    site = property(lambda self: self.root / "site")
    config = property(lambda self: self.root / "mkdocs.yml")
    cache = property(lambda self: self.root / ".cache")
    """The plugin's render cache (and any other plugin's) beside the config."""
    history = property(lambda self: self.root / "wikigdrive-history.json")
    naive = property(lambda self: self.root / "naive")
    hugo = property(lambda self: self.root / "hugo-site")


def write_config(site: Site, path: Path | None = None, **options: Any) -> Path:
    """The repo's mkdocs.yml in the workload's folder (as tests/helpers.py's ``site_config``), with the
    wikigdrive plugin's ``options`` (export_dir unset unless given); at ``path`` instead of ``site.config``."""
    with open(REPO / "mkdocs.yml", encoding="utf-8") as stream:
        data = yaml_load(stream)
    data["theme"]["custom_dir"] = str(REPO / data["theme"]["custom_dir"])
    data["docs_dir"], data["site_dir"] = str(site.docs), str(site.site)
    (plugin,) = [entry for entry in data["plugins"] if isinstance(entry, dict) and "wikigdrive" in entry]
    plugin["wikigdrive"].update({"export_dir": None, **options})
    path = path or site.config
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), "utf-8")
    return path


def sync_args(site: Site) -> list[str]:
    return [PYTHON, "-m", "ingest", "sync", str(site.export), "--out", str(site.docs), "--config", str(site.config), "-q"]


def build_args(site: Site) -> list[str]:
    return [MKDOCS, "build", "--strict", "-f", str(site.config), "-q"]


def site_figures(site: Path) -> dict[str, float]:
    """Pages (HTML files), HTML KB a page and the search index's KB of a built site."""
    sizes = [os.path.getsize(os.path.join(d, n)) for d, _, names in os.walk(site) for n in names if n.endswith(".html")]
    index = site / "search" / "search_index.json"
    return {"pages": len(sizes), "html_kb_per_page": sum(sizes) / max(len(sizes), 1) / 1024,
            "index_kb": index.stat().st_size / 1024 if index.exists() else 0.0}


def page_path(dest: str) -> str:
    """The URL path of the page built from docs_dir file ``dest`` (use_directory_urls)."""
    stem = dest[:-3]
    if stem == "index" or stem.endswith("/index"):
        return stem[:-5]
    return stem + "/"


def pick_doc(site: Site) -> tuple[str, str, bool]:
    """(export source, docs_dir dest, whether navigation.md names it) of a plain doc in the middle of the
    tree, from the sync's manifest; one navigation.md does not name if there is one (its title is then
    the page's H1 and nav label)."""
    manifest = json.loads((site.docs / ".ingest" / "manifest.json").read_text("utf-8"))
    nav = site.export / "navigation.md"
    named = set(re.findall(r"\]\(([^)\s]+)\)", nav.read_text("utf-8", errors="replace"))) if nav.is_file() else set()
    entries = sorted((e["source"] in named, e["dest"], e["source"]) for e in manifest["docs"].values()
                     if e.get("dest") and e.get("source"))
    plain = [e for e in entries if e[1].count("/") >= 2 and not e[1].endswith("index.md")] or entries
    unnamed = [e for e in plain if not e[0]] or plain
    is_named, dest, source = unnamed[len(unnamed) // 2]
    return source, dest, is_named


def append_paragraph(path: Path, text: str) -> None:
    path.write_bytes(path.read_bytes() + f"\n\n{text}\n".encode())


def set_title(path: Path, title: str) -> None:
    """Replace the ``title:`` line of a doc's front matter."""
    data = path.read_bytes()
    end = data.find(b"\n---", 3)
    if not data.startswith(b"---") or end < 0:
        raise StepFailed(f"{path} has no front matter to change the title in")
    front, count = re.subn(rb"^title:[^\r\n]*", f"title: '{title}'".encode(), data[:end], count=1, flags=re.MULTILINE)
    if not count:
        raise StepFailed(f"{path} has no title: line")
    path.write_bytes(front + data[end:])


def check_page(site: Site, dest: str, text: str, heading: bool) -> None:
    """Fail unless the built page has ``text`` (as its H1 when ``heading``)."""
    page = site.site / page_path(dest) / "index.html"
    html = page.read_text("utf-8", errors="replace") if page.is_file() else ""
    if not re.search((r"<h1[^>]*>\s*" if heading else "") + re.escape(text), html):
        raise StepFailed(f"the built page {page} does not have {'the H1 ' if heading else ''}{text!r}")


# --- one workload ---------------------------------------------------------------------------------

@dataclass
class Result:
    name: str
    figures: dict[str, Any] = field(default_factory=dict)
    skipped: dict[str, str] = field(default_factory=dict)
    """What was not measured, by step (naive, hugo, ...): why."""

    @property
    def label(self) -> str:
        return f"corpus ({self.figures.get('docs', 0):,} docs)" if self.name == "corpus" else f"{int(self.name):,} docs"


def prepare(name: str, site: Site, args: argparse.Namespace) -> None:
    rmtree(site.root)
    site.root.mkdir(parents=True)
    if name == "corpus":
        shutil.copytree(CORPUS, site.export)
        write_config(site, **CORPUS_OPTIONS)
    else:
        write_export(site.export, int(name), seed=0, home="_index.md")
        write_config(site)


def hugo_reason(docs: int, site: Site, args: argparse.Namespace) -> str | None:
    """Why Hugo is not run on this workload, or None."""
    if args.no_hugo:
        return "--no-hugo"
    if not HUGO_BUILD.is_file():
        return f"{HUGO_BUILD} is absent"
    needed, free = docs * docs * HUGO_BYTES_PER_DOC2, shutil.disk_usage(site.root).free
    if needed > 0.8 * free:
        return (f"its output would not fit on the disk: the theme writes the whole menu into every page, about "
                f"{needed / 2**30:,.0f} GB at {docs:,} docs, and {free / 2**30:,.0f} GB are free")
    return None


def hugo_step(site: Site, args: argparse.Namespace) -> dict[str, float]:
    rmtree(site.hugo)
    done = run([str(HUGO_BUILD), str(site.export), str(site.hugo)], timeout=args.hugo_timeout)
    found = re.search(r"hugo_s=([\d.]+) pages=(\d+) patched=(\d+)", done.out)
    if not found:
        raise StepFailed(f"hugo-build printed no hugo_s=…: {done.out[-500:]}")
    return {"hugo_s": float(found[1]), "hugo_pages": int(found[2]), "hugo_patched": int(found[3]),
            "hugo_script_s": done.wall}


def rounds(site: Site, result: Result, repeat: int, naive: bool, hugo: bool, args: argparse.Namespace) -> dict[str, list]:
    """cp -r, sync, cold strict build, naive build and Hugo, taking turns ``repeat`` times."""
    runs: dict[str, list] = {"cp": [], "sync": [], "build": [], "naive": [], "hugo": []}
    for n in range(repeat):
        rmtree(site.copy)
        runs["cp"].append(run(["cp", "-r", str(site.export), str(site.copy)]))
        rmtree(site.copy)
        rmtree(site.docs)
        site.history.unlink(missing_ok=True)
        runs["sync"].append(run(sync_args(site)))
        rmtree(site.site)
        rmtree(site.cache)  # cold: the render cache deleted before every full build
        runs["build"].append(run(build_args(site), cwd=site.root))
        if naive:
            rmtree(site.naive / "site")
            runs["naive"].append(run([MKDOCS, "build", "-q"], cwd=site.naive))
        if hugo:
            try:
                runs["hugo"].append(hugo_step(site, args))
            except StepFailed as exc:
                result.skipped["hugo"] = "Hugo failed: " + " ".join(str(exc).split())[-600:]
                hugo = False
        steps = [f"{step} {rs[-1].wall if isinstance(rs[-1], Run) else rs[-1]['hugo_s']:.2f} s"
                 for step, rs in runs.items() if len(rs) == n + 1]
        print(f"  round {n + 1}/{repeat}: " + ", ".join(steps), flush=True)
    return runs


def editor_loop(site: Site, repeat: int, f: dict[str, Any]) -> None:
    """Warm rebuilds, then a body edit and a title change in the export, each re-synced and built; then the
    body edit as one command, `mkdocs build` with the plugin's export_dir (the sync runs in the build)."""
    warm = []
    for _ in range(repeat):
        rmtree(site.site)
        warm.append(run(build_args(site), cwd=site.root))
    f["warm_build_s"] = median(warm).wall
    print(f"  warm full rebuild {f['warm_build_s']:.2f} s", flush=True)
    source, dest, named = pick_doc(site)
    f["edited_page"] = page_path(dest)
    for kind in ("edit", "title"):
        syncs, builds = [], []
        for n in range(1, repeat + 1):
            stamp = f"{n}x{int(time.time()) % 100000}"
            if kind == "edit":
                text = f"Edited for the benchmark, paragraph bench{stamp}."
                append_paragraph(site.export / source, text)
            else:
                text = f"Benchmark Title {stamp}"
                set_title(site.export / source, text)
            syncs.append(run(sync_args(site)))
            builds.append(run(build_args(site), cwd=site.root))
            check_page(site, dest, text, heading=kind == "title" and not named)
        sync, build = median(syncs).wall, median(builds).wall
        f.update({f"{kind}_sync_s": sync, f"{kind}_build_s": build, f"{kind}_total_s": sync + build})
        print(f"  {'body edit' if kind == 'edit' else 'title change'} ({f['edited_page']}"
              f"{', named in navigation.md' if named else ''}): re-sync {sync:.2f} s + build {build:.2f} s", flush=True)
    options = CORPUS_OPTIONS if site.root.name == "corpus" else {}
    one = [MKDOCS, "build", "--strict", "-f", str(write_config(site, site.root / "mkdocs-export.yml",
                                                                export_dir=str(site.export), **options)), "-q"]
    run(one, cwd=site.root)  # once first: its config (export_dir) is another, so every page is themed again
    builds = []
    for n in range(1, repeat + 1):
        text = f"Edited for the benchmark, paragraph bench1c{n}x{int(time.time()) % 100000}."
        append_paragraph(site.export / source, text)
        builds.append(run(one, cwd=site.root))
        check_page(site, dest, text, heading=False)
    f["edit_one_s"] = median(builds).wall
    print(f"  body edit, one command (mkdocs build with export_dir): {f['edit_one_s']:.2f} s", flush=True)


def bench_workload(name: str, work: Path, args: argparse.Namespace) -> tuple[Result, dict[str, Any] | None]:
    result = Result(name)
    f = result.figures
    site = Site(work / name)
    prepare(name, site, args)
    f["date"] = datetime.date.today().isoformat()
    f["reference_s"] = reference_loop()
    first = run(sync_args(site))  # the doc count, and the OS cache warm for all
    found = re.search(r"Synced (\d+) docs", first.out)
    f["docs"] = int(found[1]) if found else sum(1 for _ in site.export.rglob("*.md")) - 1
    docs = f["docs"]
    repeat = args.big_repeat if docs >= BIG else args.repeat
    print(f"\n{result.label}: reference loop {f['reference_s']:.2f} s; {repeat} round(s)", flush=True)
    naive = not args.no_naive and docs <= args.naive_max
    if naive:
        shutil.copytree(site.export, site.naive / "docs")
        (site.naive / "mkdocs.yml").write_text(NAIVE_CONFIG, "utf-8")
    else:
        result.skipped["naive"] = "--no-naive" if args.no_naive else f"above --naive-max ({args.naive_max:,} docs)"
    reason = hugo_reason(docs, site, args)
    if reason:
        result.skipped["hugo"] = reason
    runs = rounds(site, result, repeat, naive, reason is None, args)
    record(f, runs, site, naive)
    rmtree(site.hugo)
    profile = None
    if name == "corpus" and args.profile:
        print("  profiling a cold build (cProfile) ...", flush=True)
        profile = profile_build(site, f["build_s"])
    editor_loop(site, repeat, f)
    result.figures = derive(f)
    if not args.keep:
        rmtree(site.root)
    return result, profile


def record(f: dict[str, Any], runs: dict[str, list], site: Site, naive: bool) -> None:
    """The medians of the rounds, and the sizes of the sites the last round built."""
    cp, sync, build = median(runs["cp"]), median(runs["sync"]), median(runs["build"])
    f.update(cp_s=cp.wall, sync_s=sync.wall, sync_cpu_s=sync.cpu, sync_rss_mb=sync.rss_mb,
             build_s=build.wall, build_cpu_s=build.cpu, build_rss_mb=build.rss_mb)
    f.update(site_figures(site.site))
    if naive:
        m, figures = median(runs["naive"]), site_figures(site.naive / "site")
        f.update(naive_s=m.wall, naive_cpu_s=m.cpu, naive_html_kb_per_page=figures["html_kb_per_page"], naive_index_kb=figures["index_kb"])
    if runs["hugo"]:
        f.update({key: statistics.median(r[key] for r in runs["hugo"]) for key in runs["hugo"][0]})
        f["hugo_html_kb_per_page"] = site_figures(site.hugo)["html_kb_per_page"]


def derive(f: dict[str, Any]) -> dict[str, Any]:
    """The figures made of others (again after --merge)."""
    f = dict(f)

    def ratio(key: str, top: str, bottom: str) -> None:
        if f.get(top) is not None and f.get(bottom):
            f[key] = f[top] / f[bottom]

    if "sync_s" in f and "build_s" in f:
        f["total_s"], f["total_cpu_s"] = f["sync_s"] + f["build_s"], f["sync_cpu_s"] + f["build_cpu_s"]
    for key, top, bottom in (("total_vs_hugo", "total_s", "hugo_s"), ("build_vs_hugo", "build_s", "hugo_s"),
                             ("total_vs_naive", "total_s", "naive_s"), ("edit_vs_hugo", "edit_total_s", "hugo_s"),
                             ("title_vs_hugo", "title_total_s", "hugo_s"), ("edit_one_vs_hugo", "edit_one_s", "hugo_s"),
                             ("index_vs_naive", "index_kb", "naive_index_kb")):
        ratio(key, top, bottom)
    return f


# --- the profile ----------------------------------------------------------------------------------

def profile_build(site: Site, unprofiled: float) -> dict[str, Any]:
    """One cold strict build under cProfile, summarised by :func:`summarise_profile`."""
    rmtree(site.site)
    rmtree(site.cache)
    out = site.root / "build.pstats"
    done = run([PYTHON, "-m", "cProfile", "-o", str(out), "-m", "mkdocs", *build_args(site)[1:]], cwd=site.root)
    return {**summarise_profile(out, done.wall), "unprofiled_s": unprofiled}


def summarise_profile(path: Path, wall: float) -> dict[str, Any]:
    stats = pstats.Stats(str(path))
    table: dict[tuple[str, int, str], tuple] = stats.stats  # type: ignore[attr-defined]
    total = stats.total_tt  # type: ignore[attr-defined]

    def cum(where: str, name: Callable[[str], bool] | str, caller: str | None = None) -> float:
        """Cumulative seconds of the functions named ``name`` in files containing ``where`` (only the part
        called from functions named ``caller``, when given)."""
        match = name if callable(name) else (lambda n: n == name)
        seconds = 0.0
        for (file, _, func), (_, _, _, ct, callers) in table.items():
            if where in file.replace(os.sep, "/") and match(func):
                seconds += ct if caller is None else sum(v[3] for (_, _, cf), v in callers.items() if cf == caller)
        return seconds

    hook = lambda n: n.startswith("on_")
    ahead = cum("ingest/mkdocs/rendercache.py", "render_ahead")
    theme_wait = cum("ingest/mkdocs/themecache.py", "_wait")
    # _build_page renders its template through the theme cache (themecache.CachedTemplate.render), or
    # through Jinja2 itself where the cache is off.
    themed = cum("ingest/mkdocs/themecache.py", "render", "_build_page") + cum("jinja2/", "render", "_build_page")
    categories = [
        ("Markdown conversion (Page.render, from _populate_page)", cum("", "render", "_populate_page")),
        ("templates, in this process (Template.render in _build_page, through the theme cache)",
         max(themed - theme_wait, 0.0)),
        ("theme cache: the worker theming pages ahead (waited for)", theme_wait),
        ("Material search plugin (its on_* hooks)", cum("material/plugins/search/plugin.py", hook)),
        ("wikigdrive plugin hooks (ingest/mkdocs/plugin.py on_*; less rendering ahead)",
         max(cum("ingest/mkdocs/plugin.py", hook) - ahead, 0.0)),
        ("render cache: rendering ahead in worker processes (waited for)", ahead),
        ("static files (copy_static_files)", cum("", "copy_static_files")),
        ("reading sources (read_source)", cum("", "read_source", "_populate_page")),
    ]
    categories.append(("everything else (config, files, nav, writing pages, imports …)",
                       max(total - sum(s for _, s in categories), 0.0)))
    top = sorted(((ct, file, line, func) for (file, line, func), (_, _, _, ct, _) in table.items()
                  if ct < 0.95 * total), reverse=True)[:15]  # the wrappers holding the whole build left out
    return {"wall_s": wall, "total_s": total, "categories": [[label, s] for label, s in categories],
            "top": [[func, f"{short(file)}:{line}", ct] for ct, file, line, func in top]}


def short(file: str) -> str:
    for mark in ("site-packages/", str(REPO) + "/", sysconfig.get_paths()["stdlib"] + "/"):
        if mark in file:
            return file.split(mark, 1)[1]
    return "built-in" if file == "~" else file


def profile_lines(profile: dict[str, Any] | None) -> list[str]:
    if not profile:
        return ["Not profiled in this run (`--profile` profiles the corpus' build)."]
    total = profile["total_s"] or 1.0
    lines = [(f"`python -m cProfile -m mkdocs build --strict` of the corpus, cold render cache, warm OS cache: "
             f"{profile['wall_s']:.1f} s wall under the profiler (unprofiled, the table's cold build: "
             f"{profile.get('unprofiled_s') or 0:.1f} s), {profile['total_s']:.1f} s in profiled functions. Only the "
             "build process is profiled: the workers rendering and theming pages ahead are not, and the time waiting "
             "for them is shown as such. The profiler slows Python code more than C code, so shares are rough."), "",
             "| where | s | share |", "|---|---|---|"]
    lines += [f"| {label} | {s:.2f} | {s / total:.0%} |" for label, s in profile["categories"]]
    lines += ["", "Top 15 by cumulative time (the wrappers that hold the whole build left out):", "",
              "| function | file:line | cumtime (s) | share |", "|---|---|---|---|"]
    lines += [f"| `{func}` | {where} | {ct:.2f} | {ct / total:.0%} |" for func, where, ct in profile["top"]]
    return lines


# --- mkdocs serve ---------------------------------------------------------------------------------

def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def fetch(url: str) -> str | None:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.read().decode("utf-8", errors="replace")
    except OSError:
        return None


def plugin_debounce() -> float:
    from ingest.mkdocs.config import WikiGDriveConfig

    return float(WikiGDriveConfig.debounce.default)


def serve_once(site: Site, source: str, url: str, extra: list[str], timeout: float, edits: int = 1) -> dict[str, Any]:
    """Start ``mkdocs serve``, wait for the page, then ``edits`` times: edit the doc, time until the served page
    has the edit (the median, and each). One edit is one sample of a noisy machine: several are taken, a
    few seconds apart, as the editor's loop takes several."""
    port = free_port()
    log = site.root / f"serve{'-'.join(['', *extra])}.log"
    with open(log, "wb") as out:
        server = subprocess.Popen([MKDOCS, "serve", "-f", str(site.config), "--dev-addr", f"127.0.0.1:{port}", *extra],
                                  cwd=site.root, env=ENV, stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
    page = f"http://127.0.0.1:{port}/{url}"

    def wait_for(ready: Callable[[], bool], what: str) -> float:
        start = time.perf_counter()
        while not ready():
            if server.poll() is not None or time.perf_counter() - start > timeout:
                raise StepFailed(f"mkdocs serve {' '.join(extra)}: {what} not seen; its log:\n"
                                 + log.read_text("utf-8", errors="replace")[-1500:])
            time.sleep(0.05)
        return time.perf_counter() - start

    try:
        first = wait_for(lambda: fetch(page) is not None, "the first build")
        updated = []
        for edit in range(edits):
            if edit:
                time.sleep(SERVE_PAUSE_S)  # the server settles (its garbage collected, its caches kept)
            marker = f"served{int(time.time() * 1000) % 10**9}"
            append_paragraph(site.export / source, f"Edited under mkdocs serve: {marker}.")
            updated.append(wait_for(lambda marker=marker: marker in (fetch(page) or ""), "the edit"))
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait()
    return {"first_build_s": first, "updated_s": statistics.median(updated), "updated_each_s": updated}


def bench_serve(docs: int, work: Path, keep: bool, edits: int, timeout: float = 900.0) -> dict[str, Any]:
    """``mkdocs serve`` and ``mkdocs serve --dirty`` on an N-doc export with the plugin's export_dir set."""
    site = Site(work / "serve")
    rmtree(site.root)
    site.root.mkdir(parents=True)
    write_export(site.export, docs, seed=0, home="_index.md")
    write_config(site, export_dir=str(site.export))
    run(sync_args(site))  # as scripts/run does before it serves
    source, dest, _ = pick_doc(site)
    serve: dict[str, Any] = {"docs": docs, "page": page_path(dest), "debounce_s": plugin_debounce(),
                             "date": datetime.date.today().isoformat()}
    for variant, extra in (("plain", []), ("dirty", ["--dirty"])):
        rmtree(site.cache)
        try:
            serve[variant] = serve_once(site, source, page_path(dest), extra, timeout, edits)
        except StepFailed as exc:
            serve[variant] = {"error": " ".join(str(exc).split())[-600:]}
        print(f"  {variant}: {serve[variant]}", flush=True)
    if not keep:
        rmtree(site.root)
    return serve


def serve_lines(serve: dict[str, Any] | None) -> list[str]:
    if not serve:
        return []

    def told(variant: str) -> str:
        got = serve.get(variant) or {}
        if "updated_s" not in got:
            return f"failed: {got.get('error', 'not run')}"
        each = got.get("updated_each_s") or [got["updated_s"]]
        times = f"{got['updated_s']:.2f} s" + (f" (median of {len(each)}: {', '.join(f'{t:.2f}' for t in each)} s)"
                                               if len(each) > 1 else "")
        return f"first build {got['first_build_s']:.1f} s; edit → page served updated after {times}"

    plain = (serve.get("plain") or {}).get("updated_s")
    verdict = "not measured" if plain is None else ("met" if plain <= SERVE_TARGET_S else
                                                    f"missed by {plain - SERVE_TARGET_S:.2f} s")
    scale = "" if serve["docs"] == SERVE_TARGET_DOCS else f"; the target is set at {SERVE_TARGET_DOCS:,} docs"
    return [(f"- `mkdocs serve` on {serve['docs']:,} docs, edit → updated page served ≤ {SERVE_TARGET_S:g} s "
            f"(plain `mkdocs serve`, the plugin's debounce {serve['debounce_s']:g} s; page /{serve['page']}): "
            f"{told('plain')} ({verdict}{scale}). With `--dirty`: {told('dirty')}."
             + (f" Measured on {serve['date']}." if serve.get("date") else ""))]


# --- output ---------------------------------------------------------------------------------------

def machine() -> str:
    cpu = platform.processor() or ""
    try:
        cpu = next(line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                   if line.startswith("model name"))
    except (OSError, StopIteration):
        pass
    return f"{os.cpu_count()} CPUs ({cpu}), Python {platform.python_version()}, {platform.system()} {platform.release()}"


def fmt(value: Any, spec: str) -> str:
    return "–" if value is None else str(value) if spec == "s" else format(value, spec)


def table(results: list[Result]) -> str:
    lines = ["| | " + " | ".join(r.label for r in results) + " |", "|---" * (len(results) + 1) + "|"]
    lines += [f"| {label} | " + " | ".join(fmt(r.figures.get(key), spec) for r in results) + " |"
              for label, key, spec in ROWS]
    return "\n".join(lines)


def over(value: float, limit: float) -> str:
    factor = value / limit
    return f"by {(factor - 1) * 100:.0f}%" if factor < 2 else f"{factor:.1f}× the limit"


def judged(value: float, target: Target) -> str:
    if value > target.limit:
        return f"missed {over(value, target.limit)}"
    if target.stretch is None:
        return "met"
    return "met, stretch met" if value <= target.stretch else f"met; stretch missed {over(value, target.stretch)}"


def verdicts(results: list[Result]) -> list[str]:
    """One line a target: met or missed, by how much, on which workloads."""
    by_name = {r.name: r for r in results}
    lines = []
    for target in TARGETS:
        parts = []
        for name in target.where or [r.name for r in results]:
            r = by_name.get(name)
            label = r.label if r else ("corpus" if name == "corpus" else f"{int(name):,} docs")
            if r is None:
                parts.append(f"{label}: not run")
            elif r.figures.get(target.key) is None:
                why = r.skipped.get("hugo" if "hugo" in target.key else "naive" if "naive" in target.key else "", "")
                why = why.split(": ", 1)[0]  # the reason's first clause; the whole one is under Skipped
                parts.append(f"{label}: not measured" + (f" (no {'Hugo' if 'hugo' in target.key else 'naive'} "
                                                         f"figure: {why[:80]})" if why else ""))
            else:
                value = r.figures[target.key]
                parts.append(f"{label}: {value:,.3g} ({judged(value, target)})")
        extra = [f"{r.label}: {r.figures[target.key]:,.3g}" for r in results
                 if target.where and r.name not in target.where and r.figures.get(target.key) is not None]
        lines.append(f"- {target.label}: " + "; ".join(parts) + (f" (for information, {'; '.join(extra)})" if extra else ""))
    return lines


def skipped_lines(results: list[Result], general: list[str]) -> list[str]:
    return [*(f"- {line}" for line in general),
            *(f"- {r.label}: {step}: {why}" for r in results for step, why in r.skipped.items())]


def report(results: list[Result], serve: dict[str, Any] | None, skipped: list[str]) -> list[str]:
    lines = ["## Targets", "", *verdicts(results), *serve_lines(serve)]
    if skipped_lines(results, skipped):
        lines += ["", "## Skipped", "", *skipped_lines(results, skipped)]
    return lines


def write_results(path: Path, results: list[Result], serve: dict[str, Any] | None, profile: dict[str, Any] | None,
                  skipped: list[str]) -> None:
    """The Markdown results file (the notes below its marker kept) and the figures as JSON beside it."""
    notes = ""
    if path.exists() and NOTES_MARK in (text := path.read_text("utf-8")):
        notes = text.split(NOTES_MARK, 1)[1]
    body = [f"# Benchmark results (issue {ISSUE})", "",
            (f"Written by `scripts/bench`, {machine()}. The corpus is ../shared/corpus/mieweb-docs-2023; the others "
            "are synthetic exports (scripts/synthetic_export.py, seed 0). Each step runs in a fresh process; in each "
            "round cp -r, the sync, our cold strict build, the naive build and Hugo take turns; times are medians "
            "of the rounds (3, one from 5,000 docs, by default). Hugo's figure is its timed `hugo` run. The machine "
            "is shared, so wall times are noisy: CPU times and the reference loop are given too."), "",
            table(results), "", *report(results, serve, skipped), "", "## Where the build's time goes", "",
            *profile_lines(profile), "", NOTES_MARK]
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(body) + (notes or "\n"), "utf-8")
    data = {"issue": ISSUE, "machine": machine(), "serve": serve, "profile": profile, "skipped": skipped,
            "results": {r.name: {"figures": r.figures, "skipped": r.skipped} for r in results}}
    path.with_suffix(".json").write_text(json.dumps(data, indent=1, sort_keys=True) + "\n", "utf-8")


def merge(path: Path, results: list[Result], serve: Any, profile: Any) -> tuple[list[Result], Any, Any]:
    """This run's figures over the last run's (results.json beside ``path``, if it is of this issue)."""
    try:
        data = json.loads(path.with_suffix(".json").read_text("utf-8"))
    except (OSError, ValueError):
        return results, serve, profile
    if data.get("issue") != ISSUE:
        print(f"--merge: {path.with_suffix('.json')} is not of issue {ISSUE}; nothing merged")
        return results, serve, profile
    old = {name: Result(name, e["figures"], e.get("skipped", {})) for name, e in data.get("results", {}).items()}
    for r in results:
        if r.name in old:
            before = old.pop(r.name)
            r.figures = derive({**before.figures, **r.figures})
            step_figure = {"naive": "naive_s", "hugo": "hugo_s"}
            r.skipped = {**{k: v for k, v in before.skipped.items() if step_figure.get(k) not in r.figures}, **r.skipped}
    return sort_results([*results, *old.values()]), serve or data.get("serve"), profile or data.get("profile")


def sort_results(results: list[Result]) -> list[Result]:
    return sorted(results, key=lambda r: (r.name != "corpus", int(r.name) if r.name.isdigit() else 0))


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0], formatter_class=argparse.RawDescriptionHelpFormatter,
                                     epilog=textwrap.dedent(__doc__.split("\n", 2)[2]))
    add = parser.add_argument
    add("--workloads", default="corpus,1000,5000,20000", help="comma-separated: corpus and doc counts (default %(default)s)")
    add("--repeat", type=int, default=3,
        help="rounds below 5,000 docs, and edits in the editor's loop and under mkdocs serve (default 3)")
    add("--big-repeat", type=int, default=1, help="rounds from 5,000 docs (default 1)")
    add("--naive-max", type=int, default=20000, help="skip the naive build above this many docs (default %(default)s)")
    add("--no-naive", action="store_true", help="skip the naive build")
    add("--no-hugo", action="store_true", help="skip Hugo (and the ratios to it)")
    add("--hugo-timeout", type=float, default=4 * 3600, help="seconds before a hugo-build is given up (default 4 h)")
    add("--serve-docs", type=int, default=SERVE_TARGET_DOCS, help="docs for the mkdocs serve test (default %(default)s)")
    add("--no-serve", action="store_true", help="skip the mkdocs serve test")
    add("--profile", action=argparse.BooleanOptionalAction, default=True, help="profile the corpus' build (default on)")
    add("--work", type=Path, help="scratch folder (default: a new temporary folder, removed after)")
    add("--keep", action="store_true", help="keep each workload's folder (exports, sites, serve logs, build.pstats)")
    add("--results", type=Path, default=REPO / "benchmarks" / "results.md")
    add("--no-results", action="store_true", help="print only; leave the results file alone")
    add("--merge", action="store_true", help="keep the last figures of workloads (and serve, profile) not run now")
    args = parser.parse_args(argv)
    args.workloads = [w.strip().replace("_", "") for w in args.workloads.split(",") if w.strip()]
    for w in args.workloads:
        if w != "corpus" and not (w.isdigit() and int(w) > 0):
            parser.error(f"--workloads: {w!r} is neither 'corpus' nor a number of docs")
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    work = args.work or Path(tempfile.mkdtemp(prefix="ingest-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    print(f"scripts/bench: {machine()}; scratch folder {work}", flush=True)
    results: list[Result] = []
    skipped: list[str] = []
    serve = profile = None
    failed = False
    try:
        for name in args.workloads:
            if name == "corpus" and not CORPUS.is_dir():
                skipped.append(f"corpus: {CORPUS} is absent (../shared is not beside the repo)")
                continue
            try:
                result, got = bench_workload(name, work, args)
            except StepFailed as exc:
                print(f"\n{name}: FAILED: {exc}", file=sys.stderr, flush=True)
                skipped.append(f"{name}: failed: {' '.join(str(exc).split())[-600:]}")
                failed = True
                continue
            results.append(result)
            profile = profile or got
        if args.no_serve or args.serve_docs <= 0:
            skipped.append(SERVE_SKIPPED)
        else:
            print(f"\nmkdocs serve on {args.serve_docs:,} docs ...", flush=True)
            serve = bench_serve(args.serve_docs, work, args.keep, max(1, args.repeat))
    finally:
        if args.work is None:
            rmtree(work)
    print("\n" + table(results) + "\n\n" + "\n".join(report(results, serve, skipped)))
    if profile:
        print("\nWhere the build's time goes:\n" + "\n".join(profile_lines(profile)))
    if not args.no_results:
        if args.merge:
            results, serve, profile = merge(args.results, results, serve, profile)
            if serve:  # kept from the last run: not skipped in what the file shows
                skipped = [line for line in skipped if line != SERVE_SKIPPED]
        write_results(args.results, results, serve, profile, skipped)
        print(f"\nresults written to {args.results}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
