"""Slipped is not upcoming: an open deal whose close date passed is flagged and kept apart
wherever a close date shows — answers, digests and the App Home."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from bot.assistant import format as fmt
from bot.assistant.core import Assistant
from bot.assistant.types import Incoming, Person
from bot.listeners.home import home_view
from bot.nlu.rules import parse
from bot.settings import Settings
from bot.workers import Core
from crm_store.models import LOCAL_TEAM, DigestSubscription
from crm_store.services import accounts, deals, digests
from scheduler.digests import build_digest, collect_digest
from tests.conftest import make_user

NY = ZoneInfo("America/New_York")
NOW = dt.datetime(2026, 12, 2, 8, 0, tzinfo=NY).astimezone(dt.UTC)  # Wed Dec 2, 8:00 NY
SAM = Person(team_id=LOCAL_TEAM, user_id="USAM", name="Sam Rivera", tz="America/New_York")


def test_close_day_flags_only_open_past_dates():
    today = dt.date(2026, 12, 2)
    assert fmt.close_day(dt.date(2026, 11, 30), today) == "⚠️ slipped, was due Nov 30"
    assert fmt.close_day(dt.date(2025, 12, 30), today) == "⚠️ slipped, was due Dec 30, 2025"
    assert fmt.close_day(dt.date(2026, 11, 30), today, still_open=False) == "Mon Nov 30"
    assert fmt.close_day(today, today) == "today, Wed Dec 2"
    assert fmt.close_day(None, today) == "no date"


def _book(database):
    """Sam's deals: one due Monday (passed, still open), one Friday, one next week."""
    with database.session() as s:
        sam = make_user(s, "Sam Rivera")
        sam.slack_user_id = "USAM"
        acme = accounts.create_account(s, actor=sam, team_id=LOCAL_TEAM, name="Acme")
        for title, amount, close in (("Acme pilot", 20_000, dt.date(2026, 11, 30)),
                                     ("Acme expansion", 50_000, dt.date(2026, 12, 4)),
                                     ("Acme platform", 90_000, dt.date(2026, 12, 9))):
            deals.create_deal(s, actor=sam, team_id=LOCAL_TEAM, title=title, amount=amount,
                              stage="proposal", account_id=acme.id, close_date=close,
                              now=NOW - dt.timedelta(days=30))
        sub, _ = digests.subscribe(s, actor=sam, team_id=LOCAL_TEAM, channel="sales",
                                   cadence="daily", time_of_day="08:00",
                                   tz="America/New_York", now=NOW - dt.timedelta(days=3))
        return sub.id


def test_the_digest_lists_slipped_deals_apart_from_those_closing(database):
    sub_id = _book(database)
    with database.session(readonly=True) as s:
        data = collect_digest(s, s.get(DigestSubscription, sub_id), now=NOW, occurrence=NOW,
                              hot_threshold=70)
    got = dict(build_digest(data).fields)
    assert got["Closing this week"] == "• Acme expansion — $50,000, Fri Dec 4 (Sam Rivera)"
    assert got["⚠️ Slipped (1): close date passed, still open"] == \
        "• Acme pilot — $20,000, slipped, was due Nov 30 (Sam Rivera)"


def test_app_home_flags_slipped_deals_and_lists_them_after_upcoming(database):
    _book(database)
    settings = Settings()
    core = Core(db=database, assistant=Assistant(database, settings, engine=parse),
                settings=settings)
    view = home_view(core, SAM, now=NOW)
    text = "\n".join(b.get("text", {}).get("text", "") for b in view["blocks"])
    assert text.index("Acme expansion") < text.index("Acme platform") < text.index("Acme pilot")
    assert "⚠️ slipped, was due Nov 30" in text


def test_a_forecast_says_slipped_deals_apart(database):
    _book(database)
    bot = Assistant(database, Settings(), engine=parse)
    reply = bot.handle(Incoming(person=SAM, text="my weighted forecast this quarter",
                                source_id="f1", now=NOW))
    lines = reply.text.split("\n")
    assert lines[0] == ("Reading: weighted amount of deals: open ones by their probability, "
                        "won in full, lost as zero, closing this quarter (Q4 2026), "
                        "owner: you.")
    assert "⚠️ 1 open deal ($20,000) slipped" in reply.text
    assert "Still ahead: 2 deals, $140,000." in reply.text
