"""What set_h's misses showed, on new examples: company names as people type them (a
legal form's stop, a region code, a quarter-like first word), Slack markup, and
phrasings of orders and questions."""

from __future__ import annotations

import datetime as dt

import pytest

from bot.nlu import actions_to_json, parse

NOW = dt.datetime(2027, 3, 10, 10, 0)


def actions(text: str) -> list[dict]:
    return actions_to_json(parse(text, now=NOW, tz="UTC"))["actions"]


def accounts(text: str) -> set[str | None]:
    return {a.get("account") for a in actions(text)}


@pytest.mark.parametrize(("text", "account"), [
    ("sent the MSA to Oduya Freight Ltd.", "Oduya Freight Ltd."),
    ("new opp for Tallinn Tools Corp. — 40k", "Tallinn Tools Corp."),
    ("called Anneli at Kestrel Brewing Co. she wants samples", "Kestrel Brewing Co."),
    ("met the buyers at Sol y Mar S.A. today", "Sol y Mar S.A."),
])
def test_a_legal_forms_stop_stays_with_the_name(text, account):
    assert accounts(text) == {account}


@pytest.mark.parametrize(("text", "account"), [
    ("Marula Foods UK moved to proposal", "Marula Foods UK"),
    ("call with Tane at Kauri Timber NZ, wants pricing", "Kauri Timber NZ"),
    ("brief me on Basalt Energy LATAM", "Basalt Energy LATAM"),
])
def test_a_region_code_after_a_company_is_part_of_it(text, account):
    assert accounts(text) == {account}


def test_a_company_that_begins_like_a_quarter_is_a_company_not_a_close_date():
    (update,) = actions("Q3 Capital agreed terms, move to negotiation, close date may 20")
    assert update["account"] == "Q3 Capital" and update["close_date"] == "2027-05-20"
    (query,) = actions("what's closing in Q3?")
    assert query["intent"] == "pipeline_query" and query["period"]["start"] == "2027-07-01"


@pytest.mark.parametrize("text", [
    "what's closing in q3?", "which deals close in march", "anything closing next week?"])
def test_what_is_closing_is_a_pipeline_question(text):
    (query,) = actions(text)
    assert query["intent"] == "pipeline_query" and query["status"] == "open"
    assert query["period"]


def test_slack_markup_is_how_a_message_looks_not_what_it_says():
    (deal,) = actions("*new deal*: Kapiti Dairy, $120k, proposal")
    assert deal == {"intent": "create_deal", "account": "Kapiti Dairy", "amount": 120000,
                    "stage": "proposal"}
    (call,) = actions("_Call_ with Noa Levi :telephone_receiver: wants the SOC 2 report")
    assert call["kind"] == "call" and call["contact"] == "Noa Levi"
    (meeting, _won) = actions("met ~Bob~ Rob at Tuatara Labs :tada: they signed")
    assert meeting["contact"] == "Rob"


def test_a_log_nothing_else_was_told_of_is_noted_with_what_was_said():
    log, _task = actions("met with Thandiwe Nkosi from Karoo Wines today, send pricing by friday")
    assert log["summary"] == "met with Thandiwe Nkosi from Karoo Wines today"
    (call,) = actions("log a call with Ahmet Yilmaz at Bosphorus Tekstil")
    assert call["summary"] == "call with Ahmet Yilmaz at Bosphorus Tekstil"


@pytest.mark.parametrize(("text", "want"), [
    ("add contact: Tran Thi Mai, Head of Purchasing, Hanoi Coffee Roasters, mai@hcr.vn",
     {"name": "Tran Thi Mai", "title": "Head of Purchasing", "account": "Hanoi Coffee Roasters",
      "email": "mai@hcr.vn"}),
    ("add Joaquín Ruiz-Tagle, Jefe de Compras at Viña Santa Rita, jrt@santarita.cl",
     {"name": "Joaquín Ruiz-Tagle", "title": "Jefe de Compras", "account": "Viña Santa Rita",
      "email": "jrt@santarita.cl"}),
    ("new contact Ola Nordmann, Dir. of Finance at Fjord Kraft",
     {"name": "Ola Nordmann", "title": "Dir. of Finance", "account": "Fjord Kraft"}),
])
def test_a_contacts_fields_listed_one_after_another(text, want):
    (contact,) = actions(text)
    assert contact == {"intent": "create_contact", **want}


def test_a_quoted_deal_title_is_one_piece_even_with_a_dash_inside():
    (deal,) = actions('new deal: Kereru Air, title "Kereru - 12 aircraft MRO", 90k, demo')
    assert deal["title"] == "Kereru - 12 aircraft MRO" and deal["amount"] == 90000


@pytest.mark.parametrize("text", [
    "how do I log a meeting with you?", "olá! what are your commands?",
    "hey, how can I set up a digest?", "what else can you do"])
def test_questions_about_the_bot_itself_are_help(text):
    assert actions(text) == [{"intent": "help"}]


def test_who_is_hot_asks_for_hot_leads():
    assert actions("who's hot this week? 🔥 top 3") == [{"intent": "hot_leads", "limit": 3}]


def test_a_question_outside_the_crm_is_not_understood_as_ours():
    (said,) = actions("what's the euro to dollar rate today?")
    assert said["intent"] == "unknown"


def test_a_question_of_how_to_do_something_is_help_and_creates_nothing():
    assert actions("how do I add Priya Shah as a contact?") == [{"intent": "help"}]


def test_a_dead_deal_is_lost_to_the_competitor_not_by_it():
    log, update = actions("quick call with Tomás from Andes Foods, deal is dead, they went with "
                          "HubSpot")
    assert update["account"] == "Andes Foods" and update["status"] == "lost"
    assert "HubSpot" in update["reason"]


def test_reopen_said_after_the_news():
    assert actions("Kiwi Air is back from the dead, reopen it") == [
        {"intent": "update_deal", "account": "Kiwi Air", "status": "open"}]


def test_update_a_deal_field_by_field():
    assert actions("update Nubank: amount 75k, stage proposal") == [
        {"intent": "update_deal", "account": "Nubank", "stage": "proposal", "amount": 75000}]
    task, update = actions("update the forecast sheet, move Acme to demo")
    assert task["intent"] == "create_task" and update["account"] == "Acme"


def test_a_rep_named_before_what_they_won_owns_the_question():
    (query,) = actions("avg deal size Tarek won in January")
    assert query["owner"] == "Tarek" and query["status"] == "won"


def test_lead_after_an_amount_is_the_stage():
    (deal,) = actions("new deal kumara farms 35k lead")
    assert deal["stage"] == "lead" and deal["amount"] == 35000


def test_quantities_said_in_words_are_read_as_figures():
    (task,) = actions("remind me in forty five minutes to call back Rosa")
    assert task["due"] == "2027-03-10T10:45"
    (update,) = actions("Tamarind Labs is now at two hundred fifty thousand")
    assert update["amount"] == 250000


@pytest.mark.parametrize(("text", "account"), [
    ("add a task: send contract to Seguros Atlántida by June 30", "Seguros Atlántida"),
    ("remind me friday to send the proposal to Rappi Perú", "Rappi Perú"),
])
def test_a_company_word_or_a_country_in_a_name_makes_it_a_company(text, account):
    (task,) = actions(text)
    assert task.get("account") == account and task.get("contact") is None


def test_a_reunion_is_a_meeting():
    (log,) = actions("had a reunion with the buyers of Grupo Éxito today, they liked the demo")
    assert log["kind"] == "meeting" and log["account"] == "Grupo Éxito"


def test_a_quote_sent_after_a_meeting_moves_that_deal_and_logs_nothing_twice():
    assert actions("Demo meeting with Kauri & Sons Ltd today, sent the quote right after") == [
        {"intent": "log_activity", "kind": "meeting", "account": "Kauri & Sons Ltd",
         "summary": "sent the quote right after", "occurred_on": "2027-03-10"},
        {"intent": "update_deal", "account": "Kauri & Sons Ltd", "stage": "proposal"}]
    call, email, update = actions("called Bob at Acme, sent the quote to Maria at Globex")
    assert (email["kind"], email["contact"], update["account"]) == ("email", "Maria", "Globex")


@pytest.mark.parametrize("said", ["next week tuesday", "next week on Tuesday", "tuesday next week"])
def test_a_weekday_of_next_week_said_either_way(said):
    (task,) = actions(f"remind me {said} to call Bob")
    assert task["due"] == "2027-03-16T09:00" and task["title"] == "Call Bob"


def test_set_a_reminder_said_on_after_a_run_on_note_is_a_task_of_its_own():
    log, task = actions("just had a call with marta ruiz from banco de lima she wants a demo for "
                        "her team set a reminder to schedule it for next week tuesday")
    assert log["contact"] == task["contact"] == "marta ruiz"
    assert task["due"] == "2027-03-16T09:00"
