"""Labelled examples, per workspace: what a person fixed in the Edit… form, confirmed
with Yes, or picked among records of the same name."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from crm_store.models import NluExample, name_key

TEXT_MAX = 300  # what a button carries of the message; the key is made from the same


def text_key(text: str) -> str:
    """The message as looked up: single-spaced, lower-case (crm_store.models.name_key)."""
    return name_key(text[:TEXT_MAX])


def record_correction(session: Session, *, team_id: str, text: str,
                      original: list[dict[str, Any]], corrected: list[dict[str, Any]],
                      created_by: int | None) -> NluExample | None:
    """Keep one correction; None when nothing was changed or there is no text to key it."""
    key = text_key(text)
    if not key or original == corrected:
        return None
    example = NluExample(team_id=team_id, text=text[:TEXT_MAX], text_key=key,
                         original=original, corrected=corrected, created_by=created_by)
    session.add(example)
    session.flush()
    return example


def record_answer(session: Session, *, team_id: str, text: str,
                  actions: list[dict[str, Any]], pinned: dict[str, int],
                  created_by: int | None) -> NluExample | None:
    """Keep an answer to a question about a message: its reading confirmed (Yes), with
    the records picked for its names; None when there is no text to key it."""
    key = text_key(text)
    if not key:
        return None
    example = NluExample(team_id=team_id, text=text[:TEXT_MAX], text_key=key,
                         original=actions, corrected=actions, pinned=pinned or None,
                         created_by=created_by)
    session.add(example)
    session.flush()
    return example


def corrections_for(session: Session, *, team_id: str, text_key: str) -> list[NluExample]:
    """What this workspace taught about one message (corrections and answers), the newest
    first."""
    return list(session.scalars(
        select(NluExample).where(NluExample.team_id == team_id, NluExample.text_key == text_key)
        .order_by(NluExample.id.desc()).limit(5)))


def recent_examples(session: Session, *, team_id: str, limit: int = 5) -> list[NluExample]:
    """The workspace's latest corrections, newest first (for a model's prompt)."""
    return list(session.scalars(select(NluExample).where(NluExample.team_id == team_id)
                                .order_by(NluExample.id.desc()).limit(limit)))
