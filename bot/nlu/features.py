"""Tokens and features for the learned parts, shared by training and by the running engine.

Features are about the *shape* of words (case, digits, affixes, punctuation, position)
and their neighbours, never a list of names: what makes "ngozi okafor @ Route 66
Logistics" a person then a company is where the words stand and how they look. The
one exception is the `known` feature, fed at run time from the workspace's own names
(or `salesbot parse --names FILE`) and, in training, from a random part of the names,
so the model learns to use it without depending on it. Two closed classes are known by
heart as well: legal forms ("GmbH", "sp. z o.o.", "A/S") and the particles inside
people's names ("bin", "van der", "dos"). Two open lists help as `known` does, and are
learned the same way (in training they fire for a random part of the words they hold, so
the model leans on them without depending on them): given names ("given"), the words
that make a name a company's ("coword": "Analytics", "Freight") and family names
("family").
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from bot.nlu.lexicon import COMPANY_WORDS, FIRST_NAMES, LEGAL_FORMS, NAME_PARTICLES, SURNAMES

# A token: dotted abbreviations ("S.A.", "o.o.", "brightloop.io"), words with inner
# hyphens, apostrophes, "&" or "+" ("Kowalczyk-Brandt", "O'Brien", "AT&T", "Crane+Fox"), a
# possessive "'s" on its own, numbers with their suffix ("40k", "$1.2M") or one punctuation
# mark. Combining marks belong to the letter before them ("Adébáyọ̀": ọ + grave).
_L = r"(?:\w[\u0300-\u036f\u1dc0-\u1dff]*)"
TOKEN_RE = re.compile(
    r"'s\b|\u2019s\b"
    rf"|{_L}+(?:[.]{_L}+)+\.?"
    rf"|{_L}+(?:[-&/+]{_L}+|'(?!s\b){_L}+|\u2019(?!s\b){_L}+)*"
    r"|[^\w\s]"
)
_FUNCTION_TEXT = """
    a an the at from with to for of on in by about and or but so i we he she they it you
    me my our their her his its is are was were be been has have had do did will can re
    via w / - , . : ; ! ? ( ) @ ' " then also just please pls
    """
FUNCTION_WORDS = frozenset(_FUNCTION_TEXT.split())


def tokens(text: str) -> list[tuple[str, int, int]]:
    """(token, start, end) for each token of `text`."""
    return [(m.group(0), m.start(), m.end()) for m in TOKEN_RE.finditer(text)]


@lru_cache(maxsize=16384)
def shape(word: str) -> str:
    """"Xxxx" / "xxxx" / "XX" / "dd" / "X.X." / "Xx-Xx": case and punctuation, squeezed."""
    out = []
    for ch in word:
        c = "X" if ch.isupper() else "x" if ch.isalpha() else "d" if ch.isdigit() else ch
        if not out or out[-1] != c:
            out.append(c)
    return "".join(out)[:6]


def _has_accent(word: str) -> bool:
    return any(ord(ch) > 127 and unicodedata.category(ch)[0] in "LM" for ch in word)


@lru_cache(maxsize=16384)
def _word_features(word: str, prefix: str) -> tuple[str, ...]:
    lower = word.lower()
    feats = (f"{prefix}w={lower}", f"{prefix}sh={shape(word)}")
    if lower.rstrip(".") in LEGAL_FORMS:
        feats = (*feats, f"{prefix}legal")
    return (*feats, f"{prefix}fn") if lower in FUNCTION_WORDS else feats


@lru_cache(maxsize=16384)
def _own_features(word: str) -> tuple[str, ...]:
    """What a token says about itself, whatever stands around it (cached: words repeat)."""
    lower = word.lower()
    f = ["b", f"w={lower}", f"sh={shape(word)}", f"p2={lower[:2]}", f"p3={lower[:3]}",
         f"s2={lower[-2:]}", f"s3={lower[-3:]}", f"s4={lower[-4:]}", f"len={min(len(word), 8)}"]
    if word[:1].isupper():
        f.append("title")
    if word.isupper() and len(word) > 1:
        f.append("upper")
    if word.islower():
        f.append("lower")
    if any(ch.isdigit() for ch in word):
        f.append("digit")
    if "-" in word:
        f.append("hyphen")
    if "." in word:
        f.append("dot")
    if "+" in word or "&" in word:
        f.append("joined")  # "Crane+Fox", "AT&T"
    if "'" in word[1:-1] or "\u2019" in word[1:-1]:
        f.append("apos")  # "D'Angelo", "O'Malley"
    if lower.rstrip(".") in LEGAL_FORMS:
        f.append("legal")
    if word in NAME_PARTICLES:  # as typed in lower case: "Ben", "Van", "Al" are names too
        f.append("particle")
    if _has_accent(word):
        f.append("accent")
    if lower in FUNCTION_WORDS:
        f.append("fn")
    return tuple(f)


@lru_cache(maxsize=16384)
def listed(word: str) -> str:
    """"given" for a known given name, "coword" for a company word, "family" for a known
    family name, else ""."""
    lower = word.lower()
    if len(lower) > 1 and lower in FIRST_NAMES:
        return "given"
    if lower.rstrip(".") in COMPANY_WORDS:
        return "coword"
    return "family" if len(lower) > 1 and lower in SURNAMES else ""


def token_features(toks: list[str], known: list[str] | None = None,
                   lists: list[str] | None = None) -> list[list[str]]:
    """CRFsuite attribute lists, one per token. `lists`: each token's `listed(...)` (as
    computed when not given; training passes a part of them)."""
    n = len(toks)
    if lists is None:
        lists = [listed(word) for word in toks]
    out = []
    for i, word in enumerate(toks):
        lower = word.lower()
        f = list(_own_features(word))
        if lists[i]:
            f.append(lists[i])
        if i + 1 < n and lists[i + 1]:
            f.append(f"1:{lists[i + 1]}")
        if i > 0 and lists[i - 1]:
            f.append(f"-1:{lists[i - 1]}")
        if i == 0:
            f.append("BOS")
        if i == n - 1:
            f.append("EOS")
        if known is not None and known[i]:
            f.append(f"known={known[i]}")
        for off in (-2, -1, 1, 2):
            j = i + off
            if 0 <= j < n:
                f.extend(_word_features(toks[j], f"{off}:"))
                if known is not None and known[j]:
                    f.append(f"{off}:known={known[j]}")
            else:
                f.append(f"{off}:pad")
        if i > 0:
            f.append(f"bi={toks[i - 1].lower()}|{lower}")
        out.append(f)
    return out


def role_features(base: list[list[str]], tagged: list[str]) -> list[list[str]]:
    """Attributes for the role tagger: the name tagger's own (`base`, from `token_features`,
    left as it was) and its label for a token and the tokens beside it ("B-PER", "I-ORG")."""
    out = []
    for i, f in enumerate(base):
        f = [*f, f"tg={tagged[i]}"]
        if i > 0:
            f.append(f"-1:tg={tagged[i - 1]}")
        if i + 1 < len(tagged):
            f.append(f"1:tg={tagged[i + 1]}")
        out.append(f)
    return out


@lru_cache(maxsize=16384)
def _trigrams(word: str) -> tuple[str, ...]:
    """A word's character trigrams, edges marked ("<pri", "ice>"), for words of four
    letters or more (cached: words repeat)."""
    if len(word) <= 3 or not word.isalpha():
        return ()
    padded = f"<{word}>"
    return tuple(f"c3={padded[k:k + 3]}" for k in range(len(padded) - 2))


def text_features(text: str) -> list[str]:
    """Attributes of a whole clause or message for the intent classifier: words, word
    pairs, the opening words, and character trigrams (which survive typos: "shwo me")."""
    lower = text.lower()
    words = [t.lower() for t, _, _ in tokens(text)]
    f = [f"w={w}" for w in words]
    f += [f"bi={a}|{b}" for a, b in zip(words, words[1:], strict=False)]
    if words:
        f.append(f"first={words[0]}")
        if len(words) > 1:
            f.append(f"first2={words[0]}|{words[1]}")
    f.append(f"nwords={min(len(words), 12)}")
    if text.rstrip().endswith("?"):
        f.append("question")
    for word in words:
        f += _trigrams(word)
    if re.search(r"\d", lower):
        f.append("has_digit")
    if "#" in text:
        f.append("has_channel")
    return f


def mark_known(toks: list[tuple[str, int, int]],
               index: dict[str, list[tuple[tuple[str, ...], str]]] | None) -> list[str] | None:
    """For each token, the kind ("PER"/"ORG"/...) of a known name it is part of, or "".
    `index` maps a name's first token to (tokens, kind), so this is linear in the text."""
    if not index:
        return None
    lower = [t.lower() for t, _, _ in toks]
    marks = [""] * len(toks)
    for i, word in enumerate(lower):
        for name, kind in index.get(word, ()):
            if tuple(lower[i:i + len(name)]) == name:
                for k in range(i, i + len(name)):
                    marks[k] = kind
    return marks
