"""Scheduled messages reach Slack: a reminder DM with working buttons, throttled, 429-safe."""

from __future__ import annotations

import datetime as dt
import json
import time

from sqlalchemy import select

from bot.slack_notify import SlackNotifier
from crm_store.models import Task, TaskStatus
from crm_store.services import tasks
from crm_store.services.users import get_or_create_user
from scheduler.reminders import dispatch_reminders
from tests.slack_harness import TEAM, posted, settings_for

NOW = dt.datetime(2026, 11, 20, 20, 0, tzinfo=dt.UTC)


def test_a_reminder_arrives_as_a_dm_whose_done_button_completes_the_task(server, fake):
    with server.database.session() as s:
        sam = get_or_create_user(s, team_id=TEAM, slack_user_id="USAM", name="Sam Rivera",
                                 tz="America/New_York")
        tasks.create_task(s, actor=sam, team_id=TEAM, title="Send the SOW to Priya",
                          due_at=NOW - dt.timedelta(minutes=1))
    notifier = SlackNotifier.from_settings(settings_for(fake), server.database)
    assert dispatch_reminders(server.database, notifier, worker="w", now=NOW) == 1

    [call] = fake.wait_for("chat.postMessage")
    text, blocks = posted(call)
    assert call.params["channel"] == "USAM"
    assert "Send the SOW to Priya" in text and "Snooze 1 h" in blocks
    actions = next(b for b in json.loads(blocks) if b["type"] == "actions")["elements"]
    done = next(e for e in actions if e["text"]["text"] == "Done")
    payload = {"type": "block_actions", "team": {"id": TEAM}, "user": {"id": "USAM"},
               "api_app_id": "A1", "trigger_id": "1.2",
               "container": {"type": "message", "message_ts": "1.1", "channel_id": "D1"},
               "channel": {"id": "D1"}, "response_url": fake.response_url("done"),
               "message": {"ts": "1.1", "blocks": json.loads(blocks)},
               "actions": [{"action_id": done["action_id"], "value": done["value"],
                            "block_id": "b1", "type": "button", "action_ts": "1.5"}]}
    assert server.interact(payload)[0] == 200
    assert "Done: *Send the SOW to Priya*" in fake.wait_for("response_url")[0].params["text"]
    with server.database.session(readonly=True) as s:
        assert s.scalar(select(Task.status)) == TaskStatus.DONE


def test_one_channel_gets_at_most_one_message_per_second_and_429s_are_waited_out(server, fake):
    from bot.assistant.types import Reply

    notifier = SlackNotifier.from_settings(settings_for(fake), server.database)
    fake.fail_next("chat.postMessage", status=429, retry_after=1)
    started = time.monotonic()
    for i in range(3):
        notifier.post(TEAM, "C_SALES", Reply(f"digest part {i}"))
    elapsed = time.monotonic() - started
    calls = fake.wait_for("chat.postMessage", count=3)
    assert [c.params["text"] for c in calls] == [f"digest part {i}" for i in range(3)]
    assert elapsed >= 2.0  # three messages to one channel: at least two one-second gaps
