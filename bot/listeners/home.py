"""The App Home: my tasks due, my open deals, hot leads and digests, published when opened;
for an admin, the model's status and today's usage too.

Everything on it is read by the crm_store services the chat commands use, so Home and
"my tasks" / "hot leads" in chat never disagree.
"""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

from bot.assistant import format as fmt
from bot.assistant.executors.ai_admin import limits_of, status_lines
from bot.assistant.executors.help import examples_for
from bot.assistant.types import Person
from bot.listeners import Deps, handoff
from bot.render.blocks import HomeDeal, HomeLead, HomeTask, build_home_blocks
from bot.workers import Core
from crm_store.models import DigestSubscription, Role, utcnow
from crm_store.services import ai
from crm_store.services import digests as digest_subscriptions
from crm_store.services import leads as lead_scores
from crm_store.services.deals import open_deals_of
from crm_store.services.tasks import open_tasks

WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
HOME_LEADS = 5


def home_view(core: Core, person: Person, *, now: dt.datetime | None = None) -> dict[str, Any]:
    """In a worker: the Home view of one person, read in one unit of work (which creates
    them if new)."""
    now = now or utcnow()
    with core.db.session() as session:
        user = core.assistant.user_for(session, person)
        tz = ZoneInfo(user.tz or "UTC")
        tasks = [HomeTask(task_id=t.id, title=t.title,
                          due=fmt.moment(t.due_at, tz, now=now) if t.due_at else "no due date",
                          about=(t.contact.name if t.contact else "") or
                                (t.account.name if t.account else ""),
                          overdue=bool(t.due_at and t.due_at < now))
                 for t in open_tasks(session, team_id=user.team_id, assignee_ids=[user.id],
                                     scope="coming", now=now, tz=user.tz)]
        today = now.astimezone(tz).date()
        deals = [HomeDeal(title=d.title, stage=d.stage, amount=fmt.money(d.amount, d.currency),
                          close=fmt.close_day(d.close_date, today))
                 for d in open_deals_of(session, team_id=user.team_id, owner_id=user.id)]
        deals.sort(key=lambda d: d.close.startswith("⚠️"))  # slipped apart, after upcoming
        # The same list, by the same services, as "hot leads" in chat.
        lead_scores.ensure_fresh(session, team_id=user.team_id, now=now)
        leads = [HomeLead(name=lead.contact.name, score=lead.score,
                          why=", ".join(text for text, _ in lead.reasons[:2]))
                 for lead in lead_scores.top_leads(session, team_id=user.team_id,
                                                   limit=HOME_LEADS)]
        digests = [_describe_digest(d) for d in
                   digest_subscriptions.list_subscriptions(session, team_id=user.team_id)]
        # The admins' view of the model: the same words as "ai status" in chat.
        model = status_lines(core.settings, ai.status(
            session, team_id=user.team_id, limits=limits_of(core.settings), now=now)) \
            if user.role == Role.ADMIN else []
        return build_home_blocks(name=user.name.split()[0], tasks=tasks, deals=deals,
                                 leads=leads, digests=digests,
                                 examples=examples_for(user.role), model=model)


def _describe_digest(d: DigestSubscription) -> str:
    where = f"#{d.channel_name or d.channel}"
    when = f"{d.time_of_day:%H:%M} {d.tz}"
    if d.weekday is not None:
        when = f"{WEEKDAYS[d.weekday]} {when}"
    return f"{d.cadence.value} to {where} at {when}"


def publish_home(deps: Deps, client: Any, person: Person) -> None:
    """Build the person's Home in a worker and publish it."""
    client.views_publish(user_id=person.user_id, view=deps.workers.run(home_view, person))


def register(app: Any, deps: Deps) -> None:
    def on_home_opened(body: dict[str, Any], client: Any, context: Any, **_: Any) -> None:
        event = body["event"]
        if event.get("tab", "home") != "home":
            return  # the Messages tab needs nothing
        publish_home(deps, client, deps.person(client, context.team_id, event["user"]))

    app.event("app_home_opened")(handoff(deps, on_home_opened))
