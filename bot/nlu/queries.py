"""Whole-message requests: questions, task lists, digests, summaries, drafts, help."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable

from bot.nlu.actions import (
    Action,
    ActivityAsk,
    CompleteTask,
    DraftEmail,
    Help,
    HotLeads,
    ListTasks,
    Period,
    PipelineQuery,
    ShowTimeline,
    SubscribeDigest,
    Summarize,
)
from bot.nlu.dates import (
    _TIME_RE,
    _resolve_time,
    add_months,
    find_period,
    month_end,
    strip_spans,
)
from bot.nlu.entities import clean_name, find_stage, has_legal_form, name_spans
from bot.nlu.learned import tag
from bot.nlu.lexicon import (
    AN_ENCOUNTER,
    COMPANY_WORDS,
    FIRST_NAMES,
    MONTHS,
    NOT_NAMES,
    STARTS_DELETING,
    SURNAMES,
    WEEKDAYS,
)
from bot.nlu.text import word_led
from bot.nlu.who import who

_I = re.IGNORECASE
_POLITE = re.compile(
    r"^(?:(?:hey|hi|ok|okay|so|also|and|quick q|question)[,:]?\s+)*"
    r"(?:(?:please|pls|plz|kindly|can you|could you|would you|will you|can u|could u|would u|"
    r"will u|help me|i need you to|i want to|"
    r"i'd like to|let's|go ahead and)\s+)*"
    r"(?:(?:log|note|record) that (?:i |we )?(?=\w+ed\b))?",  # "log that i emailed Dr Reyes …"
    _I,
)
_NUMBERS = {"one": 1, "three": 3, "five": 5, "ten": 10, "twenty": 20}

HELP_RE = re.compile(
    r"(?:help|help me|help please|please help|\?+|what can you do|what else can you do|"
    r"what do you do|how does this work|how do i use (?:this|you|it|salesbot)|commands|"
    r"show commands|usage|what can i (?:ask|say)|menu|how do you work)[\s?!.]*",
    _I,
)
# Questions about the bot itself said in a sentence: "how do I log a call with you?",
# "oi, tudo bem? what are your commands?".
HELP_ASK_RE = word_led(
    r"(?:^|(?<=[.!?] ))(?:(?:so|and|ok|okay|hey|hi|hello|quick question)[\s,]+)*"
    r"(?:how (?:do|can|should|would) "
    r"(?:i|we)|how to|can you (?:show|tell|explain)(?: me| us)? how(?: to| (?:do )?i)?)\s+"
    r"(?:log|add|create|set ?up|set|use|track|record|make|delete|remove|complete|mark|get|"
    r"subscribe|"
    r"unsubscribe|see|view|update|move|change|edit|undo|draft|ask|talk to|get started|start|"
    r"work with)\b"
    r"|\b(?:your|the bot's|salesbot's|bot) commands\b|\bwhat commands\b|\blist of commands\b"
    r"|\bc[oó]mo (?:se usa|funciona|te uso)\b|\bcomo (?:se usa|funciona|uso)\b"
    r"|\bwhat (?:else )?(?:can|do) (?:you|u|ya) (?:do|understand|know)\b|\bwhat are you\b"
    r"|\bwhat (?:you|u) can do\b"
    # "qué puedes hacer?", "o que você pode fazer?", "was kannst du?", "que peux-tu faire?"
    r"|\bqu[eé] (?:puedes|podés|sabes) hacer\b|\bo que (?:voc[eê] )?(?:pode|sabe) fazer\b"
    r"|\bwas kannst du\b|\bque (?:peux|sais)-tu faire\b|\bwat kun je\b"
    # "can it set reminders?", "does this work in DMs?", "what's the syntax for adding a
    # deal?", "what kinds of questions can I ask you?", "if I mess up can I undo it?"
    r"|\b(?:can|does|do|will|is) (?:it|this|the bot|salesbot|this bot|this thing|this app)"
    r" (?:work|do|handle|support|understand|know|set|pull|log|send|read|remember|track|show|"
    r"sync|create|add|make|see|hear)\b(?=.*\?\s*$)"
    r"|\bwhat(?:'s| is| are) the (?:syntax|format|difference|commands?|keywords?)\b"
    r"|\bwhat (?:kinds?|sorts?|types?) of\b.*\b(?:can|could|should) (?:i|we)\b"
    r"|\bcan (?:i|we) (?:undo|change|edit|fix|delete)\b.*\?\s*$|\bin here\?\s*$",
    _I,
)
DIGEST_RE = word_led(
    r"\b(?:digest|subscribe)\b|^(?=.*(?:#[\w-]|\bchannel\b))(?=.*\b(?:daily|weekly|every|each)\b)"
    r".*\b(?:summary|report|recap|roundup|rundown|update)\b",
    _I,
)
COMPLETE_RE = word_led(
    r"^(?:i'm |i am |i )?(?:done with|finished|completed|did(?! (?:we|you|u|they|he|she|it|"
    r"the team)\b)(?![^?]*\?\s*$))\b(?!\s+" + AN_ENCOUNTER + ")"  # "did the clocks change?"
    r"|^(?:mark|set|tick|check)\b.*\b(?:task|todo|to-do|reminder)s?\b.*"
    r"\b(?:done|complete|completed|finished|off)\b"
    r"|^(?:complete|close|tick off|check off|cross off)\b.*\b(?:task|todo|to-do|reminder)\b"
    r"|\b(?:task|todo|reminder)\b.*\bis (?:done|complete|finished)\b"
    r"|^(?:mark|tick|check|set)\s+['\"].+['\"]\s+(?:as\s+)?(?:done|complete|completed|finished)\b",
    _I,
)
LIST_TASKS_RE = word_led(
    r"\bon my (?:plate|list|to-?do list|calendar|schedule|agenda)\b|\bmy (?:day|agenda)\b"
    r"|\bwhat(?:'s| is| do i have)? (?:due|overdue)\b"
    r"|\bwhat do i have\b|\banything (?:due|overdue)\b|^(?:what'?s\s+|my\s+)?overdue\W*$"
    r"|^(?:so\s+|ok\s+)?(?:what(?:'ve| have|ve)|what) i (?:got|have)\s+(?:on\s+|to do\s+)?"
    r"(?:for\s+)?"
    r"(?:today|tomorrow|this week)\W*$"  # "what've I got this week?"
    r"|^what (?:do|should) i (?:need to |have to |got to )?do (?:today|tomorrow|this week)\b"
    r"|^(?:my\s+|the\s+)?(?:to-?do|task)s?\s+list\b"
    r"|^(?:what'?s|whats|what is) on (?:for )?(?:today|tomorrow|this week)\b"
    r"|^(?:what'?s|whats|what is) next(?: for me| on my list)?(?: today)?\W*$"
    r"|\bwhat (?:have|do) i (?:got|have) on\b|\bwhat (?:tasks|to-?dos) (?:do )?i have\b"
    # "which tasks are overdue?", "what reminders are due this week"
    r"|^(?:(?:tell me|show me|let me know)\s+)?(?:which|what)\s+(?:of my\s+)?"
    r"(?:tasks|to-?dos|reminders|follow ups)\s+(?:are|do|have)\b"
    r"|^(?:show|list|get|see|view)\b(?: me)?\s+(?:every|all(?: of)?(?: my)?|each)\s+"
    r"(?:task|to-?do|reminder)s?\b"
    r"|^(?:show|list|get|see|view|what are|what's|whats|any|open|my|all|pending|overdue|"
    r"today's)\b(?:(?!\b(?:create|add|new|remind)\b).)*\b(?:tasks|to-?dos|reminders|"
    r"follow ups)\b",
    _I,
)
HOT_LEADS_RE = word_led(
    r"\b(?:hot|hottest|warm|warmest|best|top|promising|most promising|most engaged|strongest)"
    r"\s+(?:\d+\s+|ten\s+|five\s+)?(?:leads|prospects)\b|\bwho should i (?:call|focus on)\b"
    r"|\bwho(?:'s| is|s| are) (?:hot|heating up|warm|on fire)\b"
    r"|\bleads (?:to|i should) (?:call|focus)",
    _I,
)
DRAFT_RE = re.compile(
    r"^(?:(?:(?:can|could) (?:you )?)?help me (?:to )?)?(?:(?:draft|write|compose)\b.{0,30}?|"
    r"(?:prepare|prep|create|send)\b"
    r"(?:(?!\b(?:task|reminder|to-?do)\b).){0,30}?)\b(?:email|e-mail|mail|message|"
    r"msg|reply|note|follow up)\b|^(?:email|reply) draft\b"
    r"|^(?:write|drop a line) (?:back )?to\b"
    # "can u draft something to Hotel Lago Maggiore"
    r"|^(?:(?:can|could) (?:you )?)?(?:draft|write|compose) (?:something|smth|sth|a few lines|"
    r"a quick (?:one|note)) (?:to\b|for (?=(?-i:[A-Z])))",
    _I,
)
TIMELINE_RE = word_led(
    r"\b(?:timeline(?!'s\b|\s+(?:is|was)\b)|history|activity log|recent activity|activities|"
    r"interactions?|touchpoints?|touches)\b"  # ("their timeline's the fall" is news)
    # "show me everything we've logged on X", "all we have logged with X"
    r"|^(?:show|list|see|get|give)\s+(?:me\s+)?(?:everything|all|anything)\s+(?:(?:that\s+)?"
    r"(?:we|i|you)(?:'ve|'re| have| did)?\s+)?(?:logged|recorded|captured|noted|got|have|did)\s+"
    r"(?:on|with|for|about)\b"
    r"|^(?:show|list|see|get|pull up)\s+(?:me\s+)?(?:all\s+|the\s+)?(?:activity|notes|calls|"
    r"meetings|emails|touchpoints|logs?)\s+(?:for|with|on|about)\b"
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
    r"^(?:summarize|summarise|sum up|recap(?![^:?;]{0,40}[:;])|brief me on|catch me up on|"
    r"catch me up with|"
    r"tl;? ?dr(?: (?:on|for|of|re|about))?|tldr(?: (?:on|for|of|re|about))?|"
    r"update me (?:on|about)|give me an update (?:on|about)|"
    r"fill me in on|(?:give me|gimme|get me|can i (?:get|have)|i need|i'd like) (?:a |the |an )?"
    r"(?:quick |short |brief )?(?:summary|rundown|recap|brief|overview|update|tl;?dr) "
    r"(?:of|on|for|about)|"
    r"summary (?:of|for|on)|what's (?:the )?(?:latest|new|happening|going on) (?:on|with)|"
    r"where (?:are we|do we stand|do things stand|things stand) (?:on|with)|"
    r"status (?:of|on|for)|update on|what's up with|tell me about|overview of|"
    r"(?:any|got any|are there any) (?:updates?|news) (?:on|from|about|for)|"
    r"what's the (?:story|status|situation) (?:with|on)|how are things (?:with|at))\b"
    # "Blackrock Quarry summary pls": the name first
    r"|^(?-i:[A-Z\u00c0-\u00de])[\w&.'-]*(?:\s+[\w&.'-]+){0,4}\s+(?:summary|rundown|recap|tl;?dr)"
    r"(?:\s+(?:pls|please|plz))?[\s?!.]*$",
    _I,
)
_QUESTION_START = re.compile(
    r"^(?:what|what's|whats|how|show|give|list|tell|which|who|total|our|my|the|team|"
    r"pipeline|pipe|forecast|weighted|win|average|avg|top|biggest|largest|deals|number|count|"
    r"sum|can|where|is|are|do|did|compare|new|any|overdue|stuck|stalled|stale|risky|at|reps|"
    r"accounts|scorecard|when|why|this|last|q[1-9]\d*|deal|past|won|lost|revenue|bookings|"
    r"calls|meetings|emails|activity|activities)\b",
    _I,
)
PIPELINE_RE = word_led(
    r"\b(?:pipeline|pipe|forecast|win[ -]?rate|close rate|conversion rate|sales cycle|"
    r"cycle time|deal size|avg deal|average deal|(?:average|avg|mean|typical) (?:size|value|"
    r"amount)|how many deals|number of deals|how much|"
    r"how many|top (?:\d+|three|five|ten|twenty) (?:(?:open|active|won|lost|closed|live|"
    r"current|new|biggest|largest)\s+)?(?:deals|opps|opportunities)|biggest deals|largest deals|"
    r"deals closing|bookings|revenue|deals (?:won|lost|in|at|by|per|closing|did)|total|"
    r"closed[- ](?:won|lost)|in commit|commit (?:this|next|for)"
    r"|(?:did|have) (?:we|i) book(?:ed)?|(?:did|have) (?:we|i|the team) (?:win|won|lose|lost|"
    r"close|closed)(?! (?:the|a|an)\b))\b"
    # Questions the query model answers beyond the figures (docs/queries.md).
    r"|\b(?:top|biggest|largest|my|our|\w+'s) deals\b"
    # "won amount by account", "rep-wise won amount": a figure broken down
    r"|\b(?:won|lost|closed|booked|open)\s+(?:amount|value|revenue|total)\b"
    r"|^(?:(?:show|list|all|our|my|the)\s+)*(?:won|lost)\s+deals\b"
    r"|\b(?:amount|value)\s+(?:won|lost|closed|booked)\b"
    r"|\b(?:stage|owner|rep|month|account)[- ]?wise\b"
    r"|\bdeals (?:over|above|under|below|for|between|worth)\b"
    r"|\b(?:at[- ]risk|risky|stuck|stalled|stale|slipped|single[- ]threaded|past due|overdue)\b"
    r"(?=.*\bdeals?\b)|\bdeals?\b.*\b(?:at[- ]risk|stuck|stalled|slipped|past due|overdue)\b"
    r"|\bwhat(?:'s| has| have)? (?:changed|moved)\b|\bchanges? (?:in|to) (?:the |our |my )?"
    r"pipe|\bnew deals (?:this|last|since|in|created|added|by|per)\b|\bcompare\b|\bvs\.?\b"
    r"|\bversus\b|\bscorecard\b|\bhow (?:is|'s|am|are|was|did) [\w' -]{1,30}? (?:doing|do)\b"
    r"|\b(?:calls|meetings|emails|activities|activity|touches)\b.*\b(?:each|per|by) "
    r"(?:rep|owner|account|week|month)|\bhow many (?:calls|meetings|emails|notes|activities)\b"
    r"|\b(?:no|zero|without) (?:activity|activities|calls|touches)\b|\blast touch"
    r"|\bhaven'?t (?:logged|called|touched|had)\b|\b(?:my|\w+'s|the|team) numbers\b"
    r"|\b(?:what(?:'s| is| will| do we have)?|which deals?|anything)\s+(?:closing|closes|close|"
    r"to close)\b|\bdeals? (?:that |which )?(?:we|i|you|they) (?:won|lost|closed|signed|booked)\b"
    r"|\bhow long (?:does|do|did|will) (?:it|we|us|a deal|deals)\b.{0,30}\bclose\b"
    r"|\bwho(?:'s| has| is)\b.{0,20}\b(?:most|biggest|largest|top)\b.{0,20}"
    r"\b(?:pipe|pipeline|deals|won)\b",
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
        r"\b(?:to|in|on|for|into)\s+(?:the\s+)?([\w-]+)\s+channel\b", text, _I
    )
    weekday = re.search(r"\b(monday|tuesday|wednesday|thursday|friday|saturday|sunday)s?\b",
                        text, _I)
    weekly = bool(re.search(r"\bweekly\b|\bevery week\b|\bonce a week\b", text, _I)) or (
        weekday is not None and not re.search(r"\bdaily\b|\bevery (?:day|morning)\b", text, _I)
    )
    # "every morning at 8": the clock said, before the part of the day
    said_times = sorted(_TIME_RE.finditer(text), key=lambda m: m.group("word") is not None)
    clock = next((c for m in said_times if (c := _resolve_time(m, as_written=True))), None)
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


_NEW_TASK_ASKED = re.compile(r"^(?:(?:pls|please|can you|could you)\s+)?"
                             r"(?:set|create|add|make|put)\s+(?:me\s+)?(?:a|an|up a)\s+"
                             r"(?:task|reminder|to-?do)\b|\bremind me\b", re.IGNORECASE)


def complete_action(text: str, now: dt.datetime) -> Action | None:
    """`complete_task` with the task's title as said; None when a new task is asked for
    ("set a task to get the docs done by Friday")."""
    if _NEW_TASK_ASKED.search(text):
        return None
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
    elif re.search(r"\bweek\b", lower):
        scope = "week"  # "what's on my plate this week"
    elif re.search(r"\b(?:today|tonight|plate|my day|agenda)\b", lower):
        scope = "today"
    else:
        scope = "all"
    return ListTasks(scope=scope)  # type: ignore[arg-type]


def hot_leads_action(text: str, now: dt.datetime) -> Action:
    """`hot_leads` with an optional limit."""
    m = re.search(r"\b(?:top|hottest|best)\s+(\d+|three|five|ten)\b"
                  r"|\b(\d+|three|five|ten)\s+(?:hot|hottest|best|warm|warmest)"
                  # "the 5 leads hottest" (as "os 5 leads mais quentes" is glossed)
                  r"|\b(\d+|three|five|ten)\s+(?:leads?|deals?|prospects?)\s+(?:hottest|warmest)",
                  text, _I)
    limit = _number(m.group(1) or m.group(2) or m.group(3)) if m else None
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
    if contact is None and re.search(r"\b(?:to|for)\s+(?:him|her|them)\b", text, _I):
        contact = account = None  # the person just spoken of: the message's context says who
        rest = text
    follow_up = bool(re.search(r"\bfollow(?:ing)? up\b", text, _I))
    kind = re.search(r"\b(?:email|e-mail|mail|message|msg|reply|note)\b", rest, _I) or re.search(
        r"\bfollow up\b", rest, _I
    )
    rest = rest[kind.end():] if kind else re.sub(
        r"^.*?\b(?:write|drop a line)(?:\s+back)?\b", "", rest, flags=_I)  # "write to Ana re X"
    rest = re.sub(r"^\s*to\b", "", rest, flags=_I).strip(" ,.")
    rest = re.sub(r"^(?:to|for)\s+", "", rest, flags=_I)
    rest = re.sub(r"^(?:him|her|them)\b[\s,]*", "", rest, flags=_I)  # "an email to him with ..."
    # "regarding the discount approval", "re: pricing": the purpose is what follows.
    rest = re.sub(r"^(?:regarding|re:?|about|concerning|wrt|with regards? to|on)\s+(?:the\s+)?",
                  "", rest, flags=_I)
    # "to Joaquín there", "to Dr. Al-Kuwari there confirming the commercials"
    rest = re.sub(r"^there\b\s*|\s*\bthere\W*$", "", rest, flags=_I).strip(" ,.?!")
    if follow_up and not re.match(r"follow", rest, _I):
        rest = f"follow up {rest}".strip()
    if not rest:
        # "draft a thank-you email to Paolo": the kind of e-mail is its purpose.
        m = re.search(r"\b(?:a|an|the)\s+(?:(?:quick|short|brief|new|draft)\s+)*"
                      r"(?P<p>[\w-]+(?:\s+[\w-]+){0,3}?)\s+(?:email|e-mail|message|note|reply)\b",
                      text, _I)
        if m and m.group("p").lower() not in ("quick", "short", "new", "brief", "draft"):
            rest = m.group("p")
    if contact is None and account is not None and len(account.split()) <= 3 and not any(
            w.lower().strip(".,") in COMPANY_WORDS for w in account.split()) and \
            not has_legal_form(account) and re.search(
            rf"\bto\s+{re.escape(account)}\b(?!\s*(?:@|at\b|from\b))", text) and (
            " " not in account or any(t.kind == "PER" and account in t.text for t in tag(text))):
        # "an email to Siobhán", "a quick email to Georges Aoun": written to a person
        contact, account = account, None
    # Said of no purpose, an e-mail to a customer follows up (and the draft says so).
    return DraftEmail(contact=contact, account=account, purpose=rest.strip(" ,.?!") or "follow up")


# "count and total", "amount + count", "win rate + won amount by rep": two figures asked
# of the same deals, joined tightly
_MEASURE_WORD = (r"(?:count|number|amount|total|value|revenue|sum|win[ -]?rate|avg|"
                 r"average(?: size)?|weighted(?: amount| pipeline)?|forecast|cycle(?: time)?)")
_TWO_MEASURES = re.compile(rf"\b(?P<a>{_MEASURE_WORD}(?:\s+(?:won|lost|open))?)\s*"
                           rf"(?:\+|&|/|,|and|plus)\s*(?P<b>(?:(?:won|lost|open)\s+)?{_MEASURE_WORD})\b",
                           _I)


def two_measures(text: str) -> tuple[str, str] | None:
    """The question asked once per figure, when it asks two: "Rajesh's won deals this
    quarter — count and total" is asked for the count and for the total."""
    m = _TWO_MEASURES.search(text)
    if m is None or _measure_of(m.group("a")) == _measure_of(m.group("b")):
        return None
    before, after = text[:m.start()], text[m.end():]
    # what is said after a figure with deals of its own ("won amount by rep") is said of it
    own = m.group("b").lower().startswith(("won", "lost", "open"))
    return before + m.group("a") + ("" if own else after), before + m.group("b") + after


def _measure_of(word: str) -> str:
    word = word.lower()
    return ("count" if word in ("count", "number") else "win_rate" if word.startswith("win") else
            "avg" if word.startswith(("av", "avg")) else
            "weighted" if word.startswith(("weighted", "forecast")) else
            "cycle" if word.startswith("cycle") else "amount")


def pipeline_action(text: str, now: dt.datetime) -> Action:
    """`pipeline_query`: the contract's keys, then the query model's extras."""
    base = _contract_query(text, now)
    return _refine(text, now, base)


def _contract_query(text: str, now: dt.datetime) -> PipelineQuery:
    """measure, status, period, owner, stage, group_by, limit — as the contract reads them."""
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
    elif re.search(r"\bhow many\b|\bnumber of\b|\bcount\b|# of"
                   r"|\b(?:most|fewest) (?:\w+ )?deals\b", lower):  # "has most won deals"
        measure = "count"
    elif re.search(r"\btop\s+\w+\s+deals\b|\b(?:biggest|largest)\b|\btop deals\b", lower):
        measure = None
    else:
        measure = "amount"

    status = None
    if re.search(r"\blost\b|\blose\b|\blosing\b|\bchurn", lower):
        status = "lost"
    elif re.search(r"\bwon\b|\bwin\b(?![ -]?rate)|\bwins\b|\bbook(?:ed)?\b|\bbookings\b"
                   r"|\bwho (?:closed|signed|sold)\b"
                   r"|\b(?:we|i|they|you) (?:have )?signed\b"  # "how much we signed in october"
                   r"|\b(?:did|have|has) (?:we|i|they|you|the team) sign(?:ed)?\b"
                   r"|\b(?:did|has|have) (?:\w+ ){1,2}closed?\b(?![- ]lost)"
                   r"|\bwe closed\b(?![- ]lost)"
                   # "everything Priya has closed this year", "what Ximena closed in February"
                   r"|\b(?:has|have|had)\s+closed\b(?![- ]lost)"
                   r"|\b(?:what|everything)\s+\w+\s+closed\b(?![- ]lost)",
                   lower):
        status = "won"
    elif re.search(r"\bopen\b|\bactive\b|\bin play\b|\bcommit\b|\bpipe(?:line)?\b", lower):
        status = "open"  # "pipeline"/"pipe" is open deals, whatever the measure

    # Average size is a figure of deals already closed unless open ones are named.
    results = status in ("won", "lost") or measure in ("win_rate", "cycle_days") or (
        measure == "avg_amount" and status != "open") or bool(
        re.search(r"\b(?:did|closed|were|was)\b", lower)
    )
    # "quarter closes today — Jake's forecast for this quarter": the day is a lead-in
    # when a longer period is asked about too.
    found = sorted(_periods(text, now, past=results),
                   key=lambda f: f[0].start == f[0].end and len(_periods(text, now, results)) > 1)
    period = found[0][0] if found else None
    mine = re.search(r"\b(?:my|our|the team'?s|the) (quarter|month|year)\b", lower)
    if period is None and mine:  # "how's my quarter looking": this one
        period = next((p for p, _ in _periods(f"this {mine.group(1)}", now, past=False)), None)

    owner = None
    # "show me Diego's deals": "me" after show/give/tell is the listener, not the owner; nor
    # is the one who asks ("I need: pipeline by owner", "can I get the forecast").
    if re.search(r"\b(?:my|mine)\b|(?<!show )(?<!give )(?<!tell )(?<!let )\bme\b"
                 r"|(?<!\bcan )(?<!\bcould )(?<!\bmay )\bi\b"
                 r"(?!\s+(?:need|want|would|wanna|gotta|have to|must)\b|'d\b)", lower):
        owner = "me"
    else:
        for span in name_spans(text):
            if span.text.lower() in WEEKDAYS + MONTHS:
                continue  # "for Friday's review": a day's, no one's
            before = text[:span.start].rstrip().rsplit(" ", 1)[-1].lower()
            # The span may or may not carry the possessive: "Zebulon's deals".
            said = text[span.start:span.end + 2]
            possessive = said.endswith("'s") or text[:span.end].endswith(("'s", "’s"))
            # ("cuántos deals ganó Rafa": "how many deals won Rafa", as the glossary reads it)
            if (possessive or before in ("did", "does", "has", "by", "for", "rep", "won", "closed")
                    or span.text.split()[0].lower() in FIRST_NAMES
                    or re.match(r"\s+(?:won|closed|lost|booked|signed)\b", text[span.end:])):
                owner = clean_name(span.text)
                break
        said = _LOWER_OWNER.match(text)
        if owner is None and said and said.group(1).lower() not in NOT_NAMES and \
                said.group(1).lower() not in _NO_ONE_S:
            owner = said.group(1)  # "aiyana's open pipeline?", typed in lower case
        owner = owner or lower_owner(text)

    group = re.search(r"\b(?:by|per|each|every|breakdown of|split by|grouped by)\s+"
                      r"(stage|owner|rep|salesperson|person|month|account|customer|company|"
                      r"broker|agent|seller|ae|sdr|advisor|adviser|account exec|producer)s?\b"
                      # "rep-wise", "account wise": Indian English for "by rep"
                      r"|\b(stage|owner|rep|salesperson|person|month|account|customer|company)"
                      r"[- ]?wise\b", lower)
    group_by = None
    if group:
        word = group.group(1) or group.group(2)
        group_by = {"stage": "stage", "month": "month", "account": "account",
                    "customer": "account", "company": "account"}.get(word, "owner")
    elif re.search(r"\bwho(?:'s| has| is| won| closed| sold| booked)?\b.{0,20}\b(?:most|biggest|"
                   r"largest|top|best)\b|\b(?:which|what) (?:rep|salesperson|person|seller)\b"
                   r"|\b(?:top|best) (?:reps?|sellers?|performers?|closers?)\b|\bleaderboard\b",
                   lower):
        group_by = "owner"  # "who has the most open pipeline?": each rep's, the most first
    elif re.search(r"\bmonthly\b|\bmonth[- ](?:by|on|over)[- ]month\b|\btrend\b", lower):
        group_by = "month"  # "monthly trend of won deals this year"
    elif re.search(r"\b(?:biggest|largest|top)\s+(?:\d+\s+)?(?:accounts|customers|clients)\b",
                   lower):
        group_by = "account"  # "biggest accounts in the pipe": by their amount
        measure = measure or "amount"

    stage = find_stage(text)
    if stage in ("won", "lost") or (stage == "lead" and not re.search(r"\bleads?\b", lower)):
        stage = None
    top = re.search(r"\b(?:top|biggest|largest)\s+(\d+|three|five|ten|twenty)\b"
                    r"|\b(\d+)\s+(?:biggest|largest)\b", lower)
    limit = _number(top.group(1) or top.group(2)) if top else None
    if limit is None and re.search(r"\btop deals\b|\b(?:biggest|largest) deals\b", lower):
        limit = TOP_DEFAULT
    elif limit is None and re.search(r"\b(?:biggest|largest|top) (?:\w+ )?deal\b(?!s)", lower):
        limit = 1  # "what's our biggest open deal?": the one
    return PipelineQuery(
        measure=measure, status=status, period=period, owner=owner,  # type: ignore[arg-type]
        stage=stage, group_by=group_by, limit=limit,  # type: ignore[arg-type]
    )


# ------------------------------------------------------------------ the query model's extras
TOP_DEFAULT = 10
_AMOUNT = r"(-\s*)?\$?\s*(-\s*)?(\d[\d,]*(?:\.\d+)?)\s*(k|m|mm|million|thousand|grand|bn)?\b"
_NOT_MONEY = (r"(?!\s*(?:days?|weeks?|months?|years?|deals?|calls?|meetings?|emails?|"
              r"activities|touches|contacts?|reps?|%|percent))")
_MIN_RE = re.compile(r"\b(?:over|above|more than|greater than|bigger than|larger than|at least|"
                     r"min(?:imum)?(?: of)?|north of|>=?)\s*" + _AMOUNT + _NOT_MONEY, _I)
_MAX_RE = re.compile(r"\b(?:under|below|less than|smaller than|at most|up to|max(?:imum)?(?: of)?"
                     r"|<=?)\s*" + _AMOUNT + _NOT_MONEY, _I)
_BETWEEN_RE = re.compile(r"\bbetween\s+" + _AMOUNT + r"\s*(?:and|-|to)\s*" + _AMOUNT, _I)
_SCALE = {"k": 1e3, "thousand": 1e3, "grand": 1e3, "m": 1e6, "mm": 1e6, "million": 1e6,
          "bn": 1e9}
_COMPARE_RE = re.compile(r"\bcompare[ds]?\b|\bvs\.?(?!\w)|\bversus\b|\bcompared (?:to|with)\b"
                         r"|\bagainst\b|\brelative to\b", _I)
_BAD_QUARTER = re.compile(r"\bq(?:uarter\s*)?(0|[5-9]|\d{2,})\b", _I)
_BAD_YEAR = re.compile(r"\b(?:in|of|for|during|since|year|closing|closed|by)\s+"
                       r"(1\d{3}|2[1-9]\d\d|[3-9]\d{3}|\d{5,})\b", _I)
_STAGE_SAID = re.compile(r"\b(?:in|at)\s+(?:the\s+)?([a-z][\w-]*)\s+stage\b|\bstage\s+"
                         r"(?:is\s+)?['\"]?([a-z][\w-]*)", _I)
_CANNOT_RE = re.compile(
    r"\b(?:quota|attainment|margins?|profit(?:ability)?|commissions?|regions?|territor(?:y|ies)|"
    r"products?|skus?|nps|mrr|arr|churn rate|forecast accuracy|renewal rate|lead sources?|"
    r"industr(?:y|ies)|countr(?:y|ies)|discounts? given|revenue per employee)\b", _I)
_KIND_WORDS = {"call": "call", "calls": "call", "meeting": "meeting", "meetings": "meeting",
               "email": "email", "emails": "email", "note": "note", "notes": "note",
               "voice note": "voice_note", "voice notes": "voice_note"}
_KINDS_RE = re.compile(r"\b(voice notes?|calls?|meetings?|emails?|notes?)\b", _I)
_ACTIVITY_RE = re.compile(
    r"\b(?:calls|meetings|emails|notes|activities|activity|touches|touchpoints|logged|log)\b", _I)
_LAST_TOUCH_RE = re.compile(r"\blast (?:touch(?:ed)?|contact(?:ed)?|activity|spoke|talked)\b"
                            r"|\bwhen did (?:we|i|\w+) last\b", _I)
_NONE_RE = re.compile(r"\b(?:no|zero|without(?: any)?) (?:activity|activities|calls|meetings|"
                      r"emails|touches)\b|\bhaven'?t (?:logged|called|touched|had|met)\b"
                      r"|\bnot (?:logged|called|touched)\b|\bwent quiet\b|\bgone (?:quiet|dark)\b"
                      r"|\binactive\b", _I)
_CHANGES_RE = re.compile(
    r"\bwhat(?:'s| has| have)? (?:changed|moved|happened)\b|\bchanges?\b|\bmovement\b"
    r"|\bnew deals\b|\bmoved (?:forward|back(?:wards?)?|ahead|up|down)\b|\badvanced\b"
    r"|\bprogressed\b|\bregressed\b|\bwent back(?:wards)?\b|\bslipped\b|\bpushed (?:out|back)\b",
    _I)
_RISK_RE = re.compile(
    r"\bat[- ]risk\b|\brisky\b|\bin danger\b|\bstuck\b|\bstalled\b|\bstale\b|\bneglected\b"
    r"|\bpast (?:due|their close)\b|\boverdue\b|\bsingle[- ]threaded\b|\bone contact\b"
    r"|\bgone (?:quiet|dark|cold)\b|\b(?:no|without) (?:activity|touches)\b(?=.*\bdeals?\b)"
    r"|\bearly[- ]stage\b|\bstill (?:a )?(?:lead|qualified|in (?:lead|qualified|demo))\b"
    r"|\bdeals?\b.*\b(?:no|without) (?:activity|touches)\b"
    r"|\bdeals?\b.*(?:\bnot|n't|\bnever) (?:been )?(?:touched|contacted|worked)\b", _I)
# "how did we do in Q1? total closed won": a figure named is the figure asked
_FIGURE_NAMED = re.compile(r"\b(?:total|how many|how much|count|sum|amount|revenue|win[ -]?rate|"
                           r"average|avg|weighted|forecast)\b", _I)
_SCORECARD_RE = re.compile(
    r"\bscorecard\b|\bhow (?:is|'s|am|are|was|did|has) (?P<who>[\w' -]{1,30}?) (?:doing|do|done)\b"
    r"|\b(?P<whose>my|\w+'s) numbers\b|\bnumbers for (?P<for>[\w' -]{1,30}?)(?:\s+(?:this|last|"
    r"in|for)\b|[?.!]*$)|\bperformance\b", _I)


def _money_value(sign1: str | None, sign2: str | None, num: str, scale: str | None) -> float:
    value = float(num.replace(",", "")) * _SCALE.get((scale or "").lower(), 1)
    return -value if (sign1 or sign2) else value


def _amounts(text: str, unread: list[str]) -> tuple[float | None, float | None]:
    """At least / at most, from "over 50k", "under $10,000", "between 10k and 50k"."""
    low = high = None
    between = _BETWEEN_RE.search(text)
    if between:
        g = between.groups()
        low, high = _money_value(*g[:4]), _money_value(*g[4:])
        if low > high:
            low, high = high, low
    else:
        m = _MIN_RE.search(text)
        low = _money_value(*m.groups()) if m else None
        m = _MAX_RE.search(text)
        high = _money_value(*m.groups()) if m else None
    for value, said in ((low, "at least"), (high, "at most")):
        if value is not None and value < 0:
            unread.append(f"an amount {said} {_said_money(value)} (amounts can't be negative)")
    low = low if low is None or low >= 0 else None
    high = high if high is None or high >= 0 else None
    if low is not None and high is not None and low > high:
        unread.append(f"over {_said_money(low)} and under {_said_money(high)} at once "
                      "(no deal can be both)")
        low = high = None
    return low, high


def _said_money(value: float) -> str:
    sign = "-" if value < 0 else ""
    return f"{sign}${abs(value):,.0f}"


def _owners(text: str) -> list[str]:
    """Several reps named together: "Diego and Priya's deals", "deals for Diego, Sam"."""
    names: list[str] = []
    for span in name_spans(text):
        parts = re.split(r"\s*(?:,|\band\b|&|\bor\b)\s*", clean_name(span.text))
        parts = [clean_name(p) for p in parts if p]
        if len(parts) > 1 and all(p.split()[0].lower() in FIRST_NAMES for p in parts):
            names += parts
    return names


def _stages(text: str) -> list[str]:
    """Every stage named, in order ("in demo or proposal")."""
    found: list[str] = []
    for chunk in re.split(r"\s*(?:,|/|\bor\b|\band\b|\bplus\b)\s*", text, flags=_I):
        stage = find_stage(chunk)
        if stage and stage not in ("won", "lost") and stage not in found:
            if stage == "lead" and not re.search(r"\blead\b", chunk, _I):
                continue
            found.append(stage)
    return found


def _shifted_back(period: Period) -> Period:
    """The period just before `period`, of the same shape (a month, a quarter, a year)."""
    start, end = period.start, period.end
    if start.day == 1 and end == month_end(end.year, end.month):
        months = (end.year - start.year) * 12 + end.month - start.month + 1
        first = add_months(start, -months)
        last = add_months(start, -1)
        return Period(start=first, end=month_end(last.year, last.month))
    length = end - start + dt.timedelta(days=1)
    return Period(start=start - length, end=end - length)


def _periods(text: str, now: dt.datetime, past: bool) -> list[tuple[Period, tuple[int, int]]]:
    found = []
    rest = text
    for _ in range(3):
        hit = find_period(rest, now, past=past)
        if hit is None:
            break
        found.append(hit)
        start, end = hit[1]
        rest = rest[:start] + " " * (end - start) + rest[end:]
    return sorted(found, key=lambda h: h[1][0])


def _activity(text: str, lower: str, group_by: str | None) -> ActivityAsk | None:
    kinds = sorted({_KIND_WORDS[k.lower()] for k in _KINDS_RE.findall(text)})
    if _LAST_TOUCH_RE.search(text):
        by = "owner" if re.search(r"\b(?:each|every|per|by) (?:rep|owner)\b", lower) \
            else "account"
        return ActivityAsk(measure="last_touch", kinds=kinds or None, by=by)  # type: ignore
    if _NONE_RE.search(text) and not re.search(r"\bdeals?\b", lower):
        by = "account" if re.search(r"\baccounts?\b|\bcustomers?\b|\bcompan", lower) else "owner"
        return ActivityAsk(measure="none", kinds=kinds or None, by=by)  # type: ignore
    counting = re.search(r"\bhow many\b|\bnumber of\b|\bcount\b|\b(?:each|per|by) "
                         r"(?:rep|owner|account|week|month)\b|\blogged\b|\bactivity\b", lower)
    if (kinds or re.search(r"\bactivit(?:y|ies)\b|\btouches\b", lower)) and counting \
            and not re.search(r"\bdeals?\b", lower):
        by = "owner"
        if re.search(r"\b(?:each|per|by) (?:account|customer|company)\b", lower):
            by = "account"
        elif re.search(r"\b(?:each|per|by) week\b|\bweekly\b", lower):
            by = "week"
        elif re.search(r"\b(?:each|per|by) month\b|\bmonthly\b", lower) or group_by == "month":
            by = "month"
        return ActivityAsk(measure="count", kinds=kinds or None, by=by)  # type: ignore
    return None


# What a question about changes or risk narrows to: (kind, words that ask for it).
_CHANGE_KINDS = tuple((kind, re.compile(pattern)) for kind, pattern in (
    ("new", r"\bnew deals\b|\bdeals (?:created|added|opened)\b"),
    ("forward", r"\bmoved (?:forward|ahead|up)\b|\badvanced\b|\bprogressed\b"),
    ("back", r"\bmoved (?:back(?:wards?)?|down)\b|\bregressed\b|\bwent back"),
    ("slipped", r"\bslipped\b|\bpushed (?:out|back)\b|\bclose dates? (?:moved|changed)"),
    ("amount", r"\bamounts? (?:changed|changes|went)|\bresized\b|\bre-?valued\b"),
))
_RISK_KINDS = tuple((kind, re.compile(pattern)) for kind, pattern in (
    ("overdue", r"\bpast (?:due|their close)\b|\boverdue\b"),
    ("quiet", r"\bstale\b|\bgone (?:quiet|dark|cold)\b|\bno activity\b|\bneglected\b"
              r"|\bwithout (?:activity|touches)\b|\bno touches\b"
              r"|(?:\bnot|n't|\bnever) (?:been )?(?:touched|contacted|worked)\b"),
    ("stuck", r"\bstuck\b|\bstalled\b"),
    ("single_contact", r"\bsingle[- ]threaded\b|\bone contact\b"),
    ("early_close", r"\bearly[- ]stage\b|\bstill (?:a )?(?:lead|qualified|in )"),
))


def _kinds_asked(lower: str, table: tuple[tuple[str, re.Pattern[str]], ...]) -> list[str]:
    return [kind for kind, pattern in table if pattern.search(lower)]


def _changes(text: str, lower: str) -> list[str] | None:
    if not _CHANGES_RE.search(text) or re.search(r"\bchange (?:the |a )?(?:stage|amount)", lower):
        return None
    return _kinds_asked(lower, _CHANGE_KINDS)


def _risk(text: str, lower: str) -> list[str] | None:
    if not _RISK_RE.search(text):
        return None
    return _kinds_asked(lower, _RISK_KINDS)


def _refine(text: str, now: dt.datetime, query: PipelineQuery) -> PipelineQuery:
    """Add what the contract's keys cannot say; say back what could not be read."""
    lower = text.lower()
    unread: list[str] = []
    extra: dict = {}
    cannot = _CANNOT_RE.search(text)
    if cannot:
        extra["cannot"] = cannot.group(0)
    for m in _BAD_QUARTER.finditer(text):
        unread.append(f"'{m.group(0)}' (quarters run Q1 to Q4)")
    for m in _BAD_YEAR.finditer(text):
        unread.append(f"the year {m.group(1)} (I read years 2000 to 2099)")
    for m in _STAGE_SAID.finditer(text):
        word = m.group(1) or m.group(2)
        if word and find_stage(word) is None and word.lower() not in ("each", "every", "which",
                                                                        "what", "this", "that",
                                                                        "lead", "leads", "please",
                                                                        "pls", "plz", "thanks"):
            unread.append(f"the stage '{word}' (stages: lead, qualified, demo, proposal, "
                          "negotiation, won, lost)")
    low, high = _amounts(text, unread)
    if low is not None:
        extra["min_amount"] = low
    if high is not None:
        extra["max_amount"] = high
    owners = _owners(text)
    if len(owners) > 1:
        extra.update(owners=owners, owner=None)
    team = re.search(r"\b(my|our)\s+team\b|\b([A-Z][\w-]+)'s\s+team\b", text)
    if team:
        extra.update(team="me" if team.group(1) else team.group(2), owner=None)
    stages = _stages(text)
    if len(stages) > 1:
        extra.update(stages=stages, stage=None)
    # ("closing in the next 30 days" is a period ahead, not 30 quiet days)
    days = re.search(r"(?<!\bnext )(?<!\bcoming )\b(\d{1,4})\+?\s*(days?|weeks?|months?)\b", lower)
    if days and int(days.group(1)) >= 1:
        per = {"d": 1, "w": 7, "m": 30}[days.group(2)[0]]  # "in 2 weeks": 14 days
        extra["quiet_days"] = min(int(days.group(1)) * per, 3650)

    if _COMPARE_RE.search(text):
        periods = _periods(text, now, past=True)
        if len(periods) >= 2:
            extra.update(period=periods[0][0], compare=periods[1][0])
        elif len(periods) == 1:
            extra.update(period=periods[0][0], compare=_shifted_back(periods[0][0]))
        else:
            unread.append("which two periods to compare (say e.g. 'Q3 vs Q4')")

    activity = _activity(text, lower, query.group_by)
    changes = None if activity else _changes(text, lower)
    risk = None if activity or changes is not None else _risk(text, lower)
    scorecard = _SCORECARD_RE.search(text) if activity is None and changes is None \
        and risk is None and not _FIGURE_NAMED.search(text) else None
    if activity is not None:
        extra.update(activity=activity, measure=None, status=None, group_by=None)
    elif changes is not None:
        # "how many new deals were created last month": a count of them
        extra.update(changes=changes, status=None,
                     measure="count" if re.search(r"\bhow many\b|\bnumber of\b", lower) else None)
        if query.period is None:
            found = find_period(text, now, past=True)
            extra["period"] = found[0] if found else None
    elif risk is not None:
        extra.update(risk=risk, measure=None, status="open")
    elif scorecard is not None:
        who_said = scorecard.group("who") or scorecard.group("whose") or scorecard.group("for")
        who_said = clean_name(who_said or "me")
        owner = "me" if who_said.lower() in ("i", "me", "my", "you") else who_said
        extra.update(scorecard=True, owner=owner if owner.lower() not in ("we", "the team", "team")
                     else None, measure=None, status=None)
        if query.period is None:
            found = find_period(text, now, past=True)
            extra["period"] = found[0] if found else None
    elif query.status is None and query.measure not in ("win_rate", "cycle_days") and \
            re.search(r"\bclos(?:ing|es)\b|\bdue to close\b|\bexpected to close\b", lower):
        extra["status"] = "open"  # "closing this month" is still open, never won or lost
    if query.measure == "amount" and query.limit is None and "compare" not in extra and \
            re.search(r"^(?:show|list|see|view|get|which|what are|give)\b.*\bdeals\b"
                      r"|^(?:my|\w+'s|all|open) deals\b", polite_stripped(lower)) and \
            not re.search(r"\bhow much\b|\btotal\b|\bsum\b|\bamount\b|\bvalue\b|\brevenue\b",
                          lower):
        extra["measure"] = None  # a list of deals was asked for, not a sum
        if query.status is None and extra.get("status") is None:
            extra["status"] = "open"
    if unread:
        extra["unread"] = unread
    return query.model_copy(update=extra)


# "aiyana's open pipeline?": a rep named in lower case, whose figures are asked for
_LOWER_OWNER = re.compile(r"^(?:and\s+|what about\s+|how about\s+)?([a-z][\w-]{2,})'s\s+"
                          r"(?:(?:open|won|lost|total|weighted|current)\s+)*"
                          r"(?:pipeline|pipe|deals|forecast|numbers|win rate|quota)\b")
_NO_ONE_S = frozenset(("today", "team", "everyone", "everybody", "company", "month", "week",
                       "year", "quarter", "region", "branch", "yesterday", "tomorrow", "what",
                       "who", "where", "how", "that", "there", "here", "it", "let"))


# "pipeline do joao pedro", "quantos deals a rita ganhou", "los deals q lleva martin rosales":
# a rep typed in lower case, after an article or "of" as Spanish and Portuguese say it
_LOWER_REP = re.compile(r"\b(?:de|do|da|del|of|for|by|a|o|la|el|lleva|tiene|tem)\s+"
                        r"(?P<n>[a-zà-ÿ]{3,}(?:\s+[a-zà-ÿ]{3,})?)\b")


_MINE_SAID = frozenset(("mio", "mío", "mia", "mía", "meu", "minha", "mine", "tuo", "suo", "seu"))


def lower_owner(text: str) -> str | None:
    """A rep named in lower case (a given name the lists know, and maybe a family name)."""
    for m in _LOWER_REP.finditer(text):
        words = m.group("n").split()
        if words[0] in FIRST_NAMES and words[0] not in NOT_NAMES and words[0] not in _MINE_SAID:
            if len(words) == 2 and words[1] not in FIRST_NAMES and words[1] not in SURNAMES:
                words = words[:1]
            return " ".join(words)
    return None


QueryHandler = Callable[[str, dt.datetime], Action]


def match_query(text: str, *, first_clause_is_action: bool) -> QueryHandler | None:
    """The handler for a message that is one whole request, or None for action messages."""
    body = polite_stripped(text)
    if not body or HELP_RE.fullmatch(body) or HELP_ASK_RE.search(body):
        return help_action if body else None
    if DIGEST_RE.search(body):
        return digest_action
    if COMPLETE_RE.search(body) and not _NEW_TASK_ASKED.search(body):
        return complete_action
    if DRAFT_RE.search(body):
        return draft_action
    if SUMMARIZE_RE.search(body):
        return summarize_action
    if LIST_TASKS_RE.search(body):
        return list_tasks_action
    if first_clause_is_action or STARTS_DELETING.match(body):
        return None  # "delete all of Pedro's deals" asks for no list
    if HOT_LEADS_RE.search(body):
        return hot_leads_action
    if TIMELINE_RE.search(body):
        return timeline_action
    if PIPELINE_RE.search(body):
        return pipeline_action
    return None

