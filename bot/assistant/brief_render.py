"""A fact sheet as the brief a rep reads before a call (pure logic, Slack mrkdwn).

Every line ends with its citation: the fact ids it rests on, the date, and a link to the
Slack message when the activity was logged from Slack. Quotes are the notes' own words;
nothing is paraphrased offline.
"""

from __future__ import annotations

from zoneinfo import ZoneInfo

from bot.assistant import format as fmt
from bot.assistant.brief_facts import TOPIC_LABELS, DealBrief, Fact, FactSheet, Point
from bot.assistant.summarize import KIND_WORDS, short_day

MAX_PEOPLE = 6
SECTIONS = (("status", "Where it stands (newest first)"), ("signals", "Buying signals"),
            ("risks", "Risks and objections"), ("next_steps", "Next steps"))


def cite(sheet: FactSheet, ids: tuple[str, ...] | list[str], tz: ZoneInfo) -> str:
    """'[A12, Nov 3, <link|Slack>]', several ids joined by '; '."""
    parts = []
    for fid in ids:
        fact = sheet.facts.get(fid)
        text = fid
        if fact is not None and fact.at is not None and fid[0] in "AT":
            text += f", {short_day(fact.at, tz, now=sheet.now)}"
        if fact is not None and fact.permalink:
            text += f", <{fact.permalink}|Slack>"
        parts.append(text)
    return f"[{'; '.join(parts)}]"


def deal_line(deal: DealBrief, sheet: FactSheet, tz: ZoneInfo) -> str:
    """'*Greencrest platform* — negotiation, $48,000, closes Dec 15 ⚠️ slipped from Nov 30,
    12 days in stage [D7]'."""
    now = sheet.now
    parts = [deal.stage]
    if deal.amount is not None:
        parts.append(fmt.money(deal.amount, deal.currency))
    if deal.close_date is not None:
        close = f"closes {short_day(deal.close_date, tz, now=now)}"
        if deal.past_due:
            close = f"⚠️ close date {short_day(deal.close_date, tz, now=now)} has passed"
        elif deal.slipped_from is not None:
            close += f" ⚠️ slipped from {short_day(deal.slipped_from, tz, now=now)}"
        parts.append(close)
    else:
        parts.append("no close date")
    if deal.days_in_stage is not None:
        parts.append(f"{fmt.plural(deal.days_in_stage, 'day')} in stage")
    return f"*{deal.title}* — {', '.join(parts)} [{deal.id}]"


def _about(point: Point, sheet: FactSheet, *, name_deal: bool = True) -> str:
    """' (Jane Doe · Acme expansion)': whom and which deal, when the brief spans several."""
    bits = []
    if point.contact and not sheet.of_contact:
        bits.append(point.contact)
    if name_deal and point.deal and len(sheet.deals) > 1:
        deal = next((d for d in sheet.deals if d.id == point.deal), None)
        if deal is not None:
            bits.append(deal.title)
    return f" ({' · '.join(bits)})" if bits else ""


def point_line(point: Point, sheet: FactSheet, tz: ZoneInfo, *, name_deal: bool = True) -> str:
    """One bullet: a quoted sentence or a task, with whom, which deal and its source."""
    about = _about(point, sheet, name_deal=name_deal)
    source = cite(sheet, point.cites, tz)
    if point.section == "task":
        if point.at is None:
            due = "no due date"
        elif point.overdue:
            due = f"⚠️ overdue, was due {fmt.moment(point.at, tz, now=sheet.now)}"
        else:
            due = f"due {fmt.moment(point.at, tz, now=sheet.now)}"
        return f"• Task: {point.text} — {due}{about} {source}"
    mark = {"risk": "⚠️ ", "signal": "✅ "}.get(point.tone or "", "")
    label = f"{TOPIC_LABELS[point.topic]}: " if point.section == "status" and point.topic else ""
    return f"• {mark}{label}“{point.text}”{about} {source}"


def status_by_deal(sheet: FactSheet, tz: ZoneInfo) -> list[str]:
    """With several open deals, where each one stands under its name, newest first; then
    what the notes say about the account as a whole."""
    lines = []
    groups = [(d.id, f"_{d.title}_ [{d.id}]") for d in sheet.deals]
    groups.append((None, "_The account as a whole_"))
    for deal_id, title in groups:
        points = [p for p in sheet.status if p.deal == deal_id]
        if points:
            lines.append(title)
            lines += [point_line(p, sheet, tz, name_deal=False) for p in points]
    return lines


def touch_line(fact: Fact, sheet: FactSheet, tz: ZoneInfo) -> str:
    what = KIND_WORDS.get(fact.kind, fact.kind)
    with_ = f" with {fact.contact}" if fact.contact and not sheet.of_contact else ""
    by = f" by {fact.author}" if fact.author else ""
    return (f"*Last touch:* {what}{with_}, {fmt.moment(fact.at, tz, now=sheet.now)}{by} "
            f"{cite(sheet, [fact.id], tz)}")


def render_brief(sheet: FactSheet, *, tz: ZoneInfo) -> str:
    """The brief as Slack mrkdwn: deals, people, where it stands, signals, risks, next steps."""
    if sheet.empty:
        return (f"Nothing is logged for {sheet.subject} yet — no calls, meetings, notes, "
                "open deals or tasks.")
    lines = [f"*Brief: {sheet.subject}*"]
    if sheet.last_touch:
        lines.append(touch_line(sheet.facts[sheet.last_touch], sheet, tz))
    else:
        lines.append("*Last touch:* no calls, meetings or notes logged yet.")
    if sheet.deals:
        lines.append("*Open deals*" if len(sheet.deals) > 1 else "*Open deal*")
        lines += [f"• {deal_line(d, sheet, tz)}" for d in sheet.deals]
    else:
        lines.append("*Open deals:* none.")
    people = [s for s in sheet.stakeholders if s.id is not None]
    others = [s for s in sheet.stakeholders if s.id is None]
    if people or others:
        lines.append("*Stakeholders*")
    # Those the notes give a role come first (stakeholders() sorts them so); a big
    # account's other contacts are counted, not listed.
    hidden = people[MAX_PEOPLE:]
    for person in people[:MAX_PEOPLE]:
        about = ", ".join(([person.title] if person.title else []) + list(person.roles))
        lines.append(f"• {person.name}" + (f" — {about}" if about else "")
                     + f" {cite(sheet, [person.id, *person.cites], tz)}")
    if hidden:
        lines.append(f"• …and {fmt.plural(len(hidden), 'more contact')} at the account "
                     f"{cite(sheet, [h.id for h in hidden[:3]], tz)}")
    if others:
        lines.append("• Also involved, per the notes: " + ", ".join(
            f"{o.name} {cite(sheet, o.cites, tz)}" for o in others))
    for attr, title in SECTIONS:
        points: tuple[Point, ...] = getattr(sheet, attr)
        if not points:
            continue
        lines.append(f"*{title}*")
        if attr == "status" and len(sheet.deals) > 1:
            lines += status_by_deal(sheet, tz)
        else:
            lines += [point_line(p, sheet, tz) for p in points]
    if not sheet.next_steps:
        lines.append("*Next steps:* none open and none in the recent notes.")
    return "\n".join(lines)


def sources(sheet: FactSheet) -> list[str]:
    """The fact ids the brief cites, in order, without repeats."""
    ids: list[str] = [sheet.last_touch] if sheet.last_touch else []
    ids += [d.id for d in sheet.deals]
    ids += [i for s in sheet.stakeholders for i in ((s.id,) if s.id else ()) + s.cites]
    ids += [i for p in sheet.points() for i in p.cites]
    return list(dict.fromkeys(ids))
