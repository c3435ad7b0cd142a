"""Print how long each stage of a sync takes, and a full `mkdocs build`, for one or more exports.

Usage: scripts/benchmark [--repeat N] [EXPORT_DIR ...]
Defaults to the bundled sample export and, when present, ../shared/corpus/*.
Figures are the median CPU time (process time) of N runs (default 5) on this machine; nothing is asserted.
"""

from __future__ import annotations

import argparse
import logging
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")

from mkdocs.commands.build import build  # noqa: E402
from mkdocs.config import load_config  # noqa: E402

from ingest.read import read_export  # noqa: E402
from ingest.sync import build_site  # noqa: E402
from ingest.write import write_site  # noqa: E402


def median_time(fn, repeat: int) -> tuple[float, object]:
    """Median CPU time of ``fn`` (process time: steadier than wall time on a shared machine)."""
    times, result = [], None
    for _ in range(repeat):
        start = time.process_time()
        result = fn()
        times.append(time.process_time() - start)
    return statistics.median(times), result


def bench(export: Path, repeat: int) -> None:
    work = Path(tempfile.mkdtemp(prefix="ingest-bench-"))
    docs, site_dir = work / "docs", work / "site"
    t_read, exported = median_time(lambda: read_export(export), repeat)
    t_build, site = median_time(lambda: build_site(exported), repeat)
    t_write, _ = median_time(lambda: write_site(site.pages, site.assets, export, docs, site.manifest(export)), repeat)
    logging.getLogger("mkdocs").setLevel(logging.ERROR)

    def mkdocs_build():
        config = load_config(config_file=str(REPO / "mkdocs.yml"), docs_dir=str(docs), site_dir=str(site_dir))
        config.plugins.on_startup(command="build", dirty=False)
        build(config)

    t_mkdocs, _ = median_time(mkdocs_build, max(1, repeat // 2))
    counts = site.counts
    total = t_read + t_build + t_write
    print(f"{export}:")
    print(f"  {counts['docs']} docs, {counts['pages']} pages, {counts['assets']} assets, {counts['redirects']} redirects")
    print(f"  read {t_read * 1000:8.1f} ms   transform+nav {t_build * 1000:8.1f} ms   write {t_write * 1000:8.1f} ms")
    print(f"  sync total {total * 1000:8.1f} ms  ({total / max(counts['docs'], 1) * 1000:.2f} ms/doc)")
    print(f"  mkdocs build {t_mkdocs:6.2f} s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("exports", nargs="*", type=Path)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    exports = args.exports or [REPO / "samples" / "export", *sorted((REPO.parent / "shared" / "corpus").glob("*"))]
    print(f"median CPU time of {args.repeat} runs (mkdocs build: {max(1, args.repeat // 2)}), Python {sys.version.split()[0]}, {os.cpu_count()} CPUs")
    for export in exports:
        bench(export, args.repeat)


if __name__ == "__main__":
    main()
