"""What set_i's misses showed, on new examples: requests chained onto requests or news,
several orders in one message, and names the rules misread."""

from __future__ import annotations

import datetime as dt

import pytest

from bot.nlu import actions_to_json, parse

NOW = dt.datetime(2027, 3, 10, 10, 0)  # a Wednesday


def actions(text: str) -> list[dict]:
    return actions_to_json(parse(text, now=NOW, tz="UTC"))["actions"]


def intents(text: str) -> list[str]:
    return [a["intent"] for a in actions(text)]


@pytest.mark.parametrize(("text", "want"), [
    ("hi! what's on my plate today + how's my pipeline", ["list_tasks", "pipeline_query"]),
    ("show my deals and my tasks for this week", ["list_deals", "list_tasks"]),
    ("done: QBR prep ✅ and add a task to send the deck to Mateo first thing friday",
     ["complete_task", "create_task"]),
    ("done: pricing sheet for Ines. now remind me to call her next tuesday",
     ["complete_task", "create_task"]),
    ("met Olu Adebayo at Kano Mills, he wants a summary of the SLA - draft the recap email",
     ["log_activity", "draft_email"]),
])
def test_a_request_chained_onto_another_is_read_as_its_own(text, want):
    assert intents(text) == want


def test_a_chained_order_drops_the_words_that_joined_it():
    done, task = actions("done: pricing sheet for Ines. now remind me to call her next tuesday")
    assert done["title"] == "pricing sheet for Ines"
    assert task["title"].startswith("Call") and task["due"] == "2027-03-16T09:00"


def test_there_is_the_account_named_before():
    timeline, draft = actions("show the timeline for Kauri Timber and draft a check-in email "
                              "to Aroha Ngata there")
    assert draft["contact"] == "Aroha Ngata" and draft["account"] == "Kauri Timber"


def test_a_heading_over_several_orders_is_no_order_itself():
    first, second = actions("three reminders pls: call Ama at Kumasi Foods tomorrow 11am, "
                            "send Kojo the deck friday")
    assert (first["title"], first["due"]) == ("Call Ama at Kumasi Foods", "2027-03-11T11:00")
    assert (second["contact"], second["due"]) == ("Kojo", "2027-03-12T09:00")


def test_a_second_order_with_its_own_day_after_and():
    first, second = actions("remind me thu to send Ilse the DPA and mon to book the legal call")
    assert (first["due"], second["due"]) == ("2027-03-11T09:00", "2027-03-15T09:00")
    assert second["title"] == "Book the legal call"


def test_two_voicemails_in_one_line_are_two_calls():
    one, two = actions("vm for Aino Laine (Polar Kraft) + vm for Bjørn Dahl (Nordkyst AS)")
    assert (one["contact"], two["contact"]) == ("Aino Laine", "Bjørn Dahl")
    assert one["kind"] == two["kind"] == "call"


def test_moving_a_digest_stops_it_in_one_channel_and_starts_it_in_the_other():
    assert actions("move the weekly digest from #emea to #emea-sales, mondays at 8:30") == [
        {"intent": "unsubscribe_digest", "channel": "emea", "cadence": "weekly"},
        {"intent": "subscribe_digest", "channel": "emea-sales", "cadence": "weekly",
         "time": "08:30", "weekday": "monday"}]


@pytest.mark.parametrize(("text", "account"), [
    ("Reopen the Tui Brewing deal, they're back", "Tui Brewing"),
    ("Give me a quick rundown on Sione Tupou at Pacific Haulage", "Pacific Haulage"),
])
def test_an_order_verb_that_opens_the_message_is_never_a_name(text, account):
    (said,) = actions(text)
    assert said["account"] == account


def test_a_department_that_moved_is_not_the_deal():
    log, update = actions("call with Marta Ruiz at Lumen 7 - legal pushed signing to june. "
                          "Push the close date to June 20")
    assert update["account"] == "Lumen 7" and update["close_date"] == "2027-06-20"


def test_an_arrow_before_an_order_only_separates():
    log, update = actions("met Kenta Mori @ Hokuto Denki KK, budget approved → move to proposal")
    assert log["summary"] == "budget approved"
    assert update == {"intent": "update_deal", "account": "Hokuto Denki KK", "stage": "proposal"}


def test_a_task_asked_for_by_name_is_a_task_not_a_draft():
    (task,) = actions("Please create a task for me to follow up with Lior Ben-David at Negev Water "
                      "on Friday at 10am")
    assert task["intent"] == "create_task" and task["title"].startswith("Follow up")
    assert task["due"] == "2027-03-12T10:00"


def test_make_it_a_task_is_the_cue_not_the_title():
    (task,) = actions("need to prep the Kowhai QBR deck by eod, make it a task")
    assert task == {"intent": "create_task", "title": "Prep the Kowhai QBR deck",
                    "due": "2027-03-10T17:00", "account": "Kowhai"}


@pytest.mark.parametrize(("text", "want"), [
    ("todo list for today?", {"intent": "list_tasks", "scope": "today"}),
    ("show me the deals we lost", {"intent": "list_deals", "status": "lost"}),
])
def test_lists_asked_for_in_other_words(text, want):
    assert actions(text) == [want]


def test_a_question_about_deals_won_moves_no_deal():
    (query,) = actions("deals I won this year")
    assert query["intent"] == "pipeline_query" and query["status"] == "won"


def test_update_then_the_news_of_what_changed():
    assert actions("update kumara farms, we sent the quote") == [
        {"intent": "update_deal", "account": "kumara farms", "stage": "proposal"}]


def test_a_draft_always_says_what_it_is_for():
    (draft,) = actions("Can you draft a happy-diwali check-in email to Ravi Menon at Kochi Spices?")
    assert draft["purpose"] == "happy-diwali check-in"
    (plain,) = actions("draft an email to Ana")
    assert plain["purpose"] == "follow up"


def test_a_weekday_abbreviation_inside_a_name_is_no_day():
    (log,) = actions("called Nguyễn Thu Trang at Saigon Textiles yesterday, she wants samples")
    assert log["occurred_on"] == "2027-03-09"


def test_last_night_is_yesterday():
    (log,) = actions("dinner with Aiko Tanaka of Kobe Steelworks last night; she confirmed it")
    assert log["occurred_on"] == "2027-03-09" and log["kind"] == "meeting"


def test_a_legal_forms_stop_before_a_new_sentence_ends_the_sentence():
    log, task = actions("Left a voicemail for Ana Souza at Vale Verde S.A. Remind me to try her "
                        "again Friday at 9.30am.")
    assert log["account"] == task["account"] == "Vale Verde S.A."
    assert task["due"] == "2027-03-12T09:30"


def test_to_contacts_after_a_contacts_fields_adds_no_second_contact():
    assert actions("please add Hans-Peter Vogt, Head of IT at Rheinmetall AG, to contacts") == [
        {"intent": "create_contact", "name": "Hans-Peter Vogt", "account": "Rheinmetall AG",
         "title": "Head of IT"}]


def test_a_legal_forms_stop_stays_mid_sentence():
    contact, deal = actions("Add Ana Souza (ana@valeverde.com.br) from Vale Verde S.A. and open a "
                            "deal for them: 150k")
    assert contact["account"] == deal["account"] == "Vale Verde S.A."
