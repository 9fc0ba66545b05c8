"""Language understanding: a message becomes a list of validated actions.

    from bot.nlu import parse, actions_to_json, tool_definitions
    actions = parse("called Jane at Acme, follow up Friday", now=now, tz="Europe/London")
"""

from bot.nlu.actions import (
    Action,
    Period,
    action_from_tool_call,
    action_to_dict,
    actions_to_json,
    parse_action,
    tool_definitions,
)
from bot.nlu.rules import parse

__all__ = [
    "Action",
    "Period",
    "action_from_tool_call",
    "action_to_dict",
    "actions_to_json",
    "parse",
    "parse_action",
    "tool_definitions",
]
