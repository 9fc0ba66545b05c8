"""Pipeline questions in Slack, through the real Bolt app over HTTP: the nearest-question
buttons ask again when pressed, and comparison tables arrive as phone-sized cards."""

from __future__ import annotations

import json

from tests.slack_harness import TEAM, posted


def _press(server, fake, message_blocks, button, user="UMGR"):
    payload = {"type": "block_actions", "team": {"id": TEAM}, "user": {"id": user},
               "api_app_id": "A1", "trigger_id": "222.333",
               "container": {"type": "message", "message_ts": "1700000050.000100",
                             "channel_id": "D9"},
               "channel": {"id": "D9"}, "response_url": fake.response_url("ask"),
               "message": {"ts": "1700000050.000100", "blocks": message_blocks},
               "actions": [{"action_id": button["action_id"], "value": button["value"],
                            "block_id": "b1", "type": "button", "action_ts": "2.5"}]}
    assert server.interact(payload)[0] == 200
    return fake.wait_for("response_url")[0]


def test_a_question_the_crm_cannot_answer_offers_buttons_that_ask_again(server, fake):
    server.dm("won revenue by region", user="UMGR")
    text, blocks = posted(fake.wait_for("chat.postMessage")[0])
    message_blocks = json.loads(blocks)
    assert "I can't answer that yet: the CRM keeps no region data" in blocks
    buttons = next(b for b in message_blocks if b["type"] == "actions")["elements"]
    labels = [b["text"]["text"] for b in buttons]
    assert labels == ["Total, won deals", "Total, won deals by rep", "Total, won deals by stage"]
    answer = _press(server, fake, message_blocks, buttons[1])
    shown = json.dumps(answer.params.get("blocks") or []) + answer.params.get("text", "")
    assert "Reading: total amount of won deals, owners: your team (1 person)." in shown


def test_a_comparison_arrives_as_cards_not_a_monospace_grid(server, fake):
    server.dm("compare Q3 vs Q4 won revenue", user="UMGR")
    _, blocks = posted(fake.wait_for("chat.postMessage")[0])
    message_blocks = json.loads(blocks)
    cards = [b for b in message_blocks if b.get("type") == "section" and b.get("fields")]
    assert [c["text"]["text"] for c in cards] == ["*Deals*", "*Amount*", "*Average*"]
    assert all(len(c["fields"]) == 3 for c in cards)
    assert "```" not in blocks
