"""What people type never becomes a live mention: every text we send to Slack is escaped
(`<`, `>`, `&`), in the message's `text` and in its blocks alike; and notes are stored
exactly as typed."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from sqlalchemy import select

from bot.assistant.types import Reply, Table
from bot.render.blocks import build_reply_blocks, fallback_text
from bot.slack_notify import SlackNotifier
from crm_store.models import Activity, Contact
from scheduler.alerts import hot_lead_alerts
from tests.slack_harness import TEAM, posted, settings_for

LIVE = ("<!here>", "<!channel>", "<!everyone>", "<@U0BOSS>")


def assert_inert(text: str, blocks: str) -> None:
    """No live special mention anywhere in what Slack gets."""
    for token in LIVE:
        assert token not in text and token not in blocks, token


def log_modal(contact: str, account: str, summary: str, view_id: str) -> dict:
    values = {"contact": {"value": {"type": "plain_text_input", "value": contact}},
              "account": {"value": {"type": "plain_text_input", "value": account}},
              "kind": {"value": {"type": "static_select", "selected_option": {"value": "call"}}},
              "summary": {"value": {"type": "plain_text_input", "value": summary}}}
    return {"type": "view_submission", "team": {"id": TEAM}, "user": {"id": "USAM"},
            "trigger_id": "5.6", "view": {"id": view_id, "type": "modal",
                                          "callback_id": "log_to_crm", "private_metadata": "{}",
                                          "state": {"values": values}}}


def test_mentions_typed_into_the_log_modal_reach_the_reply_and_the_hot_lead_alert_as_text(
        server, fake):
    submission = log_modal("<!here> Smith", "<!channel>",
                           "Budget approved & <@U0BOSS> signs; wants pricing for 200 seats",
                           "VESC1")
    assert server.interact(submission)[0] == 200
    text, blocks = posted(fake.wait_for("chat.postMessage")[0])
    assert "*&lt;!here&gt; Smith* (&lt;!channel&gt;)" in text
    assert "&lt;!here&gt; Smith" in blocks and "&lt;!channel&gt;" in blocks
    assert_inert(text, blocks)
    with server.database.session(readonly=True) as s:  # stored as typed, shown escaped
        assert s.scalar(select(Contact.name)) == "<!here> Smith"
        logged = s.scalar(select(Activity))
        assert logged.body == "Budget approved & <@U0BOSS> signs; wants pricing for 200 seats"
        now = logged.occurred_at + dt.timedelta(minutes=1)

    fake.reset()
    notifier = SlackNotifier.from_settings(settings_for(fake), server.database)
    assert hot_lead_alerts(server.database, notifier, worker="w", threshold=1,
                           channel="C0SALES", now=now) == 2  # the channel and the owner
    for call in fake.wait_for("chat.postMessage", count=2):
        text, blocks = posted(call)
        assert "&lt;!here&gt; Smith" in text and "&lt;!channel&gt;" in text
        assert "&lt;!here&gt; Smith" in blocks and "&lt;!channel&gt;" in blocks
        assert_inert(text, blocks)


def test_a_typed_note_is_stored_exactly_as_typed_and_answered_escaped(server, fake):
    # On the wire Slack sends "@channel" as <!channel> and "&" as &amp;.
    server.dm("note for Priya Shah at Northwind: great call! they said <!channel> lol "
              "&amp; more")
    text, blocks = posted(fake.wait_for("chat.postMessage")[0])
    with server.database.session(readonly=True) as s:
        assert s.scalar(select(Activity.body)) == "great call! they said <!channel> lol & more"
    assert "“great call! they said &lt;!channel&gt; lol &amp; more”" in text
    assert "great call! they said &lt;!channel&gt; lol &amp; more" in blocks
    assert_inert(text, blocks)


@pytest.mark.parametrize("name", ["<!here> Smith", "<!channel>", "<@U0BOSS>", "a & <b>"])
def test_every_part_of_a_reply_is_escaped_in_text_and_blocks(name):
    reply = Reply(f"Hot lead: *{name}*", fields=[("Who", name)],
                  table=Table(("Name",), ((name,),)), context=[f"About {name}"],
                  parts=[Reply(f"More on {name}")])
    text, blocks = fallback_text(reply), json.dumps(build_reply_blocks(reply))
    assert_inert(text, blocks)
    assert "<" not in text and "<" not in blocks.replace("<https://", "")
    escaped = name.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    assert text == f"Hot lead: *{escaped}*"


def test_our_own_links_stay_links():
    reply = Reply("See <https://example.slack.com/archives/C1/p1|the message> & more")
    assert fallback_text(reply) == \
        "See <https://example.slack.com/archives/C1/p1|the message> &amp; more"
