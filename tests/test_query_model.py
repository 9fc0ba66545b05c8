"""The query model: what the offline parser reads, the LLM's schema for the same keys,
the buttons that re-ask a question, and whose numbers a rep may see."""

from __future__ import annotations

import datetime as dt

import pytest

from bot.assistant.core import Assistant
from bot.assistant.types import Incoming, Person, Press
from bot.nlu.actions import action_from_tool_call, action_to_dict, tool_definitions
from bot.nlu.rules import parse
from bot.settings import Settings
from crm_store.demo import seed_demo

NOW = dt.datetime(2026, 11, 18, 10, 0)  # local wall time, Wed Nov 18
WEEK = {"start": "2026-11-16", "end": "2026-11-22"}
LAST_WEEK = {"start": "2026-11-09", "end": "2026-11-15"}
NOVEMBER = {"start": "2026-11-01", "end": "2026-11-30"}


def read(text: str) -> dict:
    [action] = parse(text, now=NOW, tz="UTC")
    return action_to_dict(action)


@pytest.mark.parametrize("text, expected", [
    ("deals closing this month over 50k",
     {"status": "open", "period": NOVEMBER, "min_amount": 50000}),
    ("compare Q3 vs Q4 won revenue",
     {"status": "won", "period": {"start": "2026-07-01", "end": "2026-09-30"},
      "compare": {"start": "2026-10-01", "end": "2026-12-31"}}),
    ("won revenue this month vs last month",
     {"status": "won", "period": NOVEMBER,  # as said; the answer puts them in time order
      "compare": {"start": "2026-10-01", "end": "2026-10-31"}}),
    ("how many calls did each rep log last week?",
     {"period": LAST_WEEK, "activity": {"measure": "count", "kinds": ["call"], "by": "owner"}}),
    ("which reps haven't logged a call this week",
     {"period": WEEK, "activity": {"measure": "none", "kinds": ["call"], "by": "owner"}}),
    ("accounts with no activity in 30 days",
     {"activity": {"measure": "none", "by": "account"}, "quiet_days": 30}),
    ("when did we last touch each account", {"activity": {"measure": "last_touch",
                                                          "by": "account"}}),
    ("what changed in the pipeline this week?", {"period": WEEK, "changes": []}),
    ("new deals this week", {"period": WEEK, "changes": ["new"]}),
    ("deals at risk", {"status": "open", "risk": []}),
    ("stuck deals", {"risk": ["stuck"]}),
    ("deals with no activity for 21 days", {"risk": ["quiet"], "quiet_days": 21}),
    ("how is Priya doing this month?", {"owner": "Priya", "scorecard": True,
                                        "period": NOVEMBER}),
    ("my numbers", {"owner": "me", "scorecard": True}),
    ("top deals", {"limit": 10}),
    ("deals in demo or proposal", {"stages": ["demo", "proposal"]}),
    ("deals between 10k and 50k", {"min_amount": 10000, "max_amount": 50000}),
    ("Diego and Priya's pipeline", {"owners": ["Diego", "Priya"], "status": "open"}),
    ("pipeline for my team", {"team": "me", "status": "open"}),
])
def test_the_parser_reads_the_question(text, expected):
    got = read(text)
    assert got["intent"] == "pipeline_query"
    assert {k: got.get(k) for k in expected} == expected


@pytest.mark.parametrize("text, expected", [
    ("show me Diego's deals in negotiation", {"owner": "Diego", "stage": "negotiation"}),
    ("my deals", {"owner": "me"}),
])
def test_a_plain_list_of_deals_is_list_deals_as_the_contract_says(text, expected):
    got = read(text)
    assert got["intent"] == "list_deals"
    assert {k: got.get(k) for k in expected} == expected


@pytest.mark.parametrize("text, unread", [
    ("deals over -5k", "-$5,000"),
    ("pipeline in Q7", "Q7"),
    ("deals closing in 1850", "1850"),
    ("deals in the platinum stage", "platinum"),
])
def test_impossible_filters_are_kept_as_unread_not_dropped(text, unread):
    got = read(text)
    assert any(unread in words for words in got["unread"])
    assert "min_amount" not in got and "period" not in got


def test_the_contract_keys_keep_their_meaning():
    assert read("top 5 deals closing this month") == {
        "intent": "pipeline_query", "status": "open", "period": NOVEMBER, "limit": 5}
    assert read("weighted forecast this quarter by owner") == {
        "intent": "pipeline_query", "measure": "weighted_amount", "group_by": "owner",
        "period": {"start": "2026-10-01", "end": "2026-12-31"}}


def test_the_llm_schema_carries_the_same_keys_and_validates_them():
    [tool] = [t for t in tool_definitions() if t["function"]["name"] == "pipeline_query"]
    props = tool["function"]["parameters"]["properties"]
    for key in ("min_amount", "owners", "stages", "compare", "activity", "changes", "risk",
                "scorecard", "team", "quiet_days"):
        assert key in props
    assert "cannot" not in props  # the offline parser's own
    assert "unread" in props  # a model can say what it could not map, too
    action = action_from_tool_call("pipeline_query", {
        "status": "open", "min_amount": 50000, "risk": ["overdue"],
        "activity": {"measure": "count", "kinds": ["call"], "by": "owner"}})
    assert action.min_amount == 50000 and action.activity.kinds == ["call"]
    with pytest.raises(ValueError):
        action_from_tool_call("pipeline_query", {"min_amount": -5000})
    with pytest.raises(ValueError):
        action_from_tool_call("pipeline_query", {"risk": ["vibes"]})


# ------------------------------------------------------------------ through the assistant
ADMIN = Person(team_id="local", user_id="U_ADMIN", name="Ada Admin", tz="UTC",
               is_workspace_admin=True)
SAM = Person(team_id="local", user_id="U_SAM", name="Sam Rivera", tz="UTC")


@pytest.fixture
def bot(database):
    seed_demo(database, now=NOW.replace(tzinfo=dt.UTC), scale=0.3)
    return Assistant(database, Settings(), engine=parse)


def say(bot, person, text):
    return bot.handle(Incoming(person=person, text=text, source_id=f"m:{person.user_id}:{text}",
                               now=NOW.replace(tzinfo=dt.UTC)))


def test_a_nearest_question_button_asks_it(bot):
    reply = say(bot, ADMIN, "won revenue by region this year")
    assert reply.text.startswith("I can't answer that yet") and not reply.ok
    by_rep = next(b for b in reply.buttons if b.label.endswith("by rep"))
    pressed = bot.press(Press(person=ADMIN, action_id=by_rep.action_id, value=by_rep.value,
                              source_id="press:1", now=NOW.replace(tzinfo=dt.UTC)))
    assert pressed.ok and pressed.text.startswith("Reading: total amount of won deals, "
                                                  "closed this year (2026)")
    assert pressed.table.columns[0] == "Owner"


def test_a_tampered_question_button_is_refused_politely(bot, database):
    from sqlalchemy import func, select

    from crm_store.models import Deal

    with database.session(readonly=True) as s:
        before = s.scalar(select(func.count()).select_from(Deal))
    for i, value in enumerate(("{nope", '{"intent": "create_deal", "account": "Evil"}')):
        reply = bot.press(Press(person=ADMIN, action_id="ask", value=value,
                                source_id=f"press:t{i}", now=NOW.replace(tzinfo=dt.UTC)))
        assert not reply.ok and "expired" in reply.text and not reply.wrote
    with database.session(readonly=True) as s:
        assert s.scalar(select(func.count()).select_from(Deal)) == before


def test_a_rep_sees_their_own_activity_only(bot):
    reply = say(bot, SAM, "how many calls did each rep log last week?")
    assert reply.text.split("\n")[0].endswith("logged by you (reps see their own numbers).")
    assert [row[0] for row in reply.table.rows] == ["Sam Rivera"]


def test_a_rep_cannot_see_another_reps_scorecard(bot):
    reply = say(bot, SAM, "how is Priya doing this month?")
    assert not reply.ok and "Priya Patel's numbers are for Priya" in reply.text


def test_answers_render_as_cards_that_fit_a_phone(bot):
    from bot.render.blocks import build_reply_blocks

    reply = say(bot, ADMIN, "compare Q3 vs Q4 won revenue")
    blocks = build_reply_blocks(reply)
    assert blocks[0]["text"]["text"].startswith("Reading: won deals closed in Q3 2026")
    cards = [b for b in blocks if b.get("fields")]
    assert [c["text"]["text"] for c in cards] == ["*Deals*", "*Amount*", "*Average*"]
    assert [f["text"].split("\n")[0] for f in cards[0]["fields"]] == [
        "*Q3 2026*", "*Q4 2026*", "*Change*"]
    assert not any("```" in b.get("text", {}).get("text", "") for b in blocks)


def test_the_llm_engine_asks_the_same_query_objects(database):
    # One model for both engines: a model's tool call with the extras is answered alike.
    from bot.nlu.llm import LLMEngine
    from tests.openai_fake import FakeOpenAI, tool_call_response

    seed_demo(database, now=NOW.replace(tzinfo=dt.UTC), scale=0.3)
    server = FakeOpenAI()
    try:
        server.script.append(tool_call_response(("pipeline_query", {
            "measure": "amount", "status": "open", "min_amount": 50000, "period": NOVEMBER})))
        server.script.append(tool_call_response(("pipeline_query", {
            "status": "open", "unread": ["by weather"]})))
        settings = Settings(openai_base_url=server.url, openai_api_key="sk-test",
                            openai_model="test-model")
        bot = Assistant(database, settings, engine=LLMEngine(settings, fallback=parse))
        llm = say(bot, ADMIN, "deals closing this month over 50k")
        offline = Assistant(database, Settings(), engine=parse)
        rules = offline.handle(Incoming(person=ADMIN, text="deals closing this month over 50k",
                                        source_id="rules:1", now=NOW.replace(tzinfo=dt.UTC)))
        assert llm.text.split("\n")[0] == rules.text.split("\n")[0] == (
            "Reading: total amount of open deals, closing this month (November 2026), "
            "of $50,000 or more, all owners.")
        assert llm.text == rules.text
        odd = say(bot, ADMIN, "open pipeline by weather")
        assert not odd.ok and "by weather" in odd.text and "haven't answered" in odd.text
    finally:
        server.close()
