"""Email drafts written to the recipient: purposes, templates, what must never leak, buttons."""

from __future__ import annotations

import datetime as dt
import json
import re
from urllib.parse import unquote
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select

from bot.assistant.brief_facts import TaskRec
from bot.assistant.context import Ctx
from bot.assistant.core import Assistant, execute
from bot.assistant.draft_facts import (
    DraftSheet,
    build_draft_sheet,
    call_slots,
    first_name,
    product_of,
    relative_day,
)
from bot.assistant.drafts import (
    MAILTO_MAX,
    Draft,
    Options,
    leaks,
    mailto,
    past_dates,
    pick_purpose,
    render,
    sections,
)
from bot.assistant.types import Incoming, Person, Press
from bot.nlu.actions import DraftEmail
from bot.nlu.rules import parse
from bot.render.blocks import build_reply_blocks
from bot.settings import Settings
from crm_store.demo import seed_demo
from crm_store.demo_data.words import COMPETITORS
from crm_store.models import Account, Activity, Contact, Task, User
from crm_store.services import accounts, activities, contacts, deals, tasks
from prompts.templates import DRAFT_PURPOSES
from tests import clock
from tests.slack_harness import blocks_text, posted

NOW = dt.datetime(2026, 11, 29, 15, 0, tzinfo=dt.UTC)  # a Sunday
NY = ZoneInfo("America/New_York")
SAM = Person(team_id="local", user_id="USAM", name="Sam Rivera", tz="America/New_York")
SUBJECTS = {"follow_up": r"^(Following up|Next steps)", "recap": r"^(Recap|Our .* recap)",
            "proposal": r"^(Proposal|Your proposal|Our proposal)",
            "check_in": r"^(Checking in|Quick check-in)",
            "re_engage": r"^(Still on your radar|Picking things back up)"}


def ago(days: float) -> dt.datetime:
    return NOW - dt.timedelta(days=days)


# ------------------------------------------------------------------ purposes
@pytest.mark.parametrize("purpose, expected", [
    ("follow up", "follow_up"), ("follow-up", "follow_up"), ("thank you", "follow_up"),
    ("recap", "recap"), ("recapping our meeting", "recap"), ("summary of the call", "recap"),
    ("recap of the pricing call", "recap"),  # the kind named first wins
    ("follow up about pricing", "follow_up"),
    ("pricing", "proposal"), ("send the proposal", "proposal"), ("a quote for 30 seats",
                                                                  "proposal"),
    ("check in", "check_in"), ("touch base", "check_in"),
    ("haven't heard back", "re_engage"), ("follow up, have not heard back", "re_engage"),
    ("they went quiet", "re_engage"), ("re-engage", "re_engage"),
])
def test_purpose_words_pick_the_kind_of_email(purpose, expected):
    assert pick_purpose(purpose, days_since_touch=2) == expected


@pytest.mark.parametrize("purpose, days, expected", [
    (None, None, "follow_up"), (None, 30, "follow_up"), (None, 31, "re_engage"),
    ("about the demo", 60, "re_engage"), ("follow up", 90, "follow_up"),
])
def test_long_silence_means_re_engage_unless_a_purpose_is_given(purpose, days, expected):
    assert pick_purpose(purpose, days_since_touch=days) == expected


@pytest.mark.parametrize("name, expected", [
    ("Jane Doe", "Jane"), ("Dr. Jane Doe", "Jane"), ("", None), (None, None), ("Dr.", None),
])
def test_first_name(name, expected):
    assert first_name(name) == expected


# ------------------------------------------------------------- dates and words
@pytest.mark.parametrize("days, expected", [
    (0.1, "today"), (1, "yesterday"), (3, "on Thursday"), (9, "last week"),
    (20, "a few weeks ago"), (80, "a while back"),
])
def test_the_last_interaction_is_named_without_a_date(days, expected):
    assert relative_day(ago(days), now=NOW, tz=NY) == expected


@pytest.mark.parametrize("now, expected", [
    (dt.datetime(2026, 11, 27, 20, 0, tzinfo=NY), ("Monday, Nov 30", "Tuesday, Dec 1")),  # Fri
    (dt.datetime(2026, 11, 29, 9, 0, tzinfo=NY), ("Monday, Nov 30", "Tuesday, Dec 1")),  # Sun
    (dt.datetime(2026, 12, 30, 9, 0, tzinfo=NY), ("Thursday, Dec 31", "Friday, Jan 1")),
])
def test_call_slots_are_the_next_working_days(now, expected):
    assert call_slots(now=now.astimezone(dt.UTC), tz=NY) == expected


def test_past_dates_are_found_and_future_ones_are_not():
    assert past_dates("on Nov 3 and Dec 4, also Jan 5", now=NOW) == ["Nov 3"]


@pytest.mark.parametrize("title, account, expected", [
    ("Greencrest - Enterprise upgrade", "Greencrest", "the Enterprise upgrade"),
    ("Pilot", "Greencrest", "the Pilot"), ("Greencrest", "Greencrest", None), (None, "X", None),
])
def test_product_of(title, account, expected):
    assert product_of(title, account) == expected


# ------------------------------------------------------------------ templates
def sheet(**overrides) -> DraftSheet:
    values = dict(first_name="Omar", name="Omar Haddad", account="Greencrest",
                  sender="Sam Rivera", anchor="call", when="yesterday",
                  topics="the contract and your security review",
                  deliverables="the revised order form", deliver_by=" by Friday, Dec 4",
                  day1="Monday, Nov 30", day2="Tuesday, Dec 1", product="the platform",
                  amount="$48,000", days_quiet=1, cites=("A1",),
                  forbidden=("Dealforge", "Omar wants 10% off before they sign"))
    values.update(overrides)
    return DraftSheet(**values)


BARE = dict(first_name=None, name=None, anchor=None, when=None, topics=None,
            deliverables=None, deliver_by=None, product=None, amount=None, days_quiet=None)


@pytest.mark.parametrize("purpose", DRAFT_PURPOSES)
@pytest.mark.parametrize("facts", [{}, BARE], ids=["full", "bare"])
def test_every_template_renders_to_the_recipient_without_gaps(purpose, facts):
    draft = render(sheet(**facts), Options(purpose=purpose), now=NOW)
    assert re.match(SUBJECTS[purpose], draft.subject), draft.subject
    assert "{" not in draft.text and "}" not in draft.text
    assert draft.body.endswith("\nSam Rivera")
    assert re.search(r"\byou(r)?\b", draft.body)  # second person
    assert not leaks(draft.text, sheet(**facts), now=NOW)
    assert "\n\n\n" not in draft.body


@pytest.mark.parametrize("purpose", DRAFT_PURPOSES)
def test_another_version_shorter_and_tones_differ(purpose):
    s = sheet()
    base = render(s, Options(purpose=purpose), now=NOW)
    again = render(s, Options(purpose=purpose, variant=1), now=NOW)
    short = render(s, Options(purpose=purpose, short=True), now=NOW)
    formal = render(s, Options(purpose=purpose, tone="formal"), now=NOW)
    casual = render(s, Options(purpose=purpose, tone="casual"), now=NOW)
    assert again.text != base.text
    assert len(short.body) < len(base.body)
    assert len({base.body, formal.body, casual.body}) == 3
    assert formal.body.startswith("Dear Omar,") and casual.body.startswith("Hey Omar,")


def test_every_template_has_subject_greeting_and_signoff():
    for purpose in DRAFT_PURPOSES:
        names = [s.name for s in sections(purpose)]
        assert names[:2] == ["subject", "greeting"] and names[-1] == "signoff"


def test_a_line_that_would_leak_is_left_out():
    s = sheet(topics="Dealforge pricing")  # as if a competitor slipped into a topic
    draft = render(s, Options(purpose="follow_up"), now=NOW)
    assert "Dealforge" not in draft.text


def test_leaks_finds_competitors_quotes_internal_words_and_past_dates():
    s = sheet()
    assert leaks("We beat Dealforge.", s, now=NOW) == ["Dealforge"]
    assert leaks("As you said, omar wants 10% off before they sign.", s, now=NOW)
    assert leaks("About the discount", s, now=NOW) == ["discount"]
    assert leaks("See you on Nov 20", s, now=NOW) == ["Nov 20"]
    assert leaks("See you on Dec 2", s, now=NOW) == []


@pytest.mark.parametrize("title, promised", [
    ("Send revised order form to Omar", "the revised order form"),
    ("Walk Omar through ROI", "an ROI walkthrough"),
    ("Chase redlines with legal", None),  # ours to do, nothing the customer receives
    ("Get discount approval", None),
])
def test_only_tasks_that_give_the_customer_something_are_promised(title, promised):
    task = TaskRec(id=1, title=title, due_at=NOW + dt.timedelta(days=3))
    s = build_draft_sheet(name="Omar Haddad", account="Greencrest", sender="Sam", notes=[],
                          tasks=[task], deal_title=None, deal_amount=None, currency="USD",
                          now=NOW, tz=NY)
    assert s.deliverables == promised
    assert s.deliver_by == (" by Wednesday, Dec 2" if promised else None)


def test_mailto_carries_subject_and_body_encoded_within_slacks_limit():
    draft = Draft(purpose="recap", subject="Recap & next steps", body="Hi Omar,\n\nLine two?")
    url = mailto("omar@greencrest.example", draft)
    assert url.startswith("mailto:omar@greencrest.example?subject=Recap%20%26%20next%20steps")
    assert unquote(url.split("&body=")[1]) == "Hi Omar,\r\n\r\nLine two?"
    long = Draft(purpose="recap", subject="S", body="\n".join(["word " * 40] * 40))
    cut = mailto("a@b.example", long)
    assert len(cut) <= MAILTO_MAX and "&body=" in cut


# ----------------------------------------------- drafts from a seeded timeline
@pytest.fixture
def greencrest(session, rep):
    team = rep.team_id
    acct = accounts.create_account(session, actor=rep, team_id=team, name="Greencrest")
    omar = contacts.create_contact(session, actor=rep, team_id=team, name="Omar Haddad",
                                   account_id=acct.id, email="omar@greencrest.example")
    deal = deals.create_deal(session, actor=rep, team_id=team, title="Greencrest - Platform",
                             account_id=acct.id, contact_id=omar.id, amount=48_000,
                             stage="negotiation", close_date=dt.date(2026, 11, 10), now=ago(40))
    bodies = [
        ("meeting", 30, "Coffee with Omar. Early days: interested, no budget yet."),
        ("call", 9, "Objection on price: Dealforge quoted about 15% lower. Also evaluating "
                    "Pipewise."),
        ("meeting", 1, "Contract review with Omar and their legal team. Redlines on the "
                       "liability cap; security review passed. Omar wants 10% off before they "
                       "sign; said I'd check. Next steps: send the revised order form by "
                       "Nov 27."),
    ]
    notes = [activities.log_activity(session, actor=rep, team_id=team, kind=k, body=b,
                                     contact=omar, deal=deal, occurred_at=ago(d))
             for k, d, b in bodies]
    task_list = [
        tasks.create_task(session, actor=rep, team_id=team, title="Get discount approval for "
                          "Greencrest", due_at=ago(2), contact_id=omar.id, deal_id=deal.id),
        tasks.create_task(session, actor=rep, team_id=team, title="Send revised order form "
                          "to Omar", due_at=NOW + dt.timedelta(days=5), contact_id=omar.id),
    ]
    return {"omar": omar, "notes": notes, "tasks": task_list, "deal": deal}


def internal_texts(session) -> list[str]:
    """Everything internal a draft must not repeat: note sentences and task titles."""
    out = [a.body for a in session.scalars(select(Activity))]
    return out + [t.title for t in session.scalars(select(Task))]


def check_clean(draft_text: str, session, *, now: dt.datetime) -> None:
    """No competitor, no six words in a row of any note or task, no discount talk, no past date."""
    for name in (*COMPETITORS, "Dealforge", "Pipewise"):
        assert name not in draft_text, name
    words = re.findall(r"[a-z0-9']+", draft_text.lower())
    grams = {" ".join(words[i:i + 6]) for i in range(len(words) - 5)}
    for text in internal_texts(session):
        own = re.findall(r"[a-z0-9']+", text.lower())
        for i in range(len(own) - 5):
            assert " ".join(own[i:i + 6]) not in grams, text
    assert not re.search(r"discount|% off|objection|competitor|budget|liability|my notes",
                         draft_text, re.IGNORECASE)
    assert past_dates(draft_text, now=now) == []


def body_of(reply) -> str:
    return reply.text.split("```")[1]


@pytest.fixture
def ctx(session, rep) -> Ctx:
    return Ctx(session=session, user=rep, now=NOW, settings=Settings(), source_id="d1")


@pytest.mark.parametrize("purpose, kind", [
    ("follow up", "follow_up"), ("recap", "recap"), ("proposal", "proposal"),
    ("check in", "check_in"), ("haven't heard back", "re_engage")])
def test_drafts_hold_nothing_internal_and_are_the_kind_asked_for(session, ctx, greencrest,
                                                                   purpose, kind):
    reply = execute(ctx, [DraftEmail(contact="Omar", purpose=purpose)])
    text = body_of(reply)
    subject = text.strip().splitlines()[0].removeprefix("Subject: ")
    assert re.match(SUBJECTS[kind], subject), subject
    check_clean(text, session, now=NOW)
    assert text.count("Omar") <= 2  # the greeting (and the subject), never "Omar wants…"
    assert re.search(r"\byou(r)?\b", text)
    assert not reply.wrote


def test_the_follow_up_keeps_the_promise_with_a_future_date_only(ctx, greencrest):
    text = body_of(execute(ctx, [DraftEmail(contact="Omar", purpose="follow up")]))
    assert "the revised order form" in text
    # The task with a future due date is late already for the discount one, so no date
    # is promised at all rather than a past one.
    assert "Nov 27" not in text and past_dates(text, now=NOW) == []
    assert "our meeting yesterday" in text or "the meeting yesterday" in text


def test_the_recap_is_a_recap_of_the_last_meeting(ctx, greencrest):
    text = body_of(execute(ctx, [DraftEmail(contact="Omar", purpose="recap")]))
    assert "Subject: Recap of our meeting yesterday" in text
    assert "What we covered: the contract, your security review" in text


def test_the_proposal_names_the_amount(ctx, greencrest):
    text = body_of(execute(ctx, [DraftEmail(contact="Omar", purpose="proposal")]))
    assert "$48,000" in text and "Proposal: the Platform for Greencrest" in text


# ------------------------------------------------------- buttons, through press
@pytest.fixture
def bot(database):
    with database.session() as s:
        user = User(team_id="local", slack_user_id="UREP", name="Sam Rivera", tz="UTC")
        s.add(user)
        s.flush()
        acct = accounts.create_account(s, actor=user, team_id="local", name="Greencrest")
        omar = contacts.create_contact(s, actor=user, team_id="local", name="Omar Haddad",
                                       account_id=acct.id, email="omar@greencrest.example")
        activities.log_activity(s, actor=user, team_id="local", kind="call", contact=omar,
                                occurred_at=ago(1), body="Walked Omar through the trial "
                                "setup. Dealforge quoted about 15% lower. Next steps: send "
                                "the proposal.")
    return Assistant(database, Settings(), engine=parse)


def ask(bot, text: str, n: int = 1):
    return bot.handle(Incoming(person=SAM, text=text, source_id=f"m{n}", now=NOW))


def press(bot, button, n: int):
    return bot.press(Press(person=SAM, action_id=button.action_id, value=button.value,
                           source_id=f"p{n}", now=NOW))


def button(reply, label: str):
    return next(b for b in reply.buttons if b.label == label)


def test_buttons_rewrite_log_and_undo_through_press(bot, database):
    first = ask(bot, "draft a recap email to Omar")
    assert first.ok and "Subject: Recap of our call yesterday" in first.text
    labels = [b.label for b in first.buttons]
    assert labels == ["Another version", "Shorter", "More formal", "More casual",
                      "Log as sent", "Open in mail"]
    mail = button(first, "Open in mail")
    assert mail.url.startswith("mailto:omar@greencrest.example?subject=Recap")
    assert len(mail.url) <= MAILTO_MAX

    again = press(bot, button(first, "Another version"), 1)
    assert again.ok and body_of(again) != body_of(first)
    assert re.search(r"Subject: .*[Rr]ecap", again.text)  # still a recap
    shorter = press(bot, button(first, "Shorter"), 2)
    assert len(body_of(shorter)) < len(body_of(first))
    assert "Shorter" not in [b.label for b in shorter.buttons]
    formal = press(bot, button(first, "More formal"), 3)
    assert "Dear Omar," in formal.text and "More formal" not in [b.label for b in formal.buttons]
    casual = press(bot, button(first, "More casual"), 4)
    assert "Hey Omar," in casual.text
    for reply in (first, again, shorter, formal, casual):
        assert "Dealforge" not in reply.text

    logged = press(bot, button(first, "Log as sent"), 5)
    assert logged.ok and logged.wrote and "as sent" in logged.text
    with database.session() as s:
        emails = list(s.scalars(select(Activity).where(Activity.kind == "email")))
        assert len(emails) == 1
        assert emails[0].body.startswith("Sent: Recap of our call yesterday")
        assert body_of(first).strip().split("\n\n", 1)[1] in emails[0].body
    twice = press(bot, button(first, "Log as sent"), 5)  # the same click delivered twice
    assert twice.context == ["duplicate"]
    undone = press(bot, button(logged, "Undo"), 6)
    assert undone.ok and "Undone" in undone.text
    with database.session() as s:
        assert s.scalar(select(func.count()).select_from(Activity).where(
            Activity.kind == "email")) == 0

    blocks = build_reply_blocks(first)
    link = next(e for b in blocks if b["type"] == "actions" for e in b["elements"]
                if e["text"]["text"] == "Open in mail")
    assert link["url"] == mail.url and len(link["value"]) <= 2000

    opened = press(bot, mail, 7)
    assert opened.ok and not opened.wrote and mail.url in opened.context[0]
    assert [b.label for b in opened.buttons] == labels  # the draft keeps its buttons


def test_a_broken_draft_button_is_a_friendly_answer(bot):
    reply = bot.press(Press(person=SAM, action_id="draft_again", value="{nope",
                            source_id="p9", now=NOW))
    assert not reply.ok and "expired" in reply.text


# ----------------------------------------------------------- the demo company
def test_demo_drafts_never_leak_for_the_busiest_accounts(session):
    seed_demo(session, now=NOW, scale=0.3)
    user = session.scalars(select(User).where(User.slack_user_id == "UREP1")).one()
    ctx = Ctx(session=session, user=user, now=NOW, settings=Settings(), source_id="demo")
    busiest = session.execute(
        select(Activity.contact_id).where(Activity.contact_id.is_not(None))
        .group_by(Activity.contact_id).order_by(func.count().desc(), Activity.contact_id)
        .limit(4)).scalars().all()
    for contact_id in busiest:
        contact = session.get(Contact, contact_id)
        account = session.get(Account, contact.account_id) if contact.account_id else None
        for purpose in ("follow up", "recap", "proposal", "check in", "reconnect"):
            reply = execute(ctx, [DraftEmail(contact=contact.name, purpose=purpose,
                                             account=account.name if account else None)])
            check_clean(body_of(reply), session, now=NOW)


# ---------------------------------------------------------------------- in Slack
@pytest.fixture
def sunday():
    with clock.at(clock.MOMENTS["sun"]) as now:
        yield now


def test_in_slack_the_draft_has_a_mail_link_and_its_buttons_keep_working(sunday, server,
                                                                           fake):
    server.dm("log a call with Omar Haddad at Greencrest: walked through the trial setup. "
              "Dealforge quoted about 15% lower. Next steps: send the proposal")
    fake.wait_for("chat.postMessage")
    server.dm("draft a recap email to Omar Haddad")
    text, blocks = posted(fake.wait_for("chat.postMessage", count=2)[1])
    assert "Recap of our call today" in blocks and "Dealforge" not in blocks
    message_blocks = json.loads(blocks)
    buttons = next(b for b in message_blocks if b["type"] == "actions")["elements"]
    link = next(e for e in buttons if e["text"]["text"] == "Open in mail")
    assert link["url"].startswith("mailto:?subject=Recap%20of%20our%20call%20today")
    again = next(e for e in buttons if e["text"]["text"] == "Another version")

    def press(element, n):
        return {"type": "block_actions", "team": {"id": "T1"}, "user": {"id": "USAM"},
                "api_app_id": "A1", "trigger_id": f"1.{n}",
                "container": {"type": "message", "message_ts": "1700000009.000100",
                              "channel_id": "D1"},
                "channel": {"id": "D1"}, "response_url": fake.response_url(f"d{n}"),
                "message": {"ts": "1700000009.000100", "blocks": message_blocks},
                "actions": [{"action_id": element["action_id"], "value": element["value"],
                             "block_id": "b1", "type": "button", "action_ts": f"2.{n}"}]}

    assert server.interact(press(link, 1))[0] == 200  # Slack reports link clicks too
    opened = blocks_text(fake.wait_for("response_url")[0].params["blocks"])
    assert "Recap of our call today" in opened and "Another version" in opened
    assert server.interact(press(again, 2))[0] == 200
    rewritten = fake.wait_for("response_url", count=2)[1].params
    assert rewritten["replace_original"] is True
    assert "Another version" in blocks_text(rewritten["blocks"])
    assert "Dealforge" not in blocks_text(rewritten["blocks"])
