"""Amounts said in words, written as figures the parser reads ("forty thousand" → "40k").

Only runs that are clearly a quantity change: ones with a scale ("thousand", "k",
"million"), a decimal point, a compound ("twenty five"), or followed by "dollars" or
"percent". A lone small number ("at three", "one of them") and ordinals ("March
twenty first") stay words: times and dates are the date parser's to read.
"""

from __future__ import annotations

import re

_UNIT_WORDS = ("zero one two three four five six seven eight nine ten eleven twelve "
               "thirteen fourteen fifteen sixteen seventeen eighteen nineteen")
_TENS_WORDS = "twenty thirty forty fifty sixty seventy eighty ninety"
UNITS = {w: i for i, w in enumerate(_UNIT_WORDS.split())}
TENS = {w: 10 * i for i, w in enumerate(_TENS_WORDS.split(), start=2)}
SCALES = {"thousand": 1_000, "k": 1_000, "grand": 1_000, "million": 1_000_000,
          "billion": 1_000_000_000}
NUMBER_WORDS = {*UNITS, *TENS, "hundred", *SCALES, "point", "and", "a"}
MONEY_WORDS = {"dollars", "dollar", "bucks"}
TIME_UNITS = {"minutes", "minute", "mins", "hours", "hour", "hrs", "days", "weeks", "months"}

_TOKEN = re.compile(r"[A-Za-z]+(?:-[A-Za-z]+)*|\d+(?:[.,]\d+)*|\s+|.", re.S)


_HALF_A_MILLION = re.compile(r"\bhalf (?:a )?mil(?:lion)?\b", re.IGNORECASE)


def figures(text: str) -> str:
    """`text` with spoken amounts written as figures; everything else as it was."""
    text = _HALF_A_MILLION.sub("500k", text)  # (not "half" of "1 million": "half one" is 12:30)
    tokens = _TOKEN.findall(text)
    out: list[str] = []
    i = 0
    while i < len(tokens):
        run = _number_run(tokens, i)
        if run is None:
            out.append(tokens[i])
            i += 1
            continue
        end, value, words = run
        after, unit_end = _unit_after(tokens, end)
        if value is None or not _is_quantity(words, unit=after):
            out.extend(tokens[i:end])
            i = end
            continue
        figure = _write(value, words)
        if after == "money":
            out.append("$" + figure)
            i = unit_end
        elif after == "percent":
            out.append(figure + "%")
            i = unit_end
        else:
            out.append(figure)
            i = end
    return "".join(out)


def _number_run(tokens: list[str], start: int) -> tuple[int, float | None, list[str]] | None:
    """Where a run of number words starting at `start` ends, its value (None when the
    words are not one number: "twenty twenty six" is a year, "nine thirty" a time) and
    its words."""
    first = tokens[start].lower().split("-")[0]
    if first not in NUMBER_WORDS or first in ("and", "point") or first == "a" and \
            _next_word(tokens, start) not in ("hundred", "thousand", "million", "billion"):
        return None  # "a" starts a number only as in "a hundred", "a million"
    words: list[str] = []
    end = start
    i = start
    while i < len(tokens):
        token = tokens[i].lower()
        if token.isspace():
            i += 1
            continue
        parts = token.split("-")  # "twenty-five"
        if not all(p in NUMBER_WORDS for p in parts):
            break
        words.extend(parts)
        i += 1
        end = i
    while words and words[-1] in ("and", "a", "point"):  # "… and" / "a" belong to the text
        words.pop()
    if not words or not any(w in UNITS or w in TENS or w == "hundred" or
                            w in SCALES and words[0] == "a" for w in words):
        return None
    # Trim the run back to the tokens that hold its words.
    count, end = 0, start
    for j in range(start, len(tokens)):
        if tokens[j].isspace():
            continue
        count += len(tokens[j].split("-"))
        if count >= len(words):
            end = j + 1
            break
    return end, _value(words), words


def _value(words: list[str]) -> float | None:
    """The number these words say, or None when they are not one number."""
    if "point" in words:
        whole, _, fraction = _split(words, "point")
        digits = [UNITS.get(w) for w in fraction]
        scale_words = [w for w in fraction if w in SCALES]
        digits = [d for w, d in zip(fraction, digits, strict=True) if w not in SCALES]
        if not fraction or any(d is None or d > 9 for d in digits) or len(scale_words) > 1:
            return None
        head = _value(whole)
        if head is None:
            return None
        number = float(f"{int(head)}.{''.join(str(d) for d in digits)}")
        return number * (SCALES[scale_words[0]] if scale_words else 1)
    if len(words) in (3, 4) and words[-1] in SCALES and 1 <= UNITS.get(words[0], 0) <= 9 and \
            words[1] in TENS and (len(words) == 3 or 1 <= UNITS.get(words[2], 0) <= 9):
        # "one twenty five k", "four eighty k": hundreds said as a pair, as sales talk does
        return float((UNITS[words[0]] * 100 + TENS[words[1]]
                      + (UNITS[words[2]] if len(words) == 4 else 0)) * SCALES[words[-1]])
    total, current = 0, 0
    for word in words:
        tail = current % 100
        if word == "and":
            continue
        if word == "a":
            current = max(current, 1)
        elif word in UNITS:
            # "twenty five" is one number; "five six" and "twelve three" are not.
            if tail and not (tail % 10 == 0 and tail >= 20 and UNITS[word] < 10):
                return None
            current += UNITS[word]
        elif word in TENS:
            if tail:
                return None
            current += TENS[word]
        elif word == "hundred":
            current = max(current, 1) * 100
        else:
            total += max(current, 1) * SCALES[word]
            current = 0
    return float(total + current)


def _next_word(tokens: list[str], at: int) -> str:
    j = at + 1
    while j < len(tokens) and tokens[j].isspace():
        j += 1
    return tokens[j].lower() if j < len(tokens) else ""


def _split(words: list[str], at: str) -> tuple[list[str], str, list[str]]:
    i = words.index(at)
    return words[:i], at, words[i + 1:]


def _unit_after(tokens: list[str], end: int) -> tuple[str | None, int]:
    """"money" / "percent" when the next word is one, and where that word ends."""
    j = end
    while j < len(tokens) and tokens[j].isspace():
        j += 1
    word = tokens[j].lower() if j < len(tokens) else ""
    if word in MONEY_WORDS:
        return "money", j + 1
    if word == "percent":
        return "percent", j + 1
    if word in TIME_UNITS:
        return "time", end  # "in ninety minutes": a count of them, the unit stays a word
    return None, end


def _is_quantity(words: list[str], *, unit: str | None) -> bool:
    if unit or "point" in words or any(w in SCALES or w == "hundred" for w in words):
        return True
    spoken = [w for w in words if w not in ("and", "a")]
    return len(spoken) >= 2  # "twenty five"


def _write(value: float, words: list[str]) -> str:
    """A figure the parser reads as the same amount: 40k, 1.2 million, 25."""
    if value >= 1_000_000 and value % 1_000 == 0:
        return f"{value / 1_000_000:g} million"
    if value >= 1_000 and value % 10 == 0:
        return f"{value / 1_000:g}k"
    return f"{value:g}"
