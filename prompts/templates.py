"""Prompt and draft templates shipped as package files, read by name."""

from __future__ import annotations

from functools import cache
from importlib import resources

DRAFT_PURPOSES = ("follow_up", "recap", "proposal", "check_in", "re_engage")


@cache
def draft_template(purpose: str) -> str:
    """The email template for one purpose: a 'Subject:' line, then the body."""
    if purpose not in DRAFT_PURPOSES:
        raise KeyError(f"no draft template for {purpose!r}")
    path = resources.files(__package__).joinpath("drafts", f"{purpose}.txt")
    return path.read_text(encoding="utf-8")
