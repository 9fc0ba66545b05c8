"""Charts on pipeline answers: bars of the figures an answer shows, drawn after the commit.

The executor passes the bars it built from the rows it answers with (labels and words as
the text says them); drawing waits for `ctx.after_commit`, with no transaction open, and
puts the PNG on the reply as a `ReplyFile`.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from bot.assistant.context import Ctx
from bot.assistant.types import Reply, ReplyFile
from bot.render.charts import Bar, bars_png

ALT_MAX = 1000  # Slack's limit on a file's alt text


def chart_later(ctx: Ctx, *, name: str, title: str, bars: Sequence[Bar],
                note: str | None = None) -> None:
    """Draw `bars` after the commit and attach them to the reply (two bars at least: one
    bar compares nothing)."""
    shown = tuple(bars)  # plain values: nothing is read from the session later
    if len(shown) < 2:
        return

    def draw_chart(reply: Reply) -> None:
        reply.files.append(ReplyFile(filename=f"{slug(name)}.png", title=title,
                                     content=bars_png(shown, title=title, note=note),
                                     alt=alt_text(title, shown, note)))

    ctx.after_commit.append(draw_chart)


def slug(text: str) -> str:
    """'Q3 2026 vs Q4 2026' → 'q3-2026-vs-q4-2026' (a file name that is safe anywhere)."""
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:80] or "chart"


def alt_text(title: str, bars: Sequence[Bar], note: str | None) -> str:
    """The chart in words: its title, each bar's figure, the note."""
    text = f"{title}. " + "; ".join(f"{b.label}: {b.words}" for b in bars) + "."
    if note:
        text += f" {note}."
    return text if len(text) <= ALT_MAX else text[:ALT_MAX - 1] + "…"
