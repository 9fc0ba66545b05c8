"""Voice notes that correct themselves and say days and hours in words, managers' questions
that ask two figures or a ranking, and people named by no word list. New examples, written
for these tests."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from bot.nlu import actions_to_json, parse

NOW = dt.datetime(2026, 10, 21, 16, 40)  # a Wednesday


def actions(text: str, tz: str = "America/Chicago") -> list[dict]:
    return actions_to_json(parse(text, now=NOW, tz=tz))["actions"]


@pytest.mark.parametrize("text, key, value", [
    # the clock time, the day, the amount and the company are said again, corrected
    ("remind me to ring Keoni Kahale at uh ten tomorrow no make it ten thirty", "due",
     "2026-10-22T10:30"),
    ("remind me tonight to redo the territory map no actually make it Friday at noon", "due",
     "2026-10-23T12:00"),
    ("new lead Prairie Wind Cooperative uh twenty thousand dollars no sorry twenty five "
     "thousand dollars", "amount", 25_000),
    ("chat with Ruth Odhiambo from Lakeview Bank no sorry Lakeshore Credit Union, they want "
     "a pilot", "account", "Lakeshore Credit Union"),
    ("schedule a check in with Orsolya Kiss for two months from now no let's say in three "
     "weeks", "due", "2026-11-11T09:00"),
])
def test_a_voice_note_that_corrects_itself_is_read_the_second_way(text, key, value):
    said = next(a for a in actions(text) if key in a)
    assert said[key] == value


@pytest.mark.parametrize("text, due", [
    ("remind me on the twenty fourth to renew the reseller agreement", "2026-10-24T09:00"),
    ("remind me on the third to chase the PO", "2026-11-03T09:00"),
    ("remind me tomorrow at two to send Tavita the floor plan", "2026-10-22T14:00"),
    ("ping Esi Mensah on Friday at eleven", "2026-10-23T11:00"),
    ("move the Harbourside close date to May nineteenth", None),
])
def test_days_and_hours_said_in_words(text, due):
    said = actions(text)[0]
    if due is None:
        assert said["close_date"] == "2027-05-19"
    else:
        assert said["due"] == due


def test_a_day_said_in_words_in_a_log_is_news_not_the_day_of_the_call():
    (call,) = actions("called Wanjiru at Tana Dairies, their board meets on the twelfth")
    assert call["occurred_on"] == "2026-10-21"


@pytest.mark.parametrize("text", ["at two of their sites they still use paper",
                                  "we are at three vendors now"])
def test_a_count_after_at_is_no_clock_time(text):
    assert all(not a.get("due") for a in actions(text))


@pytest.mark.parametrize("text, want", [
    ("Tomás's won deals this quarter: count and total",
     [("count", "won"), ("amount", "won")]),
    ("closed-won last month, amount + count?", [("amount", "won"), ("count", "won")]),
    ("win rate this year + won amount by rep", [("win_rate", None), ("amount", "won")]),
])
def test_a_question_of_two_figures_is_asked_twice(text, want):
    got = actions(text)
    assert [(a["intent"], a.get("measure"), a.get("status")) for a in got] == \
        [("pipeline_query", m, s) for m, s in want]
    assert got[0].get("period") == got[1].get("period") is not None


@pytest.mark.parametrize("text, key, value", [
    ("who closed the most deals last quarter?", "group_by", "owner"),
    ("top reps this month by won amount", "group_by", "owner"),
    ("monthly trend of lost deals this year", "group_by", "month"),
    ("largest customers in the pipeline", "group_by", "account"),
    ("what's the biggest deal we lost this year?", "limit", 1),
])
def test_rankings_and_trends(text, key, value):
    (asked,) = actions(text)
    assert asked["intent"] == "pipeline_query" and asked[key] == value


@pytest.mark.parametrize("text, intent", [
    ("brief me on Liesl Vermaak", "summarize"),
    ("left a voicemail for Thandeka", "log_activity"),
    ("timeline for Thandeka Zulu", "show_timeline"),
    ("catch me up on Rangi Whaanga before tomorrow", "summarize"),
    ("what's the history with Bartosz Wrobel", "show_timeline"),
])
def test_people_of_many_places_are_people(text, intent):
    (said,) = actions(text)
    assert said["intent"] == intent and said.get("contact") and not said.get("account")


@pytest.mark.parametrize("text", ["timeline for Kestrel Maschinenbau",
                                  "left a voicemail at Fjord Eksport",
                                  "timeline for Tejas HVAC", "summary of Rangi Quarries"])
def test_a_company_word_keeps_a_company(text):
    (said,) = actions(text)
    assert said.get("account") and not said.get("contact")


@pytest.mark.parametrize("text, due", [
    ("demo with Kofi Boateng at Accra Agro next Tuesday at 2pm, remind me an hour before",
     "2026-10-27T13:00"),
    ("Ngaio from Tasman Timber booked the site visit for Friday, set a reminder to print the "
     "layouts the day before", "2026-10-22T09:00"),
])
def test_a_reminder_counted_back_from_the_event_it_names(text, due):
    task = next(a for a in actions(text) if a["intent"] == "create_task")
    assert task["due"] == due and "before" not in task["title"]


@pytest.mark.parametrize("text, dues", [
    ("remind me tomorrow to call Bram Visser at Zeeland Agri, and Fri first thing send Femke "
     "the price list", ["2026-10-22T09:00", "2026-10-23T09:00"]),
    ("remind me Monday to send the quote to Harbour Fresh and also put a call in with Dewi on "
     "Thursday", ["2026-10-26T09:00", "2026-10-22T09:00"]),
])
def test_a_second_order_with_its_own_day_is_a_second_task(text, dues):
    assert [a["due"] for a in actions(text) if a["intent"] == "create_task"] == dues


def test_what_a_customer_asks_for_by_a_day_is_the_reps_task():
    said = actions("met Lerato Mokoena at Karoo Foods today, she said send the pricing by "
                   "Monday")
    assert [a["intent"] for a in said] == ["log_activity", "create_task"]
    assert said[1]["due"] == "2026-10-26T09:00" and said[1]["contact"] == "Lerato Mokoena"


def test_a_lost_deal_keeps_the_reason_said_after_it():
    (lost,) = actions("mark Dunmore Feeds as lost they went with a local co-op")
    assert lost["status"] == "lost" and lost["reason"] == "they went with a local co-op"


def test_a_call_after_a_missed_demo_is_a_call():
    (log,) = actions("Ilse Brandt at Harz Kliniken didn't show up for the demo so I called "
                     "and left a voicemail")
    assert log["kind"] == "call"


@pytest.mark.parametrize("text, want", [
    ("whats overdue + whats due this week", [("list_tasks", "overdue"), ("list_tasks", "week")]),
    ("what are my tasks today and do I have anything overdue?",
     [("list_tasks", "today"), ("list_tasks", "overdue")]),
])
def test_two_task_questions_in_one_message(text, want):
    assert [(a["intent"], a["scope"]) for a in actions(text)] == want


def test_a_figure_of_it_is_of_the_same_deals():
    first, second = actions("What's Farida's open pipeline and how much of it is in demo?")
    assert (second["owner"], second["status"], second["stage"]) == ("Farida", "open", "demo")
    assert first["owner"] == "Farida"


@pytest.mark.parametrize("text, amount", [
    ("call with Sipho at Umhlanga Estates, they renew for three years at four hundred and "
     "ten thousand so mark the deal as won", 410_000),
    ("Brightline Dental signed 🎉 R 1.2m a year, please mark it won", 1_200_000),
])
def test_a_won_deal_takes_the_one_amount_the_message_tells(text, amount):
    won = next(a for a in actions(text) if a["intent"] == "update_deal")
    assert won["status"] == "won" and won["amount"] == amount


def test_log_it_as_a_call_logs_what_was_told_as_that_kind():
    said = actions("Mariana Costa at Vinhos Alto asked for a call back, set a task for "
                   "tomorrow 10:00 and log it as a call")
    assert [(a["intent"], a.get("kind")) for a in said] == [("log_activity", "call"),
                                                           ("create_task", None)]
    assert said[1]["due"] == "2026-10-22T10:00"


def test_done_and_log_it_as_an_email():
    said = actions("Done - sent the rate card to Obinna. Mark that task complete and log it "
                   "as an email")
    assert [(a["intent"], a.get("kind")) for a in said] == [("log_activity", "email"),
                                                           ("complete_task", None)]


def test_an_order_in_the_middle_of_news_is_a_task():
    said = actions("spoke to Hamid at Gulfstar Clinics they need 300 gloves a week send "
                   "pricing by EOD")
    assert [a["intent"] for a in said] == ["log_activity", "create_task"]
    assert said[1]["due"] == "2026-10-21T17:00"


def test_a_reminder_asked_for_at_the_end_is_the_same_task():
    (task,) = actions("need to get the signed order form to Willowbank Vets next tuesday, "
                      "pls remind me")
    assert task["due"] == "2026-10-27T09:00"


def test_who_is_writing_is_not_whose_pipeline():
    (asked,) = actions("Heather here - how's the team's pipe looking for Q4?")
    assert asked.get("owner") is None and asked["status"] == "open"


@pytest.mark.parametrize("text", [
    "lol the coffee machine on the 3rd floor is broken again",
    "is the CRM sync down again? my contacts aren't showing up",
])
def test_office_chatter_with_no_one_in_it_is_not_logged(text):
    assert [a["intent"] for a in actions(text)] == ["unknown"]


def test_a_note_with_no_one_in_it_is_still_a_note():
    (note,) = actions("fyi: freight surcharge goes up 4% from January")
    assert note["intent"] == "log_activity" and note["kind"] == "note"


@pytest.mark.parametrize("text, due", [
    ("Meeting w Sione Taufa at Nuku'alofa Traders. They pay 40 drivers weekly. Send API docs + "
     "pricing by Tuesday", "2026-10-27T09:00"),
    ("emailed Kenji Mori @ Osaka Cold Storage the SOC 2 letter. he's out till the 24th so "
     "follow up on the 26th", "2026-10-26T09:00"),
])
def test_a_follow_up_said_after_the_news_is_a_task(text, due):
    said = actions(text)
    assert [a["intent"] for a in said] == ["log_activity", "create_task"]
    assert said[1]["due"] == due and said[1]["contact"] == said[0]["contact"]


def test_a_voice_note_without_stops_keeps_the_call_and_the_change():
    said = actions("quick update I spoke with Olena Hrytsenko at Lviv Metro Bank on the phone "
                   "she confirmed the budget is 300k change the amount")
    assert [a["intent"] for a in said] == ["log_activity", "update_deal"]
    assert said[1]["amount"] == 300_000


def test_an_email_written_to_me_is_an_email():
    (log,) = actions("Prof. Ines Albrecht (Universität Graz) wrote me an email, she wants to "
                     "move the demo to after summer")
    assert log["kind"] == "email"


@pytest.mark.parametrize("text, due", [
    ("meeting with Amaru Quispe at Andes Mining next Tuesday", "2026-10-27T09:00"),
    ("call with Bo Lindqvist at Vasa Logistik tomorrow at 10", "2026-10-22T10:00"),
])
def test_a_meeting_to_come_is_put_on_the_calendar_not_logged(text, due):
    (task,) = actions(text)
    assert task["intent"] == "create_task" and task["due"] == due


@pytest.mark.parametrize("text", [
    "coffee with Hemi Walker at Rotorua Timber this arvo, they want a quote",
    "call with Róisín at letsgo.ie, they're ready for a demo next week",
])
def test_a_meeting_held_is_still_logged(text):
    assert actions(text)[0]["intent"] == "log_activity"


def test_a_team_question_then_the_figure_it_asks():
    (asked,) = actions("how did we do in Q3? total closed won pls")
    assert (asked["measure"], asked["status"], asked.get("owner")) == ("amount", "won", None)
    assert asked["period"] == {"start": "2026-07-01", "end": "2026-09-30"}


def test_a_team_question_then_two_figures():
    got = actions("how'd we do last month? total won + win rate")
    assert [a["measure"] for a in got] == ["amount", "win_rate"]
    assert got[0]["period"] == got[1]["period"] == {"start": "2026-09-01", "end": "2026-09-30"}


def test_a_labelled_list_of_task_orders():
    said = actions("cleanup: delete the task 'call Ruapehu Farms', mark 'order sample kit' done, "
                   "and unsubscribe #central-ag from the weekly digest")
    assert [a["intent"] for a in said] == ["delete_task", "complete_task", "unsubscribe_digest"]


def test_a_task_heading_then_a_question():
    said = actions("task: close out the Q3 commission report tonight. and show me what's overdue")
    assert [(a["intent"], a.get("due")) for a in said] == [
        ("create_task", "2026-10-21T19:00"), ("list_tasks", None)]


@pytest.mark.parametrize("text, want", [
    ("switch #emea-ae from the daily digest to a weekly one, Mondays 8am",
     [("unsubscribe_digest", "emea-ae", "daily"), ("subscribe_digest", "emea-ae", "weekly")]),
    ("move the weekly digest from #sales to #sales-apac",
     [("unsubscribe_digest", "sales", "weekly"), ("subscribe_digest", "sales-apac", "weekly")]),
    ("stop the daily digest in #bdr, too noisy - send it weekly on Fridays instead",
     [("unsubscribe_digest", "bdr", "daily"), ("subscribe_digest", "bdr", "weekly")]),
    ("set up a daily digest for #bdr at 8:15 and a weekly one for #leadership fridays at 3pm",
     [("subscribe_digest", "bdr", "daily"), ("subscribe_digest", "leadership", "weekly")]),
])
def test_a_digest_changed_is_stopped_and_started(text, want):
    assert [(a["intent"], a["channel"], a["cadence"]) for a in actions(text)] == want


def test_a_company_in_brackets_is_all_the_brackets_hold():
    said = actions("call w/ Marie-Claude Gagnon (Commission scolaire des Laurentides), they "
                   "want the attendance module, create the opp in qualified")
    assert [a["account"] for a in said] == ["Commission scolaire des Laurentides"] * 2


def test_a_name_with_a_capital_beyond_latin_1_is_added():
    said = actions("add Łukasz Wiśniewski, FD at Vistula Vets Ltd, and create a £30k deal for "
                   "them")
    assert [a["intent"] for a in said] == ["create_contact", "create_deal"]
    assert said[0]["name"] == "Łukasz Wiśniewski"


@pytest.mark.parametrize("text, due", [
    ("Erin at Whistler Rentals said call her back after 3 tmrw", "2026-10-22T15:00"),
    ("remind me by 10 tomorrow to send Kariuki the delivery schedule", "2026-10-22T10:00"),
])
def test_after_and_by_an_hour(text, due):
    assert actions(text)[0]["due"] == due


@pytest.mark.parametrize("text", ["any updates on the Okanagan Orchards deal?",
                                  "what's the status with Okanagan Orchards?"])
def test_asking_for_news_of_an_account_is_a_summary(text):
    (asked,) = actions(text)
    assert (asked["intent"], asked["account"]) == ("summarize", "Okanagan Orchards")


def test_a_deal_at_risk_told_is_a_note_not_a_question():
    (note,) = actions("Coastal Mountain Fuels deal is at risk, their CFO left")
    assert (note["intent"], note["kind"], note["account"]) == (
        "log_activity", "note", "Coastal Mountain Fuels")
    (asked,) = actions("which deals are at risk?")
    assert asked["intent"] == "pipeline_query"


@pytest.mark.parametrize("text, want", [
    ("f/u w tom fri", {"intent": "create_task", "contact": "tom", "due": "2026-10-23T09:00"}),
    ("done w the apex deck", {"intent": "complete_task", "title": "apex deck"}),
    ("what's next for me today", {"intent": "list_tasks", "scope": "today"}),
])
def test_terse_lower_case_orders(text, want):
    said = actions(text)[0]
    assert {k: said.get(k) for k in want} == want


def test_set_it_up_for_a_day_is_a_task():
    said = actions("tom from apex wants a call next wk, set it up for tues 2pm")
    assert said[-1]["intent"] == "create_task" and said[-1]["due"] == "2026-10-27T14:00"


def test_a_list_of_tasks_is_due_on_the_day_its_heading_says():
    said = actions("tasks for tomorrow\n1. call Sarah at Globex\n2. send pricing to Initech\n"
                   "3. prep QBR deck")
    assert [a["due"] for a in said] == ["2026-10-22T09:00"] * 3
    assert said[2].get("contact") is None and said[2].get("account") is None


def test_a_task_about_a_person_named_before_is_at_his_company():
    said = actions("EOD update:\n- called Mark Jensen at Nordic Steel, wants revised quote\n"
                   "- Apex Foods moved to negotiation\n- remind me tmrw to send Mark the quote")
    assert (said[2]["contact"], said[2]["account"]) == ("Mark Jensen", "Nordic Steel")


def test_just_left_a_customer_is_a_visit():
    (log,) = actions("okay so I just left Fort Worth Medical Plaza talked to the facilities "
                     "director Ron Pratt he said they want a quote")
    assert (log["kind"], log["account"]) == ("meeting", "Fort Worth Medical Plaza")


def test_a_part_of_the_day_said_again():
    (task,) = actions("remind me to call Gabe Ortiz tomorrow morning no wait make it tomorrow "
                      "afternoon")
    assert task["due"] == "2026-10-22T15:00"


@pytest.mark.parametrize("text, want", [
    ("add Liam O'Connell to contacts, he's the GM at Southern Cross Freight",
     ("Liam O'Connell", "Southern Cross Freight", "GM")),
    ("Jess from Bondi Bakeries is their new buyer, add her", ("Jess", "Bondi Bakeries", "buyer")),
])
def test_a_contact_said_the_way_people_say_it(text, want):
    (added,) = actions(text)
    assert (added["name"], added["account"], added["title"]) == want


def test_deals_owned_by_a_rep_and_my_quarter():
    (listed,) = actions("list deals owned by Wei Ling")
    assert (listed["intent"], listed["owner"]) == ("list_deals", "Wei Ling")
    (asked,) = actions("how's my quarter looking")
    assert asked["owner"] == "me" and asked["period"] == {"start": "2026-10-01",
                                                          "end": "2026-12-31"}


def test_the_person_who_signed_then_the_deal_won():
    said = actions("Stefan signed! Rheinland Logistik closed won at 48k 🎉 also create a follow "
                   "up task for onboarding next Monday")
    assert [(a["intent"], a.get("account")) for a in said] == [
        ("update_deal", "Rheinland Logistik"), ("create_task", "Rheinland Logistik")]
    assert said[1]["title"] == "Follow up on onboarding"


def test_a_lower_case_name_half_seen_is_taken_and_left_to_ask_about():
    (log,) = actions("quick sync with juniper vale re pilot")
    assert (log["intent"], log["account"], log["summary"]) == ("log_activity", "juniper vale",
                                                               "quick re pilot")
    assert [a["intent"] for a in actions("quick sync with the team re pilot")] == ["unknown"]


@pytest.mark.parametrize("text, account", [
    ("history for Big Earl BBQ", "Big Earl BBQ"),
    ("draft an email to Mateo at Great Lakes HVAC to book the demo", "Great Lakes HVAC"),
    ("call with Rory at Halton District School Board today", "Halton District School Board"),
])
def test_a_company_name_keeps_its_first_and_last_words(text, account):
    assert actions(text)[0]["account"] == account


@pytest.mark.parametrize("text, kind, change", [
    ("coffee with Ingrid Solberg from Fjordline today she said the budget got pushed to next "
     "year so push the close date to end of March", "meeting", {"close_date": "2027-03-31"}),
    ("called Tomasz from Vistula Labs he says they're restarting the project so reopen the deal",
     "call", {"status": "open"}),
    ("had a demo at Kessler Foods with Dana Ruiz they loved it but money only comes in May so "
     "change the close date to May 31", "meeting", {"close_date": "2027-05-31"}),
    ("call with Ravi Menon at Orbitel he can only do 40k this year so update the deal amount "
     "to 45k", "call", {"amount": 45_000}),
])
def test_a_run_on_note_then_so_a_change_is_both_the_meeting_and_the_change(text, kind, change):
    """Said without a stop: the news is what the meeting told, the order after "so" the
    change; neither is lost to the other."""
    log, update = actions(text)
    assert log["intent"] == "log_activity" and log["kind"] == kind and log["contact"]
    assert update["intent"] == "update_deal" and update["account"] == log["account"]
    assert {key: update.get(key) for key in change} == change
    assert "stage" not in update  # "had a demo" told the meeting, it moves no stage


@pytest.mark.parametrize("text, contact, account", [
    ("note for Harbor View Dental Priya says they're adding a second clinic in June",
     "Priya", "Harbor View Dental"),
    ("quick one on Northgate Foods Kwame said they want the pricing by friday",
     "Kwame", "Northgate Foods"),
    # a person's own three names stay one person's
    ("Vu Thanh Hai emailed - they want to revisit", "Vu Thanh Hai", None),
])
def test_a_given_name_said_after_a_company_then_what_they_said_is_the_person(
        text, contact, account):
    (log,) = actions(text)
    assert (log["contact"], log.get("account")) == (contact, account)


@pytest.mark.parametrize("text, account", [
    ("remind me to renew the Harbor Family Clinic policy end of month", "Harbor Family Clinic"),
    ("remind me to update the Tamsin Foods offer tonight", "Tamsin Foods"),
    ("task: send the Norvik Marine pricing friday", "Norvik Marine"),
])
def test_the_company_whose_thing_a_task_names_is_the_tasks_account(text, account):
    (task,) = actions(text)
    assert task["intent"] == "create_task" and task["account"] == account


def test_a_demo_done_at_a_customer_is_a_meeting_not_a_task_done():
    log, update = actions("did the demo of the forklifts at Tamsin Foods today, went great, "
                          "move to proposal")
    assert (log["intent"], log["kind"], log["account"]) == ("log_activity", "meeting",
                                                            "Tamsin Foods")
    assert log["summary"].startswith("demo of the forklifts")  # the note keeps what was done
    assert (update["intent"], update["stage"]) == ("update_deal", "proposal")
    (done,) = actions("did the demo booking task")
    assert (done["intent"], done["title"]) == ("complete_task", "demo booking")


def test_a_task_said_done_is_never_deleted_on_the_classifiers_guess():
    (done,) = actions("did the pricing sheet task")
    assert (done["intent"], done["title"]) == ("complete_task", "pricing sheet")
    (gone,) = actions("scrap the pricing sheet task")
    assert gone["intent"] == "delete_task"


@pytest.mark.parametrize("text, due", [
    ("called Dana Whitfield at Brightline Labs went to voicemail left a message about the "
     "renewal try her again Monday", "2026-10-26T09:00"),
    ("called Okonkwo Foods main line asked for Emeka got his voicemail again try him again "
     "Thursday", "2026-10-22T09:00"),
])
def test_try_again_on_a_day_after_a_voicemail_is_a_task(text, due):
    log, task = actions(text)
    assert log["intent"] == "log_activity" and log["kind"] == "call"
    assert (task["title"], task["due"]) == (f"Call {log['contact']} again", due)
    assert log["occurred_on"] == "2026-10-21"  # the Monday to come is no day it happened


def test_try_again_that_someone_said_is_what_they_said():
    (log,) = actions("called Yusuf Bello at Zaria Grains, he's travelling, said try him again "
                     "next month")
    assert log["intent"] == "log_activity"


@pytest.mark.parametrize("text, day", [
    ("had coffee with Lena Brandt, CFO at Nordwerk, on monday. warm, wants a demo",
     "2026-10-19"),
    ("Log email: sent pricing deck to Lerato Dube at Jozi Fresh on Tuesday", "2026-10-20"),
    # a day ahead in what was said is no day it happened
    ("call with Lena Brandt at Nordwerk, she wants a demo on Friday", "2026-10-21"),
])
def test_the_day_a_log_happened_said_in_a_later_clause(text, day):
    (log,) = actions(text)
    assert log["occurred_on"] == day


@pytest.mark.parametrize("text, amount", [
    ("Norvik deal amount 120k → 135k after adding support", 135_000),
    ("Kessler deal went up from 40k to 55k", 55_000),
    ("Tamsin Foods deal went up from 2 lakh to 3 lakh", 300_000),
])
def test_an_amount_changed_from_one_to_another_is_the_new_one(text, amount):
    (update,) = actions(text)
    assert (update["intent"], update["amount"]) == ("update_deal", amount)


def test_a_range_said_for_a_new_deal_is_not_a_change():
    (deal,) = actions("new deal Tamsin Foods 40k to 55k depending on scope")
    assert deal["amount"] == 40_000


@pytest.mark.parametrize("text, title", [
    ("create contact Dana Ruiz, Kessler Foods, lab supervisor, dana@kessler.com",
     "lab supervisor"),
    ("new contact Ahmed Saleh, gérant, Gulf Cargo", "gérant"),
    ("add contact Mei Tan, Orchid Labs, research scientist", "research scientist"),
])
def test_more_jobs_are_titles(text, title):
    (contact,) = actions(text)
    assert contact["title"] == title


@pytest.mark.parametrize("text, due", [
    ("remind me tomorrow at 7:30 in the morning to drop off the forms for Becky",
     "2026-10-22T07:30"),
    ("remind me tonight at nine thirty to email the specs to Ravi", "2026-10-21T21:30"),
    ("remind me at 6 in the evening to call Ravi", "2026-10-21T18:00"),
    ("remind me tomorrow at 8 in the morning to call Ravi", "2026-10-22T08:00"),
    ("remind me at 9 tonight to call Ravi", "2026-10-21T21:00"),
    ("remind me tomorrow morning at 10 to call Ravi", "2026-10-22T10:00"),
    ("remind me tomorrow at 14:30 this afternoon to call Ravi", "2026-10-22T14:30"),
])
def test_a_clock_said_with_its_half_of_the_day(text, due):
    (task,) = actions(text)
    assert task["due"] == due
    assert not re.search(r"\b(?:at \d|in the|morning|evening|tonight)\b", task["title"], re.I)


@pytest.mark.parametrize("text", [
    "can you book me a motel near the airport for friday",
    "could you book the small conference room for 3pm tomorrow",
    "book the team a table at Nando's for Friday",
])
def test_a_booking_the_bot_cannot_make_is_not_filed_as_a_task(text):
    (said,) = actions(text)
    assert said["intent"] == "unknown"


def test_a_reminder_to_book_it_is_a_task():
    (task,) = actions("remind me to book the small conference room for friday")
    assert task["intent"] == "create_task"


def test_a_meeting_moved_is_the_reason_not_a_meeting_held():
    (update,) = actions("push Tamsin Foods close date to 30 June, their board meeting moved")
    assert (update["intent"], update["close_date"]) == ("update_deal", "2027-06-30")


def test_a_call_and_an_email_after_it_are_two_logs():
    call, email = actions("called Dana Ruiz at Kessler Foods and emailed her the spec sheets "
                          "right after")
    assert (call["kind"], email["kind"]) == ("call", "email")
    assert call["contact"] == email["contact"] == "Dana Ruiz"
    (one,) = actions("called Dana Ruiz at Kessler Foods and talked to her about the pilot")
    assert one["kind"] == "call"


@pytest.mark.parametrize("text, account", [
    ("new opp Maple Grove Home Care $120k ARR qualified, target close end of Q1",
     "Maple Grove Home Care"),
    ("new opportunity Eastside Community Health, 2 clinics furniture package approx 150k, lead",
     "Eastside Community Health"),
])
def test_a_new_deals_company_ends_where_its_name_does(text, account):
    (deal,) = actions(text)
    assert (deal["intent"], deal["account"]) == ("create_deal", account)


@pytest.mark.parametrize("text, account", [
    ("list all interactions we had with Carrow Industrial, in chronological order",
     "Carrow Industrial"),
    ("all activities with Palm Crest Developments pls", "Palm Crest Developments"),
])
def test_a_timeline_of_a_company_is_the_accounts(text, account):
    (timeline,) = actions(text)
    assert (timeline["intent"], timeline.get("account"), timeline.get("contact")) == (
        "show_timeline", account, None)


def test_a_managers_list_of_figures_is_a_question_each_and_asks_for_no_ones_own():
    by_owner, win_rate, top = actions("For Friday's review I need: pipeline by owner, the win "
                                      "rate for last quarter, and the top 3 deals closing in "
                                      "October")
    assert (by_owner["group_by"], by_owner.get("owner")) == ("owner", None)
    assert (win_rate["measure"], win_rate["period"]) == (
        "win_rate", {"start": "2026-07-01", "end": "2026-09-30"})
    assert (top["limit"], top["period"]["start"]) == (3, "2026-10-01")
    (mine,) = actions("how much did I close this month")
    assert mine["owner"] == "me"


def test_next_step_with_a_day_is_a_task():
    said = actions("met Ines at Corticeira do Sado yesterday, went well. next step: tech demo "
                   "friday 3pm")
    assert [(a["intent"], a.get("title"), a.get("due")) for a in said] == [
        ("log_activity", None, None), ("create_task", "Tech demo", "2026-10-23T15:00")]


def test_a_second_question_asks_about_the_same_deals():
    said = actions("how many deals do we have in negotiation right now? and what's the total "
                   "value?")
    assert [(a["measure"], a.get("stage")) for a in said] == [
        ("count", "negotiation"), ("amount", "negotiation")]


def test_a_call_ordered_then_told_unanswered_was_made():
    said = actions("call Pilar Sanz / Cartonajes Levante - no answer, left vm. retry tuesday")
    assert [a["intent"] for a in said] == ["log_activity", "create_task"]
    assert said[0]["kind"] == "call" and said[1]["due"] == "2026-10-27T09:00"


@pytest.mark.parametrize("text, key, value", [
    ("add a contact Lucía Navarro at Everglades Distribution. Email is lucia@everglades-dist.com"
     ", no sorry, it's lnavarro@everglades-dist.com", "email", "lnavarro@everglades-dist.com"),
    ("add contact Tomás Herrera at Envases Rosario, cell 11 5555 2398, no, sorry, "
     "11 5555 2389", "phone", "11 5555 2389"),
    ("so last Tuesday, no, it was Wednesday, I had coffee with Miguel Sousa from Vidreira",
     "occurred_on", "2026-10-14"),
])
def test_an_address_a_number_and_a_day_taken_back(text, key, value):
    assert next(a for a in actions(text) if key in a)[key] == value


def test_a_day_said_alone_after_what_must_be_done_is_its_day():
    said = actions("just got off the phone with Seb at Transport Lachance, they want to test "
                   "first. I need to send him the pilot proposal, friday.")
    assert [(a["intent"], a.get("occurred_on"), a.get("due")) for a in said] == [
        ("log_activity", "2026-10-21", None), ("create_task", None, "2026-10-23T09:00")]


def test_their_own_meeting_is_no_meeting_of_ours():
    said = actions("called Carlos at Sunshine Freight, ready to sign. Follow up tomorrow at 11, "
                   "he has a board meeting at ten.")
    assert [a["intent"] for a in said] == ["log_activity", "create_task"]


def test_sun_opens_a_company_name():
    assert actions("called Pieter van Wyk from Sun International")[0]["account"] == \
        "Sun International"


def test_call_it_before_an_amount_is_no_call():
    said = actions("just left Brookfield Properties with Dave Kowalski, they want a quote on two "
                   "rooftop units, uh call it forty two k, follow up Thursday")
    assert [a["intent"] for a in said] == ["log_activity", "create_task"]


def test_an_address_spelled_out_without_the_word_email():
    said = actions("met Thabo Mokoena at Redefine Properties, also add him as a contact, thabo at "
                   "redefine dot co dot za")
    assert next(a for a in said if a["intent"] == "create_contact")["email"] == \
        "thabo@redefine.co.za"


@pytest.mark.parametrize("text, intents", [
    ("meeting with Pedro Saraiva (Vinhos Saraiva) — qualified, has budget and decides by March",
     ["log_activity", "update_deal"]),
    ("call with Alessandro Galli from Agricola Galli, deal slips: close end of march instead of "
     "January", ["log_activity", "update_deal"]),
    ("remind me tomorrow at 9 to call Olivier Marchand, and thursday to prep the demo",
     ["create_task", "create_task"]),
    ("coffee w/ Hugo Thibodeau (Les Viandes Thibodeau), not in a hurry, revisit in 3 weeks",
     ["log_activity", "create_task"]),
    ("on Tuesday I was at the Hermanos Garrido farm for the demo, very happy", ["log_activity"]),
    ("the call to Stéphane Morin is done ✔️", ["complete_task"]),
])
def test_news_and_orders_after_a_meeting_said_shortly(text, intents):
    assert [a["intent"] for a in actions(text)] == intents


def test_a_name_taken_back_after_actually():
    said = actions("so uh note on Bayside Bagels, actually scratch that it's Bayridge Bagels, "
                   "the owner wants a demo")
    assert said[0]["account"] == "Bayridge Bagels"


@pytest.mark.parametrize("text, intents", [
    ("log a call with bronwyn kerr she said they'll decide then remind me friday to call her",
     ["log_activity", "create_task"]),
    ("did the onsite demo for Jen Kowalski at Great Plains Grocery Delivery. went ok",
     ["log_activity"]),
    ("email in from Jen Kowalski (Great Plains Grocery Delivery): they got the report. ping her "
     "thursday 2pm", ["log_activity", "create_task"]),
    ("met Renee at Hudson Valley Health Partners, adding a 250k deal at qualified",
     ["log_activity", "create_deal"]),
    ("called tammy back, she said the board wants replace only", ["log_activity"]),
    ("lunch with Brody from Prairie Cold Storage, timeline's the fall", ["log_activity"]),
    ("update Jolene's phone number to 303-555-0112", ["unknown"]),
])
def test_more_ways_a_rep_tells_and_asks(text, intents):
    assert [a["intent"] for a in actions(text)] == intents


@pytest.mark.parametrize("text, key, value", [
    ("Lakeshore Property Group - create deal, RTU replacement, one twenty five k, qualified",
     "amount", 125_000),  # hundreds said as a pair
    ("remind me new years eve at noon to send Ashley the redlines", "due", "2026-12-31T12:00"),
    ("2 days back I had a call with Meenakshi Sundaram of Chennai Express Logistics",
     "occurred_on", "2026-10-19"),
    ("rappelle-moi le 1er novembre à midi to confirm delivery", "due", "2026-11-01T12:00"),
    ("schedule for Friday at 10 the visit to Estancia Don Roberto", "due", "2026-10-23T10:00"),
    ("avg size of won deals this yr?", "period", {"start": "2026-01-01", "end": "2026-12-31"}),
])
def test_amounts_days_and_clocks_said_loosely(text, key, value):
    assert next(a for a in actions(text) if key in a)[key] == value


def test_the_next_30_days_is_a_period_not_30_quiet_days():
    asked = actions("top 3 deals closing in the next 30 days?")[0]
    assert asked["period"] == {"start": "2026-10-21", "end": "2026-11-19"} and \
        "quiet_days" not in asked
