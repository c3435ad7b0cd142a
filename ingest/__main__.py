"""Command line: ``python -m ingest sync EXPORT_DIR``. Only parses arguments and prints."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from ingest import __version__
from ingest.report import format_summary
from ingest.progress import progress_for
from ingest.settings import SettingsError, read_settings
from ingest.sync import StrictError, SyncError, SyncResult, sync
from ingest.write import OutputError


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="ingest")
def cli() -> None:
    """Turn a wikiGDrive export of Google Docs into a MkDocs Material site."""


@cli.command("sync")
@click.argument("export_dir", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--out", "out_dir", type=click.Path(file_okay=False, path_type=Path), default=Path("docs_src"),
              show_default=True,
              help="The MkDocs docs_dir to write. It is replaced as a whole, in one step, and only if it is "
                   "empty or was written by ingest before.")
@click.option("--report", "report_path", type=click.Path(dir_okay=False, path_type=Path),
              help="Also write a JSON report here: counts (docs, pages, redirects, assets, warnings, errors), "
                   "files written/unchanged/removed, changes since the last sync (added, updated, moved, removed, "
                   "unchanged, each doc by title and path), text fixes and every problem with file, line, kind "
                   "and message.")
@click.option("--config", "config_file", type=click.Path(dir_okay=False, path_type=Path), default=Path("mkdocs.yml"),
              show_default=True,
              help="The site's mkdocs.yml, for the settings the pages depend on (brand, published URLs); "
                   "without the file, the defaults.")
@click.option("--strict", is_flag=True,
              help="Treat warnings as errors: if anything is reported, write nothing and exit with 1.")
@click.option("--dry-run", is_flag=True,
              help="Work out and print the same report, including what would be written and removed, "
                   "but change nothing.")
@click.option("--lock-timeout", type=click.FloatRange(min=0), default=10.0, show_default=True, metavar="SECONDS",
              help="How long to wait for another sync into the same --out folder to finish before giving up.")
@click.option("-j", "--jobs", type=click.IntRange(min=1), default=None, metavar="N",
              help="Processes for a big export (default: every core; small exports always use one).")
@click.option("-q", "--quiet", is_flag=True, help="Print only the problems and the one-line summary; no progress.")
@click.option("-v", "--verbose", is_flag=True, help="Also list the unchanged docs (and every doc of a first sync).")
def sync_command(export_dir: Path, out_dir: Path, report_path: Path | None, config_file: Path, strict: bool,
                 dry_run: bool, lock_timeout: float, jobs: int | None, quiet: bool, verbose: bool) -> None:
    """Read EXPORT_DIR (a folder exported by wikiGDrive) and bring the docs_dir MkDocs builds from up to date.

    Documents are .md and .txt files; images and *.assets/ or *.images/ folders are copied;
    the nav comes from a root navigation.md, else each doc's menu parent and weight, else the
    folder tree. Redirect stubs become redirects. Improvement Activity docs get their fields
    extracted (card, tags, the All activities index with activities.json/.csv); FAQ docs get one
    heading per question. Then run `mkdocs build` or `mkdocs serve`.

    A re-sync writes only the files that changed and swaps the new docs_dir in at once; if
    nothing in EXPORT_DIR changed it writes nothing. The report lists the docs added, updated,
    moved and removed since the last sync. A moved doc's old URLs redirect to its new one and a
    removed doc's URL to its nearest surviving section, and these redirects are kept by later
    syncs. Progress goes to stderr: a bar on a terminal, one line a stage otherwise.

    Exit status: 0 when the site was written or was already up to date (warnings allowed), 1
    when nothing was written (an unusable export or output folder, another sync holding the
    folder, or --strict with problems), 2 for a usage error.
    """
    try:
        settings = read_settings(config_file)
    except SettingsError as exc:
        raise click.ClickException(str(exc))
    progress = progress_for(sys.stderr, quiet=quiet)
    try:
        result = sync(export_dir, out_dir, strict=strict, dry_run=dry_run, lock_timeout=lock_timeout,
                      progress=progress, jobs=jobs, settings=settings)
    except StrictError as exc:
        _emit(exc.result, export_dir, out_dir, report_path, quiet, verbose, written=False)
        raise click.ClickException(str(exc))
    except (SyncError, OutputError) as exc:
        raise click.ClickException(str(exc))
    except OSError as exc:
        raise click.ClickException(f"Could not use '{exc.filename}': {exc.strerror}. Nothing was changed in {out_dir}.")
    _emit(result, export_dir, out_dir, report_path, quiet, verbose, written=not dry_run)


def _emit(result: SyncResult, export_dir: Path, out_dir: Path, report_path: Path | None, quiet: bool, verbose: bool,
          written: bool) -> None:
    click.echo(format_summary(result, export_dir, out_dir, verbose=not quiet, written=written,
                              list_unchanged=verbose))
    if report_path is not None:
        try:
            report_path.parent.mkdir(parents=True, exist_ok=True)
            report_path.write_text(json.dumps(result.report(), indent=2, ensure_ascii=False) + "\n", "utf-8")
        except OSError as exc:
            raise click.ClickException(f"Could not write the report '{report_path}': {exc.strerror}. "
                                       "Choose another --report path.")


def main() -> None:  # pragma: no cover - entry point
    cli(prog_name="python -m ingest")


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
