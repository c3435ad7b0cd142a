"""Say what a sync did, the way MkDocs does: one summary, what changed, then every problem once."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from ingest.model import problem_order

if TYPE_CHECKING:
    from ingest.commands.sync import SyncResult

#: The kinds of change, in the order the report lists them.
CHANGE_KINDS = ("added", "updated", "moved", "removed", "unchanged")


def _plural(count: int, word: str) -> str:
    return f"{count} {word}" + ("" if count == 1 else "s")


def _change_line(kind: str, entry: dict[str, Any]) -> str:
    if kind == "moved":
        return f"  moved     {entry['title']}: {entry['from']} -> {entry['to']}"
    if kind == "removed":
        where = f"; its URL now redirects to {entry['redirect']}" if entry.get("redirect") else "; no page to redirect to"
        return f"  removed   {entry['title']}: {entry['path']}{where}"
    return f"  {kind:<9} {entry['title']}: {entry['path']}"


def format_summary(result: "SyncResult", export_dir: Path, out_dir: Path, verbose: bool = True,
                   written: bool = True, list_unchanged: bool = False, problems: bool = True) -> str:
    """A human summary: counts, files written, changes doc by doc, fixes, then problems by file and line
    (without ``problems``, the caller reports them: the MkDocs plugin logs each at its level)."""
    counts = result.counts
    files = result.files
    lines = []
    if result.up_to_date:
        lines.append(f"Up to date: nothing in {export_dir} changed since the last sync into {out_dir}/; "
                     "nothing was written.")
    elif result.dry_run:
        lines.append(f"Dry run: nothing was changed. Syncing {export_dir} into {out_dir}/ would write "
                     f"{_plural(files['written'], 'file')}, leave {files['unchanged']} unchanged and remove "
                     f"{files['removed']}.")
    elif written:
        lines.append(f"Synced {_plural(counts['docs'], 'doc')} from {export_dir} into {out_dir}/: "
                     f"{_plural(files['written'], 'file')} written, {files['unchanged']} unchanged, "
                     f"{files['removed']} removed.")
    else:
        lines.append(f"Checked {_plural(counts['docs'], 'doc')} from {export_dir}; nothing was written.")
    lines.append(f"Site: {_plural(counts['pages'], 'page')}, {_plural(counts['redirects'], 'redirect')}, "
                 f"{_plural(counts['assets'], 'asset')}.")
    changes = result.changes
    if verbose:
        if result.first_sync:
            lines.append(f"First sync of this export into this folder: {_plural(len(changes['added']), 'doc')} added"
                         + (":" if list_unchanged else " (listed with --verbose and in --report)."))
            if list_unchanged:
                lines.extend(_change_line("added", entry) for entry in changes["added"])
        else:
            summary = ", ".join(f"{len(changes[kind])} {kind}" for kind in CHANGE_KINDS)
            lines.append(f"Changes since the last sync: {summary}." + (
                " (The docs_dir was new: compared with the URL history, which knows pages, not their text.)"
                if result.from_history else ""))
            for kind in CHANGE_KINDS[:-1]:
                lines.extend(_change_line(kind, entry) for entry in changes[kind])
            if list_unchanged:
                lines.extend(_change_line("unchanged", entry) for entry in changes["unchanged"])
            elif changes["unchanged"]:
                lines.append(f"  ({_plural(len(changes['unchanged']), 'unchanged doc')}: listed with --verbose "
                             "and in --report)")
    if verbose and result.fixes:
        fixes = ", ".join(f"{name} {_plural(n, 'doc')}" for name, n in sorted(result.fixes.items()))
        lines.append(f"Text fixes: {fixes}.")
    if result.history_written:
        verb = "would be updated" if result.dry_run else "updated (commit it)"
        lines.append(f"URL history {verb}: {result.history_file}")
    if not problems:
        return "\n".join(lines)
    for problem in sorted(result.problems, key=problem_order):
        lines.append(str(problem))
    lines.append(f"{_plural(counts['warnings'], 'warning')}, {_plural(counts['errors'], 'error')}.")
    return "\n".join(lines)
