"""People, companies and titles as people write them: one test per class of name, each
with examples written for this file (none comes from a blind set)."""

from __future__ import annotations

import datetime as dt

import pytest

from bot.nlu import actions_to_json, parse
from bot.nlu.entities import name_spans
from bot.nlu.features import tokens
from bot.nlu.lexicon import FIRST_NAMES, fold

NOW = dt.datetime(2026, 11, 18, 10, 0)


def first_with(text: str, *keys: str) -> dict:
    """The first action of `text` that has all of `keys`, trailing stops aside."""
    for action in actions_to_json(parse(text, now=NOW, tz="UTC"))["actions"]:
        if all(action.get(k) is not None for k in keys):
            return {k: str(action[k]).rstrip(".") for k in keys}
    raise AssertionError(f"no action with {keys} in {text!r}")


def said(*values: str) -> dict:
    return {k: v.rstrip(".") for k, v in zip(("contact", "account"), values, strict=True)}


@pytest.mark.parametrize(("word", "pieces"), [
    ("Salt+Ember Kitchens", ["Salt+Ember", "Kitchens"]),
    ("Ọlámídé Adéwálé", ["Ọlámídé", "Adéwálé"]),  # combining marks stay with their letter
    ("Hokuto Seiki K.K.", ["Hokuto", "Seiki", "K.K."]),
    ("Fjellvind A/S", ["Fjellvind", "A/S"]),
    ("Conor O'Shea's", ["Conor", "O'Shea", "'s"]),
])
def test_tokens_keep_plus_signs_marks_and_dotted_forms_inside_a_word(word, pieces):
    assert [t for t, _, _ in tokens(word)] == pieces


@pytest.mark.parametrize(("text", "contact", "account"), [
    ("met Yusuf bin Hamdan at Gulf Reach Trading FZCO, they want a pilot",
     "Yusuf bin Hamdan", "Gulf Reach Trading FZCO"),
    ("called Mariam bint Saeed from Oasis Dates LLC about pricing",
     "Mariam bint Saeed", "Oasis Dates LLC"),
    ("lunch with Pieter van den Broek of Tulpen Logistiek B.V. yesterday, budget approved",
     "Pieter van den Broek", "Tulpen Logistiek B.V."),
    ("coffee w/ Lucía de la Fuente (Grupo Meseta S.A. de C.V.), loved the demo",
     "Lucía de la Fuente", "Grupo Meseta S.A. de C.V."),
    ("emailed Henrik ter Horst at Noorderzon bv the NDA", "Henrik ter Horst", "Noorderzon bv"),
    ("met Fatima al-Zahra at Qamar Labs about the pilot", "Fatima al-Zahra", "Qamar Labs"),
    ("called Otto von der Heide at Hanse Kontor KG", "Otto von der Heide", "Hanse Kontor KG"),
])
def test_names_with_particles_are_read_whole(text, contact, account):
    assert first_with(text, "contact", "account") == said(contact, account)


@pytest.mark.parametrize(("text", "contact", "account"), [
    ("met Conor O'Shea at Liffey Analytics Ltd, he wants a discount",
     "Conor O'Shea", "Liffey Analytics Ltd"),
    ("heads up: D'Andre Williams left Hollow Creek Partners LLP",
     "D'Andre Williams", "Hollow Creek Partners LLP"),
    ("Marcus DiNapoli left Harbor Point Capital, need a new champion",
     "Marcus DiNapoli", "Harbor Point Capital"),
    ("met Jean-Baptiste Koffi at Abidjan Cacao SARL, they want a trial",
     "Jean-Baptiste Koffi", "Abidjan Cacao SARL"),
    ("rang Bjørn Åkesson at Fjellvind ApS, no answer", "Bjørn Åkesson", "Fjellvind ApS"),
    ("met Ọlámídé Adéwálé at Ibadan Agritech Ltd, they want a demo",
     "Ọlámídé Adéwálé", "Ibadan Agritech Ltd"),
    ("call with Nguyễn Thị Lan at Mekong Delta Seafood JSC, decision next week",
     "Nguyễn Thị Lan", "Mekong Delta Seafood JSC"),
    ("emailed sinead o'brien at clover dairy ltd the proposal",
     "sinead o'brien", "clover dairy ltd"),
])
def test_apostrophes_hyphens_accents_and_lower_case_keep_a_person_whole(text, contact, account):
    assert first_with(text, "contact", "account") == said(contact, account)


@pytest.mark.parametrize(("text", "contact", "account"), [
    ("emailed the quote to Priya Raman @ Salt+Ember Kitchens", "Priya Raman",
     "Salt+Ember Kitchens"),
    ("called Kenji Mori at Hokuto Seiki K.K., they need a Japanese UI", "Kenji Mori",
     "Hokuto Seiki K.K."),
    ("met Emre Kaya at Bosphorus Lojistik A.Ş. today", "Emre Kaya", "Bosphorus Lojistik A.Ş."),
    ("call with Rohan Mehta from Deccan Freight Pvt Ltd, wants 200 seats", "Rohan Mehta",
     "Deccan Freight Pvt Ltd"),
    ("call with Siddharth from Indus Textiles Pvt. Ltd. - asked for a discount", "Siddharth",
     "Indus Textiles Pvt. Ltd."),
    ("met Wu Jie at Pearl River 3D Print Co., Ltd. today", "Wu Jie",
     "Pearl River 3D Print Co., Ltd."),
    ("voicemail for Tomasz Zieliński at Odra Meble sp. z o.o.", "Tomasz Zieliński",
     "Odra Meble sp. z o.o."),
    ("had a call with Giada Conti of Vetri Murano S.r.l., they want pricing", "Giada Conti",
     "Vetri Murano S.r.l."),
    ("2nd voicemail for Astrid Lund at nordkapp.no", "Astrid Lund", "nordkapp.no"),
    ("met Dae-jung Kwon at Hanbit 5G Networks, they want a trial", "Dae-jung Kwon",
     "Hanbit 5G Networks"),
])
def test_companies_keep_plus_signs_digits_domains_and_legal_forms(text, contact, account):
    assert first_with(text, "contact", "account") == said(contact, account)


@pytest.mark.parametrize(("text", "contact", "account"), [
    ("email from marta at lindenhof gmbh asking for the renewal quote", "marta",
     "lindenhof gmbh"),
    ("met Hiroshi at kumo9 kk asking about the API", "Hiroshi", "kumo9 kk"),
    ("got an email from Sven Ek at Skärgård Marin AB asking for references", "Sven Ek",
     "Skärgård Marin AB"),
])
def test_a_company_name_ends_where_the_sentence_goes_on(text, contact, account):
    assert first_with(text, "contact", "account") == said(contact, account)


def test_a_title_before_a_name_does_not_hide_the_person():
    assert first_with("toured the site with their CFO Rania Haddad, they want a pilot",
                      "contact") == {"contact": "Rania Haddad"}
    assert first_with("met their VP Sales Owen Briggs at Copperline Media, budget ok",
                      "contact", "account") == said("Owen Briggs", "Copperline Media")


@pytest.mark.parametrize(("text", "name", "account", "title"), [
    ("add contact Keoni Palakiko at Lanai Reef Charters, GM", "Keoni Palakiko",
     "Lanai Reef Charters", "GM"),
    ("add Lena Vogt, Head of Procurement, Rheinland Kabel GmbH", "Lena Vogt",
     "Rheinland Kabel GmbH", "Head of Procurement"),
    ("add contact Ana-Lucía Paredes, CFO, Andes Verde S.A.C.", "Ana-Lucía Paredes",
     "Andes Verde S.A.C", "CFO"),
    ("new contact: Rangi Parata, GM at Whanganui River Tours", "Rangi Parata",
     "Whanganui River Tours", "GM"),
])
def test_a_title_said_after_the_name_or_the_company_is_the_contacts(text, name, account, title):
    assert first_with(text, "name", "account", "title") == {
        "name": name, "account": account, "title": title}


def test_initials_belong_to_the_name():
    assert [s.text for s in name_spans("called J. R. Whitaker at Bluegate Freight Inc")] == [
        "J. R. Whitaker", "Bluegate Freight Inc"]


def test_given_names_are_found_with_or_without_their_accents():
    assert "Siobhan".lower() in FIRST_NAMES and "siobhán" in FIRST_NAMES
    assert "Zoë".lower() in FIRST_NAMES and fold("Søren") == "soren"


def test_a_capital_the_inside_a_sentence_belongs_to_the_company():
    assert first_with("met Hana Novak at The Green Kitchen Co., wants a quote",
                      "contact", "account") == said("Hana Novak", "The Green Kitchen Co")


@pytest.mark.parametrize(("text", "contact", "account"), [
    ("call with Renee Sato at eCargo Systems, wants pricing", "Renee Sato", "eCargo Systems"),
    ("coffee w/ Park Ji-sung from Hanil Steel, asked for references", "Park Ji-sung",
     "Hanil Steel"),
    ("met Jonas Berg from 7-Summits Outdoor AB, they want 30 seats", "Jonas Berg",
     "7-Summits Outdoor AB"),
    ("call with Aisha Bello at Procter and Lane Foods, budget approved", "Aisha Bello",
     "Procter and Lane Foods"),
    ("call with tariq at desert rose hotels about the renewal", "tariq", "desert rose hotels"),
])
def test_more_shapes_of_company_names(text, contact, account):
    assert first_with(text, "contact", "account") == said(contact, account)


@pytest.mark.parametrize(("text", "contact", "account"), [
    ("Spoke to Ravi (CTO) at Nimbus Grid Pvt Ltd about SSO", "Ravi", "Nimbus Grid Pvt Ltd"),
    ("met the new CFO at Baltic Timber UAB, Rūta Kazlauskienė, she wants a pilot",
     "Rūta Kazlauskienė", "Baltic Timber UAB"),
])
def test_a_job_title_alone_is_neither_the_person_nor_the_company(text, contact, account):
    assert first_with(text, "contact", "account") == said(contact, account)


@pytest.mark.parametrize(("text", "contact", "account"), [
    ("called lars de vries @ tulip freight bv, wants pricing", "lars de vries",
     "tulip freight bv"),
    ("met siosaia at tonga reef tours, they want 5 seats", "siosaia", "tonga reef tours"),
    ("met yusuf bin hamdan at gulf reach trading fzco today", "yusuf bin hamdan",
     "gulf reach trading fzco"),
    ("vm for kwame at accra+kumasi logistics", "kwame", "accra+kumasi logistics"),
])
def test_names_typed_in_lower_case(text, contact, account):
    assert first_with(text, "contact", "account") == said(contact, account)


def test_capitals_beyond_latin_1_open_a_name():
    assert [s.text for s in name_spans("met Ọlámídé Adéwálé and Đặng Lâm")][:1] == [
        "Ọlámídé Adéwálé"]


def test_names_joined_by_and_stay_whole_in_a_company_or_a_shared_possessive():
    assert [s.text for s in name_spans("Johnson and Johnson moved to proposal")] == [
        "Johnson and Johnson"]
    assert [s.text for s in name_spans("Diego and Priya's pipeline")] == ["Diego and Priya"]
