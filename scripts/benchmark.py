"""Time a sync and a re-sync: full sync, no-op re-sync, one-doc-edited re-sync, files written; and `mkdocs build`.

Usage: scripts/benchmark [--repeat N] [--generated N ...] [--no-build] [EXPORT_DIR ...]

Defaults to the bundled sample export, ../shared/corpus/* when present, and a generated
export of 5,000 docs (scripts/synthetic_export.py). For each export it prints the median of
N runs (default 3) of: each sync stage (read, transform and nav, write), a full sync into an
empty folder, a no-op re-sync (nothing changed), a re-sync after one doc was edited, and the
number of files each of those wrote, counted on disk (a file whose inode or mtime changed,
or which is new). Wall and CPU time are both shown: the machine may be shared, and CPU time
is the steadier figure. Nothing is asserted; the issue's target is printed beside the figure.
"""

from __future__ import annotations

import argparse
import logging
import os
import platform
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Callable

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "scripts"))
os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")

from ingest.read import read_export  # noqa: E402
from ingest.build import build_site  # noqa: E402
from ingest.sync import sync  # noqa: E402
from ingest.write import plan_write, write_plan  # noqa: E402
from synthetic_export import write_export  # noqa: E402

#: Issue 4: a no-op re-sync of 5,000 docs in under half a second, writing nothing.
NOOP_TARGET_PER_DOC = 0.5 / 5000


class Timing:
    """Median wall and CPU seconds of repeated runs."""

    def __init__(self) -> None:
        self.wall: list[float] = []
        self.cpu: list[float] = []

    def run(self, fn: Callable[[], object]) -> object:
        wall, cpu = time.perf_counter(), time.process_time()
        result = fn()
        self.wall.append(time.perf_counter() - wall)
        self.cpu.append(time.process_time() - cpu)
        return result

    def __str__(self) -> str:
        return f"{statistics.median(self.wall) * 1000:9.1f} ms wall {statistics.median(self.cpu) * 1000:9.1f} ms CPU"

    @property
    def seconds(self) -> float:
        return statistics.median(self.wall)


def file_state(folder: Path) -> dict[str, tuple[int, int]]:
    return {p.relative_to(folder).as_posix(): (p.stat().st_ino, p.stat().st_mtime_ns)
            for p in folder.rglob("*") if p.is_file()}


def files_written(before: dict[str, tuple[int, int]], after: dict[str, tuple[int, int]]) -> int:
    """Files new or rewritten, plus files removed."""
    return sum(1 for path, state in after.items() if before.get(path) != state) + len(before.keys() - after.keys())


def edit_one_doc(export: Path) -> Path:
    """Append a sentence to the first doc with front matter, as an editor's change in Drive would."""
    for path in sorted(export.rglob("*.md")):
        text = path.read_text("utf-8", errors="replace")
        if text.startswith("---") and "redirectTo" not in text and path.name != "navigation.md":
            path.write_text(text + f"\nEdited at {time.time_ns()}.\n", "utf-8")
            return path
    raise SystemExit(f"no doc to edit in {export}")


def bench(export: Path, repeat: int, mkdocs: bool) -> None:
    work = Path(tempfile.mkdtemp(prefix="ingest-bench-"))
    try:
        _bench(export, work, repeat, mkdocs)
    finally:
        shutil.rmtree(work, ignore_errors=True)


def _bench(export: Path, work: Path, repeat: int, mkdocs: bool) -> None:
    copy = work / "export"
    shutil.copytree(export, copy, symlinks=True)  # the one-doc edit must not touch the original
    stage_read, stage_build, stage_write = Timing(), Timing(), Timing()
    for run in range(repeat):
        exported = stage_read.run(lambda: read_export(copy))
        site = stage_build.run(lambda: build_site(exported))
        out = work / f"stages-{run}"

        def write() -> None:
            files = site.output_files(copy)
            write_plan(plan_write(out, files, site.manifest(copy, ""), None))

        stage_write.run(write)
        shutil.rmtree(out)

    full, noop, edited = Timing(), Timing(), Timing()
    written = {"full": 0, "noop": 0, "edited": 0}
    docs = work / "docs"
    for run in range(repeat):
        shutil.rmtree(docs, ignore_errors=True)
        result = full.run(lambda: sync(copy, docs))
        written["full"] = len(file_state(docs))
        before = file_state(docs)
        noop.run(lambda: sync(copy, docs))
        written["noop"] = files_written(before, file_state(docs))
        edit_one_doc(copy)
        before = file_state(docs)
        edited.run(lambda: sync(copy, docs))
        written["edited"] = files_written(before, file_state(docs))

    counts = result.counts
    n = max(counts["docs"], 1)
    print(f"{export}:")
    print(f"  {counts['docs']} docs, {counts['pages']} pages, {counts['assets']} assets, {counts['redirects']} redirects, "
          f"{counts['warnings']} warnings, {counts['errors']} errors")
    print(f"  stages: read {stage_read}   transform+nav {stage_build}   write {stage_write}")
    print(f"  full sync        {full}  {n / full.seconds:7.0f} docs/s   files written {written['full']}")
    target = ""
    if n >= 1000:  # the target is per doc at scale; a small export is all fixed cost
        met = noop.seconds <= NOOP_TARGET_PER_DOC * n and written["noop"] == 0
        target = f"   (target {NOOP_TARGET_PER_DOC * n * 1000:.0f} ms and 0 files: {'met' if met else 'MISSED'})"
    print(f"  no-op re-sync    {noop}  {noop.seconds / n * 1e6:6.1f} µs/doc  files written {written['noop']}{target}")
    print(f"  one doc edited   {edited}  files written {written['edited']}")
    if mkdocs:
        print(f"  mkdocs build     {_mkdocs_build(docs, work / 'site')}")


def _mkdocs_build(docs: Path, site_dir: Path) -> Timing:
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    logging.getLogger("mkdocs").setLevel(logging.ERROR)
    timing = Timing()

    def run() -> None:
        config = load_config(config_file=str(REPO / "mkdocs.yml"), docs_dir=str(docs), site_dir=str(site_dir))
        config.plugins.on_startup(command="build", dirty=False)
        build(config)

    timing.run(run)
    return timing


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("exports", nargs="*", type=Path, help="exports to time (default: sample, corpus, generated)")
    parser.add_argument("--repeat", type=int, default=3, help="runs per figure; the median is shown (default 3)")
    parser.add_argument("--generated", type=int, action="append", metavar="DOCS",
                        help="also time a generated export of DOCS docs (default: 5000 when no EXPORT_DIR is given)")
    parser.add_argument("--no-build", action="store_true", help="skip `mkdocs build`")
    args = parser.parse_args()
    exports = list(args.exports)
    if not exports:
        exports = [REPO / "samples" / "export", *sorted((REPO.parent / "shared" / "corpus").glob("*"))]
    generated = args.generated if args.generated is not None else ([] if args.exports else [5000])
    print(f"median of {args.repeat} runs; Python {platform.python_version()}, {os.cpu_count()} CPUs, "
          f"{platform.machine()}, {time.strftime('%Y-%m-%d')}")
    for export in exports:
        bench(export, args.repeat, not args.no_build)
    for size in generated:
        with tempfile.TemporaryDirectory(prefix="ingest-bench-generated-") as temp:
            export = Path(temp) / f"synthetic-{size}"
            write_export(export, size)
            bench(export, args.repeat, not args.no_build and size <= 1000)
            if size > 1000 and not args.no_build:
                print("  mkdocs build     skipped above 1,000 docs (see scripts/bench for build figures at scale)")


if __name__ == "__main__":
    main()
