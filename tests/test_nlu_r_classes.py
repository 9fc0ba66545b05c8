"""What sets R–T's misses showed, on new examples: Korean given names, dates written
day-first with dots and dashes, amounts as Portuguese, Spanish, Turkish and Indonesian
write them, a sum worked out in the message, durations written onto their number."""

from __future__ import annotations

import datetime as dt

import pytest

from bot.nlu import actions_to_json, parse

NOW = dt.datetime(2026, 10, 21, 16, 40)  # a Wednesday


def actions(text: str, tz: str = "Europe/Berlin") -> list[dict]:
    return actions_to_json(parse(text, now=NOW, tz=tz))["actions"]


@pytest.mark.parametrize("text, name", [
    ("remind me friday to send Park Ji-hoon the pilot plan", "Park Ji-hoon"),
    ("lunch w/ Lee Min-seo at Hanjin Parts today, wants a quote", "Lee Min-seo"),
])
def test_a_hyphenated_given_name_is_part_of_the_name_not_slang(text, name):
    assert actions(text)[0]["contact"] == name


@pytest.mark.parametrize("text, key, value", [
    ("remind me 4.11. to call Herr Vogt about the renewal", "due", "2026-11-04T09:00"),
    ("Follow up 14-01 with Ana Costa", "due", "2027-01-14T09:00"),
    ("Brenner Logistik: stage negotiation, close 15.03", "close_date", "2027-03-15"),
    ("Brenner Logistik: close 28-02-2027", "close_date", "2027-02-28"),
])
def test_a_date_written_day_first_after_a_word_that_asks_for_one(text, key, value):
    assert actions(text)[0][key] == value


@pytest.mark.parametrize("text", ["Brenner Logistik: 3-4 new users next month",
                                  "Brenner Logistik: we're up 1.5 points"])
def test_a_range_or_a_decimal_is_no_date(text):
    said = [a.get(key) or "" for a in actions(text) for key in ("close_date", "due")]
    # not 3 April / 4 March, nor 1 May / 5 January
    assert not any(day[5:10] in ("04-03", "03-04", "05-01", "01-05") for day in said)


@pytest.mark.parametrize("text, amount", [
    ("new deal Natura R$ 450 mil, proposal", 450_000),
    ("new deal Natura R$ 2,5 milhões, proposal", 2_500_000),
    ("new deal Koç Sistem 3,2 milyon TL, lead", 3_200_000),
    ("new deal Astra Logistik Rp 900 juta, demo", 900_000_000),
    ("new deal Viña Sur CLP 120.000.000, qualified", 120_000_000),
    ("new deal Fleetwise 120 vans x $40/mo x 24 mo = $115,200, lead", 115_200),
])
def test_amounts_as_the_world_writes_them(text, amount):
    (deal,) = actions(text, tz="America/Sao_Paulo")
    assert deal["amount"] == amount


def test_an_amount_with_a_capital_scale_is_no_company():
    (deal,) = actions("create a deal 3.1M PLN for Orlen Serwis, lead")
    assert deal["account"] == "Orlen Serwis" and deal["amount"] == 3_100_000


@pytest.mark.parametrize("text, due", [
    ("remind me in 2h to send Ola the NDA", "2026-10-21T18:40"),
    ("remind me in 45min to call Ola", "2026-10-21T17:25"),
    ("remind me at half five to call Ola", "2026-10-21T17:30"),
])
def test_durations_and_clock_times_said_the_short_way(text, due):
    (task,) = actions(text, tz="Europe/London")
    assert task["due"] == due


@pytest.mark.parametrize("text, contact, account", [
    ("call today with Ms. Tanaka of Sumida Freight, they want a quote", "Ms. Tanaka",
     "Sumida Freight"),
    ("met Ogawa-san of Hokuto Denki yesterday, positive", "Ogawa-san", "Hokuto Denki"),
    ("Spoke to Ramesh sir from Blue Dart Express, pilot ok", "Ramesh", "Blue Dart Express"),
])
def test_a_person_said_with_a_courtesy_of_a_company_is_two_names(text, contact, account):
    log = actions(text, tz="Asia/Tokyo")[0]
    assert (log["contact"], log["account"]) == (contact, account)


@pytest.mark.parametrize("text, want", [
    ("Reunión ayer con Pesquera Andina S.A. — Camila Rojas, they want 50 sensors",
     {"kind": "meeting", "occurred_on": "2026-10-20", "account": "Pesquera Andina S.A."}),
    ("Telko mit Jonas Weber (Kühne Kälte GmbH), braucht ein Angebot",
     {"kind": "call", "contact": "Jonas Weber", "account": "Kühne Kälte GmbH"}),
])
def test_a_note_that_opens_in_the_reps_own_language(text, want):
    log = actions(text)[0]
    assert log["intent"] == "log_activity" and {k: log.get(k) for k in want} == want


def test_a_new_contact_said_in_german_is_a_contact_of_its_company():
    (contact,) = actions("neuer Kontakt: Dr. Petra Lang, Einkaufsleiterin, Lang Logistik GmbH")
    assert contact["intent"] == "create_contact" and contact["account"] == "Lang Logistik GmbH"


def test_a_weekday_in_spanish_is_the_due_day():
    (task,) = actions("remind me el viernes to send Lucía the datasheet")
    assert task["due"] == "2026-10-23T09:00"


@pytest.mark.parametrize("text, want", [
    ("Which rep has most won deals in Q3?",
     {"measure": "count", "status": "won", "group_by": "owner"}),
    ("how much we signed in september?", {"measure": "amount", "status": "won"}),
])
def test_questions_of_who_won_most_and_what_we_signed(text, want):
    (query,) = actions(text)
    assert query["intent"] == "pipeline_query" and {k: query.get(k) for k in want} == want


def test_a_legal_form_in_lower_case_belongs_to_the_company():
    log = actions("call with Marta Bianchi, Trasporti Adriatici srl: ok on price")[0]
    assert log["account"] == "Trasporti Adriatici srl"


@pytest.mark.parametrize("text, contact, account", [
    ("called anh Nguyễn Văn Hùng at Mekong Cold Chain, wants a quote", "Nguyễn Văn Hùng",
     "Mekong Cold Chain"),
    ("met Ing. Luis Garza of Aceros Monterrey S.A. today", "Ing. Luis Garza",
     "Aceros Monterrey S.A."),
])
def test_a_courtesy_before_a_name_is_not_the_name_but_a_title_is_said_with_it(text, contact,
                                                                               account):
    log = actions(text, tz="Asia/Ho_Chi_Minh")[0]
    assert (log["contact"], log["account"]) == (contact, account)


def test_a_company_may_open_with_a_common_word():
    (timeline,) = actions("show timeline for Grand Harbour Freight & Storage")
    assert timeline["account"] == "Grand Harbour Freight & Storage"


@pytest.mark.parametrize("text", ["hola! qué puedes hacer?", "oi! o que você pode fazer?",
                                  "hallo, was kannst du?"])
def test_what_can_you_do_in_other_languages_is_help(text):
    assert actions(text) == [{"intent": "help"}]


def test_ordering_lunch_is_no_task_unless_it_is_a_reminder():
    assert actions("can you order lunch for the team? 🍕")[0]["intent"] == "unknown"
    assert actions("remind me to order lunch for the workshop on friday")[0]["intent"] == \
        "create_task"
