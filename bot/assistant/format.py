"""How figures, dates and records read in replies (pure functions)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal


def money(amount: Decimal | float | int | None, currency: str = "USD") -> str:
    """$50,000 / $1.2M style amounts."""
    if amount is None:
        return "no amount"
    value = float(amount)
    symbol = {"USD": "$", "EUR": "€", "GBP": "£"}.get(currency, "")
    suffix = "" if symbol else f" {currency}"
    if abs(value) >= 1_000_000:
        text = f"{value / 1_000_000:,.2f}".rstrip("0").rstrip(".") + "M"
    else:
        text = f"{value:,.0f}"
    return f"{symbol}{text}{suffix}"


RELATIVE = {0: "today", 1: "tomorrow", -1: "yesterday"}


def day(value: dt.date | None, *, today: dt.date | None = None) -> str:
    """'Tue Nov 24' (with the year when it is not this year); a day next to `today` says
    both, 'tomorrow, Mon Nov 30', so a misheard day is easy to spot."""
    if value is None:
        return "no date"
    text = f"{value:%a %b} {value.day}"
    if today is None or value.year != today.year:
        text += f", {value.year}"
    relative = RELATIVE.get((value - today).days) if today is not None else None
    return f"{relative}, {text}" if relative else text


def moment(value: dt.datetime | None, tz, *, now: dt.datetime | None = None) -> str:
    """A moment in the reader's zone: 'Tue Nov 24, 9:00'."""
    if value is None:
        return "no time"
    local = value.astimezone(tz)
    today = now.astimezone(tz).date() if now else None
    return f"{day(local.date(), today=today)}, {local:%H:%M}"


def percent(fraction: float | None) -> str:
    return "n/a" if fraction is None else f"{fraction * 100:.0f}%"


def plural(n: int, word: str, many: str | None = None) -> str:
    return f"{n:,} {word if n == 1 else (many or word + 's')}"
