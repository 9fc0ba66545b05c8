"""Slack front door benchmark: signed events over HTTP to `salesbot serve --http`.

Measures, in one run and on loopback only:
  * ack latency (p50/p99) of salesbot against a bare Bolt app that only acks, both on
    the same waitress server in their own process, with the same signed requests;
  * commands/s end to end: DMs that log a call, counted until the fake Slack Web API
    has received every reply.

Targets: ack p99 ≤ 1.5× the bare app; ≥ 100 commands/s end to end on SQLite.

    .venv/bin/python bench/slack_bench.py [--acks 1000] [--commands 600] [--concurrency 16]
                                          [--workers N] [--runs 3]

The machine's load average is printed with each run: on a shared machine, figures
taken under load are not comparable with quiet ones.
"""

from __future__ import annotations

import argparse
import http.client
import json
import multiprocessing
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from slack_sdk.signature import SignatureVerifier  # noqa: E402

from tests.slack_fake import FakeSlack  # noqa: E402

SECRET = "bench-signing-secret"
USERS = [f"UREP{i}" for i in range(10)]


class RemoteSlack:
    """tests/slack_fake.FakeSlack in a process of its own: taking the replies must not
    take the GIL from the thread that times the acks (only salesbot gets replies)."""

    def __init__(self, users: list[str]) -> None:
        self._conn, child = multiprocessing.get_context("spawn").Pipe()
        self._proc = multiprocessing.get_context("spawn").Process(
            target=_fake_slack, args=(child, users), daemon=True)
        self._proc.start()
        self.base_url = self._conn.recv()

    def wait_for(self, method: str, count: int, timeout: float) -> list[str]:
        """The texts of the calls to `method` once there are `count` of them."""
        self._conn.send(("wait", method, count, timeout))
        answer = self._conn.recv()
        if isinstance(answer, Exception):
            raise answer
        return answer

    def reset(self) -> None:
        self._conn.send(("reset",))
        self._conn.recv()

    def stop(self) -> None:
        self._conn.send(("stop",))
        self._proc.join(10)


def _fake_slack(conn: multiprocessing.connection.Connection, users: list[str]) -> None:
    fake = FakeSlack(teams={"xoxb-bench": "T1"}).start()
    for i, user in enumerate(users):
        fake.add_user(user, f"Rep{i} Bench", tz="America/New_York")
    conn.send(fake.base_url)
    while True:
        command, *rest = conn.recv()
        if command == "stop":
            fake.stop()
            return
        if command == "reset":
            fake.reset()
            conn.send(None)
            continue
        try:
            conn.send([c.params.get("text") or "" for c in fake.wait_for(*rest)])
        except AssertionError as exc:
            conn.send(exc)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_listening(port: int, proc: subprocess.Popen, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"server exited with {proc.returncode}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return
        except OSError:
            time.sleep(0.05)
    raise SystemExit(f"server on port {port} did not start within {timeout}s")


def serve_command(port: int, workers: int | None) -> list[str]:
    """`salesbot serve --http` on loopback."""
    extra = ["--workers", str(workers)] if workers else []
    return [sys.executable, "-c", "import sys; from bot.cli import main; sys.exit(main())",
            "serve", "--http", "--host", "127.0.0.1", "--port", str(port), "--no-scheduler",
            *extra]


def run_bare(port: int, api_url: str) -> None:
    """A Bolt app that only acks, on the same server as salesbot (the baseline)."""
    from concurrent.futures import ThreadPoolExecutor as Pool

    from slack_bolt import App
    from slack_sdk.web import WebClient
    from waitress import serve

    from bot.slack_serving import THREADS, wsgi_app

    app = App(signing_secret=SECRET, client=WebClient(token="xoxb-bench", base_url=api_url),
              process_before_response=True, listener_executor=Pool(16))
    app.event("message")(lambda ack: ack())
    serve(wsgi_app(app, SECRET), host="127.0.0.1", port=port, threads=THREADS, ident="bare")


class Sender:
    """Signed Events API posts on one keep-alive connection."""

    def __init__(self, port: int) -> None:
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        self.verifier = SignatureVerifier(SECRET)

    def dm(self, text: str, user: str) -> float:
        body = json.dumps({
            "type": "event_callback", "team_id": "T1", "api_app_id": "A1",
            "event_id": f"Ev{uuid.uuid4().hex[:12]}", "event_time": int(time.time()),
            "event": {"type": "message", "channel_type": "im", "channel": "D" + user,
                      "user": user, "text": text, "ts": f"{time.time():.6f}"}})
        ts = str(int(time.time()))
        headers = {"Content-Type": "application/json", "X-Slack-Request-Timestamp": ts,
                   "X-Slack-Signature": self.verifier.generate_signature(timestamp=ts, body=body)}
        started = time.perf_counter()
        self.conn.request("POST", "/slack/events", body=body, headers=headers)
        response = self.conn.getresponse()
        response.read()
        elapsed = time.perf_counter() - started
        if response.status != 200:
            raise SystemExit(f"ack status {response.status}")
        return elapsed


ACCOUNTS = ("Northwind", "Globex", "Initech", "Umbrella", "Hooli", "Vandelay", "Stark",
            "Wayne", "Tyrell", "Cyberdyne", "Soylent", "Aperture", "Massive Dynamic", "Oscorp",
            "Wonka", "Duff", "Pied Piper", "Monsters Inc", "Gringotts", "Acme")
FIRST = ("Priya", "Tom", "Jane", "Omar", "Lena", "Kofi", "Mei", "Diego", "Sara", "Ivan")
LAST = ("Shah", "Becker", "Okafor", "Larsen", "Moreau", "Tanaka", "Silva", "Novak")


def command(i: int) -> tuple[str, str]:
    """A realistic DM: a call logged with one of 80 people at one of 20 accounts."""
    user = USERS[i % len(USERS)]
    name = f"{FIRST[i % len(FIRST)]} {LAST[i // len(FIRST) % len(LAST)]}"
    account = ACCOUNTS[(i * 7) % len(ACCOUNTS)]
    return f"log a call with {name} at {account}: bench note {i}", user


BLOCK = 50  # paced events per turn; the two apps take turns, so drifting load hits both


def ack_latencies(ports: tuple[int, int], n: int, rate: float, fake: RemoteSlack,
                  ) -> tuple[list[float], list[float]]:
    """Acks of `n` events per app, sent one by one at a steady `rate` per second (open
    loop), the bare app and salesbot taking turns in blocks; each salesbot block is
    answered in full before the next bare block, so its work never slows the bare app."""
    senders = [Sender(port) for port in ports]
    for sender in senders:
        for i in range(20):  # warm up connections, caches, users
            sender.dm(*command(i))
    fake.wait_for("chat.postMessage", count=20, timeout=60)
    time.sleep(1.0)
    latencies: tuple[list[float], list[float]] = ([], [])
    for first in range(0, n, BLOCK):
        for sender, found in zip(senders, latencies, strict=True):
            start = time.perf_counter()
            for k, i in enumerate(range(first, min(n, first + BLOCK))):
                pause = start + k / rate - time.perf_counter()
                if pause > 0:
                    time.sleep(pause)
                found.append(sender.dm(*command(20 + i)))
        fake.wait_for("chat.postMessage", count=20 + min(n, first + BLOCK), timeout=60)
    return latencies


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1000


def throughput(port: int, fake: RemoteSlack, n: int, concurrency: int,
               ) -> tuple[float, list[float]]:
    """Commands/s until the fake Slack received every reply, and the acks meanwhile."""
    fake.reset()
    senders = threading.local()

    def send(i: int) -> float:
        if not hasattr(senders, "s"):
            senders.s = Sender(port)
        return senders.s.dm(*command(10_000 + i))

    started = time.perf_counter()
    with ThreadPoolExecutor(concurrency) as pool:
        acks = list(pool.map(send, range(n)))
    replies = fake.wait_for("chat.postMessage", count=n, timeout=max(60.0, n / 5))
    elapsed = time.perf_counter() - started
    failed = [text for text in replies if "Logged a call" not in text]
    if failed:
        raise SystemExit(f"{len(failed)} of {n} replies were not confirmations: {failed[:3]}")
    return n / elapsed, acks


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--acks", type=int, default=1000,
                        help="paced events per app (p99 = the 10th slowest of 1,000)")
    parser.add_argument("--rate", type=float, default=40.0,
                        help="events/s while measuring acks (below the end-to-end capacity)")
    parser.add_argument("--commands", type=int, default=600, help="commands for throughput")
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--workers", type=int, help="salesbot serve --workers (default: cores)")
    parser.add_argument("--runs", type=int, default=1, help="repeat the whole measurement")
    parser.add_argument("--bare", type=int, metavar="PORT", help=argparse.SUPPRESS)
    parser.add_argument("--api-url", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.bare:
        run_bare(args.bare, args.api_url)
        return 0
    results = [measure(args) for _ in range(args.runs)]
    if args.runs > 1:
        print(f"over {args.runs} runs: ack p99 ratio " +
              " ".join(f"{r[0]:.2f}x" for r in results) + ";  commands/s " +
              " ".join(f"{r[1]:.0f}" for r in results))
    ok = all(ratio <= 1.5 and rate >= 100 for ratio, rate in results)
    print("PASS" if ok else "MISS")
    return 0 if ok else 1


def load() -> str:
    return " ".join(f"{v:.2f}" for v in os.getloadavg())


def measure(args: argparse.Namespace) -> tuple[float, float]:
    """One run: both apps started, paced acks of each, then the saturated throughput."""
    load_before = load()
    fake = RemoteSlack(USERS)
    tmp = tempfile.mkdtemp(prefix="slack-bench-")
    env = {k: v for k, v in os.environ.items() if not k.startswith("SLACK_")}
    env.update(SLACK_BOT_TOKEN="xoxb-bench", SLACK_SIGNING_SECRET=SECRET,
               SLACK_API_URL=fake.base_url, DATABASE_URL=f"sqlite:///{tmp}/crm.db",
               PYTHONPATH=str(ROOT))
    ours_port, bare_port = free_port(), free_port()
    procs = [
        subprocess.Popen(serve_command(ours_port, args.workers), env=env, cwd=tmp,
                         stdout=subprocess.DEVNULL),
        subprocess.Popen([sys.executable, __file__, "--bare", str(bare_port),
                          "--api-url", fake.base_url], env=env, cwd=tmp,
                         stdout=subprocess.DEVNULL),
    ]
    try:
        wait_listening(ours_port, procs[0])
        wait_listening(bare_port, procs[1])
        bare, ours = ack_latencies((bare_port, ours_port), args.acks, args.rate, fake)
        rate, loaded = throughput(ours_port, fake, args.commands, args.concurrency)
    finally:
        for proc in procs:
            proc.terminate()
        for proc in procs:
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
        fake.stop()

    b50, b99, o50, o99 = pct(bare, .5), pct(bare, .99), pct(ours, .5), pct(ours, .99)
    print(f"load average (1, 5, 15 min): {load_before} before, {load()} after; "
          f"{os.cpu_count()} cores")
    print(f"ack latency, {args.acks} signed DM events per app at {args.rate:.0f}/s, in turns "
          f"of {BLOCK} (ms):")
    print(f"  bare Bolt app   p50 {b50:6.2f}  p99 {b99:6.2f}  mean {statistics.mean(bare)*1e3:.2f}")
    print(f"  salesbot serve  p50 {o50:6.2f}  p99 {o99:6.2f}  mean {statistics.mean(ours)*1e3:.2f}")
    print(f"  ratio           p50 {o50 / b50:5.2f}x  p99 {o99 / b99:5.2f}x   (target p99 ≤ 1.50x)")
    print(f"  salesbot, saturated by {args.concurrency} senders: p50 {pct(loaded, .5):.2f}  "
          f"p99 {pct(loaded, .99):.2f}")
    print(f"end to end: {args.commands} commands, {args.concurrency} concurrent senders, "
          f"SQLite: {rate:.0f} commands/s (target ≥ 100)", flush=True)
    return o99 / b99, rate


if __name__ == "__main__":
    sys.exit(main())
