"""Timeline, summary and email draft through the real core, on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt
import re
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select

from bot.assistant import format as fmt
from bot.assistant.context import Ctx
from bot.assistant.core import execute
from bot.nlu.actions import DraftEmail, ShowTimeline, Summarize
from crm_store.errors import Ambiguous, BadInput, NotFound
from crm_store.models import Account, Activity, AuditEntry, Contact
from crm_store.services import accounts, activities, contacts, deals, tasks
from tests.conftest import make_settings, make_user

NOW = dt.datetime(2026, 11, 18, 15, 0, tzinfo=dt.UTC)
NY = ZoneInfo("America/New_York")
QUOTE = re.compile(r"“([^”]+)”\s*\[(activity:\d+), [^\]]+\]")


def days_ago(n: float) -> dt.datetime:
    return NOW - dt.timedelta(days=n)


@pytest.fixture
def ctx(session, rep) -> Ctx:
    return Ctx(session=session, user=rep, now=NOW, settings=make_settings(), source_id="t1")


@pytest.fixture
def world(session, rep):
    """Acme with Jane (an open deal, notes, a task) and Globex with Tom (one old call)."""
    team = rep.team_id
    acme = accounts.create_account(session, actor=rep, team_id=team, name="Acme Corp",
                                   owner_id=rep.id)
    jane = contacts.create_contact(session, actor=rep, team_id=team, name="Jane Doe",
                                   account_id=acme.id, title="VP Sales",
                                   email="jane@acme.example")
    deal = deals.create_deal(session, actor=rep, team_id=team, title="Acme expansion",
                             account_id=acme.id, contact_id=jane.id, amount=40_000,
                             stage="proposal", close_date=dt.date(2026, 12, 15),
                             now=days_ago(20))
    notes = {
        "discovery": activities.log_activity(
            session, actor=rep, team_id=team, kind="call", contact=jane, deal=deal,
            occurred_at=days_ago(10),
            body="Discovery with Jane. Budget approved for this year. She is the decision "
                 "maker together with their CFO."),
        "demo": activities.log_activity(
            session, actor=rep, team_id=team, kind="meeting", contact=jane, deal=deal,
            occurred_at=days_ago(3),
            body="Demo went well. They are also comparing us with Globex. Next steps: send "
                 "pricing by Friday."),
        "guide": activities.log_activity(
            session, actor=rep, team_id=team, kind="note", contact=jane,
            occurred_at=days_ago(40), body="Downloaded the forecasting guide."),
    }
    task = tasks.create_task(session, actor=rep, team_id=team, title="send pricing to Jane",
                             due_at=NOW + dt.timedelta(days=2), contact_id=jane.id,
                             account_id=acme.id)
    globex = accounts.create_account(session, actor=rep, team_id=team, name="Globex")
    tom = contacts.create_contact(session, actor=rep, team_id=team, name="Tom Becker",
                                  account_id=globex.id)
    notes["tom_call"] = activities.log_activity(
        session, actor=rep, team_id=team, kind="call", contact=tom, occurred_at=days_ago(45),
        body="Intro call with Tom. No budget until next year.")
    return {"acme": acme, "jane": jane, "deal": deal, "task": task, "tom": tom,
            "globex": globex, **notes}


def counts(session) -> tuple[int, int, int]:
    return tuple(session.scalar(select(func.count()).select_from(m))
                 for m in (Contact, Account, AuditEntry))


def check_quotes_are_real(session, text: str) -> int:
    """Every quoted sentence is in the note it cites; returns how many there were."""
    found = QUOTE.findall(text)
    for quote, ref in found:
        activity = session.get(Activity, int(ref.split(":")[1]))
        assert activity is not None, ref
        assert quote.rstrip("…") in " ".join(activity.body.split()), (quote, ref)
    return len(found)


# ------------------------------------------------------------------- timeline
def test_timeline_of_a_contact_has_header_and_rows_in_the_users_zone(session, ctx, world):
    reply = execute(ctx, [ShowTimeline(contact="jane")])
    assert reply.ok and not reply.wrote
    assert "*Jane Doe*" in reply.text and "Acme Corp" in reply.text
    assert "owner Sam Rivera" in reply.text
    assert "Acme expansion — proposal, $40,000, closing Dec 15" in reply.text
    assert reply.table.columns == ("When", "What", "Note", "By")
    task = next(r for r in reply.table.rows if r[1] == "task")
    due = fmt.moment(world["task"].due_at, NY, now=NOW)
    assert task[2] == f"Task open: send pricing to Jane (due {due})"  # in her zone, not UTC
    assert task[3] == "Sam Rivera"  # the assignee
    demo = next(r for r in reply.table.rows if r[1] == "meeting")
    assert demo[0] == fmt.moment(world["demo"].occurred_at, NY, now=NOW)
    assert demo[3] == "Sam Rivera"
    assert reply.context == ["Showing 4 of 4, newest first."]


def test_timeline_shows_the_latest_fifteen_of_many(session, ctx, world, rep):
    for n in range(20):
        activities.log_activity(session, actor=rep, team_id=rep.team_id, kind="note",
                                contact=world["tom"], occurred_at=days_ago(n + 1),
                                body=f"Note number {n}")
    reply = execute(ctx, [ShowTimeline(contact="Tom Becker")])
    assert len(reply.table.rows) == 15
    assert reply.table.rows[0][2] == "Note number 0"
    assert reply.context == ["Showing 15 of 21, newest first."]
    assert "No open deals." in reply.text


def test_timeline_of_an_account_names_the_contact_and_the_deal_updates(ctx, world):
    reply = execute(ctx, [ShowTimeline(account="acme")])
    whats = [row[1] for row in reply.table.rows]
    assert "call with Jane Doe" in whats
    assert "deal update (Acme expansion)" in whats


def test_a_company_in_the_contact_slot_is_found_as_an_account(ctx, world):
    reply = execute(ctx, [ShowTimeline(contact="Globex")])
    assert reply.text.startswith("*Globex*")


def test_unknown_name_is_not_found_and_nothing_is_created(session, ctx, world):
    before = counts(session)
    with pytest.raises(NotFound, match="'Zed Quinn'"):
        execute(ctx, [ShowTimeline(contact="Zed Quinn")])
    with pytest.raises(NotFound, match="account called 'Initech'"):
        execute(ctx, [Summarize(account="Initech")])
    with pytest.raises(NotFound, match="'Zed' at Acme Corp"):
        execute(ctx, [DraftEmail(contact="Zed", account="Acme")])
    assert counts(session) == before


def test_no_name_at_all_asks_whom(ctx, world):
    with pytest.raises(BadInput, match="Name a contact or an account"):
        execute(ctx, [Summarize()])


def test_two_close_names_offer_a_pick(session, ctx, world, rep):
    contacts.create_contact(session, actor=rep, team_id=rep.team_id, name="Jane Smith")
    with pytest.raises(Exception) as raised:  # the core turns Ambiguous into pick buttons
        execute(ctx, [Summarize(contact="Jane")])
    assert isinstance(raised.value.err, Ambiguous)
    labels = {b.label for b in raised.value.reply().buttons}
    assert labels == {"Jane Doe", "Jane Smith"}


# ------------------------------------------------------------------ summarize
def test_summary_quotes_notes_faithfully_and_cites_real_activities(session, ctx, world):
    reply = execute(ctx, [Summarize(contact="Jane Doe")])
    text = reply.text
    assert not reply.wrote
    assert check_quotes_are_real(session, text) >= 3
    assert "“Budget approved for this year.”" in text
    assert "“They are also comparing us with Globex.”" in text
    assert "“Next steps: send pricing by Friday.”" in text
    demo = world["demo"]
    assert f"*Last touch:* meeting, {fmt.moment(demo.occurred_at, NY, now=NOW)} by Sam Rivera" \
        f" [activity:{demo.id}, Nov 15]" in text
    assert f"Acme expansion — proposal, $40,000, closing Dec 15 [deal:{world['deal'].id}]" in text
    assert f"send pricing to Jane — due {fmt.moment(world['task'].due_at, NY, now=NOW)}" in text
    sources = next(c for c in reply.context if c.startswith("Sources: "))
    refs = sources.removeprefix("Sources: ").split(", ")
    assert f"activity:{demo.id}" in refs and f"activity:{world['discovery'].id}" in refs
    assert "Tom" not in text and f"activity:{world['tom_call'].id}" not in refs


def test_summary_of_an_account_says_whom_the_last_touch_was_with(session, ctx, world):
    reply = execute(ctx, [Summarize(account="Acme Corp")])
    assert "*Last touch:* meeting with Jane Doe" in reply.text
    assert check_quotes_are_real(session, reply.text) >= 3


def test_summary_with_nothing_logged_says_so(session, ctx, world, rep):
    contacts.create_contact(session, actor=rep, team_id=rep.team_id, name="Nora Quiet")
    reply = execute(ctx, [Summarize(contact="Nora Quiet")])
    assert reply.text == ("Nothing is logged for Nora Quiet yet — no calls, meetings, notes, "
                          "open deals or tasks.")
    assert QUOTE.findall(reply.text) == []


def test_old_objection_still_shows_for_a_quiet_contact(session, ctx, world):
    reply = execute(ctx, [Summarize(contact="Tom")])
    assert f"“No budget until next year.” [activity:{world['tom_call'].id}, Oct 4]" in reply.text
    assert "*Open deals:* none." in reply.text


# ---------------------------------------------------------------------- draft
def test_follow_up_draft_uses_real_facts_only(session, ctx, world):
    reply = execute(ctx, [DraftEmail(contact="Jane", purpose="follow up")])
    text = reply.text
    assert not reply.wrote
    assert "draft follow-up email to *Jane Doe* (Acme Corp)" in text
    assert "Subject: Following up on our meeting" in text
    assert "Hi Jane," in text and text.rstrip("`\n").endswith("Sam Rivera")
    assert ("“Demo went well. They are also comparing us with Globex. Next steps: send pricing "
            "by Friday.”") in text
    assert "Thanks again for the meeting on Nov 15." in text
    assert "Next step on my side: send pricing to Jane (by Friday, Nov 20)." in text
    assert "{" not in text and "Tom" not in text
    assert reply.fields == [("To", "Jane Doe <jane@acme.example>")]
    assert any("have not sent" in c for c in reply.context)
    assert f"Based on: activity:{world['demo'].id}, deal:{world['deal'].id}, " \
           f"task:{world['task'].id}" in reply.context


@pytest.mark.parametrize("purpose, subject, expected", [
    ("pricing", "Subject: Proposal for Acme Corp", "Investment: $40,000"),
    ("send a quote", "Subject: Proposal for Acme Corp", "Scope: Acme expansion"),
    ("recap of the demo", "Subject: Recap of our meeting on Nov 15",
     "Where things stand: Acme expansion, at the proposal stage, $40,000."),
    ("check in", "Subject: Checking in, Jane", "Is Acme expansion still on track for Dec 15?"),
    ("haven't heard back", "Subject: Still on your radar, Jane?",
     "Is Acme expansion still a priority for Acme Corp?"),
])
def test_purpose_words_pick_the_template(ctx, world, purpose, subject, expected):
    reply = execute(ctx, [DraftEmail(contact="Jane Doe", purpose=purpose)])
    assert subject in reply.text and expected in reply.text


def test_quiet_contact_without_purpose_gets_re_engage_and_no_invented_lines(ctx, world):
    reply = execute(ctx, [DraftEmail(contact="Tom Becker")])
    text = reply.text
    assert "draft re-engagement email to *Tom Becker* (Globex)" in text
    assert "Subject: Still on your radar, Tom?" in text
    assert "We were last in touch on Oct 4, and I wanted to reach back out." in text
    assert "“Intro call with Tom. No budget until next year.”" in text
    assert "Is this still a priority for Globex?" in text  # no deal, so no deal name
    assert "Acme" not in text and "Jane" not in text
    assert reply.fields == []
    assert "No email address on file for Tom Becker." in reply.context
    assert "Last touch was 45 days ago, so this is a re-engagement email." in reply.context


def test_draft_to_an_account_asks_whom_when_there_are_several(session, ctx, world, rep):
    ben = contacts.create_contact(session, actor=rep, team_id=rep.team_id, name="Ben Ode",
                                  account_id=world["globex"].id, email="ben@globex.example")
    with pytest.raises(Exception) as raised:
        execute(ctx, [DraftEmail(account="Globex")])
    assert isinstance(raised.value.err, Ambiguous)
    ctx.pinned["contact"] = ben.id  # what pressing the "Ben Ode" button does
    reply = execute(ctx, [DraftEmail(account="Globex")])
    assert "Hi Ben," in reply.text
    assert reply.fields == [("To", "Ben Ode <ben@globex.example>")]
    assert "Tom" not in reply.text  # Tom's call is not Ben's last interaction


def test_draft_to_an_account_with_one_contact_addresses_them(ctx, world):
    reply = execute(ctx, [DraftEmail(account="Globex", purpose="check in")])
    assert "Hi Tom," in reply.text


def test_reads_write_nothing(session, ctx, world):
    before = counts(session)
    for action in (ShowTimeline(contact="Jane"), Summarize(account="Acme"),
                   DraftEmail(contact="Jane")):
        assert execute(ctx, [action]).wrote is False
    assert counts(session) == before


def test_another_workspace_sees_nothing(session, world):
    outsider = make_user(session, "Olga Other", team_id="T_OTHER")
    ctx = Ctx(session=session, user=outsider, now=NOW, settings=make_settings(), source_id="t2")
    with pytest.raises(NotFound, match="'Jane Doe'"):
        execute(ctx, [Summarize(contact="Jane Doe")])
