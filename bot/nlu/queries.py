"""Whole-message requests: questions, task lists, digests, summaries, drafts, help."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable

from bot.nlu.actions import (
    Action,
    CompleteTask,
    DraftEmail,
    Help,
    HotLeads,
    ListTasks,
    PipelineQuery,
    ShowTimeline,
    SubscribeDigest,
    Summarize,
)
from bot.nlu.dates import _TIME_RE, _resolve_time, find_period, strip_spans
from bot.nlu.entities import clean_name, find_stage, name_spans
from bot.nlu.lexicon import FIRST_NAMES, NOT_NAMES
from bot.nlu.who import who

_I = re.IGNORECASE
_POLITE = re.compile(
    r"^(?:(?:hey|hi|ok|okay|so|also|and|quick q|question)[,:]?\s+)*"
    r"(?:(?:please|pls|can you|could you|would you|will you|help me|i need you to|i want to|"
    r"i'd like to|let's|go ahead and)\s+)*",
    _I,
)
_NUMBERS = {"one": 1, "three": 3, "five": 5, "ten": 10, "twenty": 20}

HELP_RE = re.compile(
    r"(?:help|help me|help please|please help|\?+|what can you do|what else can you do|"
    r"what do you do|how does this work|how do i use (?:this|you|it|salesbot)|commands|"
    r"show commands|usage|what can i (?:ask|say)|menu|how do you work)[\s?!.]*",
    _I,
)
DIGEST_RE = re.compile(
    r"\b(?:digest|subscribe)\b|^(?=.*(?:#[\w-]|\bchannel\b))(?=.*\b(?:daily|weekly|every|each)\b)"
    r".*\b(?:summary|report|recap|roundup|rundown|update)\b",
    _I,
)
COMPLETE_RE = re.compile(
    r"^(?:i'm |i am |i )?(?:done with|finished|completed|did)\b"
    r"|^(?:mark|set|tick|check)\b.*\b(?:task|todo|to-do|reminder)s?\b.*"
    r"\b(?:done|complete|completed|finished|off)\b"
    r"|^(?:complete|close|tick off|check off|cross off)\b.*\b(?:task|todo|to-do|reminder)\b"
    r"|\b(?:task|todo|reminder)\b.*\bis (?:done|complete|finished)\b"
    r"|^(?:mark|tick|check|set)\s+['\"].+['\"]\s+(?:as\s+)?(?:done|complete|completed|finished)\b",
    _I,
)
LIST_TASKS_RE = re.compile(
    r"\bon my plate\b|\bmy (?:day|agenda)\b|\bwhat(?:'s| is| do i have)? (?:due|overdue)\b"
    r"|\bwhat do i have\b|\banything (?:due|overdue)\b"
    r"|^(?:show|list|get|see|view|what are|what's|whats|any|open|my|all|pending|overdue|"
    r"today's)\b(?:(?!\b(?:create|add|new|remind)\b).)*\b(?:tasks|to-?dos|reminders|"
    r"follow ups)\b",
    _I,
)
HOT_LEADS_RE = re.compile(
    r"\b(?:hot|hottest|warm|warmest|best|top|promising|most promising|most engaged|strongest)"
    r"\s+(?:\d+\s+|ten\s+|five\s+)?(?:leads|prospects)\b|\bwho should i (?:call|focus on)\b"
    r"|\bleads (?:to|i should) (?:call|focus)",
    _I,
)
DRAFT_RE = re.compile(
    r"^(?:draft|write|compose|prepare|prep|create|send)\b.{0,30}?\b(?:email|e-mail|message|"
    r"reply|note|follow up)\b|^(?:email|reply) draft\b",
    _I,
)
TIMELINE_RE = re.compile(
    r"\b(?:timeline|history|activity log|recent activity|activities|interactions)\b"
    r"|^(?:show|list|see|get)\s+(?:me\s+)?(?:all\s+|the\s+)?activity\s+(?:for|with|on)\b"
    # "who is the contact at Hooli?": the account's people show on its timeline.
    r"|^who(?:'s| is| are|s)\s+(?:our|my|the|a)?\s*(?:main |key |primary |best )?"
    r"(?:contacts?|champions?|point of contact|people|buyers?|decision makers?)"
    r"\s+(?:at|for|with|in)\b"
    r"|^who (?:do|did) (?:we|i) (?:know|talk to|deal with|speak to|have) (?:at|in)\b"
    r"|^(?:when|what) (?:did|was) (?:we|i) (?:last )?(?:talk|speak|meet|touch base|the last touch)"
    r"\w* (?:to|with)\b",
    _I,
)
SUMMARIZE_RE = re.compile(
    r"^(?:summarize|summarise|sum up|recap|brief me on|catch me up on|catch me up with|"
    r"fill me in on|give me (?:a |the )?(?:summary|rundown|recap|brief|overview) (?:of|on|for)|"
    r"summary (?:of|for|on)|what's (?:the )?(?:latest|new|happening|going on) (?:on|with)|"
    r"where (?:are we|do we stand|do things stand|things stand) (?:on|with)|"
    r"status (?:of|on|for)|update on|what's up with|tell me about|overview of)\b",
    _I,
)
_QUESTION_START = re.compile(
    r"^(?:what|what's|whats|how|show|give|list|tell|which|who|total|our|my|the|team|"
    r"pipeline|pipe|forecast|weighted|win|average|avg|top|biggest|largest|deals|number|count|"
    r"sum|can|where|is|are|do|did)\b",
    _I,
)
PIPELINE_RE = re.compile(
    r"\b(?:pipeline|pipe|forecast|win[ -]?rate|close rate|conversion rate|sales cycle|"
    r"cycle time|deal size|avg deal|average deal|how many deals|number of deals|how much|"
    r"how many|top \d+ deals|top (?:five|ten) deals|biggest deals|largest deals|"
    r"deals closing|bookings|revenue|deals (?:won|lost|in|at|by|per|closing|did)|total|"
    r"closed[- ](?:won|lost)|in commit|commit (?:this|next|for)"
    r"|(?:did|have) (?:we|i) book(?:ed)?)\b",
    _I,
)


def polite_stripped(text: str) -> str:
    """The request without greetings and "can you please"."""
    return text[_POLITE.match(text).end():] if _POLITE.match(text) else text


def _number(word: str) -> int | None:
    word = word.lower()
    return int(word) if word.isdigit() else _NUMBERS.get(word)


def help_action(text: str, now: dt.datetime) -> Action:
    """`help`."""
    return Help()


# Something said as a time of day that did not resolve ("at 25:00", "at 99pm", "at noonish").
_TIME_SAID = re.compile(
    r"(?:\b(?:at|@|around|by)\s*)(\d[\d:.]*\s*(?:[ap]\.?m\.?|h|hrs|o'?clock)?"
    r"|(?:noon|midday|midnight|morning|evening|lunch)\w+|[a-z]+ish)(?![\w])",
    _I,
)


def digest_action(text: str, now: dt.datetime) -> Action:
    """`subscribe_digest`: channel, cadence, time, weekday."""
    channel = re.search(r"#([\w-]+)", text) or re.search(
        r"\b(?:to|in|on)\s+(?:the\s+)?([\w-]+)\s+channel\b", text, _I
    )
    weekday = re.search(r"\b(monday|tuesday|wednesday|thursday|friday|saturday|sunday)s?\b",
                        text, _I)
    weekly = bool(re.search(r"\bweekly\b|\bevery week\b|\bonce a week\b", text, _I)) or (
        weekday is not None and not re.search(r"\bdaily\b|\bevery (?:day|morning)\b", text, _I)
    )
    clock = None
    for m in _TIME_RE.finditer(text):
        clock = _resolve_time(m)
        if clock is not None:
            break
    unparsed = None
    if clock is None:
        said = _TIME_SAID.search(text)
        unparsed = said.group(1) if said else None
    return SubscribeDigest(
        channel=channel.group(1) if channel else None,
        cadence="weekly" if weekly else "daily",
        time=clock,
        weekday=weekday.group(1).lower() if weekly and weekday else None,  # type: ignore[arg-type]
        unparsed_time=unparsed,
    )


def complete_action(text: str, now: dt.datetime) -> Action:
    """`complete_task` with the task's title as said."""
    quoted = re.search(r"['\"]([^'\"]{2,})['\"]", text)
    if quoted:
        return CompleteTask(title=quoted.group(1).strip())
    title = re.sub(
        r"^(?:i'm |i am |i )?(?:done with|finished|completed|did|mark|set|tick off|check off|"
        r"cross off|complete|close|tick|check)\s+|\b(?:as )?(?:done|complete|completed|finished|"
        r"off)\b|\b(?:the|my|that)\b|\b(?:task|todo|to-do|reminder)s?\b|\bis\b",
        " ", text, flags=_I,
    )
    title = " ".join(title.split()).strip(" .!?")
    return CompleteTask(title=title or text)


def list_tasks_action(text: str, now: dt.datetime) -> Action:
    """`list_tasks` with a scope."""
    lower = text.lower()
    if re.search(r"\b(?:overdue|late|past due|missed|behind)\b", lower):
        scope = "overdue"
    elif re.search(r"\b(?:today|tonight|plate|my day|agenda)\b", lower):
        scope = "today"
    elif re.search(r"\bweek\b", lower):
        scope = "week"
    else:
        scope = "all"
    return ListTasks(scope=scope)  # type: ignore[arg-type]


def hot_leads_action(text: str, now: dt.datetime) -> Action:
    """`hot_leads` with an optional limit."""
    m = re.search(r"\btop\s+(\d+|five|ten)\b|\b(\d+)\s+(?:hot|hottest|best|warm)", text, _I)
    limit = _number(m.group(1) or m.group(2)) if m else None
    return HotLeads(limit=limit)


_LOWER_NAME = re.compile(
    r"\b(?:at|for|with|on|to|about|of|summari[sz]e|recap|up)\s+(?P<n>[a-z][\w&'.-]*(?:\s+[a-z][\w&'.-]*)?)[\s?!.]*$"
)


def _about(text: str) -> tuple[str | None, str | None, str]:
    """Contact, account and the rest of the text once the names are taken out."""
    found = who(text)
    rest = strip_spans(text, found.spans or [])
    if found.contact is None and found.account is None:
        # "who's our contact at hooli": a lower-case name last in the request.
        m = _LOWER_NAME.search(text)
        name = clean_name(m.group("n")) if m else ""
        if name and not NOT_NAMES.intersection(name.lower().split()):
            first = name.split()[0].lower()
            if first in FIRST_NAMES:
                return name, None, text[:m.start()] if m else rest
            return None, name, text[:m.start()] if m else rest
    return found.contact, found.account, rest


def timeline_action(text: str, now: dt.datetime) -> Action:
    """`show_timeline` for a contact or account."""
    contact, account, _ = _about(text)
    return ShowTimeline(contact=contact, account=account)


def summarize_action(text: str, now: dt.datetime) -> Action:
    """`summarize` a contact or account."""
    contact, account, _ = _about(text)
    return Summarize(contact=contact, account=account)


def draft_action(text: str, now: dt.datetime) -> Action:
    """`draft_email` to a contact, with its purpose."""
    contact, account, rest = _about(text)
    follow_up = bool(re.search(r"\bfollow(?:ing)? up\b", text, _I))
    kind = re.search(r"\b(?:email|e-mail|message|reply|note)\b", rest, _I) or re.search(
        r"\bfollow up\b", rest, _I
    )
    rest = rest[kind.end():] if kind else rest
    rest = re.sub(r"^\s*to\b", "", rest, flags=_I).strip(" ,.")
    rest = re.sub(r"^(?:to|for)\s+", "", rest, flags=_I)
    if follow_up and not re.match(r"follow", rest, _I):
        rest = f"follow up {rest}".strip()
    if not rest:
        # "draft a thank-you email to Paolo": the kind of e-mail is its purpose.
        m = re.search(r"\b(?:a|an|the)\s+(?P<p>[\w-]+(?:\s+[\w-]+)?)\s+(?:email|e-mail|message|"
                      r"note|reply)\b", text, _I)
        if m and m.group("p").lower() not in ("quick", "short", "new", "brief", "draft"):
            rest = m.group("p")
    return DraftEmail(contact=contact, account=account, purpose=rest or None)


def pipeline_action(text: str, now: dt.datetime) -> Action:
    """`pipeline_query`: measure, status, period, owner, stage, group_by, limit."""
    lower = text.lower()
    measure: str | None
    if re.search(r"\bwin[ -]?rate|\bclose rate|\bconversion|\bwin ratio|\bwin %", lower):
        measure = "win_rate"
    elif re.search(r"\b(?:sales )?cycle\b|\bdays to close\b|\bhow long\b", lower):
        measure = "cycle_days"
    elif re.search(r"\b(?:average|avg|mean|typical)\b", lower):
        measure = "avg_amount"
    elif re.search(r"\bweighted\b|\bforecast", lower):
        measure = "weighted_amount"
    elif re.search(r"\bhow many\b|\bnumber of\b|\bcount\b|# of", lower):
        measure = "count"
    elif re.search(r"\btop\s+\w+\s+deals\b|\b(?:biggest|largest)\b", lower):
        measure = None
    else:
        measure = "amount"

    status = None
    if re.search(r"\blost\b|\blose\b|\blosing\b|\bchurn", lower):
        status = "lost"
    elif re.search(r"\bwon\b|\bwin\b(?![ -]?rate)|\bwins\b|\bbook(?:ed)?\b|\bbookings\b"
                   r"|\b(?:did|has|have) \w+ closed?\b(?![- ]lost)|\bwe closed\b(?![- ]lost)",
                   lower):
        status = "won"
    elif re.search(r"\bopen\b|\bactive\b|\bin play\b|\bcommit\b|\bpipe(?:line)?\b", lower):
        status = "open"  # "pipeline"/"pipe" is open deals, whatever the measure

    results = status in ("won", "lost") or measure in ("win_rate", "cycle_days") or bool(
        re.search(r"\b(?:did|closed|were|was)\b", lower)
    )
    found = find_period(text, now, past=results)
    period = found[0] if found else None

    owner = None
    if re.search(r"\b(?:my|mine|me|i)\b", lower):
        owner = "me"
    else:
        for span in name_spans(text):
            before = text[:span.start].rstrip().rsplit(" ", 1)[-1].lower()
            said = text[span.start:span.end + 2]
            # The span may hold its own "'s" ("Zorblat's"), or stop just before it.
            if (said.endswith("'s") or text[span.start:span.end].endswith("'s")
                    or before in ("did", "does", "has", "by", "for", "rep")
                    or span.text.split()[0].lower() in FIRST_NAMES):
                owner = clean_name(span.text)
                break

    group = re.search(r"\b(?:by|per|each|every|breakdown of|split by|grouped by)\s+"
                      r"(stage|owner|rep|salesperson|person|month|account|customer|company)", lower)
    group_by = None
    if group:
        word = group.group(1)
        group_by = {"rep": "owner", "salesperson": "owner", "person": "owner",
                    "customer": "account", "company": "account"}.get(word, word)

    stage = find_stage(text)
    if stage in ("won", "lost") or (stage == "lead" and not re.search(r"\bleads?\b", lower)):
        stage = None
    top = re.search(r"\btop\s+(\d+|five|ten)\b|\b(\d+)\s+(?:biggest|largest)\b", lower)
    limit = _number(top.group(1) or top.group(2)) if top else None
    return PipelineQuery(
        measure=measure, status=status, period=period, owner=owner,  # type: ignore[arg-type]
        stage=stage, group_by=group_by, limit=limit,  # type: ignore[arg-type]
    )


QueryHandler = Callable[[str, dt.datetime], Action]


def match_query(text: str, *, first_clause_is_action: bool) -> QueryHandler | None:
    """The handler for a message that is one whole request, or None for action messages."""
    body = polite_stripped(text)
    if not body or HELP_RE.fullmatch(body):
        return help_action if body else None
    if DIGEST_RE.search(body):
        return digest_action
    if COMPLETE_RE.search(body):
        return complete_action
    if DRAFT_RE.search(body):
        return draft_action
    if SUMMARIZE_RE.search(body):
        return summarize_action
    if LIST_TASKS_RE.search(body):
        return list_tasks_action
    if first_clause_is_action:
        return None
    if HOT_LEADS_RE.search(body):
        return hot_leads_action
    if TIMELINE_RE.search(body):
        return timeline_action
    if PIPELINE_RE.search(body):
        return pipeline_action
    return None

