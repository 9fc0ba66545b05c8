"""`salesbot demo`: seed a believable demo company into the CRM."""

from __future__ import annotations

import argparse
import time

from bot.cli import CommandError


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("demo", help="seed a demo company (users, accounts, deals, …)")
    parser.add_argument("--reset", action="store_true",
                        help="delete the workspace's CRM data first, then seed")
    parser.add_argument("--seed", type=int, default=7, help="random seed (default 7)")
    parser.add_argument("--team", help="workspace (Slack team id) to seed (default: 'local', "
                                       "the terminal's)")
    parser.add_argument("--scale", type=float, default=1.0,
                        help="size relative to the standard company (default 1.0)")
    parser.add_argument("--url", help="database URL (default: DATABASE_URL or the SQLite file)")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    # Imported here so building the parser for other commands does not load the database.
    from bot.settings import get_settings
    from crm_store.db import Database, mask_url
    from crm_store.demo import clear_workspace, has_data, seed_demo
    from crm_store.errors import BadInput, StoreUnavailable
    from crm_store.models import LOCAL_TEAM

    url = args.url or get_settings().database_url
    team = args.team or LOCAL_TEAM
    try:
        db = Database.open(url)
    except StoreUnavailable as exc:
        raise CommandError(str(exc)) from None
    started = time.perf_counter()
    try:
        with db.session() as session:  # reset and seed in one transaction: all or nothing
            if has_data(session, team):
                if not args.reset:
                    raise CommandError(
                        f"workspace '{team}' in {mask_url(url)} already has CRM data; "
                        "run `salesbot demo --reset` to replace it with the demo company")
                clear_workspace(session, team_id=team)
            summary = seed_demo(session, team_id=team, seed=args.seed, scale=args.scale)
    except BadInput as exc:
        raise CommandError(str(exc)) from None
    finally:
        db.dispose()
    seconds = time.perf_counter() - started
    print(f"Seeded demo company: {summary} into {mask_url(url)} ({seconds:.1f}s)")
    if summary.hot_contacts:
        print(f"Hot right now: {', '.join(summary.hot_contacts)}")
    if team == LOCAL_TEAM:
        print("Try `salesbot chat` (as the first rep); `salesbot chat --as \"Morgan Lee\"` "
              "for the manager's view.")
    return 0
