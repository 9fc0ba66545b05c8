"""People, companies and currency next to names (set_g's classes, new examples)."""

from __future__ import annotations

import datetime as dt

import pytest

from bot.nlu import actions_to_json, parse
from bot.nlu.entities import find_money, is_person, name_spans

NOW = dt.datetime(2026, 11, 18, 10, 0)


def actions(text: str) -> list[dict]:
    return actions_to_json(parse(text, now=NOW, tz="UTC"))["actions"]


def first_with(text: str, key: str) -> dict:
    return next(a for a in actions(text) if a.get(key) is not None)


@pytest.mark.parametrize(("text", "contact"), [
    ("remind me tomorrow to send Marie-Claire the renewal quote", "Marie-Claire"),
    ("remind me monday to email Tiri the onboarding checklist", "Tiri"),
    ("remind me to call Hye-Jin on friday", "Hye-Jin"),
    ("remind me to give Ottavio a call back thursday", "Ottavio"),
])
def test_a_given_name_alone_as_the_object_of_an_order_is_a_contact(text, contact):
    task = first_with(text, "due")
    assert task.get("contact") == contact and task.get("account") is None, task


@pytest.mark.parametrize("name", ["Anne-Sophie", "Mei-Lin", "Jean-Luc"])
def test_a_double_given_name_reads_as_a_person(name):
    assert is_person(name)


@pytest.mark.parametrize("name", ["Coca-Cola", "Rolls-Royce", "Oscorp"])
def test_other_single_words_still_read_as_companies(name):
    assert not is_person(name)


@pytest.mark.parametrize(("text", "contact", "account"), [
    ("remind me friday to check in w Tama at Kauri Coast Freight", "Tama", "Kauri Coast Freight"),
    ("call w/ Femke de Jong: Polder Bouw BV wants a second quote", "Femke de Jong",
     "Polder Bouw BV"),
])
def test_w_and_a_colon_introduce_a_person_then_their_company(text, contact, account):
    action = first_with(text, "contact")
    assert (action.get("contact"), action.get("account")) == (contact, account), action


@pytest.mark.parametrize("text", ["show the timeline of Maarten de Wit",
                                  "history with Inês da Costa"])
def test_a_name_with_a_lower_case_particle_is_a_person(text):
    (action,) = actions(text)
    assert action["intent"] == "show_timeline" and action.get("account") is None, action
    assert action["contact"] in text


@pytest.mark.parametrize(("text", "person", "company"), [
    ("called Joaquín Herrera de Cerámicas Levante S.L. today",
     "Joaquín Herrera", "Cerámicas Levante S.L."),
    ("met Beatriz Lopes da Soluções Atlântico Lda",
     "Beatriz Lopes", "Soluções Atlântico Lda"),
])
def test_de_before_a_company_with_a_legal_form_means_from(text, person, company):
    assert [s.text for s in name_spans(text)] == [person, company]


def test_de_inside_a_persons_or_a_banks_name_stays():
    assert [s.text for s in name_spans("met Rosa de Almeida at Banco do Norte")] == \
        ["Rosa de Almeida", "Banco do Norte"]


@pytest.mark.parametrize("text", [
    "Teams call with Nikolai Petrov (Baltic Grain AS) went well",
    "Webex with Nikolai Petrov from Baltic Grain AS, went well",
])
def test_a_call_medium_is_no_account(text):
    log = first_with(text, "kind")
    assert (log.get("contact"), log.get("account")) == ("Nikolai Petrov", "Baltic Grain AS"), log


@pytest.mark.parametrize(("text", "amount"), [
    ("Kiwi Fruit Co: move to proposal, 180k NZD", 180000),
    ("Marlin Foods: amount now HKD 2.5m", 2500000),
    ("Dune Telecom deal now CAD 75,000", 75000),
])
def test_a_currency_code_next_to_an_amount_is_no_account(text, amount):
    deal = first_with(text, "amount")
    assert deal["amount"] == amount and deal.get("account") not in ("NZD", "HKD", "CAD"), deal
    assert deal["account"] == text.split(":")[0].split(" deal")[0]


@pytest.mark.parametrize(("said", "value"), [
    ("R850k", 850000), ("R2.4m", 2400000), ("A$60k", 60000), ("₹12,50,000", 1250000),
    ("30 lakhs", 3000000), ("1.5 crore", 15000000), ("Rs. 8 lakh", 800000),
    ("SGD 95,000", 95000), ("7,500 CHF", 7500),
])
def test_amounts_in_more_currencies(said, value):
    found = find_money(f"deal value {said} confirmed")
    assert found is not None and found[0] == value


@pytest.mark.parametrize(("text", "contact", "account"), [
    ("lunch with Dr. Kwame Asante from Volta Agritech today, loved it", "Dr. Kwame Asante",
     "Volta Agritech"),
    ("call with Mrs. Haddad at Cedar Pharma, wants samples", "Mrs. Haddad", "Cedar Pharma"),
    ("coffee with Prof. Nyberg (Fjord Analytics AS), positive", "Prof. Nyberg",
     "Fjord Analytics AS"),
])
def test_an_honorific_before_a_name_stays_with_the_person_not_the_company(text, contact,
                                                                           account):
    log = first_with(text, "kind")
    assert (log.get("contact"), log.get("account")) == (contact, account), log


def test_an_honorific_makes_a_lone_family_name_a_person():
    task = first_with("remind me monday to send Ms. Varga the pricing sheet", "due")
    assert task.get("contact") == "Ms. Varga" and task.get("account") is None, task


def test_tl_dr_is_no_honorific():
    (action,) = actions("tl;dr Initech pls")
    assert action.get("account") == "Initech", action


@pytest.mark.parametrize(("text", "amount"), [
    ("Saffron Retail deal amount to ₹1,25,00,000", 12500000),
    ("Saffron Retail deal now 4,50,000 INR", 450000),
])
def test_amounts_grouped_by_lakhs(text, amount):
    assert first_with(text, "amount")["amount"] == amount


def test_a_honorific_before_de_splits_a_person_from_the_company():
    log = first_with("Meeting with Sra. Quispe de Lanas Andinas S.A.C. went well", "kind")
    assert (log.get("contact"), log.get("account")) == ("Sra. Quispe", "Lanas Andinas S.A.C."), log


@pytest.mark.parametrize("name", ["Ji-woo", "Min-jun", "Seo-yeon"])
def test_a_korean_given_name_in_its_usual_typing_is_a_person(name):
    assert is_person(name)
