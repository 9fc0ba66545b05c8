"""The NLU prompt (prompts/model/nlu.txt) filled for one message of a rep."""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Sequence
from itertools import zip_longest
from typing import Any

from prompts.loader import load
from prompts.tokens import count_tokens

NO_NAMES = "(none known)"
NO_EXAMPLES = "(none yet)"
_DATES = frozenset({"occurred_on", "due", "close_date"})  # resolved against now, not copied
_WORD = re.compile(r"[^\W_]{3,}")


def nlu_messages(text: str, *, now: dt.datetime, tz: str, model: str,
                 names: Sequence[tuple[str, str]] = (),
                 examples: Sequence[tuple[str, list[dict[str, Any]]]] = ()) -> list[dict[str, str]]:
    """Chat messages asking the model to turn `text` into tool calls; `names` (kind,
    name) are the workspace's, the most relevant of them listed within the prompt's
    `names` budget; `examples` (message, actions) are corrections people made here,
    the newest first, within the `workspace_examples` budget."""
    prompt = load("nlu")
    listed = names_block(names, text, model=model, budget=prompt.budgets.get("names", 300))
    shown = examples_block(examples, model=model,
                           budget=prompt.budgets.get("workspace_examples", 300))
    return prompt.render(model=model, now=now.strftime("%Y-%m-%dT%H:%M"),
                         weekday=now.strftime("%A"), tz=tz, names=listed,
                         workspace_examples=shown, message=text)


def examples_block(examples: Sequence[tuple[str, list[dict[str, Any]]]], *, model: str,
                   budget: int) -> str:
    """One correction a few lines, as the prompt's own examples read, newest first,
    within `budget` tokens. Their dates were read on the day of the correction, so they
    are left out: the model resolves dates against now."""
    out, used = [], 0
    for said, actions in examples:
        calls = []
        for raw in actions:
            args = ", ".join(f"{k}={json.dumps(v, ensure_ascii=False)}" for k, v in raw.items()
                             if k not in ("intent", "confidence") and k not in _DATES)
            calls.append(f"→ {raw.get('intent')}({args})")
        block = json.dumps(said, ensure_ascii=False) + "\n" + "\n".join(calls)
        cost = count_tokens(block + "\n", model)
        if used + cost > budget:
            break
        out.append(block)
        used += cost
    return "\n".join(out) or NO_EXAMPLES


def names_block(names: Sequence[tuple[str, str]], text: str, *, model: str,
                budget: int) -> str:
    """One "name (kind)" a line, within `budget` tokens: first the names the message
    says (the most of each name first), then the rest by recency, the kinds taking turns (each kind
    arrives most recent first), so a long contact list cannot crowd out the accounts."""
    said = {w.lower() for w in _WORD.findall(text)}
    by_kind: dict[str, list[str]] = {}
    for kind, name in names:
        if name and name.strip():
            by_kind.setdefault(kind or "name", []).append(name.strip())
    turns = [(kind, name) for row in zip_longest(*(
        [(kind, n) for n in listed] for kind, listed in by_kind.items())) for kind, name in
        filter(None, row)]
    mentioned = sorted((p for p in turns if _said(p[1], said)),
                       key=lambda p: _said(p[1], said), reverse=True)  # stable: recency next
    lines, used, seen = [], 0, set()
    for i, (kind, name) in enumerate([*mentioned, *turns]):
        if (kind, name.lower()) in seen:
            continue
        line = f"- {name} ({kind})"
        cost = count_tokens(line + "\n", model)
        if used + cost > budget:
            if i >= len(mentioned):
                break
            continue  # a long mentioned name may not fit where a short one still does
        seen.add((kind, name.lower()))
        lines.append(line)
        used += cost
    return "\n".join(lines) or NO_NAMES


def _said(name: str, said: set[str]) -> tuple[float, int]:
    """How much of `name` the message says: the share of its words, then how many."""
    words = {w.lower() for w in _WORD.findall(name)}
    hits = len(words & said)
    return (hits / len(words), hits) if hits else (0.0, 0)
