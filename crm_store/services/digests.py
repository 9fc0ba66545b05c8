"""Digest subscriptions: a channel's daily or weekly pipeline digest at a local wall time.

The wall time lives in the subscriber's zone, so "08:00 daily" stays 08:00 across
daylight-saving changes; `next_run` turns it into the next UTC moment. A wall time
that does not exist that day (the spring-forward gap) runs at the same offset as the
hour before — i.e. one hour later on the clock; one that happens twice (fall back)
runs at its first occurrence, once.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy import select
from sqlalchemy.orm import Session

from crm_store.errors import BadInput, NotFound
from crm_store.models import Cadence, DigestSubscription, User
from crm_store.services import audit

DEFAULT_TIME = dt.time(8, 0)
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_CHANNEL = re.compile(r"^[a-z0-9][a-z0-9._-]{0,79}$")
_CHANNEL_ID = re.compile(r"^[CG][A-Z0-9]{2,79}$")  # public (C…) and older private (G…)
Outcome = Literal["created", "updated", "unchanged"]
_CLOCK = re.compile(r"^\s*(\d{1,2})(?::(\d{2}))?\s*(am|pm)?\s*$", re.IGNORECASE)


def parse_time(value: dt.time | str | None) -> dt.time:
    """A wall time from a time or 'HH:MM' / '8am' / '5:30 pm'; 08:00 when not given."""
    if value is None or value == "":
        return DEFAULT_TIME
    if isinstance(value, dt.time):
        return value.replace(second=0, microsecond=0, tzinfo=None)
    match = _CLOCK.match(str(value))
    if match:
        hour, minute, half = int(match.group(1)), int(match.group(2) or 0), match.group(3)
        if half:
            hour = hour % 12 + (12 if half.lower() == "pm" else 0) if 1 <= hour <= 12 else 99
        if 0 <= hour <= 23 and 0 <= minute <= 59:
            return dt.time(hour, minute)
    raise BadInput(f"'{value}' is not a time of day; use e.g. 08:00, 17:30 or 9am.")


def parse_weekday(value: int | str | None) -> int:
    """0 = Monday … 6 = Sunday, from an index or a day's name ('fri', 'Friday')."""
    if value is None or value == "":
        return 0
    if isinstance(value, int):
        if 0 <= value <= 6:
            return value
    else:
        word = str(value).strip().lower().rstrip("s")
        for index, name in enumerate(WEEKDAYS):
            if len(word) >= 3 and name.startswith(word):
                return index
    raise BadInput(f"'{value}' is not a day of the week.")


def parse_channel(value: str | None) -> str:
    """A channel name as Slack spells it: lower case, no '#'."""
    name = (value or "").strip().lstrip("#").lower()
    if not name:
        raise BadInput("Which channel? For example: 'daily digest to #sales at 8am'.")
    if not _CHANNEL.match(name):
        raise BadInput(f"'{value}' is not a channel name.")
    return name


def parse_channel_id(value: str) -> str:
    """A Slack channel id as Slack spells it (C0SALES); BadInput for anything else."""
    if not _CHANNEL_ID.match(value or ""):
        raise BadInput(f"'{value}' is not a Slack channel id.")
    return value


def zone(name: str | None) -> ZoneInfo:
    """The IANA zone called `name` (UTC when empty); BadInput for an unknown one."""
    try:
        return ZoneInfo(name or "UTC")
    except (ZoneInfoNotFoundError, ValueError):
        raise BadInput(f"'{name}' is not a time zone I know.") from None


def next_run_at(*, cadence: Cadence | str, time_of_day: dt.time, tz: str,
                after: dt.datetime, weekday: int | None = None) -> dt.datetime:
    """The first run strictly after `after` (aware), as aware UTC."""
    cadence = Cadence(cadence)
    where = zone(tz)
    day = after.astimezone(where).date()
    for _ in range(9):  # today plus at most a week and a day
        if cadence == Cadence.DAILY or day.weekday() == (weekday or 0):
            local = dt.datetime.combine(day, time_of_day, tzinfo=where)  # fold=0: first of two
            moment = local.astimezone(dt.UTC)
            if moment > after:
                return moment
        day += dt.timedelta(days=1)
    raise AssertionError("unreachable: a week always holds the weekday")  # pragma: no cover


def next_run(sub: DigestSubscription, after: dt.datetime) -> dt.datetime:
    """The subscription's next run strictly after `after`, as aware UTC."""
    return next_run_at(cadence=sub.cadence, time_of_day=sub.time_of_day, tz=sub.tz,
                       after=after, weekday=sub.weekday)


def find_subscription(session: Session, *, team_id: str, channel: str,
                      cadence: Cadence | str) -> DigestSubscription | None:
    """The channel's subscription of this cadence (active or not), or None."""
    return session.scalar(select(DigestSubscription).where(
        DigestSubscription.team_id == team_id, DigestSubscription.channel == channel,
        DigestSubscription.cadence == Cadence(cadence)))


def subscribe(session: Session, *, actor: User, team_id: str, channel: str,
              cadence: Cadence | str = Cadence.DAILY, time_of_day: dt.time | str | None = None,
              weekday: int | str | None = None, tz: str | None = None,
              channel_name: str | None = None, channel_id: str | None = None,
              now: dt.datetime) -> tuple[DigestSubscription, Outcome]:
    """Subscribe a channel (or change its existing subscription of the same cadence);
    audited. Returns the row and whether it was created, updated or already so.

    With `channel_id` (Slack) the digest goes to that channel, whatever it is called
    later; `channel_name` is only what we show (None: not known). Without it (the
    terminal), `channel` is the name and the address.
    """
    try:
        cadence = Cadence(cadence)
    except ValueError:
        raise BadInput(f"Digests are daily or weekly, not '{cadence}'.") from None
    if channel_id:
        channel, name = parse_channel_id(channel_id), channel_name
    else:
        channel = parse_channel(channel)
        name = channel_name or channel
    values = {
        "time_of_day": parse_time(time_of_day),
        "weekday": parse_weekday(weekday) if cadence == Cadence.WEEKLY else None,
        "tz": zone(tz or actor.tz).key,
        "channel_name": name,
        "active": True,
    }
    values["next_run_at"] = next_run_at(cadence=cadence, time_of_day=values["time_of_day"],
                                        tz=values["tz"], after=now, weekday=values["weekday"])
    sub = find_subscription(session, team_id=team_id, channel=channel, cadence=cadence)
    if sub is None:
        sub = DigestSubscription(team_id=team_id, channel=channel, cadence=cadence,
                                 created_by_id=actor.id, created_at=now, updated_at=now,
                                 **values)
        audit.created(session, sub, actor=actor)
        return sub, "created"
    if not sub.active:
        values["created_by_id"] = actor.id  # switched back on: it is theirs now
    if audit.updated(session, sub, actor=actor, changes=values):
        sub.updated_at = now
        return sub, "updated"
    return sub, "unchanged"


def unsubscribe(session: Session, *, actor: User, team_id: str, channel: str,
                cadence: Cadence | str | None = None) -> list[DigestSubscription]:
    """Switch off the channel's digests (one cadence, or all); audited, so undo restores."""
    channel = parse_channel(channel)
    query = select(DigestSubscription).where(
        DigestSubscription.team_id == team_id, DigestSubscription.channel == channel,
        DigestSubscription.active.is_(True))
    if cadence is not None:
        query = query.where(DigestSubscription.cadence == Cadence(cadence))
    subs = list(session.scalars(query.order_by(DigestSubscription.id)))
    if not subs:
        raise NotFound(f"#{channel} has no digest to stop.")
    for sub in subs:
        audit.updated(session, sub, actor=actor, changes={"active": False, "next_run_at": None})
    return subs


def list_subscriptions(session: Session, *, team_id: str,
                       active_only: bool = True) -> list[DigestSubscription]:
    """The workspace's digest subscriptions, by channel then cadence."""
    query = select(DigestSubscription).where(DigestSubscription.team_id == team_id)
    if active_only:
        query = query.where(DigestSubscription.active.is_(True))
    return list(session.scalars(query.order_by(DigestSubscription.channel,
                                               DigestSubscription.cadence)))


def mark_sent(session: Session, *, sub: DigestSubscription, sent_at: dt.datetime) -> None:
    """After delivery: remember when and schedule the next run."""
    sub.last_sent_at = sent_at
    sub.next_run_at = next_run(sub, max(sent_at, sub.next_run_at or sent_at))
    session.flush()
