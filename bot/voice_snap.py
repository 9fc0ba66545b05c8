"""Near-miss spellings in a transcript snapped to the workspace's known names.

Whisper, even hinted, writes "North wind" for Northwind and "Priya Shara" for Priya
Shah. This puts the CRM's spelling back, conservatively:

- words that spell a known name once the spaces are gone ("North wind", "Pine Peak
  Systems") become that name;
- a near miss becomes a known name of two or more words only when at least one of its
  words is said exactly ("Priya Shara" → "Priya Shah"), the rest are close, and no
  other known name is as close;
- an everyday word ("manage", "cold") is rewritten only when the exact part of the
  name is itself no everyday word: "Manage Medical" stays, "Medical" being too common
  to vouch for "Vantage";
- a name of two or more words that sounds the same word for word (Metaphone
  consonants) becomes that name when it is the only known name that sounds so and none of the
  words heard is an everyday word: "Angeli Shaw" → "Anjali Shah".
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from jellyfish import metaphone
from rapidfuzz import fuzz, process

from bot.voice_hints import is_common_word

CLOSE_NAME = 80  # whole-name similarity (0-100, spaces removed) to consider a near miss
CLOSE_WORD = 60  # each word said differently must still be this close to the name's
CLOSE_COMMON = 85  # the whole name, when an everyday word would be rewritten
CLOSE_SPLIT = 90  # a name heard as one word more ("Green's Tom Logistics")
MARGIN = 4  # the best name must beat any other by this much, else leave the words alone

_WORD = re.compile(r"[A-Za-z0-9][\w'’]*")
_STOP = re.compile(r"[.!?;:]")  # a name never runs across these


@dataclass(frozen=True)
class _Known:
    text: str
    words: tuple[str, ...]
    joined: str


def _norm(word: str) -> str:
    return re.sub(r"[^0-9a-z]", "", word.lower())


class KnownNames:
    """Names prepared for matching (each once), to snap several transcripts to."""

    def __init__(self, names: Iterable[str]) -> None:
        seen: dict[str, _Known] = {}
        for name in names:
            words = tuple(w for w in (_norm(w) for w in name.split()) if w)
            if words and "".join(words) not in seen:
                seen["".join(words)] = _Known(" ".join(name.split()), words, "".join(words))
        self.known = list(seen.values())
        self.joined = [k.joined for k in self.known]
        self.sounds: dict[tuple[str, ...], list[_Known]] = {}
        for k in self.known:
            if len(k.words) >= 2:
                self.sounds.setdefault(_sounds(k.words), []).append(k)


def _sounds(words: Iterable[str]) -> tuple[str, ...]:
    """How the words sound: their Metaphone keys without vowels ("Edo" and "Ito": "T")."""
    return tuple(re.sub(r"[AEIOU]", "", metaphone(w)) or w for w in words)


def snap_names(text: str, names: KnownNames | Iterable[str], *,
               is_common: Callable[[str], bool] = is_common_word) -> str:
    """`text` with near-miss spellings of `names` written as the names are."""
    names = names if isinstance(names, KnownNames) else KnownNames(names)
    known, joined_names = names.known, names.joined
    if not known or not text.strip():
        return text
    longest = max(len(k.words) for k in known) + 1
    spans = [(m.start(), m.end(), _norm(m.group())) for m in _WORD.finditer(text)]
    found: list[tuple[float, int, int, int, str]] = []  # score, size, first, last, name
    for first in range(len(spans)):
        for last in range(first, min(first + longest, len(spans))):
            window = [w for _, _, w in spans[first:last + 1]]
            if _STOP.search(text, spans[first][1], spans[last][0]) or \
                    len("".join(window)) < 4:
                continue
            best = _best(window, known, joined_names, is_common) or \
                _sounds_like(window, names, is_common)
            if best is not None:
                found.append((best[0], last - first + 1, first, last, best[1]))
    # The closest, then the longest, matches win; the others overlapping them are dropped.
    taken: set[int] = set()
    edits: list[tuple[int, int, str]] = []
    for _, _, first, last, name in sorted(found, key=lambda f: (-f[0], -f[1], f[2])):
        if taken.intersection(range(first, last + 1)):
            continue
        taken.update(range(first, last + 1))
        edits.append((spans[first][0], spans[last][1], name))
    for start, end, name in sorted(edits, reverse=True):
        said = text[start:end]
        if " ".join(said.split()) != name and not (len(name.split()) == 1 and
                                                   said.lower() == name.lower()):
            text = text[:start] + name + text[end:]
    return text


def _best(window: list[str], known: list[_Known], joined_names: list[str],
          is_common: Callable[[str], bool]) -> tuple[float, str] | None:
    """The known name these words say, with how close; None when none or not sure."""
    joined = "".join(window)
    close = process.extract(joined, joined_names, scorer=fuzz.ratio, score_cutoff=CLOSE_NAME,
                            limit=4)
    accepted = [(score, known[i]) for _, score, i in close
                if _acceptable(window, known[i], score, is_common)]
    if not accepted:
        return None
    score, name = max(accepted, key=lambda a: a[0])
    if score < 100 and any(s > score - MARGIN for _, s, i in close if known[i] is not name):
        return None  # two names about as close: guessing would be worse than leaving it
    return score, name.text


def _said_as(said: str, word: str) -> bool:
    """The word as it is, or run together with a sound before it ("advantage" of
    "Vantage Medical": an "a" or "the" heard into the name)."""
    return said == word or (len(word) >= 5 and said.endswith(word) and len(said) - len(word) <= 2)


def _sounds_like(window: list[str], names: KnownNames,
                 is_common: Callable[[str], bool]) -> tuple[float, str] | None:
    """The one known name of several words that sounds like these words, word for word."""
    if len(window) < 2 or any(is_common(w) for w in window):
        return None
    alike = names.sounds.get(_sounds(window), [])
    if len(alike) != 1 or tuple(window) == alike[0].words:
        return None
    return float(CLOSE_NAME), alike[0].text


def _acceptable(window: list[str], name: _Known, score: float,
                is_common: Callable[[str], bool]) -> bool:
    if score >= 100:
        return True  # the same letters, spaced differently ("North wind" = "Northwind")
    if len(name.words) < 2:
        return False  # one word alone is never evidence enough for a near miss
    if len(window) == len(name.words):
        exact = [said for said, word in zip(window, name.words, strict=True)
                 if _said_as(said, word)]
        differ = [(said, word) for said, word in zip(window, name.words, strict=True)
                  if not _said_as(said, word)]
        if not exact or any(fuzz.ratio(said, word) < CLOSE_WORD for said, word in differ):
            return False
        if any(is_common(said) for said, _ in differ):
            return score >= CLOSE_COMMON and not all(is_common(w) for w in exact)
        return True
    if len(window) == len(name.words) + 1:
        # One word of the name heard as two: the letters must almost all be there, and the
        # name's first or last word said as it is.
        return score >= CLOSE_SPLIT and (window[0] == name.words[0] or
                                         window[-1] == name.words[-1] or score >= 95)
    return False
