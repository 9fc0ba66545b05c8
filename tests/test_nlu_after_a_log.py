"""What follows the news of a call or a meeting: an order with a day the classifier reads
as a task, news with a day that stays in the log, and the company's whole name where the
role tagger reads it with more words than the rules. New examples, written for these tests."""

from __future__ import annotations

import datetime as dt

import pytest

from bot.nlu import actions_to_json, parse

NOW = dt.datetime(2027, 1, 12, 10, 0)  # a Tuesday


def actions(text: str, tz: str = "America/New_York") -> list[dict]:
    return actions_to_json(parse(text, now=NOW, tz=tz))["actions"]


@pytest.mark.parametrize("text, due", [
    ("Lunch with Tariq Aziz from Harbour Lights Marina, they want a second quote. sort out "
     "the revised quote by Friday", "2027-01-15T09:00"),
    ("Call with Lucía Ortega of Sierra Verde Foods, they asked for references. line up 2 "
     "references by Monday", "2027-01-18T09:00"),
    ("reunião com Bruno Lima da Padaria Estrela ontem, proposta até sexta", "2027-01-15T09:00"),
    ("telefonata con Paolo Conti della Cantina Rossi, vuole il listino. mandarlo venerdì",
     "2027-01-15T09:00"),
])
def test_an_order_with_a_day_after_the_news_is_a_task(text, due):
    said = actions(text)
    assert [a["intent"] for a in said] == ["log_activity", "create_task"], said
    log, task = said
    assert task["due"] == due
    assert (task["contact"], task["account"]) == (log["contact"], log["account"])


def test_a_person_della_a_company_is_the_person_there():
    log = actions("telefonata con Paolo Conti della Cantina Rossi, vuole il listino")[0]
    assert (log["contact"], log["account"]) == ("Paolo Conti", "Cantina Rossi")


@pytest.mark.parametrize("text", [
    "met Ayla Demir from Bosphorus Textiles, the board meets Thursday to sign off",
    "call with Ines Duarte at Pacific Shore Dental, signed copy back by thursday",
    "emailed Noor Haddad at Cedar Hill Orthodontics the pricing, PO to follow next week",
])
def test_what_they_will_do_on_a_day_stays_news_of_the_call(text):
    assert [a["intent"] for a in actions(text)] == ["log_activity"]


def test_a_day_alone_after_a_task_heading_is_its_due_date():
    said = actions("tarea: preparar la demo para Bodegas Ribera, para el lunes que viene")
    assert [a["intent"] for a in said] == ["create_task"], said
    assert said[0]["due"] == "2027-01-18T09:00"


@pytest.mark.parametrize("text, account", [
    ("met Hugo Lindqvist at The Copper Kettle's Bakery today, he wants 3 terminals",
     "The Copper Kettle's Bakery"),
    ("met tomas at pine hollow dental supply, wants a quote for 4 chairs",
     "pine hollow dental supply"),
])
def test_the_company_is_read_with_all_its_words(text, account):
    assert actions(text)[0]["account"] == account


def test_a_product_after_the_company_is_not_part_of_its_name():
    deal = actions("new deal Kaya Makina compressors 90k")[0]
    assert (deal["intent"], deal["account"], deal["amount"]) == ("create_deal", "Kaya Makina",
                                                                 90000)


@pytest.mark.parametrize("text, kind", [
    ("brekky w/ Dylan Roberts from Wattle Freight yesterday, keen on a pilot", "meeting"),
    ("Aisha Bello from Lagos Cold Stores mailed this morning asking for the rate card", "email"),
])
def test_how_they_met_or_wrote_said_casually(text, kind):
    assert actions(text)[0]["kind"] == kind


@pytest.mark.parametrize("text, day", [
    ("Kofi Mensah (Volta Haulage) emailed back yesterday, they want pricing for 12 trucks",
     "2027-01-11"),
    ("called back Nadia Farouk yesterday, she's keen", "2027-01-11"),
    ("Yesterday's onsite at Harbour Lights Marina w/ Tariq Aziz went sideways", "2027-01-11"),
])
def test_the_day_of_a_call_said_after_back_or_with_a_possessive(text, day):
    assert actions(text)[0]["occurred_on"] == day
