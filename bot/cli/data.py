"""`salesbot import` and `salesbot export`: CSV (and vCard) files in and out of the CRM."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TextIO

from bot.cli import CommandError
from bot.settings import get_settings
from crm_store.csv_io import (
    EXPORTABLE,
    FIELDS,
    IMPORTABLE,
    ImportReport,
    apply_table,
    export_csv,
    import_actor,
    read_import_file,
)
from crm_store.db import Database
from crm_store.errors import BadInput, StoreUnavailable
from crm_store.models import LOCAL_TEAM
from crm_store.vcard import VCardError

MAX_LISTED = 50  # problems listed one per line; the rest are counted

IMPORT_EPILOG = """\
fields (headers are matched ignoring case and spacing, with common synonyms):
{fields}

examples:
  salesbot import contacts people.csv --dry-run
  salesbot import deals hubspot.csv --map "Deal Stage=stage" --map "Notes=ignore"
  salesbot import contacts cards.vcf
  salesbot import accounts companies.csv --skip-bad-rows --as "Ana Ortiz"
"""


def register(sub: argparse._SubParsersAction) -> None:
    fields = "\n".join(f"  {entity}: {', '.join(FIELDS[entity])}" for entity in IMPORTABLE)
    imp = sub.add_parser(
        "import", help="import contacts, accounts or deals from CSV (contacts also from vCard)",
        description="Import a CSV file (or a vCard file of contacts). All rows are written in\n"
                    "one transaction: a single bad row imports nothing unless --skip-bad-rows.",
        epilog=IMPORT_EPILOG.format(fields=fields),
        formatter_class=argparse.RawDescriptionHelpFormatter)
    imp.add_argument("entity", choices=IMPORTABLE)
    imp.add_argument("file", help="a .csv file, or a .vcf file of contacts")
    imp.add_argument("--map", action="append", default=[], metavar="'HEADER=field'",
                     help="read the CSV column HEADER as field (or 'ignore'); repeatable")
    imp.add_argument("--dry-run", action="store_true",
                     help="check the file and report what would change; write nothing")
    imp.add_argument("--skip-bad-rows", action="store_true",
                     help="import the good rows and list the bad ones (default: all or nothing)")
    imp.add_argument("--as", dest="acting_as", metavar="NAME",
                     help="user the import is recorded as (default: the system user)")
    imp.add_argument("--day-first", action="store_true", default=None,
                     help="read ambiguous dates like 03/04/2026 as day/month "
                          "(default: decided from the file, else month/day)")
    _common(imp)
    imp.set_defaults(func=run_import)

    exp = sub.add_parser("export", help="export contacts, accounts, deals or activities as CSV")
    exp.add_argument("entity", choices=EXPORTABLE)
    exp.add_argument("file", help="the CSV file to write; - for standard output")
    _common(exp)
    exp.set_defaults(func=run_export)


def _common(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--team", default=LOCAL_TEAM,
                        help=f"workspace (Slack team id; default: {LOCAL_TEAM})")
    parser.add_argument("--url", help="database URL (default: DATABASE_URL or the SQLite file)")


def _open(url: str | None) -> Database:
    try:
        return Database.open(url or get_settings().database_url)
    except StoreUnavailable as exc:
        raise CommandError(str(exc)) from None


class _Rollback(Exception):
    """Leaves the unit of work so it is rolled back: a dry run, or bad rows."""


def run_import(args: argparse.Namespace) -> int:
    name = Path(args.file).name or args.file
    try:
        table = read_import_file(args.file, entity=args.entity, mapping=args.map)
    except VCardError as exc:
        raise CommandError(f"{name}: {exc}; nothing was imported") from None
    except BadInput as exc:
        raise CommandError(f"{exc}; nothing was imported") from None
    db = _open(args.url)
    report: ImportReport | None = None
    try:
        with progress_bar(f"Importing {name}") as on_progress, db.session() as session:
            actor = import_actor(session, team_id=args.team, name=args.acting_as)
            report = apply_table(session, table, entity=args.entity, actor=actor,
                                 team_id=args.team, dry_run=args.dry_run,
                                 skip_bad_rows=args.skip_bad_rows,
                                 day_first=args.day_first, on_progress=on_progress)
            if not report.should_commit:
                raise _Rollback
    except _Rollback:
        pass
    except BadInput as exc:
        raise CommandError(str(exc)) from None
    finally:
        db.dispose()
    assert report is not None
    problems, summary = build_report_lines(report)
    for line in problems:
        print(line, file=sys.stderr)
    for line in summary:
        print(line)
    return 1 if report.errors else 0


def build_report_lines(report: ImportReport) -> tuple[list[str], list[str]]:
    """Notes and row problems (for stderr), and the summary (for stdout)."""
    src = report.source
    problems = [f"note: {note}" for note in report.notes]
    problems += [f"{src} {error}" for error in report.errors[:MAX_LISTED]]
    if len(report.errors) > MAX_LISTED:
        problems.append(f"… and {len(report.errors) - MAX_LISTED} more problems")
    bad = report.bad_rows
    good = report.rows - bad
    imported = report.should_commit or report.dry_run
    counts = (f"{report.created if imported else 0} created, "
              f"{report.updated if imported else 0} updated, "
              f"{report.unchanged if imported else 0} skipped (already up to date), "
              f"{_plural(bad, 'error')}")
    extra = (f"; {_plural(report.accounts_created, 'new account')}"
             if report.accounts_created and imported else "")
    if report.dry_run:
        summary = [f"Dry run of {src}, nothing written. It would give: {counts}{extra}."]
        if bad and not report.skip_bad_rows:
            summary.append("As it stands the import would write nothing: fix the rows listed, "
                           f"or add --skip-bad-rows to import the {_plural(good, 'good row')}.")
    elif not report.should_commit:
        summary = [f"Nothing imported from {src}: {counts}.",
                   "Fix the rows listed, or rerun with --skip-bad-rows to import the "
                   f"{_plural(good, 'good row')}."]
    else:
        summary = [f"Imported {src}: {counts}{extra}."]
        if bad:
            summary.append(f"{_plural(bad, 'bad row')} not imported (listed above).")
    return problems, summary


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}{'' if count == 1 else 's'}"


@contextmanager
def progress_bar(label: str, stream: TextIO | None = None
                 ) -> Iterator[Callable[[int, int], None] | None]:
    """A rich progress bar on stderr when it is a terminal; nothing otherwise."""
    stream = stream or sys.stderr
    if not stream.isatty():
        yield None
        return
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

    with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                  console=Console(file=stream), transient=True) as progress:
        task = progress.add_task(label, total=None)
        yield lambda done, total: progress.update(task, completed=done, total=total)


def run_export(args: argparse.Namespace) -> int:
    db = _open(args.url)
    try:
        if args.file == "-":
            return _export_stdout(db, args)
        path = Path(args.file)
        if path.is_dir():
            raise CommandError(f"{path} is a directory; give a file name to write")
        if not path.parent.is_dir():
            raise CommandError(f"cannot write {path}: the folder {path.parent} does not exist")
        # Written beside the target and renamed, so a failure never leaves half a file.
        partial = path.with_name(f".{path.name}.partial")
        try:
            with partial.open("w", encoding="utf-8", newline="") as out, \
                    db.session(readonly=True) as session:
                count = export_csv(session, entity=args.entity, team_id=args.team, out=out)
            partial.replace(path)
        except OSError as exc:
            partial.unlink(missing_ok=True)
            raise CommandError(f"cannot write {path}: {exc.strerror or exc}") from None
        print(f"Exported {count} {args.entity} to {path}.")
        return 0
    finally:
        db.dispose()


def _export_stdout(db: Database, args: argparse.Namespace) -> int:
    try:
        with db.session(readonly=True) as session:
            count = export_csv(session, entity=args.entity, team_id=args.team, out=sys.stdout)
        sys.stdout.flush()
    except BrokenPipeError:
        # The reader went away (e.g. `| head`): stop quietly, without a traceback at exit.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    print(f"Exported {count} {args.entity}.", file=sys.stderr)
    return 0
