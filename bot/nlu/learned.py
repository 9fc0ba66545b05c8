"""The learned parts of the offline engine: a name tagger, an intent classifier and a
role tagger (who a message is about, and which company).

All are CRFsuite models shipped in `bot/nlu/models/` and trained by
`python -m bot.nlu.train` (see that package for why CRFsuite). They are opened lazily,
once per process. When a model file is missing the engine runs on its rules alone and
logs one warning; `available()` says so, and the tests fail on it.

Known names (the workspace's accounts, contacts, users and deals, or
`salesbot parse --names FILE`) reach the tagger through `known_names(...)`, a context
manager, so the rules code in between needs no extra argument.
"""

from __future__ import annotations

import contextlib
import contextvars
import logging
import threading
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from bot.nlu.features import mark_known, role_features, text_features, token_features, tokens

log = logging.getLogger(__name__)
MODELS = Path(__file__).resolve().parent / "models"
_lock = threading.Lock()
KnownIndex = dict[str, list[tuple[tuple[str, ...], str]]]  # first token → (tokens, kind)
_known: contextvars.ContextVar[tuple[int, KnownIndex] | None] = contextvars.ContextVar(
    "known_names", default=None)
# The same names as given (kind, name), in their order: for the LLM engine's prompt.
_given: contextvars.ContextVar[Sequence[tuple[str, str]]] = contextvars.ContextVar(
    "given_names", default=())


@dataclass(frozen=True)
class Tagged:
    """A span the tagger found: its text, offsets, kind (PER/ORG/TITLE/DEAL) and how sure."""

    text: str
    start: int
    end: int
    kind: str
    confidence: float


class _Models:
    def __init__(self) -> None:
        self.names = self.intents = self.roles = None
        self.loaded = False

    def load(self) -> None:
        with _lock:
            if self.loaded:
                return
            try:
                import pycrfsuite

                names, intents, roles = (pycrfsuite.Tagger(), pycrfsuite.Tagger(),
                                         pycrfsuite.Tagger())
                names.open(str(MODELS / "names.crfsuite"))
                intents.open(str(MODELS / "intents.crfsuite"))
                roles.open(str(MODELS / "roles.crfsuite"))
                self.names, self.intents, self.roles = names, intents, roles
            except (ImportError, OSError, ValueError) as exc:
                log.warning("NLU models unavailable (%s): the rules run alone", exc)
            self.loaded = True


_models = _Models()


def available() -> bool:
    """True when the models are loaded (loading them on first call)."""
    _models.load()
    return None not in (_models.names, _models.intents, _models.roles)


_KINDS = {"contact": "PER", "user": "PER", "person": "PER", "per": "PER", "account": "ORG",
          "company": "ORG", "org": "ORG", "deal": "DEAL"}


def index_names(names: Iterable[tuple[str, str]]) -> KnownIndex:
    """(kind, name) pairs as the tagger looks them up: by first token, lower case.
    A name of unknown kind is marked "NAME" (a name, kind not said)."""
    index: KnownIndex = {}
    for kind, name in names:
        toks = tuple(t.lower() for t, _, _ in tokens(name))
        if toks and len(" ".join(toks)) >= 3:
            label = _KINDS.get(kind.strip().lower(), "NAME")
            index.setdefault(toks[0], []).append((toks, label))
    return index


_last_indexed: tuple[object, tuple[int, dict]] | None = None  # the names, indexed


def _indexed(names: Iterable[tuple[str, str]]) -> tuple[int, dict] | None:
    """The names indexed for the tagger, with a key for its cache; the same list (the
    assistant keeps one per workspace for a while) is indexed once, not per message."""
    global _last_indexed
    if _last_indexed is not None and _last_indexed[0] is names:
        return _last_indexed[1]
    index = index_names(names)
    if not index:
        return None
    indexed = (hash(tuple(sorted((k, tuple(v)) for k, v in index.items()))), index)
    _last_indexed = (names, indexed)
    return indexed


@contextlib.contextmanager
def known_names(names: Iterable[tuple[str, str]] | None) -> Iterator[None]:
    """Within the block, (kind, name) pairs help the tagger find and label spans."""
    token = _known.set(_indexed(names) if names else None)
    given = _given.set(names or ())  # as given, for an engine that lists them
    try:
        yield
    finally:
        _given.reset(given)
        _known.reset(token)


_examples: contextvars.ContextVar[Sequence[tuple[str, list[dict]]]] = \
    contextvars.ContextVar("known_examples", default=())


@contextlib.contextmanager
def known_examples(examples: Sequence[tuple[str, list[dict]]]) -> Iterator[None]:
    """Within the block, the workspace's corrections — (message, actions as the person
    saved them), newest first — are there for an engine that shows a model examples."""
    token = _examples.set(tuple(examples))
    try:
        yield
    finally:
        _examples.reset(token)


def current_examples() -> Sequence[tuple[str, list[dict]]]:
    return _examples.get()


def current_names() -> Sequence[tuple[str, str]]:
    """The (kind, name) pairs `known_names` put in force here, as given (most recent
    first within a kind when they come from the workspace)."""
    return _given.get()


def read_names(lines: Iterable[str]) -> list[tuple[str, str]]:
    """`--names FILE` lines: "name" or "kind<TAB>name" (kind: contact, account, user, deal)."""
    out = []
    for line in lines:
        line = line.rstrip("\n")
        if not line.strip() or line.startswith("#"):
            continue
        kind, _, name = line.partition("\t") if "\t" in line else ("", "", line)
        out.append((kind.strip(), name.strip()))
    return out


_message: contextvars.ContextVar[str | None] = contextvars.ContextVar("message", default=None)


@contextlib.contextmanager
def reading(message: str) -> Iterator[None]:
    """Within the block, a piece of `message` is tagged as part of the whole message: one
    tagging per message, and each name read with all the words around it."""
    token = _message.set(message)
    try:
        yield
    finally:
        _message.reset(token)


def tag(text: str) -> list[Tagged]:
    """Spans of people, companies, titles and deal names in `text`."""
    if not available() or not text.strip():
        return []
    known = _known.get()
    key = known[0] if known else 0
    whole = _message.get()
    at = whole.find(text) if whole and text != whole else -1
    if at != -1:
        end = at + len(text)
        # A name may run past the piece by its closing stop only ("Green Kitchen Co." of
        # the piece "... Green Kitchen Co"): it is cut there, not lost.
        return [Tagged(t.text[:min(t.end, end) - t.start], t.start - at, min(t.end, end) - at,
                       t.kind, t.confidence)
                for t in _tag(whole, key)
                if t.start >= at and (t.end <= end or t.start < end
                                      and not whole[end:t.end].strip(".,"))]
    return list(_tag(text, key))


@lru_cache(maxsize=64)  # features weigh: the texts of a message or two, for the role tagger
def _labelled(text: str, key: int) -> tuple[list[tuple[str, int, int]], list[list[str]],
                                           list[str], list[float]]:
    """The name tagger's reading of `text`: its tokens, their features, labels and how sure
    of each (cached by text and by which known names were in force)."""
    known = _known.get()
    index = known[1] if known else None
    toks = tokens(text)
    marks = mark_known(toks, index) if index and toks else None
    tagger = _models.names
    assert tagger is not None
    feats = token_features([t for t, _, _ in toks], marks)
    with _lock:  # a CRFsuite tagger holds its last sequence: one caller at a time
        labels = tagger.tag(feats) if toks else []
        probs = [tagger.marginal(label, i) for i, label in enumerate(labels)]
    return toks, feats, labels, probs


@lru_cache(maxsize=2048)
def _tag(text: str, key: int) -> tuple[Tagged, ...]:
    """Cached by text and by which known names were in force (their hash)."""
    toks, _, labels, probs = _labelled(text, key)
    return _spans(text, toks, labels, probs)


def roles(text: str) -> list[Tagged]:
    """Who a whole message is about ("CON", the person) and which company ("ACC"), as the
    role tagger reads them: trained on real messages, it reads each name by the words
    around it and by the name tagger's reading ("send the deck to Kanya" is a person,
    "the Donau Stahlbau GmbH appointment" a company)."""
    if not available() or not text.strip():
        return []
    known = _known.get()
    return list(_roles(text, known[0] if known else 0))


@lru_cache(maxsize=2048)
def _roles(text: str, key: int) -> tuple[Tagged, ...]:
    toks, feats, tagger_labels, _ = _labelled(text, key)
    if not toks:
        return ()
    model = _models.roles
    assert model is not None
    with _lock:
        labels = model.tag(role_features(feats, tagger_labels))
        probs = [model.marginal(label, i) for i, label in enumerate(labels)]
    return _spans(text, toks, labels, probs)


def _spans(text: str, toks: list[tuple[str, int, int]], labels: list[str],
           probs: list[float]) -> tuple[Tagged, ...]:
    """BIO labels read back as spans of `text`, each as sure as its least sure token."""
    spans: list[Tagged] = []
    start = kind = None
    conf: list[float] = []
    for i, label in enumerate([*labels, "O"]):
        begins = label.startswith("B-") or (label.startswith("I-") and label[2:] != kind)
        if kind is not None and (label == "O" or begins):
            end = toks[i - 1][2]
            s = toks[start][1]
            spans.append(Tagged(text[s:end], s, end, kind, min(conf)))
            kind = None
        if label != "O" and (begins or kind is None):
            start, kind, conf = i, label[2:], []
        if label != "O":
            conf.append(probs[i])
    return tuple(spans)


def clear_caches() -> None:
    """Forget the readings of texts seen before (a benchmark times reading, not recalling)."""
    for cached in (_labelled, _tag, _roles, _probabilities):
        cached.cache_clear()


def classify(text: str) -> tuple[str, float]:
    """The most likely intent of a clause or message, and its probability."""
    if not available() or not text.strip():
        return "unknown", 0.0
    probabilities = _probabilities(text)
    label = max(probabilities, key=probabilities.__getitem__)
    return label, probabilities[label]


def intent_probability(text: str, intent: str) -> float:
    """How likely `text` asks for `intent` (0 when the models are missing)."""
    if not available() or not text.strip():
        return 0.0
    return _probabilities(text).get(intent, 0.0)


@lru_cache(maxsize=2048)
def _probabilities(text: str) -> dict[str, float]:
    """Every intent's probability for `text`: one reading serves `classify` and each
    action's confidence (a one-item CRF: the likeliest label is the model's answer)."""
    tagger = _models.intents
    assert tagger is not None
    with _lock:
        tagger.set([text_features(text)])
        return {label: tagger.marginal(label, 0) for label in tagger.labels()}
