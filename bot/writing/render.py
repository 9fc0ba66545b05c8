"""Verified claims as Slack mrkdwn (pure logic): a brief's bullets cite their facts as the
offline brief does ([A12, Nov 3, <link|Slack>]); a draft's paragraphs go in the email as
they are; an answer's sentences read as one paragraph around the query's own table.
"""

from __future__ import annotations

from bot.assistant.summarize import short_day
from bot.writing.claims import Claim
from bot.writing.sheet import Sheet


def cite(sheet: Sheet, ids: tuple[str, ...]) -> str:
    """'[A12, Nov 3, <link|Slack>; D7]' — the same form as brief_render.cite."""
    parts = []
    for fid in ids:
        source = sheet.sources.get(fid)
        text = fid
        if source is not None and source.at is not None and fid[:1] in ("A", "T"):
            text += f", {short_day(source.at, sheet.tz, now=sheet.now)}"
        if source is not None and source.permalink:
            text += f", <{source.permalink}|Slack>"
        parts.append(text)
    return f"[{'; '.join(parts)}]"


def heading(sheet: Sheet) -> str:
    """What comes before the first claim (the code's words, never the model's)."""
    if sheet.prompt == "brief":
        return f"*Brief: {sheet.subject}*"
    return sheet.frame.get("intro", "")


def chunk(sheet: Sheet, claim: Claim) -> str:
    """One verified claim as it is streamed."""
    if sheet.prompt == "brief":
        return f"• {_one_line(claim.text)} {cite(sheet, claim.cites)}"
    return claim.text if sheet.prompt == "draft" else _one_line(claim.text)


def _one_line(text: str) -> str:
    return " ".join(text.split())


def prose(sheet: Sheet, claims: list[Claim]) -> str:
    """The model's part of the final reply."""
    if sheet.prompt == "brief":
        return "\n".join([heading(sheet), *(chunk(sheet, c) for c in claims)])
    if sheet.prompt == "draft":
        body = "\n\n".join(c.text for c in claims)
        subject = sheet.frame.get("subject", "")
        return (f"{heading(sheet)}\n```\n" + (f"Subject: {subject}\n\n" if subject else "")
                + f"{body}\n```")
    return " ".join(_one_line(c.text) for c in claims)
