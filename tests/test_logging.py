"""Logs an operator can read and a pipeline can parse: time, level, logger and the event
id on every line, JSON with LOG_FORMAT=json, in the CLI and in the worker processes;
an expected duplicate delivery is one INFO line, not an ERROR with a traceback."""

from __future__ import annotations

import datetime as dt
import io
import json
import logging
import re
from collections.abc import Iterator

import pytest

from bot.assistant.types import Incoming, Person
from bot.cli import main
from bot.logging_setup import JsonFormatter, StderrHandler, configure_logging, event_context
from bot.settings import Settings, get_settings
from bot.workers import Core, WorkerPool
from tests.slack_harness import settings_for, start_server

SAM = Person(team_id="T1", user_id="USAM", name="Sam Rivera", tz="America/New_York")
NOW = dt.datetime(2026, 11, 18, 15, 0, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def _restore_root_logger() -> Iterator[None]:
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    yield
    root.handlers[:] = handlers
    root.setLevel(level)


def json_lines(text: str) -> list[dict]:
    return [json.loads(line) for line in text.splitlines()]


def _say_twice(core: Core, incoming: Incoming) -> str:
    """In a worker: the same message delivered twice; what the worker's own log says."""
    handler = next(h for h in logging.getLogger().handlers if isinstance(h, StderrHandler))
    out = io.StringIO()
    handler.setStream(out)
    core.assistant.handle(incoming)
    core.assistant.handle(incoming)
    return out.getvalue()


def test_a_duplicate_delivery_logs_one_info_line_and_no_traceback(database):
    url = database.engine.url.render_as_string(hide_password=False)
    settings = Settings(_env_file=None, database_url=url, log_format="json", log_level="INFO",
                        openai_api_key=None, openai_base_url=None)
    incoming = Incoming(person=SAM, text="log a call with Priya Shah at Northwind: budget "
                        "approved", source_id="slack:EvTwice", now=NOW)
    with WorkerPool(settings, url, size=1, nice=0) as workers:
        logged = workers.run(_say_twice, incoming)
    assert "Traceback" not in logged
    lines = json_lines(logged)
    assert [line["level"] for line in lines if line["level"] not in ("DEBUG", "INFO")] == []
    duplicates = [line for line in lines if "duplicate" in line["message"]]
    assert len(duplicates) == 1
    assert duplicates[0]["level"] == "INFO" and duplicates[0]["event_id"] == "slack:EvTwice"
    assert duplicates[0]["logger"] == "bot.assistant.core"
    assert dt.datetime.fromisoformat(duplicates[0]["time"]).tzinfo is not None


def test_text_lines_carry_time_level_logger_and_the_event_id():
    out = io.StringIO()
    configure_logging(Settings(_env_file=None, log_level="INFO"), stream=out)
    log = logging.getLogger("bot.example")
    with event_context("Ev42"):
        log.info("working on it")
    log.warning("between events")
    first, second = out.getvalue().splitlines()
    stamp = r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3}"
    assert re.fullmatch(stamp + r" INFO bot\.example \[Ev42\]: working on it", first)
    assert re.fullmatch(stamp + r" WARNING bot\.example: between events", second)


def test_json_lines_parse_with_time_level_event_id_and_a_one_line_traceback():
    out = io.StringIO()
    configure_logging(Settings(_env_file=None, log_format="JSON", log_level="info"),
                      stream=out)
    log = logging.getLogger("bot.example")
    log.debug("not at INFO")
    with event_context("Ev7"):
        try:
            raise ValueError("boom")
        except ValueError:
            log.exception("it failed")
    log.info("héllo %s", "wörld")
    failed, hello = json_lines(out.getvalue())
    assert (failed["level"], failed["logger"], failed["message"], failed["event_id"]) == \
        ("ERROR", "bot.example", "it failed", "Ev7")
    assert "ValueError: boom" in failed["exc"]
    assert hello["message"] == "héllo wörld" and hello["event_id"] is None
    assert dt.datetime.fromisoformat(hello["time"]).utcoffset() == dt.timedelta(0)


def test_configuring_again_replaces_only_its_own_handler():
    other = logging.NullHandler()
    logging.getLogger().addHandler(other)
    configure_logging(Settings(_env_file=None))
    configure_logging(Settings(_env_file=None))
    handlers = logging.getLogger().handlers
    assert other in handlers and sum(isinstance(h, StderrHandler) for h in handlers) == 1


def test_every_command_logs_as_configured(monkeypatch, capsys):
    monkeypatch.setenv("LOG_FORMAT", "json")
    get_settings.cache_clear()
    try:
        assert main(["parse", "--engine", "rules", "help"]) == 0
        handler = next(h for h in logging.getLogger().handlers
                       if isinstance(h, StderrHandler))
        assert isinstance(handler.formatter, JsonFormatter)
        assert logging.getLogger().level == logging.WARNING
        assert main(["-v", "parse", "--engine", "rules", "help"]) == 0
        assert logging.getLogger().level == logging.DEBUG
    finally:
        get_settings.cache_clear()


def test_a_bad_log_setting_is_one_line_naming_it(monkeypatch, capsys):
    monkeypatch.setenv("LOG_LEVEL", "loud")
    get_settings.cache_clear()
    try:
        assert main(["parse", "--engine", "rules", "help"]) == 2
    finally:
        get_settings.cache_clear()
    err = capsys.readouterr().err
    assert err.startswith("salesbot: LOG_LEVEL:") and len(err.splitlines()) == 1


def test_the_slack_process_tags_its_lines_with_the_event_id(database, fake):
    out = io.StringIO()
    configure_logging(Settings(_env_file=None, log_format="json", log_level="INFO"), stream=out)
    server = start_server(database, fake, settings_for(fake))
    try:
        status, _, _ = server.event({"type": "reaction_added", "user": "USAM",
                                     "reaction": "tada"}, event_id="EvReaction")
    finally:
        server.close()
    assert status == 200
    ignored = [line for line in json_lines(out.getvalue())
               if line["message"] == "ignored event reaction_added"]
    assert [line["event_id"] for line in ignored] == ["EvReaction"]
