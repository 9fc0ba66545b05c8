"""The demo company's plan: users, accounts, contacts and deals with their history.

Pure: every choice comes from one seeded `random.Random`, every moment lies before
`now`, so the same seed and `now` give the same company.
"""

from __future__ import annotations

import datetime as dt
import math
import random
from decimal import Decimal
from zoneinfo import ZoneInfo

from crm_store.demo_data import words
from crm_store.demo_data.engagement import plan_activities, plan_hot_activities, plan_tasks
from crm_store.demo_data.records import (
    DAY,
    HOUR,
    DemoPlan,
    PlannedAccount,
    PlannedChange,
    PlannedContact,
    PlannedDeal,
    PlannedUser,
    between,
    office_hours,
    zones_of,
)
from crm_store.errors import BadInput
from crm_store.models import DealStatus, Lifecycle, Role

OPEN_STAGES = ("lead", "qualified", "demo", "proposal", "negotiation")
# Days from today to an open deal's expected close date, by stage.
CLOSE_WINDOW = {"lead": (30, 150), "qualified": (25, 120), "demo": (20, 90),
                "proposal": (10, 60), "negotiation": (4, 40)}


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
    hot_activities = plan_hot_activities(rng, now, hot, deals, accounts, contacts, users)
    activities = plan_activities(rng, now, max(0, round(3000 * scale) - len(hot_activities)),
                                  accounts, contacts, deals, users)
    activities = sorted(activities + hot_activities, key=lambda a: a.occurred_at)
    tasks = plan_tasks(rng, now, scale, accounts, contacts, deals, users)
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
    zones = zones_of(users)
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
        account.created_at = office_hours(rng, created, zones[account.owner], before=created)
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
    zones = zones_of(users)
    by_account: dict[int, list[int]] = {}
    for index, contact in enumerate(contacts):
        by_account.setdefault(contact.account, []).append(index)
    deals: list[PlannedDeal] = []
    for index, account in enumerate(accounts):
        count = rng.choices((0, 1, 2, 3, 4), (20, 35, 25, 13, 7))[0]
        people = by_account[index]
        for product in rng.sample(words.PRODUCTS, count):
            signer = rng.choices(people, [3 if contacts[i].signs else 1 for i in people])[0]
            deals.append(_plan_deal(rng, now, account, index, signer, product,
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
    first = office_hours(rng, start, zone, before=end)
    later = sorted(between(rng, first, end, zone) for _ in range(count - 1))
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
