"""Subscribe a channel to the daily or weekly pipeline digest (delivery: the scheduler)."""

from __future__ import annotations

from bot.assistant import format as fmt
from bot.assistant.context import Ctx, executes
from bot.assistant.types import Reply
from bot.nlu.actions import SubscribeDigest, UnsubscribeDigest
from crm_store.errors import BadInput
from crm_store.models import Cadence, DigestSubscription, User
from crm_store.services import digests


def describe(sub: DigestSubscription) -> str:
    """'daily at 08:00' / 'every Friday at 09:30' (in the stored zone)."""
    clock = f"{sub.time_of_day:%H:%M}"
    if sub.cadence == Cadence.WEEKLY:
        return f"every {digests.WEEKDAYS[sub.weekday or 0].capitalize()} at {clock}"
    return f"daily at {clock}"


@executes("subscribe_digest")
def subscribe_digest(ctx: Ctx, action: SubscribeDigest) -> Reply:
    unparsed = getattr(action, "unparsed_time", None)
    if unparsed:
        raise BadInput(f"'{unparsed}' is not a time of day; say e.g. 'at 8am' or 'at 17:30'.")
    name = digests.parse_channel(action.channel)
    # A channel the message linked (Slack) is subscribed by id; its name, when the link
    # had one, is what we show. A link without a label reads as its id ("#C0SALES").
    channel_id = ctx.channels.get(name)
    known = None if channel_id and name == channel_id.lower() else name
    sub, outcome = digests.subscribe(
        ctx.session, actor=ctx.user, team_id=ctx.team_id, channel=name, channel_id=channel_id,
        channel_name=known, cadence=action.cadence, time_of_day=action.time,
        weekday=action.weekday, tz=ctx.tz.key, now=ctx.now,
    )
    first = fmt.moment(sub.next_run_at, ctx.tz, now=ctx.now)
    zone = ctx.tz.key
    setter = ctx.session.get(User, sub.created_by_id) if sub.created_by_id else None
    by = f" (set up by {setter.name})" if setter and setter.id != ctx.user.id else ""
    # Slack shows <#C0SALES> as the channel's name, even one we were not told.
    where = f"#{sub.channel_name}" if sub.channel_name else f"<#{sub.channel}>"
    if outcome == "created":
        text = (f"Done: {where} gets the pipeline digest {describe(sub)} ({zone}). "
                f"The first one arrives {first}.")
    elif outcome == "updated":
        text = (f"Updated: {where}'s {sub.cadence.value} digest{by} now comes "
                f"{describe(sub)} ({zone}). The next one arrives {first}.")
    else:
        return Reply(f"{where} already gets the {sub.cadence.value} digest{by} "
                     f"{describe(sub)} ({zone}); the next one arrives {first}.")
    reply = Reply(text, wrote=True)
    reply.context.append(f"Times follow {zone}, daylight saving included. "
                         "Posted by the scheduler in `salesbot serve` (in `salesbot chat`, here).")
    return reply


@executes("unsubscribe_digest")
def unsubscribe_digest(ctx: Ctx, action: UnsubscribeDigest) -> Reply:
    """Stop a channel's digest; with no channel said, the only one there is (else ask)."""
    channel = action.channel
    if not channel:
        subs = [s for s in digests.list_subscriptions(ctx.session, team_id=ctx.team_id)
                if action.cadence is None or s.cadence.value == action.cadence]
        channels = sorted({s.channel for s in subs})
        if not channels:
            kind = f"{action.cadence} " if action.cadence else ""
            return Reply(f"No channel gets a {kind}digest, so there is nothing to stop.")
        if len(channels) > 1:
            raise BadInput("Which channel's digest should stop? Say e.g. 'unsubscribe "
                           + " or ".join(f"#{c}" for c in channels[:5]) + "'.")
        channel = channels[0]
    stopped = digests.unsubscribe(ctx.session, actor=ctx.user, team_id=ctx.team_id,
                                  channel=channel, cadence=action.cadence)
    kinds = " and ".join(sorted(s.cadence.value for s in stopped))
    return Reply(f"Stopped: #{stopped[0].channel} no longer gets the {kinds} digest.",
                 wrote=True)
