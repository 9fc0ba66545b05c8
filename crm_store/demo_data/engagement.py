"""The demo company's engagement: activities over six months, hot leads, and tasks."""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from crm_store.demo_data import notes, words
from crm_store.demo_data.records import (
    DAY,
    HOUR,
    PlannedAccount,
    PlannedActivity,
    PlannedChange,
    PlannedContact,
    PlannedDeal,
    PlannedTask,
    PlannedUser,
    between,
    weekday_after,
    weekday_before,
    zones_of,
)
from crm_store.models import ActivityKind, DealStatus, Lifecycle, TaskStatus

WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday")
PHASE_OF_STAGE = {"lead": "intro", "won": "won", "lost": "lost"}


# --- activities ---------------------------------------------------------------------


def plan_activities(rng: random.Random, now: dt.datetime, count: int,
                     accounts: list[PlannedAccount], contacts: list[PlannedContact],
                     deals: list[PlannedDeal], users: list[PlannedUser]) -> list[PlannedActivity]:
    """Calls, meetings, emails and notes over six months, most where deals are alive."""
    zones = zones_of(users)
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
        at = between(rng, low, high, zones[contact.owner])
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
    live = [i for i in candidates if _in_play(deals[i], at)]
    live.sort(key=lambda i: (deals[i].contact != contact, i))
    return live[0] if live else None


def _in_play(deal: PlannedDeal, at: dt.datetime) -> bool:
    closed = deal.closed_at
    return deal.created_at <= at and (closed is None or at <= closed + 14 * DAY)


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


def plan_hot_activities(rng: random.Random, now: dt.datetime, hot: list[int],
                         deals: list[PlannedDeal], accounts: list[PlannedAccount],
                         contacts: list[PlannedContact],
                         users: list[PlannedUser]) -> list[PlannedActivity]:
    """A burst of buying signals in the last two weeks on each hot deal."""
    zones = zones_of(users)
    activities = []
    for deal_index in hot:
        deal = deals[deal_index]
        contact = contacts[deal.contact]
        low = max(now - 12 * DAY, contact.created_at, deal.created_at)
        for _ in range(rng.randint(6, 9)):
            at = between(rng, low, now - dt.timedelta(minutes=30), zones[deal.owner])
            activities.append(_activity(rng, at, contact, deal.contact, accounts[deal.account],
                                        deals, deal_index, phase="hot"))
    return activities


# --- tasks --------------------------------------------------------------------------


def plan_tasks(rng: random.Random, now: dt.datetime, scale: float,
                accounts: list[PlannedAccount], contacts: list[PlannedContact],
                deals: list[PlannedDeal], users: list[PlannedUser]) -> list[PlannedTask]:
    """Per rep: some overdue, some due today, this week and later, and a history of done."""
    zones = zones_of(users)
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
                        chosen = rng.choice(deals_then)
                        deal_index: int | None = chosen
                        contact_index = deals[chosen].contact
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
        day = weekday_after(today + dt.timedelta(days=rng.randint(8, 30)))
    else:  # overdue, done, cancelled: in the past
        day = weekday_before(today - dt.timedelta(days=rng.randint(1, 12)))
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
