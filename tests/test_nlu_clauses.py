"""The rules engine on classes of messages a sixth blind writer showed it missing: several
actions in one message, deal updates said loosely, requests phrased casually, activity
kinds and notes, and dates relative to the moment asked. Examples are new, not the
blind set's."""

from __future__ import annotations

import datetime as dt

import pytest

from bot.nlu import actions_to_json, parse

NOW = dt.datetime(2026, 11, 18, 10, 0)  # a Wednesday


def run(text: str, now: dt.datetime = NOW, tz: str = "America/New_York") -> list[dict]:
    return actions_to_json(parse(text, now=now, tz=tz))["actions"]


def subset(got: dict, want: dict) -> bool:
    return all(got.get(k) == v for k, v in want.items())


def intents(actions: list[dict]) -> list[str]:
    return [a["intent"] for a in actions]


# ---- requests phrased casually --------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "want"),
    [
        ("tl;dr on Ravi Menon @ Kestrel Freight?", {"contact": "Ravi Menon",
                                                    "account": "Kestrel Freight"}),
        ("tldr Harborview Dental", {"account": "Harborview Dental"}),
        ("tl;dr for Quillfeather Press pls", {"account": "Quillfeather Press"}),
    ],
)
def test_tldr_asks_for_a_summary(text: str, want: dict) -> None:
    (action,) = run(text)
    assert action["intent"] == "summarize" and subset(action, want), action


@pytest.mark.parametrize(
    ("text", "want"),
    [
        ("can u write a congrats email to Thibault on the launch",
         {"contact": "Thibault"}),
        ("could u draft a welcome aboard email to Ingrid Solberg at Fjellvann AS",
         {"contact": "Ingrid Solberg", "account": "Fjellvann AS", "purpose": "welcome aboard"}),
        ("draft a post-conference follow-up check-in email to Rahim Chowdhury",
         {"contact": "Rahim Chowdhury"}),
    ],
)
def test_casual_draft_requests_are_drafts_with_a_purpose(text: str, want: dict) -> None:
    (action,) = run(text)
    assert action["intent"] == "draft_email", action
    assert subset(action, want), action
    assert action.get("purpose"), action


# ---- dates relative to the moment asked -------------------------------------------------


def test_a_clock_time_said_at_that_very_minute_is_today() -> None:
    (task,) = run("remind me at 3pm to ring Odile", now=dt.datetime(2026, 11, 18, 15, 0))
    assert task["due"] == "2026-11-18T15:00"
    (later,) = run("remind me at 3pm to ring Odile", now=dt.datetime(2026, 11, 18, 15, 1))
    assert later["due"] == "2026-11-19T15:00"


@pytest.mark.parametrize(
    ("text", "now", "period"),
    [
        # asked in Q1: the Q3/Q4 meant is last year's, the most recent one
        ("average deal size Q3?", dt.datetime(2027, 2, 3, 9), ("2026-07-01", "2026-09-30")),
        ("avg size of deals in q4", dt.datetime(2027, 1, 20, 9), ("2026-10-01", "2026-12-31")),
        # asked inside the quarter: this one
        ("avg deal size Q4", dt.datetime(2026, 11, 18, 9), ("2026-10-01", "2026-12-31")),
    ],
)
def test_average_size_in_a_quarter_is_the_most_recent_one(text, now, period) -> None:
    (query,) = run(text, now=now)
    assert query["measure"] == "avg_amount"
    assert (query["period"]["start"], query["period"]["end"]) == period


def test_average_size_of_open_deals_is_a_question() -> None:
    (query,) = run("what's the avg value of our open deals")
    assert subset(query, {"intent": "pipeline_query", "measure": "avg_amount",
                          "status": "open"}), query


# ---- several actions in one message ------------------------------------------------------


def test_two_orders_in_one_reminder_are_two_tasks() -> None:
    first, second = run("remind me to call Bartek Zieliński monday at 2pm and also to mail "
                        "Oona the pricing sheet thursday")
    assert subset(first, {"intent": "create_task", "due": "2026-11-23T14:00",
                          "contact": "Bartek Zieliński"}), first
    assert subset(second, {"intent": "create_task", "due": "2026-11-19T09:00"}), second


def test_one_order_with_two_steps_stays_one_task() -> None:
    (task,) = run("remind me to call Oona and ask about the pricing sheet thursday")
    assert task["intent"] == "create_task"


def test_two_activities_with_different_people_are_two_logs() -> None:
    first, second = run("log: emailed Kwame Mensah the SOW, met Isolde Brandt at Rheinwerk "
                        "Logistik about the rollout")
    assert subset(first, {"intent": "log_activity", "kind": "email",
                          "contact": "Kwame Mensah"}), first
    assert subset(second, {"intent": "log_activity", "kind": "meeting",
                           "contact": "Isolde Brandt", "account": "Rheinwerk Logistik"}), second


def test_a_move_and_a_follow_up_said_after_the_news() -> None:
    log, update, task = run("coffee w/ Imogen Hart at Tallis Audio, legal signed off 🙌 move to "
                            "proposal and f/u monday")
    assert subset(log, {"intent": "log_activity", "kind": "meeting"}) and log.get("summary")
    assert subset(update, {"intent": "update_deal", "account": "Tallis Audio",
                           "stage": "proposal"}), update
    assert "close_date" not in update  # "f/u monday" is the follow-up's day, not the close
    assert subset(task, {"intent": "create_task", "due": "2026-11-23T09:00",
                         "contact": "Imogen Hart"}), task


def test_a_bare_reminder_cue_takes_the_next_clauses() -> None:
    (task,) = run("reminder: order the demo kit for the Vantor Labs workshop, friday 4pm")
    assert subset(task, {"intent": "create_task", "due": "2026-11-20T16:00"}), task


# ---- activity kinds and notes ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "contact"),
    [
        ("3rd vm for Dragan Petrović this month, still nothing", "Dragan Petrović"),
        ("voicemail for Annika Berg", "Annika Berg"),
        ("left a vm for Tobias Klein at Hanse Druck", "Tobias Klein"),
    ],
)
def test_a_voicemail_is_a_call_with_a_note(text: str, contact: str) -> None:
    (log,) = run(text)
    assert subset(log, {"kind": "call", "contact": contact}), log
    assert "voicemail" in log["summary"], log


def test_a_voicemail_then_try_again_is_a_call_and_a_task() -> None:
    log, task = run("vm for Annika Berg at Lumen Optik, try again tomorrow 9:30")
    assert subset(log, {"intent": "log_activity", "kind": "call"}), log
    assert subset(task, {"intent": "create_task", "due": "2026-11-19T09:30",
                         "contact": "Annika Berg"}), task
    assert "Annika Berg" in task["title"]


def test_a_call_recap_with_bullets_is_a_call() -> None:
    (log,) = run("*Call recap* — Femi Adeyemi, Okoro Foods\n• wants 40 licences\n"
                 "• pilot in March")
    assert subset(log, {"kind": "call", "contact": "Femi Adeyemi"}), log
    assert "licences" in log["summary"] and "Okoro" not in log["summary"], log


# ---- deal updates said loosely ---------------------------------------------------------------


def test_update_account_then_the_new_values() -> None:
    (update,) = run("update Halvorsen Marine: proposal, 75k, close March 15")
    assert subset(update, {"intent": "update_deal", "account": "Halvorsen Marine",
                           "stage": "proposal", "amount": 75000,
                           "close_date": "2027-03-15"}), update


def test_update_as_an_order_without_values_is_still_a_task() -> None:
    (task,) = run("update the onboarding checklist friday")
    assert task["intent"] == "create_task"


# ---- a request chained onto another request or onto news ------------------------------------


def test_done_then_a_new_reminder() -> None:
    done, task = run("done: book the venue for the Lisbon offsite. also remind me to order "
                     "badges thursday")
    assert subset(done, {"intent": "complete_task"}) and "venue" in done["title"], done
    assert "remind" not in done["title"]
    assert subset(task, {"intent": "create_task", "due": "2026-11-19T09:00"}), task


def test_stop_one_digest_and_start_another_in_the_same_channel() -> None:
    stop, start = run("unsub #emea-deals from the weekly digest and post a daily one there "
                      "at 7:30am")
    assert subset(stop, {"intent": "unsubscribe_digest", "channel": "emea-deals",
                         "cadence": "weekly"}), stop
    assert subset(start, {"intent": "subscribe_digest", "channel": "emea-deals",
                          "cadence": "daily", "time": "07:30"}), start


def test_news_a_reminder_and_a_draft_to_the_person_just_met() -> None:
    log, task, draft = run("met Lucía Ferreyra at Pampa Agro, she wants references. remind me "
                           "to send them friday and draft an email to her with two customer "
                           "references")
    assert subset(log, {"intent": "log_activity", "contact": "Lucía Ferreyra",
                        "account": "Pampa Agro"}), log
    assert subset(task, {"intent": "create_task", "due": "2026-11-20T09:00",
                         "contact": "Lucía Ferreyra"}), task
    assert "references" in task["title"]
    assert subset(draft, {"intent": "draft_email", "contact": "Lucía Ferreyra",
                          "account": "Pampa Agro"}), draft
    assert draft.get("purpose")


def test_a_reminder_to_draft_is_one_task() -> None:
    (task,) = run("remind me to draft an email to Lucía Ferreyra friday")
    assert task["intent"] == "create_task"


def test_one_change_said_of_several_deals_is_one_update_each() -> None:
    first, second = run("Kaluga Timber and Brightmoor Ales both moved to demo")
    assert subset(first, {"intent": "update_deal", "account": "Kaluga Timber",
                          "stage": "demo"}), first
    assert subset(second, {"intent": "update_deal", "account": "Brightmoor Ales",
                           "stage": "demo"}), second
    three = run("tessaly, norvik and quorra all slipped to Q3")
    assert [a.get("account") for a in three] == ["tessaly", "norvik", "quorra"]
    assert {a["close_date"] for a in three} == {"2027-09-30"}


def test_a_quote_sent_to_nobody_with_an_update_asked_is_only_the_update() -> None:
    (update,) = run("Veldhoven BV: we sent over the quote, update the deal pls")
    assert subset(update, {"intent": "update_deal", "account": "Veldhoven BV",
                           "stage": "proposal"}), update


def test_a_quote_sent_to_someone_is_still_logged() -> None:
    log, update = run("sent the quote to Marit Olsen at Veldhoven BV, update the stage")
    assert subset(log, {"intent": "log_activity", "kind": "email", "contact": "Marit Olsen"})
    assert subset(update, {"intent": "update_deal", "stage": "proposal"}), update


@pytest.mark.parametrize(
    ("text", "want"),
    [
        ("create deal for Harrow & Pike Ltd, cold-chain pilot, $62,000, close June 30",
         {"account": "Harrow & Pike Ltd", "title": "cold-chain pilot", "amount": 62000,
          "close_date": "2027-06-30"}),
        ("new deal: Ostara Biotech, lab automation, 90k, lead",
         {"account": "Ostara Biotech", "title": "lab automation", "amount": 90000,
          "stage": "lead"}),
        ("new opp: Ostara Biotech, 1.1M, lead", {"amount": 1100000, "stage": "lead"}),
    ],
)
def test_a_new_deal_said_field_by_field(text: str, want: dict) -> None:
    (deal,) = run(text)
    assert deal["intent"] == "create_deal" and subset(deal, want), deal


def test_a_new_deal_with_a_note_gets_no_title_from_it() -> None:
    (deal,) = run("new deal w/ Ostara Biotech, 40k, they want a pilot first")
    assert "title" not in deal, deal


def test_a_deal_named_by_account_and_title_keeps_both() -> None:
    (update,) = run("move the Ostara lab automation deal to proposal")
    assert subset(update, {"account": "Ostara lab automation", "stage": "proposal"}), update
    (plain,) = run("move the Ostara deal to proposal")
    assert plain["account"] == "Ostara"


def test_a_meeting_with_only_deal_news_is_noted_with_the_news() -> None:
    log, update = run("met Idris Bello at Sahel Solar, deal is now 220k and slipping to "
                      "end of March")
    assert log["kind"] == "meeting" and "220k" in log["summary"], log
    assert subset(update, {"amount": 220000, "close_date": "2027-03-31"}), update


# ---- contacts --------------------------------------------------------------------------------


def test_a_contact_yet_to_be_named_is_news_not_a_contact() -> None:
    actions = run("fyi: Odile Marchand left Verrerie Lumière, new contact there tbd")
    assert intents(actions) == ["log_activity"], actions


def test_a_contact_met_then_the_meeting_is_about_them() -> None:
    contact, log = run("met a new contact today: Tomasz Wrona, CTO at Baltic Cargo, "
                       "t.wrona@balticcargo.pl - lunch, keen on the tracking API")
    assert subset(contact, {"intent": "create_contact", "name": "Tomasz Wrona",
                            "account": "Baltic Cargo"}), contact
    assert subset(log, {"intent": "log_activity", "kind": "meeting", "contact": "Tomasz Wrona",
                        "account": "Baltic Cargo"}), log


def test_a_task_about_myself_is_about_the_contact_just_added() -> None:
    _, task = run("add contact Priya Raman, VP Ops, Kestrel Freight and remind me to introduce "
                  "myself friday")
    assert task.get("contact") == "Priya Raman", task


# ---- more of the same classes, seen in the older frozen sets ---------------------------------


def test_an_account_said_before_the_activity() -> None:
    (log,) = run("Marrow & Finch - met Juno Reyes on Monday re: the loyalty app")
    assert subset(log, {"kind": "meeting", "contact": "Juno Reyes", "account": "Marrow & Finch",
                        "occurred_on": "2026-11-16"}), log


def test_email_sent_is_a_logged_email_not_an_order() -> None:
    (log,) = run("Quorra Labs: email sent to Ines Duarte with the onboarding plan")
    assert subset(log, {"intent": "log_activity", "kind": "email", "contact": "Ines Duarte"}), log


def test_a_phone_emoji_is_a_call() -> None:
    (log,) = run("📞 Ines Duarte, wants the onboarding plan")
    assert log["kind"] == "call", log


def test_one_deals_slip_with_a_new_date_is_an_update() -> None:
    (update,) = run("Marrow & Finch deal slipped, new close date January 9")
    assert subset(update, {"intent": "update_deal", "close_date": "2027-01-09"}), update
    (question,) = run("which deals slipped this month?")
    assert question["intent"] == "pipeline_query"


def test_a_new_contact_told_in_a_note_is_news() -> None:
    actions = run("fyi: new finance contact at Quorra Labs is Ines Duarte")
    assert intents(actions) == ["log_activity"], actions


@pytest.mark.parametrize(
    ("text", "want"),
    [
        ("top 5 deals closing this quarter", 5),
        ("biggest 3 deals in the pipe", 3),
    ],
)
def test_the_number_of_top_deals_either_side(text: str, want: int) -> None:
    (query,) = run(text)
    assert query.get("limit") == want, query


def test_every_task_is_the_whole_list() -> None:
    (action,) = run("can you list every reminder I have?")
    assert subset(action, {"intent": "list_tasks", "scope": "all"}), action


@pytest.mark.parametrize(
    ("text", "due"),
    [
        ("remind me january twenty-second to renew the Quorra licence", "2027-01-22T09:00"),
        ("remind me on december third to call Ines", "2026-12-03T09:00"),
    ],
)
def test_days_said_in_words(text: str, due: str) -> None:
    (task,) = run(text)
    assert task["due"] == due, task


def test_an_ordinal_of_something_else_is_no_date() -> None:
    (log,) = run("called Ines Duarte, she asked about a discount for the 3rd year")
    assert log["occurred_on"] == "2026-11-18", log
    (task,) = run("remind me to call Ines on the 3rd")
    assert task["due"] == "2026-12-03T09:00"


def test_also_a_second_order_without_a_day_takes_the_first_ones() -> None:
    first, second = run("remind me friday at 3pm to chase legal and also ping Oksana about "
                        "the NDA")
    assert first["due"] == second["due"] == "2026-11-20T15:00"
    assert "Oksana" in second["title"] and "Oksana" not in first["title"]


def test_a_notes_header_in_markup_leaves_no_junk_in_the_note() -> None:
    (log,) = run("*Meeting notes* — Kofi Boateng, Accra Mills • wants 3 sites • decision in Feb")
    assert log["kind"] == "meeting" and log["summary"].startswith("wants 3 sites"), log


def test_a_dated_order_after_a_deal_change_is_a_task() -> None:
    update, task = run("Accra Mills: bump to 60k and book the kickoff for monday")
    assert subset(update, {"intent": "update_deal", "amount": 60000}), update
    assert "close_date" not in update
    assert subset(task, {"intent": "create_task", "due": "2026-11-23T09:00"}), task


def test_update_me_on_asks_for_a_summary() -> None:
    (action,) = run("update me on Accra Mills")
    assert subset(action, {"intent": "summarize", "account": "Accra Mills"}), action


def test_a_stage_said_alone_in_a_new_deal_is_its_stage_not_a_meeting() -> None:
    (deal,) = run("create opp Brightwater Labs, data migration, 120k, demo")
    assert subset(deal, {"intent": "create_deal", "stage": "demo", "amount": 120000}), deal


@pytest.mark.parametrize(
    ("text", "contact"),
    [
        ("call notes: Joao Silva, Brightwater Labs - wants SSO, pricing by Friday", "Joao Silva"),
        ("tried Joao Silva, no answer", "Joao Silva"),
        ("tried calling Joao at Brightwater twice today", "Joao"),
    ],
)
def test_call_notes_and_attempts_are_calls(text: str, contact: str) -> None:
    (log,) = run(text)
    assert subset(log, {"intent": "log_activity", "kind": "call", "contact": contact}), log


def test_trying_a_thing_is_no_call() -> None:
    assert intents(run("tried the new dashboard, looks great")) != ["log_activity"]


def test_two_activities_joined_by_and() -> None:
    first, second = run("emailed Joao the SOW and called Priya Nair at Kestrel about renewal")
    assert subset(first, {"kind": "email", "contact": "Joao"}), first
    assert subset(second, {"kind": "call", "contact": "Priya Nair", "account": "Kestrel"}), second


def test_one_activity_with_two_people_stays_one() -> None:
    (log,) = run("called Joao and Priya at Kestrel, they want the deck")
    assert log["kind"] == "call"


def test_start_a_digest_and_stop_another() -> None:
    start, stop = run("send a weekly digest to #emea on fridays at 4pm and stop the daily one")
    assert subset(start, {"intent": "subscribe_digest", "channel": "emea", "cadence": "weekly",
                          "weekday": "friday", "time": "16:00"}), start
    assert subset(stop, {"intent": "unsubscribe_digest", "channel": "emea",
                         "cadence": "daily"}), stop


def test_summarize_then_draft() -> None:
    summary, draft = run("summarize Kestrel then draft an email to Priya about renewal")
    assert summary["intent"] == "summarize" and draft["intent"] == "draft_email"


def test_a_second_order_with_its_day_said_first() -> None:
    first, second = run("remind me tomorrow at 10 to call Joao, and on friday to email Priya")
    assert first["due"] == "2026-11-19T10:00" and second["due"] == "2026-11-20T09:00"
    assert "Priya" in second["title"] and "Priya" not in first["title"]


@pytest.mark.parametrize(
    ("said", "due"),
    [
        ("early next week", "2026-11-23T09:00"),
        ("mid next week", "2026-11-25T09:00"),
        ("end of next week", "2026-11-27T17:00"),
        ("the week after next", "2026-11-30T09:00"),
    ],
)
def test_parts_of_a_week(said: str, due: str) -> None:
    (task,) = run(f"remind me {said} to ping Joao")
    assert task["due"] == due and task["title"] == "Ping Joao", task


def test_the_day_before_yesterday() -> None:
    (log,) = run("called Priya the day before yesterday")
    assert log["occurred_on"] == "2026-11-16"


def test_what_did_we_win_is_a_question_never_a_ticked_task() -> None:
    (query,) = run("what did we win in October?")
    assert subset(query, {"intent": "pipeline_query", "status": "won"}), query
    assert query["period"] == {"start": "2026-10-01", "end": "2026-10-31"}
    assert intents(run("did we win the Acme deal?")) != ["complete_task"]
    (done,) = run("did the follow up with Joao")
    assert done["intent"] == "complete_task"


def test_a_voicemail_received_is_noted_as_received() -> None:
    (log,) = run("got a voicemail from Priya Nair at Kestrel")
    assert subset(log, {"kind": "call", "contact": "Priya Nair"}), log
    assert log["summary"].startswith("got a voicemail"), log


def test_the_reason_for_a_change_is_not_the_deal() -> None:
    _, update = run("met Aiko Mori at Sakai Textiles, they pushed the close to April 10 "
                    "because of Golden Week")
    assert subset(update, {"account": "Sakai Textiles", "close_date": "2027-04-10"}), update


def test_a_question_and_a_request_chained() -> None:
    query, tasks = run("how many deals did we win last month and show me my overdue tasks")
    assert subset(query, {"intent": "pipeline_query", "measure": "count", "status": "won"})
    assert subset(tasks, {"intent": "list_tasks", "scope": "overdue"}), tasks
    query, deals = run("what's the pipeline this quarter, and list my deals")
    assert query["intent"] == "pipeline_query" and deals == {"intent": "list_deals",
                                                             "owner": "me"}


def test_a_lost_deals_reason_said_before_the_order() -> None:
    (update,) = run("Kestrel decided not to proceed, mark lost")
    assert subset(update, {"account": "Kestrel", "status": "lost"}), update
    assert "proceed" in update["reason"]


def test_back_to_a_stage_is_an_update() -> None:
    (update,) = run("Kestrel back to qualified, they lost their champion")
    assert subset(update, {"intent": "update_deal", "account": "Kestrel",
                           "stage": "qualified"}), update
    assert update.get("status") is None


def test_closed_won_after_a_lead_in_is_news_not_a_question() -> None:
    (update,) = run("Kestrel is a go! closed won 🎉")
    assert subset(update, {"intent": "update_deal", "account": "Kestrel", "status": "won"})
    (query,) = run("Q1 closed won?")
    assert query["intent"] == "pipeline_query"


def test_an_amount_with_a_suffix_is_never_the_deals_name() -> None:
    log, update = run("spoke w/ Anil Kapoor @ Sutra Textiles, they're in, bump to 2.4M & move "
                      "to negotiation")
    assert subset(update, {"account": "Sutra Textiles", "amount": 2400000,
                           "stage": "negotiation"}), update


def test_two_done_sentences_are_two_completions() -> None:
    first, second = run("done: call Anil. done: send MSA")
    assert (first["title"], second["title"]) == ("call Anil", "send MSA")


def test_and_to_a_second_dated_order() -> None:
    first, second = run("remind me to send Anil the MSA tmrw 10am, and to loop in legal on monday")
    assert first["due"] == "2026-11-19T10:00" and second["due"] == "2026-11-23T09:00"
    (one,) = run("remind me to call Anil tomorrow, to ask about pricing")
    assert one["due"] == "2026-11-19T09:00"


def test_deals_joined_by_plus_both_to_a_stage() -> None:
    first, second = run("Sutra Textiles + Veda Pharma both to proposal")
    assert (first["account"], second["account"]) == ("Sutra Textiles", "Veda Pharma")
    assert first["stage"] == second["stage"] == "proposal"


def test_a_recap_header_with_names_in_brackets() -> None:
    (log,) = run("meeting recap: Anil Kapoor (Sutra Textiles) • pilot OK • wants invoicing in INR")
    assert subset(log, {"kind": "meeting", "contact": "Anil Kapoor", "account": "Sutra Textiles"})
    assert log["summary"].startswith("pilot OK"), log


@pytest.mark.parametrize("text", ["gimme a summary of Hooli", "can i get a quick rundown on Hooli",
                                  "tl;dr Hooli pls"])
def test_asking_for_a_summary_casually(text: str) -> None:
    (action,) = run(text)
    assert subset(action, {"intent": "summarize", "account": "Hooli"}), action
