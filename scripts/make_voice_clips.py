#!/usr/bin/env python3
"""Regenerate the fixed voice clip set in tests/data/voice/ with espeak-ng.

Each clip is a rep's note naming the demo company's accounts and contacts (the demo
seeded with its fixed seed, as `salesbot demo` does); the manifest keeps the words
said and the names in them. The clips are committed, so tests and the bench need
neither espeak-ng nor this script:

    apt-get install espeak-ng && python scripts/make_voice_clips.py

The speaker is Sam Rivera (UREP1, the terminal user). The first sixteen clips name his
own recent accounts and contacts, as reps mostly do; the last four name the rest of
the workspace (other reps' accounts, a colleague), which a budgeted hint may not reach.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
import wave
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "tests" / "data" / "voice"
SPEAKER = "UREP1"
VOICE, WORDS_PER_MINUTE = "en-us", 150
RATE = 16_000

# (what is said, the names in it)
CLIPS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("Called Megan Reyes at Lattice Medical, budget approved, follow up Tuesday.",
     ("Megan Reyes", "Lattice Medical")),
    ("Met with Gabriel O'Brien from Cedarwood Works, they want a pricing sheet.",
     ("Gabriel O'Brien", "Cedarwood Works")),
    ("Spoke with Maya Sullivan at Keystone Manufacturing, the deal is worth forty "
     "thousand dollars.", ("Maya Sullivan", "Keystone Manufacturing")),
    ("Felix Moore at Ironbridge Telecom asked for a demo next Thursday.",
     ("Felix Moore", "Ironbridge Telecom")),
    ("Called Daniel Schmidt, Greenway Outfitters wants fifty k for the pilot.",
     ("Daniel Schmidt", "Greenway Outfitters")),
    ("Grace Hughes from Crescent Systems says the budget is one point two million.",
     ("Grace Hughes", "Crescent Systems")),
    ("Left a voicemail for Rohan Fischer at Riverpeak Therapeutics.",
     ("Rohan Fischer", "Riverpeak Therapeutics")),
    ("Greg Kowalski at Northhaven Therapeutics signed the contract today.",
     ("Greg Kowalski", "Northhaven Therapeutics")),
    ("Nicole Watson from Prairie Works wants to move the meeting to Friday.",
     ("Nicole Watson", "Prairie Works")),
    ("Met Laura Khan at Foxwind Consulting, they need twenty five seats.",
     ("Laura Khan", "Foxwind Consulting")),
    ("Email from Laura Martin at Sungate Shipping about the renewal.",
     ("Laura Martin", "Sungate Shipping")),
    ("Called Jack Taylor at Halcyon Therapeutics, follow up next Monday.",
     ("Jack Taylor", "Halcyon Therapeutics")),
    ("The Oakstone Resorts deal moved to negotiation, James Khan is the champion.",
     ("Oakstone Resorts", "James Khan")),
    ("Omar White at Greencrest Learning asked for a ten percent discount.",
     ("Omar White", "Greencrest Learning")),
    ("Called Ben Green, Greenstone Logistics is ready to sign for seventy five thousand.",
     ("Ben Green", "Greenstone Logistics")),
    ("Jennifer Russo from Dovetail Networks wants a call back tomorrow morning.",
     ("Jennifer Russo", "Dovetail Networks")),
    ("Called Ryan Shah at Wolfview Energy about the renewal.",
     ("Ryan Shah", "Wolfview Energy")),
    ("Megan Ito from Rivergate Outfitters wants a proposal by Friday.",
     ("Megan Ito", "Rivergate Outfitters")),
    ("Nina Nakamura at Vantage Medical asked for references.",
     ("Nina Nakamura", "Vantage Medical")),
    ("Hannah Brooks will join the call with Anjali Shah from Pinepeak Systems.",
     ("Hannah Brooks", "Anjali Shah", "Pinepeak Systems")),
)


def demo_names() -> set[str]:
    """Every account, contact and user name of the demo company (fixed seed)."""
    import datetime as dt

    from crm_store.demo_data.plan import plan_demo

    plan = plan_demo(now=dt.datetime(2026, 11, 1, 12, tzinfo=dt.UTC))
    return {*(a.name for a in plan.accounts), *(c.name for c in plan.contacts),
            *(u.name for u in plan.users)}


def speak(text: str, path: Path) -> float:
    """`text` said by espeak-ng into a 16 kHz mono 16-bit WAV; its length in seconds."""
    import av
    import numpy as np

    with tempfile.TemporaryDirectory() as tmp:
        raw = Path(tmp) / "raw.wav"
        subprocess.run(["espeak-ng", "-v", VOICE, "-s", str(WORDS_PER_MINUTE), "-w", str(raw),
                        text], check=True)
        resampler = av.AudioResampler(format="s16", layout="mono", rate=RATE)
        with av.open(str(raw)) as container:
            stream = container.streams.audio[0]
            chunks = [out.to_ndarray().reshape(-1)
                      for frame in [*container.decode(stream), None]
                      for out in resampler.resample(frame)]
    samples = np.concatenate(chunks).astype("<i2")
    with wave.open(str(path), "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(RATE)
        w.writeframes(samples.tobytes())
    return samples.size / RATE


def main(argv: list[str] | None = None) -> int:
    import argparse

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", type=Path, default=OUT, help="folder to write (default: %(default)s)")
    out = ap.parse_args(argv).out
    sys.path.insert(0, str(ROOT))
    known = demo_names()
    missing = sorted({n for _, names in CLIPS for n in names} - known)
    if missing:
        print(f"not in the demo company: {', '.join(missing)}", file=sys.stderr)
        return 1
    out.mkdir(parents=True, exist_ok=True)
    manifest = []
    for number, (text, names) in enumerate(CLIPS, 1):
        assert all(name in text for name in names), text
        file = f"clip{number:02d}.wav"
        seconds = speak(text, out / file)
        manifest.append({"file": file, "text": text, "names": list(names),
                         "speaker": SPEAKER, "seconds": round(seconds, 2)})
    (out / "manifest.json").write_text(json.dumps(
        {"voice": f"espeak-ng -v {VOICE} -s {WORDS_PER_MINUTE}", "rate": RATE,
         "demo_seed": 7, "clips": manifest}, indent=1) + "\n")
    print(f"wrote {len(manifest)} clips to {out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
