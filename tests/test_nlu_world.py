"""The rules engine on classes a seventh blind writer showed it missing: amounts as the
world writes them, clock times with a dot, requests phrased another way, news inside an
activity, and greetings versus closings. Examples are new, not the blind set's."""

from __future__ import annotations

import datetime as dt

import pytest

from bot.nlu import actions_to_json, parse
from bot.nlu.money import find_money

NOW = dt.datetime(2026, 11, 18, 10, 0)  # a Wednesday


def run(text: str, now: dt.datetime = NOW, tz: str = "Asia/Kolkata") -> list[dict]:
    return actions_to_json(parse(text, now=now, tz=tz))["actions"]


def subset(got: dict, want: dict) -> bool:
    return all(got.get(k) == v for k, v in want.items())


# ---- amounts --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("said", "value"),
    [
        ("₹12,50,000", 1_250_000),
        ("Rs. 7 lakh", 700_000),
        ("60 lakhs", 6_000_000),
        ("1.5 crore", 15_000_000),
        ("3 cr", 30_000_000),
        ("R2.4m", 2_400_000),
        ("NZD 85k", 85_000),
        ("130k CAD", 130_000),
        ("HK$ 900,000", 900_000),
        ("€75k", 75_000),
        ("48.000 EUR", 48_000),
        ("$20k", 20_000),
        ("2.5M", 2_500_000),
        ("€3,4m", 3_400_000),
        ("2,5 Mio", 2_500_000),
        ("EUR 82.000", 82_000),
        ("1.8 mil", 1_800_000),
        ("JPY40m", 40_000_000),
    ],
)
def test_amounts_as_the_world_writes_them(said: str, value: float) -> None:
    found = find_money(f"moved it to {said} today")
    assert found is not None and found[0] == value, found


@pytest.mark.parametrize("text", ["cut seats from 300 to 250", "room 12 on level 4", "Q2 2027",
                                  "release 2.300 is out", "score 4,5 of 5"])
def test_plain_numbers_are_not_money(text: str) -> None:
    assert find_money(text) is None


@pytest.mark.parametrize(
    ("text", "want"),
    [
        ("update the Sundaram Textiles deal to ₹52,00,000", {"account": "Sundaram Textiles",
                                                           "amount": 5_200_000}),
        ("Kaveri Agro is now 80 lakhs", {"amount": 8_000_000}),
        ("Protea Freight: amount to R3.1m", {"account": "Protea Freight", "amount": 3_100_000}),
        ("Merlion Logistics moved to proposal, 310k SGD",
         {"account": "Merlion Logistics", "stage": "proposal", "amount": 310_000}),
    ],
)
def test_an_amount_with_its_currency_updates_the_deal(text: str, want: dict) -> None:
    updates = [a for a in run(text) if a["intent"] == "update_deal"]
    assert updates and subset(updates[0], want), updates


def test_a_currency_code_is_never_the_deals_name() -> None:
    (log, update) = run("Tomas at Ridgeline Mining called, moved to negotiation, "
                        "180k AUD")
    assert update["account"] == "Ridgeline Mining" and update["amount"] == 180_000, update


def test_crore_for_a_new_deal() -> None:
    (deal,) = run("new deal for Godavari Power, 2 crore, discovery")
    assert subset(deal, {"intent": "create_deal", "amount": 20_000_000, "stage": "qualified"})


# ---- clock times with a dot -----------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "due", "title"),
    [
        ("remind me friday at 9.45 to call Ingrid", "2026-11-20T09:45", "Call Ingrid"),
        ("remind me 3 Dec 4.15pm to prep the QBR deck", "2026-12-03T16:15",
         "Prep the QBR deck"),
        ("remind me tomorrow @ 14.30 to chase legal", "2026-11-19T14:30", "Chase legal"),
    ],
)
def test_clock_times_with_a_dot(text: str, due: str, title: str) -> None:
    (task,) = run(text)
    assert task["due"] == due and task["title"] == title, task


@pytest.mark.parametrize(
    ("text", "due"),
    [
        ("remind me thursday 8h45 to call Ingrid", "2026-11-19T08:45"),
        ("remind me tomorrow at half past 2 to call Ingrid", "2026-11-19T14:30"),
        ("remind me Fri 10.15 to call Ingrid", "2026-11-20T10:15"),
    ],
)
def test_clock_times_as_europe_writes_them(text: str, due: str) -> None:
    (task,) = run(text)
    assert task["due"] == due and task["title"] == "Call Ingrid", task


def test_a_decimal_comma_in_a_whole_message() -> None:
    (deal,) = run("new deal for Lindqvist Marin AB, 2,4 Mio, demo stage", tz="Europe/Stockholm")
    assert subset(deal, {"account": "Lindqvist Marin AB", "amount": 2_400_000, "stage": "demo"})


def test_a_price_after_at_is_not_a_time() -> None:
    (task,) = run("remind me friday to quote them at 2.50 per seat")
    assert task["due"] == "2026-11-20T09:00", task


# ---- requests -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "want"),
    [
        ("show Mateo's lost deals", {"intent": "list_deals", "owner": "Mateo", "status": "lost"}),
        ("list my won deals", {"intent": "list_deals", "owner": "me", "status": "won"}),
        ("account-wise won amount this year", {"intent": "pipeline_query", "group_by": "account",
                                               "status": "won"}),
        ("stage wise pipeline", {"intent": "pipeline_query", "group_by": "stage"}),
        ("lost amount by rep last quarter?", {"intent": "pipeline_query", "group_by": "owner",
                                              "status": "lost"}),
        ("how does this quarter compare to last quarter for bookings?",
         {"intent": "pipeline_query"}),
        ("show me everything we have logged with Orchard Bay Hotels",
         {"intent": "show_timeline", "account": "Orchard Bay Hotels"}),
        ("lost deals last quarter by rep", {"intent": "pipeline_query", "status": "lost",
                                            "group_by": "owner"}),
        ("show all notes on Ferro Sud", {"intent": "show_timeline", "account": "Ferro Sud"}),
        ("can you write to Kenji re the SOW", {"intent": "draft_email", "contact": "Kenji",
                                               "purpose": "SOW"}),
        ("write a mail to Kenji at Sakura Robotics regarding the renewal terms",
         {"intent": "draft_email", "contact": "Kenji", "account": "Sakura Robotics",
          "purpose": "renewal terms"}),
    ],
)
def test_requests_phrased_another_way(text: str, want: dict) -> None:
    (action,) = run(text)
    assert subset(action, want), action


@pytest.mark.parametrize("text", ["hola!", "namaste 🙏", "kia ora team", "guten Morgen",
                                  "how does this work?"])
def test_greetings_in_other_languages_are_help(text: str) -> None:
    assert run(text) == [{"intent": "help"}]


@pytest.mark.parametrize("text", ["thanks!", "thank you so much", "merci 🙏", "ta mate"])
def test_a_closing_alone_asks_for_nothing(text: str) -> None:
    (action,) = run(text)
    assert action["intent"] == "unknown", action


# ---- news inside an activity ----------------------------------------------------------


def test_a_stage_and_a_new_amount_said_in_a_meeting_note() -> None:
    actions = run("met Okavango Telecom's CFO today, we're at proposal now, "
                  "amount reduced to 140k")
    assert [a["intent"] for a in actions] == ["log_activity", "update_deal"], actions
    assert subset(actions[1], {"account": "Okavango Telecom", "stage": "proposal",
                               "amount": 140_000}), actions


def test_a_call_with_a_new_figure_and_an_order_by_eod() -> None:
    actions = run("call with Lerato at Highveld Foods, they dropped two sites so the value "
                  "goes to 60k, and i need to resend the proposal by EOD")
    assert [a["intent"] for a in actions] == ["log_activity", "update_deal", "create_task"]
    assert actions[1]["amount"] == 60_000 and actions[2]["due"] == "2026-11-18T17:00", actions


def test_a_cut_by_an_amount_is_not_a_new_amount() -> None:
    actions = run("coffee with Ana at Brightloop, they cut the budget by 20k")
    assert [a["intent"] for a in actions] == ["log_activity"], actions


def test_update_the_deal_then_the_quote_sent_is_one_move_to_proposal() -> None:
    assert run("update the Corvid Analytics deal - we sent them the quote") == [
        {"intent": "update_deal", "account": "Corvid Analytics", "stage": "proposal"}]


def test_an_email_said_as_sent_is_logged() -> None:
    (log,) = run("Email to Hamid Farouk (Dune Logistics) sent with the MSA redlines")
    assert subset(log, {"intent": "log_activity", "kind": "email", "contact": "Hamid Farouk",
                        "account": "Dune Logistics"}), log


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("brunch with Pita from Manuka Labs, keen on the pilot", "meeting"),
        ("brekkie w/ Shane at Redgum Energy, wants a demo", "meeting"),
        ("had a chat with Rohit of Vayu Air over the phone, pricing approved", "call"),
    ],
)
def test_activity_kinds_said_loosely(text: str, kind: str) -> None:
    log = run(text)[0]
    assert log["intent"] == "log_activity" and log["kind"] == kind, log


def test_a_meeting_tool_is_no_company() -> None:
    (log,) = run("Zoom with Hine Walker (Tasman Dairy) earlier – demoed the dashboards")
    assert subset(log, {"contact": "Hine Walker", "account": "Tasman Dairy"}), log
    assert log["kind"] in ("meeting", "call"), log


def test_a_bulleted_note_with_a_figure_a_reminder_and_a_colleague() -> None:
    actions = run("Met Nandi at Kestrel Water today:\n• they're at 45k now, stage proposal\n"
                  "• remind me to send the SOW Fri\n"
                  "• also add her colleague Thabo Nkosi, Procurement Lead")
    assert [a["intent"] for a in actions] == ["log_activity", "update_deal", "create_task",
                                              "create_contact"], actions
    assert subset(actions[1], {"amount": 45_000, "stage": "proposal"}), actions
    assert actions[3]["name"] == "Thabo Nkosi", actions


def test_a_need_told_after_a_meeting_is_its_note() -> None:
    log, task = run("met Kwame Mensah from Volta Cocoa, need to send him the SLA draft Monday")
    assert log["summary"] and "SLA" in log["summary"], log
    assert task["due"] == "2026-11-23T09:00", task


def test_the_one_deal_moved_is_the_account_of_the_person_met() -> None:
    log, update, task = run("coffee with Ilse Brandt, they want to restart talks, reopen the "
                            "Hafenwerk GmbH deal, follow up Friday")
    assert log["account"] == update["account"] == "Hafenwerk GmbH", (log, update)
    assert update["status"] == "open" and task["account"] == "Hafenwerk GmbH", (update, task)


def test_won_said_first_of_a_lower_case_word_is_no_deal_news() -> None:
    (action,) = run("won deals this month")
    assert action["intent"] == "pipeline_query" and action["status"] == "won", action


@pytest.mark.parametrize(
    ("text", "kind", "update"),
    [
        ("spoke with Ravi (Monsoon Tea) – contract value now 220k", "call", {"amount": 220_000}),
        ("met Ravi at Monsoon Tea, price agreed at 95k", "meeting", {"amount": 95_000}),
        ("call w Ravi at Monsoon Tea, they're pushing close to end of March", "call",
         {"close_date": "2027-03-31"}),
    ],
)
def test_a_figure_or_a_slip_said_in_a_log_moves_the_deal(text: str, kind: str,
                                                         update: dict) -> None:
    log, deal = run(text)
    assert log["kind"] == kind and subset(deal, {"intent": "update_deal",
                                                 "account": "Monsoon Tea", **update}), (log, deal)


def test_a_budget_said_in_a_log_is_only_news() -> None:
    actions = run("had a call with Ravi from Monsoon Tea, budget approved for 60k")
    assert [a["intent"] for a in actions] == ["log_activity"], actions


@pytest.mark.parametrize(("text", "kind"), [
    ("texted Ravi at Monsoon Tea, he'll confirm Monday", "note"),
    ("dropped by Monsoon Tea's office, saw Ravi, wants a trial", "meeting"),
])
def test_more_activity_kinds(text: str, kind: str) -> None:
    (log,) = run(text)
    assert log["intent"] == "log_activity" and log["kind"] == kind, log
