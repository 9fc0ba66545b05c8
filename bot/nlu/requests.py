"""Whole-message requests added to the contract after `queries`: finishing and deleting a
task in its many phrasings, stopping a digest, listing deals, and greetings as help.

`match_request(text)` returns the actions, or None when the message is not one of these.
It runs before `queries.match_query`, so "done: send pricing" is never read as a new task
and "unsubscribe #sales" never as a subscription. Several requests chained with "then"
("done: call Hiroshi, then show me my overdue tasks") give one action each.
"""

from __future__ import annotations

import datetime as dt
import re

from bot.nlu.actions import (
    Action,
    AiAdmin,
    CompleteTask,
    DeleteTask,
    Help,
    ListDeals,
    UnsubscribeDigest,
)
from bot.nlu.dates import find_period
from bot.nlu.entities import clean_name, find_stage, is_company, name_spans, named_after_someone
from bot.nlu.lexicon import AN_ENCOUNTER, DELETE_VERBS, FIRST_NAMES, NOT_NAMES, STARTS_DELETING
from bot.nlu.lexicon import GREETING as _GREETING
from bot.nlu.queries import lower_owner
from bot.nlu.text import first_tested, word_led

_I = re.IGNORECASE
_EMOJI = re.compile(r"[\u2600-\u27bf\U0001F000-\U0001FAFF\ufe0f\u200d]+")
# Greetings in the languages reps write in ("bonjour", "namaste", "kia ora") ask for help;
# a closing ("thanks!", "cheers") asks for nothing, so alone it is no request.
_CLOSING = r"(?:thanks|thank you|thx|ty|cheers|ta|merci|gracias|danke|grazie|obrigad[oa])"
_GREETINGS = re.compile(rf"^(?:(?:{_GREETING}|{_CLOSING})(?:\s+(?:bot|salesbot|there|team|all|"
                        r"(?:so|very) much|a lot|mate|ji|san|everyone|folks|guys|y'all))?"
                        r"[\s,.!?:;-]*)+", _I)
_CLOSINGS = re.compile(rf"^(?:{_CLOSING}(?:\s+(?:bot|salesbot|there|team|all|(?:so|very) much|"
                       rf"a lot|mate))?[\s,.!?:;-]*)+$", _I)
# Questions about the bot itself: "what can you do", "how does this bot work".
_ABOUT_BOT = word_led(
    r"^(?:so\s+|ok\s+|and\s+)?(?:i'?m\s+)?(?:new here[\s,.!?-]*)?"
    r"(?:what|how|which|where)\b.{0,40}?\b(?:you|u|bot|salesbot|it|this(?: thing)?"
    r"(?!\s+(?:month|week|quarter|year|period|deal|pipe|time|one)))\b.{0,30}?"
    r"\b(?:do|does|work|works|help|ask|say|use|able|handle|for|support|commands?)\b"
    r"|\b(?:ask|say to|tell|use) (?:you|u|the bot|salesbot|this bot)\b"
    r"|^(?:i'?m\s+)?new here\b|^(?:show me )?(?:the )?(?:commands|examples|menu|help)\b"
    r"|^how (?:do|can|should) i (?:use|start|get started|talk to)\b|^get(?:ting)? started\b",
    _I,
)
_CRM_WORDS = re.compile(
    r"\b(?:deals?|pipe(?:line)?|tasks?|contacts?|accounts?|leads?|forecast|digest|remind"
    r"|called|met|emailed|quota|revenue|won|lost|closed|total|q[1-4]|quarter|month|year)\b",
    _I,
)

_TASK_WORD = r"(?:task|todo|to-do|to do|reminder|item)s?"
_DELETE = re.compile(
    r"^" + DELETE_VERBS + r"\s+"
    r"(?:the\s+|my\s+|that\s+|this\s+)?"
    rf"(?:(?P<pre>{_TASK_WORD}|one(?=\s+(?:about|for|re)\b))\b\s*[:\-]?\s*"
    r"(?:(?:about|to|for|called|named|re|that says)\s+)?)?"  # "the one about X": a task
    r"(?P<title>.+?)"
    rf"(?:\s+(?:from|off|in) (?:my |the )?(?:{_TASK_WORD}|list))?\s*$",
    _I,
)
_DONE = re.compile(
    # "done: X", "done with X", "done - X"
    r"^(?:(?:i'?m|i am|i'?ve|i have|i|just|all|mark)\s+)*(?:done|finished|completed|did)"
    r"(?:\s*[:\-]\s*|\s+with\s+|\s+)(?P<a>.+)$"
    # "mark X done", "mark X as complete", "tick X off"
    # (not "set a task to get the docs done by Friday": a task to do, by a day)
    r"|^(?:mark|set|tick|flag|check)\s+(?!(?:me\s+)?(?:a|an|up a)\s+(?:task|reminder|to-?do)\b)"
    r"(?P<b>.+?)\s+(?:as\s+)?(?:done|complete|completed|finished|off|closed)\b"
    r"(?!\s+(?:by|before|on|tomorrow|next|this|until|in)\b)"
    # "check off X", "tick off X", "cross off X", "complete X", "close the task X"
    r"|^(?:check off|tick off|cross off|strike|complete|close out|close)\s+(?P<c>.+)$"
    # "X is done", "X - done", "X: done ✅"
    r"|^(?P<d>.+?)\s*(?:\bis\b|\bare\b|\bwas\b|\bgot\b|[:\-,])\s*(?:all\s+)?(?:done|complete|"
    r"completed|finished|sorted|handled)\b",
    _I,
)
_NOT_A_TASK = re.compile(
    r"\b(?:deal|demo stage|negotiation|proposal|qualified|closed won|closed lost|signed|date|"
    r"signature|signing|contract)\b",
    _I,
)
_UNSUBSCRIBE = word_led(
    r"\b(?:unsubscribe|unsub|opt out)\b"
    r"|\b(?:don'?t|do not|no longer)\s+(?:want|need)\b.{0,40}\b(?:digests?|summary|summaries|"
    r"recaps?|reports?)\b|\b(?:digests?|summary|summaries|recaps?|reports?)\b.{0,40}\banymore\b"
    r"|\b(?:stop|turn off|switch off|cancel|disable|pause|remove|kill|end|mute|no more|"
    r"don'?t (?:send|post)|stop (?:sending|posting))\b.{0,60}\b(?:digests?|summary|summaries|"
    r"report|recap)\b",
    _I,
)
_CHANNEL = re.compile(r"#([\w-]+)|\b(?:in|from|for|to|on)\s+(?:the\s+)?([\w-]+)\s+channel\b", _I)

# Deal lists: any mention of deals that asks for no figure, ranking or period.
_DEALS_WORD = re.compile(r"\b(?:deals?|opps?|opportunities)\b", _I)
_OPEN_AT = re.compile(r"^(?:what'?s|what is|whats|anything)\s+(?:still\s+)?open\s+"
                      r"(?:at|with|for)\s+(?P<a>.+?)[\s?!.]*$", _I)
_FIGURES = re.compile(
    r"\b(?:how many|how much|number of|count|total|sum|average|avg|mean|median|top|biggest|"
    r"largest|smallest|win[ -]?rate|cycle|forecast|weighted|value|worth|size|revenue|"
    r"pipe(?:line)?|closing|closes|close|closed|won|lost|win|lose|losing|book(?:ed|ings)?|"
    r"new deal|create|add|log|move|moved|mark|update|by (?:stage|owner|rep|month|account))\b"
    r"|\$|\d",
    _I,
)
_OWNER_OF = re.compile(
    r"(?P<n>(?:[A-Z\u00c0-\u00de][\w\u00c0-\u024f.'-]*\s+){0,3}[\w\u00c0-\u024f][\w\u00c0-\u024f.'-]*)'s"
    r"\s+(?:(?:open|active|current|won|lost|all)\s+)*(?:deals?|opps?)\b"
    r"|\bdeals? of (?P<o>[A-Z\u00c0-\u024f][\w\u00c0-\u024f'-]*)\b"  # "the deals of Katrin"
    r"|\bdeals? (?:owned|run|worked) by (?P<w>[A-Z\u00c0-\u024f][\w\u00c0-\u024f'-]*"
    r"(?:\s+[A-Z\u00c0-\u024f][\w\u00c0-\u024f'-]*)?)"  # "list deals owned by Wei Ling"
    r"|\bdeals?\s+(?:does|do|has|did)\s+(?P<m>[A-Z\u00c0-\u024f][\w\u00c0-\u024f'-]*"
    r"(?:\s+[A-Z\u00c0-\u024f][\w\u00c0-\u024f'-]*)?)\s+(?:have|own|got|run)",
)
_ACCOUNT_OF = re.compile(r"\b(?:at|for|with|on)\s+(?P<a>.+?)[\s?!.]*$"
                         # "list Lakeside Aggregates deals"
                         r"|^(?:list|show|show me|see|pull up)\s+(?P<b>(?-i:[A-Z])[\w&.'-]*"
                         r"(?:\s+[\w&.'-]+){0,4}?)(?<!'s)\s+(?:open\s+)?deals\b", _I)


def _clean(text: str) -> str:
    return " ".join(_EMOJI.sub(" ", text).split()).strip(" .!?")


def _title(text: str) -> str:
    """A task title as said: without quotes, "the task", "as done" and emoji."""
    text = _clean(text)
    quoted = re.search(r"['\"\u2018\u201c]([^'\"\u2019\u201d]{2,})['\"\u2019\u201d]", text)
    if quoted:
        return quoted.group(1).strip()
    text = re.sub(rf"^(?:the|my|that|this)\s+|^(?:{_TASK_WORD})\s*[:\-]?\s*", "", text, flags=_I)
    text = re.sub(rf"^(?:the|my|that|this)\s+|^(?:{_TASK_WORD})\s*[:\-]?\s*", "", text, flags=_I)
    text = re.sub(r"^(?:about|to|for|called|named|re)\s+", "", text, flags=_I)
    text = re.sub(rf"\s+{_TASK_WORD}$|\s+(?:as\s+)?(?:done|complete|completed|finished)$", "",
                  text, flags=_I)
    return text.strip(" .!?:-")


def _help(body: str) -> Action | None:
    said = _clean(body)
    rest = _GREETINGS.sub("", said).strip(" ,.!?")
    if not rest:
        # emoji alone is not a greeting, nor is a closing
        return Help() if said and not _CLOSINGS.match(said) else None
    if _ABOUT_BOT.search(rest) and not _CRM_WORDS.search(rest) or _HOW_DO_I.match(rest):
        return Help()
    return None


# "how do I add a new contact?": how to use the bot, whatever it names
_HOW_DO_I = re.compile(r"how (?:do|can|should|would) (?:i|we|you)\s+(?:add|log|create|set|make|"
                       r"delete|remove|record|update|move|mark|subscribe|unsubscribe|see|get|"
                       r"find|change|edit|undo)(?:(?!(?:is|are|was|were|did)).)*\?*$", _I)


# The admins' model switch (`/crm ai status|on|off|feedback`): whole messages only, so
# no CRM sentence is ever read as one ("AI" alone is never a company here).
_MODEL = r"(?:the\s+)?(?:ai|a\.i\.|model|llm|gpt)"
_THUMBS_DOWN = r"(?:👎|:-1:|:thumbsdown:|thumbs?[ -]?downs?|down[ -]?votes?|bad ratings?)"
_AI_ADMIN = re.compile(
    rf"^(?:/crm\s+)?{_MODEL}(?:\s+(?P<what>status|usage|budget|on|off|enable|disable|"
    rf"feedback|ratings?|{_THUMBS_DOWN}))?$"
    rf"|^(?:turn|switch|set)\s+{_MODEL}\s+(?P<set>on|off)$"
    rf"|^(?:turn|switch)\s+(?P<set2>on|off)\s+{_MODEL}$"
    rf"|^(?P<set3>enable|disable)\s+{_MODEL}$"
    rf"|^(?:show\s+(?:me\s+)?|list\s+)?(?:the\s+)?(?P<fb>recent|latest|last)\s+{_THUMBS_DOWN}$",
    _I,
)
_AI_WHAT = {"enable": "on", "disable": "off", "usage": "status", "budget": "status",
            "status": "status", "on": "on", "off": "off", "feedback": "feedback"}


def _ai_admin(body: str) -> Action | None:
    m = _AI_ADMIN.match(" ".join(body.split()).strip(" .!?"))
    if m is None:
        return None
    said = "feedback" if m.group("fb") else (
        m.group("what") or m.group("set") or m.group("set2") or m.group("set3") or "status")
    # A command said in full: sure (the classifier was never taught this intent).
    return AiAdmin(what=_AI_WHAT.get(said.lower(), "feedback"),  # type: ignore[arg-type]
                   confidence=1.0)


def _complete(body: str) -> Action | None:
    text = _clean(body)
    if re.search(r"\b(?:won|lost|closed[- ](?:won|lost))\b", text, _I):
        return None  # "mark Nimbus closed lost" moves a deal
    if re.match(r"(?:did|have|has)\s+(?:we|you|u|they|he|she|it|the team)\b", text, _I) or (
            re.match(r"did\b", text, _I) and body.rstrip().endswith("?")):
        return None  # "did we win the Acme deal?", "did the clocks change?" ask
    m = _DONE.match(text)
    if m is None:
        m2 = re.match(rf"^(?:i\s+)?(?:finished|completed|did)\s+(?:the\s+)?(?P<t>.+?)\s+"
                      rf"{_TASK_WORD}$", text, _I)
        return CompleteTask(title=_title(m2.group("t"))) if m2 else None
    said = next(g for g in m.groups() if g)
    if re.match(r"for (?:the |to)?(?:day|week|night|weekend|now)\b|here\b|now\b", said, _I):
        return None  # "ok I'm done for the week 🍹": the day ends, no task does
    # "X is done" with a deal or a stage is news about a deal, not a finished task.
    if _NOT_A_TASK.search(said) and not re.search(_TASK_WORD, said, _I) and \
            m.group("a") is None and not said.startswith(("'", '"')):
        # ("done: send contract to Oksana" and "'send the contract' - done" are tasks)
        return None
    if m.group("d") is not None and not re.search(
            rf"{_TASK_WORD}|^(?:the\s+|my\s+)?(?:call|email|send|ping|book|prep|follow|check|"
            r"review|draft|update|"
            r"submit|finish|schedule)\b|['\"]", said, _I) and not re.search(
            r"\b(?:close|complete|tick off|check off|mark)\b.{0,12}\btask\b", text, _I):
        return None  # "the demo is done" is news; "send pricing is done" is a task
    if m.group("a") is not None and re.match(AN_ENCOUNTER, said, _I):
        return None  # "did a call with Ana", "just did a site visit at Kessler" log it
    title = _title(re.sub(rf"\s+{_TASK_WORD}$", "", said, flags=_I))
    return CompleteTask(title=title) if title else None


def delete_action(body: str, *, cue_needed: bool = True) -> Action | None:
    """`delete_task` with the title as said; without `cue_needed` (the classifier already
    read a deletion) the whole request is the title when no "delete the task" is said."""
    m = _DELETE.match(_clean(body))
    if m is None:
        title = "" if cue_needed else _title(body)
        return DeleteTask(title=title) if title else None
    said = m.group(0)
    # "remove the task X" or a task word or quotes anywhere; "remove Acme" alone is not a task
    # (nor "Pedro's deals": an apostrophe inside a word quotes nothing).
    if not (m.group("pre") or re.search(rf"\b{_TASK_WORD}\b|(?<!\w)['\"\u2018\u201c]", said, _I)):
        return None
    title = _title(m.group("title"))
    return DeleteTask(title=title) if title else None


def unsubscribe_action(body: str, *, cue_needed: bool = True) -> Action | None:
    """`unsubscribe_digest`: the channel and cadence said, if any."""
    if cue_needed and not _UNSUBSCRIBE.search(body):
        return None
    channel = _CHANNEL.search(body)
    cadence = re.search(r"\b(daily|weekly)\b", body, _I)
    return UnsubscribeDigest(
        channel=(channel.group(1) or channel.group(2)) if channel else None,
        cadence=cadence.group(1).lower() if cadence else None,  # type: ignore[arg-type]
    )


def _owner(text: str) -> str | None:
    if re.search(r"\b(?:my|mine)\b|\bdo i\b|\bi (?:have|own|won|lost|closed|signed)\b", text, _I):
        return "me"
    m = _OWNER_OF.search(text)
    name = clean_name((m.group("n") or m.group("m") or m.group("o") or m.group("w")) if m else "")
    if not name or name.lower() in ("team", "our", "the team", "everyone", "everybody") or \
            name.split()[-1].lower() in ("team", "company"):
        return None
    if name.split()[0].lower() in NOT_NAMES:
        words = name.split()[1:]
        return " ".join(words) if words else None
    return name


_LIST_START = re.compile(
    r"^(?:(?:show|list|pull up|pull|get|see|view|give|display|find|gimme|bring up|what are|"
    r"what're|which|whats|what's|what)\b(?:\s+me)?|my\b|all\b|open\b|active\b|the team'?s\b|"
    r"our\b|deals?\b|[\w\u00c0-\u024f.'-]+(?:\s+[\w\u00c0-\u024f'-]+)?'s\s+(?:\w+\s+)?deals?\b)",
    _I,
)


def _list_deals(body: str, now: dt.datetime) -> Action | None:
    if not _LIST_START.match(_clean(body)):
        return None
    return list_deals_action(body, now)


def list_deals_action(body: str, now: dt.datetime) -> Action | None:
    """`list_deals`: owner, account, stage, status; None when it asks for figures, or for
    deals deleted ("delete all of Pedro's deals": nothing the bot does)."""
    text = _clean(body)
    if STARTS_DELETING.match(text):
        return None
    open_at = _OPEN_AT.match(text)
    if open_at:
        return ListDeals(account=clean_name(open_at.group("a")), status="open")
    # "Lucía's won deals": a won or lost list names the status, it asks for no figure.
    # ... and "the deals we lost", "opps I won last"
    closed = re.search(r"\b(won|lost)\s+(?=(?:deals?|opps?|opportunities)\b)"
                       r"|(?<=deals )(?:(?:that|which)\s+)?(?:we|i|you|they)?\s*(won|lost)\b"
                       r"|(?<=opps )(?:(?:that|which)\s+)?(?:we|i|you|they)?\s*(won|lost)\b",
                       text, _I)
    plain = text[:closed.start()] + text[closed.end():] if closed else text
    if not _DEALS_WORD.search(text) or _FIGURES.search(plain.replace("'s ", " ")) or \
            find_period(text, now, past=False) or _asks_more_than_a_list(text, now):
        return None
    status = next(g for g in closed.groups() if g).lower() if closed else None
    if re.search(r"\b(?:open|active|current|live|in play)\b", text, _I):
        status = "open"
    stage = find_stage(plain)
    if stage in ("lead",) and not re.search(r"\blead\b", text, _I):
        stage = None
    account = None
    owner = _owner(text)
    if owner and owner != "me" and len(owner.split()) > 1 and is_company(owner):
        account, owner = owner, None  # "Hospital San Judas Tadeo's deals": the account's
    m = _ACCOUNT_OF.search(text)
    if m and m.group("b") and m.group("b").split()[0].lower() in FIRST_NAMES and owner is None \
            and not named_after_someone(m.group("b").split()):
        owner, m = m.group("b"), None  # "list Katarzyna deals": whose, not whose account
    if m:
        named = m.group("a") or m.group("b")
        spans = name_spans(named)
        said = spans[0].text if spans else named
        if not find_stage(said) and said.split()[0].lower() not in NOT_NAMES and \
                clean_name(said) != owner:  # ("show Renata's won deals": hers, no account)
            account = clean_name(said)
    if owner is None and account is None:
        owner = lower_owner(text)  # "los deals q lleva martin rosales"
    if owner is None and account and account.lower() in FIRST_NAMES and \
            re.search(rf"\bfor {re.escape(account)}\W*$", text):
        owner, account = account, None  # "all deals in proposal stage for Kwame": his
    return ListDeals(owner=owner, account=account, stage=stage,  # type: ignore[arg-type]
                     status=status)  # type: ignore[arg-type]


# The query model's keys beyond a plain list: a question with any of them (a threshold,
# several stages, a risk list, a stage that does not exist...) is a pipeline_query.
_QUERY_EXTRAS = ("min_amount", "max_amount", "owners", "team", "stages", "compare", "activity",
                 "changes", "risk", "quiet_days", "scorecard", "unread", "cannot")


def has_query_extras(query: Action) -> bool:
    """Whether a pipeline question uses the query model beyond the contract's keys."""
    return any(getattr(query, key, None) not in (None, False) for key in _QUERY_EXTRAS)


def _asks_more_than_a_list(text: str, now: dt.datetime) -> bool:
    from bot.nlu.queries import pipeline_action  # queries imports this module's helpers

    return has_query_extras(pipeline_action(text, now))


_THEN = first_tested(
    r"(?=[\s,;.])",
    r"\s*(?:,|;|\.)?\s+(?:and\s+)?then\s+|\s*;\s*"
    r"|\s*,?\s+and\s+(?=(?:also\s+)?(?:delete|remove|mark|check off|tick off|show|list)\b)",
    _I,
)


# "move the weekly digest from #sales to #sales-na": it stops in one channel, starts in another.
_DIGEST_MOVED = re.compile(
    r"\b(?:move|switch|change|shift|transfer)\s+(?:the\s+|our\s+|my\s+)?(?:(?:daily|weekly)\s+)?"
    r"(?:digest|summary|recap|report)\s+from\s+(?:the\s+)?#?(?P<old>[\w-]+)(?:\s+channel)?\s+"
    r"(?:to|over to|into)\s+(?:the\s+)?#?(?P<new>[\w-]+)", _I)


def _digest_moved(body: str, now: dt.datetime) -> list[Action] | None:
    moved = _DIGEST_MOVED.search(body)
    if moved is None:
        return None
    from bot.nlu.queries import digest_action

    started = digest_action(body[:moved.start("old")] + body[moved.end("new"):], now)
    started.channel = moved.group("new")
    stopped = UnsubscribeDigest(channel=moved.group("old"), cadence=started.cadence)
    return [stopped, started]


def match_request(text: str, body: str, now: dt.datetime) -> list[Action] | None:
    """The actions of a message that is one of these requests (or a chain of them)."""
    if (moved := _digest_moved(body, now)) is not None:
        return moved
    parts = [p for p in _THEN.split(body) if p.strip()]
    if len(parts) > 1:
        from bot.nlu.queries import match_query  # the chained part may be an older request

        first = _one(parts[0], now)
        if first is None:
            return None
        actions = [first]
        for part in parts[1:]:
            found = _one(part, now)
            if found is None:
                handler = match_query(part, first_clause_is_action=False)
                if handler is None:
                    return None
                found = handler(part, now)
            actions.append(found)
        return actions
    one = _one(body, now)
    return [one] if one else None


def _one(body: str, now: dt.datetime) -> Action | None:
    body = re.sub(r"^(?:(?:please|pls|plz|can you|could you|can u|would you|kindly)\s+)+", "",
                  body.strip(), flags=_I)
    for find in (_ai_admin, _help, unsubscribe_action, delete_action, _complete):
        found = find(body)
        if found is not None:
            return found
    return _list_deals(body, now)
