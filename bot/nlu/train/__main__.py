"""`python -m bot.nlu.train [--out DIR] [--seed N] [--size N]`: write the models."""

from __future__ import annotations

import argparse
import random
import time
import zlib
from pathlib import Path

import pycrfsuite

from bot.nlu.features import (
    listed,
    mark_known,
    role_features,
    text_features,
    token_features,
    tokens,
)
from bot.nlu.learned import index_names
from bot.nlu.rules import prepared
from bot.nlu.train.corpus import NAME_TEMPLATES, TEMPLATES, sentence
from bot.nlu.train.labelled import ROLE_KEYS, cases, names, roles

MODELS = Path(__file__).resolve().parent.parent / "models"


def tagged(pieces: list[tuple[str, str]]) -> tuple[str, list[tuple[str, int, int]], list[str]]:
    """The text, its tokens and BIO labels from labelled pieces."""
    text, spans = "", []
    for piece, tag in pieces:
        if tag != "O":
            spans.append((len(text), len(text) + len(piece), tag))
        text += piece
    toks = tokens(text)
    labels = []
    for _, s, e in toks:
        label = "O"
        for start, end, tag in spans:
            if s >= start and e <= end:
                label = ("B-" if s == start else "I-") + tag
        labels.append(label)
    return text, toks, labels


def known_names(pieces, rng: random.Random) -> list[tuple[str, str]]:
    """Some of the sentence's names as the workspace would know them, sometimes without
    their kind, so the model learns to use the `known` feature without depending on it."""
    kinds = {"PER": "contact", "ORG": "account", "DEAL": "deal"}
    return [("" if rng.random() < 0.3 else kinds[tag], piece) for piece, tag in pieces
            if tag in kinds and rng.random() < 0.4]


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", type=Path, default=MODELS)
    ap.add_argument("--seed", type=int, default=11)
    ap.add_argument("--size", type=int, default=24000)
    ap.add_argument("--hold", default="", help="blind sets to leave out, to measure on: o,p,q")
    args = ap.parse_args()
    held = [name for name in args.hold.split(",") if name]
    rng = random.Random(args.seed)
    args.out.mkdir(parents=True, exist_ok=True)

    started = time.perf_counter()
    tagger = pycrfsuite.Trainer(verbose=False)
    intents = pycrfsuite.Trainer(verbose=False)
    # Each model draws from its own stream: what only the tagger learns (NAME_TEMPLATES)
    # leaves the classifier's sentences as they were.
    said = random.Random(args.seed + 1)
    per_intent = max(1, args.size // len(TEMPLATES))
    for intent in TEMPLATES:
        for _ in range(per_intent):
            _, single = sentence(said, intent)
            intents.append([text_features("".join(p for p, _ in single))], [intent])
    for templates, count in ((TEMPLATES, per_intent), (NAME_TEMPLATES, args.size // 40)):
        for intent in templates:
            for _ in range(count):
                _, pieces = sentence(rng, intent, templates=templates)
                if rng.random() < 0.25:  # two actions in one message, in either order
                    _, more = sentence(rng, rng.choice(["create_task", "update_deal",
                                                        "log_activity"]))
                    pieces = pieces + [(rng.choice([", ", ". ", " - ", " and "]), "O")] + more
                text, toks, labels = tagged(pieces)
                if not toks:
                    continue
                known = mark_known(toks, index_names(known_names(pieces, rng)))
                words = [t for t, _, _ in toks]
                lists = [listed(w) if rng.random() < 0.5 else "" for w in words]
                tagger.append(token_features(words, known, lists), labels)
    # Real messages, from the spent blind sets (see labelled.py): the words of each that are
    # its expected contact and account teach the tagger people and companies as people
    # write them; the ones that ask for one thing teach the classifier.
    # (each read as the engine reads it once, for this model and the role tagger)
    real = [(text, prepared(text)[1].text, expected) for text, expected in cases(hold=held)]
    for text, norm, expected in real:
        toks = tokens(norm)
        labels = names(norm, toks, expected) if toks else None
        if labels is not None:
            words = [t for t, _, _ in toks]
            tagger.append(token_features(words, None, [listed(w) if rng.random() < 0.5 else ""
                                                       for w in words]), labels)
        if len(expected) == 1:
            intents.append([text_features(text)], [expected[0]["intent"]])
    tagger.set_params({"c1": 0.05, "c2": 0.01, "max_iterations": 120,
                       "feature.possible_transitions": True})
    tagger.train(str(args.out / "names.crfsuite"))
    intents.set_params({"c1": 0.0, "c2": 0.1, "max_iterations": 150})
    intents.train(str(args.out / "intents.crfsuite"))
    train_roles(args.out, real, random.Random(args.seed + 2))
    took = time.perf_counter() - started
    sizes = {p.name: p.stat().st_size for p in args.out.glob("*.crfsuite")}
    print(f"trained in {took:.0f} s: " + ", ".join(f"{k} {v / 1e6:.1f} MB"
                                                 for k, v in sizes.items()))
    evaluate(args.out, random.Random(args.seed + 1000))
    return 0


def train_roles(folder: Path, real: list[tuple[str, str, list[dict]]],
                rng: random.Random) -> None:
    """The role tagger, from the real messages alone: the words of each that are its
    expected contact and account, read beside the name tagger just trained. Some of the
    names are given as the workspace would know them, as for the name tagger."""
    names = pycrfsuite.Tagger()
    names.open(str(folder / "names.crfsuite"))
    trainer = pycrfsuite.Trainer(verbose=False)
    base = rng.getrandbits(32)
    for text, norm, expected in real:
        # each message draws from its own stream: a change to how one message is read
        # leaves the names given with every other message as they were
        rng = random.Random(base ^ zlib.crc32(text.encode("utf-8")))
        toks = tokens(norm)
        labels = roles(norm, toks, expected) if toks else None
        if labels is None:
            continue
        given = [("" if rng.random() < 0.3 else "account" if role == "ACC" else "contact",
                  said if isinstance(said, str) else said[0])
                 for action in expected for key, role in ROLE_KEYS
                 if (said := action.get(key)) and rng.random() < 0.3]
        marks = mark_known(toks, index_names(given))
        words = [t for t, _, _ in toks]
        feats = token_features(words, marks)
        trainer.append(role_features(feats, names.tag(feats)), labels)
    trainer.set_params({"c1": 0.05, "c2": 0.01, "max_iterations": 150,
                        "feature.possible_transitions": True})
    trainer.train(str(folder / "roles.crfsuite"))


def spans_of(labels: list[str]) -> set[tuple[int, int, str]]:
    """(first token, last token, kind) of each BIO span."""
    found, start, kind = set(), None, None
    for i, label in enumerate([*labels, "O"]):
        if kind and (label == "O" or label.startswith("B-") or label[2:] != kind):
            found.add((start, i - 1, kind))
            kind = None
        if label != "O" and kind is None:
            start, kind = i, label[2:]
    return found


def evaluate(folder: Path, rng: random.Random, n: int = 1500) -> None:
    """Scores on sentences from another seed: new name combinations and noise, the same
    grammar (a check that the models learned the shapes, not a claim about real text)."""
    names, intents = pycrfsuite.Tagger(), pycrfsuite.Tagger()
    names.open(str(folder / "names.crfsuite"))
    intents.open(str(folder / "intents.crfsuite"))
    hit = want = got = right = 0
    for _ in range(n):
        intent, pieces = sentence(rng)
        text, toks, labels = tagged(pieces)
        if not toks:
            continue
        gold = spans_of(labels)
        guess = spans_of(names.tag(token_features([t for t, _, _ in toks])))
        hit, want, got = hit + len(gold & guess), want + len(gold), got + len(guess)
        right += intents.tag([text_features(text)])[0] == intent
    precision, recall = hit / max(got, 1), hit / max(want, 1)
    print(f"held-out generated sentences ({n}): names P {precision:.3f} R {recall:.3f} "
          f"F1 {2 * precision * recall / max(precision + recall, 1e-9):.3f}; "
          f"intent accuracy {right / n:.3f}")


if __name__ == "__main__":
    raise SystemExit(main())
