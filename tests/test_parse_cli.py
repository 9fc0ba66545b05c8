"""`salesbot parse` as people and the scorer call it: one message, or JSON Lines on stdin."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from bot.cli import main
from bot.cli.parse import parse_line, pick_engine, run_lines

SALESBOT = Path(sys.executable).parent / "salesbot"
NOW = ["--now", "2026-11-18T10:00", "--tz", "America/New_York"]


def salesbot(*args: str, stdin: str | None = None, env: dict | None = None):
    return subprocess.run(
        [str(SALESBOT), *args],
        input=stdin, capture_output=True, text=True, timeout=60,
        env={**os.environ, **(env or {})},
    )


def test_contract_example(capsys: pytest.CaptureFixture[str]) -> None:
    text = ("Had a call with Priya Shah from Northwind, budget approved for 40k, "
            "follow up next Tuesday")
    assert main(["parse", *NOW, "--engine", "rules", text]) == 0
    log, task = json.loads(capsys.readouterr().out)["actions"]
    assert log == {
        "intent": "log_activity", "kind": "call", "contact": "Priya Shah",
        "account": "Northwind", "summary": log["summary"], "occurred_on": "2026-11-18",
    }
    assert task == {
        "intent": "create_task", "title": "Follow up with Priya Shah", "due": "2026-11-24T09:00",
        "contact": "Priya Shah", "account": "Northwind",
    }


def test_stdin_lines_keep_order_and_their_own_now_and_zone() -> None:
    lines = [
        json.dumps({"text": "remind me to call Ann tomorrow", "now": "2026-11-18T10:00",
                    "tz": "Europe/London"}),
        "help",
        "{not json",
        json.dumps({"text": "call Bo friday", "now": "bad", "tz": "Europe/London"}),
        json.dumps({"text": "hi", "tz": "Mars/Olympus"}),
        json.dumps(["a", "list"]),
        "",
    ]
    out = io.StringIO()
    run_lines(io.StringIO("\n".join(lines) + "\n"), out, pick_engine("rules"),
              __import__("datetime").datetime(2026, 1, 1), "UTC")
    got = [json.loads(line)["actions"] for line in out.getvalue().splitlines()]
    assert len(got) == len(lines)
    assert got[0][0]["due"] == "2026-11-19T09:00"
    assert got[1] == [{"intent": "help"}]
    assert [g[0]["intent"] for g in got[2:]] == ["unknown"] * 5


def test_stdin_mode_end_to_end() -> None:
    proc = salesbot("parse", *NOW, "--engine", "auto", "-", stdin="show overdue tasks\nlol\n")
    assert proc.returncode == 0, proc.stderr
    outs = [json.loads(line) for line in proc.stdout.splitlines()]
    assert outs == [{"actions": [{"intent": "list_tasks", "scope": "overdue"}]},
                    {"actions": [{"intent": "unknown", "text": "lol"}]}]


def test_llm_engine_without_a_model_says_so_in_one_line() -> None:
    env = {"OPENAI_API_KEY": "", "OPENAI_BASE_URL": ""}
    proc = salesbot("parse", "--engine", "llm", "hello", env=env)
    assert proc.returncode != 0
    assert len(proc.stderr.strip().splitlines()) == 1
    assert "OPENAI_API_KEY" in proc.stderr


@pytest.mark.parametrize(
    "args",
    [["--now", "yesterday-ish", "hi"], ["--tz", "Nowhere/Town", "hi"], ["--engine", "gpt", "hi"]],
)
def test_bad_arguments_exit_non_zero(args: list[str]) -> None:
    proc = salesbot("parse", *args)
    assert proc.returncode != 0
    assert proc.stdout == ""


def test_default_zone_comes_from_salesbot_tz() -> None:
    proc = salesbot("parse", "--now", "2026-11-18T23:30", "remind me to ping Al in 1 hour",
                    env={"SALESBOT_TZ": "Asia/Tokyo"})
    assert json.loads(proc.stdout)["actions"][0]["due"] == "2026-11-19T00:30"


def test_parse_does_not_load_the_database_or_slack() -> None:
    # Only the parse command's own path: other sub-commands' imports are theirs to keep lazy.
    code = (
        "import argparse, sys; import bot.cli.parse as p; ap = argparse.ArgumentParser();"
        "p.register(ap.add_subparsers()); a = ap.parse_args(['parse', '--engine', 'rules',"
        " 'remind me to call Ann friday']); a.func(a);"
        "bad = [m for m in sys.modules if m.split('.')[0] in"
        " ('sqlalchemy', 'slack_bolt', 'slack_sdk', 'crm_store', 'openai', 'dateparser')"
        " and m not in ('crm_store', 'crm_store.paths')];"
        "print(bad)"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=60)
    assert proc.stdout.strip().splitlines()[-1] == "[]", proc.stderr


def test_a_line_that_breaks_the_engine_still_gets_an_answer() -> None:
    def broken(text, now, tz):
        raise ValueError("boom")

    out = parse_line("anything", broken, __import__("datetime").datetime(2026, 1, 1), "UTC")
    assert out == {"actions": [{"intent": "unknown", "text": "anything"}]}
