"""`salesbot scheduler`: the scheduled jobs alone (they also run inside `salesbot serve`)."""

from __future__ import annotations

import argparse

from bot.cli import CommandError
from bot.runtime import open_database
from bot.settings import get_settings
from crm_store.errors import StoreUnavailable
from scheduler.notify import TerminalNotifier
from scheduler.runner import Jobs, start


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("scheduler", help="run reminders, alerts and digests")
    parser.add_argument("--url", help="database URL (default: DATABASE_URL or the SQLite file)")
    parser.add_argument("--once", action="store_true", help="run every due job once and exit")
    parser.add_argument("--terminal", action="store_true",
                        help="print messages here instead of sending them to Slack")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    settings = get_settings()
    try:
        db = open_database(settings, args.url)
    except StoreUnavailable as exc:
        raise CommandError(str(exc)) from None
    notifier = TerminalNotifier() if args.terminal or not settings.slack_bot_token \
        else _slack_notifier(settings, db)
    jobs = Jobs(db=db, notifier=notifier, settings=settings)
    try:
        if args.once:
            jobs.run_all_due()
        else:
            start(jobs, blocking=True)
    except (KeyboardInterrupt, SystemExit):
        pass
    finally:
        db.dispose()
    return 0


def _slack_notifier(settings, db):
    from bot.slack_notify import SlackNotifier

    return SlackNotifier.from_settings(settings, db)
