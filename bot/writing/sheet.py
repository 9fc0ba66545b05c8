"""The facts a model writes from, as the writer holds them (pure logic).

An executor hands `Compose.facts` over as plain JSON-ready data (see `Compose`): a list
`facts` of records with ids, plus what each kind of prose needs besides (a brief's deals,
stakeholders and points; a draft's purpose; an answer's question). `read_sheet` turns it
into `Sources` the verifier checks claims against and the renderer cites, and keeps apart
what only the code uses (`offline`: the text the prose replaces, `forbidden`: strings a
customer must never read).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any
from zoneinfo import ZoneInfo

# Keys of Compose.facts that the code keeps to itself: never shown to the model.
META = frozenset({"offline", "offline_only", "forbidden", "tz", "frame"})


@dataclass(frozen=True)
class Source:
    """One fact a claim may cite."""

    id: str
    kind: str
    text: str
    at: dt.datetime | dt.date | None = None
    permalink: str | None = None
    also: tuple[str, ...] = ()  # more it says (contact, author, a deal's figures …)
    weight: float = 0.0  # how much the code's own reading leans on it (points citing it)

    @property
    def material(self) -> str:
        """Everything this fact says, for the verifier."""
        when = self.at.isoformat() if self.at is not None else ""
        return " ".join([self.text, when, *self.also])


@dataclass(frozen=True)
class Sheet:
    prompt: str  # brief | draft | answer
    subject: str
    now: dt.datetime
    tz: ZoneInfo
    sources: dict[str, Source]
    data: dict[str, Any]  # what the model is shown besides the facts
    offline: str | None = None
    offline_only: tuple[str, ...] = ()
    forbidden: tuple[str, ...] = ()
    frame: dict[str, str] = field(default_factory=dict)  # how the prose is framed (drafts)


def parse_moment(value: Any) -> dt.datetime | dt.date | None:
    if not isinstance(value, str) or not value:
        return None
    try:
        return dt.datetime.fromisoformat(value) if "T" in value else dt.date.fromisoformat(value)
    except ValueError:
        return None


def read_sheet(prompt: str, facts: dict[str, Any], *, now: dt.datetime | None = None) -> Sheet:
    """The Sheet behind a Compose's facts."""
    at_now = parse_moment(facts.get("now"))
    now = now or (at_now if isinstance(at_now, dt.datetime) else dt.datetime.now(dt.UTC))
    weights: dict[str, float] = {}
    for section in ("status", "signals", "risks", "next_steps"):
        for point in facts.get(section) or ():
            for fid in point.get("cites") or ():
                weights[fid] = weights.get(fid, 0.0) + 1.0
    for person in facts.get("stakeholders") or ():
        for fid in person.get("cites") or ():
            weights[fid] = weights.get(fid, 0.0) + 0.5
    if facts.get("last_touch"):
        weights[facts["last_touch"]] = weights.get(facts["last_touch"], 0.0) + 1.0
    for fid in facts.get("cited") or ():  # what the offline text cites, for other prompts
        weights[fid] = weights.get(fid, 0.0) + 1.0
    extra: dict[str, list[str]] = {}
    for deal in facts.get("deals") or ():
        extra.setdefault(deal["id"], []).extend(
            str(deal.get(k)) for k in ("title", "stage", "amount", "currency", "close_date",
                                       "slipped_from", "days_in_stage") if deal.get(k) is not None)
        weights[deal["id"]] = weights.get(deal["id"], 0.0) + 2.0
    for person in facts.get("stakeholders") or ():
        if person.get("id"):
            extra.setdefault(person["id"], []).extend(
                [person.get("name") or "", person.get("title") or "", *person.get("roles", ())])
            weights[person["id"]] = weights.get(person["id"], 0.0) + 1.0
    sources: dict[str, Source] = {}
    for fact in facts.get("facts") or ():
        fid = str(fact["id"])
        also = [str(fact[k]) for k in ("contact", "author") if fact.get(k)]
        deal = fact.get("deal")
        if deal and deal != fid:
            also += extra.get(deal, [])[:1]  # the deal's title: a note may be named by it
        sources[fid] = Source(
            id=fid, kind=str(fact.get("kind") or ""), text=str(fact.get("text") or ""),
            at=parse_moment(fact.get("at")), permalink=fact.get("permalink"),
            also=tuple(also + extra.get(fid, []) + list(fact.get("also") or ())),
            weight=weights.get(fid, 0.0))
    data = {k: v for k, v in facts.items() if k not in META and k != "facts"}
    return Sheet(prompt=prompt, subject=str(facts.get("subject") or ""), now=now,
                 tz=ZoneInfo(facts.get("tz") or "UTC"), sources=sources, data=data,
                 offline=facts.get("offline"),
                 offline_only=tuple(facts.get("offline_only") or ()),
                 forbidden=tuple(facts.get("forbidden") or ()),
                 frame=dict(facts.get("frame") or {}))
