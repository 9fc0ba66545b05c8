"""The offline NLU engine, in-process: load time, memory, latency and accuracy.

    .venv/bin/python bench/nlu_bench.py [--sets tests/nlu_blind/set_*.jsonl] [--repeat 5]

- load: importing the engine, then opening its learned models (first message);
- memory: the process's resident size before and after (models are memory-mapped);
- latency per message, p50 / p99 / max, with the caches of texts read cleared before
  every message, so repeats measure work, not cache hits (target p99 <= 5 ms);
- accuracy: exact / intent per set, matched as ../shared/eval/score_nlu.py does
  (same intents one-to-one, every non-free-text key the case names equal).

It always exits 0 unless it crashes: it is a measurement, not a test.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import resource
import statistics
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_SETS = sorted((ROOT / "tests" / "nlu_blind").glob("set_*.jsonl"))
DEV = ROOT.parent / "shared" / "eval" / "nlu_dev.jsonl"
TARGET_P99_MS = 5.0


def _rss_mb() -> float:
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * resource.getpagesize() / 1e6


def load(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()
            if line.strip()]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sets", type=Path, nargs="*", default=[*DEFAULT_SETS, DEV])
    ap.add_argument("--repeat", type=int, default=5)
    args = ap.parse_args()

    rss0 = _rss_mb()
    t0 = time.perf_counter()
    from bot.nlu import actions_to_json, learned, parse
    from bot.nlu.evaluate import case_matches
    from bot.nlu.rules import clear_caches

    imported = time.perf_counter() - t0
    t1 = time.perf_counter()
    ok = learned.available()
    opened = time.perf_counter() - t1
    rss1 = _rss_mb()
    sizes = sum(p.stat().st_size for p in learned.MODELS.glob("*.crfsuite"))
    print(f"nlu bench (python {sys.version.split()[0]})")
    print(f"  load: import {1000 * imported:.0f} ms, models {1000 * opened:.1f} ms "
          f"({'present' if ok else 'MISSING'}, {sizes / 1e6:.1f} MB on disk); "
          f"resident {rss0:.0f} -> {rss1:.0f} MB")

    sets = {p.stem: load(p) for p in args.sets if p.exists()}
    timings: list[float] = []
    for name, cases in sets.items():
        exact = intents = 0
        for case in cases:
            now = dt.datetime.fromisoformat(case["now"])
            got = actions_to_json(parse(case["text"], now=now, tz=case["tz"]))["actions"]
            want = case["expected"]["actions"]
            exact += case_matches(want, got)
            intents += Counter(a.get("intent") for a in got) == Counter(a["intent"]
                                                                         for a in want)
        n = len(cases)
        print(f"  {name:10s} {n:4d} cases: exact {100 * exact / n:5.1f} %, "
              f"intent {100 * intents / n:5.1f} %")
    everything = [c for cases in sets.values() for c in cases]
    best = [float("inf")] * len(everything)
    for _ in range(args.repeat):
        for i, case in enumerate(everything):
            clear_caches()
            now = dt.datetime.fromisoformat(case["now"])
            started = time.perf_counter()
            parse(case["text"], now=now, tz=case["tz"])
            took = time.perf_counter() - started
            timings.append(took)
            best[i] = min(best[i], took)
    q = statistics.quantiles(timings, n=100)
    p99 = 1000 * q[98]
    print(f"  latency over {len(timings)} parses: p50 {1000 * q[49]:.2f} ms, p99 {p99:.2f} ms, "
          f"max {1000 * max(timings):.2f} ms, mean {1000 * statistics.fmean(timings):.2f} ms "
          f"[{'OK' if p99 <= TARGET_P99_MS else 'OVER'} target p99 <= {TARGET_P99_MS} ms]")
    # Each message's fastest run: its own cost, without the other processes sharing the cores.
    qb = statistics.quantiles(best, n=100)
    print(f"  each message's best of {args.repeat}: p50 {1000 * qb[49]:.2f} ms, "
          f"p99 {1000 * qb[98]:.2f} ms, max {1000 * max(best):.2f} ms; "
          f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    print(f"  resident after: {_rss_mb():.0f} MB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
