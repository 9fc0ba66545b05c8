"""What set_m's misses showed, on new examples: how much of Europe writes amounts and
dates, greetings before the message, and a speaker's name before a question."""

from __future__ import annotations

import datetime as dt

import pytest

from bot.nlu import actions_to_json, parse
from bot.nlu.money import find_money

NOW = dt.datetime(2027, 3, 10, 10, 0)  # a Wednesday


def actions(text: str, tz: str = "Europe/Berlin") -> list[dict]:
    return actions_to_json(parse(text, now=NOW, tz=tz))["actions"]


@pytest.mark.parametrize(("said", "amount"), [
    ("600 000 PLN", 600000), ("1 100 000 zł", 1100000), ("212 000 €", 212000),
    ("55 TEUR", 55000), ("NOK 4,2 mill.", 4200000), ("2,5 Mio NOK", 2500000),
    ("84.500 €", 84500),
])
def test_amounts_as_europe_writes_them(said, amount):
    assert find_money(f"new deal Wisła Tools sp. z o.o., {said}, lead")[0] == amount


def test_a_split_figure_is_never_read_as_zero():
    (deal,) = actions("New deal Polimex Tech sp. z o.o., 600 000 PLN, stage qualification")
    assert deal["amount"] == 600000
    assert find_money("met 3 000 people at the fair") is None


@pytest.mark.parametrize(("said", "day"), [
    ("change the close date to 15.04.", "2027-04-15"),
    ("change the close date to 15.04", "2027-04-15"),
    ("close date 30.11.2027", "2027-11-30"),
    ("closing 31 mars", "2027-03-31"),
    ("closing 11. juni", "2027-06-11"),
    ("closing 4. okt.", "2027-10-04"),
])
def test_dates_as_europe_writes_them(said, day):
    (update,) = actions(f"Kessler Antriebe GmbH: {said}")
    assert update["close_date"] == day


def test_a_price_or_a_given_name_is_no_date():
    (log,) = actions("called Mai at Hanoi Foods, their price is 4.10 per unit")
    assert log["occurred_on"] == "2027-03-10"
    assert actions("Mai's open deals pls") == [
        {"intent": "list_deals", "owner": "Mai", "status": "open"}]


def test_each_line_of_a_list_is_read_on_its_own():
    text = ("Recap Kessler visit:\n- met Tobias Kessler at Kessler Antriebe GmbH, budget approved"
            "\n- move them to proposal\n- remind me friday to send the offer")
    log, update, task = actions(text)
    assert (log["kind"], log["account"]) == ("meeting", "Kessler Antriebe GmbH")
    assert update == {"intent": "update_deal", "account": "Kessler Antriebe GmbH",
                      "stage": "proposal"}
    assert task["due"] == "2027-03-12T09:00"
    numbered = actions("1) met Tobias Kessler at Kessler Antriebe GmbH\n2) move them to proposal")
    assert [a["intent"] for a in numbered] == ["log_activity", "update_deal"]


@pytest.mark.parametrize(("text", "want"), [
    ("Buongiorno! can you give me the timeline of Officine Meccaniche Lombarde",
     {"intent": "show_timeline", "account": "Officine Meccaniche Lombarde"}),
    ("Good afternoon, how do I get the pipeline report for my team every week from you?",
     {"intent": "help"}),
])
def test_a_greeting_before_the_message_is_no_part_of_it(text, want):
    assert actions(text) == [want]


def test_a_speakers_name_before_a_question_is_not_its_owner():
    (query,) = actions("Tomasz: what is Katarzyna's win rate this year")
    assert query["owner"] == "Katarzyna" and query["measure"] == "win_rate"


def test_news_of_a_signature_and_a_win_told_late_in_the_message():
    assert actions("Groupe Verdier: the signature is done today, finally!! Closed won at "
                   "212 000 €") == [{"intent": "update_deal", "account": "Groupe Verdier",
                                     "stage": "won", "amount": 212000, "status": "won"}]


@pytest.mark.parametrize(("said", "due"), [
    ("tomorrow 14h", "2027-03-11T14:00"), ("tomorrow 9h30", "2027-03-11T09:30"),
    ("Friday 15 Uhr", "2027-03-12T15:00"), ("tomorrow at half nine", "2027-03-11T09:30"),
])
def test_clock_times_as_europe_says_them(said, due):
    (task,) = actions(f"remind me {said} to call back Mme Dupré")
    assert task["due"] == due and task["title"] == "Call back Mme Dupré"


def test_the_length_of_a_call_is_no_time_of_day():
    (log,) = actions("we had a 2h call with Ines Roth at Kessler Antriebe")
    assert log["kind"] == "call" and log["occurred_on"] == "2027-03-10"


def test_update_the_amount_to_what_was_just_told():
    email, update, task = actions(
        "Lars-Erik Dahl at Fjordkraft Subsea AS answered my email today: they accept NOK 4,2 "
        "mill. for the full scope. Update the deal amount, and I need to send the contract Friday")
    assert email["kind"] == "email" and update["amount"] == 4200000
    assert task["due"] == "2027-03-12T09:00"


def test_list_a_reps_deals_by_her_name():
    assert actions("Tomasz: list Katarzyna deals in negotiation") == [
        {"intent": "list_deals", "owner": "Katarzyna", "stage": "negotiation"}]


def test_a_train_is_an_errand_not_a_task():
    (said,) = actions("can you book the Copenhagen–Aarhus train for monday morning?")
    assert said["intent"] == "unknown"


@pytest.mark.parametrize("text", [
    "I have exchanged with Mme Claire Roux by mail today, Groupe Verdier wants an extension",
    "Mail from Lotte Claes (Gentse Staalwerken NV) this morning: they postpone to September",
])
def test_mail_is_email(text):
    (log,) = actions(text)
    assert log["kind"] == "email"


def test_what_is_on_my_list():
    assert actions("what is on my list for today") == [{"intent": "list_tasks", "scope": "today"}]
