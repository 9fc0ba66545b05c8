"""The demo plan's rows, which refer to each other by position, and time helpers."""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field
from decimal import Decimal
from zoneinfo import ZoneInfo

from crm_store.models import ActivityKind, DealStatus, Lifecycle, Role, TaskStatus

DAY = dt.timedelta(days=1)
HOUR = dt.timedelta(hours=1)


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


# --- time helpers -------------------------------------------------------------------

# --- time helpers -------------------------------------------------------------------


def zones_of(users: list[PlannedUser]) -> dict[str, ZoneInfo]:
    return {u.slack_user_id: ZoneInfo(u.tz) for u in users}


def weekday_before(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=max(0, day.weekday() - 4))


def weekday_after(day: dt.date) -> dt.date:
    return day + dt.timedelta(days=(7 - day.weekday()) % 7 if day.weekday() > 4 else 0)


def office_hours(rng: random.Random, moment: dt.datetime, zone: ZoneInfo, *,
                  before: dt.datetime) -> dt.datetime:
    """A working-hours moment on the weekday of `moment` (local), if that is before `before`."""
    day = weekday_before(moment.astimezone(zone).date())
    minutes = rng.randrange(8 * 60, 18 * 60)
    local = dt.datetime.combine(day, dt.time(minutes // 60, minutes % 60), zone)
    candidate = local.astimezone(dt.UTC)
    return candidate if candidate <= before else moment.replace(second=0, microsecond=0)


def between(rng: random.Random, low: dt.datetime, high: dt.datetime,
             zone: ZoneInfo) -> dt.datetime:
    """A moment in [low, high], in office hours on a weekday when the span allows."""
    for _ in range(4):
        moment = office_hours(rng, low + (high - low) * rng.random(), zone, before=high)
        if low <= moment <= high:
            return moment
    return low + (high - low) * rng.random()
