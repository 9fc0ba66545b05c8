"""Call-prep briefs on seeded timelines, through the real executor on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from bot.assistant.brief_facts import find_competitors, topic_of
from bot.assistant.context import Ctx
from bot.assistant.core import execute
from bot.nlu.actions import Summarize
from bot.settings import Settings
from crm_store.demo import seed_demo
from crm_store.models import Account, Activity, Task, TaskStatus, User
from crm_store.services import accounts, activities, contacts, deals, tasks

NOW = dt.datetime(2026, 11, 29, 15, 0, tzinfo=dt.UTC)
PERMALINK = "https://acme.slack.com/archives/C1/p1764400000000100"
CITE = re.compile(r"\[([ATDC]\d+)[^\]]*\]\s*$")


def ago(days: float) -> dt.datetime:
    return NOW - dt.timedelta(days=days)


@pytest.fixture
def ctx(session, rep) -> Ctx:
    return Ctx(session=session, user=rep, now=NOW, settings=Settings(), source_id="b1")


@pytest.fixture
def greencrest(session, rep):
    """A deal that moved from discovery to negotiation, its close date slipped, with an
    early 'no budget' note, newer budget news, a competitor, a routine email, today's
    call logged from Slack, one overdue task and one due later."""
    team = rep.team_id
    acct = accounts.create_account(session, actor=rep, team_id=team, name="Greencrest")
    omar = contacts.create_contact(session, actor=rep, team_id=team, name="Omar Haddad",
                                   account_id=acct.id, title="VP Operations",
                                   email="omar@greencrest.example")
    lena = contacts.create_contact(session, actor=rep, team_id=team, name="Lena Park",
                                   account_id=acct.id, title="General Counsel")
    deal = deals.create_deal(session, actor=rep, team_id=team, title="Greencrest platform",
                             account_id=acct.id, contact_id=omar.id, amount=48_000,
                             stage="qualified", close_date=dt.date(2026, 11, 30), now=ago(60))
    deals.update_deal(session, actor=rep, deal=deal, stage="negotiation",
                      close_date=dt.date(2026, 12, 18), now=ago(12))

    def log(kind, body, days, who=omar, **kw):
        return activities.log_activity(session, actor=rep, team_id=team, kind=kind, body=body,
                                       contact=who, deal=deal, occurred_at=ago(days), **kw)

    notes = {
        "early": log("meeting", "Coffee with Omar. Early days: interested, no budget yet.", 50),
        "budget": log("call", "Omar confirmed they own the budget. Budget approved for Q1.", 20),
        "rival": log("call", "Objection on price: Dealforge quoted about 15% lower.", 9),
        "legal": log("meeting", "Lena from legal sent redlines on the liability cap.", 6,
                     who=lena),
        "routine": log("email", "Sent Omar the security questionnaire answers for their "
                       "security review.", 4),
        "today": log("call", "Omar wants 10% off before they sign; I said I'd check. Next "
                     "steps: send the revised order form by Friday.", 0.1,
                     source_ref=PERMALINK),
    }
    late = tasks.create_task(session, actor=rep, team_id=team, title="Chase redlines with legal",
                             due_at=ago(3), contact_id=lena.id, account_id=acct.id,
                             deal_id=deal.id, now=ago(6))
    soon = tasks.create_task(session, actor=rep, team_id=team, title="Send revised order form",
                             due_at=NOW + dt.timedelta(days=5), contact_id=omar.id,
                             account_id=acct.id, deal_id=deal.id, now=ago(0.1))
    return {"account": acct, "omar": omar, "lena": lena, "deal": deal, "late": late,
            "soon": soon, **notes}


def section(text: str, title: str) -> list[str]:
    """The bullet lines under a bold section title."""
    lines = text.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith(f"*{title}"))
    out = []
    for line in lines[start + 1:]:
        if not line.startswith("• "):
            break
        out.append(line)
    return out


def test_brief_lists_the_newest_status_first_and_drops_superseded_notes(ctx, greencrest):
    text = execute(ctx, [Summarize(account="Greencrest")]).text
    status = section(text, "Where it stands")
    ids = [CITE.search(line).group(1) for line in status]
    ats = [ctx.session.get(Activity, int(i[1:])).occurred_at for i in ids]
    assert ats == sorted(ats, reverse=True)  # newest first
    assert "no budget yet" not in text  # superseded by "Budget approved for Q1"
    assert any("Budget approved for Q1" in line for line in status)
    assert f"A{greencrest['today'].id}" in status[0]  # today's call leads


def test_slipped_close_date_days_in_stage_and_overdue_task_are_flagged(ctx, greencrest):
    text = execute(ctx, [Summarize(account="Greencrest")]).text
    deal_line = next(line for line in text.splitlines() if "Greencrest platform*" in line)
    assert "negotiation, $48,000, closes Dec 18 ⚠️ slipped from Nov 30" in deal_line
    assert "12 days in stage" in deal_line and f"[D{greencrest['deal'].id}]" in deal_line
    steps = section(text, "Next steps")
    late = next(line for line in steps if "Chase redlines with legal" in line)
    assert "⚠️ overdue" in late and f"T{greencrest['late'].id}" in late
    soon = next(line for line in steps if "Send revised order form" in line)
    assert "overdue" not in soon
    # What today's call commits to is a next step too, and today's call is a risk source.
    assert any(f"A{greencrest['today'].id}" in line and "revised order form" in line
               for line in steps)


def test_every_line_cites_its_source_with_the_slack_permalink(ctx, greencrest):
    text = execute(ctx, [Summarize(account="Greencrest")]).text
    body = [line for line in text.splitlines()[1:] if not line.startswith("*") or "[" in line]
    for line in body:
        if line.startswith("*") and line.endswith("*"):
            continue  # a section title
        assert re.search(r"\[[ATDC]\d+", line), line
    today = next(line for line in text.splitlines() if f"A{greencrest['today'].id}," in line)
    assert f"<{PERMALINK}|Slack>" in today


def test_stakeholders_have_titles_and_the_roles_the_notes_give_them(ctx, greencrest):
    text = execute(ctx, [Summarize(account="Greencrest")]).text
    people = section(text, "Stakeholders")
    omar = next(line for line in people if line.startswith("• Omar Haddad"))
    assert "VP Operations" in omar and "owns the budget" in omar
    assert f"A{greencrest['budget'].id}" in omar
    lena = next(line for line in people if line.startswith("• Lena Park"))
    assert "General Counsel" in lena and "legal" in lena


def test_a_big_account_lists_the_people_with_roles_and_counts_the_rest(session, ctx,
                                                                       greencrest, rep):
    for n in range(8):
        contacts.create_contact(session, actor=rep, team_id=rep.team_id, name=f"Person {n}",
                                account_id=greencrest["account"].id)
    people = section(execute(ctx, [Summarize(account="Greencrest")]).text, "Stakeholders")
    assert people[0].startswith("• Lena Park") and people[1].startswith("• Omar Haddad")
    assert people[6].startswith("• …and 4 more contacts at the account [C")


def test_a_routine_email_is_not_a_risk_and_competitors_are(ctx, greencrest):
    text = execute(ctx, [Summarize(account="Greencrest")]).text
    routine = f"A{greencrest['routine'].id}"
    risks = section(text, "Risks") if "*Risks" in text else []
    risky = [line for line in text.splitlines() if "⚠️" in line] + risks
    assert any(routine in line for line in text.splitlines())  # shown, as a plain fact
    assert not any(routine in line for line in risky)
    assert any("Dealforge" in line and "⚠️" in line for line in text.splitlines())


def test_with_two_deals_each_stands_on_its_own_notes(session, ctx, greencrest, rep):
    other = deals.create_deal(session, actor=rep, team_id=rep.team_id, title="Greencrest "
                              "analytics", account_id=greencrest["account"].id, amount=9_000,
                              stage="proposal", close_date=dt.date(2027, 1, 15), now=ago(30))
    older = activities.log_activity(
        session, actor=rep, team_id=rep.team_id, kind="call", contact=greencrest["omar"],
        deal=other, occurred_at=ago(25), body="Analytics: no budget until next year.")
    text = execute(ctx, [Summarize(account="Greencrest")]).text
    lines = text.splitlines()
    platform = lines.index(f"_Greencrest platform_ [D{greencrest['deal'].id}]")
    analytics = lines.index(f"_Greencrest analytics_ [D{other.id}]")
    assert platform < analytics
    # The platform deal's budget news does not silence the analytics deal's own.
    assert f"⚠️ Budget: “Analytics: no budget until next year.” (Omar Haddad) [A{older.id}," \
        in lines[analytics + 1]
    assert "no budget yet" not in text


def test_contact_brief_and_an_empty_one(session, ctx, greencrest, rep):
    text = execute(ctx, [Summarize(contact="Omar Haddad")]).text
    assert text.startswith("*Brief: Omar Haddad (Greencrest)*")
    assert "Lena from legal" not in text  # her meeting is not his
    contacts.create_contact(session, actor=rep, team_id=rep.team_id, name="Nora Quiet")
    assert execute(ctx, [Summarize(contact="Nora Quiet")]).text.startswith(
        "Nothing is logged for Nora Quiet yet")


@pytest.mark.parametrize("texts, expected", [
    (["Objection on price: Dealforge quoted about 15% lower."], ["Dealforge"]),
    (["Also comparing us with Pipewise. Next steps: trial."], ["Pipewise"]),
    (["They are evaluating CloseLoop and Salesgrid."], ["CloseLoop"]),
    (["Omar says the CFO signed off and Acmetrics is out."], ["Acmetrics"]),
    (["They're going with Globex."], ["Globex"]),
    (["Evaluating three vendors."], []),
    (["Comparing us with Omar's spreadsheet."], []),  # a known name is not a competitor
])
def test_competitors_are_found_in_the_notes(texts, expected):
    assert find_competitors(texts, known_names=["Omar Haddad"]) == expected


@pytest.mark.parametrize("sentence, topic", [
    ("Early days: interested, no budget yet.", "budget"),
    ("Budget approved for Q1.", "budget"),
    ("Redlines on the liability cap.", "legal"),
    ("Security review passed.", "security"),
    ("Asked for a 5% discount.", "pricing"),
    ("Target signature by Dec 15.", "timeline"),
    ("Nice chat about the weather.", None),
])
def test_topics(sentence, topic):
    assert topic_of(sentence) == topic


# ------------------------------------------------------------ the demo company
@pytest.fixture
def demo(session):
    seed_demo(session, now=NOW, scale=0.3)
    user = session.query(User).filter_by(slack_user_id="UREP1").one()
    return Ctx(session=session, user=user, now=NOW, settings=Settings(), source_id="d1")


def test_briefs_of_the_busiest_demo_accounts_cite_real_records(session, demo):
    from sqlalchemy import func, select
    busiest = session.execute(
        select(Account.name).join(Activity, Activity.account_id == Account.id)
        .group_by(Account.name).order_by(func.count().desc(), Account.name).limit(3)).scalars()
    for name in busiest:
        text = execute(demo, [Summarize(account=name)]).text
        assert text.startswith(f"*Brief: {name}*")
        for fid in set(re.findall(r"(?<=[\[; ])([AT])(\d+)(?=[,\];])", text)):
            model = Activity if fid[0] == "A" else Task
            assert session.get(model, int(fid[1])) is not None, fid
        for quote in re.findall(r"“([^”]+)”[^\[]*\[A(\d+)", text):
            body = session.get(Activity, int(quote[1])).body
            assert quote[0].rstrip("…") in " ".join(body.split())
        overdue = [t for t in session.scalars(select(Task).where(
            Task.status == TaskStatus.OPEN, Task.due_at < NOW))]
        assert overdue  # the demo has overdue tasks; those in a brief are flagged
        for line in text.splitlines():
            if line.startswith("• Task:") and any(f"[T{t.id}," in line for t in overdue):
                assert "⚠️ overdue" in line
