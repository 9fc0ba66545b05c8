"""Block Kit rendering: pure functions, within Slack's limits."""

from __future__ import annotations

import json

import pytest

from bot.assistant.types import Button, Reply, Table
from bot.listeners.events import is_person_message, message_text
from bot.render.blocks import (
    MESSAGE_BLOCKS_MAX,
    TEXT_MAX,
    HomeDeal,
    HomeLead,
    HomeTask,
    base_action_id,
    build_home_blocks,
    build_log_modal,
    build_pressed_blocks,
    build_reply_blocks,
    escape,
    log_modal_errors,
    read_log_modal,
)
from bot.slack_users import SlackDirectory, person_from_profile


def texts(blocks) -> list[str]:
    out = []
    for block in blocks:
        if "text" in block and isinstance(block["text"], dict):
            out.append(block["text"]["text"])
        out += [f["text"] for f in block.get("fields", [])]
        out += [e["text"] for e in block.get("elements", []) if e.get("type") == "mrkdwn"]
    return out


def test_a_plain_reply_is_one_section():
    assert build_reply_blocks(Reply("Logged a call with *Priya*.")) == [
        {"type": "section", "text": {"type": "mrkdwn", "text": "Logged a call with *Priya*."}}]


def test_a_refusal_is_marked():
    assert texts(build_reply_blocks(Reply("No.", ok=False))) == [":warning: No."]


@pytest.mark.parametrize(("raw", "escaped"), [
    ("Tom & Jerry <!channel>", "Tom &amp; Jerry &lt;!channel&gt;"),
    ("<@U123> hi", "&lt;@U123&gt; hi"),
    ("see <https://x.com/a?b=1&c=2|the call>", "see <https://x.com/a?b=1&c=2|the call>"),
    ("a < b > c", "a &lt; b &gt; c"),
])
def test_text_is_escaped_but_links_survive(raw, escaped):
    assert escape(raw) == escaped


def test_buttons_get_unique_action_ids_and_map_back():
    reply = Reply("Snooze?", buttons=[Button("1 h", "task_snooze:3", "3:1h"),
                                      Button("Tomorrow", "task_snooze:3", "3:tomorrow"),
                                      Button("Done", "task_done:3", "3", style="primary")])
    actions = build_reply_blocks(reply)[-1]
    ids = [e["action_id"] for e in actions["elements"]]
    assert ids == ["task_snooze:3#0", "task_snooze:3#1", "task_done:3#2"]
    assert [base_action_id(i) for i in ids] == ["task_snooze:3", "task_snooze:3", "task_done:3"]
    assert actions["elements"][2]["style"] == "primary"


def test_a_button_too_big_to_carry_is_left_out():
    reply = Reply("Pick", buttons=[Button("A", "pick:1", "x" * 2001), Button("B", "pick:2", "y")])
    assert [e["text"]["text"] for e in build_reply_blocks(reply)[-1]["elements"]] == ["B"]


def test_fields_go_ten_to_a_section():
    blocks = build_reply_blocks(Reply("", fields=[(f"k{i}", "v" * 3000) for i in range(23)]))
    assert [len(b["fields"]) for b in blocks] == [10, 10, 3]
    assert all(len(f["text"]) <= 2000 for b in blocks for f in b["fields"])


def test_a_table_is_monospace_and_split_within_limits():
    rows = tuple((f"Deal {i}", "*negotiation*", f"${i},000") for i in range(400))
    blocks = build_reply_blocks(Reply("Top deals", table=Table(("Deal", "Stage", "Amount"), rows)))
    assert len(blocks) <= MESSAGE_BLOCKS_MAX
    body = [t for t in texts(blocks) if t.startswith("```")]
    assert len(body) > 1 and all(len(t) <= TEXT_MAX for t in body)
    assert body[0].startswith("```Deal") and "Stage" in body[0] and "*" not in body[0]


def test_a_huge_reply_is_cut_to_fifty_blocks_keeping_buttons_and_small_print():
    reply = Reply("x\n" * 200_000, context=["Source: CRM"], buttons=[Button("Undo", "undo", "b")])
    blocks = build_reply_blocks(reply)
    assert len(blocks) == MESSAGE_BLOCKS_MAX
    assert blocks[-1]["type"] == "actions" and blocks[-2]["type"] == "context"
    assert all(len(t) <= TEXT_MAX for t in texts(blocks))


def test_a_press_replaces_the_buttons_with_the_result():
    original = build_reply_blocks(Reply("Logged a call.", buttons=[Button("Undo", "undo", "b")]))
    after = build_pressed_blocks(original, Reply("Undone: 1 change."))
    assert texts(after) == ["Logged a call.", "Undone: 1 change."]
    assert all(b["type"] != "actions" for b in after)


def test_the_home_view_lists_tasks_with_done_buttons():
    view = build_home_blocks(
        name="Sam", tasks=[HomeTask(7, "today, 10:00", "Send pricing", "Priya", overdue=True)],
        deals=[HomeDeal("Northwind expansion", "proposal", "$40,000", "Dec 3")],
        leads=[HomeLead("Priya Shah", 88, "replied twice")], digests=["daily to #sales at 08:00"])
    assert view["type"] == "home" and len(view["blocks"]) <= 100
    task = next(b for b in view["blocks"] if "accessory" in b)
    assert task["accessory"]["action_id"] == "task_done:7#0"
    assert "⚠️ *Send pricing* — Priya" in task["text"]["text"]
    dump = json.dumps(view, ensure_ascii=False)
    assert "Northwind expansion" in dump and "Priya Shah* — 88" in dump and "#sales" in dump


def test_an_empty_home_still_says_something_useful():
    view = build_home_blocks(name="Sam", tasks=[], deals=[], leads=[], digests=[])
    assert "Nothing due" in json.dumps(view)


def test_the_log_modal_round_trips():
    modal = build_log_modal(contact="Priya Shah", account="Northwind", kind="call",
                            summary="budget approved", message_text="called Priya",
                            private_metadata={"channel": "C1", "ts": "1.2"})
    assert modal["callback_id"] == "log_to_crm" and len(modal["title"]["text"]) <= 24
    inputs = {b["block_id"]: b["element"] for b in modal["blocks"] if b["type"] == "input"}
    state = {"values": {
        "contact": {"value": {"type": "plain_text_input",
                              "value": inputs["contact"]["initial_value"]}},
        "account": {"value": {"type": "plain_text_input", "value": " "}},
        "kind": {"value": {"type": "static_select",
                           "selected_option": inputs["kind"]["initial_option"]}},
        "summary": {"value": {"type": "plain_text_input", "value": "budget approved"}}}}
    values = read_log_modal({"state": state, "private_metadata": modal["private_metadata"]})
    assert values == {"contact": "Priya Shah", "account": None, "kind": "call",
                      "summary": "budget approved", "meta": {"channel": "C1", "ts": "1.2"}}
    assert log_modal_errors(values) == {}
    assert set(log_modal_errors({**values, "contact": None, "summary": None})) == \
        {"contact", "summary"}


def test_a_broken_modal_state_reads_as_empty():
    values = read_log_modal({"private_metadata": "not json"})
    assert values["meta"] == {} and values["kind"] == "note" and values["contact"] is None


@pytest.mark.parametrize(("wire", "typed"), [
    ("<@UBOT> called Priya", "called Priya"),
    ("called <@U2|nate> &amp; Priya", "called nate & Priya"),
    ("mail <mailto:p@x.com|p@x.com> re <https://x.com|the deck>", "mail p@x.com re the deck"),
    ("post to <#C1|sales>", "post to #sales"),
    ("  spaced \n out  ", "spaced out"),
])
def test_slack_wire_text_reads_as_typed(wire, typed):
    assert message_text(wire, bot_user_id="UBOT") == typed


@pytest.mark.parametrize(("event", "person"), [
    ({"user": "U1", "channel": "D1", "text": "hi"}, True),
    ({"user": "U1", "channel": "D1", "subtype": "file_share"}, True),
    ({"user": "U1", "channel": "D1", "bot_id": "B1"}, False),
    ({"channel": "D1", "subtype": "message_changed"}, False),
    ({"user": "U1", "channel": "D1", "subtype": "channel_join"}, False),
])
def test_only_people_are_answered(event, person):
    assert is_person_message(event) is person


def test_a_slack_profile_becomes_a_person():
    person = person_from_profile("T1", "U1", {
        "real_name": "Sam", "tz": "Mars/Olympus", "is_owner": True,
        "profile": {"real_name": "Sam Rivera", "email": "sam@x.com"}})
    assert (person.name, person.email, person.tz, person.is_workspace_admin) == \
        ("Sam Rivera", "sam@x.com", None, True)


class Users:
    def __init__(self):
        self.calls = 0

    def users_info(self, user):
        self.calls += 1
        return {"user": {"real_name": "Sam", "tz": "Europe/Paris"}}


def test_the_directory_caches_users_briefly():
    clock = [0.0]
    directory, client = SlackDirectory(ttl_s=60, clock=lambda: clock[0]), Users()
    assert directory.person(client, "T1", "U1").tz == "Europe/Paris"
    directory.person(client, "T1", "U1")
    assert client.calls == 1
    clock[0] = 61
    directory.person(client, "T1", "U1")
    assert client.calls == 2


def test_pressing_one_reminder_in_a_group_keeps_the_others_buttons():
    from bot.assistant.types import Button, Reply
    from bot.render.blocks import build_pressed_blocks, build_reply_blocks

    group = Reply("⏰ 2 reminders are due:", parts=[
        Reply("⏰ Reminder: *call Ann*", buttons=[Button("Done", "task_done:1", "1")]),
        Reply("⏰ Reminder: *call Bo*", buttons=[Button("Done", "task_done:2", "2")]),
    ])
    blocks = build_reply_blocks(group)
    for i, block in enumerate(blocks):  # Slack gives every block an id
        block.setdefault("block_id", f"b{i}")
    first_row = next(b for b in blocks if b["type"] == "actions")
    after = build_pressed_blocks(blocks, Reply("Done: *call Ann*. ✅"), first_row["block_id"])
    rows = [b for b in after if b["type"] == "actions"]
    assert [e["value"] for r in rows for e in r["elements"]] == ["2"]
    text = str(after)
    assert text.index("call Ann") < text.index("Done: *call Ann*") < text.index("call Bo")
