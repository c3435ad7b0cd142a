"""Scale benchmark: sync and build synthetic wikiGDrive exports of 1,000, 5,000 and 20,000 docs.

Usage: scripts/bench [--sizes 1000,5000,20000] [--repeat N] [--naive-max N] [--build-max N]
                     [--serve-docs N | --no-serve] [--work DIR] [--results FILE | --no-results]

For each size it writes a synthetic export (scripts/synthetic_export.py, seed 0) and measures, each in a
fresh process as a user runs it:

- ``cp -r`` of the export (the floor for a sync that reads and writes every file);
- a full sync (``python -m ingest sync``) into an empty docs_dir: wall and CPU time, peak RSS;
- a no-op re-sync (nothing changed): time and how many files in the docs_dir it wrote;
- a re-sync after one doc's text was edited (a new paragraph before each run): time, and the files
  those runs wrote in all (the page and the manifest);
- ``mkdocs build`` of the synced docs with this repo's mkdocs.yml: time, site size, HTML per page and
  the search index size;
- a naive build: the export copied into a default Material site (``theme: material`` and the search
  plugin, no ingest, no nav), as a team would start.

Then it prints a table and the targets of issue 6 met or missed, and writes the same to the results
file (default benchmarks/results.md, keeping any notes below its ``<!-- notes -->`` line) and its
figures to benchmarks/results.json; ``--merge`` keeps the last figures of sizes not run this time.
Times are medians of ``--repeat`` runs. Where the naive build runs (up to ``--naive-max`` docs), ours
and the naive one take turns ``--repeat`` times, so other work on a shared machine slows both alike;
larger sizes are built once (minutes at 20,000 docs). Wall times are noisy on a shared machine, so
CPU times are given too, and each size starts by timing a fixed Python loop (the "reference loop"), so
figures measured at different times can be compared. Nothing here is asserted by the test suite.

With ``--serve-docs N`` (default 2,000) it also starts ``mkdocs serve --dirty`` on a synced N-doc
export, edits one doc, re-syncs, and times until the page is served with the edit.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import textwrap
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
PYTHON = sys.executable
sys.path.insert(0, str(REPO / "scripts"))

from synthetic_export import write_export  # noqa: E402

ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "PYTHONPATH": str(REPO)}
NAIVE_CONFIG = "site_name: Naive\ntheme:\n  name: material\nplugins:\n  - search\n"
NOTES_MARK = "<!-- notes -->"

#: The targets of issue 6: (key, label, limit, higher is better).
TARGETS = (
    ("docs_per_s", "full sync ≥ 2,000 docs/s", 2000.0, True),
    ("sync_vs_cp", "full sync ≤ 5× cp -r", 5.0, False),
    ("noop_ms_per_doc", "no-op re-sync ≤ 0.1 ms/doc", 0.1, False),
    ("peak_rss_mb", "sync peak RSS ≤ 500 MB (20,000 docs)", 500.0, False),
    ("total_vs_naive", "sync + build ≤ 0.25× naive build (1,000 docs; wall)", 0.25, False),
    ("total_cpu_vs_naive", "sync + build ≤ 0.25× naive build (1,000 docs; CPU)", 0.25, False),
    ("html_kb_per_page", "HTML ≤ 60 KB per page", 60.0, False),
    ("index_vs_naive", "search index ≤ 60% of naive", 0.60, False),
)

# A build in a child process: this repo's mkdocs.yml with another docs_dir and site_dir, as `mkdocs build`.
BUILD_CODE = """
import sys
from mkdocs.commands.build import build
from mkdocs.config import load_config
config = load_config(config_file=sys.argv[1], docs_dir=sys.argv[2], site_dir=sys.argv[3])
config.plugins.on_startup(command="build", dirty=False)
try:
    build(config)
finally:
    config.plugins.on_shutdown()
"""

# `mkdocs serve` in a child process, the same way.
SERVE_CODE = """
import sys
from mkdocs.commands.serve import serve
serve(config_file=sys.argv[1], docs_dir=sys.argv[2], dev_addr=sys.argv[3], livereload=True, build_type="dirty")
"""


@dataclass
class Run:
    """One child process: wall and CPU seconds, peak RSS in MB, exit status."""

    wall: float
    cpu: float
    rss_mb: float
    status: int


def run(args: list[str], cwd: Path | None = None) -> Run:
    """Run ``args`` and measure it with wait4, so the RSS is this child's own."""
    start = time.perf_counter()
    process = subprocess.Popen(args, cwd=cwd, env=ENV, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - start
    process.returncode = os.waitstatus_to_exitcode(status)
    err = process.stderr.read().decode(errors="replace") if process.stderr else ""
    if process.returncode != 0:
        raise RuntimeError(f"{' '.join(args)} failed ({process.returncode}):\n{err[-3000:]}")
    return Run(wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024, process.returncode)


def median_run(make: Any, repeat: int, prepare: Any = None) -> Run:
    runs = []
    for _ in range(repeat):
        if prepare is not None:
            prepare()
        runs.append(make())
    return Run(statistics.median(r.wall for r in runs), statistics.median(r.cpu for r in runs),
               max(r.rss_mb for r in runs), 0)


def snapshot(folder: Path) -> dict[str, tuple[int, int]]:
    """Every file's (inode, mtime_ns): a file that was written has a new one."""
    out = {}
    for dirpath, _, names in os.walk(folder):
        for name in names:
            stat = os.stat(os.path.join(dirpath, name))
            out[os.path.join(dirpath, name)] = (stat.st_ino, stat.st_mtime_ns)
    return out


def folder_bytes(folder: Path, suffix: str = "") -> tuple[int, int]:
    """(files, bytes) below ``folder``, only names ending in ``suffix`` when given."""
    count = total = 0
    for dirpath, _, names in os.walk(folder):
        for name in names:
            if name.endswith(suffix):
                count += 1
                total += os.path.getsize(os.path.join(dirpath, name))
    return count, total


def site_figures(site: Path) -> dict[str, float]:
    pages, html = folder_bytes(site, ".html")
    _, everything = folder_bytes(site)
    index = site / "search" / "search_index.json"
    return {"pages": pages, "html_kb_per_page": html / max(pages, 1) / 1024, "site_mb": everything / 2**20,
            "index_kb": index.stat().st_size / 1024 if index.exists() else 0.0}


def rmtree(path: Path) -> None:
    shutil.rmtree(path, ignore_errors=True)


@dataclass
class Result:
    docs: int
    figures: dict[str, float] = field(default_factory=dict)
    skipped: list[str] = field(default_factory=list)


def reference_loop() -> float:
    """Seconds of a fixed pure-Python loop (in a fresh process), the best of three: the machine's speed at
    the time, since a shared machine's changes by 2x over an hour and every figure with it."""
    code = "sum(i * i for i in range(5_000_000))"
    return min(run([PYTHON, "-c", code]).wall for _ in range(3))


def bench_size(docs: int, work: Path, args: argparse.Namespace) -> Result:
    result = Result(docs)
    f = result.figures
    f["date"] = datetime.date.today().isoformat()
    export, copy, out, site = work / "export", work / "copy", work / "docs", work / "site"
    for path in (export, copy, out, site, work / "naive"):
        rmtree(path)
    start = time.perf_counter()
    summary = write_export(export, docs, seed=0)
    f["generate_s"] = time.perf_counter() - start
    f["export_files"] = summary["files"]
    f["export_mb"] = summary["bytes"] / 2**20
    print(f"\n{docs:,} docs: export of {summary['files']:,} files, {f['export_mb']:.1f} MB", flush=True)
    f["reference_s"] = reference_loop()
    print(f"  reference loop    {f['reference_s']:7.2f} s (this machine's speed just now)", flush=True)

    cp = median_run(lambda: run(["cp", "-r", str(export), str(copy)]), args.repeat, lambda: rmtree(copy))
    rmtree(copy)
    f["cp_s"] = cp.wall
    print(f"  cp -r             {cp.wall:7.2f} s", flush=True)

    sync_args = [PYTHON, "-m", "ingest", "sync", str(export), "--out", str(out), "-q"]
    sync = median_run(lambda: run(sync_args), args.repeat, lambda: rmtree(out))
    f.update(sync_s=sync.wall, sync_cpu_s=sync.cpu, peak_rss_mb=sync.rss_mb, docs_per_s=docs / sync.wall,
             sync_vs_cp=sync.wall / cp.wall)
    print(f"  full sync         {sync.wall:7.2f} s wall, {sync.cpu:.2f} s CPU, {docs / sync.wall:,.0f} docs/s, "
          f"peak RSS {sync.rss_mb:.0f} MB", flush=True)

    before = snapshot(out)
    noop = median_run(lambda: run(sync_args), args.repeat)
    after = snapshot(out)
    written = sum(1 for path, key in after.items() if before.get(path) != key)
    f.update(noop_s=noop.wall, noop_cpu_s=noop.cpu, noop_ms_per_doc=noop.wall * 1000 / docs, noop_written=written,
             docs_files=len(after))
    print(f"  no-op re-sync     {noop.wall:7.2f} s ({noop.wall * 1000 / docs:.3f} ms/doc), "
          f"{written} of {len(after)} files written", flush=True)

    # An editor's re-sync: one doc's text edited in Drive (a new paragraph each run).
    manifest = json.loads((out / ".ingest" / "manifest.json").read_text("utf-8"))
    edited = export / next(e["source"] for e in manifest["docs"].values() if e.get("dest", "").count("/") >= 2)
    edits = iter(range(1, args.repeat + 1))
    before = snapshot(out)

    def edit() -> None:
        edited.write_text(edited.read_text("utf-8") + f"\n\nEdited for the benchmark ({next(edits)}).\n", "utf-8")

    one = median_run(lambda: run(sync_args), args.repeat, edit)
    after = snapshot(out)
    f.update(edit_s=one.wall, edit_written=sum(1 for path, key in after.items() if before.get(path) != key))
    print(f"  one doc edited    {one.wall:7.2f} s, {f['edit_written']} files written after {args.repeat} edit(s)",
          flush=True)

    with_naive = docs <= args.naive_max
    repeat = args.build_repeat if args.build_repeat is not None else (args.repeat if with_naive else 1)
    naive = work / "naive"
    if with_naive:
        shutil.copytree(export, naive / "docs")
        (naive / "mkdocs.yml").write_text(NAIVE_CONFIG, "utf-8")
    ours, theirs = [], []
    for _ in range(repeat if docs <= args.build_max else 0):
        # Ours and the naive build take turns, so the other users of a shared machine slow both alike.
        rmtree(site)
        ours.append(run([PYTHON, "-c", BUILD_CODE, str(REPO / "mkdocs.yml"), str(out), str(site)]))
        if with_naive:
            rmtree(naive / "site")
            theirs.append(run([str(Path(PYTHON).with_name("mkdocs")), "build", "-q"], cwd=naive))
    if ours:
        build = Run(statistics.median(r.wall for r in ours), statistics.median(r.cpu for r in ours),
                    max(r.rss_mb for r in ours), 0)
        figures = site_figures(site)
        f.update(build_s=build.wall, build_cpu_s=build.cpu, build_rss_mb=build.rss_mb,
                 total_s=sync.wall + build.wall, total_cpu_s=sync.cpu + build.cpu, **figures)
        print(f"  mkdocs build      {build.wall:7.2f} s wall, {build.cpu:.2f} s CPU: {figures['pages']:,} pages, "
              f"{figures['html_kb_per_page']:.1f} KB HTML/page, index {figures['index_kb']:,.0f} KB", flush=True)
    else:
        result.skipped.append(f"mkdocs build skipped above {args.build_max:,} docs (--build-max)")
    if theirs:
        build = Run(statistics.median(r.wall for r in theirs), statistics.median(r.cpu for r in theirs), 0.0, 0)
        figures = site_figures(naive / "site")
        f.update(naive_s=build.wall, naive_cpu_s=build.cpu, naive_html_kb_per_page=figures["html_kb_per_page"],
                 naive_index_kb=figures["index_kb"], total_vs_naive=f["total_s"] / build.wall,
                 total_cpu_vs_naive=f["total_cpu_s"] / build.cpu, index_vs_naive=f["index_kb"] / figures["index_kb"])
        print(f"  naive build       {build.wall:7.2f} s wall, {build.cpu:.2f} s CPU: "
              f"{figures['html_kb_per_page']:.1f} KB HTML/page, index {figures['index_kb']:,.0f} KB", flush=True)
    elif not with_naive:
        result.skipped.append(f"naive build skipped above {args.naive_max:,} docs (--naive-max): a default Material "
                              "site renders the whole nav on every page, so it grows with pages² "
                              "(hours at 20,000 docs)")
    rmtree(site)
    rmtree(naive)
    for line in result.skipped:
        print(f"  {line}")
    rmtree(export)
    rmtree(out)
    return result


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


def bench_serve(docs: int, work: Path, timeout: float = 600.0) -> dict[str, Any]:
    """Edit one doc under `mkdocs serve --dirty` and time until the served page shows the edit."""
    export, out = work / "serve-export", work / "serve-docs"
    rmtree(export)
    rmtree(out)
    write_export(export, docs, seed=0)
    run([PYTHON, "-m", "ingest", "sync", str(export), "--out", str(out), "-q"])
    manifest = json.loads((out / ".ingest" / "manifest.json").read_text("utf-8"))
    entry = next(e for e in manifest["docs"].values() if e.get("dest", "").count("/") >= 2)
    source, dest = entry["source"], entry["dest"]
    url_path = dest[:-len("index.md")] if dest.endswith("/index.md") else dest[:-3] + "/"
    port = free_port()
    base = f"http://127.0.0.1:{port}/"
    server = subprocess.Popen([PYTHON, "-c", SERVE_CODE, str(REPO / "mkdocs.yml"), str(out), f"127.0.0.1:{port}"],
                              env=ENV, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True)
    figures: dict[str, Any] = {"serve_docs": docs, "serve_page": url_path}
    try:
        start = time.perf_counter()
        while fetch(base + url_path) is None:
            if server.poll() is not None or time.perf_counter() - start > timeout:
                raise RuntimeError("mkdocs serve did not come up: " + server.stderr.read().decode()[-2000:])
            time.sleep(0.2)
        figures["serve_first_build_s"] = time.perf_counter() - start
        marker = f"benchedit{int(time.time())}"
        path = export / source
        path.write_text(path.read_text("utf-8") + f"\n\nEdited for the benchmark: {marker}.\n", "utf-8")
        start = time.perf_counter()
        sync = run([PYTHON, "-m", "ingest", "sync", str(export), "--out", str(out), "-q"])
        figures["serve_resync_s"] = sync.wall
        while marker not in (fetch(base + url_path) or ""):
            if server.poll() is not None or time.perf_counter() - start > timeout:
                figures["serve_updated_s"] = None
                break
            time.sleep(0.05)
        else:
            figures["serve_updated_s"] = time.perf_counter() - start
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait()
        rmtree(export)
        rmtree(out)
    return figures


def machine() -> str:
    cpu = platform.processor() or ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return f"{os.cpu_count()} CPUs ({cpu}), Python {platform.python_version()}, {platform.system()} {platform.release()}"


def fmt(value: Any, spec: str = ".2f") -> str:
    return "–" if value is None else str(value) if spec == "s" else format(value, spec)


def table(results: list[Result]) -> str:
    rows = [
        ("cp -r (s)", "cp_s", ".2f"), ("full sync (s, wall)", "sync_s", ".2f"), ("full sync (s, CPU)", "sync_cpu_s", ".2f"),
        ("full sync (docs/s)", "docs_per_s", ",.0f"), ("full sync ÷ cp -r", "sync_vs_cp", ".1f"),
        ("sync peak RSS (MB)", "peak_rss_mb", ".0f"), ("no-op re-sync (s)", "noop_s", ".3f"),
        ("no-op re-sync (ms/doc)", "noop_ms_per_doc", ".3f"), ("no-op files written", "noop_written", ".0f"),
        ("re-sync, one doc edited (s)", "edit_s", ".2f"), ("files written by the edits", "edit_written", ".0f"),
        ("mkdocs build (s, wall)", "build_s", ".1f"), ("mkdocs build (s, CPU)", "build_cpu_s", ".1f"),
        ("sync + build (s, wall)", "total_s", ".1f"), ("sync + build (s, CPU)", "total_cpu_s", ".1f"),
        ("pages built", "pages", ",.0f"),
        ("HTML per page (KB)", "html_kb_per_page", ".1f"), ("site size (MB)", "site_mb", ".1f"),
        ("search index (KB)", "index_kb", ",.0f"), ("naive build (s, wall)", "naive_s", ".1f"),
        ("naive build (s, CPU)", "naive_cpu_s", ".1f"),
        ("naive HTML per page (KB)", "naive_html_kb_per_page", ".1f"), ("naive search index (KB)", "naive_index_kb", ",.0f"),
        ("sync + build ÷ naive build (wall)", "total_vs_naive", ".2f"),
        ("sync + build ÷ naive build (CPU)", "total_cpu_vs_naive", ".2f"), ("search index ÷ naive", "index_vs_naive", ".2f"),
        ("reference loop (s; machine speed)", "reference_s", ".2f"), ("measured on", "date", "s"),
    ]
    head = "| | " + " | ".join(f"{r.docs:,} docs" for r in results) + " |"
    lines = [head, "|---" * (len(results) + 1) + "|"]
    for label, key, spec in rows:
        lines.append(f"| {label} | " + " | ".join(fmt(r.figures.get(key), spec) for r in results) + " |")
    return "\n".join(lines)


def verdicts(results: list[Result]) -> list[str]:
    """One line a target: met or missed, by how much, at which size."""
    lines = []
    for key, label, limit, higher in TARGETS:
        sizes = [r for r in results if key in r.figures]
        if key == "peak_rss_mb":
            sizes = [r for r in sizes if r.docs == max(x.docs for x in results)]
        elif key in ("total_vs_naive", "total_cpu_vs_naive"):
            sizes = [r for r in sizes if r.docs == 1000] or sizes[:1]
        if not sizes:
            lines.append(f"- {label}: not measured in this run")
            continue
        parts = []
        for r in sizes:
            value = r.figures[key]
            met = value >= limit if higher else value <= limit
            factor = limit / value if higher else value / limit
            how = "met" if met else (f"missed by {(factor - 1) * 100:.0f}%" if factor < 2 else f"missed: {factor:.1f}× off")
            parts.append(f"{r.docs:,} docs: {value:,.3g} ({how})")
        lines.append(f"- {label}: " + "; ".join(parts))
    return lines


def serve_lines(serve: dict[str, Any] | None) -> list[str]:
    if not serve:
        return []
    updated = serve.get("serve_updated_s")
    verdict = "not seen" if updated is None else f"{updated:.1f} s ({'met' if updated < 3 else 'missed'}: target < 3 s)"
    return [f"`mkdocs serve --dirty` on {serve['serve_docs']:,} docs: first build {serve['serve_first_build_s']:.1f} s; "
            f"edit one doc ({serve['serve_page']}), re-sync ({serve['serve_resync_s']:.2f} s), page served updated after "
            f"{verdict}, counted from the start of the re-sync."]


def derive(f: dict[str, Any]) -> dict[str, Any]:
    """Recompute the figures made of others (after merging runs)."""
    f = dict(f)
    if "sync_s" in f and "build_s" in f:
        f["total_s"] = f["sync_s"] + f["build_s"]
        f["total_cpu_s"] = f["sync_cpu_s"] + f["build_cpu_s"]
    if "total_s" in f and "naive_s" in f:
        f["total_vs_naive"] = f["total_s"] / f["naive_s"]
        f["total_cpu_vs_naive"] = f["total_cpu_s"] / f["naive_cpu_s"]
    if "sync_s" in f and "cp_s" in f:
        f["sync_vs_cp"] = f["sync_s"] / f["cp_s"]
    return f


def load_previous(path: Path) -> tuple[dict[int, Result], dict[str, Any] | None]:
    """The results of the last run, from the JSON beside the results file."""
    try:
        data = json.loads(path.with_suffix(".json").read_text("utf-8"))
    except (OSError, ValueError):
        return {}, None
    results = {int(docs): Result(int(docs), entry["figures"], entry.get("skipped", []))
               for docs, entry in data.get("results", {}).items()}
    return results, data.get("serve")


def write_results(path: Path, results: list[Result], serve: dict[str, Any] | None, args: argparse.Namespace) -> None:
    """The Markdown results file (notes below its marker kept) and the same figures as JSON beside it."""
    notes = ""
    if path.exists():
        text = path.read_text("utf-8")
        if NOTES_MARK in text:
            notes = text.split(NOTES_MARK, 1)[1]
    skipped = [f"- {r.docs:,} docs: {s}" for r in results for s in r.skipped]
    body = [
        "# Benchmark results (issue 6)",
        "",
        f"Written by `scripts/bench`, {machine()}; synthetic exports (scripts/synthetic_export.py, seed 0). Times "
        "are medians of several runs (`--repeat`, 3 by default); at sizes with a naive build, ours and the naive one take turns "
        "(elsewhere one build). The machine is shared with other work, so wall times are noisy and CPU times "
        "are given too.",
        "",
        table(results),
        "",
        "## Targets",
        "",
        *verdicts(results),
        *(["", *serve_lines(serve)] if serve else []),
        *(["", "Skipped:", *skipped] if skipped else []),
        "",
        NOTES_MARK,
    ]
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(body) + (notes if notes else "\n"), "utf-8")
    data = {"machine": machine(), "results": {str(r.docs): {"figures": r.figures, "skipped": r.skipped} for r in results},
            "serve": serve}
    path.with_suffix(".json").write_text(json.dumps(data, indent=1, sort_keys=True) + "\n", "utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter,
                                     epilog=textwrap.dedent(__doc__.split("\n", 2)[2]))
    parser.add_argument("--sizes", default="1000,5000,20000", help="comma-separated doc counts (default %(default)s)")
    parser.add_argument("--repeat", type=int, default=3, help="runs of each sync and cp -r; the median is kept")
    parser.add_argument("--build-max", type=int, default=20000, help="skip mkdocs build above this many docs")
    parser.add_argument("--build-repeat", type=int, help="builds per size (default: --repeat where the naive build "
                        "runs, taking turns with it; else 1)")
    parser.add_argument("--merge", action="store_true", help="keep the last results of sizes (and of the serve test) "
                        "not measured in this run")
    parser.add_argument("--naive-max", type=int, default=1000, help="skip the naive build above this many docs")
    parser.add_argument("--serve-docs", type=int, default=2000, help="docs for the mkdocs serve edit test")
    parser.add_argument("--no-serve", action="store_true", help="skip the mkdocs serve edit test")
    parser.add_argument("--work", type=Path, help="scratch folder (default: a new temporary folder, removed after)")
    parser.add_argument("--results", type=Path, default=REPO / "benchmarks" / "results.md")
    parser.add_argument("--no-results", action="store_true", help="print only; leave the results file alone")
    args = parser.parse_args(argv)
    sizes = [int(size.replace("_", "")) for size in args.sizes.split(",") if size.strip()]
    work = args.work or Path(tempfile.mkdtemp(prefix="ingest-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    print(f"scripts/bench: {machine()}; scratch folder {work}")
    try:
        results = [bench_size(docs, work, args) for docs in sizes]
        serve = None
        if not args.no_serve and args.serve_docs > 0:
            print(f"\nmkdocs serve --dirty on {args.serve_docs:,} docs ...", flush=True)
            serve = bench_serve(args.serve_docs, work)
    finally:
        if args.work is None:
            rmtree(work)
    print("\n" + table(results) + "\n")
    print("\n".join(verdicts(results)))
    for line in serve_lines(serve):
        print(line)
    if not args.no_results:
        if args.merge:
            previous, previous_serve = load_previous(args.results)
            for result in results:
                if result.docs in previous:  # figures measured now replace the last ones; the rest are kept
                    old = previous.pop(result.docs)
                    result.figures = derive({**old.figures, **result.figures})
                    result.skipped = [line for line in dict.fromkeys([*result.skipped, *old.skipped])
                                      if not (line.startswith("mkdocs build") and "build_s" in result.figures)
                                      and not (line.startswith("naive build") and "naive_s" in result.figures)]
            results = sorted([*results, *previous.values()], key=lambda r: r.docs)
            serve = serve or previous_serve
        write_results(args.results, results, serve, args)
        print(f"\nresults written to {args.results}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
