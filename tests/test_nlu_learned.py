"""The learned parts of the offline engine: present, quick, and what they add.

The models ship in the package; a missing one would quietly leave the rules alone,
so the first test fails loudly instead.
"""

from __future__ import annotations

import datetime as dt
import time

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


def test_the_engine_answers_in_well_under_five_milliseconds():
    parse("warm-up call with Ana at Acme", now=NOW, tz=TZ)
    took = []
    for i in range(50):
        started = time.perf_counter()
        parse(f"called Ngozi Okafor-{i} at Route {i} Logistics, follow up tues", now=NOW, tz=TZ)
        took.append(time.perf_counter() - started)
    assert sorted(took)[len(took) // 2] < 0.005
