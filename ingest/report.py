"""Say what a sync did, the way MkDocs does: one summary, then every problem once."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ingest.sync import Site


def _plural(count: int, word: str) -> str:
    return f"{count} {word}" + ("" if count == 1 else "s")


def format_summary(site: "Site", export_dir: Path, out_dir: Path, verbose: bool = True, written: bool = True) -> str:
    """A human summary: counts, changes since the last sync, fixes, then problems sorted by file and line."""
    counts = site.counts
    lines = []
    verb = "Synced" if written else "Checked"
    lines.append(f"{verb} {_plural(counts['docs'], 'doc')} from {export_dir}"
                 + (f" into {out_dir}/" if written else "") + ": "
                 f"{_plural(counts['pages'], 'page')}, {_plural(counts['redirects'], 'redirect')}, "
                 f"{_plural(counts['assets'], 'asset')}.")
    changes = site.changes
    if verbose and site.first_sync:
        lines.append("First sync of this export into this folder: every page is new.")
    elif verbose and changes:
        summary = ", ".join(f"{len(changes.get(k, []))} {k}" for k in ("added", "changed", "moved", "removed"))
        lines.append(f"Changes since the last sync: {summary}.")
        shown = 0
        for kind in ("added", "changed", "moved", "removed"):
            for entry in changes.get(kind, []):
                if shown < 40:
                    text = f"{entry['from']} -> {entry['to']}" if isinstance(entry, dict) else entry
                    lines.append(f"  {kind:<8}{text}")
                shown += 1
        if shown > 40:
            lines.append(f"  ... and {shown - 40} more (see --report)")
    if verbose and site.fixes:
        fixes = ", ".join(f"{name} {_plural(n, 'doc')}" for name, n in sorted(site.fixes.items()))
        lines.append(f"Text fixes: {fixes}.")
    problems = sorted(site.problems, key=lambda p: (p.file, p.line or 0, p.kind))
    for problem in problems:
        lines.append(str(problem))
    lines.append(f"{_plural(counts['warnings'], 'warning')}, {_plural(counts['errors'], 'error')}.")
    return "\n".join(lines)
