"""What set_o's misses showed, on new examples."""

from __future__ import annotations

import datetime as dt

import pytest

from bot.nlu import actions_to_json, parse

NOW = dt.datetime(2027, 12, 13, 10, 0)  # a Monday; 2028 is a leap year


def actions(text: str, tz: str = "UTC") -> list[dict]:
    return actions_to_json(parse(text, now=NOW, tz=tz))["actions"]


def test_the_end_of_february_in_a_leap_year():
    (deal,) = actions("Open a new deal for Moniepoint, $95k, qualification stage, close end of Feb")
    assert deal["close_date"] == "2028-02-29"


def test_a_day_first_date_read_in_the_us_when_only_that_way_is_a_date():
    (update,) = actions("Grupo Altamira update: stage demo → proposal, close date 28/02",
                        tz="America/Mexico_City")
    assert update["close_date"] == "2028-02-28" and update["stage"] == "proposal"


def test_a_day_and_month_with_a_stop_before_a_clock_time():
    update, task = actions("Orlen Digital moved to demo. Set a reminder 13.01 at 9:00 to "
                           "prepare the demo", tz="Europe/Warsaw")
    assert task["due"] == "2028-01-13T09:00"


@pytest.mark.parametrize(("text", "account"), [
    ("Lekker meeting with Lindiwe Khumalo at Table Mountain Tours today", "Table Mountain Tours"),
    ("Summary for Kaufmann Logistik GmbH please", "Kaufmann Logistik GmbH"),
    ("Kindly draft a mail to Deepak Chaurasia (Bharat Cement) for payment follow up",
     "Bharat Cement"),
])
def test_words_that_open_a_message_are_no_names(text, account):
    assert actions(text)[0]["account"] == account


@pytest.mark.parametrize(("text", "kind"), [
    ("had a brew with Priya Raman from The Marlow Group this morning", "meeting"),
    ("got a reply from niamh at brightforge.ie — not interested til Q2", "email"),
])
def test_touches_in_other_words(text, kind):
    assert actions(text)[0]["kind"] == kind


def test_a_stage_typed_with_its_accent():
    (update,) = actions("Maison Verdier : amount goes to 95 000 €, stage négociation")
    assert (update["stage"], update["amount"]) == ("negotiation", 95000)


def test_a_figure_then_a_rate_asked_together():
    pipe, rate = actions("open pipe by stage, and our win rate last quarter")
    assert (pipe["group_by"], rate["measure"]) == ("stage", "win_rate")


def test_titles_before_a_name():
    (log,) = actions("I met with Engr. Tunde Bakare at Oyelaran & Sons Ltd this morning")
    assert (log["contact"], log["account"]) == ("Engr. Tunde Bakare", "Oyelaran & Sons Ltd")
    (contact,) = actions("pls add Ma. Cristina Santos-Reyes, Purchasing Head of Bayanihan Foods "
                         "Corp, 0917 555 0183")
    assert contact["name"] == "Ma. Cristina Santos-Reyes"


@pytest.mark.parametrize(("text", "amount"), [
    ("Allegro deal - change amount to PLN 1,2 mln", 1200000),
    ("bump route 66 to half a mil, they added 3 warehouses", 500000),
])
def test_amounts_in_other_words(text, amount):
    (update,) = actions(text)
    assert update["amount"] == amount


def test_a_reminder_whose_day_is_said_first_and_its_order_after_a_colon():
    (task,) = actions("Reminder for 4 January 2028 09:30: kick-off call with Bergmann Maschinenbau")
    assert task["title"].startswith("Kick-off call") and task["due"] == "2028-01-04T09:30"


def test_close_the_task_after_saying_it_is_done():
    assert actions("Safaricom vendor registration is done, please close the task") == [
        {"intent": "complete_task", "title": "Safaricom vendor registration"}]


@pytest.mark.parametrize(("text", "want"), [
    ("Timeline of Rahul Deshpande pls", {"intent": "show_timeline", "contact": "Rahul Deshpande"}),
    ("morning! remind me what you can do again?", {"intent": "help"}),
])
def test_requests_in_other_words(text, want):
    assert actions(text) == [want]


def test_bumped_into_is_a_meeting():
    (log,) = actions("bumped into Gazza Whitlock from Coastline Brewing Co at the footy")
    assert log["kind"] == "meeting" and log["account"] == "Coastline Brewing Co"


def test_a_close_date_with_a_stop_then_a_reminder():
    update, task = actions("Lindner Gruppe: close date 31.03. Reminder in one week to check the "
                           "budget approval", tz="Europe/Berlin")
    assert update["close_date"] == "2028-03-31" and task["due"] == "2027-12-20T09:00"


def test_a_contact_whose_company_is_the_email_domain():
    assert actions("add contact jess moreno loopwise jess@loopwise.com") == [
        {"intent": "create_contact", "name": "jess moreno", "account": "loopwise",
         "email": "jess@loopwise.com"}]


def test_pty_ltd_in_a_contacts_fields():
    contact, deal = actions("new contact Thabo Nkosi, Ops Director, Vusi Foods (Pty) Ltd, "
                            "thabo@vusifoods.co.za + new deal R650 000 for Vusi Foods")
    assert contact["account"] == "Vusi Foods (Pty) Ltd" and deal["amount"] == 650000


def test_her_as_a_possessive_keeps_the_person_named():
    (draft,) = actions("write a thank-you email to Harriet Fenwick-Clarke for her time today")
    assert draft["contact"] == "Harriet Fenwick-Clarke"


def test_a_cue_word_in_a_title_cased_message_is_still_a_cue():
    (log,) = actions("Quick Sync W Juniper Vale Re Pilot")
    assert log["intent"] == "log_activity" and log["kind"] == "meeting"
