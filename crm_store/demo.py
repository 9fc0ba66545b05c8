"""A believable demo company in the CRM: deterministic from a seed, relative to `now`.

`plan_demo` is pure: it decides every user, account, contact, deal (with its stage
history), activity and task from a seeded `random.Random`, referring to rows by
their position in the plan. `seed_demo` writes the plan with bulk INSERTs (one per
table), which is what keeps `salesbot demo` to a few seconds. Seeding is not a user
command, so it writes no audit rows; the values are the ones the services would write.
"""

from __future__ import annotations

import datetime as dt
import math
import random
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import delete, exists, insert, select
from sqlalchemy.orm import Session

from crm_store.db import Database
from crm_store.demo_data import notes, words
from crm_store.errors import BadInput
from crm_store.models import (
    LOCAL_TEAM,
    Account,
    Activity,
    ActivityKind,
    AuditEntry,
    Contact,
    Deal,
    DealStageChange,
    DealStatus,
    Delivery,
    LeadScore,
    Lifecycle,
    Role,
    Tag,
    Tagging,
    Task,
    TaskStatus,
    User,
    utcnow,
)
from crm_store.services.pipelines import default_pipeline, stage_map

TERMINAL_USER_ID = words.REPS[0][1]  # the rep the terminal plays: "UREP1", Sam Rivera
OPEN_STAGES = ("lead", "qualified", "demo", "proposal", "negotiation")
DAY = dt.timedelta(days=1)
HOUR = dt.timedelta(hours=1)
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday")
# Days from today to an open deal's expected close date, by stage.
CLOSE_WINDOW = {"lead": (30, 150), "qualified": (25, 120), "demo": (20, 90),
                "proposal": (10, 60), "negotiation": (4, 40)}
PHASE_OF_STAGE = {"lead": "intro", "won": "won", "lost": "lost"}


@dataclass(frozen=True)
class DemoSummary:
    """What `seed_demo` wrote."""

    team_id: str
    users: int
    accounts: int
    contacts: int
    deals: int
    stage_changes: int
    activities: int
    tasks: int
    open_tasks: int
    hot_contacts: tuple[str, ...]

    def __str__(self) -> str:
        return (f"{self.users} users, {self.accounts:,} accounts, {self.contacts:,} contacts, "
                f"{self.deals:,} deals, {self.activities:,} activities, {self.tasks:,} tasks")


# --- the plan: plain rows that refer to each other by position ----------------------


@dataclass
class PlannedUser:
    name: str
    slack_user_id: str
    role: Role
    tz: str
    territory: str | None


@dataclass
class PlannedAccount:
    name: str
    domain: str
    industry: str
    city: str
    phone_prefix: str
    employees: int
    owner: str  # slack user id
    created_at: dt.datetime = field(default=None)  # type: ignore[assignment]


@dataclass
class PlannedContact:
    account: int
    first: str
    name: str
    title: str
    signs: bool
    email: str
    phone: str
    owner: str
    lifecycle: Lifecycle = Lifecycle.LEAD
    created_at: dt.datetime = field(default=None)  # type: ignore[assignment]


@dataclass(frozen=True)
class PlannedChange:
    at: dt.datetime
    from_stage: str | None
    to_stage: str
    amount: Decimal
    close_date: dt.date
    status: DealStatus


@dataclass
class PlannedDeal:
    account: int
    contact: int
    title: str
    product: str
    amount: Decimal
    stage: str
    status: DealStatus
    close_date: dt.date
    owner: str
    history: list[PlannedChange]
    closed_at: dt.datetime | None = None
    lost_reason: str | None = None

    @property
    def created_at(self) -> dt.datetime:
        return self.history[0].at

    def state_at(self, moment: dt.datetime) -> PlannedChange | None:
        """The deal as it stood at `moment`, or None before it existed."""
        state = None
        for change in self.history:
            if change.at > moment:
                break
            state = change
        return state


@dataclass
class PlannedActivity:
    kind: ActivityKind
    body: str
    occurred_at: dt.datetime
    author: str
    contact: int
    account: int
    deal: int | None
    transcript: str | None = None


@dataclass
class PlannedTask:
    title: str
    due_at: dt.datetime
    remind_at: dt.datetime
    status: TaskStatus
    assignee: str
    created_at: dt.datetime
    contact: int
    account: int
    deal: int | None
    completed_at: dt.datetime | None = None


@dataclass
class DemoPlan:
    now: dt.datetime
    users: list[PlannedUser]
    accounts: list[PlannedAccount]
    contacts: list[PlannedContact]
    deals: list[PlannedDeal]
    activities: list[PlannedActivity]
    tasks: list[PlannedTask]
    hot_contacts: list[int]


# --- public API ---------------------------------------------------------------------


def has_data(session: Session, team_id: str) -> bool:
    """True when the workspace holds any accounts, contacts, deals, activities or tasks."""
    return any(
        session.scalar(select(exists().where(model.team_id == team_id)))
        for model in (Account, Contact, Deal, Activity, Task)
    )


def clear_workspace(session: Session, *, team_id: str) -> None:
    """Delete the workspace's CRM records, scores and audit trail.

    Users, pipelines, digest subscriptions and processed-event keys stay: they are
    the workspace's set-up, not its data.
    """
    session.execute(delete(Tagging).where(
        Tagging.tag_id.in_(select(Tag.id).where(Tag.team_id == team_id))))
    for model in (LeadScore, Tag, Task, Activity, DealStageChange, Deal, Contact, Account,
                  AuditEntry):
        session.execute(delete(model).where(model.team_id == team_id))


def seed_demo(db_or_session: Database | Session, *, team_id: str = LOCAL_TEAM,
              now: dt.datetime | None = None, seed: int = 7,
              scale: float = 1.0) -> DemoSummary:
    """Fill an empty workspace with the demo company; BadInput when it already has data."""
    if isinstance(db_or_session, Database):
        with db_or_session.session() as session:
            return seed_demo(session, team_id=team_id, now=now, seed=seed, scale=scale)
    session = db_or_session
    if has_data(session, team_id):
        raise BadInput(f"The workspace '{team_id}' already has CRM data; clear it first.")
    plan = plan_demo(now=now or utcnow(), seed=seed, scale=scale)
    return _write(session, plan, team_id=team_id)


def plan_demo(*, now: dt.datetime, seed: int = 7, scale: float = 1.0) -> DemoPlan:
    """Every row of the demo company, decided from `seed`, all in the past of `now`."""
    if now.tzinfo is None:
        raise BadInput("The demo needs a timezone-aware 'now'.")
    if not 0 < scale <= 20:
        raise BadInput(f"Scale {scale} is out of range; use a number above 0 and up to 20.")
    now = now.astimezone(dt.UTC)
    rng = random.Random(seed)
    users = [PlannedUser(name, sid, Role(role), tz, territory)
             for name, sid, role, tz, territory in (words.MANAGER, *words.REPS, words.ADMIN)]
    accounts = _plan_accounts(rng, max(1, round(200 * scale)))
    contacts = _plan_contacts(rng, accounts)
    deals = _plan_deals(rng, now, accounts, contacts, users)
    _date_accounts_and_contacts(rng, now, accounts, contacts, deals, users)
    hot = _pick_hot_deals(deals, now, max(1, round(3 * scale)))
    hot_activities = _plan_hot_activities(rng, now, hot, deals, accounts, contacts, users)
    activities = _plan_activities(rng, now, max(0, round(3000 * scale) - len(hot_activities)),
                                  accounts, contacts, deals, users)
    activities = sorted(activities + hot_activities, key=lambda a: a.occurred_at)
    tasks = _plan_tasks(rng, now, scale, accounts, contacts, deals, users)
    return DemoPlan(now, users, accounts, contacts, deals, activities, tasks,
                    [deals[i].contact for i in hot])


# --- accounts and contacts ----------------------------------------------------------


def _plan_accounts(rng: random.Random, count: int) -> list[PlannedAccount]:
    owners = {t: [sid for _, sid, _, _, terr in words.REPS if terr == t]
              for t in words.TERRITORY_WEIGHTS}
    midmarket = [sid for _, sid, _, _, terr in words.REPS if terr == "midmarket"]
    industries = list(words.INDUSTRIES)
    accounts: list[PlannedAccount] = []
    names: set[str] = set()
    while len(accounts) < count:
        industry = rng.choice(industries)
        name = f"{_company_word(rng)} {rng.choice(words.INDUSTRIES[industry])}"
        if name in names:
            if len(names) > 4000:  # only at absurd scales: let names repeat with a number
                name = f"{name} {len(accounts)}"
            else:
                continue
        names.add(name)
        city, territory, phone = rng.choice(words.CITIES)
        # US accounts mostly go to the territory rep; mid-market takes a share of them.
        owner = rng.choice(midmarket if territory != "uk" and rng.random() < 0.3
                           else owners[territory])
        slug = "".join(ch for ch in name.lower() if ch.isalnum())
        accounts.append(PlannedAccount(
            name=name, domain=f"{slug}.example", industry=industry, city=city,
            phone_prefix=phone, employees=rng.choice((25, 60, 120, 250, 500, 1200, 3000, 8000)),
            owner=owner,
        ))
    return accounts


def _company_word(rng: random.Random) -> str:
    if rng.random() < 0.55:
        return rng.choice(words.NAME_HEADS) + rng.choice(words.NAME_TAILS)
    return rng.choice(words.NAME_WORDS)


def _plan_contacts(rng: random.Random, accounts: list[PlannedAccount]) -> list[PlannedContact]:
    titles = [t for t, _, _ in words.TITLES]
    weights = [w for _, w, _ in words.TITLES]
    signs = {t: s for t, _, s in words.TITLES}
    taken = {u[0] for u in (words.MANAGER, *words.REPS, words.ADMIN)}
    contacts: list[PlannedContact] = []
    for index, account in enumerate(accounts):
        emails: set[str] = set()
        for _ in range(rng.choices((1, 2, 3, 4, 5, 6), (12, 24, 30, 18, 10, 6))[0]):
            first, last = _unique_name(rng, taken)
            title = rng.choices(titles, weights)[0]
            contacts.append(PlannedContact(
                account=index, first=first, name=f"{first} {last}", title=title,
                signs=signs[title], email=_email(first, last, account.domain, emails),
                phone=f"{account.phone_prefix}{rng.randrange(100):02d}", owner=account.owner,
            ))
    return contacts


def _unique_name(rng: random.Random, taken: set[str]) -> tuple[str, str]:
    while True:
        first, last = rng.choice(words.FIRST_NAMES), rng.choice(words.LAST_NAMES)
        if f"{first} {last}" not in taken or len(taken) > 5000:
            taken.add(f"{first} {last}")
            return first, last


def _email(first: str, last: str, domain: str, used: set[str]) -> str:
    base = "".join(ch for ch in f"{first}.{last}".lower() if ch.isalnum() or ch == ".")
    local, n = base, 1
    while local in used:
        n += 1
        local = f"{base}{n}"
    used.add(local)
    return f"{local}@{domain}"


def _date_accounts_and_contacts(rng: random.Random, now: dt.datetime,
                                accounts: list[PlannedAccount], contacts: list[PlannedContact],
                                deals: list[PlannedDeal], users: list[PlannedUser]) -> None:
    """Creation times that precede everything hanging off them, and lifecycles that fit."""
    zones = _zones(users)
    first_deal: dict[int, dt.datetime] = {}
    deal_contacts: dict[int, dt.datetime] = {}
    outcomes: dict[int, set[DealStatus]] = {}
    for deal in deals:
        first_deal[deal.account] = min(first_deal.get(deal.account, deal.created_at),
                                       deal.created_at)
        deal_contacts[deal.contact] = min(deal_contacts.get(deal.contact, deal.created_at),
                                          deal.created_at)
        outcomes.setdefault(deal.account, set()).add(deal.status)
    for index, account in enumerate(accounts):
        created = now - dt.timedelta(days=rng.uniform(20, 420))
        if index in first_deal:
            created = min(created, first_deal[index] - dt.timedelta(days=rng.uniform(1, 20)))
        account.created_at = _office_hours(rng, created, zones[account.owner], before=created)
    for index, contact in enumerate(contacts):
        account = accounts[contact.account]
        if index in deal_contacts:  # met before the deal was opened
            span = (deal_contacts[index] - account.created_at) * 0.9
            contact.created_at = account.created_at + span * rng.random()
        else:
            contact.created_at = account.created_at + (now - DAY - account.created_at) * (
                0.6 * rng.random())
        contact.lifecycle = _lifecycle(rng, outcomes.get(contact.account, set()),
                                       index in deal_contacts)
    for deal in deals:  # whoever a deal is with is at least a prospect, a customer once won
        if deal.status == DealStatus.WON:
            contacts[deal.contact].lifecycle = Lifecycle.CUSTOMER
        elif deal.status == DealStatus.OPEN and contacts[deal.contact].lifecycle != \
                Lifecycle.CUSTOMER:
            contacts[deal.contact].lifecycle = Lifecycle.PROSPECT


def _lifecycle(rng: random.Random, outcomes: set[DealStatus], on_deal: bool) -> Lifecycle:
    if DealStatus.WON in outcomes:
        return Lifecycle.CUSTOMER if rng.random() < 0.9 else Lifecycle.PROSPECT
    if DealStatus.OPEN in outcomes:
        return Lifecycle.PROSPECT if on_deal or rng.random() < 0.8 else Lifecycle.LEAD
    if DealStatus.LOST in outcomes:
        return Lifecycle.DEAD if rng.random() < 0.55 else Lifecycle.LEAD
    return rng.choices((Lifecycle.LEAD, Lifecycle.PROSPECT, Lifecycle.DEAD), (70, 15, 15))[0]


# --- deals and their history --------------------------------------------------------


def _plan_deals(rng: random.Random, now: dt.datetime, accounts: list[PlannedAccount],
                contacts: list[PlannedContact], users: list[PlannedUser]) -> list[PlannedDeal]:
    zones = _zones(users)
    by_account: dict[int, list[int]] = {}
    for index, contact in enumerate(contacts):
        by_account.setdefault(contact.account, []).append(index)
    deals: list[PlannedDeal] = []
    for index, account in enumerate(accounts):
        count = rng.choices((0, 1, 2, 3, 4), (20, 35, 25, 13, 7))[0]
        people = by_account[index]
        for product in rng.sample(words.PRODUCTS, count):
            contact = rng.choices(people, [3 if contacts[i].signs else 1 for i in people])[0]
            deals.append(_plan_deal(rng, now, account, index, contact, product,
                                    zones[account.owner]))
    return deals


def _plan_deal(rng: random.Random, now: dt.datetime, account: PlannedAccount, account_index: int,
               contact: int, product: str, zone: ZoneInfo) -> PlannedDeal:
    amount = _amount(rng, account.employees)
    outcome = rng.choices((DealStatus.OPEN, DealStatus.WON, DealStatus.LOST), (52, 26, 22))[0]
    if outcome == DealStatus.OPEN:
        reached = rng.choices(range(5), (18, 24, 22, 20, 16))[0]
        path = list(OPEN_STAGES[:reached + 1])
        age = rng.uniform(6 + 8 * reached, 60 + 30 * reached)
        start, end = now - dt.timedelta(days=age), now - dt.timedelta(hours=rng.uniform(2, 96))
        low, high = CLOSE_WINDOW[path[-1]]
        overdue = rng.random() < 0.12  # the close date passed and nobody updated it
        close_date = (now.date() - dt.timedelta(days=rng.randint(1, min(25, int(age) - 2)))
                      if overdue else now.date() + dt.timedelta(days=rng.randint(low, high)))
    else:
        reached = 4 if outcome == DealStatus.WON else rng.choices(range(5), (10, 25, 30, 25, 10))[0]
        path = [*OPEN_STAGES[:reached + 1], outcome.value]
        start = now - dt.timedelta(days=rng.uniform(30, 330))
        cycle = dt.timedelta(days=rng.uniform(20, 110) if outcome == DealStatus.WON
                             else rng.uniform(10, 100))
        end = min(start + cycle, now - dt.timedelta(days=rng.uniform(1, 5)))
    times = _stage_times(rng, start, end, len(path), zone)
    if outcome != DealStatus.OPEN:
        close_date = times[-1].date()  # closing sets the close date to the day it closed
    history = _history(rng, path, times, amount, close_date, outcome, now)
    deal = PlannedDeal(
        account=account_index, contact=contact, title=f"{account.name} - {product}",
        product=product, amount=amount, stage=path[-1], status=outcome,
        close_date=close_date, owner=account.owner, history=history,
    )
    if outcome != DealStatus.OPEN:
        deal.closed_at = times[-1]
    if outcome == DealStatus.LOST:
        deal.lost_reason = rng.choice(words.LOST_REASONS).format(
            competitor=rng.choice(words.COMPETITORS))
    return deal


def _amount(rng: random.Random, employees: int) -> Decimal:
    """Log-normal around ~$30k, larger for larger companies, within $5k-$250k."""
    raw = rng.lognormvariate(math.log(28_000), 0.75) * (employees / 500) ** 0.15
    return Decimal(round(min(max(raw, 5_000), 250_000) / 500) * 500).quantize(Decimal("0.01"))


def _stage_times(rng: random.Random, start: dt.datetime, end: dt.datetime, count: int,
                 zone: ZoneInfo) -> list[dt.datetime]:
    """`count` increasing moments in office hours: the first near `start`, the last by `end`."""
    first = _office_hours(rng, start, zone, before=end)
    later = sorted(_between(rng, first, end, zone) for _ in range(count - 1))
    times = [first, *later]
    for i in range(1, len(times)):  # never two changes at the same instant
        if times[i] <= times[i - 1]:
            times[i] = times[i - 1] + dt.timedelta(minutes=1)
    return times


def _history(rng: random.Random, path: list[str], times: list[dt.datetime], amount: Decimal,
             close_date: dt.date, outcome: DealStatus, now: dt.datetime) -> list[PlannedChange]:
    """One row per stage entered; estimates revised at proposal, and some close dates slip."""
    estimate = amount
    if "proposal" in path and rng.random() < 0.3:
        estimate = Decimal(round(float(amount) * rng.uniform(0.7, 1.3) / 500) * 500)
        estimate = max(estimate, Decimal(5000)).quantize(Decimal("0.01"))
    expected = close_date
    if outcome != DealStatus.OPEN:
        expected = close_date + dt.timedelta(days=rng.randint(-7, 21))
    elif rng.random() < 0.2:
        expected = close_date - dt.timedelta(days=rng.randint(14, 45))
    expected = max(expected, times[0].date() + 7 * DAY)
    slip = expected != close_date and outcome == DealStatus.OPEN and now - times[-1] > 2 * DAY
    if not slip and outcome == DealStatus.OPEN:
        expected = close_date
    rows: list[PlannedChange] = []
    revised = estimate == amount
    for i, (stage, at) in enumerate(zip(path, times, strict=True)):
        revised = revised or stage == "proposal"
        closing = i == len(path) - 1 and outcome != DealStatus.OPEN
        rows.append(PlannedChange(
            at=at, from_stage=path[i - 1] if i else None, to_stage=stage,
            amount=amount if revised else estimate,
            close_date=close_date if closing else expected,
            status=outcome if closing else DealStatus.OPEN,
        ))
    if slip:  # the rep pushed the close date out after the last stage change
        at = times[-1] + (now - HOUR - times[-1]) * rng.uniform(0.2, 0.9)
        rows.append(PlannedChange(at=at, from_stage=path[-1], to_stage=path[-1], amount=amount,
                                  close_date=close_date, status=DealStatus.OPEN))
    return rows


def _pick_hot_deals(deals: list[PlannedDeal], now: dt.datetime, count: int) -> list[int]:
    """Late-stage open deals closing soon, one per rep in turn (the terminal rep first)."""
    candidates = [i for i, d in enumerate(deals)
                  if d.status == DealStatus.OPEN and d.stage in ("proposal", "negotiation")
                  and d.close_date >= now.date() and d.created_at < now - 14 * DAY]
    candidates.sort(key=lambda i: (deals[i].close_date, -deals[i].amount, i))
    picked: list[int] = []
    contacts_used: set[int] = set()
    reps = [sid for _, sid, _, _, _ in words.REPS]
    while len(picked) < count and candidates:
        progressed = False
        for rep in reps:
            pick = next((i for i in candidates if deals[i].owner == rep
                         and deals[i].contact not in contacts_used), None)
            if pick is not None and len(picked) < count:
                picked.append(pick)
                contacts_used.add(deals[pick].contact)
                candidates.remove(pick)
                progressed = True
        if not progressed:
            break
    return picked


# --- activities ---------------------------------------------------------------------


def _plan_activities(rng: random.Random, now: dt.datetime, count: int,
                     accounts: list[PlannedAccount], contacts: list[PlannedContact],
                     deals: list[PlannedDeal], users: list[PlannedUser]) -> list[PlannedActivity]:
    """Calls, meetings, emails and notes over six months, most where deals are alive."""
    zones = _zones(users)
    deals_of: dict[int, list[int]] = {}
    for index, deal in enumerate(deals):
        deals_of.setdefault(deal.account, []).append(index)
    weights = [_engagement(c, i, deals, deals_of) for i, c in enumerate(contacts)]
    cumulative = list(_accumulate(weights))
    start = now - dt.timedelta(days=182)
    activities: list[PlannedActivity] = []
    while len(activities) < count:
        index = rng.choices(range(len(contacts)), cum_weights=cumulative)[0]
        contact = contacts[index]
        low = max(contact.created_at, start)
        high = now - dt.timedelta(minutes=15)
        if contact.lifecycle == Lifecycle.DEAD:  # dead leads went quiet a while ago
            high = low + (high - low) * 0.5
        if high <= low:
            continue
        at = _between(rng, low, high, zones[contact.owner])
        deal_index = _live_deal(deals, deals_of.get(contact.account, []), index, at)
        activities.append(_activity(rng, at, contact, index, accounts[contact.account],
                                    deals, deal_index))
    return activities


def _engagement(contact: PlannedContact, index: int, deals: list[PlannedDeal],
                deals_of: dict[int, list[int]]) -> float:
    own = [deals[i] for i in deals_of.get(contact.account, []) if deals[i].contact == index]
    if any(d.status == DealStatus.OPEN for d in own):
        return 8.0
    if own:
        return 3.0
    return {Lifecycle.PROSPECT: 3.0, Lifecycle.CUSTOMER: 2.0, Lifecycle.LEAD: 1.0,
            Lifecycle.DEAD: 0.5}[contact.lifecycle]


def _accumulate(values: list[float]):
    total = 0.0
    for value in values:
        total += value
        yield total


def _live_deal(deals: list[PlannedDeal], candidates: list[int], contact: int,
               at: dt.datetime) -> int | None:
    """The account's deal in play at `at` (closed ones for two weeks after), the contact's first."""
    live = [i for i in candidates if deals[i].created_at <= at
            and (deals[i].closed_at is None or at <= deals[i].closed_at + 14 * DAY)]
    live.sort(key=lambda i: (deals[i].contact != contact, i))
    return live[0] if live else None


def _activity(rng: random.Random, at: dt.datetime, contact: PlannedContact, index: int,
              account: PlannedAccount, deals: list[PlannedDeal], deal_index: int | None,
              phase: str | None = None) -> PlannedActivity:
    deal = deals[deal_index] if deal_index is not None else None
    state = deal.state_at(at) if deal else None
    if phase is None:
        if state is not None:
            phase = PHASE_OF_STAGE.get(state.to_stage, state.to_stage)
        else:
            phase = {Lifecycle.CUSTOMER: "customer", Lifecycle.DEAD: "nurture"}.get(
                contact.lifecycle, rng.choice(("intro", "intro", "nurture")))
    kind, template = rng.choice(notes.NOTES[phase])
    body = template.format(**_fields(rng, contact, account, deal, state))
    activity_kind = ActivityKind(kind)
    transcript = None
    if activity_kind == ActivityKind.CALL and rng.random() < 0.05:
        activity_kind = ActivityKind.VOICE_NOTE
        transcript = f"Quick voice note after the call. {body}"
    return PlannedActivity(kind=activity_kind, body=body, occurred_at=at, author=contact.owner,
                           contact=index, account=contact.account, deal=deal_index,
                           transcript=transcript)


def _fields(rng: random.Random, contact: PlannedContact, account: PlannedAccount,
            deal: PlannedDeal | None, state: PlannedChange | None) -> dict[str, Any]:
    amount = state.amount if state else Decimal(rng.choice((15, 25, 40, 60, 90)) * 1000)
    close = state.close_date if state else None
    return {
        "first": contact.first, "contact": contact.name, "title": contact.title,
        "account": account.name, "industry": account.industry.lower(),
        "amount": f"${amount:,.0f}", "competitor": rng.choice(words.COMPETITORS),
        "seats": rng.choice((10, 15, 20, 25, 40, 60, 80)), "weekday": rng.choice(WEEKDAYS),
        "close": f"{close:%B} {close.day}" if close else "the end of the quarter",
        "product": (deal.product if deal else rng.choice(words.PRODUCTS)).lower(),
    }


def _plan_hot_activities(rng: random.Random, now: dt.datetime, hot: list[int],
                         deals: list[PlannedDeal], accounts: list[PlannedAccount],
                         contacts: list[PlannedContact],
                         users: list[PlannedUser]) -> list[PlannedActivity]:
    """A burst of buying signals in the last two weeks on each hot deal."""
    zones = _zones(users)
    activities = []
    for deal_index in hot:
        deal = deals[deal_index]
        contact = contacts[deal.contact]
        low = max(now - 12 * DAY, contact.created_at, deal.created_at)
        for _ in range(rng.randint(6, 9)):
            at = _between(rng, low, now - dt.timedelta(minutes=30), zones[deal.owner])
            activities.append(_activity(rng, at, contact, deal.contact, accounts[deal.account],
                                        deals, deal_index, phase="hot"))
    return activities


# --- tasks --------------------------------------------------------------------------


def _plan_tasks(rng: random.Random, now: dt.datetime, scale: float,
                accounts: list[PlannedAccount], contacts: list[PlannedContact],
                deals: list[PlannedDeal], users: list[PlannedUser]) -> list[PlannedTask]:
    """Per rep: some overdue, some due today, this week and later, and a history of done."""
    zones = _zones(users)
    tasks: list[PlannedTask] = []
    for rep in (r[1] for r in words.REPS):
        zone = zones[rep]
        today = now.astimezone(zone).date()
        open_deals = [i for i, d in enumerate(deals) if d.owner == rep
                      and d.status == DealStatus.OPEN]
        people = [i for i, c in enumerate(contacts) if c.owner == rep
                  and c.lifecycle != Lifecycle.DEAD]
        if not people:
            continue
        plan = (("overdue", max(1, round(3 * scale))), ("today", max(1, round(2 * scale))),
                ("week", round(3 * scale)), ("later", round(3 * scale)),
                ("done", round(8 * scale)), ("cancelled", round(0.6 * scale)))
        titles: set[str] = set()
        for when, count in plan:
            for _ in range(count):
                due = _due(rng, when, today, now, zone)
                # only about people and deals that existed a day before it was due
                deals_then = [i for i in open_deals if deals[i].created_at < due - DAY]
                people_then = [i for i in people if contacts[i].created_at < due - DAY]
                for _attempt in range(5):  # a rep's list has no task twice
                    if deals_then and rng.random() < 0.7:
                        deal_index: int | None = rng.choice(deals_then)
                        contact_index = deals[deal_index].contact
                    elif people_then:
                        deal_index, contact_index = None, rng.choice(people_then)
                    else:
                        break
                    task = _task(rng, when, due, now, rep, contact_index, contacts, accounts,
                                 deals, deal_index)
                    if task.title not in titles:
                        titles.add(task.title)
                        tasks.append(task)
                        break
    return sorted(tasks, key=lambda t: t.created_at)


def _due(rng: random.Random, when: str, today: dt.date, now: dt.datetime,
         zone: ZoneInfo) -> dt.datetime:
    if when == "today":
        local_now = now.astimezone(zone)
        later_hours = range(max(local_now.hour + 1, 9), 18)
        hour = rng.choice(later_hours) if later_hours else rng.randrange(9, 18)
        return dt.datetime.combine(today, dt.time(hour, rng.choice((0, 30))), zone).astimezone(
            dt.UTC)
    if when == "week":  # up to Sunday; on a Sunday, the next couple of days
        days_left = 6 - today.weekday()
        day = today + dt.timedelta(days=rng.randint(1, days_left) if days_left else
                                   rng.randint(1, 2))
    elif when == "later":
        day = _weekday_after(today + dt.timedelta(days=rng.randint(8, 30)))
    else:  # overdue, done, cancelled: in the past
        day = _weekday_before(today - dt.timedelta(days=rng.randint(1, 12)))
    return dt.datetime.combine(day, dt.time(rng.randrange(9, 18), rng.choice((0, 30))),
                               zone).astimezone(dt.UTC)


def _task(rng: random.Random, when: str, due: dt.datetime, now: dt.datetime, rep: str,
          contact_index: int, contacts: list[PlannedContact], accounts: list[PlannedAccount],
          deals: list[PlannedDeal], deal_index: int | None) -> PlannedTask:
    contact = contacts[contact_index]
    deal = deals[deal_index] if deal_index is not None else None
    if deal is not None:
        phase = PHASE_OF_STAGE.get(deal.stage, deal.stage)
    else:
        phase = "customer" if contact.lifecycle == Lifecycle.CUSTOMER else rng.choice(
            ("intro", "nurture"))
    title = rng.choice(notes.TASKS[phase]).format(
        first=contact.first, contact=contact.name, account=accounts[contact.account].name)
    remind = due - rng.choice((dt.timedelta(0), dt.timedelta(minutes=15), HOUR))
    created = min(due, now) - dt.timedelta(hours=rng.uniform(2, 240))
    created = max(created, contact.created_at, deal.created_at if deal else contact.created_at)
    created = min(created, remind, now)
    status = {"done": TaskStatus.DONE, "cancelled": TaskStatus.CANCELLED}.get(when,
                                                                              TaskStatus.OPEN)
    completed = None
    if status == TaskStatus.DONE:
        completed = min(max(due + dt.timedelta(hours=rng.uniform(-20, 30)), created), now)
    return PlannedTask(title=title, due_at=due, remind_at=remind, status=status, assignee=rep,
                       created_at=created, contact=contact_index, account=contact.account,
                       deal=deal_index, completed_at=completed)


# --- time helpers -------------------------------------------------------------------


def _zones(users: list[PlannedUser]) -> dict[str, ZoneInfo]:
    return {u.slack_user_id: ZoneInfo(u.tz) for u in users}


def _weekday_before(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=max(0, day.weekday() - 4))


def _weekday_after(day: dt.date) -> dt.date:
    return day + dt.timedelta(days=(7 - day.weekday()) % 7 if day.weekday() > 4 else 0)


def _office_hours(rng: random.Random, moment: dt.datetime, zone: ZoneInfo, *,
                  before: dt.datetime) -> dt.datetime:
    """A working-hours moment on the weekday of `moment` (local), if that is before `before`."""
    day = _weekday_before(moment.astimezone(zone).date())
    minutes = rng.randrange(8 * 60, 18 * 60)
    local = dt.datetime.combine(day, dt.time(minutes // 60, minutes % 60), zone)
    candidate = local.astimezone(dt.UTC)
    return candidate if candidate <= before else moment.replace(second=0, microsecond=0)


def _between(rng: random.Random, low: dt.datetime, high: dt.datetime,
             zone: ZoneInfo) -> dt.datetime:
    """A moment in [low, high], in office hours on a weekday when the span allows."""
    for _ in range(4):
        moment = _office_hours(rng, low + (high - low) * rng.random(), zone, before=high)
        if low <= moment <= high:
            return moment
    return low + (high - low) * rng.random()


# --- writing ------------------------------------------------------------------------


def _write(session: Session, plan: DemoPlan, *, team_id: str) -> DemoSummary:
    now = plan.now
    pipeline = default_pipeline(session, team_id=team_id)
    probability = {key: info.probability for key, info in stage_map(pipeline).items()}
    user_ids = _write_users(session, plan, team_id=team_id)

    def stamp(at: dt.datetime) -> dict[str, dt.datetime]:
        return {"created_at": at, "updated_at": at}

    account_ids = _insert(session, Account, [
        {"team_id": team_id, "name": a.name, "domain": a.domain, "industry": a.industry,
         "owner_id": user_ids[a.owner], "custom_fields": {"employees": a.employees, "hq": a.city},
         **stamp(a.created_at)}
        for a in plan.accounts
    ])
    contact_ids = _insert(session, Contact, [
        {"team_id": team_id, "name": c.name, "account_id": account_ids[c.account],
         "title": c.title, "email": c.email, "phone": c.phone, "lifecycle": c.lifecycle,
         "owner_id": user_ids[c.owner], "custom_fields": {}, **stamp(c.created_at)}
        for c in plan.contacts
    ])
    deal_ids = _insert(session, Deal, [
        {"team_id": team_id, "account_id": account_ids[d.account],
         "contact_id": contact_ids[d.contact], "pipeline_id": pipeline.id, "title": d.title,
         "amount": d.amount, "currency": "USD", "stage": d.stage,
         "probability": probability[d.stage], "close_date": d.close_date, "status": d.status,
         "lost_reason": d.lost_reason, "closed_at": d.closed_at, "owner_id": user_ids[d.owner],
         "custom_fields": {}, "created_at": d.created_at, "updated_at": d.history[-1].at}
        for d in plan.deals
    ])
    changes = [
        {"team_id": team_id, "deal_id": deal_ids[i], "from_stage": h.from_stage,
         "to_stage": h.to_stage, "amount": h.amount, "close_date": h.close_date,
         "status": h.status, "changed_at": h.at, "changed_by_id": user_ids[d.owner]}
        for i, d in enumerate(plan.deals) for h in d.history
    ]
    _insert(session, DealStageChange, changes, returning=False)
    _insert(session, Activity, [
        {"team_id": team_id, "kind": a.kind, "body": a.body, "occurred_at": a.occurred_at,
         "author_id": user_ids[a.author], "contact_id": contact_ids[a.contact],
         "account_id": account_ids[a.account],
         "deal_id": deal_ids[a.deal] if a.deal is not None else None, "source_ref": None,
         "transcript": a.transcript,
         "created_at": min(a.occurred_at + dt.timedelta(minutes=20), now)}
        for a in plan.activities
    ], returning=False)
    _insert(session, Task, [_task_row(t, team_id, now, user_ids, contact_ids, account_ids,
                                      deal_ids) for t in plan.tasks], returning=False)
    return DemoSummary(
        team_id=team_id, users=len(plan.users), accounts=len(plan.accounts),
        contacts=len(plan.contacts), deals=len(plan.deals), stage_changes=len(changes),
        activities=len(plan.activities), tasks=len(plan.tasks),
        open_tasks=sum(t.status == TaskStatus.OPEN for t in plan.tasks),
        hot_contacts=tuple(plan.contacts[i].name for i in plan.hot_contacts),
    )


def _write_users(session: Session, plan: DemoPlan, *, team_id: str) -> dict[str, int]:
    """The demo users by Slack id; ones already in the workspace are kept as they are."""
    existing = {u.slack_user_id: u for u in session.scalars(select(User).where(
        User.team_id == team_id,
        User.slack_user_id.in_([u.slack_user_id for u in plan.users])))}
    joined = plan.now - 420 * DAY
    manager_id = None
    for planned in plan.users:
        user = existing.get(planned.slack_user_id)
        if user is None:
            local = planned.name.lower().replace(" ", ".")
            user = User(team_id=team_id, slack_user_id=planned.slack_user_id, name=planned.name,
                        email=f"{local}@{words.OWN_DOMAIN}", tz=planned.tz, role=planned.role,
                        manager_id=manager_id if planned.role == Role.REP else None,
                        created_at=joined, updated_at=joined)
            session.add(user)
            session.flush()
            existing[planned.slack_user_id] = user
        if planned.role == Role.MANAGER:
            manager_id = user.id
    return {sid: user.id for sid, user in existing.items()}


def _task_row(task: PlannedTask, team_id: str, now: dt.datetime, user_ids: dict[str, int],
              contact_ids: list[int], account_ids: list[int],
              deal_ids: list[int]) -> dict[str, Any]:
    # A reminder whose time has passed went out then (as the scheduler would have sent it),
    # unless the task was finished first; so seeding does not set off a burst of reminders.
    finished = task.completed_at if task.status == TaskStatus.DONE else None
    fired = task.remind_at <= now and (finished is None or task.remind_at <= finished)
    if task.status == TaskStatus.CANCELLED:
        fired = False
    delivered = min(task.remind_at + dt.timedelta(seconds=30), now) if fired else None
    updated = max(x for x in (task.created_at, delivered, finished) if x is not None)
    return {
        "team_id": team_id, "title": task.title, "due_at": task.due_at,
        "remind_at": task.remind_at, "status": task.status, "completed_at": finished,
        "assignee_id": user_ids[task.assignee], "created_by_id": user_ids[task.assignee],
        "contact_id": contact_ids[task.contact], "account_id": account_ids[task.account],
        "deal_id": deal_ids[task.deal] if task.deal is not None else None,
        "delivery": Delivery.SENT if fired else Delivery.PENDING,
        "claimed_by": "demo" if fired else None, "lease_expires_at": None,
        "delivered_at": delivered, "delivery_attempts": 1 if fired else 0,
        "created_at": task.created_at, "updated_at": updated,
    }


def _insert(session: Session, model: Any, rows: list[dict[str, Any]], *,
            returning: bool = True) -> list[int]:
    """Bulk INSERT; the new ids in the order of `rows` when `returning`."""
    if not rows:
        return []
    if not returning:
        session.execute(insert(model), rows)
        return []
    statement = insert(model).returning(model.id, sort_by_parameter_order=True)
    return list(session.scalars(statement, rows))
