"""Reps who write their sales words in their own language inside a message (Spanish,
Portuguese, Italian, French, German), and messages that chain a second activity or a
second order onto the first. New examples, written for these tests."""

from __future__ import annotations

import datetime as dt

import pytest

from bot.nlu import actions_to_json, parse

NOW = dt.datetime(2026, 10, 21, 16, 40)  # a Wednesday


def actions(text: str, tz: str = "Europe/Madrid") -> list[dict]:
    return actions_to_json(parse(text, now=NOW, tz=tz))["actions"]


def intents(text: str) -> list[str]:
    return [a["intent"] for a in actions(text)]


@pytest.mark.parametrize("text, want", [
    ("Llamé a Lucía Ferrer de Transportes Olmedo S.L., no contesta. Le mandé un email con "
     "la tarifa.", ["log_activity", "log_activity"]),
    ("liguei pro Tiago Neves, ele quer a proposta. me lembra sexta 10h de mandar",
     ["log_activity", "create_task"]),
    ("Nueva oportunidad: Frigoríficos Duero S.A., 120.000 €, etapa proposal",
     ["create_deal"]),
    ("ho chiamato Paola Greco di Logistica Adriatica, vogliono un preventivo. ricordami "
     "lunedì alle 9 di mandarlo", ["log_activity", "create_task"]),
    ("j'ai appelé Mme Ndiaye chez Dakar Fret SARL, relance lundi prochain à 10h",
     ["log_activity", "create_task"]),
])
def test_sales_words_in_the_reps_own_language_are_understood(text, want):
    assert intents(text) == want


@pytest.mark.parametrize("text, key, value", [
    ("Frigoríficos Duero pasa a negociación, importe 96.500 €, cierre 31 de marzo",
     "close_date", "2027-03-31"),
    ("Frigoríficos Duero pasa a negociación, cierre fim de abril", "close_date", "2027-04-30"),
    ("Frigoríficos Duero pasa a negociación", "stage", "negotiation"),
    ("ricordami venerdì alle 15 di mandare il contratto a Logistica Adriatica", "due",
     "2026-10-23T15:00"),
    ("criar tarefa: enviar catálogo para Rita Lopes em 2 semanas", "due", "2026-11-04T09:00"),
    ("el viernes pasado visité Lácteos Sierra S.A., quieren repuestos", "occurred_on",
     "2026-10-16"),
])
def test_dates_stages_and_amounts_said_in_those_languages(text, key, value):
    assert actions(text)[0][key] == value


@pytest.mark.parametrize("text", [
    "demo meeting with the Mayo nursing informatics team went great, move to proposal",
    "call with Marco Ricci at Brembo, wants the pilot",
    "lunch with Ola Nordmann at Fiskeri AS, they like it",
])
def test_a_name_that_is_also_a_word_of_another_language_stays_a_name(text):
    said = actions(text)[0]
    assert "Mayo" in said.get("account", "") + said.get("contact", "") or \
        said["contact"] in ("Marco Ricci", "Ola Nordmann")


def test_an_email_sent_after_a_call_is_an_activity_of_its_own():
    call, email = actions("left a voicemail for Dana Holt at Birchway Clinics yesterday and "
                          "sent a follow-up email this morning")
    assert (call["kind"], call["occurred_on"]) == ("call", "2026-10-20")
    assert (email["kind"], email["occurred_on"], email["contact"]) == (
        "email", "2026-10-21", "Dana Holt")


def test_a_visit_and_who_was_spoken_with_there_is_one_meeting():
    (meeting,) = actions("visited Orrin Farms on monday, spoke with Kate Mills, they want a quote")
    assert (meeting["kind"], meeting["contact"], meeting["account"]) == (
        "meeting", "Kate Mills", "Orrin Farms")


def test_whom_a_deal_was_lost_to_is_the_reason_not_another_deal():
    (lost,) = actions("we lost Cosmo Foods, lost it to Fieldline, their price was 30% lower")
    assert (lost["account"], lost["status"]) == ("Cosmo Foods", "lost")
    assert "Fieldline" in lost["reason"]


@pytest.mark.parametrize("text, want", [
    ("remind me to call Omar at Kessler on Friday at 10:30 and also move the Kessler deal "
     "to proposal", ["create_task", "update_deal"]),
    ("show my open deals and my overdue tasks", ["list_deals", "list_tasks"]),
    ("which tasks are overdue? and mark 'call back Frau Keller' as done",
     ["list_tasks", "complete_task"]),
    ("done: send the revised quote to Anadolu Makina. Also log a call with Mehmet Kaya, he "
     "got it", ["complete_task", "log_activity"]),
    ("Met Ana Ruiz from Serra Foods yesterday. They asked for 8% off. Deal to negotiation, "
     "85k", ["log_activity", "update_deal"]),
])
def test_a_second_request_after_the_first_is_its_own_action(text, want):
    assert intents(text) == want


@pytest.mark.parametrize("text, amount", [
    ("update the Sahel Transit deal to 45 000 000 FCFA", 45_000_000),
    ("update the Sahel Transit deal to 850k MAD", 850_000),
    ("update the Sahel Transit deal to 120.000 dirhams", 120_000),
    ("update the Sahel Transit deal to 2,5 millions d'euros", 2_500_000),
    ("new deal Dakar Fret SARL, 1,2 milliard FCFA, lead", 1_200_000_000),
])
def test_francs_dirhams_and_french_millions_are_amounts(text, amount):
    assert actions(text)[0]["amount"] == amount


def test_a_list_typed_line_by_line_is_one_action_per_line():
    call, email, voicemail = actions("today:\n• harbor dental - call w/ dr amy fox, wants a quote\n"
                                     "• lakeside clinic - emailed brochure to the office manager\n"
                                     "• pine ridge vets - lvm")
    assert (call["kind"], call["account"]) == ("call", "harbor dental")
    assert (email["kind"], email["account"]) == ("email", "lakeside clinic")
    assert (voicemail["kind"], voicemail["account"]) == ("call", "pine ridge vets")


def test_a_lists_heading_says_what_each_line_is_and_when():
    omar, lina = actions("pls add contacts:\n- Omar Haddad, CFO, Cedar Foods\n"
                         "- Lina Saab, Buyer, Cedar Foods, +961 1 234 567")
    assert (omar["intent"], omar["name"], lina["name"]) == ("create_contact", "Omar Haddad",
                                                            "Lina Saab")
    first, second = actions("Tasks:\n1. Call Dan Ofori re the questionnaire – Monday 11am\n"
                            "2. Prep the Northbridge demo – Tuesday EOD")
    assert (first["due"], second["due"]) == ("2026-10-26T11:00", "2026-10-27T17:00")
    call, email = actions("yesterday:\n- call w/ Ana Ruiz at Serra Foods, wants pricing\n"
                          "- emailed Bo at Globex the deck")
    assert call["occurred_on"] == email["occurred_on"] == "2026-10-20"


def test_a_list_line_about_no_one_is_about_the_lines_before():
    meeting, move, task = actions("Met Oisín at Greenlough Foods today:\n"
                                  "• they're at 75k now, stage negotiation\n"
                                  "• remind me to send the contract Wed")
    assert meeting["contact"] == "Oisín" and move["account"] == "Greenlough Foods"
    assert (task["contact"], task["account"]) == ("Oisín", "Greenlough Foods")


def test_the_lines_of_one_new_deal_stay_one_deal():
    (deal,) = actions("New deal:\n- Acme Corp\n- 50k\n- close end of March")
    assert (deal["account"], deal["amount"]) == ("Acme Corp", 50000)


@pytest.mark.parametrize("text, want", [
    ("Demo done for Kestrel Pharmacy today with Ravi, they liked it. Moving to demo stage. "
     "Kindly draft mail to Ravi thanking him for his time",
     ["log_activity", "update_deal", "draft_email"]),
    ("Birchway deal pls change stage to demo. Also pls show timeline of Birchway",
     ["update_deal", "show_timeline"]),
    ("call w/ Carla at Mendez Insurance - she said yes, moving to negotiation. can you draft "
     "her a thank-you email?", ["log_activity", "update_deal", "draft_email"]),
    ("demo done at Seaview, went gr8. mv to proposal & send quote by wed",
     ["log_activity", "update_deal", "create_task"]),
    ("coffee with Minh at Hoang Long Distribution today. He's open to switching. open a lead "
     "for them, ~8bn VND", ["log_activity", "create_deal"]),
])
def test_an_order_after_the_news_is_its_own_action(text, want):
    assert intents(text) == want


def test_a_verb_is_never_the_company():
    log, move = actions("Demo done for Kestrel Pharmacy today with Ravi. Moving to demo stage.")
    assert move["account"] == "Kestrel Pharmacy"


@pytest.mark.parametrize("text", [
    "anyone fancy lunch at Nando's?",
    "who took the demo laptop from the meeting room??",
    "ok I'm done for the week 🍹 have a good weekend bot",
])
def test_chatter_and_questions_for_colleagues_change_nothing(text):
    assert intents(text) == ["unknown"]


@pytest.mark.parametrize("text, want", [
    ("avg deal size for won deals this year, and avg cycle time",
     ["pipeline_query", "pipeline_query"]),
    ("remind me tomorrow at 9:30 to call Chidi at Peachtree Ortho and also what's our total "
     "pipeline for Q1", ["create_task", "pipeline_query"]),
    ("can you tell me what tasks are overdue and also log that i emailed Dr Reyes the deck",
     ["list_tasks", "log_activity"]),
])
def test_a_question_chained_to_another_request_is_answered_too(text, want):
    assert intents(text) == want


@pytest.mark.parametrize("text, contact, account", [
    ("liguei pro Rui Matos da Cervejaria Boa Vista, quer o orçamento", "Rui Matos",
     "Cervejaria Boa Vista"),
    ("Telefonat mit Frau Berger von Alpen Logistik GmbH: sie will ein Angebot", "Frau Berger",
     "Alpen Logistik GmbH"),
    ("met with Sofía Ramírez de la Cruz at Grupo Norte on Thursday", "Sofía Ramírez de la Cruz",
     "Grupo Norte"),
    ("called Maria da Silva Santos at Banco Sul, she wants pricing", "Maria da Silva Santos",
     "Banco Sul"),
])
def test_a_person_of_a_company_said_in_the_reps_language(text, contact, account):
    said = actions(text)[0]
    assert (said["contact"], said["account"]) == (contact, account)


@pytest.mark.parametrize("text, kind", [
    ("Had telephonic discussion with Mr. Venkat Rao of Medwell Pharmacy, wants a demo", "call"),
    ("emails exchanged w/ Mag. Huber re: renewal dates", "email"),
    ("Kaffee mit Dr. Sabine Lenz (Lenz Medizintechnik GmbH) heute", "meeting"),
])
def test_how_a_rep_says_the_kind_of_activity(text, kind):
    assert actions(text)[0]["kind"] == kind


@pytest.mark.parametrize("text, want", [
    ("appel avec M. Benali chez Atlas Logistique SARL, il veut un devis. relance jeudi",
     [("log_activity", "M. Benali", "Atlas Logistique SARL"), ("create_task", "M. Benali",
                                                              "Atlas Logistique SARL")]),
    ("visite chez Dakar Port Services ce matin avec Moussa Ndiaye, ils veulent le module douane",
     [("log_activity", "Moussa Ndiaye", "Dakar Port Services")]),
    ("le deal Sahel Transit est gagné!! 🎉", [("update_deal", None, "Sahel Transit")]),
])
def test_french_as_reps_write_it(text, want):
    assert [(a["intent"], a.get("contact"), a.get("account")) for a in actions(text)] == want


@pytest.mark.parametrize("text, intent", [
    ("mes tâches pour aujourd'hui", "list_tasks"),
    ("résumé du compte Atlas Logistique", "summarize"),
    ("quel est mon pipeline ce trimestre", "pipeline_query"),
])
def test_french_questions(text, intent):
    assert intents(text) == [intent]


@pytest.mark.parametrize("text, want", [
    ("'send Ing. Novak the pilot contract' – done ✅. add task: schedule kickoff with Morava "
     "Thursday 10:00", ["complete_task", "create_task"]),
    ("done: send proposal to Aroha Homes. and move them to proposal stage while ur at it",
     ["complete_task", "update_deal"]),
    ("Email von Frau Mag. Lisa Huber (Tiroler Bahnen AG): they accept the contract. Deal won!",
     ["log_activity", "update_deal"]),
    ("overdue?", ["list_tasks"]),
    ("hiii 😊 how do I add a new contact?", ["help"]),
])
def test_short_and_chained_forms_reps_use(text, want):
    assert intents(text) == want


@pytest.mark.parametrize("text, key, value", [
    ("call with Ms. Rowena Cruz, Pharmacy Director of Mercado General Hospital. wants a demo",
     "account", "Mercado General Hospital"),
    ("create a deal for Clinique Médicale St-Hubert, 45 000$, stage lead", "amount", 45000),
])
def test_the_company_after_a_job_and_dollars_written_after(text, key, value):
    assert actions(text)[0][key] == value


def test_the_close_date_is_never_the_company():
    log, move = actions("Called Dr. Ramesh Iyer, Sahyadri. He confirmed approval is pending. "
                        "Please push closing date to 15th December")
    assert move["account"] == "Sahyadri" and move["close_date"] == "2026-12-15"


def test_a_voice_note_takes_back_a_day_it_said():
    log, task = actions("just got off the phone with Piotr Nowak from Vistula Cyber he wants a "
                        "quote remind me on Wednesday no wait Thursday to send it")
    assert task["due"] == "2026-10-22T09:00"  # Thursday, not Wednesday
    (task,) = actions("remind me at 3pm sorry 4pm to call Jo")
    assert task["due"] == "2026-10-22T16:00"  # (4pm has passed today)


@pytest.mark.parametrize("text, email", [
    ("create a new contact Maria Kowalska, CISO at Baltic Bank, her email is maria dot "
     "kowalska at balticbank dot pl", "maria.kowalska@balticbank.pl"),
    ("add contact Li Wei, email li dot wei at acme dot com dot s g", "li.wei@acme.com.sg"),
])
def test_an_email_address_said_aloud(text, email):
    assert actions(text)[0]["email"] == email


def test_a_currency_said_in_words_is_not_part_of_the_company():
    (deal,) = actions("new deal for Harbour Data Pte Ltd one hundred and twenty thousand "
                      "Singapore dollars stage qualified")
    assert (deal["account"], deal["amount"]) == ("Harbour Data Pte Ltd", 120000)


@pytest.mark.parametrize("text, amount", [
    ("Deal nou: Transcarpatic Logistic SRL, 1,2 mil RON, proposal", 1_200_000),
    ("Hai Dang Logistics deal -> negotiation, 3,2 billion VND", 3_200_000_000),
    ("novo negócio: Frigorífico Bom Pasto S.A., R$ 2,3 mi, fase qualified", 2_300_000),
])
def test_a_decimal_comma_before_a_scale_word(text, amount):
    assert actions(text)[0]["amount"] == amount


@pytest.mark.parametrize("text, account", [
    ("create a new deal for Brooklyn Brownstone Management, 75k, stage demo",
     "Brooklyn Brownstone Management"),
    ("met Liam at Liffey Block Management today, all good", "Liffey Block Management"),
])
def test_a_company_keeps_its_last_word(text, account):
    assert actions(text)[0]["account"] == account


@pytest.mark.parametrize("text, due", [
    ("remind me first thing to send the quote to Piet", "2026-10-22T09:00"),  # (16:40 now)
    ("remind me in a fortnight to check in with Jaco", "2026-11-04T09:00"),
    ("remind me Monday after lunch to ring Tom", "2026-10-26T13:00"),
    ("remind me tomorrow before lunch to call Farhan", "2026-10-22T11:00"),
])
def test_how_reps_say_when(text, due):
    assert actions(text)[0]["due"] == due


@pytest.mark.parametrize("text, want", [
    ("relancer M. Diallo la semaine prochaine pour le devis",
     {"intent": "create_task", "contact": "M. Diallo", "due": "2026-10-26T09:00"}),
    ("tâche: appeler Karim Bensalem vendredi 10h",
     {"intent": "create_task", "contact": "Karim Bensalem", "due": "2026-10-23T10:00"}),
    ("nouvelle opportunité pour Casablanca Freight: 850 000 MAD, étape proposition",
     {"intent": "create_deal", "account": "Casablanca Freight", "amount": 850000,
      "stage": "proposal"}),
    ("montre-moi les deals de Fatou en négociation",
     {"intent": "list_deals", "owner": "Fatou", "stage": "negotiation"}),
    ("los deals de Alejandra en demo", {"intent": "list_deals", "owner": "Alejandra"}),
])
def test_orders_and_questions_in_french_and_spanish(text, want):
    (said,) = actions(text)
    assert {k: said.get(k) for k in want} == want


@pytest.mark.parametrize("text", [
    "thank you po for the reminders, very helpful 🙏",
    "who's got the aux cable for friday drinks 🍻",
])
def test_thanks_and_team_chatter_file_nothing(text):
    assert intents(text) == ["unknown"]


def test_a_voice_note_with_fillers_asks_and_logs():
    assert intents("uh good morning um can you tell me what tasks are overdue and uh also log "
                   "that i emailed doctor reyes the board deck this morning") == [
        "list_tasks", "log_activity"]


def test_removing_a_digest_in_spanish():
    (stop,) = actions("quita el digest semanal de #iberia")
    assert (stop["intent"], stop["channel"]) == ("unsubscribe_digest", "iberia")


def test_a_deal_said_with_a_new_contact_is_a_new_deal():
    contact, deal = actions("new contact + deal: Eoin Daly, MD at Daly Groundworks Ltd "
                            "(eoin@dalygw.ie). deal €95k, proposal, close end of march")
    assert (deal["intent"], deal["account"], deal["amount"]) == (
        "create_deal", "Daly Groundworks Ltd", 95000)


def test_an_amount_is_never_the_company():
    said = actions("met Hakan Aydin, create deal 12 milyon TL, stage lead")
    assert all(a.get("account") != "12 milyon TL" for a in said)


@pytest.mark.parametrize("text, want", [
    ("mostra os deals ganhos da Renata", {"intent": "list_deals", "owner": "Renata",
                                          "status": "won", "account": None}),
    ("show Renata's won deals", {"intent": "list_deals", "owner": "Renata", "account": None}),
    ("minhas tarefas da semana?", {"intent": "list_tasks", "scope": "week"}),
    ("promedio de tamaño de deal este año?", {"intent": "pipeline_query",
                                              "measure": "avg_amount"}),
    ("reabrir o deal da Usina Boa Vista, eles voltaram a negociar",
     {"intent": "update_deal", "status": "open"}),
    ("Meeting with Zeynep Celik at Izmir Otomotiv. Move their deal to demo... no, to proposal.",
     {"intent": "update_deal", "stage": "proposal"}),
])
def test_more_of_the_reps_own_words(text, want):
    said = actions(text)[-1]
    assert {k: said.get(k) for k in want} == want


def test_media_is_a_company_word_not_average():
    (won,) = actions("We won Lumière Média SA!! 🎉")
    assert won["account"] == "Lumière Média SA"


@pytest.mark.parametrize("text, key, value", [
    ("remind me 내일 오후 3시 call Choi Jihoon (Hanbit Electronics)", "due", "2026-10-22T15:00"),
    ("明日 10時 remind: send catalogue to Yamada-san", "due", "2026-10-22T10:00"),
    ("New deal: Sendai Foods Co., Ltd., 4,500万円, stage lead", "amount", 45_000_000),
    ("Seorim Chemical deal to negotiation, amount 3억 2천만 원", "amount", 320_000_000),
    ("deal 생성: Ulsan Marine Pump Co., Ltd. / 1억 2천만 원 / negotiation / close 4월 말",
     "close_date", "2027-04-30"),
])
def test_korean_japanese_and_chinese_days_times_and_amounts(text, key, value):
    assert actions(text, tz="Asia/Seoul")[0][key] == value
