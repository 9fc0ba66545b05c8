"""Held-out messages: what a correct parser must output, per the parse contract.

None of these paraphrase the dev set (../shared/eval/nlu_dev.jsonl): other names and
companies (some typed in lower case or misspelled), chat slang, other clause orders,
several actions in one message and manager-speak questions. Expectations follow the
contract, not the engine: a case the rules engine gets wrong stays here, and the
suite only asks for the pass rate the engine is held to (95%). Free-text keys
(summary, title, purpose, reason, text) only have to be present and non-empty, as in
the dev-set scorer; a key expected as None must be absent.

Reference moment: Wednesday 2026-11-18 10:00, America/New_York. So Tuesday (past)
is 11-17, Monday (past) 11-16, last Thursday 11-12; Friday (future) 11-20, Monday
(future) 11-23, "next Thursday" the first Thursday after today, 11-19; this quarter
is Oct-Dec, last quarter Jul-Sep, Q1 in a results question 2026, in a pipeline or
close-date phrase 2027.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from bot.nlu import actions_to_json, parse

NOW = dt.datetime(2026, 11, 18, 10, 0)
TZ = "America/New_York"
TODAY = "2026-11-18"
FREE_TEXT = {"summary", "title", "purpose", "reason", "text"}
PASS_RATE = 0.95


def log(kind: str, contact: str | None = None, account: str | None = None,
        on: str = TODAY, summary: bool = True) -> dict[str, Any]:
    want: dict[str, Any] = {"intent": "log_activity", "kind": kind, "contact": contact,
                            "account": account, "occurred_on": on}
    if summary:
        want["summary"] = "…"
    return want


def task(due: str | None, contact: str | None = None, account: str | None = None
         ) -> dict[str, Any]:
    return {"intent": "create_task", "title": "…", "due": due, "contact": contact,
            "account": account}


def update(account: str, **keys: Any) -> dict[str, Any]:
    return {"intent": "update_deal", "account": account, **keys}


def won(account: str, **keys: Any) -> dict[str, Any]:
    return update(account, stage="won", status="won", **keys)


def lost(account: str, **keys: Any) -> dict[str, Any]:
    return update(account, stage="lost", status="lost", reason="…", **keys)


def deal(account: str, **keys: Any) -> dict[str, Any]:
    return {"intent": "create_deal", "account": account, **keys}


def pq(**keys: Any) -> dict[str, Any]:
    return {"intent": "pipeline_query", **keys}


def period(start: str, end: str) -> dict[str, str]:
    return {"start": start, "end": end}


THIS_MONTH = period("2026-11-01", "2026-11-30")
LAST_MONTH = period("2026-10-01", "2026-10-31")
NEXT_MONTH = period("2026-12-01", "2026-12-31")
THIS_QUARTER = period("2026-10-01", "2026-12-31")
LAST_QUARTER = period("2026-07-01", "2026-09-30")
NEXT_QUARTER = period("2027-01-01", "2027-03-31")
THIS_YEAR = period("2026-01-01", "2026-12-31")
THIS_WEEK = period("2026-11-16", "2026-11-22")

CASES: list[tuple[str, list[dict[str, Any]]]] = [
    # ---- logs: one activity, slang, other orders, lower case, typos ----------------------
    ("vm'd Tariq Haddad at Solara Energy, no answer",
     [log("call", "Tariq Haddad", "Solara Energy")]),
    ("conf call w/ the Brightline team yesterday, they want SSO + audit logs",
     [log("call", None, "Brightline", "2026-11-17")]),
    ("demo'd Quantix to their CTO this morning, went great",
     [log("meeting", None, "Quantix")]),
    ("circled back with Marta Kowalski from Helio Systems by email, she's reviewing the MSA",
     [log("email", "Marta Kowalski", "Helio Systems")]),
    ("lunch w/ Ikechukwu Obi (Farmlink) - expanding to 3 more regions",
     [log("meeting", "Ikechukwu Obi", "Farmlink")]),
    ("spoke to sam at brightwave, they're waiting on legal",
     [log("call", "sam", "brightwave")]),
    ("Tuesday: met with Gloria Ruiz at Vantage Health, budget is approved",
     [log("meeting", "Gloria Ruiz", "Vantage Health", "2026-11-17")]),
    ("got a call from Peter Novak at Kestrel Logistics asking about API limits",
     [log("call", "Peter Novak", "Kestrel Logistics")]),
    ("Emily from Orbital replied to my email, they'll sign next week",
     [log("email", "Emily", "Orbital")]),
    ("fyi Zentrix is being acquired", [log("note", None, "Zentrix")]),
    ("heads up, the Marlow Bank champion just left the company",
     [log("note", None, "Marlow Bank")]),
    ("breakfast with Ahmed Karimi of Petra Capital on Monday, discussed a pilot",
     [log("meeting", "Ahmed Karimi", "Petra Capital", "2026-11-16")]),
    ("onsite at Cobalt Robotics last Thursday w/ their eng team",
     [log("meeting", None, "Cobalt Robotics", "2026-11-12")]),
    ("rang Yuki Tanaka, she's out til Dec", [log("call", "Yuki Tanaka")]),
    ("left a voicemail for Chris Doyle at Ridgeway",
     [log("call", "Chris Doyle", "Ridgeway")]),
    ("had a video meeting with Lena Fischer from Alpenblick GmbH 2 days ago",
     [log("meeting", "Lena Fischer", "Alpenblick GmbH", "2026-11-16", summary=False)]),
    ("emailed Raúl Ortega at Sendero the case study",
     [log("email", "Raúl Ortega", "Sendero")]),
    ("note on Pinewood: procurement needs 3 quotes", [log("note", None, "Pinewood")]),
    ("talked to jorge at tidewater yesterday about seats",
     [log("call", "jorge", "tidewater", "2026-11-17")]),
    ("caught up with Hana Sato over coffee, Kiyomi Labs is expanding to Osaka",
     [log("meeting", "Hana Sato", "Kiyomi Labs")]),
    ("called the front desk at Harbor Hotels, no luck",
     [log("call", None, "Harbor Hotels")]),
    ("got an email from Olu at Paystack asking for a W-9",
     [log("email", "Olu", "Paystack")]),
    ("phoned Greta Lind yesterday re contract terms",
     [log("call", "Greta Lind", None, "2026-11-17")]),
    ("sat down with the CFO of Meridian Foods, they want net 60",
     [log("meeting", None, "Meridian Foods")]),
    ("quick call w/ Victor at Lumen Data - they need a security questionnaire",
     [log("call", "Victor", "Lumen Data")]),
    ("caled Omar at Brightline, he wants to renegotiate",
     [log("call", "Omar", "Brightline")]),
    ("had a meetign with Fjord Analytics about the rollout",
     [log("meeting", None, "Fjord Analytics")]),
    ("Nadia from Crestline called back, they picked the enterprise tier",
     [log("call", "Nadia", "Crestline")]),
    ("btw Hollis Group renewal is at risk", [log("note", None, "Hollis Group")]),
    ("last Friday had drinks with Owen Hart from Tessellate, he's our champion",
     [log("meeting", "Owen Hart", "Tessellate", "2026-11-13")]),
    ("Replied to Sunita at Anchor Insurance about the SLA",
     [log("email", "Sunita", "Anchor Insurance")]),
    ("zoom w/ Keanu from Pixelhaus went long, they want a 2nd demo",
     [log("meeting", "Keanu", "Pixelhaus")]),
    ("incoming call from Marisol at Redwood Analytics, asking for references",
     [log("call", "Marisol", "Redwood Analytics")]),
    ("Met with Dev Patel at Sunbeam Solar on Tues, intro went well",
     [log("meeting", "Dev Patel", "Sunbeam Solar", "2026-11-17")]),
    # ---- several actions in one message ------------------------------------------------
    ("called Imani Brooks at Sandhill, wants a demo for her team, f/u next Tuesday",
     [log("call", "Imani Brooks", "Sandhill"),
      task("2026-11-24T09:00", "Imani Brooks", "Sandhill")]),
    ("met Paolo Rossi at Vinci Motors today, send him the ROI calc by Friday",
     [log("meeting", "Paolo Rossi", "Vinci Motors", summary=False),
      task("2026-11-20T09:00", "Paolo Rossi", "Vinci Motors")]),
    ("coffee with Ingrid at Nordlys yesterday, she's keen. ping her monday",
     [log("meeting", "Ingrid", "Nordlys", "2026-11-17"),
      task("2026-11-23T09:00", "Ingrid", "Nordlys")]),
    ("vm'd Kofi Mensah, remind me to try again tmrw 2pm",
     [log("call", "Kofi Mensah"), task("2026-11-19T14:00", "Kofi Mensah")]),
    ("emailed Sara at Brightpath the deck, circle back in a week",
     [log("email", "Sara", "Brightpath"), task("2026-11-25T09:00", "Sara", "Brightpath")]),
    ("Demo'd Ostara to 6 people, they loved it, schedule a pricing call for next wed",
     [log("meeting", None, "Ostara"), task("2026-11-25T09:00", None, "Ostara")]),
    ("talked w/ Bea Lopez from Zephyr Air about the rollout, follow up in 2 weeks",
     [log("call", "Bea Lopez", "Zephyr Air"),
      task("2026-12-02T09:00", "Bea Lopez", "Zephyr Air")]),
    ("called Hollis Group, they signed!! mark it won",
     [log("call", None, "Hollis Group"), won("Hollis Group")]),
    ("lunch w/ Tom Reyes at Granite Works - they went with a competitor, mark lost",
     [log("meeting", "Tom Reyes", "Granite Works"), lost("Granite Works")]),
    ("Met Ravi Kumar at Nimbus yesterday, move them to demo and remind me to send the "
     "agenda thursday",
     [log("meeting", "Ravi Kumar", "Nimbus", "2026-11-17", summary=False),
      update("Nimbus", stage="demo"),
      task("2026-11-19T09:00", "Ravi Kumar", "Nimbus")]),
    ("had a call with ella from corvid labs, she needs a quote by eow",
     [log("call", "ella", "corvid labs")]),
    ("spoke w/ Hiro Tanaka at Sakura Digital, pricing is fine, send the order form monday",
     [log("call", "Hiro Tanaka", "Sakura Digital"),
      task("2026-11-23T09:00", "Hiro Tanaka", "Sakura Digital")]),
    ("add contact Femi Adeyemi at Paystack and open a 25k deal for Paystack",
     [{"intent": "create_contact", "name": "Femi Adeyemi", "account": "Paystack"},
      deal("Paystack", amount=25000)]),
    ("won Kiyomi Labs! send the kickoff invite tomorrow",
     [won("Kiyomi Labs"), task("2026-11-19T09:00", None, "Kiyomi Labs")]),
    ("sent the quote to Zephyr Air, follow up friday",
     [log("email", None, "Zephyr Air"), update("Zephyr Air", stage="proposal"),
      task("2026-11-20T09:00", None, "Zephyr Air")]),
    # ---- tasks ---------------------------------------------------------------------
    ("ping me tmrw 3pm about the SOW", [task("2026-11-19T15:00")]),
    ("Tuesday follow up w/ Dana re pricing", [task("2026-11-24T09:00", "Dana")]),
    ("remind me to chase Initech's PO on the 1st", [task("2026-12-01T09:00", None, "Initech")]),
    ("don't let me forget to send the W-9 to Paystack friday",
     [task("2026-11-20T09:00", None, "Paystack")]),
    ("set a reminder for 4:30pm to call Ruth Kim", [task("2026-11-18T16:30", "Ruth Kim")]),
    ("book a demo with Ferris Dynamics for next Thursday 11am",
     [task("2026-11-19T11:00", None, "Ferris Dynamics")]),
    ("follow up w/ Carmen at Solstice monday 10am",
     [task("2026-11-23T10:00", "Carmen", "Solstice")]),
    ("need to send Kwame the revised SOW tomorrow", [task("2026-11-19T09:00", "Kwame")]),
    ("remind me in 30 mins to call back Leo", [task("2026-11-18T10:30", "Leo")]),
    ("check in with Marcus Webb in 3 weeks", [task("2026-12-09T09:00", "Marcus Webb")]),
    ("check in with Thandiwe Mokoena in 3 weeks", [task("2026-12-09T09:00", "Thandiwe Mokoena")]),
    ("pls remind me EOD to update the forecast", [task("2026-11-18T17:00")]),
    ("create a task: send Nora the MSA redlines before Friday",
     [task("2026-11-20T09:00", "Nora")]),
    ("follow up with the Pemberton team on the 3rd",
     [task("2026-12-03T09:00", None, "Pemberton")]),
    ("schedule a call with Irene Walsh for 2:30pm tomorrow",
     [task("2026-11-19T14:30", "Irene Walsh")]),
    ("gotta prep the board deck by thurs", [task("2026-11-19T09:00")]),
    ("remind me @ 9 tmrw to email Jada at Kinetic", [task("2026-11-19T09:00", "Jada", "Kinetic")]),
    ("reach out to Anchor Insurance in 2 days",
     [task("2026-11-20T09:00", None, "Anchor Insurance")]),
    ("remind me to send the contract to dunder mifflin tomorrow",
     [task("2026-11-19T09:00", None, "dunder mifflin")]),
    ("send proposal to Dunder Mifflin on Monday",
     [task("2026-11-23T09:00", None, "Dunder Mifflin")]),
    ("remind me friday at 11 to nudge Castellan Security about the PO",
     [task("2026-11-20T11:00", None, "Castellan Security")]),
    ("todo - prep questions for the Redwood Analytics QBR on Dec 2",
     [task("2026-12-02T09:00", None, "Redwood Analytics")]),
    # No reschedule intent in the contract: moving a call is a new reminder at the new time
    # (never a deal's close date).
    ("push my call with Dana to Friday", [task("2026-11-20T09:00", "Dana")]),
    ("move my meeting with Ingrid to next Thursday 2pm", [task("2026-11-19T14:00", "Ingrid")]),
    # ---- task lists and done ---------------------------------------------------------
    ("done with the Hooli deck", [{"intent": "complete_task", "title": "…"}]),
    ("finished the Quantix security questionnaire", [{"intent": "complete_task", "title": "…"}]),
    ("mark 'send W-9 to Paystack' as done",
     [{"intent": "complete_task", "title": "send W-9 to Paystack"}]),
    ("check off the Ruth Kim call task", [{"intent": "complete_task", "title": "…"}]),
    ("I did the forecast update", [{"intent": "complete_task", "title": "…"}]),
    ("what do i have today", [{"intent": "list_tasks", "scope": "today"}]),
    ("anything overdue?", [{"intent": "list_tasks", "scope": "overdue"}]),
    ("my tasks this week", [{"intent": "list_tasks", "scope": "week"}]),
    ("show all my to-dos", [{"intent": "list_tasks", "scope": "all"}]),
    ("list my reminders", [{"intent": "list_tasks", "scope": "all"}]),
    # ---- pipeline questions in manager-speak ---------------------------------------------
    ("how are we tracking against forecast this quarter?",
     [pq(measure="weighted_amount", period=THIS_QUARTER, owner=None)]),
    ("what's in commit this month", [pq(measure="amount", status="open", period=THIS_MONTH)]),
    ("biggest deals in negotiation", [pq(stage="negotiation", owner=None)]),
    ("win rate for Nate last quarter",
     [pq(measure="win_rate", owner="Nate", period=LAST_QUARTER)]),
    ("what did we book in October?",
     [pq(measure="amount", status="won", period=LAST_MONTH, owner=None)]),
    ("how much pipe does Priya have", [pq(measure="amount", status="open", owner="Priya")]),
    ("avg deal size by rep this year",
     [pq(measure="avg_amount", group_by="owner", period=THIS_YEAR)]),
    ("how many opps did Marcus lose last month",
     [pq(measure="count", status="lost", owner="Marcus", period=LAST_MONTH)]),
    ("what's our cycle time on won deals this year",
     [pq(measure="cycle_days", status="won", period=THIS_YEAR, owner=None)]),
    ("pipeline by stage for Q1",
     [pq(measure="amount", status="open", group_by="stage", period=NEXT_QUARTER)]),
    ("show me the 3 largest deals closing next month", [pq(limit=3, period=NEXT_MONTH)]),
    ("what's my weighted pipe", [pq(measure="weighted_amount", status="open", owner="me")]),
    ("team win rate ytd",
     [pq(measure="win_rate", period=period("2026-01-01", TODAY), owner=None)]),
    ("how many deals are sitting in demo", [pq(measure="count", stage="demo")]),
    ("total closed-lost this quarter",
     [pq(measure="amount", status="lost", period=THIS_QUARTER)]),
    ("how much did Jordan close last quarter",
     [pq(measure="amount", status="won", owner="Jordan", period=LAST_QUARTER)]),
    ("number of deals we won this month", [pq(measure="count", status="won", period=THIS_MONTH)]),
    ("avg sales cycle for deals won in Q3",
     [pq(measure="cycle_days", status="won", period=LAST_QUARTER)]),
    ("whats our forecast for next quarter",
     [pq(measure="weighted_amount", period=NEXT_QUARTER, owner=None)]),
    ("Kenji's win rate this year", [pq(measure="win_rate", owner="Kenji", period=THIS_YEAR)]),
    ("open pipe by account", [pq(measure="amount", status="open", group_by="account")]),
    ("how many deals did Aisha close in Q2",
     [pq(measure="count", status="won", owner="Aisha",
         period=period("2026-04-01", "2026-06-30"))]),
    ("deals closing this week", [pq(period=THIS_WEEK)]),
    ("top 5 deals in proposal", [pq(limit=5, stage="proposal")]),
    # ---- leads, digests, summaries, timelines, drafts -----------------------------------
    ("who should I call today?", [{"intent": "hot_leads"}]),
    ("any warm prospects?", [{"intent": "hot_leads"}]),
    ("top 5 leads to focus on", [{"intent": "hot_leads", "limit": 5}]),
    ("send a daily pipeline digest to #revops at 7:30",
     [{"intent": "subscribe_digest", "channel": "revops", "cadence": "daily",
       "time": "07:30"}]),
    ("every friday at 5pm post a weekly summary in #sales-mgmt",
     [{"intent": "subscribe_digest", "channel": "sales-mgmt", "cadence": "weekly",
       "time": "17:00", "weekday": "friday"}]),
    ("subscribe #emea-sales to the weekly digest, mondays 8am",
     [{"intent": "subscribe_digest", "channel": "emea-sales", "cadence": "weekly",
       "time": "08:00", "weekday": "monday"}]),
    ("daily digest to #sales at 25:00",
     [{"intent": "subscribe_digest", "channel": "sales", "cadence": "daily", "time": None,
       "unparsed_time": "25:00"}]),
    ("where do we stand with Brightwave?", [{"intent": "summarize", "account": "Brightwave"}]),
    ("what's going on with Kestrel Logistics",
     [{"intent": "summarize", "account": "Kestrel Logistics"}]),
    ("fill me in on Marta Kowalski", [{"intent": "summarize", "contact": "Marta Kowalski"}]),
    ("brief me on quantix before my call", [{"intent": "summarize", "account": "quantix"}]),
    ("history with Ridgeway", [{"intent": "show_timeline", "account": "Ridgeway"}]),
    ("show all activity for Gloria Ruiz", [{"intent": "show_timeline", "contact": "Gloria Ruiz"}]),
    ("who's the champion at Sandhill?", [{"intent": "show_timeline", "account": "Sandhill"}]),
    ("draft a thank-you email to Paolo at Vinci Motors",
     [{"intent": "draft_email", "contact": "Paolo", "account": "Vinci Motors",
       "purpose": "…"}]),
    ("write Kwame a quick note about the revised SOW",
     [{"intent": "draft_email", "contact": "Kwame", "purpose": "…"}]),
    ("draft a f/u to Orbital re the pilot results",
     [{"intent": "draft_email", "account": "Orbital", "purpose": "…"}]),
    # ---- new deals -----------------------------------------------------------------
    ("new opp: Sandhill, 45k, discovery, close end of Q1",
     [deal("Sandhill", amount=45000, stage="qualified", close_date="2027-03-31")]),
    ("open a $300k deal w/ Helio Systems closing next month",
     [deal("Helio Systems", amount=300000, close_date="2026-12-31")]),
    ("log a new 18k deal for brightwave, demo stage",
     [deal("brightwave", amount=18000, stage="demo")]),
    ("create deal Kestrel Logistics expansion, 1.5M, close in March",
     [deal("Kestrel Logistics", amount=1500000, close_date="2027-03-31")]),
    ("add a 60k renewal opp for Ridgeway closing 1/15",
     [deal("Ridgeway", amount=60000, close_date="2027-01-15")]),
    # ---- deal updates --------------------------------------------------------------
    ("move sandhill to proposal", [update("sandhill", stage="proposal")]),
    ("helio systems → negotiation", [update("helio systems", stage="negotiation")]),
    ("advance Quantix to contracting", [update("Quantix", stage="negotiation")]),
    ("Kestrel is in legal review now", [update("Kestrel", stage="negotiation")]),
    ("we won vinci motors!!", [won("vinci motors")]),
    ("lost ridgeway - went with hubspot", [lost("ridgeway")]),
    ("Orbital closed lost, no budget", [lost("Orbital")]),
    ("mark cobalt robotics as closed won", [won("cobalt robotics")]),
    ("push the Meridian close date to end of Jan", [update("Meridian", close_date="2027-01-31")]),
    ("bump Lumen Data to 95k", [update("Lumen Data", amount=95000)]),
    ("reopen the brightpath deal", [update("brightpath", status="open")]),
    ("Petra Capital slipped to Q2", [update("Petra Capital", close_date="2027-06-30")]),
    ("sent over the proposal to tidewater",
     [log("email", None, "tidewater"), update("tidewater", stage="proposal")]),
    ("Fjord Analytics is now in the demo stage", [update("Fjord Analytics", stage="demo")]),
    ("drop Harbor Hotels back to qualified", [update("Harbor Hotels", stage="qualified")]),
    ("the Zentrix deal is dead, lost to budget cuts", [lost("Zentrix")]),
    ("pushed paystack to negotiaton", [update("paystack", stage="negotiation")]),
    ("granite works is closed won", [won("granite works")]),
    # ---- contacts -------------------------------------------------------------------
    ("add contact Jada Pierce, Head of RevOps at Kinetic, jada@kinetic.io",
     [{"intent": "create_contact", "name": "Jada Pierce", "title": "Head of RevOps",
       "account": "Kinetic", "email": "jada@kinetic.io"}]),
    ("new contact: Omar Haddad, CTO @ Brightline, 212-555-0147",
     [{"intent": "create_contact", "name": "Omar Haddad", "title": "CTO",
       "account": "Brightline", "phone": "212-555-0147"}]),
    ("save Lin Wei from Dragonfly Labs to my contacts",
     [{"intent": "create_contact", "name": "Lin Wei", "account": "Dragonfly Labs"}]),
    # ---- help and small talk ---------------------------------------------------------
    ("how do I use this?", [{"intent": "help"}]),
    ("ok cool 👍", [{"intent": "unknown", "text": "…"}]),
    ("can you book me a flight to Denver", [{"intent": "unknown", "text": "…"}]),
    ("what's for lunch?", [{"intent": "unknown", "text": "…"}]),
]


def _norm(value: Any) -> Any:
    if isinstance(value, str):
        return " ".join(value.lower().split())
    if isinstance(value, dict):
        return {k: _norm(v) for k, v in value.items()}
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return round(float(value), 2)
    return value


def _matches(want: dict[str, Any], got: dict[str, Any]) -> bool:
    for key, value in want.items():
        have = got.get(key)
        if key in FREE_TEXT:
            if not (isinstance(have, str) and have.strip()):
                return False
        elif _norm(value) != _norm(have):
            return False
    return True


def case_passes(text: str, expected: list[dict[str, Any]]) -> bool:
    """The dev-set rule: the same actions one-to-one, in any order."""
    got = actions_to_json(parse(text, now=NOW, tz=TZ))["actions"]
    if len(got) != len(expected):
        return False
    remaining = list(got)
    for want in expected:
        hit = next((i for i, have in enumerate(remaining)
                    if have["intent"] == want["intent"] and _matches(want, have)), None)
        if hit is None:
            return False
        del remaining[hit]
    return True


def test_the_held_out_set_is_big_and_new() -> None:
    assert len(CASES) >= 120
    assert len({text for text, _ in CASES}) == len(CASES)


def test_the_engine_passes_the_held_out_set() -> None:
    misses = [text for text, expected in CASES if not case_passes(text, expected)]
    rate = 1 - len(misses) / len(CASES)
    assert rate >= PASS_RATE, f"{rate:.1%} passed; misses:\n" + "\n".join(misses)


@pytest.mark.parametrize(("text", "expected"), CASES, ids=[t[:48] for t, _ in CASES])
def test_held_out_case(text: str, expected: list[dict[str, Any]]) -> None:
    got = actions_to_json(parse(text, now=NOW, tz=TZ))["actions"]
    if not case_passes(text, expected):
        pytest.xfail(f"known miss; got {got}")
