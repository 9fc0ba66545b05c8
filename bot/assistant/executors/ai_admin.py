"""The admins' model switch (`/crm ai status|on|off|feedback`) and everyone's 👍/👎.

Only an admin sees the budget or turns the model on and off; anyone may rate a
model-written answer. A refusal writes nothing (the Forbidden rolls the unit back).
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from bot.assistant import format as fmt
from bot.assistant.context import Ctx, executes, on_press
from bot.assistant.types import Reply
from bot.nlu.actions import AiAdmin
from bot.settings import Settings
from crm_store.errors import Forbidden
from crm_store.models import Role
from crm_store.services import ai

FEEDBACK_SHOWN = 10
EXCERPT_SHOWN = 150
OFFLINE = "The offline engine does everything, and nothing is sent to any model."


def offline_words(settings: Settings) -> str:
    """What happens with the model off or absent; voice clips heard by the endpoint are
    the one thing the switch does not stop."""
    if settings.llm_configured and settings.salesbot_stt == "openai":
        return ("The offline engine reads messages and writes every answer; only voice "
                "clips still go to the endpoint to be transcribed.")
    return OFFLINE


def limits_of(settings: Settings) -> ai.Limits:
    """The workspace defaults until an admin changes them."""
    return ai.Limits(daily_tokens=settings.ai_daily_tokens,
                     user_calls_per_hour=settings.ai_user_calls_per_hour)


def endpoint_of(settings: Settings) -> str | None:
    """Which model is configured, as an admin would recognise it; None when none is."""
    if not settings.llm_configured:
        return None
    where = settings.openai_base_url or "OpenAI"
    return f"`{settings.openai_model}` at {where}"


def status_lines(settings: Settings, status: ai.Status) -> list[str]:
    """What `/crm ai status` and the admin's App Home say (mrkdwn lines)."""
    endpoint = endpoint_of(settings)
    if endpoint is None:
        switch = f"*Model:* none configured. {OFFLINE}"
    elif status.enabled:
        switch = f"*Model:* on — {endpoint} reads messages and writes briefs, drafts and answers."
    else:
        switch = (f"*Model:* off (an admin turned it off) — {endpoint} is configured but "
                  f"unused. {offline_words(settings)}")
    lines = [switch,
             f"*Today (UTC):* {status.used_today:,} of {status.daily_tokens:,} tokens used, "
             f"{status.left_today:,} left · {status.calls_today:,} "
             f"call{'' if status.calls_today == 1 else 's'}, "
             f"{status.fallbacks_today:,} fell back to the offline text"]
    if status.top_users:
        lines.append("*Top spenders today:* " + " · ".join(
            f"{name} {tokens:,}" for name, tokens in status.top_users))
    return lines


def _admin_only(ctx: Ctx) -> None:
    if ctx.user.role != Role.ADMIN:
        raise Forbidden("Only an admin can see or change the model's settings; "
                        "I changed nothing. Ask your Slack admin if it should be different.")


@executes("ai_admin")
def ai_admin(ctx: Ctx, action: AiAdmin) -> Reply:
    _admin_only(ctx)
    if action.what in ("on", "off"):
        return _switch(ctx, on=action.what == "on")
    if action.what == "feedback":
        return _feedback(ctx)
    return _status(ctx)


def _status(ctx: Ctx) -> Reply:
    status = ai.status(ctx.session, team_id=ctx.team_id, limits=limits_of(ctx.settings),
                       now=ctx.now)
    return Reply("\n".join(status_lines(ctx.settings, status)),
                 context=["Say *ai off* to stop every model call, *ai feedback* for the "
                          "recent 👎."])


def _switch(ctx: Ctx, *, on: bool) -> Reply:
    changed = ai.set_enabled(ctx.session, team_id=ctx.team_id, on=on, by=ctx.user.id)
    state = "on" if on else "off"
    said = f"The model is {state} for this workspace" if changed else \
        f"The model was already {state} for this workspace"
    if on and not ctx.settings.llm_configured:
        return Reply(f"{said}, but no model is configured. {OFFLINE}", wrote=changed)
    if on:
        return Reply(f"{said}: it reads messages again, and writes briefs, drafts and "
                     "answers within today's budget.", wrote=changed)
    return Reply(f"{said}: {offline_words(ctx.settings)} Say *ai on* to turn it back on.",
                 wrote=changed)


def _feedback(ctx: Ctx) -> Reply:
    rows = ai.recent_feedback(ctx.session, team_id=ctx.team_id, rating="down",
                              limit=FEEDBACK_SHOWN)
    if not rows:
        return Reply("No 👎 on the model's answers yet.")
    lines = []
    for feedback, name in rows:
        when = fmt.moment(_aware(feedback.created_at), ctx.tz, now=ctx.now)
        excerpt = feedback.excerpt[:EXCERPT_SHOWN] + \
            ("…" if len(feedback.excerpt) > EXCERPT_SHOWN else "")
        lines.append(f"• `{feedback.prompt}` — {name or 'someone'}, {when}: “{excerpt}”")
    return Reply(f"The latest {len(rows)} 👎 on the model's answers, newest first:\n"
                 + "\n".join(lines))


def _aware(moment: dt.datetime) -> dt.datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)


@on_press("ai_feedback")
def press_feedback(ctx: Ctx, value: str) -> Reply:
    """👍/👎 under a model-written answer: kept with the prompt version that wrote it."""
    rating = (ctx.pressed or "").partition(":")[2]
    carried = _carried(value)
    if rating not in ai.RATINGS or carried is None:
        return Reply("That rating button has expired, so I saved nothing — thanks anyway.",
                     ok=False)
    ai.record_feedback(ctx.session, team_id=ctx.team_id, user_id=ctx.user.id,
                       prompt=carried["prompt"], rating=rating, excerpt=carried["excerpt"])
    if rating == "up":
        return Reply("Thanks — glad that helped. 👍")
    return Reply("Thanks — noted. An admin sees the 👎 answers and the prompt behind them.")


def _carried(value: str) -> dict[str, str] | None:
    """The button's {"prompt", "excerpt"}; None when it is not that."""
    try:
        carried: Any = json.loads(value)
    except (TypeError, ValueError):
        return None
    if not isinstance(carried, dict) or not isinstance(carried.get("prompt"), str) or \
            not carried["prompt"].strip():
        return None
    excerpt = carried.get("excerpt")
    return {"prompt": carried["prompt"].strip(),
            "excerpt": excerpt if isinstance(excerpt, str) else ""}
