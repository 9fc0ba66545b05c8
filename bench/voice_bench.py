"""Word error rate and name recall of voice clips, heard with and without the CRM's names.

    .venv/bin/python bench/voice_bench.py [-v] [--stt local|openai]

Hears the fixed clip set (tests/data/voice/, made by scripts/make_voice_clips.py) as
Sam Rivera of the demo company (seeded with its fixed seed into a temporary SQLite
file): once plain, once with the workspace's names as the model's hint and the
transcript tidied (names snapped, amounts as figures); "snapped only" is the plain
transcript tidied, without the hint. Prints, for each, the word
error rate, the name recall (the share of names said that the transcript spells as
the CRM does) and seconds per clip. A measurement, not a test: it exits 0.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import re
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from rapidfuzz.distance import Levenshtein

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bot.voice_numbers import figures  # noqa: E402

CLIPS = ROOT / "tests" / "data" / "voice"
DEMO_NOW = dt.datetime(2026, 11, 1, 12, tzinfo=dt.UTC)


@dataclass(frozen=True)
class Clip:
    path: Path
    text: str
    names: tuple[str, ...]
    speaker: str


@dataclass(frozen=True)
class Score:
    wer: float
    recall: float
    names_heard: int
    names_said: int
    seconds_per_clip: float


def clip_set(folder: Path = CLIPS) -> list[Clip]:
    """The clips of the manifest, in order."""
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    return [Clip(folder / c["file"], c["text"], tuple(c["names"]), c["speaker"])
            for c in manifest["clips"]]


def _amount(match: re.Match[str]) -> str:
    value = float(match.group(1).replace(",", ""))
    value *= {"k": 1e3, "thousand": 1e3, "million": 1e6}.get((match.group(2) or "").lower(), 1)
    return str(int(value)) if value == int(value) else str(value)


def words_of_text(text: str) -> list[str]:
    """Words for the error rate: amounts as plain numbers ("forty thousand dollars",
    "$40,000" and "$40k" all read 40000), lower case, no punctuation."""
    text = figures(text).replace("%", " percent ").replace("$", " ")
    text = re.sub(r"(\d[\d,]*(?:\.\d+)?)(?:\s?(k|thousand|million)\b)?", _amount, text, flags=re.I)
    return re.sub(r"[^\w'\s.]|(?<!\d)\.|\.(?!\d)", " ", text.lower()).split()


def word_error_rate(said: list[str], heard: list[str]) -> float:
    """Word edits (substitutions, insertions, deletions) over the words said, all clips."""
    edits = sum(Levenshtein.distance(words_of_text(s), words_of_text(h))
                for s, h in zip(said, heard, strict=True))
    return edits / max(1, sum(len(words_of_text(s)) for s in said))


def names_heard(clip: Clip, transcript: str) -> int:
    """How many of the clip's names the transcript spells as the CRM does."""
    heard = " ".join(transcript.split()).lower()
    return sum(name.lower() in heard for name in clip.names)


def score(clips: list[Clip], transcripts: list[str], seconds: float) -> Score:
    said = sum(len(c.names) for c in clips)
    heard = sum(names_heard(c, t) for c, t in zip(clips, transcripts, strict=True))
    return Score(wer=word_error_rate([c.text for c in clips], transcripts),
                 recall=heard / max(1, said), names_heard=heard, names_said=said,
                 seconds_per_clip=seconds / max(1, len(clips)))


def hear_all(clips: list[Clip], to_text: Callable[[bytes], str]) -> tuple[list[str], float]:
    """Each clip's transcript, and the seconds they took together."""
    started = time.perf_counter()
    transcripts = [to_text(clip.path.read_bytes()) for clip in clips]
    return transcripts, time.perf_counter() - started


def demo_database(folder: Path) -> str:
    """A SQLite URL to the demo company, seeded with its fixed seed in `folder`."""
    from crm_store.db import Database
    from crm_store.demo import seed_demo

    url = f"sqlite:///{folder / 'demo.db'}"
    db = Database.open(url)
    seed_demo(db, now=DEMO_NOW)
    db.dispose()
    return url


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("-v", "--verbose", action="store_true", help="print every transcript")
    ap.add_argument("--stt", choices=("local", "openai"), default="local",
                    help="openai: the endpoint of OPENAI_API_KEY / OPENAI_BASE_URL")
    args = ap.parse_args()

    from bot import voice
    from bot.assistant.types import Person
    from bot.settings import Settings
    from bot.voice_hints import hinted_names
    from bot.voice_words import Words, words_of
    from crm_store.db import Database

    clips = clip_set()
    settings = Settings(salesbot_stt=args.stt)
    with tempfile.TemporaryDirectory() as tmp:
        db = Database.open(demo_database(Path(tmp)))
        words = words_of(db, Person(team_id="local", user_id=clips[0].speaker))
        print(f"{len(clips)} clips, {sum(len(c.names) for c in clips)} names said; hint: "
              f"{len(words.names)} known names, the first "
              f"{len(hinted_names(words.hint))} in the hint")
        voice.whisper()  # loaded before the clock starts
        plain, plain_s = hear_all(clips, voice.speech_to_text(settings, Words()))
        hinted, hinted_s = hear_all(
            clips, lambda audio: words.tidy(voice.speech_to_text(settings, words)(audio)))
        db.dispose()
    rows = [("without names", score(clips, plain, plain_s)),
            ("snapped only", score(clips, [words.tidy(t) for t in plain], plain_s)),
            ("with names", score(clips, hinted, hinted_s))]
    print(f"{'':14} {'WER':>6} {'name recall':>16} {'s/clip':>7}")
    for label, s in rows:
        print(f"{label:14} {s.wer:6.1%} {s.recall:6.1%} ({s.names_heard:2}/{s.names_said:2})"
              f" {s.seconds_per_clip:7.2f}")
    if args.verbose:
        for clip, a, b in zip(clips, plain, hinted, strict=True):
            print(f"\n{clip.path.name}: {clip.text}\n  without: {a}\n  with:    {b}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
