"""The offline engine on the frozen blind sets (tests/nlu_blind): a guard against
regressions, not a measure of generalization — every set here has been read while
tuning (see the README there); the figure that counts comes from a fresh set."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import pytest

from bot.nlu import actions_to_json, parse, text
from bot.nlu.evaluate import case_matches

SETS = Path(__file__).parent / "nlu_blind"
# Each set's exact score, less a little slack: when it was frozen into this guard, raised
# since as the engine improved (2026-11-30).
FLOORS = {"set_a": 0.96, "set_b": 0.97, "set_c": 0.96, "set_d": 0.97, "set_e": 0.97, "set_f": 0.97,
          "set_g": 0.97, "set_h": 0.97, "set_i": 0.97, "set_j": 0.91, "set_k": 0.95, "set_l": 0.95,
          "set_m": 0.82, "set_n": 0.92, "set_o": 0.95, "set_p": 0.89, "set_q": 0.91, "set_r": 0.92,
          "set_s": 0.90, "set_t": 0.92, "set_u": 0.91, "set_v": 0.91, "set_w": 0.89, "set_x": 0.88,
          "set_y": 0.87, "set_z": 0.84, "set_aa": 0.91, "set_ab": 0.76, "set_ac": 0.87,
          "set_ad": 0.86, "set_ae": 0.93, "set_af": 0.89, "set_ag": 0.81, "set_ah": 0.87,
          "set_ai": 0.89, "set_aj": 0.81, "set_ak": 0.92, "set_al": 0.90, "set_am": 0.90,
          "set_an": 0.90, "set_ao": 0.91, "set_ap": 0.90, "set_aq": 0.78, "set_ar": 0.90,
          "set_as": 0.90, "set_aw": 0.87, "set_at": 0.87, "set_au": 0.91, "set_av": 0.90,
          "set_ax": 0.92, "set_ay": 0.84, "set_az": 0.86, "set_ba": 0.58,
          "set_bb": 0.83, "set_bc": 0.64, "set_bd": 0.95, "set_be": 0.93, "set_bf": 0.93,
          "set_bg": 0.89, "set_bh": 0.83, "set_bi": 0.94, "set_bj": 0.84, "set_bk": 0.96,
          "set_bl": 0.97, "set_bm": 0.97, "set_bp": 0.85, "set_bq": 0.93, "set_br": 0.95,
          "set_bs": 0.95, "set_bt": 0.95, "set_bu": 0.95, "set_bv": 0.90, "set_bw": 0.92,
          "set_bx": 0.97, "set_bn": 0.92, "set_bo": 0.88, "set_by": 0.93, "set_bz": 0.91,
          "set_ca": 0.85, "set_cb": 0.87, "set_cc": 0.98, "set_cd": 0.94, "set_ci": 0.93,
          "set_cj": 0.97, "set_ck": 0.92, "set_cl": 0.94}


@pytest.mark.parametrize("name", sorted(FLOORS))
def test_the_engine_keeps_its_score_on_the_frozen_blind_sets(name):
    cases = [json.loads(line) for line in (SETS / f"{name}.jsonl").read_text().splitlines()
             if line.strip()]
    missed = [case["text"] for case in cases if not case_matches(
        case["expected"]["actions"],
        actions_to_json(parse(case["text"], now=dt.datetime.fromisoformat(case["now"]),
                              tz=case["tz"]))["actions"])]
    assert 1 - len(missed) / len(cases) >= FLOORS[name], missed


def test_the_quick_first_tests_change_no_match():
    """Patterns compiled with a first test (`first_tested`) skip most positions at once; on
    every frozen message they find just what they find without it."""
    texts = [json.loads(line)["text"] for path in sorted(SETS.glob("set_*.jsonl"))
             for line in path.read_text().splitlines() if line.strip()]
    assert len(text.FIRST_TESTED) > 20
    for pattern, source in text.FIRST_TESTED:
        plain = re.compile(source, pattern.flags)
        for said in texts:
            assert [m.span() for m in pattern.finditer(said)] == \
                [m.span() for m in plain.finditer(said)], (source[:60], said)


def test_keyed_patterns_find_what_their_patterns_find():
    """A `Keyed` pattern (dates, clocks) is tried only at the words a match can start with;
    on every frozen message, as written and in lower case, it finds the same matches."""
    texts = [json.loads(line)["text"] for path in sorted(SETS.glob("set_*.jsonl"))
             for line in path.read_text().splitlines() if line.strip()]
    texts += [said.lower() for said in texts] + ["call monday", "closing 15.03", "@ 9am",
                                                "the twenty-first of March", "in 2 weeks"]
    assert len(text.KEYED) >= 2
    for keyed in text.KEYED:
        for said in texts:
            assert [(m.span(), m.groupdict()) for m in keyed.finditer(said)] == \
                [(m.span(), m.groupdict()) for m in keyed.pattern.finditer(said)], said
