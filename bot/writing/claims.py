"""Claims as the model writes them: the JSON schema it must follow, and an incremental
reader that hands out each claim of `{"claims": [...]}` as soon as its object closes
(pure logic; the stream may cut the text anywhere, even inside a string or an escape).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Claim:
    """One statement and the fact ids it rests on."""

    text: str
    cites: tuple[str, ...]


CLAIM_SCHEMA: dict[str, Any] = {
    "type": "object",
    "properties": {"claims": {"type": "array", "items": {
        "type": "object",
        "properties": {
            "text": {"type": "string", "description": "one statement, Slack mrkdwn"},
            "cites": {"type": "array", "items": {"type": "string"},
                      "description": "ids of the facts this statement rests on"},
        },
        "required": ["text", "cites"], "additionalProperties": False}}},
    "required": ["claims"], "additionalProperties": False,
}


def response_format() -> dict[str, Any]:
    """Structured output, strict: the endpoint itself holds the model to the schema."""
    return {"type": "json_schema",
            "json_schema": {"name": "claims", "strict": True, "schema": CLAIM_SCHEMA}}


def as_claim(raw: Any) -> Claim | None:
    """A parsed claim object, or None when it is not one (wrong types, empty text)."""
    if not isinstance(raw, dict) or not isinstance(raw.get("text"), str):
        return None
    cites = raw.get("cites")
    if not isinstance(cites, list) or not all(isinstance(c, str) for c in cites):
        return None
    # Spaces tidied, line breaks kept (an email's sign-off); a brief's bullet joins them.
    text = "\n".join(" ".join(line.split()) for line in raw["text"].splitlines()
                     if line.strip())
    return Claim(text=text, cites=tuple(dict.fromkeys(c.strip() for c in cites))) if text \
        else None


class ClaimReader:
    """Feed it the streamed text piece by piece; `feed` returns the claims completed by
    that piece. Tracks nesting and strings by hand, so it never re-parses the whole text
    and never mistakes a brace inside a note's quote for structure."""

    def __init__(self) -> None:
        self.text = ""
        self._pos = 0
        self._depth = 0
        self._in_string = False
        self._escaped = False
        self._start: int | None = None  # where the current claim object began
        self.malformed = 0  # claim objects that did not parse as claims

    def feed(self, piece: str) -> list[Claim]:
        self.text += piece
        found: list[Claim] = []
        text = self.text
        for i in range(self._pos, len(text)):
            ch = text[i]
            if self._in_string:
                if self._escaped:
                    self._escaped = False
                elif ch == "\\":
                    self._escaped = True
                elif ch == '"':
                    self._in_string = False
                continue
            if ch == '"':
                self._in_string = True
            elif ch in "{[":
                self._depth += 1
                # depth 1 the root object, 2 the claims array, 3 one claim
                if ch == "{" and self._depth == 3:
                    self._start = i
            elif ch in "}]":
                if ch == "}" and self._depth == 3 and self._start is not None:
                    claim = self._parse(text[self._start:i + 1])
                    if claim is not None:
                        found.append(claim)
                    self._start = None
                self._depth -= 1
        self._pos = len(text)
        return found

    def _parse(self, fragment: str) -> Claim | None:
        try:
            claim = as_claim(json.loads(fragment))
        except ValueError:
            claim = None
        if claim is None:
            self.malformed += 1
        return claim

    def whole(self) -> list[Claim] | None:
        """Every claim of the finished text (None when it is not the expected JSON)."""
        try:
            raw = json.loads(self.text)
        except ValueError:
            return None
        if not isinstance(raw, dict) or not isinstance(raw.get("claims"), list):
            return None
        return [c for c in map(as_claim, raw["claims"]) if c is not None]
