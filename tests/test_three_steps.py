"""A message's three steps: prepare (no write transaction), execute (one transaction),
after commit (slow work such as a model writing prose, with no lock held)."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from bot.assistant.context import EXECUTORS
from crm_store.models import Activity
from tests.test_assistant_core import LOG, NOW, SAM, assistant, count, say
from tests.write_tracker import WriteTracker


@pytest.fixture
def tracker(database):
    tracker = WriteTracker(database.engine)
    yield tracker
    tracker.close()


def with_later(monkeypatch, step):
    """log_activity as it is, plus `step` left for after the commit."""
    real = EXECUTORS["log_activity"]

    def executor(ctx, action):
        ctx.after_commit.append(step)
        return real(ctx, action)

    monkeypatch.setitem(EXECUTORS, "log_activity", executor)


def test_after_commit_work_sees_the_write_committed_and_holds_no_lock(
        database, tracker, monkeypatch):
    seen = {}

    def step(reply):
        seen["writing"] = tracker.holds_write()
        with database.session(readonly=True) as s:  # another connection: committed?
            seen["stored"] = [a.body for a in s.scalars(select(Activity))]
        reply.context.append("written after the commit")

    with_later(monkeypatch, step)
    reply = say(assistant(database, {"log": [LOG]}), "log")
    assert seen == {"writing": False, "stored": ["budget approved for 40k"]}
    assert "written after the commit" in reply.context and reply.ok


def test_a_failing_after_commit_step_keeps_the_write_and_the_reply(database, monkeypatch):
    def step(reply):
        raise TimeoutError("the model did not answer")

    with_later(monkeypatch, step)
    reply = say(assistant(database, {"log": [LOG]}), "log")
    assert reply.ok and "Logged" in reply.text
    assert count(database, Activity) == 1


def test_nothing_runs_after_a_rollback_or_for_a_duplicate(database, monkeypatch):
    ran = []
    with_later(monkeypatch, lambda reply: ran.append(reply.text))
    bot = assistant(database, {"log": [LOG], "log and fail": [LOG, LOG.model_copy(
        update={"kind": "nonsense"})]})
    say(bot, "log", source="once")
    say(bot, "log", source="once")  # Slack's retry of the same event
    assert len(ran) == 1
    failed = say(bot, "log and fail", source="other", now=NOW)
    assert not failed.ok and len(ran) == 1 and count(database, Activity) == 1


def test_understanding_happens_with_no_write_transaction_open(database, tracker):
    writing = []

    def engine(text, *, now, tz):
        writing.append(tracker.holds_write())
        return [LOG]

    bot = assistant(database, {})
    bot.engine = engine
    say(bot, "anything", person=SAM)
    assert writing == [False]
