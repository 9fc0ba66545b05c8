"""`salesbot parse`: print the actions a message would become, without executing them."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import sys
from collections.abc import Callable
from typing import Any, TextIO
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from bot.cli import CommandError
from bot.text_input import clean_text

Engine = Callable[[str, dt.datetime, str], dict[str, Any]]


def register(subparsers: Any) -> None:
    """Add the `parse` sub-command."""
    p = subparsers.add_parser(
        "parse",
        help="show the actions a message would become (dry run, no database)",
        description="Print {\"actions\": [...]} for TEXT; TEXT '-' reads JSON Lines from stdin.",
    )
    p.add_argument("text", metavar="TEXT", help="the message, or '-' for JSON Lines on stdin")
    p.add_argument("--now", help="reference moment, local wall time, e.g. 2026-11-18T10:00")
    p.add_argument("--tz", help="IANA zone of the speaker (default: $SALESBOT_TZ or the machine's)")
    p.add_argument("--engine", choices=("auto", "rules", "llm"), default="auto")
    p.add_argument("--names", metavar="FILE", type=argparse.FileType("r", encoding="utf-8"),
                   help="known names, one a line, optionally 'kind<TAB>name' (kind: contact, "
                        "account, user, deal): they help find people and companies")
    p.add_argument("--explain", action="store_true",
                   help="add each action's confidence (0-1) to the output")
    p.set_defaults(func=run)


def default_tz() -> str:
    """$SALESBOT_TZ, else the machine's IANA zone, else UTC."""
    if os.environ.get("SALESBOT_TZ"):
        return os.environ["SALESBOT_TZ"]
    if os.environ.get("TZ") and "/" in os.environ["TZ"]:
        return os.environ["TZ"].lstrip(":")
    try:
        target = os.path.realpath("/etc/localtime")
        if "zoneinfo/" in target:
            return target.split("zoneinfo/", 1)[1]
    except OSError:
        pass
    return "UTC"


def check_tz(name: str) -> str:
    """`name` if it is a known IANA zone; CommandError otherwise."""
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise CommandError(
            f"unknown time zone {name!r} (use an IANA name like America/New_York)"
        ) from exc
    return name


def parse_now(value: str | None, tz: str) -> dt.datetime:
    """The reference moment as naive local wall time in `tz`."""
    if not value:
        return dt.datetime.now(ZoneInfo(tz)).replace(tzinfo=None, second=0, microsecond=0)
    try:
        moment = dt.datetime.fromisoformat(value)
    except ValueError as exc:
        raise CommandError(f"--now must look like 2026-11-18T10:00, not {value!r}") from exc
    if moment.tzinfo is not None:
        moment = moment.astimezone(ZoneInfo(tz)).replace(tzinfo=None)
    return moment


def pick_engine(name: str, *, names: list[tuple[str, str]] | None = None,
                explain: bool = False) -> Engine:
    """The parse function for `--engine`; CommandError when it cannot run here."""
    from bot.nlu import actions_to_json
    from bot.nlu.engines import EngineUnavailable
    from bot.nlu.engines import pick_engine as pick
    from bot.nlu.learned import known_names
    from bot.settings import get_settings

    try:
        engine = pick(get_settings(), name)
    except EngineUnavailable as exc:
        raise CommandError(str(exc)) from None

    def run_engine(text: str, now: dt.datetime, tz: str) -> dict[str, Any]:
        try:
            with known_names(names):
                actions = list(engine(text, now=now, tz=tz))
            out = actions_to_json(actions)
            if explain:
                for action, shown in zip(actions, out["actions"], strict=True):
                    if action.confidence is not None:
                        shown["confidence"] = action.confidence
            return out
        except Exception as exc:  # only the llm engine, which has no fallback, gets here
            raise CommandError(f"the model failed: {type(exc).__name__}") from None

    return run_engine


def _unknown(text: str) -> dict[str, Any]:
    return {"actions": [{"intent": "unknown", "text": text}]}


def parse_line(line: str, engine: Engine, now: dt.datetime, tz: str) -> dict[str, Any]:
    """One stdin line → its output object; a bad line becomes `unknown`, never an error."""
    text = clean_text(line.rstrip("\n"))
    try:
        if text.lstrip().startswith("{"):
            obj = json.loads(text)
            if not isinstance(obj, dict):
                return _unknown(text.strip())
            text = clean_text(str(obj.get("text") or ""))  # JSON may escape a surrogate
            tz = check_tz(obj["tz"]) if obj.get("tz") else tz
            now = parse_now(obj["now"], tz) if obj.get("now") else now
        return engine(text, now, tz)
    except (ValueError, CommandError, TypeError):
        return _unknown(text.strip())


def run_lines(stream: TextIO, out: TextIO, engine: Engine, now: dt.datetime, tz: str) -> None:
    """JSON Lines mode: one output line per input line, in order."""
    for line in stream:
        if not line.strip():
            out.write(json.dumps(_unknown("")) + "\n")
            continue
        out.write(json.dumps(parse_line(line, engine, now, tz), ensure_ascii=False) + "\n")
        out.flush()


def run(args: argparse.Namespace) -> int:
    """Entry point of `salesbot parse`."""
    tz = check_tz(args.tz or default_tz())
    now = parse_now(args.now, tz)
    names = None
    if getattr(args, "names", None) is not None:
        from bot.nlu.learned import read_names

        with args.names:
            names = read_names(args.names)
    if hasattr(sys.stdout, "reconfigure"):
        sys.stdout.reconfigure(encoding="utf-8")  # JSON Lines are UTF-8, whatever the locale
    engine = pick_engine(args.engine, names=names, explain=getattr(args, "explain", False))
    if args.text == "-":
        if hasattr(sys.stdin, "reconfigure"):
            # Bytes that are not UTF-8 arrive as lone surrogates, which clean_text drops,
            # instead of ending the run on the line that has them.
            sys.stdin.reconfigure(encoding="utf-8", errors="surrogateescape")
        run_lines(sys.stdin, sys.stdout, engine, now, tz)
    else:
        print(json.dumps(engine(clean_text(args.text), now, tz), ensure_ascii=False))
    return 0
