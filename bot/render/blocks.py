"""A Reply as Slack Block Kit (pure functions, no Slack client): messages, App Home, modals.

Every text a Reply carries may hold what people typed (names, notes), so it is escaped
here, where it becomes mrkdwn — in the blocks and in the message's `text` alike — and
never at the call sites: `<`, `>` and `&` turn into entities, which also disarms
`<!here>`, `<!channel>` and `<@U…>`. Only well-formed http(s) links stay live.

Slack's limits are kept here so no caller can exceed them: 3,000 characters per
section text, 10 fields of 2,000, 50 blocks per message (100 in a view), 25
buttons per actions block, 75 characters per button label, 2,000 per value.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from bot.assistant.types import Button, Reply, Table

TEXT_MAX = 3000
FIELD_MAX = 2000
FIELDS_MAX = 10
MESSAGE_BLOCKS_MAX = 50
VIEW_BLOCKS_MAX = 100
BUTTONS_MAX = 25
LABEL_MAX = 75
VALUE_MAX = 2000
URL_MAX = 3000
CONTEXT_MAX = 10
CELL_MAX = 40
LOG_CALLBACK = "log_to_crm"
EDIT_CALLBACK = "edit_reading"  # the Edit… form of a reading the assistant asked about
KINDS = ("call", "meeting", "email", "note")

Block = dict[str, Any]
# Links Slack renders (<https://…|label>, and <#C…> which shows the channel's name)
# survive escaping; <!channel>, <@U…> do not.
_LINK = re.compile(r"<(https?://[^\s<>|]+)(\|[^<>]*)?>|<(#[CG][A-Z0-9]+)>")
_SUFFIX = re.compile(r"#\d+$")


def escape(text: str) -> str:
    """Escape &, <, > as Slack requires, keeping well-formed http(s) links."""
    out, last = [], 0
    for match in _LINK.finditer(text):
        out.append(_escape_plain(text[last:match.start()]))
        label = match.group(2) or ""
        out.append(f"<{match.group(1) or match.group(3)}{_escape_plain(label)}>")
        last = match.end()
    out.append(_escape_plain(text[last:]))
    return "".join(out)


def _escape_plain(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def clip(text: str, limit: int) -> str:
    """At most `limit` characters, with an ellipsis when cut."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


def mrkdwn(text: str) -> dict[str, str]:
    return {"type": "mrkdwn", "text": text}


def plain(text: str, limit: int = TEXT_MAX) -> dict[str, Any]:
    return {"type": "plain_text", "text": clip(text, limit) or " ", "emoji": True}


def section(text: str) -> Block:
    return {"type": "section", "text": mrkdwn(clip(text, TEXT_MAX))}


def text_sections(text: str) -> list[Block]:
    """Long text as several sections, cut at line breaks where possible."""
    blocks, rest = [], escape(text)
    while rest:
        if len(rest) <= TEXT_MAX:
            blocks.append(section(rest))
            break
        cut = rest.rfind("\n", 0, TEXT_MAX)
        cut = cut if cut > TEXT_MAX // 2 else TEXT_MAX
        blocks.append(section(rest[:cut]))
        rest = rest[cut:].lstrip("\n")
    return blocks


def fields_blocks(fields: Sequence[tuple[str, str]]) -> list[Block]:
    """Label/value pairs as section fields, ten per section."""
    items = [mrkdwn(clip(f"*{escape(label)}*\n{escape(value)}", FIELD_MAX))
             for label, value in fields]
    return [{"type": "section", "fields": items[i:i + FIELDS_MAX]}
            for i in range(0, len(items), FIELDS_MAX)]


def table_blocks(table: Table) -> list[Block]:
    """A table as a monospace layout, split over sections of at most 3,000 characters."""
    rows = [tuple(_cell(c) for c in table.columns)]
    rows += [tuple(_cell(c) for c in row) for row in table.rows]
    width = len(table.columns)
    widths = [max(len(r[i]) if i < len(r) else 0 for r in rows) for i in range(width)]
    lines = ["  ".join(c.ljust(widths[i]) for i, c in enumerate(r)).rstrip() for r in rows]
    lines.insert(1, "  ".join("─" * w for w in widths))
    blocks, chunk = [], []
    for line in lines:
        # 6 characters of ``` fences around each chunk
        if chunk and sum(len(x) + 1 for x in chunk) + len(line) + 6 > TEXT_MAX:
            blocks.append(section("```" + "\n".join(chunk) + "```"))
            chunk = []
        chunk.append(line)
    if chunk:
        blocks.append(section("```" + "\n".join(chunk) + "```"))
    return blocks


CARDS_MAX = 15  # rows shown as cards; longer tables stay a grid within the block limit


def card_blocks(table: Table) -> list[Block]:
    """A table for a phone: one section per row, its first cell in bold and every other
    cell as a 'column: value' field (Slack shows fields two abreast)."""
    blocks = []
    for row in table.rows:
        first, rest = escape(str(row[0])), list(zip(table.columns[1:], row[1:], strict=False))
        block: Block = {"type": "section", "text": mrkdwn(clip(f"*{first}*", TEXT_MAX))}
        fields = [mrkdwn(clip(f"*{escape(column)}*\n{escape(str(value))}", FIELD_MAX))
                  for column, value in rest[:FIELDS_MAX] if str(value) != ""]
        if fields:
            block["fields"] = fields
        blocks.append(block)
    return blocks


def _cell(value: object) -> str:
    text = " ".join(str(value).split()).replace("*", "").replace("`", "'")
    return _escape_plain(clip(text, CELL_MAX))


def context_block(lines: Sequence[str]) -> Block:
    items = [mrkdwn(clip(escape(line), TEXT_MAX)) for line in lines[:CONTEXT_MAX]]
    return {"type": "context", "elements": items}


def button_element(button: Button, index: int) -> Block | None:
    """One button; its action id gets `#index` so ids stay unique within the block."""
    if len(button.value) > VALUE_MAX:
        return None  # too big to carry; the text still says what to do
    element: Block = {"type": "button", "text": plain(button.label, LABEL_MAX),
                      "action_id": f"{button.action_id}#{index}"[:255], "value": button.value}
    if button.style:
        element["style"] = button.style
    if button.url and len(button.url) <= URL_MAX:
        element["url"] = button.url
    return element


def actions_block(buttons: Sequence[Button], block_id: str | None = None) -> Block | None:
    elements = [e for i, b in enumerate(buttons[:BUTTONS_MAX])
                if (e := button_element(b, i)) is not None]
    if not elements:
        return None
    block: Block = {"type": "actions", "elements": elements}
    if block_id:
        block["block_id"] = block_id
    return block


def base_action_id(action_id: str) -> str:
    """The assistant's action id behind a Block Kit one (without the `#index` suffix)."""
    return _SUFFIX.sub("", action_id)


def build_reply_blocks(reply: Reply, *, limit: int = MESSAGE_BLOCKS_MAX) -> list[Block]:
    """Text, fields, table, small print and buttons — within Slack's limits."""
    blocks: list[Block] = []
    if reply.text:
        prefix = "" if reply.ok else ":warning: "
        blocks += text_sections(prefix + reply.text if prefix else reply.text)
    if reply.fields:
        blocks += fields_blocks(reply.fields)
    if reply.table and reply.table.columns:
        cards = reply.table.layout == "cards" and len(reply.table.rows) <= CARDS_MAX
        blocks += card_blocks(reply.table) if cards else table_blocks(reply.table)
    tail: list[Block] = []
    if reply.context:
        tail.append(context_block(reply.context))
    if reply.buttons and (actions := actions_block(reply.buttons)):
        tail.append(actions)
    for part in reply.parts:  # each part keeps its own buttons right under it
        tail += [{"type": "divider"}, *build_reply_blocks(part, limit=limit)]
    room = limit - len(tail)
    if len(blocks) > room:
        blocks = blocks[: room - 1] + [context_block(["(more than fits in one message)"])]
    return (blocks + tail)[:limit]


def fallback_text(reply: Reply) -> str:
    """The `text` of a message (notifications, screen readers), escaped like the blocks:
    Slack reads mrkdwn here too, so a name like "<!here> Smith" would ping everyone."""
    return clip(escape(reply.text or "Done."), TEXT_MAX)


def build_pressed_blocks(original: Sequence[Block], result: Reply,
                         pressed_block: str | None = None) -> list[Block]:
    """The original message with the pressed buttons replaced by what the press did.

    Only the pressed row of buttons gives way when its block is known (a message with
    several reminders keeps the others' buttons); otherwise every row does and the result
    goes last.
    """
    added = build_reply_blocks(result)
    pressed = [i for i, b in enumerate(original)
               if b.get("type") == "actions" and b.get("block_id") == pressed_block]
    if pressed_block and pressed:
        at = pressed[0]
        merged = [*original[:at], *added, *original[at + 1:]]
    else:
        merged = [b for b in original if b.get("type") != "actions"] + added
    if len(merged) <= MESSAGE_BLOCKS_MAX:
        return merged
    return [b for b in merged if b not in added][:MESSAGE_BLOCKS_MAX - len(added)] + added


# ----------------------------------------------------------------- App Home
@dataclass(frozen=True)
class HomeTask:
    task_id: int
    due: str
    title: str
    about: str = ""
    overdue: bool = False


@dataclass(frozen=True)
class HomeDeal:
    title: str
    stage: str
    amount: str
    close: str


@dataclass(frozen=True)
class HomeLead:
    name: str
    score: int
    why: str = ""


def build_home_blocks(*, name: str, tasks: Sequence[HomeTask], deals: Sequence[HomeDeal],
                      leads: Sequence[HomeLead], digests: Sequence[str],
                      examples: Sequence[str] = (), model: Sequence[str] = ()) -> Block:
    """The App Home view: my tasks due, my open deals, hot leads, digest settings; for
    an admin, `model` (the model's status and today's usage, mrkdwn lines) last."""
    blocks: list[Block] = [{"type": "header", "text": plain(f"Your day, {name}", 150)}]
    blocks.append(_heading("Tasks due in the next 7 days", len(tasks)))
    if not tasks:
        blocks.append(section("Nothing due. 🎉"))
    for task in tasks[:15]:
        warn = "⚠️ " if task.overdue else ""
        about = f" — {escape(task.about)}" if task.about else ""
        blocks.append({
            "type": "section", "text": mrkdwn(clip(
                f"{warn}*{escape(task.title)}*{about}\n{escape(task.due)}", TEXT_MAX)),
            "accessory": {"type": "button", "text": plain("Done", LABEL_MAX), "style": "primary",
                          "action_id": f"task_done:{task.task_id}#0",
                          "value": str(task.task_id)},
        })
    blocks.append({"type": "divider"})
    blocks.append(_heading("My open deals", len(deals)))
    if deals:
        rows = tuple((d.title, d.stage, d.amount, d.close) for d in deals[:25])
        blocks += table_blocks(Table(("Deal", "Stage", "Amount", "Close"), rows))
    else:
        blocks.append(section("No open deals. Say _new deal Acme 40k_ to start one."))
    blocks.append({"type": "divider"})
    blocks.append(_heading("Hot leads", len(leads)))
    if leads:
        blocks.append(section("\n".join(
            f"• *{escape(lead.name)}* — {lead.score}"
            + (f" _({escape(lead.why)})_" if lead.why else "") for lead in leads[:10])))
    else:
        blocks.append(section("No hot leads right now."))
    blocks.append({"type": "divider"})
    blocks.append(_heading("Digests", len(digests)))
    blocks.append(section("\n".join(f"• {escape(d)}" for d in digests) if digests else
                          "No digests yet. Say _post a daily digest to #sales at 8am_."))
    if model:
        blocks.append({"type": "divider"})
        blocks.append(section("*Model (admins)*"))
        blocks.append(section(clip("\n".join(model), TEXT_MAX)))
    if examples:
        blocks.append(context_block(["Try: " + " · ".join(examples[:4])]))
    return {"type": "home", "blocks": blocks[:VIEW_BLOCKS_MAX]}


def _heading(title: str, count: int) -> Block:
    return section(f"*{title}* ({count})")


# ---------------------------------------------------------------- the modal
def build_log_modal(*, contact: str | None, account: str | None, kind: str,
                    summary: str, message_text: str, private_metadata: dict[str, Any]) -> Block:
    """The "Log to CRM" modal, prefilled from the message."""
    return {
        "type": "modal", "callback_id": LOG_CALLBACK,
        "title": plain("Log to CRM", 24), "submit": plain("Log", 24),
        "close": plain("Cancel", 24),
        "private_metadata": json.dumps(private_metadata, separators=(",", ":"))[:3000],
        "blocks": [
            context_block([clip("> " + " ".join(message_text.split()), 300)]),
            *_log_fields("", contact=contact, account=account, kind=kind, summary=summary),
        ],
    }


def _log_fields(prefix: str, *, contact: str | None, account: str | None, kind: str,
                summary: str | None, need_summary: bool = True) -> list[Block]:
    """The Log-to-CRM form's fields (block ids `prefix` + field), shared by the Edit form."""
    kind = kind if kind in KINDS else "note"
    options = [{"text": plain(k.capitalize()), "value": k} for k in KINDS]
    return [
        _input(f"{prefix}contact", "Contact", contact, optional=True, max_length=200),
        _input(f"{prefix}account", "Account", account, optional=True, max_length=200),
        {"type": "input", "block_id": f"{prefix}kind", "label": plain("Kind"),
         "element": {"type": "static_select", "action_id": "value", "options": options,
                     "initial_option": options[KINDS.index(kind)]}},
        _input(f"{prefix}summary", "Summary", summary, optional=not need_summary,
               multiline=True, max_length=TEXT_MAX),
    ]


def _input(block_id: str, label: str, value: str | None, *, optional: bool = False,
           multiline: bool = False, max_length: int = TEXT_MAX) -> Block:
    element: Block = {"type": "plain_text_input", "action_id": "value",
                      "multiline": multiline, "max_length": max_length}
    if value:
        element["initial_value"] = clip(value, max_length)
    return {"type": "input", "block_id": block_id, "label": plain(label),
            "optional": optional, "element": element}


def read_log_modal(view: dict[str, Any]) -> dict[str, Any]:
    """The submitted modal's values: contact, account, kind, summary and its metadata."""
    values = (view.get("state") or {}).get("values") or {}

    def value(block_id: str) -> str | None:
        element = (values.get(block_id) or {}).get("value") or {}
        if element.get("type") == "static_select":
            chosen = element.get("selected_option") or {}
            return chosen.get("value")
        text = (element.get("value") or "").strip()
        return text or None

    try:
        meta = json.loads(view.get("private_metadata") or "{}")
    except ValueError:
        meta = {}
    kind = value("kind")
    return {"contact": value("contact"), "account": value("account"),
            "kind": kind if kind in KINDS else "note", "summary": value("summary"),
            "meta": meta if isinstance(meta, dict) else {}}


def log_modal_errors(values: dict[str, Any]) -> dict[str, str]:
    """What to fix before the modal can be logged (block id → message)."""
    errors = {}
    if not values.get("contact") and not values.get("account"):
        errors["contact"] = "Name a contact or an account."
    if not values.get("summary"):
        errors["summary"] = "Say what happened."
    return errors


# ------------------------------------------------------------- the Edit… form
STAGE_NAMES = ("lead", "qualified", "demo", "proposal", "negotiation", "won", "lost")
_HEADINGS = {"log_activity": "Log", "create_task": "Reminder", "create_deal": "New deal",
             "update_deal": "Deal change", "create_contact": "New contact"}


def build_edit_modal(actions: Sequence[dict[str, Any]], *, asked: str,
                     private_metadata: dict[str, Any]) -> Block:
    """The Edit… form of a reading: each action's fields prefilled (block ids
    `"{index}.{field}"`); a logged activity reads as the Log-to-CRM form does. Actions
    with nothing to edit here ride along unchanged (in the metadata)."""
    blocks: list[Block] = [context_block([clip(asked, 300)])]
    for i, raw in enumerate(actions):
        intent = str(raw.get("intent"))
        if intent not in _HEADINGS:
            continue
        blocks.append(section(f"*{_HEADINGS[intent]}*"))
        if intent == "log_activity":
            blocks += _log_fields(f"{i}.", contact=raw.get("contact"), account=raw.get("account"),
                                  kind=str(raw.get("kind") or "note"), summary=raw.get("summary"),
                                  need_summary=False)  # what was read may have had none
        elif intent == "create_task":
            due = str(raw.get("due") or "")
            blocks += [_input(f"{i}.title", "Title", raw.get("title"), max_length=300),
                       _picker(f"{i}.due_date", "Due", "datepicker", "initial_date", due[:10]),
                       _picker(f"{i}.due_time", "At", "timepicker", "initial_time", due[11:16])]
        elif intent in ("create_deal", "update_deal"):
            amount = raw.get("amount")
            blocks += [_input(f"{i}.account", "Account", raw.get("account"), max_length=200),
                       _stage_select(f"{i}.stage", raw.get("stage")),
                       _input(f"{i}.amount", "Amount", None if amount is None else
                              f"{amount:g}" if isinstance(amount, float) else str(amount),
                              optional=True, max_length=40),
                       _picker(f"{i}.close_date", "Close date", "datepicker", "initial_date",
                               str(raw.get("close_date") or ""))]
        else:
            blocks += [_input(f"{i}.name", "Name", raw.get("name"), max_length=200),
                       _input(f"{i}.account", "Account", raw.get("account"), optional=True,
                              max_length=200),
                       _input(f"{i}.title", "Job title", raw.get("title"), optional=True,
                              max_length=200)]
    return {
        "type": "modal", "callback_id": EDIT_CALLBACK,
        "title": plain("Check and save", 24), "submit": plain("Save", 24),
        "close": plain("Cancel", 24),
        "private_metadata": _edit_metadata(private_metadata, actions),
        "blocks": blocks[:VIEW_BLOCKS_MAX],
    }


def _picker(block_id: str, label: str, kind: str, initial: str, value: str) -> Block:
    element: Block = {"type": kind, "action_id": "value"}
    if value:
        element[initial] = value
    return {"type": "input", "block_id": block_id, "label": plain(label), "optional": True,
            "element": element}


def _stage_select(block_id: str, stage: str | None) -> Block:
    options = [{"text": plain(s.capitalize()), "value": s} for s in STAGE_NAMES]
    element: Block = {"type": "static_select", "action_id": "value", "options": options}
    if stage in STAGE_NAMES:
        element["initial_option"] = options[STAGE_NAMES.index(stage)]
    return {"type": "input", "block_id": block_id, "label": plain("Stage"), "optional": True,
            "element": element}


def _edit_metadata(where: dict[str, Any], actions: Sequence[dict[str, Any]]) -> str:
    """Where the question was and what was read, within Slack's 3,000 characters. The
    message's words (kept only so a correction can teach) give way first: cut JSON
    would not read back, and the form must still save."""
    meta = json.dumps({**where, "actions": list(actions)}, separators=(",", ":"))
    if len(meta) > 3000 and where.get("text"):
        meta = json.dumps({**where, "text": None, "actions": list(actions)},
                          separators=(",", ":"))
    return meta[:3000]


def read_edit_modal(view: dict[str, Any]) -> dict[str, Any]:
    """The submitted Edit… form: every field's text by block id (None when left empty),
    and its metadata (the actions as read, where the question was)."""
    fields: dict[str, str | None] = {}
    for block_id, elements in ((view.get("state") or {}).get("values") or {}).items():
        element = (elements or {}).get("value") or {}
        kind = element.get("type")
        if kind == "static_select":
            text = (element.get("selected_option") or {}).get("value")
        elif kind == "datepicker":
            text = element.get("selected_date")
        elif kind == "timepicker":
            text = element.get("selected_time")
        else:
            text = element.get("value")
        fields[block_id] = text.strip() or None if isinstance(text, str) else None
    try:
        meta = json.loads(view.get("private_metadata") or "{}")
    except ValueError:
        meta = {}
    return {"fields": fields, "meta": meta if isinstance(meta, dict) else {}}
