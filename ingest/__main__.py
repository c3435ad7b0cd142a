"""Command line: ``python -m ingest sync EXPORT_DIR``. Only parses arguments and prints."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from ingest import __version__
from ingest.report import format_summary
from ingest.sync import StrictError, SyncError, sync
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
                   "changes since the last sync (added, changed, moved, removed), text fixes and every problem "
                   "with file, line, kind and message.")
@click.option("--strict", is_flag=True,
              help="Treat warnings as errors: if anything is reported, write nothing and exit with 1.")
@click.option("-q", "--quiet", is_flag=True, help="Print only the problems and the one-line summary.")
def sync_command(export_dir: Path, out_dir: Path, report_path: Path | None, strict: bool, quiet: bool) -> None:
    """Read EXPORT_DIR (a folder exported by wikiGDrive) and write the docs_dir MkDocs builds from.

    Documents are .md and .txt files; images and *.assets/ or *.images/ folders are copied;
    the nav comes from a root navigation.md, else each doc's menu parent and weight, else the
    folder tree. Redirect stubs become redirects. Improvement Activity docs get their fields
    extracted (card, tags, the All activities index with activities.json/.csv); FAQ docs get one
    heading per question. Then run `mkdocs build` or `mkdocs serve`.

    Exit status: 0 when the site was written (warnings allowed), 1 when nothing was written
    (an unusable export or output folder, or --strict with problems), 2 for a usage error.
    """
    try:
        site = sync(export_dir, out_dir, strict=strict)
    except StrictError as exc:
        _emit(exc.site, export_dir, out_dir, report_path, quiet, written=False)
        raise click.ClickException(str(exc))
    except (SyncError, OutputError) as exc:
        raise click.ClickException(str(exc))
    except OSError as exc:
        raise click.ClickException(f"Could not use '{exc.filename}': {exc.strerror}. Nothing was changed in {out_dir}.")
    _emit(site, export_dir, out_dir, report_path, quiet, written=True)


def _emit(site, export_dir: Path, out_dir: Path, report_path: Path | None, quiet: bool, written: bool) -> None:
    click.echo(format_summary(site, export_dir, out_dir, verbose=not quiet, written=written))
    if report_path is not None:
        try:
            report_path.parent.mkdir(parents=True, exist_ok=True)
            report_path.write_text(json.dumps(site.report(), indent=2, ensure_ascii=False) + "\n", "utf-8")
        except OSError as exc:
            raise click.ClickException(f"Could not write the report '{report_path}': {exc.strerror}. "
                                       "Choose another --report path.")


def main() -> None:  # pragma: no cover - entry point
    cli(prog_name="python -m ingest")


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
