"""Throughput of the offline rules NLU engine, in-process, over the dev set repeated.

    .venv/bin/python bench/nlu_bench.py [--cases ../shared/eval/nlu_dev.jsonl] [--repeat 20]

Prints messages/s, ms/message (mean, p50, p99) and the ratio to the 2 ms/message
target. It always exits 0 unless it crashes: it is a measurement, not a test.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import statistics
import time
from pathlib import Path

from bot.nlu import parse

TARGET_MS = 2.0
DEFAULT_CASES = Path(__file__).resolve().parents[2] / "shared" / "eval" / "nlu_dev.jsonl"


def load_cases(path: Path) -> list[tuple[str, dt.datetime, str]]:
    """(text, now, tz) of each case in a JSON Lines file."""
    cases = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            case = json.loads(line)
            cases.append((case["text"], dt.datetime.fromisoformat(case["now"]), case["tz"]))
    return cases


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--cases", type=Path, default=DEFAULT_CASES)
    ap.add_argument("--repeat", type=int, default=20)
    args = ap.parse_args()
    cases = load_cases(args.cases)
    for text, now, tz in cases:  # warm-up: regex compilation and first-call caches
        parse(text, now=now, tz=tz)

    timings = []
    started = time.perf_counter()
    for _ in range(args.repeat):
        for text, now, tz in cases:
            t0 = time.perf_counter()
            parse(text, now=now, tz=tz)
            timings.append(time.perf_counter() - t0)
    total = time.perf_counter() - started

    n = len(timings)
    mean_ms = 1000 * total / n
    quantiles = statistics.quantiles(timings, n=100)
    print(f"nlu bench: {len(cases)} messages x {args.repeat} = {n} parses in {total:.2f} s")
    print(f"  {n / total:,.0f} messages/s, {mean_ms:.3f} ms/message mean, "
          f"p50 {1000 * quantiles[49]:.3f} ms, p99 {1000 * quantiles[98]:.3f} ms")
    verdict = "OK" if mean_ms <= TARGET_MS else "FAIL"
    print(f"  target {TARGET_MS} ms/message: ratio {mean_ms / TARGET_MS:.2f} of target [{verdict}]")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
