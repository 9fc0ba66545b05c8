"""What set_p's misses showed, on new examples."""

from __future__ import annotations

import datetime as dt

import pytest

from bot.nlu import actions_to_json, parse

NOW = dt.datetime(2027, 4, 1, 10, 0)  # a Thursday


def actions(text: str, now: dt.datetime = NOW, tz: str = "UTC") -> list[dict]:
    return actions_to_json(parse(text, now=now, tz=tz))["actions"]


@pytest.mark.parametrize(("now", "tz", "due"), [
    (dt.datetime(2027, 3, 27, 21, 40), "Europe/Madrid", "2027-03-28T10:40"),  # spring forward
    (dt.datetime(2027, 4, 3, 20, 0), "Australia/Sydney", "2027-04-04T07:00"),  # fall back
])
def test_in_twelve_hours_across_a_clock_change_is_twelve_hours(now, tz, due):
    (task,) = actions("remind me in 12 hours to send the order form to Núria", now, tz)
    assert task["due"] == due


@pytest.mark.parametrize(("text", "kind"), [
    ("Smoko with Dave Kowalczyk at Yarran Downs this arvo, keen on the air seeder", "meeting"),
    ("Had a braai with Hennie Botha from Karoo Lamb Co. last night", "meeting"),
])
def test_how_the_south_meets(text, kind):
    (log,) = actions(text)
    assert log["kind"] == kind and "Smoko" not in log.get("account", "")


@pytest.mark.parametrize("text", [
    "can you fix my Outlook sync? it keeps duplicating my calendar events",
    "what's the forecast for rain in Sioux Center this weekend?",
])
def test_errands_and_weather_are_not_understood(text):
    (said,) = actions(text)
    assert said["intent"] == "unknown"


def test_a_contacts_title_in_another_language():
    (contact,) = actions("new contact: Carla Mendonça, diretora comercial, AgroMinas Máquinas "
                         "Ltda., carla@agrominas.com.br")
    assert (contact["title"], contact["account"]) == ("diretora comercial",
                                                      "AgroMinas Máquinas Ltda.")


def test_a_new_deal_at_lead_names_no_company_lead():
    contact, deal = actions("add Ingrid Dahl (Head of Security, Sparbanken Väst) and create a "
                            "65k deal for them at lead")
    assert deal == {"intent": "create_deal", "account": "Sparbanken Väst", "amount": 65000,
                    "stage": "lead"}


@pytest.mark.parametrize(("text", "account"), [
    ("Kickoff call with Olu Adebayo, VP IT @ Maple Ridge Credit Union", "Maple Ridge Credit Union"),
    ("rang Priya Raman at St Aldate's College - tight budget", "St Aldate's College"),
])
def test_names_after_an_opening_word_or_with_an_s(text, account):
    assert actions(text)[0]["account"] == account


def test_argentine_hours():
    (task,) = actions("remind me monday 10hs to send the financing simulation to Mateo")
    assert task["due"] == "2027-04-05T10:00"


@pytest.mark.parametrize(("text", "account"), [
    ("Coffee with Fatima Al-Zarooni (Director of Ops, Al Noor Hospitality LLC) yesterday",
     "Al Noor Hospitality LLC"),
    ("Teams meeting with Jörg Hämmerle (IT-Leiter, Brauerei Kessler GmbH) on Friday",
     "Brauerei Kessler GmbH"),
    ("quick call with Zhang Wei (Shenzhen Lumen Tech Co., Ltd.) - he is out until July 6",
     "Shenzhen Lumen Tech Co., Ltd."),
])
def test_a_title_and_company_in_parentheses_after_the_person(text, account):
    (log,) = actions(text)
    assert log["account"] == account


def test_whose_title_it_was_is_not_the_note():
    (log,) = actions("Teams meeting with Jörg Hämmerle (IT-Leiter, Brauerei Kessler GmbH) on "
                     "Friday. They want on-prem only")
    assert log["summary"] == "They want on-prem only"


@pytest.mark.parametrize(("text", "want"), [
    ("Notiz: Kessler Gruppe is moving to SAP S/4 in Q4", {"kind": "note",
                                                          "account": "Kessler Gruppe"}),
    ("Meeting with the Koh Samui Eco Lodges owners yesterday", {"account": "Koh Samui Eco Lodges"}),
])
def test_logs_in_other_words(text, want):
    (log,) = actions(text)
    assert want.items() <= log.items()


@pytest.mark.parametrize(("text", "want"), [
    ("what have I got on this week?", {"intent": "list_tasks", "scope": "week"}),
    ("how long does a deal take to close for us on average?",
     {"intent": "pipeline_query", "measure": "cycle_days"}),
])
def test_questions_in_other_words(text, want):
    assert actions(text) == [want]


def test_verbal_opens_no_name():
    (update,) = actions("Verbal yes from Ostrander & Pike LLP, paper comes Monday. move close "
                        "date to July 6")
    assert update["account"] == "Ostrander & Pike LLP"


@pytest.mark.parametrize(("text", "contact"), [
    ("remind me at 14h30 to call Mariana", "Mariana"),
    ("remind me at noon tomorrow to call Brett", "Brett"),
    ("remind me to send Ingrid the HIPAA BAA", "Ingrid"),
])
def test_one_word_after_a_verb_done_to_people_is_a_person(text, contact):
    (task,) = actions(text)
    assert task.get("contact") == contact and "account" not in task
    (owned,) = actions("remind me to chase Initech's PO on the 1st")
    assert owned.get("account") == "Initech"


def test_done_marked_with_mark():
    assert actions("mark done: send Ingvild the DPA") == [
        {"intent": "complete_task", "title": "send Ingvild the DPA"}]


def test_this_arvo_is_this_afternoon():
    (task,) = actions("remind me this arvo to send Jarrah the price hold letter")
    assert task["due"] == "2027-04-01T15:00"


@pytest.mark.parametrize(("text", "account"), [
    ("Brekkie with Tom Ashby from Southbank Legal Pty Ltd this morning", "Southbank Legal Pty Ltd"),
    ("Grabbed a beer w/ Kyle Brandt, IT director at Prairie Mutual", "Prairie Mutual"),
    ("Renewal call with Brett Halvorsen, Summit Peak Credit Union", "Summit Peak Credit Union"),
])
def test_how_a_meeting_is_opened_names_no_company(text, account):
    (log,) = actions(text)
    assert log["account"] == account


@pytest.mark.parametrize("text", ["Fancy a pint later? 🍺", "who's keen for friday drinks? 🍺"])
def test_a_question_about_a_drink_logs_nothing(text):
    (said,) = actions(text)
    assert said["intent"] == "unknown"
