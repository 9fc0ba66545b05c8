"""What sets U and V showed, on new examples: a title said before a person is kept with the
name, and a shop or practice named for its owner or a saint is one company, "'s" and all."""

from __future__ import annotations

import datetime as dt

import pytest

from bot.nlu import actions_to_json, parse

NOW = dt.datetime(2026, 10, 21, 16, 40)  # a Wednesday


def actions(text: str, tz: str = "Europe/Dublin") -> list[dict]:
    return actions_to_json(parse(text, now=NOW, tz=tz))["actions"]


@pytest.mark.parametrize("text, key, name", [
    ("pls add Prof. Ines Wagner, Head of Lab, Charité Berlin", "name", "Prof. Ines Wagner"),
    ("new contact Dr. Okafor, CMO, Lagos Heart Centre", "name", "Dr. Okafor"),
    ("remind me in an hour to send the drawings to Eng. Tarek", "contact", "Eng. Tarek"),
    ("met Herr Dr. Vogel at Kessler Antriebe GmbH today, wants a quote", "contact",
     "Herr Dr. Vogel"),
    ("call with Lic. Fernando Ruiz at Grupo Norteño, wants pricing", "contact",
     "Lic. Fernando Ruiz"),
])
def test_a_title_before_a_person_is_said_with_the_name(text, key, name):
    assert actions(text)[0][key] == name


@pytest.mark.parametrize("text, account", [
    ("new deal for Nana Ama's Kitchen, 9k, lead", "Nana Ama's Kitchen"),
    ("rang Ciara at Doyle's Pharmacy Ltd this morning, wants the loyalty module",
     "Doyle's Pharmacy Ltd"),
    ("met the principal of St. Patrick's Primary School today, keen on a pilot",
     "St. Patrick's Primary School"),
])
def test_a_shop_named_for_its_owner_is_one_company(text, account):
    assert actions(text)[0]["account"] == account


def test_a_company_said_with_its_owners_title_is_still_two_names():
    (log,) = actions("sat down with Acme's CFO Dan Brown, they want a pilot")
    assert (log["contact"], log["account"]) == ("Dan Brown", "Acme")


@pytest.mark.parametrize("text, intents, log", [
    ("Partner call yesterday with Kaan Yilmaz from Weber Systemhaus: they want to resell our "
     "MES. Please open a deal for Alpenmilch eG, lead, 120k", ["log_activity", "create_deal"],
     ("call", "Kaan Yilmaz", "Weber Systemhaus")),
    ("Yesterday at Galway Bay Seafoods with Declan Moore, swapped two scanners. Remind me "
     "Friday to send him the invoice", ["log_activity", "create_task"],
     ("meeting", "Declan Moore", "Galway Bay Seafoods")),
])
def test_what_happened_before_the_first_order_is_logged_too(text, intents, log):
    got = actions(text)
    assert [a["intent"] for a in got] == intents
    assert (got[0]["kind"], got[0]["contact"], got[0]["account"]) == log


def test_a_workshop_is_a_meeting_not_a_company():
    log = actions("Workshop yesterday with Aoife Byrne from Liffey Foods: they want to pilot "
                  "in Cork")[0]
    assert (log["kind"], log["account"]) == ("meeting", "Liffey Foods")


def test_news_of_a_company_before_an_order_is_its_reason_not_a_log():
    got = actions("Hollandia Koeltechniek B.V. is dead. They stay with their Excel. Mark lost.")
    assert [a["intent"] for a in got] == ["update_deal"]


def test_make_a_deal_is_a_new_deal():
    got = actions("coffee with Eoin Walsh at Walsh Haulage today, they want 12 trucks. make a "
                  "deal, 60k, stage demo")
    assert [a["intent"] for a in got] == ["log_activity", "create_deal"]


@pytest.mark.parametrize("text, stage, amount", [
    ("Morning call with Bram Peeters of Kempen Kunststoffen BVBA, they accept the offer! "
     "won, 98.750 €", "won", 98750),
    ("met Ronan from toothfairy.ie this morning, going to proposal", "proposal", None),
    ("lunch w/ Claire Dubois from Banque Alpine today. Add 60k, deal total is now 235k", None,
     235000),
    ("rang Maeve at Doyle Haulage, they want the Cork depot too - up the deal to €41k", None,
     41000),
])
def test_news_of_the_deal_after_a_log_moves_it_too(text, stage, amount):
    log, update = actions(text)
    assert (log["intent"], update["intent"]) == ("log_activity", "update_deal")
    assert (update.get("stage"), update.get("amount")) == (stage, amount)


def test_can_you_remind_me_after_news_is_a_request_of_its_own():
    got = actions("just got off the phone with Callum Reid at the Edinburgh Whisky Exchange, "
                  "they're renewing so mark the renewal won and can you remind me on Tuesday "
                  "to send him the paperwork")
    assert [a["intent"] for a in got] == ["log_activity", "update_deal", "create_task"]
    assert {a.get("account") for a in got} == {"Edinburgh Whisky Exchange"}


def test_an_event_at_the_named_place_is_no_company():
    (log,) = actions("met Ingrid Dahl at the Nordic CISO roundtable, she works at Sparbanken "
                     "Vast. interested in MDR")
    assert log["account"] == "Sparbanken Vast"


@pytest.mark.parametrize("said, amount", [
    ("Rp 3 miliar", 3e9), ("IDR 1.2 jt", 1.2e6), ("VND 2.5 tỷ", 2.5e9), ("500 triệu VND", 5e8),
    ("SEK 1,2 mkr", 1.2e6), ("3 miliardi", 3e9), ("450 tys. zł", 450000),
    ("120 tis. Kč", 120000), ("2 mld PLN", 2e9),
])
def test_scales_of_more_languages(said, amount):
    (update,) = actions(f"update Kowalski Trans deal to {said}", tz="Europe/Warsaw")
    assert update["amount"] == amount


@pytest.mark.parametrize("text, kind", [
    ("fika with Maja Lind from Skåne Mejerier AB on Tuesday, she likes it", "meeting"),
    ("Recap from today: meeting with Paolo Ricci at Ricci Trasporti srl, demo went well",
     "meeting"),
    ("llamé a Sofía Castro de Frutas del Sur, no contestó", "call"),
    ("Jan Vos at Vos Logistiek finally picked up today: they want a demo", "call"),
    ("visit today at Clinica Santa Fe with Dr. Luis Mora, very interested", "meeting"),
])
def test_the_kind_of_a_log_said_in_other_words_or_after_a_heading(text, kind):
    assert actions(text)[0]["kind"] == kind


@pytest.mark.parametrize("text, due", [
    ("remind me at two thirty this afternoon to call Ahmed", "2026-10-21T14:30"),
    ("remind me tomorrow at nine forty five to call Chidi", "2026-10-22T09:45"),
    ("emailed Kofi the quote, follow up after 5 days", "2026-10-26T09:00"),
])
def test_times_said_in_words_and_after_a_number_of_days(text, due):
    task = next(a for a in actions(text) if a["intent"] == "create_task")
    assert task["due"] == due


@pytest.mark.parametrize("text, due", [
    ("rang Aoife at Lir Software, she's back from leave on the 3rd, remind me to call her "
     "that day", "2026-11-03T09:00"),
    ("called Jan de Berg at Berg Logistiek, he's on holiday till 2.11., call him back then",
     "2026-11-02T09:00"),
])
def test_that_day_is_the_day_said_before(text, due):
    log, task = actions(text)
    assert (log["intent"], task["due"]) == ("log_activity", due)


@pytest.mark.parametrize("text", [
    "rang Maya Levi at Tel Aviv Freight - tight budget. EOD tomorrow send her the price list",
    "stopped by Hoek Farms this morning, Dirk wants a trade-in. Quote him Monday",
    "call with Ana Ruiz from Transportes Sol, they want a proposal. Create the task for Wednesday",
    "sent Liisa from Saimaan Paperi the answers. Tell me Thursday if no answer",
])
def test_an_order_after_a_log_in_other_words(text):
    assert [a["intent"] for a in actions(text)] == ["log_activity", "create_task"]


def test_a_quote_that_went_out_is_no_order():
    assert [a["intent"] for a in actions("Construtora Sol — quote's out, move em to proposal")] \
        == ["update_deal"]


@pytest.mark.parametrize("text, dues", [
    ("Two reminders: 1) prep with Brittany tomorrow 10am 2) send the quota letters Friday",
     ["2026-10-22T10:00", "2026-10-23T09:00"]),
    ("remind me Monday 8am: 1) call Bu Sri re PO 2) submit the commission claim",
     ["2026-10-26T08:00", "2026-10-26T08:00"]),
])
def test_a_list_of_orders_is_a_task_each(text, dues):
    got = actions(text)
    assert [a["intent"] for a in got] == ["create_task"] * 2
    assert [a["due"] for a in got] == dues


@pytest.mark.parametrize("text, updates", [
    ("move Harbour Dental Ltd to proposal and Glen Bistro Co to negotiation",
     [("Harbour Dental Ltd", "proposal", None), ("Glen Bistro Co", "negotiation", None)]),
    ("Gareth rang back — Hargreaves now at £175k, they added the Leeds site",
     [("Hargreaves", None, 175000)]),
    ("Fonderia Rossi: amount now 210.000 €, 3 plants + training",
     [("Fonderia Rossi", None, 210000)]),
])
def test_moves_and_new_figures_said_in_other_words(text, updates):
    got = [(a["account"], a.get("stage"), a.get("amount")) for a in actions(text)
           if a["intent"] == "update_deal"]
    assert got == updates


def test_meeting_someone_on_a_visit_is_one_meeting():
    got = actions("Today I visited Sakura Denki K.K. and met Tanaka Hiroshi (GM, IT). They "
                  "compare us with two local vendors")
    assert [a["intent"] for a in got] == ["log_activity"]


def test_a_qbr_to_come_is_no_meeting_to_log():
    got = actions("how much did each rep close-won this quarter? want it before the QBR tmrw")
    assert [a["intent"] for a in got] == ["pipeline_query"]


@pytest.mark.parametrize("text, due", [
    ("booked a demo with Tomasz Nowak from RiverGate Hotels for 2pm next Thursday, pls add it "
     "as a task", "2026-10-22T14:00"),
    ("booked a discovery call w/ Chantal Roy at Groupe Laurentide for Tues 11am, remind me at "
     "10:30 that day to prep", "2026-10-27T10:30"),
])
def test_a_meeting_booked_to_come_is_a_task_not_a_log(text, due):
    (task,) = actions(text)
    assert (task["intent"], task["due"]) == ("create_task", due)
    assert not task["title"].lower().startswith("booked")


def test_a_reminder_asked_in_spanish_after_a_meeting():
    got = actions("reunión con Lic. Fernando García de Pagos del Norte S.A. de C.V. hoy, "
                  "quieren una demo, recordarme el lunes enviar propuesta")
    assert [a["intent"] for a in got] == ["log_activity", "create_task"]
    assert got[1]["due"] == "2026-10-26T09:00"


def test_millions_of_kronor_written_msek():
    (update,) = actions("Nordea Finans AB moved to proposal, 1,2 MSEK")
    assert (update["stage"], update["amount"]) == ("proposal", 1200000)


def test_a_lower_case_brokerage_is_named_whole():
    log = actions("had coffee with brad from coastal insurance brokers, they're keen")[0]
    assert (log["contact"], log["account"]) == ("brad", "coastal insurance brokers")


@pytest.mark.parametrize("text, check", [
    ("called Declan Murphy from Murphy and Sons Property Management, they're ready",
     lambda got: got[0]["account"] == "Murphy and Sons Property Management"),
    ("Called Sipho Ndlovu @ Durban Coastal Rentals - no answer. Try again Thurs",
     lambda got: got[1]["contact"] == "Sipho Ndlovu" and "account" in got[1]
     and got[1]["account"] == "Durban Coastal Rentals"),
    ("the Greenfield Strata deal slipped to end of Q2",
     lambda got: got == [{"intent": "update_deal", "account": "Greenfield Strata",
                          "close_date": "2027-06-30"}]),
    ("forecast for Q2 by stage pls", lambda got: "unread" not in got[0]),
])
def test_more_names_and_requests_read_right(text, check):
    got = actions(text)
    assert check(got), got


def test_a_spoken_new_deal_priced_per_unit_takes_the_total():
    got = actions("ok so uh spoke to Mr Tran from Saigon Logistics he wants forty terminals at "
                  "two hundred dollars each so about eight thousand dollars create a deal at "
                  "demo stage")
    assert [a["intent"] for a in got] == ["log_activity", "create_deal"]
    assert (got[1]["account"], got[1]["amount"], got[1]["stage"]) == \
        ("Saigon Logistics", 8000, "demo")


@pytest.mark.parametrize("text, account", [
    ("Kiitos, Maksut Oy signed. 180 000 EUR.", "Maksut Oy"),
    ("tack! won Nordic Grocers AB, 2,4 MSEK", "Nordic Grocers AB"),
])
def test_thanks_in_other_languages_name_nobody(text, account):
    assert actions(text)[0]["account"] == account


def test_a_dotted_date_before_the_order_leaves_no_to_in_the_title():
    (task,) = actions("remind me on 15.03. to send the contract to Mr. Dvořák")
    assert task["title"] == "Send the contract to Mr. Dvořák"


@pytest.mark.parametrize("text, amount, stage", [
    ("coffee with Encik Ahmad Faizal of Kedai Runcit Sdn Bhd, they want e-wallet "
     "integration, deal RM 250k stage qualified", 250000, "qualified"),
    ("Call with Chiara Colombo CFO Logistica Emiliana srl: ok on price. Deal 120k → "
     "negotiation", 120000, "negotiation"),
])
def test_the_deal_and_its_figure_said_after_a_log(text, amount, stage):
    log, update = actions(text)
    assert update["intent"] == "update_deal" and update["account"] == log["account"]
    assert (update["amount"], update["stage"]) == (amount, stage)


def test_who_left_which_company_and_a_head_of_a_function():
    (log,) = actions("FYI: Kelechi Nwosu left Eko Realty, new contact there is Adaeze Obi "
                     "(Head of Leasing)")
    assert (log["contact"], log["account"]) == ("Kelechi Nwosu", "Eko Realty")
    (log,) = actions("met the Head of Procurement at Dangote Cement today")
    assert log["account"] == "Dangote Cement"


@pytest.mark.parametrize("text, want", [
    ("Lonza AG deal won ✅ final CHF 118'500", {"amount": 118500}),
    ("nuevo deal Hospital La Paz 95 mil euros etapa propuesta cierre 30/9",
     {"amount": 95000, "stage": "proposal"}),
    ("Universidad de Chile pasó a propuesta ✅", {"stage": "proposal"}),
    ("hola, cómo se usa esto?", {"intent": "help"}),
    ("tareas de esta semana?", {"intent": "list_tasks", "scope": "week"}),
    ("mis deals abiertos", {"owner": "me", "status": "open"}),
    ("Rückruf from Dr. Keller, Roche Diagnostics AG - she asks for the validation docs",
     {"kind": "call", "contact": "Dr. Keller"}),
    ("where are we with Koç Üniversitesi?", {"intent": "summarize", "account": "Koç Üniversitesi"}),
    ("Pazartesi remind me to call Doç. Dr. Elif Kaya", {"due": "2026-10-26T09:00",
                                                        "contact": "Doç. Dr. Elif Kaya"}),
])
def test_what_reps_abroad_say_in_their_own_words(text, want):
    got = actions(text)[0]
    assert {k: got.get(k) for k in want} == want, got


@pytest.mark.parametrize("text, want", [
    ("Lone Star Urgent Care signed 🙌 $52,000", {"stage": "won", "amount": 52000}),
    ("can you post the pipeline digest to #ph-sales every morning at 8", {"time": "08:00"}),
    ("quiero el digest diario en #ventas-chile a las 9", {"cadence": "daily", "time": "09:00"}),
    ("called Nomvula Dlamini CFO at Umhlanga Private School, she wants references",
     {"contact": "Nomvula Dlamini", "account": "Umhlanga Private School"}),
    ("remind me March 3 to send the renewal to Kusina ni Lola", {"account": "Kusina ni Lola"}),
    ("new contact Zintle Gqola, bursar, Ikhaya Early Learning Centre", {"title": "bursar"}),
])
def test_more_of_what_sets_u_and_v_showed(text, want):
    got = actions(text)[0]
    assert {k: got.get(k) for k in want} == want, got


def test_one_request_said_twice_is_done_once():
    assert actions("who should i call first today? hot leads pls") == [{"intent": "hot_leads"}]


@pytest.mark.parametrize("text, key, name", [
    ("draft a quick email to Georges Aoun confirming the rollout timeline", "contact",
     "Georges Aoun"),
    ("draft an email to Greenleaf Dairy checking in after the trial", "account",
     "Greenleaf Dairy"),
])
def test_an_email_to_a_person_or_to_a_company(text, key, name):
    assert actions(text)[0][key] == name


@pytest.mark.parametrize("text, want", [
    ("weighted fcst this qtr", {"measure": "weighted_amount",
                                "period": {"start": "2026-10-01", "end": "2026-12-31"}}),
    ("EOD reminder: update forecast sheet", {"due": "2026-10-21T17:00"}),
    ("Hey remind me next Thursday to check in with Raul", {"title": "Check in with Raul"}),
    ("recuérdame mañana a las 9 llamar a José Luis de Cementos del Bajío",
     {"contact": "José Luis", "account": "Cementos del Bajío"}),
])
def test_shorthand_a_dated_heading_a_greeting_and_spanish_companies(text, want):
    got = actions(text)[0]
    assert {k: got.get(k) for k in want} == want, got


def test_a_deal_named_with_a_digit_first_slipped_and_a_demo_to_come_is_no_log():
    assert actions("the 4Front Outdoor deal slipped, move close date to Jan 8") == [
        {"intent": "update_deal", "account": "4Front Outdoor", "close_date": "2027-01-08"}]
    assert [a["intent"] for a in actions("Pls move Hoshino Pharma deal to 'demo' stage. Demo is "
                                         "scheduled 10/28")] == ["update_deal"]


def test_an_order_said_in_so_many_words_is_not_overruled():
    (task,) = actions("quick one - Tunde from Lagos Homes Ltd wants a demo next tues 2pm, pls "
                      "set a reminder")
    assert (task["intent"], task["due"], task["contact"]) == \
        ("create_task", "2026-10-27T14:00", "Tunde")


def test_deals_not_touched_in_weeks_are_the_quiet_ones():
    (query,) = actions("which deals haven't been touched in 2 weeks")
    assert (query["risk"], query["quiet_days"]) == (["quiet"], 14)


def test_they_have_is_no_company():
    got = actions("call with Harriet Blake at Kestrel Rail Freight, they've pushed the "
                  "decision to April. Move close date to 30 April")
    assert {a.get("account") for a in got} == {"Kestrel Rail Freight"}


@pytest.mark.parametrize("text, account", [
    ("called mr adeyemi at lagos prime realty, he wants to see the app", "lagos prime realty"),
    ("rang halima abdallah at pwani fresh produce, she's out till monday", "pwani fresh produce"),
])
def test_a_lower_case_company_keeps_its_trade_word(text, account):
    assert actions(text)[0]["account"] == account


@pytest.mark.parametrize("text, second", [
    ("How many deals did we win last week, and what was the total amount?",
     {"measure": "amount", "status": "won", "period": {"start": "2026-10-12",
                                                        "end": "2026-10-18"}}),
    ("What's Callum's pipeline by stage, and his win rate this quarter?",
     {"measure": "win_rate", "owner": "Callum"}),
    ("how many deals are sitting in demo right now, and how many in proposal?",
     {"measure": "count", "stage": "proposal"}),
    ("what's our open pipe and how many deals are in negotiation?",
     {"measure": "count", "stage": "negotiation"}),
    ("how much did Piotr win in September? and Karolina?",
     {"status": "won", "owner": "Karolina", "period": {"start": "2026-09-01",
                                                        "end": "2026-09-30"}}),
])
def test_two_questions_in_one_message_are_two_answers(text, second):
    first, then = actions(text)
    assert first["intent"] == then["intent"] == "pipeline_query"
    assert {k: then.get(k) for k in second} == second, then


@pytest.mark.parametrize("text, intents", [
    ("call w/ Thembeka Ntshona @ Atlantic Seaboard Rentals - vm. try tmrw 2pm",
     ["log_activity", "create_task"]),
    ("log a call with Bongani Khumalo at Khumalo Risk Brokers he says the board meets on the "
     "thirty first so move the close date to the thirty first of March and move the stage to "
     "negotiation", ["log_activity", "update_deal"]),
    ("yesterday call Ing. Petr Dvořák, Logistika Morava s.r.o. — they want a pilot. Remind me "
     "22.3. to call him", ["log_activity", "create_task"]),
    ("Call with Mariana Ortega (Autotransportes del Norte) today. nuevo contacto: Mariana "
     "Ortega, mariana.ortega@adn.com.mx", ["log_activity", "create_contact"]),
])
def test_more_second_requests_found(text, intents):
    assert [a["intent"] for a in actions(text)] == intents


@pytest.mark.parametrize("text, account", [
    ("log a meeting with Thabo Mokoena from Sandton Realty Management yesterday",
     "Sandton Realty Management"),
    ("Brilliant news, O'Driscoll Property Group signed today 🥳 mark won!",
     "O'Driscoll Property Group"),
    ("remind me to follow up with Al Noor Wholesale in 10 days", "Al Noor Wholesale"),
])
def test_more_companies_named_right(text, account):
    assert actions(text)[0]["account"] == account


def test_a_stage_is_never_a_company():
    got = actions("lunch w/ Thuy Le from Saigon Realty Partners today. new deal 30k lead")
    assert all(a.get("account") != "lead" for a in got)


def test_a_new_contact_whose_given_name_is_a_common_word_is_still_named():
    contact, deal = actions("New contact: Per Axelsson, CFO at Ahlgrens Järn & Bygg AB, "
                            "per.axelsson@ahlgrensjarn.se. Also new deal for them 850k SEK")
    assert (contact["name"], contact["title"], deal["amount"]) == ("Per Axelsson", "CFO", 850000)
