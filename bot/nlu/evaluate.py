"""How a parse is scored against a case of the contract's JSON Lines sets, as
../shared/eval/score_nlu.py scores it: one action for one, order free; free-text keys only
need to be there; other keys equal, strings case- and space-insensitive, numbers by value,
a list meaning "any of these". Used by bench/nlu_bench.py and tests/test_nlu_blind.py."""

from __future__ import annotations

FREE_TEXT = frozenset({"summary", "title", "purpose", "reason", "text"})


def norm(value):
    """As the scorer compares values: strings case- and space-insensitive, numbers by value."""
    if isinstance(value, str):
        return " ".join(value.lower().replace("#", "").split())
    if isinstance(value, int | float) and not isinstance(value, bool):
        return round(float(value), 2)
    if isinstance(value, dict):
        return {k: norm(v) for k, v in value.items()}
    if isinstance(value, list):
        return [norm(v) for v in value]
    return value


def action_matches(want: dict, got: dict) -> bool:
    """Whether `got` says all that `want` names."""
    for key, expected in want.items():
        have = got.get(key)
        if key in FREE_TEXT:
            if not (isinstance(have, str) and have.strip()):
                return False
        elif isinstance(expected, list) and not isinstance(have, list):
            if norm(have) not in [norm(w) for w in expected]:
                return False
        elif norm(expected) != norm(have):
            return False
    return True


def case_matches(want: list[dict], got: list[dict]) -> bool:
    """Whether the actions match one for one, in any order."""
    if len(want) != len(got):
        return False
    left = list(got)
    for w in want:
        for i, g in enumerate(left):
            if g.get("intent") == w.get("intent") and action_matches(w, g):
                del left[i]
                break
        else:
            return False
    return True
