"""Per-document work on several processes (ingest/parallel.py) gives the same site as one process."""

from __future__ import annotations

import importlib.util
import os
import sys

from helpers import REPO

from ingest.read.export import read_export
from ingest.site.build import build_site
from ingest.utils.parallel import PARALLEL_MIN_ITEMS, map_items


def _square_and_pid(context: int, i: int) -> tuple[int, int]:
    return context * i * i, os.getpid()


def test_map_keeps_order_and_uses_other_processes():
    count = PARALLEL_MIN_ITEMS + 50
    advanced = []
    results = map_items(_square_and_pid, 3, count, jobs=2, advance=advanced.append)
    assert [value for value, _ in results] == [3 * i * i for i in range(count)]
    assert {pid for _, pid in results} - {os.getpid()}, "no worker process did any of the work"
    assert sum(advanced) == count


def test_small_input_stays_in_this_process():
    results = map_items(_square_and_pid, 1, 10, jobs=4)
    assert {pid for _, pid in results} == {os.getpid()}


def _synthetic():
    spec = importlib.util.spec_from_file_location("synthetic_export", REPO / "scripts" / "synthetic_export.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def test_site_is_the_same_on_one_process_or_two(tmp_path):
    _synthetic().write_export(tmp_path / "export", PARALLEL_MIN_ITEMS + 100, seed=7)
    export = read_export(tmp_path / "export", jobs=1)
    assert read_export(tmp_path / "export", jobs=2) == export
    one, two = build_site(export, jobs=1), build_site(export, jobs=2)
    assert len(one.pages) > PARALLEL_MIN_ITEMS
    assert one.pages == two.pages and one.data_files == two.data_files
    assert one.problems == two.problems and one.docs == two.docs and one.nav == two.nav
    assert one.redirects == two.redirects and one.fixes == two.fixes
