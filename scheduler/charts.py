"""The weekly digest's funnel chart: one bar per open stage, count and amount, as PNG."""

from __future__ import annotations

import io
from collections.abc import Sequence

from PIL import Image, ImageDraw, ImageFont

from bot.assistant import format as fmt

WIDTH, BAR_HEIGHT, GAP, MARGIN = 900, 46, 12, 24
COLORS = ("#4C6EF5", "#5C7CFA", "#748FFC", "#91A7FF", "#BAC8FF", "#DBE4FF")


def funnel_png(stages: Sequence[tuple[str, int, float]], *, title: str,
               currency: str = "USD") -> bytes:
    """PNG bytes of a centred funnel: (stage label, deal count, amount) per stage."""
    title_font = ImageFont.load_default(size=24)
    font = ImageFont.load_default(size=18)
    height = MARGIN * 3 + 30 + max(1, len(stages)) * (BAR_HEIGHT + GAP)
    image = Image.new("RGB", (WIDTH, height), "white")
    draw = ImageDraw.Draw(image)
    # The built-in font has no typographic dashes.
    draw.text((MARGIN, MARGIN), title.replace("—", "-").replace("–", "-"), fill="#1A1B1E",
              font=title_font)
    top = MARGIN * 2 + 30
    if not stages:
        draw.text((MARGIN, top), "No open deals.", fill="#495057", font=font)
    biggest = max((amount for _, _, amount in stages), default=0) or 1
    usable = WIDTH - 2 * MARGIN
    for i, (label, count, amount) in enumerate(stages):
        # Width follows the amount, with a floor so small stages stay readable.
        width = max(usable * 0.28, usable * (amount / biggest))
        left = (WIDTH - width) / 2
        y = top + i * (BAR_HEIGHT + GAP)
        draw.rounded_rectangle((left, y, left + width, y + BAR_HEIGHT), radius=6,
                               fill=COLORS[min(i, len(COLORS) - 1)])
        text = f"{label}: {count} · {fmt.money(amount, currency)}"
        box = draw.textbbox((0, 0), text, font=font)
        draw.text(((WIDTH - (box[2] - box[0])) / 2, y + (BAR_HEIGHT - (box[3] - box[1])) / 2 - 2),
                  text, fill="#1A1B1E" if i >= 3 else "white", font=font)
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    return out.getvalue()
