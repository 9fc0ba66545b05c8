"""The learned parts of the offline engine: present, and what they add (their speed is
measured in bench/nlu_bench.py, not here).

The models ship in the package; a missing one would quietly leave the rules alone,
so the first test fails loudly instead.
"""

from __future__ import annotations

import datetime as dt
import json

from sqlalchemy import func, select

from bot.nlu import actions_to_json, learned, parse

NOW = dt.datetime(2026, 11, 18, 10, 0)
TZ = "America/New_York"


def run(text: str, names=None) -> list[dict]:
    with learned.known_names(names):
        return actions_to_json(parse(text, now=NOW, tz=TZ))["actions"]


def test_the_models_ship_with_the_package_and_load():
    assert learned.available(), "bot/nlu/models/*.crfsuite missing: python -m bot.nlu.train"


def test_names_of_many_shapes_are_found_whole():
    (log,) = run("mtg yday w/ Jens van der Berg (Hartwell GmbH) - legal reviewing the MSA")
    assert (log["contact"], log["account"]) == ("Jens van der Berg", "Hartwell GmbH")
    (log,) = run("lunch with Łukasz Wiśniewski from Vistula Software S.A. on monday, budget ok")
    assert (log["contact"], log["account"]) == ("Łukasz Wiśniewski", "Vistula Software S.A.")
    (move,) = run("8Ball Analytics moved to negotiation")
    assert move["account"] == "8Ball Analytics" and move["stage"] == "negotiation"


def test_a_message_without_a_rule_cue_is_read_by_the_classifier():
    (task,) = run("first thing mon need to ring Oksana Petrenko at Kharkiv Agro re renewal")
    assert task["intent"] == "create_task" and task["due"] == "2026-11-23T09:00"
    assert task["contact"] == "Oksana Petrenko"


def test_every_action_carries_a_confidence_that_the_json_leaves_out():
    actions = parse("called Priya Shah at Northwind, follow up Friday", now=NOW, tz=TZ)
    assert all(0 < a.confidence <= 1 for a in actions)
    assert "confidence" not in actions_to_json(actions)["actions"][0]


def test_known_names_decide_an_unclear_span():
    text = "remind me to send the contract to dunder mifflin tomorrow"
    assert "account" not in run(text)[0]
    (task,) = run(text, names=[("account", "Dunder Mifflin")])
    assert task["account"] == "dunder mifflin"


def test_parse_takes_known_names_from_a_file_and_explains(tmp_path, capsys):
    from bot.cli import main

    names = tmp_path / "names.txt"
    names.write_text("account\tDunder Mifflin\nKofi Mensah\n", encoding="utf-8")
    text = "remind me to send the contract to dunder mifflin tomorrow"
    args = ["parse", "--engine", "rules", "--now", "2026-11-18T10:00", "--tz", TZ, text]
    assert main(args) == 0
    plain = json.loads(capsys.readouterr().out)["actions"][0]
    assert "account" not in plain and "confidence" not in plain
    assert main([*args[:-1], "--names", str(names), "--explain", text]) == 0
    told = json.loads(capsys.readouterr().out)["actions"][0]
    assert told["account"] == "dunder mifflin" and 0 < told["confidence"] <= 1


def test_the_assistant_reads_with_the_workspaces_own_names(database):
    from bot.assistant.core import Assistant
    from bot.assistant.types import Incoming, Person
    from bot.settings import Settings
    from crm_store.models import Account, Task
    from crm_store.services import accounts

    with database.session() as s:
        accounts.create_account(s, actor=None, team_id="local", name="Dunder Mifflin")
    bot = Assistant(database, Settings(), engine=parse)
    sam = Person(team_id="local", user_id="USAM", name="Sam Rivera", tz=TZ)
    reply = bot.handle(Incoming(person=sam, source_id="m1",
                                text="remind me to send the contract to dunder mifflin tomorrow",
                                now=dt.datetime(2026, 11, 18, 15, 0, tzinfo=dt.UTC)))
    assert reply.wrote, reply.text
    with database.session(readonly=True) as s:
        task = s.scalar(select(Task))
        assert task.account.name == "Dunder Mifflin"
        assert s.scalar(select(func.count()).select_from(Account)) == 1  # none made up


def test_without_its_models_the_engine_still_reads_by_rules(monkeypatch, tmp_path, caplog):
    monkeypatch.setattr(learned, "MODELS", tmp_path)  # an empty folder: no model files
    monkeypatch.setattr(learned, "_models", learned._Models())
    learned.clear_caches()
    try:
        assert not learned.available()
        assert "rules run alone" in caplog.text
        log, task = run("called Priya Shah at Northwind, follow up Friday")
        assert (log["contact"], log["account"], task["due"]) == (
            "Priya Shah", "Northwind", "2026-11-20T09:00")
    finally:
        learned.clear_caches()


def test_a_reading_the_classifier_doubts_carries_a_low_confidence():
    (task,) = parse("please order new business cards", now=NOW, tz=TZ)
    assert task.intent == "create_task" and task.confidence < 0.5  # ask before doing
    (sure,) = parse("remind me to send the deck to Ana Lopes Friday", now=NOW, tz=TZ)
    assert sure.confidence > 0.9


def test_the_classifier_overrules_a_reading_it_finds_unlikely():
    (stop,) = run("i don't want the weekly recap in #revops anymore")
    assert (stop["intent"], stop["channel"], stop["cadence"]) == (
        "unsubscribe_digest", "revops", "weekly")


def test_the_role_tagger_sets_right_who_and_which_company_a_message_is_about():
    # The rules take the place for the person, and the event for the company; the role
    # tagger, trained on real messages, reads who was met and where.
    (log,) = run("Meeting on Tuesday in Gdansk at Baltic Paper S.A. with Ewa Nowak from "
                 "procurement. They want a proposal by Friday")
    assert (log["contact"], log["account"]) == ("Ewa Nowak", "Baltic Paper S.A.")
    (contact,) = run("trade fair contact: Juma Mwangi, Head of Finance at Rift Valley Dairies "
                     "Ltd, juma@rvdairies.co.ke")
    assert (contact["name"], contact["account"]) == ("Juma Mwangi", "Rift Valley Dairies Ltd")



def test_a_known_company_said_where_a_person_would_stand_is_the_account():
    text = "remind me 4.12. to send Kemira the proposal"
    assert run(text)[0].get("contact") == "Kemira"  # who or what Kemira is, nothing says
    (task,) = run(text, names=[("account", "Kemira")])
    assert (task.get("contact"), task["account"]) == (None, "Kemira")
