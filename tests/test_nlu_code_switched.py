"""Bilingual reps who switch into French, Spanish or Portuguese mid-sentence: what they
must do next, how they called or met, their days and clocks, a person "de" a company.
New examples, written for these tests."""

from __future__ import annotations

import datetime as dt

import pytest

from bot.nlu import actions_to_json, parse

NOW = dt.datetime(2026, 10, 21, 16, 40)  # a Wednesday


def actions(text: str, tz: str = "America/Toronto") -> list[dict]:
    return actions_to_json(parse(text, now=NOW, tz=tz))["actions"]


def the(intent: str, text: str) -> dict:
    found = [a for a in actions(text) if a["intent"] == intent]
    assert found, actions(text)
    return found[0]


@pytest.mark.parametrize("text, due, contact, account", [
    ("tengo que mandarle la cotización a Jorge Ruiz de Grupo Herdez el lunes",
     "2026-10-26T09:00", "Jorge Ruiz", "Grupo Herdez"),
    ("preciso mandar o contrato pro Rafael Costa da Sadia até sexta", "2026-10-23T09:00",
     "Rafael Costa", "Sadia"),
    ("je dois rappeler Luc Gagnon chez Bombardier la semaine prochaine", "2026-10-26T09:00",
     "Luc Gagnon", "Bombardier"),
])
def test_what_a_rep_must_do_said_in_their_language_is_a_task(text, due, contact, account):
    task = the("create_task", text)
    assert (task["due"], task["contact"], task["account"]) == (due, contact, account)


def test_a_task_said_in_french_after_a_call_in_english():
    said = actions("Called Marie Tremblay at Fromagerie Lavoie, il faut que je lui envoie la "
                   "soumission demain")
    assert [a["intent"] for a in said] == ["log_activity", "create_task"]
    assert said[1]["due"] == "2026-10-22T09:00"


@pytest.mark.parametrize("text, kind, contact, account", [
    ("Comida con Ana Morales de Bimbo hoy, quieren 500 cajas", "meeting", "Ana Morales",
     "Bimbo"),
    ("hablé por teléfono con Lucía Gómez de Alsea, budget aprobado", "call", "Lucía Gómez",
     "Alsea"),
    ("courriel envoyé à Nathalie Côté de Saputo avec la liste de prix", "email",
     "Nathalie Côté", "Saputo"),
    ("coup de fil avec Éric Bouchard de Metro Inc, il rappelle lundi", "call", "Éric Bouchard",
     "Metro Inc"),
    ("almocei com Camila Rocha da Ambev, ela quer um orçamento", "meeting", "Camila Rocha",
     "Ambev"),
])
def test_calls_meals_and_emails_told_in_their_language_are_logged(text, kind, contact, account):
    log = the("log_activity", text)
    assert (log["kind"], log["contact"], log["account"]) == (kind, contact, account)


@pytest.mark.parametrize("text, contact", [
    ("had coffee with Lucía Fernández de Córdoba (Olivar del Sur S.L.)",
     "Lucía Fernández de Córdoba"),  # a family name when the company is said after
    ("Maria Fernanda de Souza called, wants a demo", "Maria Fernanda de Souza"),
])
def test_de_in_a_family_name_stays_in_the_name(text, contact):
    assert the("log_activity", text)["contact"] == contact


@pytest.mark.parametrize("text, due", [
    ("avísame en 20 minutos para llamar a Diego", "2026-10-21T17:00"),
    ("call Sofia Herrera mañana a las 3 de la tarde", "2026-10-22T15:00"),
    ("meeting with Claude Lemieux après-demain à midi", "2026-10-23T12:00"),
    ("follow up with Tomás Ruiz dentro de dos semanas", "2026-11-04T09:00"),
    ("remind me ce soir to send the deck to Pierre", "2026-10-21T19:00"),
])
def test_days_and_clocks_said_in_their_language(text, due):
    assert the("create_task", text)["due"] == due


@pytest.mark.parametrize("text, day", [
    ("hace 2 días hablé con Luis Ortega de Gruma", "2026-10-19"),
    ("il y a 3 jours j'ai rencontré Isabelle Morin de Lassonde", "2026-10-18"),
    ("visited Agropur hier soir, talked to the DG Marc Ouellet", "2026-10-20"),
])
def test_when_it_happened_said_in_their_language(text, day):
    assert the("log_activity", text)["occurred_on"] == day


def test_last_month_asked_in_french():
    asked = the("pipeline_query", "how many deals did we win le mois dernier?")
    assert asked["period"] == {"start": "2026-09-01", "end": "2026-09-30"}


@pytest.mark.parametrize("text, key, value", [
    ("Kellogg deal → négo, 120k", "stage", "negotiation"),
    ("move Ultramar to démo stage", "stage", "demo"),
    ("cria um deal pra Natura, 200 mil reais", "amount", 200_000),  # "um", not a pause
])
def test_deal_words_in_their_language(text, key, value):
    assert next(a for a in actions(text) if key in a)[key] == value


def test_done_said_in_french_completes_the_task():
    assert the("complete_task", "c'est fait: send contract to Maple Leaf Foods")["title"] == \
        "send contract to Maple Leaf Foods"


def test_i_have_to_is_no_part_of_the_task():
    assert the("create_task", "I have to send the pricing to Jean Caron by Friday")["title"] \
        == "Send the pricing to Jean Caron"


@pytest.mark.parametrize("text, key, value", [
    # a voice note's first breath and its pauses in Spanish, Italian, French, Portuguese
    ("Vale, eh, reunión esta mañana con Javier Ortega de Frigoríficos Tajuña, eh, super "
     "positive", "account", "Frigoríficos Tajuña"),
    ("Allora, ehm, ho chiamato Marco Bianchi di Imballaggi Ferretti, he wants pricing",
     "account", "Imballaggi Ferretti"),
    ("Bueno, nota rápida sobre Bodega Cuyo Andino: the owner is retiring. Eso es todo.",
     "account", "Bodega Cuyo Andino"),
    # what a note takes back, said in its own language
    ("Cria um deal de, hã, 210 mil, não, 240 mil reais, Cooperativa Vale Verde", "amount",
     240_000),
    ("remind me mañana a las diez, no, a las once, to call Carlos", "due", "2026-10-22T11:00"),
    ("move Fromagerie Boucher to proposal— no, sorry, to demo", "stage", "demo"),
])
def test_a_voice_note_in_two_languages(text, key, value):
    assert next(a for a in actions(text) if key in a)[key] == value


@pytest.mark.parametrize("text, want", [
    ("cuántos deals ganó Diego en febrero?", {"status": "won", "owner": "Diego",
                                            "period": {"start": "2026-02-01",
                                                       "end": "2026-02-28"}}),
    ("pipe de Álvaro por etapa", {"owner": "Álvaro", "group_by": "stage"}),
    ("how much did we sign this quarter?", {"status": "won"}),
])
def test_managers_questions_in_their_language(text, want):
    asked = the("pipeline_query", text)
    assert {key: asked.get(key) for key in want} == want


def test_deleting_someones_deals_is_not_a_task_deleted():
    assert [a["intent"] for a in actions("delete all of Pedro's deals, he left")] == ["unknown"]


def test_a_purchase_order_signed_is_the_deal_just_won():
    said = actions("Fret Frais France → won. Bon de commande signé aujourd'hui, 138k€")
    assert [(a["intent"], a["account"], a.get("amount")) for a in said] == [
        ("update_deal", "Fret Frais France", 138_000)]


@pytest.mark.parametrize("text, intents", [
    ("Call with Leandro Machado (Distribuidora Sul Minas) — fechado! 🎉 R$ 240 mil. schedule "
     "the kickoff segunda às 10h", ["log_activity", "update_deal", "create_task"]),
    ("demo at Lácteos Santa Fe with Ricardo Paz went great, pasamos a propuesta",
     ["log_activity", "update_deal"]),
    ("rascunho de email pro Paulo Henrique (Granja Santa Clara) with the egg tray quote",
     ["draft_email"]),
    ("o que eu tenho this week?", ["list_tasks"]),
    ("Perdimos Aceitunas Sevillanas 😤 they went with a Portuguese supplier", ["update_deal"]),
])
def test_news_orders_and_questions_said_in_their_words(text, intents):
    assert [a["intent"] for a in actions(text)] == intents


@pytest.mark.parametrize("text, account", [
    ("historial de Panificadora del Bajío pls", "Panificadora del Bajío"),
    ("resumen de Hortalizas del Valle pls", "Hortalizas del Valle"),
    ("Frigorífico Bom Pasto FECHADO!!! remind me to send the contract to legal amanhã",
     "Frigorífico Bom Pasto"),  # shouted, not a word of the name
    ("open an opp for Frantoio Ricci, 75 mila euro, stage qualified", "Frantoio Ricci"),
])
def test_the_company_named_in_their_words(text, account):
    assert actions(text)[0]["account"] == account


@pytest.mark.parametrize("text, want", [
    ("taxa de conversão deste trimestre?",
     {"measure": "win_rate", "period": {"start": "2026-10-01", "end": "2026-12-31"}}),
    ("forecast ponderato per mese", {"measure": "weighted_amount", "group_by": "month"}),
    ("pipeline abierto por cliente", {"status": "open", "group_by": "account"}),
    ("combien de deals on a perdu le mois passé?",
     {"measure": "count", "status": "lost", "period": {"start": "2026-09-01",
                                                       "end": "2026-09-30"}}),
])
def test_a_managers_question_in_their_words(text, want):
    (query,) = actions(text)
    assert query["intent"] == "pipeline_query"
    assert {key: query.get(key) for key in want} == want


@pytest.mark.parametrize("text, want", [
    ("cosa devo fare oggi?", {"intent": "list_tasks", "scope": "today"}),
    ("mostra-me os 3 leads mais quentes", {"intent": "hot_leads", "limit": 3}),
    ("stop le digest hebdomadaire dans #ventes",
     {"intent": "unsubscribe_digest", "channel": "ventes", "cadence": "weekly"}),
    ("nueva oportunidad Vinos Altamira, 60k, etapa calificación",
     {"intent": "create_deal", "account": "Vinos Altamira", "stage": "qualified"}),
    ("muéstrame los deals de Pilar", {"intent": "list_deals", "owner": "Pilar"}),
])
def test_lists_digests_and_stages_in_their_words(text, want):
    (said,) = actions(text)
    assert {key: said.get(key) for key in want} == want


def test_a_french_word_inside_a_name_stays_the_names():
    (update,) = actions("Boulangerie Chez Ginette wants to wait, push the close date to April 30")
    assert update["account"] == "Boulangerie Chez Ginette"
    assert actions("Called Marie. Chez Bombardier ils veulent 3 camions")[0]["account"] == \
        "Bombardier"


@pytest.mark.parametrize("text, due", [
    ("llamé a Pedro Soto de Cemex, pide muestras - mándaselas mañana", "2026-10-22T09:00"),
    ("reunión con Luis Mora de Arca, envíale la propuesta el lunes", "2026-10-26T09:00"),
    ("left a voicemail pour Luc Roy chez Cascades, je réessaie vendredi", "2026-10-23T09:00"),
    ("liguei pro Thiago Rocha da Natura Cosméticos, caixa postal, tento de novo amanhã",
     "2026-10-22T09:00"),
])
def test_an_order_with_its_pronouns_on_the_verb_after_a_call_is_a_task(text, due):
    said = actions(text)
    assert [a["intent"] for a in said] == ["log_activity", "create_task"], said
    assert said[1]["due"] == due and said[1]["contact"] == said[0]["contact"]
