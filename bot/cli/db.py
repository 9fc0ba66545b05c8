"""`salesbot db upgrade|current`: schema migrations for PostgreSQL (and SQLite) deployments."""

from __future__ import annotations

import argparse

from bot.cli import CommandError
from bot.settings import get_settings
from crm_store.db import check_connection, current_revision, head_revision, make_engine, mask_url
from crm_store.db import upgrade as run_upgrade
from crm_store.errors import StoreUnavailable


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("db", help="database schema: upgrade, current")
    parser.add_argument("action", choices=["upgrade", "current"])
    parser.add_argument("--url", help="database URL (default: DATABASE_URL or the SQLite file)")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    url = args.url or get_settings().database_url
    try:
        engine = make_engine(url)
        check_connection(engine)
    except StoreUnavailable as exc:
        raise CommandError(str(exc)) from None
    current, head = current_revision(engine), head_revision()
    if args.action == "current":
        state = "up to date" if current == head else f"behind (code is at {head})"
        print(f"{mask_url(url)}: revision {current or 'none'}, {state}")
        return 0
    if current == head:
        print(f"{mask_url(url)} is already at {head}")
        return 0
    run_upgrade(engine)
    print(f"{mask_url(url)} migrated {current or 'empty'} → {head}")
    return 0
