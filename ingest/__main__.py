"""Command line: ``python -m ingest sync EXPORT_DIR``. Only parses arguments and prints."""

from __future__ import annotations

import gc
import json
import sys
from pathlib import Path

import click

from ingest import __version__
from ingest.commands.sync import StrictError, SyncError, SyncResult, sync
from ingest.output.report import format_summary
from ingest.output.write import OutputError
from ingest.settings import SettingsError, remembered_site_config
from ingest.utils.collector import collect_less
from ingest.utils.progress import progress_for


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="ingest")
def cli() -> None:
    """Turn a wikiGDrive export of Google Docs into a MkDocs Material site."""


@cli.command("sync")
@click.argument("export_dir", required=False, type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--out", "out_dir", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="The MkDocs docs_dir to write (default: the docs_dir of --config, else docs_src). It is replaced "
                   "as a whole, in one step, and only if it is empty or was written by ingest before.")
@click.option("--report", "report_path", type=click.Path(dir_okay=False, path_type=Path),
              help="Also write a JSON report here: counts (docs, pages, redirects, assets, warnings, errors), "
                   "files written/unchanged/removed, changes since the last sync (added, updated, moved, removed, "
                   "unchanged, each doc by title and path), text fixes and every problem with file, line, kind "
                   "and message.")
@click.option("--config", "config_file", type=click.Path(dir_okay=False, path_type=Path), default=Path("mkdocs.yml"),
              show_default=True,
              help="The site's mkdocs.yml: the wikigdrive plugin's options (export_dir, system name, brand, "
                   "published URLs, history_file) and the docs_dir; without the file, the defaults.")
@click.option("--history", "history_file", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="The URL history to read and keep up to date (every doc's page and every old URL that "
                   "redirects; commit it). Default: the plugin's history_file beside --config "
                   "(wikigdrive-history.json) when --out is that site's docs_dir, else none.")
@click.option("--no-history", is_flag=True, help="Neither read nor write a URL history file.")
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
def sync_command(export_dir: Path | None, out_dir: Path | None, report_path: Path | None, config_file: Path,
                 history_file: Path | None, no_history: bool, strict: bool, dry_run: bool, lock_timeout: float,
                 jobs: int | None, quiet: bool, verbose: bool) -> None:
    """Read EXPORT_DIR (a folder exported by wikiGDrive; default: the plugin's export_dir in --config)
    and bring the docs_dir MkDocs builds from up to date.

    Documents are .md and .txt files; images and *.assets/ or *.images/ folders are copied;
    the nav comes from a root navigation.md, else each doc's menu parent and weight, else the
    folder tree. Redirect stubs become redirects. Improvement Activity docs get their fields
    extracted (card, tags, the All activities index with activities.json/.csv); FAQ docs get one
    heading per question. Then run `mkdocs build` or `mkdocs serve`.

    A re-sync writes only the files that changed and swaps the new docs_dir in at once; if
    nothing in EXPORT_DIR changed it writes nothing. The report lists the docs added, updated,
    moved and removed since the last sync. A moved doc's old URLs redirect to its new one and a
    removed doc's URL to its nearest surviving section; these redirects are kept by later syncs
    and in the URL history file, which outlives the docs_dir. Progress goes to stderr: a bar on
    a terminal, one line a stage otherwise.

    Exit status: 0 when the site was written or was already up to date (warnings allowed), 1
    when nothing was written (an unusable export, output folder or URL history, another sync
    holding the folder, or --strict with problems), 2 for a usage error.
    """
    try:
        site = remembered_site_config(config_file)
    except SettingsError as exc:
        raise click.ClickException(str(exc))
    for message in site.deprecations:
        click.echo(f"Warning: {message}", err=True)
    if export_dir is None:
        if site.export_dir is None:
            raise click.UsageError(f"Give EXPORT_DIR, the folder wikiGDrive exported to, or set the wikigdrive "
                                   f"plugin's export_dir in {config_file}.")
        export_dir = site.export_dir
    out_dir = out_dir if out_dir is not None else site.docs_dir or Path("docs_src")
    if no_history:
        history_file = None
    elif history_file is None and site.docs_dir is not None and out_dir.resolve() == site.docs_dir.resolve():
        history_file = site.history_file
    progress = progress_for(sys.stderr, quiet=quiet)
    try:
        result = sync(export_dir, out_dir, strict=strict, dry_run=dry_run, lock_timeout=lock_timeout,
                      progress=progress, jobs=jobs, settings=site.settings, history_file=history_file)
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


@cli.command("check")
@click.argument("site_dir", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--export", "export_dir", type=click.Path(exists=True, file_okay=False, path_type=Path),
              help="The export the site was built from: the nav is then checked against its navigation doc, "
                   "its menu weights and its docs' titles.")
@click.option("--json", "as_json", is_flag=True, help="Print the whole report as JSON (for CI) instead of a table.")
@click.option("--limit", type=click.IntRange(min=0), default=20, show_default=True,
              help="Findings listed per class on the console (all of them are in --json).")
def check_command(site_dir: Path, export_dir: Path | None, as_json: bool, limit: int) -> None:
    """Check a built site (the site/ folder of `mkdocs build`) the way a reader meets it.

    Per page: shortcode or sync markers left anywhere (code included), mojibake, list markers
    shown as text, more than one H1, broken internal links and #fragments, redirect stubs shown
    as pages. With --export: nav labels that are no doc's title or navigation label, and the
    nav against the navigation doc (every entry there, in its order, with its label, under its
    parent) and the docs' menu weights. Links the sync found broken in a doc itself are listed
    and not counted.

    Exit status: 0 when nothing was found, 1 when something was (or SITE_DIR holds no site).
    """
    from ingest.check import KINDS, NOT_COUNTED, check_site, export_facts

    report = check_site(site_dir, export_facts(export_dir) if export_dir is not None else None)
    if report.pages == 0:
        raise click.ClickException(f"'{site_dir}' has no built pages (no index.html): point the check at the "
                                   "site_dir of `mkdocs build` (site/ by default).")
    if as_json:
        click.echo(json.dumps(report.to_dict(), indent=2, ensure_ascii=False))
    else:
        counts = report.counts()
        click.echo(f"Checked {report.pages} pages of {site_dir}" + (f" against {export_dir}" if export_dir else "")
                   + ".")
        width = max(len(kind) for kind in KINDS)
        for kind, about in KINDS.items():
            if kind.startswith("nav-") and export_dir is None:
                continue
            click.echo(f"  {kind:<{width}}  {counts[kind]:>5}  {about}")
        for kind in KINDS:
            found = [finding for finding in report.findings if finding.kind == kind]
            if found:
                click.echo(f"{kind}:")
                for finding in found[:limit]:
                    click.echo(f"  {finding.page or '(home)'}: {finding.detail}")
                if len(found) > limit:
                    click.echo(f"  ... and {len(found) - limit} more (--json lists them all)")
        failures = len(report.failures)
        listed = len(report.findings) - failures
        click.echo(f"{failures} problem{'s' if failures != 1 else ''}" +
                   (f", {listed} listed that were broken in the docs already ({', '.join(sorted(NOT_COUNTED))})"
                    if listed else "") + ".")
    if report.failures:
        sys.exit(1)


def main() -> None:  # pragma: no cover - entry point
    collect_less()  # ingest.utils.collector: it keeps what it makes to the end
    try:
        cli()  # named as it was run: `ingest`, or `python -m ingest`
    finally:
        # The process ends now: what is left is not walked and freed object by object by the interpreter's
        # teardown (a twentieth of a re-sync), as at the end of `mkdocs build` (ingest.mkdocs.processend).
        # Unlike a build, which runs other plugins' code and so collects its garbage first, this process
        # runs only ingest, which writes every file in a `with` block: no garbage is left to finalise.
        gc.freeze()


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
