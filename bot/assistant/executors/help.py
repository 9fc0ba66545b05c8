"""Help with examples for the asker's role, and a kind answer when nothing was understood."""

from __future__ import annotations

from bot.assistant.context import Ctx, executes
from bot.assistant.types import Reply
from bot.nlu.actions import Help, Unknown
from bot.settings import Settings
from crm_store.models import Role

REP_EXAMPLES = (
    "called Priya at Northwind, budget approved, follow up Tuesday",
    "met Tom Becker from Globex yesterday — evaluating 3 vendors",
    "new deal Initech 40k, demo stage, closing end of Q1",
    "move Acme to negotiation",
    "Umbrella is closed won",
    "remind me to send the proposal to Jane Friday 2pm",
    "my tasks this week · done: send pricing",
    "summarize Northwind · draft a follow-up email to Priya",
    "what's my pipeline by stage?",
    "hot leads",
)
MANAGER_EXAMPLES = (
    "weighted forecast this quarter by owner",
    "win rate last quarter",
    "top 5 deals closing this month",
    "Nate's pipeline",
    "deals closing this month over 50k · compare Q3 vs Q4 won revenue",
    "how many calls did each rep log last week? · what changed in the pipeline this week?",
    "deals at risk · how is Priya doing this month?",
    "post a daily digest to #sales at 8am",
)
ADMIN_EXAMPLES = (
    "ai status · ai off · ai on · ai feedback",
    "(terminal) salesbot import contacts FILE.csv · salesbot export deals FILE.csv",
)


def examples_for(role: Role) -> list[str]:
    examples = list(REP_EXAMPLES)
    if role in (Role.MANAGER, Role.ADMIN):
        examples += MANAGER_EXAMPLES
    if role == Role.ADMIN:
        examples += ADMIN_EXAMPLES
    return examples


def what_is_sent(settings: Settings) -> str:
    """Help's plain word on what leaves the workspace for a model (nothing without one)."""
    if not settings.llm_configured:
        return ("*Privacy:* no model is configured, so nothing you say is sent anywhere: "
                "the offline engine reads messages and writes every answer here.")
    voice = (" Voice clips are sent to it to be heard (an admin chose that; *ai off* does "
             "not change it)." if settings.salesbot_stt == "openai" else
             " Voice clips are heard on this server.")
    return ("*What a model sees:* to understand a message, the message itself with your "
            "workspace's names and a few corrected examples. For a brief, a draft or an "
            "answer, a fact sheet of that account's CRM facts (never its whole timeline). "
            "An admin's *ai off* stops all of that; the offline engine then does it all."
            + voice)


@executes("help")
def help_(ctx: Ctx, action: Help) -> Reply:
    lines = "\n".join(f"• {e}" for e in examples_for(ctx.user.role))
    return Reply("Tell me what happened, or ask about your deals — in your own words. "
                 f"For example:\n{lines}\n\nMade a mistake? Say *undo*.",
                 context=[what_is_sent(ctx.settings)])


@executes("unknown")
def unknown(ctx: Ctx, action: Unknown) -> Reply:
    samples = "\n".join(f"• {e}" for e in examples_for(ctx.user.role)[:4])
    return Reply("I didn't catch what to do with that, so I changed nothing. "
                 f"You can say things like:\n{samples}\n\nSay *help* for more.", ok=False)
