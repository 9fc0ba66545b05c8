"""Activity figures: counts by kind per rep, account or week/month; last touch; silence.

"Owner" here is the rep who logged the activity (its author); an activity's account is
the account it was logged against. Periods are half-open UTC moments [start, end).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from sqlalchemy import bindparam, func, or_, select
from sqlalchemy.orm import Session

from crm_store.errors import BadInput
from crm_store.models import Account, Activity, ActivityKind, Role, User

BY = ("owner", "account", "week", "month")


@dataclass(frozen=True)
class ActivityWhere:
    start: dt.datetime | None = None
    end: dt.datetime | None = None  # exclusive
    kinds: tuple[ActivityKind, ...] | None = None
    author_ids: tuple[int, ...] | None = None  # None: everyone


@dataclass
class ActivityRow:
    key: str
    label: str
    counts: dict[str, int] = field(default_factory=dict)  # kind → count

    @property
    def total(self) -> int:
        return sum(self.counts.values())


@dataclass(frozen=True)
class Touch:
    key: int
    label: str
    last_at: dt.datetime | None  # None: never


def _where(team_id: str | None, where: ActivityWhere) -> list:
    # No team condition inside per-account/per-rep subqueries (team_id None): those ids are
    # the workspace's already, and a team_id term there steers the planner onto the
    # team-by-time index, scanning a workspace's activities once per account.
    conditions = [Activity.team_id == team_id] if team_id is not None else []
    if where.start is not None:
        conditions.append(Activity.occurred_at >= where.start)
    if where.end is not None:
        conditions.append(Activity.occurred_at < where.end)
    if where.kinds is not None:
        conditions.append(Activity.kind.in_(where.kinds))
    if where.author_ids is not None:
        conditions.append(Activity.author_id.in_(where.author_ids))
    return conditions


def _bucket(session: Session, by: str):
    sqlite = session.get_bind().dialect.name == "sqlite"
    if by == "week":  # the Monday of the (UTC) week
        return (func.date(Activity.occurred_at, "weekday 0", "-6 days") if sqlite
                else func.to_char(func.date_trunc("week", Activity.occurred_at), "YYYY-MM-DD"))
    return (func.strftime("%Y-%m", Activity.occurred_at) if sqlite
            else func.to_char(Activity.occurred_at, "YYYY-MM"))


def activity_counts(session: Session, *, team_id: str, by: str = "owner",
                    where: ActivityWhere = ActivityWhere()) -> list[ActivityRow]:
    """Activities per group and kind; groups by most activities (weeks/months in order)."""
    if by not in BY:
        raise BadInput(f"I can count activities by {', '.join(BY)}, not '{by}'.")
    if by == "owner":
        key, label = Activity.author_id, User.name
        join = (User, User.id == Activity.author_id)
    elif by == "account":
        key, label = Activity.account_id, Account.name
        join = (Account, Account.id == Activity.account_id)
    else:
        key = label = _bucket(session, by)
        join = None
    query = select(key, label, Activity.kind, func.count()).select_from(Activity)
    if join is not None:
        query = query.outerjoin(*join)
    # Named authors are the workspace's users already: without the team term the planner
    # reads their (author_id, occurred_at) index instead of every activity of the period.
    team = None if where.author_ids is not None else team_id
    query = query.where(*_where(team, where)).group_by(key, label, Activity.kind)
    rows: dict[str, ActivityRow] = {}
    for k, lbl, kind, n in session.execute(query):
        row = rows.setdefault(str(k) if k is not None else "",
                              ActivityRow(str(k) if k is not None else "",
                                          str(lbl) if lbl is not None else "(none)"))
        row.counts[str(kind)] = row.counts.get(str(kind), 0) + int(n)
    if by in ("week", "month"):
        return sorted(rows.values(), key=lambda r: r.key)
    return sorted(rows.values(), key=lambda r: (-r.total, r.label))


def _kept_touches(owners: bool, quiet: bool) -> tuple:
    """Accounts by their kept last touch (ix_accounts_team_touch order): the list and, for
    `quiet` (nothing since :since), their count. Built once: these answer in well under a
    millisecond, where building the statement would cost more than running it."""
    last = Account.last_activity_at
    where = [Account.team_id == bindparam("team_id")]
    if owners:
        where.append(Account.owner_id.in_(bindparam("owner_ids", expanding=True)))
    if quiet:
        where.append(or_(last.is_(None), last < bindparam("since", type_=last.type)))
    listed = (select(Account.id, Account.name, last).where(*where)
              .order_by(last.is_not(None), last, Account.name).limit(bindparam("limit")))
    counted = select(func.count()).select_from(Account).where(*where)
    return listed, counted


KEPT_TOUCHES = {(owners, quiet): _kept_touches(owners, quiet)
                for owners in (False, True) for quiet in (False, True)}


def _kept(session: Session, *, team_id: str, owner_ids: tuple[int, ...] | None,
          since: dt.datetime | None, limit: int) -> tuple[int | None, list[Touch]]:
    listed, counted = KEPT_TOUCHES[(owner_ids is not None, since is not None)]
    args = {"team_id": team_id, "limit": limit, "since": since, "owner_ids": owner_ids}
    conn = session.connection()
    total = conn.execute(counted, args).scalar() if since is not None else None
    return total, [Touch(int(k), str(lbl), at) for k, lbl, at in conn.execute(listed, args)]


def last_touches(session: Session, *, team_id: str, by: str = "account",
                 where: ActivityWhere = ActivityWhere(),
                 owner_ids: tuple[int, ...] | None = None, limit: int = 25) -> list[Touch]:
    """The latest activity per account (or per rep), least recently touched first; never
    touched ones first of all. Accounts are those the owners in `owner_ids` own."""
    if by == "account" and where == ActivityWhere():
        # Every activity counts: the account's kept last touch (crm_store.services.touches).
        return _kept(session, team_id=team_id, owner_ids=owner_ids, since=None, limit=limit)[1]
    if by == "owner":
        people = select(User.id, User.name).where(
            User.team_id == team_id, User.is_active.is_(True), User.role == Role.REP)
        if owner_ids is not None:
            people = people.where(User.id.in_(owner_ids))
        key, name, of, candidates = User.id, User.name, Activity.author_id, people
    elif by == "account":
        accounts = select(Account.id, Account.name).where(Account.team_id == team_id)
        if owner_ids is not None:
            accounts = accounts.where(Account.owner_id.in_(owner_ids))
        key, name, of, candidates = Account.id, Account.name, Activity.account_id, accounts
    else:
        raise BadInput("Last touch is per account or per rep.")
    # Some activities only (a period, some kinds): one index seek per candidate.
    last = select(func.max(Activity.occurred_at)).where(
        *_where(None, where), of == key).scalar_subquery()
    rows = session.execute(candidates.add_columns(last.label("last_at"))
                           .order_by(last.is_not(None), last, name).limit(limit))
    return [Touch(int(k), str(lbl), at) for k, lbl, at in rows]


def without_activity(session: Session, *, team_id: str, by: str, since: dt.datetime,
                     where: ActivityWhere = ActivityWhere(),
                     owner_ids: tuple[int, ...] | None = None,
                     limit: int = 25) -> tuple[int, list[Touch]]:
    """Reps (or accounts, by their owner) with no activity since `since`: how many there
    are, and the first `limit` with their last touch (never-touched first)."""
    window = ActivityWhere(start=since, end=where.end, kinds=where.kinds)
    if by == "owner":
        people = select(User.id, User.name).where(
            User.team_id == team_id, User.is_active.is_(True), User.role == Role.REP)
        if owner_ids is not None:
            people = people.where(User.id.in_(owner_ids))
        recent = select(Activity.author_id).where(*_where(None, window),
                                                  Activity.author_id == User.id)
        candidates = people.where(~recent.exists())
        key, name, last_of = User.id, User.name, Activity.author_id
    elif by == "account":
        if where.end is None and where.kinds is None:
            # Nothing since `since`, of any kind: the kept last touch is before it (or none).
            # Counted and listed off ix_accounts_team_touch.
            total, touches = _kept(session, team_id=team_id, owner_ids=owner_ids, since=since,
                                   limit=limit)
            return int(total or 0), touches
        accounts = select(Account.id, Account.name).where(Account.team_id == team_id)
        if owner_ids is not None:
            accounts = accounts.where(Account.owner_id.in_(owner_ids))
        recent = select(Activity.id).where(*_where(None, window),
                                           Activity.account_id == Account.id)
        candidates = accounts.where(~recent.exists())
        key, name, last_of = Account.id, Account.name, Activity.account_id
    else:
        raise BadInput("No-activity lists are per rep or per account.")
    total = session.scalar(select(func.count()).select_from(candidates.subquery())) or 0
    before = [*_where(None, ActivityWhere(kinds=where.kinds)), last_of == key]
    last = select(func.max(Activity.occurred_at)).where(*before).scalar_subquery()
    rows = session.execute(candidates.add_columns(last.label("last_at"))
                           .order_by(last.is_not(None), last, name).limit(limit))
    return int(total), [Touch(int(i), str(n), at) for i, n, at in rows]
