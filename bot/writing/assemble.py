"""The prompt, assembled to a token budget (pure logic; the map step's model call is
passed in).

The model sees the code's reading (a brief's deals, people and points; a draft's safe
phrases; an answer's figures) and the facts behind it, ranked: those the reading cites
first (most cited first), then the newest. Facts go in until the budget is spent; one
the reading cites that does not fit is never silently lost — the cited ones that overflow
are condensed first (map: a chunk of facts → short facts with the same ids), and only
then is the prompt built (reduce). Everything from the CRM goes inside a <facts> fence
as JSON, where a note's words are data and cannot close the fence.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from bot.writing.claims import Claim
from bot.writing.sheet import Sheet, Source
from prompts import load
from prompts.tokens import count_tokens, truncate_to_tokens

FACT_TOKENS = 60  # one fact's words in the prompt, at most (the verifier reads them whole)
FACTS_BUDGET = {"brief": 600, "draft": 500, "answer": 700}  # tokens of facts per prompt
# Of which facts the code's reading does not cite (recent context) may take at most:
EXTRA_BUDGET = {"brief": 120, "draft": 500, "answer": 700}
MAX_COMPLETION = {"brief": 600, "draft": 450, "answer": 250, "condense": 400}
CHUNK_TOKENS = 1500  # facts per map call
MESSAGE_OVERHEAD = 4  # tokens a chat message costs besides its content
MIN_ROW = 8  # tokens of the shortest fact line
SECTIONS = ("status", "signals", "risks", "next_steps")
MAX_PEOPLE = 6  # as many as the offline brief names; the rest are counted there

Condense = Callable[[list[str]], list[Claim]]


@dataclass(frozen=True)
class Assembled:
    messages: list[dict[str, str]]
    prompt_tokens: int
    shown: tuple[str, ...]  # fact ids the model sees (alone or condensed)
    dropped: int  # facts left out (never cited by the reading)
    condensed: int  # facts condensed by the map step
    label: str
    overflow: int = 0  # cited facts that did not fit and were not condensed
    overflow_tokens: int = 0

    @property
    def map_need(self) -> int:
        """What condensing the overflow would cost, about: each chunk read once, a
        short answer per chunk."""
        calls = -(-self.overflow_tokens // CHUNK_TOKENS)
        return self.overflow_tokens + calls * (300 + MAX_COMPLETION["condense"])

    @property
    def need(self) -> int:
        """What to reserve: the prompt and the most the answer may take."""
        return self.prompt_tokens + MAX_COMPLETION[self.label.split("@")[0]]


def prune(value: Any) -> Any:
    """JSON without nulls, falses and empties: tokens the model need not read."""
    if isinstance(value, dict):
        kept = {k: prune(v) for k, v in value.items()}
        return {k: v for k, v in kept.items() if v not in (None, False, "", [], {})}
    if isinstance(value, list | tuple):
        return [prune(v) for v in value]
    return value


def fenced(data: Any) -> str:
    """JSON for inside the <facts> fence: no '<' survives, so no note can close it."""
    return json.dumps(prune(data), ensure_ascii=False, separators=(",", ":")) \
        .replace("<", "\\u003c").replace(">", "\\u003e")


def ranked(sheet: Sheet) -> list[Source]:
    """Most relied-on first, then newest."""
    def when(source: Source) -> float:
        at = source.at
        if at is None:
            return 0.0
        if not isinstance(at, dt.datetime):
            at = dt.datetime.combine(at, dt.time(), tzinfo=dt.UTC)
        return at.timestamp()
    return sorted(sheet.sources.values(), key=lambda s: (-s.weight, -when(s)))


def local_day(at: dt.datetime | dt.date | None, tz: dt.tzinfo) -> str:
    """The day as the reader says it: a moment in their zone, a date as it is."""
    if at is None:
        return ""
    return (at.astimezone(tz).date() if isinstance(at, dt.datetime) else at).isoformat()


def row(source: Source, model: str, *, quoted: bool = False, tz: dt.tzinfo = dt.UTC) -> str:
    """One fact as a line: 'A12 call 2026-11-08 (Jane Doe): the note…'. A fact the points
    already quote goes without its words: the points carry them."""
    head = " ".join(x for x in (source.id, source.kind, local_day(source.at, tz)) if x)
    if source.also[:1]:
        head += f" ({source.also[0]})"
    if quoted or not source.text:
        return head
    return f"{head}: {truncate_to_tokens(source.text, FACT_TOKENS, model)}"


def quoted_ids(sheet: Sheet) -> set[str]:
    """Facts whose words a point quotes (a note's sentence, a task's title)."""
    ids = set()
    for section in SECTIONS:
        for point in sheet.data.get(section) or ():
            for fid in point.get("cites") or ():
                source = sheet.sources.get(fid)
                if source is not None and " ".join(source.text.split()).startswith(
                        point.get("text", "").rstrip("…")) and len(source.text) < 240:
                    ids.add(fid)
    return ids


def _tokens(rows: list[Any], model: str) -> int:
    return count_tokens(fenced(rows), model)


def assemble(sheet: Sheet, *, model: str, condense: Condense | None = None,
             budget: int | None = None) -> Assembled:
    """The chat messages for `sheet`, its facts fitted to `budget` tokens."""
    budget = FACTS_BUDGET[sheet.prompt] if budget is None else budget
    extra_budget = min(budget, EXTRA_BUDGET[sheet.prompt])
    rows: list[str | dict[str, Any]] = []
    overflow: list[tuple[str, str]] = []  # (id, line)
    used = extra = dropped = 0
    described = described_ids(sheet)
    quoted = quoted_ids(sheet)
    shown_ids: list[str] = []
    for source in ranked(sheet):
        if source.id in described:  # a deal or a person the data spells out already
            continue
        cited = source.weight > 0
        if not cited and (used + MIN_ROW > budget or extra + MIN_ROW > extra_budget):
            dropped += 1  # full: the rest go uncounted
            continue
        item = row(source, model, quoted=source.id in quoted, tz=sheet.tz)
        cost = count_tokens(fenced(item), model) + 1
        if used + cost <= budget and (cited or extra + cost <= extra_budget):
            rows.append(item)
            shown_ids.append(source.id)
            used += cost
            extra += 0 if cited else cost
        elif source.weight > 0:
            overflow.append((source.id, item))
        else:
            dropped += 1
    shown = [*described, *shown_ids]
    condensed = 0
    lines = [line for _, line in overflow]
    left = _tokens(lines, model) if overflow and condense is None else 0
    if overflow and condense is not None:
        for part in chunks(lines, model):
            known = {line.split(" ", 1)[0] for line in part}
            for claim in condense(part):
                ids = [i for i in claim.cites if i in known]
                if ids:
                    rows.append(f"{','.join(ids)}: {claim.text}")
                    shown += ids
        condensed = len(overflow)
    prompt = load(sheet.prompt)
    messages = prompt.render(model=model, **values(sheet, rows))
    tokens = sum(count_tokens(m["content"], model) + MESSAGE_OVERHEAD for m in messages)
    return Assembled(messages=messages, prompt_tokens=tokens, shown=tuple(dict.fromkeys(shown)),
                     dropped=dropped, condensed=condensed, label=prompt.label,
                     overflow=len(overflow) if condense is None else 0, overflow_tokens=left)


def chunks(rows: list[str], model: str) -> list[list[str]]:
    """Rows in groups of at most CHUNK_TOKENS."""
    out: list[list[str]] = [[]]
    size = 0
    for item in rows:
        cost = count_tokens(fenced(item), model)
        if out[-1] and size + cost > CHUNK_TOKENS:
            out.append([])
            size = 0
        out[-1].append(item)
        size += cost
    return out




def described_ids(sheet: Sheet) -> list[str]:
    """Facts the data spells out in full (a brief's deals and people): no row needed."""
    ids = [d.get("id") for d in sheet.data.get("deals") or ()]
    ids += [p.get("id") for p in (sheet.data.get("stakeholders") or ())[:MAX_PEOPLE]]
    return [i for i in ids if i in sheet.sources]


def point_line(point: dict[str, Any]) -> str:
    """'A12,T3 (pricing, risk, deal D7): the quoted sentence'."""
    about = [point.get("topic"), point.get("tone"),
             f"deal {point['deal']}" if point.get("deal") else None,
             "overdue" if point.get("overdue") else None]
    tags = ", ".join(a for a in about if a)
    return (",".join(point.get("cites") or ()) + (f" ({tags})" if tags else "")
            + f": {point.get('text', '')}")


def deal_line(deal: dict[str, Any]) -> str:
    """'D7 Acme expansion: negotiation, 48000.00 USD, closes 2026-12-15 (slipped from
    2026-11-30, past due), 12 days in stage'."""
    parts = [str(deal.get("stage"))]
    if deal.get("amount") is not None:
        parts.append(f"{deal['amount']} {deal.get('currency') or ''}".strip())
    close = f"closes {deal['close_date']}" if deal.get("close_date") else "no close date"
    flags = ([f"slipped from {deal['slipped_from']}"] if deal.get("slipped_from") else []) + \
        (["past due"] if deal.get("past_due") else [])
    parts.append(close + (f" ({', '.join(flags)})" if flags else ""))
    if deal.get("days_in_stage") is not None:
        parts.append(f"{deal['days_in_stage']} days in stage")
    return f"{deal.get('id')} {deal.get('title')}: {', '.join(parts)}"


def person_line(person: dict[str, Any]) -> str:
    """'C3 Jane Doe, VP Sales — decision maker (A12)'; 'Their CFO (A12)' for others."""
    line = " ".join(x for x in (person.get("id"), person.get("name")) if x)
    if person.get("title"):
        line += f", {person['title']}"
    if person.get("roles"):
        line += " — " + ", ".join(person["roles"])
    if person.get("cites"):
        line += f" ({','.join(person['cites'])})"
    return line


def values(sheet: Sheet, rows: list[Any]) -> dict[str, str]:
    """The placeholders of prompts/model/{brief,draft,answer}.txt."""
    today = sheet.now.astimezone(sheet.tz)
    data = {k: v for k, v in sheet.data.items() if k not in ("now", "subject")}
    # One line per point, deal and person: the same facts in a third of the tokens. A
    # point's date and person are its fact's; its section is the key it is under.
    for section in SECTIONS:
        if section in data:
            data[section] = [point_line(p) for p in data[section]]
    if "deals" in data:
        data["deals"] = [deal_line(d) for d in data["deals"]]
    if "stakeholders" in data:
        data["stakeholders"] = [person_line(p) for p in data["stakeholders"][:MAX_PEOPLE]]
    return {"subject": sheet.subject or "—", "today": f"{today:%A}, {today:%Y-%m-%d}",
            "facts": fenced({**data, "facts": rows})}


def condense_messages(rows: list[str], *, model: str) -> list[dict[str, str]]:
    """The map step's messages: these facts, to be restated short with their ids."""
    return load("condense").render(model=model, facts=fenced(rows))
