"""What reps write that the engine now reads: a row of calls told one after the other, a
site walked with someone, a unit's price that is no deal's amount, a job said before the
name, "for <company>" after a job, a company's deals, a task about "him" named elsewhere,
and more of what bilingual reps say. New examples, written for these tests (none is taken
from a blind set)."""

from __future__ import annotations

import datetime as dt

import pytest

from bot.nlu import actions_to_json, parse

NOW = dt.datetime(2027, 3, 10, 16, 20)  # a Wednesday


def actions(text: str, tz: str = "America/Chicago") -> list[dict]:
    return actions_to_json(parse(text, now=NOW, tz=tz))["actions"]


def the(intent: str, text: str, tz: str = "America/Chicago") -> dict:
    found = [a for a in actions(text, tz) if a["intent"] == intent]
    assert found, actions(text, tz)
    return found[0]


def reads_as(intent: str, text: str, key: str | None, value: object, *, tz: str) -> None:
    found = the(intent, text, tz)
    if key is not None:
        assert found.get(key) == value, found


@pytest.mark.parametrize("text, people", [
    ("dial session recap: Bongani Dube @ Karoo Cold Storage - no answer. Ines Vidal @ "
     "Mesa Verde Farms - wants pricing!", ["Bongani Dube", "Ines Vidal"]),
    ("3 calls this morning: Hugo Lam (Harbourline Freight) voicemail; Dana Whitfield "
     "(Cedar Ridge Clinic) asked for a callback; Omar Haddad (Atlas Tiles) not interested",
     ["Hugo Lam", "Dana Whitfield", "Omar Haddad"]),
])
def test_a_row_of_calls_is_a_call_each(text, people):
    said = actions(text)
    assert [a["intent"] for a in said] == ["log_activity"] * len(people), said
    assert [a["contact"] for a in said] == people
    assert all(a["kind"] == "call" and a["summary"] for a in said)


def test_calls_that_are_not_a_row_stay_one_message():
    said = actions("calls today: nothing new, Bongani was out")
    assert len([a for a in said if a["intent"] == "log_activity"]) <= 1


@pytest.mark.parametrize("text", [
    "walked the Karoo Cold Storage warehouse with Bongani Dube this morning, 4 bays to quote",
    "toured their plant with Ines Vidal at Mesa Verde Farms today, wants a maintenance plan",
])
def test_a_site_walked_with_someone_is_a_meeting(text):
    assert the("log_activity", text)["kind"] == "meeting"


@pytest.mark.parametrize("text", [
    "called Hugo Lam at Harbourline Freight, he says $1.15/sq ft is what they pay now",
    "spoke with Dana at Cedar Ridge Clinic, current vendor charges $38 per hour",
])
def test_a_unit_price_is_no_deal_amount(text):
    said = actions(text)
    assert [a["intent"] for a in said] == ["log_activity"], said


def test_a_monthly_amount_is_still_the_deal_s():
    assert the("create_deal", "new deal Atlas Tiles $2,400/month")["amount"] == 2400


@pytest.mark.parametrize("text, name, title", [
    ("add contact COO Marisol Quintero @ Mesa Verde Farms", "Marisol Quintero", "COO"),
    ("new contact: Head of Facilities Tomasz Wrona at Harbourline Freight", "Tomasz Wrona",
     "Head of Facilities"),
    ("add contact Regional Sales Manager Ayo Bello, Atlas Tiles", "Ayo Bello",
     "Regional Sales Manager"),
])
def test_a_job_said_before_the_name(text, name, title):
    contact = the("create_contact", text)
    assert (contact["name"], contact["title"]) == (name, title)


def test_a_job_for_a_company_names_the_company():
    contact = the("create_contact", "add Ines Vidal, she's Head of Procurement for Mesa Verde "
                                    "Farms, ines@mesaverde.com")
    assert (contact["account"], contact["title"]) == ("Mesa Verde Farms", "Head of Procurement")
    region = the("create_contact", "add Ines Vidal, VP Sales for EMEA")
    assert "account" not in region or region["account"] is None


def test_a_plural_possessive_stays_in_the_company_s_name():
    task = the("create_task", "remind me friday to send the menu to St Patrick's Boys' School")
    assert task["account"] == "St Patrick's Boys' School"


def test_an_emoji_before_a_dash_ends_the_company_s_name():
    lost = the("update_deal", "we lost Atlas Tiles 😤 — they went with the cheaper bid")
    assert lost["account"] == "Atlas Tiles" and lost["status"] == "lost"


def test_met_in_a_company_s_name_is_no_meeting():
    contact = the("create_contact", "new contact: Aled Price (Bursar) at Swansea Met College")
    assert (contact["name"], contact["account"]) == ("Aled Price", "Swansea Met College")


@pytest.mark.parametrize("text, account", [
    ("show me Harbourline Freight Services's deals", "Harbourline Freight Services"),
    ("lista los deals de Clínica Dental Sonrisa Plena", "Clínica Dental Sonrisa Plena"),
])
def test_a_company_s_deals_are_listed_by_account(text, account):
    listed = the("list_deals", text)
    assert listed.get("account") == account and not listed.get("owner")


def test_a_person_s_deals_are_still_theirs():
    assert the("list_deals", "Maria Lopez's open deals")["owner"] == "Maria Lopez"


def test_him_in_a_task_is_the_one_person_named():
    task = the("create_task", "done: send samples to Anselmo. now remind me to call him friday")
    assert task["contact"] == "Anselmo"


def test_news_of_what_someone_asked_then_an_order_is_a_note_and_a_task():
    said = actions("Dana from Cedar Ridge Clinic asked for references, call her monday")
    assert [a["intent"] for a in said] == ["log_activity", "create_task"], said
    assert said[1]["contact"] == "Dana" and said[1]["due"] == "2027-03-15T09:00"


def test_moves_to_a_stage_after_news_moves_the_deal():
    said = actions("visited Atlas Tiles with Ayo yesterday, they liked the demo. moves to "
                   "proposal and remind me to send it by friday")
    assert [a["intent"] for a in said] == ["log_activity", "update_deal", "create_task"], said
    assert said[1]["stage"] == "proposal"


def test_a_full_name_the_lists_know_is_a_person_whatever_the_tagger_reads():
    task = the("create_task", "remind me to send a message to Kleber Antunes tomorrow")
    assert task.get("contact") == "Kleber Antunes" and not task.get("account")


@pytest.mark.parametrize("text, intent, key, value", [
    ("me lembra daqui meia hora de ligar pro Kleber Antunes", "create_task", "due",
     "2027-03-10T16:50"),
    ("ciao, che comandi ci sono?", "help", None, None),
    ("ieri sopralluogo all'Hotel Belvedere Riva con Paolo Conti", "log_activity", "account",
     "Hotel Belvedere Riva"),
    ("cadastra o contato Renata Lobo, compradora da Rede Sol Nascente", "create_contact",
     "account", "Rede Sol Nascente"),
    ("email enviado p/ Renata Lobo (Rede Sol Nascente) com a tabela nova", "log_activity",
     "kind", "email"),
    ("hazme un borrador de email a Paola Ríos (Clínica Andes) sobre la garantía",
     "draft_email", "contact", "Paola Ríos"),
    ("ciclo medio de venta este año?", "pipeline_query", "measure", "cycle_days"),
    ("reunión con compras de Clínica Andes, ya estamos en negociación", "update_deal", "stage",
     "negotiation"),
    ("crea un'opportunità da 45 mila euro per Hotel Belvedere Riva", "create_deal", "amount",
     45000),
    ("tarea: preparar cotización p/ Clínica Andes para el lunes", "create_task", "account",
     "Clínica Andes"),
    ("cuántos deals ganó Maite en febrero?", "pipeline_query", "owner", "Maite"),
    ("cena con Paolo Conti (Hotel Belvedere Riva), tutto bene", "log_activity", "kind",
     "meeting"),
])
def test_what_bilingual_reps_say(text, intent, key, value):
    reads_as(intent, text, key, value, tz="Europe/Rome")


def test_mil_before_the_euro_sign_is_a_thousand():
    assert the("create_deal", "cria um deal de 60 mil € para a Rede Sol Nascente")[
        "amount"] == 60000


def test_ran_into_someone_is_a_meeting_with_them_not_a_company_called_ran():
    log = the("log_activity", "Ran into Thandiwe Mokoena of Karoo Cold Storage at the expo "
                              "yesterday, she wants a quote")
    assert (log["kind"], log["account"]) == ("meeting", "Karoo Cold Storage")


def test_a_task_to_get_something_done_is_a_new_task_not_a_finished_one():
    task = the("create_task", "set a task to get the tender pack done by next Friday")
    assert task["due"] == "2027-03-12T09:00"


def test_what_have_i_got_lists_the_tasks():
    assert the("list_tasks", "what've I got this week?")["scope"] == "week"


def test_a_rep_named_in_lower_case_owns_the_pipeline_asked_about():
    assert the("pipeline_query", "tomasz's open pipeline?")["owner"] == "tomasz"
    assert "owner" not in the("pipeline_query", "team's open pipeline?") or \
        the("pipeline_query", "team's open pipeline?")["owner"] is None


def test_a_job_before_a_name_in_a_log_is_not_the_name():
    log = the("log_activity", "spoke to Plant Manager Hugo Lam at Harbourline Freight by phone")
    assert (log["contact"], log["account"]) == ("Hugo Lam", "Harbourline Freight")


def test_the_first_word_of_a_job_after_an_email_is_not_the_name():
    contact = the("create_contact", "new contact Ayo Bello ayo@atlastiles.com Dir. of Operations, "
                                    "Atlas Tiles")
    assert (contact["name"], contact["account"]) == ("Ayo Bello", "Atlas Tiles")


def test_logging_the_call_is_a_call():
    assert the("log_activity", "logging the call I just had with Hugo Lam at Harbourline "
                               "Freight, they need a week")["kind"] == "call"


def test_seven_thirty_without_am_or_pm_is_the_morning():
    assert the("create_task", "remind me tomorrow at 7:30 to call Hugo Lam")["due"] == \
        "2027-03-11T07:30"
    assert the("create_task", "remind me tomorrow at 4:30 to call Hugo Lam")["due"] == \
        "2027-03-11T16:30"


def test_won_t_is_not_a_won_deal():
    said = actions("tried Hugo Lam at Harbourline Freight again, his assistant won't put me "
                   "through")
    assert [a["intent"] for a in said] == ["log_activity"], said


def test_a_comparison_told_in_a_log_is_news_not_a_question():
    said = actions("lunch w/ Dana Whitfield and her practice mgr at Cedar Ridge Clinic on Monday. "
                   "they're weighing our lease vs their bank's loan")
    assert [a["intent"] for a in said] == ["log_activity"], said
    assert said[0]["occurred_on"] == "2027-03-08"


@pytest.mark.parametrize("text", ["win rate by broker this year", "avg deal size by agent",
                                  "pipeline by AE"])
def test_brokers_and_agents_are_the_owners(text):
    assert the("pipeline_query", text)["group_by"] == "owner"


def test_what_they_want_changed_in_the_terms_is_not_the_deal_s_amount():
    said = actions("call with Ayo at Atlas Tiles, they want the deductible dropped to $5k")
    assert [a["intent"] for a in said] == ["log_activity"], said
    moved = actions("call with Ayo at Atlas Tiles, they want the amount dropped to 40k")
    assert [a["intent"] for a in moved] == ["log_activity", "update_deal"], moved


def test_ph_call_and_on_site_are_kinds():
    assert the("log_activity", "Ph call - Hugo Lam @ Harbourline Freight, all good")[
        "kind"] == "call"
    assert the("log_activity", "went through the numbers with Hugo Lam at Harbourline Freight "
                               "on site today")["kind"] == "meeting"


def test_top_n_open_deals_is_a_question():
    asked = the("pipeline_query", "top 10 open deals")
    assert (asked["status"], asked["limit"]) == ("open", 10)


def test_pushing_people_to_decide_moves_no_close_date():
    said = actions("coffee w Ines Vidal of Mesa Verde Farms, she's pushing the owners to switch "
                   "by Q2")
    assert [a["intent"] for a in said] == ["log_activity"], said
    slipped = actions("called Ines at Mesa Verde Farms, they pushed the close to June")
    assert slipped[-1]["intent"] == "update_deal" and slipped[-1]["close_date"] == "2027-06-30"


def test_a_company_named_then_denied_by_name():
    log = the("log_activity", "okay so uh Kessler no not Kessler Keller Tool and Die um I was "
                              "onsite this morning with Ines Carvalho")
    assert (log["contact"], log["account"]) == ("Ines Carvalho", "Keller Tool and Die")


@pytest.mark.parametrize("text", [
    "okay uh last one for today um Ayo Bello at Atlas Tiles called, they want samples",
    "morning um quick one before I head out to Ipswich uh called Ayo Bello at Atlas Tiles, "
    "they want samples",
])
def test_how_a_dictated_note_opens_names_no_one(text):
    log = the("log_activity", text)
    assert (log["contact"], log["account"]) == ("Ayo Bello", "Atlas Tiles")


@pytest.mark.parametrize("text, title", [
    ("new contact Bilal Qureshi he's their energy manager bilal@hoosier.com", "energy manager"),
    ("new contact Luis Ochoa title facilities supervisor cell 512-555-0147",
     "facilities supervisor"),
    ("add a contact Kwabena Mensah facilities manager", "facilities manager"),
])
def test_a_job_dictated_without_commas(text, title):
    assert the("create_contact", text)["title"] == title


def test_a_company_then_a_person_said_in_one_breath():
    contact = the("create_contact", "new contact for Salisbury Cold Chain Arjun Pillai he's the "
                                    "operations manager")
    assert (contact["name"], contact["account"]) == ("Arjun Pillai", "Salisbury Cold Chain")
    note = the("log_activity", "heads up the owner's son at Platte River Ag Supply Kyle Brandt "
                               "is taking over the project")
    assert (note["contact"], note["account"]) == ("Kyle Brandt", "Platte River Ag Supply")
    kept = the("summarize", "summarize the Clínica Santa Isabel S.A. account")
    assert kept["account"] == "Clínica Santa Isabel S.A."


def test_a_digest_for_a_channel_named_in_words():
    assert the("subscribe_digest", "can you set up a daily digest for the emea-field channel at "
                                   "8 in the morning")["channel"] == "emea-field"


def test_who_is_speaking_is_not_whose_pipeline():
    asked = the("pipeline_query", "hey uh it's Marisol um I need the weighted pipeline for "
                                  "Deshawn for next quarter please")
    assert asked["owner"] == "Deshawn"


@pytest.mark.parametrize("text, due", [
    ("create a task to send both quotes over by Thursday the 18th", "2027-03-18T09:00"),
    ("remind me Thu 18 March to call Hugo Lam", "2027-03-18T09:00"),
    ("remind me friday 10:30 to call Hugo Lam", "2027-03-12T10:30"),
])
def test_a_weekday_said_with_its_date(text, due):
    assert the("create_task", text)["due"] == due


def test_a_quantity_is_no_amount():
    said = actions("cuppa with Rhys Morgan at Castleford Freight Hub, about eighteen thousand "
                   "square metres of roof. open a new deal for Castleford Freight Hub at 420k")
    deals = [a for a in said if a["intent"] == "create_deal"]
    assert [d["amount"] for d in deals] == [420000], said


def test_the_deal_the_order_names_not_the_competitor():
    said = actions("Gareth Pritchard from Wrexham Timber rang, they've gone with a cheaper "
                   "installer from Chester so mark Wrexham Timber as lost")
    lost = [a for a in said if a["intent"] == "update_deal"]
    assert lost and lost[0]["account"] == "Wrexham Timber", said


def test_the_fate_of_a_deal_after_the_news_of_a_call_in_one_breath():
    said = actions("so um the Penrith job Westmead Medical Suites uh the strata manager Yusuf Khan "
                   "rang me back at lunch the body corporate approved the coating so that's "
                   "closed won")
    assert [a["intent"] for a in said] == ["log_activity", "update_deal"], said


def test_a_person_named_by_role_is_whom_the_note_and_the_task_are_about():
    said = actions("er note on Penrith Self Storage um their MD Gwen Pritchard sorry Gwen Price um "
                   "she's on leave till June so nothing's moving uh remind me on June 8th to "
                   "ring her")
    assert [a.get("contact") for a in said] == ["Gwen Price", "Gwen Price"], said
    task = the("create_task", "note on Atlas Tiles, their adjuster comes next week. set me a "
                              "task to call their ops director Wendell Pruitt Wednesday at 10am")
    assert task["contact"] == "Wendell Pruitt"


def test_her_name_said_afterwards_is_the_contact():
    log = the("log_activity", "just rang the maintenance coordinator at Logan Poultry no answer "
                              "um her name's Leilani Kahale")
    assert log["contact"] == "Leilani Kahale"


def test_one_given_name_corrected_by_another():
    log = the("log_activity", "yesterday I met with Jorge no sorry Javier Villarreal the owner "
                              "at Villarreal Tortilleria")
    assert log["contact"] == "Javier Villarreal"


@pytest.mark.parametrize("text, due", [
    ("called Rustam Aliyev at Motor City Cold Storage, he wants a site walk so um book that in "
     "as a task for Thursday", "2027-03-11T09:00"),
    ("met Angus Fraser at Darling Downs Grain, they want 250 kilowatts, chuck a follow up in for "
     "two weeks from today", "2027-03-24T09:00"),
])
def test_what_was_just_said_booked_in_as_a_task(text, due):
    assert the("create_task", text)["due"] == due


def test_put_it_in_a_stage_is_no_task():
    said = actions("TeleNova Ltda. went to legal review, put it in negotiation")
    assert [a["intent"] for a in said] == ["update_deal"], said


@pytest.mark.parametrize("text, intent, key, value", [
    ("Mail enviado a Agustina Rey (Cervecería Austral) c/ la propuesta v3", "log_activity",
     "kind", "email"),
    ("hablé por tlf con Paco Ortega de Bodegas Lusco, se van con otro por precio", "log_activity",
     "kind", "call"),
    ("recordame llamar a Ximena de Minerva el miércoles a las 4 de la tarde", "create_task",
     "contact", "Ximena"),
    ("recordame el 20 llamar a Valentina Ospina", "create_task", "due", "2027-03-20T09:00"),
    ("almorce con julian pardo de Crepes Andinos, quieren datafonos", "log_activity", "kind",
     "meeting"),
    ("reuniao com a Padaria Estrela, correu bem", "log_activity", "kind", "meeting"),
    ("llamé a jordi puig de Bar Can Puig, todo ok", "log_activity", "contact", "jordi puig"),
    ("marca como feita a tarefa ligar pra Drogaria Sao Bento", "complete_task", None, None),
    ("q tengo pendiente para hoy?", "list_tasks", "scope", "today"),
    ("cuantos deals tiene cada vendedor?", "pipeline_query", "group_by", "owner"),
    ("muda o fecho da Tasca O Petisco para 15/05", "update_deal", "close_date", "2027-05-15"),
    ("mueve Fruteria Tropical Chico a demo", "update_deal", "stage", "demo"),
    ("telefonema com o nuno barros da Churrasqueira Barros, querem pagar em 2x", "log_activity",
     "kind", "call"),
    ("llamada con compras de Minisuper La Pasadita. sube el deal a USD 180.000", "update_deal",
     "amount", 180000),
    ("q paso con Pollos El Rey Dorado? ponme al dia", "summarize", "account",
     "Pollos El Rey Dorado"),
])
def test_what_reps_type_in_spanish_or_portuguese_without_accents(text, intent, key, value):
    reads_as(intent, text, key, value, tz="America/Mexico_City")


def test_a_month_typed_without_its_cedilla_is_no_name():
    asked = the("pipeline_query", "forecast ponderato di Marco per questo trimestre")
    assert asked["owner"] == "Marco"


def test_we_won_it_mark_it_closed_won_in_one_breath():
    said = actions("so uh I was on the phone yesterday with the CFO at Citadel Hill Properties "
                   "Aaron Lacroix he approved the retrofit so we won it yeah mark it closed won")
    assert [a["intent"] for a in said] == ["log_activity", "update_deal"], said
    assert said[1]["status"] == "won"


def test_add_her_as_a_contact_after_a_task_is_a_contact():
    said = actions("lunch with Marie-Ève Tremblay from Laurentian Foods today, remind me to send "
                   "her the SLA doc tomorrow and also add her as a contact her email is "
                   "metremblay@laurentianfoods.ca")
    assert [a["intent"] for a in said] == ["log_activity", "create_task", "create_contact"], said


def test_in_like_two_hours():
    assert the("create_task", "um remind me in like two hours to call back Priscilla at Niagara "
                              "Falls Aquarium")["due"] == "2027-03-10T18:20"


def test_went_to_see_is_a_meeting_even_when_they_spoke():
    assert the("log_activity", "went to see the estates team at Pennine Leisure Centres "
                               "yesterday, spoke with Callum Fraser")["kind"] == "meeting"


def test_setting_up_a_demo_moves_no_deal():
    said = actions("breakfast with Deshawn Harris at Hudson Commons Realty, I'm gonna set up a "
                   "controls demo")
    assert [a["intent"] for a in said] == ["log_activity"], said


def test_ta_at_the_end_is_thanks():
    moved = the("update_deal", "called Priyanka at Brackenridge Estates. update the deal to "
                               "56k. Ta")
    assert moved["account"] == "Brackenridge Estates"


def test_the_deal_bumped_to_a_bare_figure():
    assert the("update_deal", "emailed Linh Nguyen at Cape Cod Seafood Co the agreement. also bump "
                              "the deal to 132,500")["amount"] == 132500


def test_a_job_then_the_company_without_commas():
    contact = the("create_contact", "add contact Darlene Whitfield facilities manager Magnolia "
                                    "Senior Living dwhitfield@magnoliasl.com")
    assert (contact["title"], contact["account"]) == ("facilities manager",
                                                      "Magnolia Senior Living")


@pytest.mark.parametrize("text, intent, key, value", [
    ("sacame del digest semanal de #gerencia-cl", "unsubscribe_digest", "channel", "gerencia-cl"),
    ("ya no quiero el digest diario en #ventas-es, quitalo", "unsubscribe_digest", "cadence",
     "daily"),
    ("new deal Farmacias Santa Lucia, 45 mil, etapa demo", "create_deal", "amount", 45000),
    ("los deals q lleva martin rosales", "list_deals", "owner", "martin rosales"),
    ("quantos deals a rita ganhou em abril?", "pipeline_query", "owner", "rita"),
    ("pipeline do joao pedro por etapa", "pipeline_query", "owner", "joao pedro"),
    ("hj fiz visita na Rede Drogaria Bem Estar, falei com a compradora, a luana prates. "
     "pediram desconto", "log_activity", "contact", "luana prates"),
    ("hoy visité La Bodeguita de Chueca, hablé con el dueño, yusuf haddad. recuérdame llamarle "
     "el jueves", "create_task", "contact", "yusuf haddad"),
])
def test_whatsapp_spanish_and_portuguese(text, intent, key, value):
    reads_as(intent, text, key, value, tz="America/Mexico_City")


def test_the_team_s_not_mine_names_no_rep():
    asked = the("pipeline_query", "cuál es el weighted forecast del equipo? el del equipo, no "
                                  "solo el mío")
    assert not asked.get("owner")
