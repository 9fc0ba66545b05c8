"""What set_k's misses showed, on new examples: dictated messages (punctuation and
clock times said as words, fillers), requests joined with "+", and deal titles."""

from __future__ import annotations

import datetime as dt

import pytest

from bot.nlu import actions_to_json, parse

NOW = dt.datetime(2027, 3, 10, 10, 0)  # a Wednesday


def actions(text: str) -> list[dict]:
    return actions_to_json(parse(text, now=NOW, tz="UTC"))["actions"]


@pytest.mark.parametrize(("said", "due"), [
    ("Friday at three p m", "2027-03-12T15:00"),
    ("Friday at seven thirty a m", "2027-03-12T07:30"),
    ("Friday at ten o'clock", "2027-03-12T10:00"),
    ("in ninety minutes", "2027-03-10T11:30"),
])
def test_a_time_said_in_words(said, due):
    (task,) = actions(f"remind me {said} to call Tane Walker")
    assert task["due"] == due and task["title"] == "Call Tane Walker"


def test_dictated_punctuation_splits_the_message():
    log, update = actions("log a meeting with Hemi Parata from Kauri Events on Monday we walked "
                          "the hall period put Kauri Events at proposal")
    assert (log["kind"], log["contact"], log["occurred_on"]) == ("meeting", "Hemi Parata",
                                                                 "2027-03-08")
    assert update == {"intent": "update_deal", "account": "Kauri Events", "stage": "proposal"}
    (contact,) = actions("add contact Ravi Menon comma ops head at Kochi Freight comma phone "
                         "98450 12345")
    assert (contact["title"], contact["account"]) == ("ops head", "Kochi Freight")
    (note,) = actions("note: the trial period ends on Friday for Kauri Events")
    assert note["intent"] == "log_activity"


def test_fillers_of_a_voice_memo():
    log, task = actions("okay so just did a site visit at Rangi Quarries with Aroha Rangi um "
                        "they want two loaders um send her the quote monday")
    assert (log["kind"], log["contact"], log["account"]) == ("meeting", "Aroha Rangi",
                                                              "Rangi Quarries")
    assert task["due"] == "2027-03-15T09:00"


@pytest.mark.parametrize(("text", "want"), [
    ("overdue tasks + top 5 hot leads", ["list_tasks", "hot_leads"]),
    ("my open deals? + anything overdue", ["list_deals", "list_tasks"]),
    ("done: send the loader specs. what's due today?", ["complete_task", "list_tasks"]),
    ("win rate by rep last quarter + avg deal size for Q4", ["pipeline_query", "pipeline_query"]),
    ("how much did we win in January and what's Tama's win rate this year",
     ["pipeline_query", "pipeline_query"]),
])
def test_requests_joined_by_plus_or_a_question_mark(text, want):
    assert [a["intent"] for a in actions(text)] == want


@pytest.mark.parametrize(("text", "account", "title"), [
    ("new deal Rangi Quarries crusher service contract one point two million negotiation",
     "Rangi Quarries", "crusher service contract"),
    ("new deal: Tonga Rugby Union awards dinner, 78k, lead", "Tonga Rugby Union", "awards dinner"),
    ("new deal vdm plant hire, 30t excavator rental, 96k, proposal", "vdm plant hire",
     "30t excavator rental"),
    ("create deal: The Harbour Collective – year-end party – $54,000", "The Harbour Collective",
     "year-end party"),
])
def test_a_new_deals_name_said_after_its_account(text, account, title):
    (deal,) = actions(text)
    assert (deal["account"], deal["title"]) == (account, title)
    assert deal["amount"] > 0


def test_a_new_deal_for_a_lower_case_account_with_its_amount():
    assert actions("new deal for kumara farms 40k") == [
        {"intent": "create_deal", "account": "kumara farms", "amount": 40000}]


def test_an_emoji_between_words_ends_what_was_said():
    (update,) = actions("Casa Verde Bodas lost 😞 they picked a finca in Toledo")
    assert update["status"] == "lost" and update["account"] == "Casa Verde Bodas"
    assert actions("Merry Xmas 🎄 what can u do besides reminders?") == [{"intent": "help"}]
    update, task = actions("late one: Kea Insure closed won!!! 🎉 88k. remind me in half an hour "
                           "to send them the welcome pack")
    assert (update["status"], update["amount"]) == ("won", 88000)
    assert task["title"] == "Send Kea Insure the welcome pack"


@pytest.mark.parametrize(("text", "want"), [
    ("what's on my plate this week", {"intent": "list_tasks", "scope": "week"}),
    ("whats on for today", {"intent": "list_tasks", "scope": "today"}),
    ("Rangi Quarries summary pls", {"intent": "summarize", "account": "Rangi Quarries"}),
    ("list Rangi Quarries deals", {"intent": "list_deals", "account": "Rangi Quarries"}),
    ("show me Dana's deals", {"intent": "list_deals", "owner": "Dana"}),
])
def test_short_requests(text, want):
    assert actions(text) == [want]


def test_an_ordinal_said_in_words_before_the_month():
    (task,) = actions("remind me on the second of April to send the rate card")
    assert task["due"] == "2027-04-02T09:00"


def test_a_stage_is_never_read_out_of_the_accounts_name():
    (deal,) = actions("open an opp: Al Noor Contracting L.L.C., loaders, 2.4M, in qualification")
    assert deal["stage"] == "qualified"


def test_whose_email_it_was_is_a_person():
    (log,) = actions("replied to Nguyễn Thị Lan's email re the install window")
    assert log["contact"] == "Nguyễn Thị Lan" and "account" not in log


def test_a_piece_that_asks_nothing_adds_to_the_request_before_it():
    log, draft = actions("Kenji Sato from Kobe Halls emailed asking if the Dec 3 ballroom is "
                         "free — draft a reply saying yes + offer a 48h hold")
    assert log["kind"] == "email" and draft["intent"] == "draft_email"
    assert "48h hold" in draft["purpose"]
    assert actions("who's hot right now? 🔥 top 5") == [{"intent": "hot_leads", "limit": 5}]


def test_a_site_tour_is_a_meeting():
    log, task = actions("site tour w/ Ana Ruiz (Grupo Sol Eventos) yesterday at the rooftop — "
                        "they want it for 300 pax. remind me monday to send her the floor plans")
    assert (log["kind"], log["account"], log["occurred_on"]) == ("meeting", "Grupo Sol Eventos",
                                                                 "2027-03-09")
    assert task["due"] == "2027-03-15T09:00"


@pytest.mark.parametrize(("text", "contact"), [
    ("remind me Tuesday to meet Tane at the Rangi yard", "Tane"),
    ("remind me tomorrow to wish Paora happy holidays", "Paora"),
    ("remind me to thank Ngaio for the intro", "Ngaio"),
])
def test_what_one_does_only_with_a_person(text, contact):
    (task,) = actions(text)
    assert task.get("contact") == contact and "account" not in task


def test_a_deal_and_a_contact_after_an_arrow_and_a_plus():
    deal, contact = actions("Rangi Earthworks → new opp, D6 dozer, $412k, lead. + contact Hemi "
                            "Rangi, GM, Rangi Earthworks, hemi@rangi.co.nz")
    assert (deal["account"], deal["title"], deal["amount"]) == ("Rangi Earthworks", "D6 dozer",
                                                                412000)
    assert (contact["name"], contact["title"], contact["email"]) == ("Hemi Rangi", "GM",
                                                                     "hemi@rangi.co.nz")


def test_follow_up_on_a_capitalized_weekday_after_a_run_on_note():
    log, task = actions("phoned Aoife at Brisa she wants pricing follow up Friday")
    assert log["summary"] == "she wants pricing" and task["due"] == "2027-03-12T09:00"
