"""Re-sync with real processes: a sync SIGKILLed at any point leaves the docs_dir wholly old or wholly
new, two syncs at once do not mix, and a running `mkdocs serve` picks up a re-sync."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from importlib import import_module
from pathlib import Path

from ingest.commands.sync import sync
from ingest.output import write
from ingest.read import export as read
from ingest.site import build

sync_module = import_module("ingest.commands.sync")

from helpers import BASE, REPO, edited, page, snapshot

PYTHON = sys.executable

#: The steps of a sync a kill may land between; each call of one is a kill point.
STEPS = {
    write: ("_write_file", "_copy_file", "_link", "_replace_file", "_exchange", "_swap"),
    read: ("read_export",),
    build: ("build_site",),
    sync_module: ("plan_write", "recover"),
    shutil: ("rmtree",),
}
#: Steps whose kill point is right after them, not before: the last one a sync takes is the swap.
AFTER = frozenset({"_swap"})


def killed_sync(export: Path, out: Path, kill_at: int) -> tuple[bool, int]:
    """Run a sync in a forked child that SIGKILLs itself at step ``kill_at`` (1-based; 0 = never).

    At a file write the child first writes half the file, so the kill lands mid-write.
    Returns (whether the child was killed, how many steps it took).
    """
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: count the steps, die at the chosen one
        try:
            os.close(read_end)
            count = 0

            def step(name, real):
                def wrapped(*args, **kwargs):
                    nonlocal count
                    result = real(*args, **kwargs) if name in AFTER else None
                    count += 1
                    if count == kill_at:
                        if name == "_write_file":
                            path, data = args
                            with open(path, "wb") as handle:
                                handle.write(data[: len(data) // 2])
                        os.kill(os.getpid(), signal.SIGKILL)
                    return result if name in AFTER else real(*args, **kwargs)
                return wrapped

            for module, names in STEPS.items():
                for name in names:
                    setattr(module, name, step(name, getattr(module, name)))
            sync(export, out, lock_timeout=5)
            os.write(write_end, str(count).encode())
        except BaseException:
            import traceback

            traceback.print_exc()
            os._exit(3)
        os._exit(0)
    os.close(write_end)
    _, status = os.waitpid(pid, 0)
    steps = os.read(read_end, 64).decode()
    os.close(read_end)
    if os.WIFEXITED(status):
        assert os.WEXITSTATUS(status) == 0, "the sync failed instead of being killed"
        return False, int(steps)
    assert os.WIFSIGNALED(status) and os.WTERMSIG(status) == signal.SIGKILL
    return True, kill_at


def restore(saved: Path, out: Path) -> None:
    """Put a saved docs_dir back exactly, mtimes included (the sync trusts files not newer than its manifest)."""
    shutil.rmtree(out, ignore_errors=True)
    shutil.copytree(saved, out, copy_function=shutil.copy2)


def leftovers(parent: Path) -> list[str]:
    return sorted(p.name for p in parent.iterdir() if p.name.startswith((".ingest-staging", ".ingest-old")))


def test_sync_killed_at_every_step_leaves_old_or_new_docs_dir(make_export, tmp_path):
    out, saved, reference = tmp_path / "docs", tmp_path / "saved", tmp_path / "reference" / "docs"
    spare, saved_spare = write.spare_path(out), tmp_path / "saved-spare"
    root = make_export(BASE)
    sync(root, out)
    shutil.copytree(out, saved, copy_function=shutil.copy2)
    old = snapshot(out)
    shutil.rmtree(root)
    root = make_export(edited(BASE))
    restore(saved, reference)
    sync(root, reference)
    new = snapshot(reference)
    assert old != new
    shutil.copytree(write.spare_path(reference), saved_spare, copy_function=shutil.copy2)  # an older docs_dir

    # Each kill starts from the same state: the old docs_dir, and no staging folder kept (then one kept
    # from an older sync, which the sync makes into the new docs_dir), so the steps are the same each time.
    def start(spare_before: Path | None) -> None:
        restore(saved, out)
        shutil.rmtree(spare, ignore_errors=True)
        if spare_before is not None:
            shutil.copytree(spare_before, spare, copy_function=shutil.copy2)

    for spare_before in (None, saved_spare):
        start(spare_before)
        killed, total = killed_sync(root, out, 0)
        assert not killed and snapshot(out) == new
        assert total >= 12  # read, build, plan, recover, every file, the swap
        outcomes = []
        for kill_at in range(1, total + 1):
            start(spare_before)
            was_killed, _ = killed_sync(root, out, kill_at)
            assert was_killed
            state = snapshot(out)
            assert state in (old, new), f"killed at step {kill_at}: the docs_dir is a mix of old and new"
            outcomes.append("new" if state == new else "old")
            sync(root, out)  # the next sync tidies up and finishes the job
            assert snapshot(out) == new and leftovers(tmp_path) == []
        assert outcomes[0] == "old" and outcomes[-1] == "new"  # the kills did land before and after the swap


def test_sync_killed_from_outside_leaves_old_or_new_docs_dir(corpus_dir, tmp_path):
    """The real thing: `python -m ingest sync` of the 2023 corpus over 2022, SIGKILLed at many moments."""
    old_export, new_export = corpus_dir / "quality-of-care-2022", corpus_dir / "quality-of-care-2023"
    out, saved, reference = tmp_path / "docs", tmp_path / "saved", tmp_path / "reference" / "docs"
    sync(old_export, out)
    shutil.copytree(out, saved, copy_function=shutil.copy2)
    old = snapshot(out)
    restore(saved, reference)
    sync(new_export, reference)
    new = snapshot(reference)
    # --config: no site settings, as the in-process syncs above have
    command = [PYTHON, "-m", "ingest", "sync", str(new_export), "--out", str(out), "-q",
               "--config", str(tmp_path / "no-mkdocs.yml")]
    started = time.perf_counter()
    subprocess.run(command, check=True, capture_output=True, cwd=REPO)
    duration = time.perf_counter() - started
    seen = set()
    for fraction in (0.1, 0.3, 0.5, 0.6, 0.7, 0.8, 0.85, 0.9, 0.95, 1.0):
        restore(saved, out)
        process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=REPO)
        time.sleep(duration * fraction)
        process.send_signal(signal.SIGKILL)
        process.wait()
        state = snapshot(out)
        assert state in (old, new), f"killed after {duration * fraction:.2f} s: a mix of old and new"
        seen.add("new" if state == new else "old")
        subprocess.run(command, check=True, capture_output=True, cwd=REPO)
        assert snapshot(out) == new and leftovers(tmp_path) == []
    assert "old" in seen


def test_two_syncs_at_once_do_not_mix(make_export, tmp_path):
    root, out = make_export(edited(BASE)), tmp_path / "docs"
    command = [PYTHON, "-m", "ingest", "sync", str(root), "--out", str(out), "--config", str(tmp_path / "none.yml")]
    first = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, cwd=REPO)
    second = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, cwd=REPO)
    outputs = [first.communicate(timeout=60)[0], second.communicate(timeout=60)[0]]
    assert first.returncode == second.returncode == 0, outputs
    # One of them wrote the site; the other waited for the lock, then found nothing to do.
    assert sum("Up to date" in output for output in outputs) == 1, outputs
    assert sum("First sync" in output for output in outputs) == 1, outputs
    reference = tmp_path / "reference"
    sync(root, reference)
    assert snapshot(out) == snapshot(reference)
    assert leftovers(tmp_path) == []


def test_second_sync_gives_up_when_the_first_takes_too_long(make_export, tmp_path):
    root, out = make_export(BASE), tmp_path / "docs"
    holder = subprocess.Popen([PYTHON, "-c", (
        "import sys, time, filelock\n"
        "lock = filelock.FileLock(sys.argv[1]); lock.acquire(); print('held', flush=True); time.sleep(30)\n"),
        str(write.lock_path(out))], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "held"
        result = subprocess.run([PYTHON, "-m", "ingest", "sync", str(root), "--out", str(out), "--lock-timeout", "0.5"],
                                capture_output=True, text=True, cwd=REPO)
    finally:
        holder.kill()
        holder.wait()
    assert result.returncode == 1
    assert "Another sync is writing" in result.stderr and str(write.lock_path(out)) in result.stderr
    assert "Traceback" not in result.stderr + result.stdout
    assert not out.exists()
    # The holder was killed: the OS dropped its lock, so the next sync goes ahead.
    assert subprocess.run([PYTHON, "-m", "ingest", "sync", str(root), "--out", str(out), "-q"], cwd=REPO,
                          capture_output=True).returncode == 0


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _fetch(url: str) -> str | None:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return response.read().decode("utf-8")
    except OSError:
        return None


def _stop(server: subprocess.Popen) -> None:
    server.terminate()
    try:
        server.wait(timeout=10)
    except subprocess.TimeoutExpired:
        server.kill()


def _wait_for(url: str, text: str, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        page = _fetch(url)
        if page is not None and text in page:
            return True
        time.sleep(0.2)
    return False


def test_running_mkdocs_serve_picks_up_a_resync(make_export, tmp_path):
    """`mkdocs serve` keeps serving while a sync swaps the docs_dir, and shows the new content without a restart."""
    project = tmp_path / "project"
    project.mkdir()
    (project / "overrides").symlink_to(REPO / "overrides")
    (project / "mkdocs.yml").write_text((REPO / "mkdocs.yml").read_text("utf-8"), "utf-8")
    root = make_export(BASE)
    sync(root, project / "docs_src")
    port = _free_port()
    env = {key: value for key, value in os.environ.items() if key != "WIKIGDRIVE_EXPORT"}
    env["NO_MKDOCS_2_WARNING"] = "1"
    server = subprocess.Popen([PYTHON, "-m", "mkdocs", "serve", "--dev-addr", f"127.0.0.1:{port}"],
                              cwd=project, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    try:
        url = f"http://127.0.0.1:{port}/guides/edit/"
        assert _wait_for(url, "About Edit me.", 60), "mkdocs serve did not come up"
        shutil.rmtree(root)
        root = make_export(edited(BASE))
        sync(root, project / "docs_src")
        assert _wait_for(url, "Rewritten in Drive.", 60), "the edited page was not served after the re-sync"
        assert _wait_for(f"http://127.0.0.1:{port}/reference/move/", "About Move me.", 30)
        assert _wait_for(f"http://127.0.0.1:{port}/guides/new/", "About New page.", 30)
    finally:
        _stop(server)


def _write_export(root: Path, files: dict) -> None:
    """Write files into the export in place, one by one, as wikiGDrive does."""
    from helpers import write_tree

    for rel, content in files.items():
        write_tree(root, {rel: content})
        time.sleep(0.05)


def test_mkdocs_serve_with_export_dir_resyncs_when_the_export_changes(make_export, tmp_path):
    """One command for editors: `mkdocs serve` with the plugin's export_dir watches the export, syncs it
    when wikiGDrive writes into it, logs a failed sync and keeps serving the last good site."""
    project = tmp_path / "project"
    project.mkdir()
    root = make_export(BASE)
    (project / "mkdocs.yml").write_text(
        "site_name: Team wiki\ndocs_dir: docs\ntheme:\n  name: material\nplugins:\n  - search\n  - redirects\n"
        f"  - wikigdrive:\n      export_dir: {root}\n      debounce: 0.3\n", "utf-8")
    port = _free_port()
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    log = tmp_path / "serve.log"
    with open(log, "w") as stream:
        server = subprocess.Popen([PYTHON, "-m", "mkdocs", "serve", "--dev-addr", f"127.0.0.1:{port}"],
                                  cwd=project, env=env, stdout=stream, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        (project / "docs").mkdir()  # as in a fresh clone: the folder exists, empty; the first build syncs it
        assert _wait_for(f"{base}/guides/edit/", "About Edit me.", 60), "mkdocs serve did not come up: " + log.read_text()
        changed = edited(BASE)
        _write_export(root, {rel: changed[rel] for rel in ("guides/edit.md", "reference/move.md", "guides/new.md")})
        for rel in ("guides/drop.md", "guides/drop.assets/d.png", "guides/move.md"):
            (root / rel).unlink()
        assert _wait_for(f"{base}/guides/edit/", "Rewritten in Drive.", 60), log.read_text()
        assert _wait_for(f"{base}/guides/new/", "About New page.", 30)
        assert _wait_for(f"{base}/reference/move/", "About Move me.", 30)
        assert _wait_for(f"{base}/guides/move/", "reference/move/", 30)  # the old URL redirects
        assert "moved     Move me: guides/move.md -> reference/move.md" in log.read_text()  # the editor's report

        history = project / "wikigdrive-history.json"
        good = history.read_text("utf-8")
        history.write_text("<<<<<<< HEAD\n" + good, "utf-8")  # a merge gone wrong, then an edit in Drive
        _write_export(root, {"guides/edit.md": page("1edit", "Edit me", "Rewritten again.")})
        deadline = time.monotonic() + 30
        while "the last good site stays served" not in log.read_text() and time.monotonic() < deadline:
            time.sleep(0.2)
        assert "wikigdrive-history.json:1: a git merge left conflict markers" in log.read_text()
        assert "Rewritten in Drive." in (_fetch(f"{base}/guides/edit/") or "")  # the last good site
        assert "Traceback" not in log.read_text()

        history.write_text(good, "utf-8")  # fixed; the next change in the export syncs again
        _write_export(root, {"guides/new.md": page("1new", "New page", "Fresh.")})
        assert _wait_for(f"{base}/guides/edit/", "Rewritten again.", 60), log.read_text()
    finally:
        _stop(server)
