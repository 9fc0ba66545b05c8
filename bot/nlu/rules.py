"""The offline rules engine: text → actions, with no network and no database.

Grammar, in order:
1. `text.normalize` expands slang ("w/", "f/u", "tmrw") and fixes mistyped cue words.
2. A message that is one request (a question, help, a digest, a task list, ...) is
   answered by `queries.match_query`.
3. Otherwise the message is split into clauses (commas, "and", " - ", ";"). A clause
   with a cue ("called", "remind me", "move X to", "new deal", "add contact") starts a
   segment; a clause without one adds detail to the segment before it.
4. Each segment becomes one action. Later actions inherit the contact and account of
   the activity they follow ("... remind me to send it Friday").
"""

from __future__ import annotations

import datetime as dt
import itertools
import logging
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from functools import lru_cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from bot.nlu import learned
from bot.nlu.actions import (
    Action,
    CompleteTask,
    CreateContact,
    CreateDeal,
    CreateTask,
    DraftEmail,
    Help,
    HotLeads,
    ListTasks,
    LogActivity,
    PipelineQuery,
    ShowTimeline,
    SubscribeDigest,
    Summarize,
    Unknown,
    UnsubscribeDigest,
    UpdateDeal,
)
from bot.nlu.dates import find_close_date, find_when, last_when, month_first, strip_spans
from bot.nlu.entities import (
    EMAIL_RE,
    PHONE_RE,
    TAGGER_OVERLAP,
    Span,
    clean_name,
    find_stage,
    find_title,
    has_legal_form,
    is_company,
    name_spans,
    named_after_someone,
    span_is_person,
)
from bot.nlu.learned import (
    classify,
    current_names,
    intent_probability,
    reading,
    roles,
    tag,
)
from bot.nlu.lexicon import (
    ABBREVIATED_END,
    COMPANY_WORDS,
    DELETE_VERBS,
    FIRST_NAMES,
    GREETING,
    HONORIFICS,
    LEGAL_FORMS,
    MONTH_ABBR,
    MONTHS,
    NAME_PARTICLES,
    NOT_NAMES,
    STAGE_SYNONYMS,
    SURNAMES,
    TITLE_WORDS,
    words,
)
from bot.nlu.money import find_money
from bot.nlu.queries import _QUESTION_START, PIPELINE_RE, match_query, polite_stripped
from bot.nlu.requests import has_query_extras, match_request, unsubscribe_action
from bot.nlu.text import Normalized, first_tested, normalized, split_clauses, word_led
from bot.nlu.who import who
from bot.voice_numbers import figures

log = logging.getLogger(__name__)
_I = re.IGNORECASE

_LEAD_IN = r"^(?:(?:and|then|also|plus|oh|ok|so|pls|please|next steps?:|i need to|need to|" \
    r"i have to|have to|i'll|i will|will|" \
    r"gotta|must|should|we should|i should|let's)\s+)*"
# "push my call with Dana to Friday": no reschedule intent exists, so it is a new reminder.
_RESCHEDULE = (r"^(?:push|move|reschedule|bump|shift|postpone)\s+(?:my|the|our)\s+"
               r"(?:\w+\s+)?(?:call|meeting|demo|sync|catch-?up|lunch|coffee|check-?in)\b")
# "Tuesday follow up w/ Dana": the day said before the task.
_WHEN_FIRST = (r"(?:(?:on\s+)?(?:(?:eod|first thing|end of day)\s+)?(?:tomorrow|today|tonight|"
               r"(?:next |this )?(?:(?:mon|tues|wednes|thurs|fri|satur|sun)day|mon|tues?|wed|"
               r"thu(?:rs?)?|fri)|"
               # "in 10 days check whether …", "in 2 weeks call …"
               r"in\s+(?:\d{1,2}|a|one|two|three|four|five|six|seven|ten)\s+"
               r"(?:days?|weeks?|months?|hours?|hrs?|minutes?|mins?))"
               r"(?:\s+(?:first thing|morning|afternoon|eod))?\s+)")
TASK_RE = word_led(
    r"\bremind(?:er)?s?\b|\bremember to\b|\bdon'?t (?:let me )?forget\b|\bto-do\b|^task\b"
    # "todo: call Acme", "add a todo" (not Spanish "todo", all: "se queda con todo")
    r"|^todo\b|\btodo\s*:|\b(?:my|new|the)\s+todos?\b|\b(?:add|make|create) a todo\b"
    r"|^ping me\b|\bset (?:it|that|one|a call|a meeting) up (?:for|on)\b|" + _RESCHEDULE
    + r"|\b(?:create|add|set|make|new|put)\s+(?:me\s+)?(?:a\s+|an\s+|the\s+|in\s+a\s+)?"
    r"(?:task|reminder|follow up|to-?do)\b"
    r"|^(?:please\s+|pls\s+)?tell me\b"
    r"|\b(?:add|put|save)\s+(?:it|this|that)\s+(?:as\s+a\s+|in(?:to)?\s+my\s+)tasks?\b"
    + "|" + _LEAD_IN + _WHEN_FIRST
    + r"?(?:follow up|check in|circle back|reach out|touch base|loop back)\b",
    _I,
)
CONTACT_RE = re.compile(
    r"\b(?:add|new|create|save|register)\b.{0,30}\bcontacts?\b|\bto (?:my |the |our )?contacts\b"
    r"|^(?:add|save)\s+(?!(?:a|an|the|task|deal|note|reminder)\b)[^\W\d_][\w'-]+\s+[^\W\d_]"
    r"(?!.*\bdeal\b)"
    # "... + contact Dwayne Jackson, GM, D&J Earthworks": a field list headed "contact"
    r"|^(?:plus\s+|and\s+|\+\s*)?(?-i:contact:?\s+[A-Z][\w'-]+\s+[A-Z])"
    # "Jess from Bondi Bakeries is their new buyer, add her": the person just named
    r"|(?:^|[,.;]\s*)(?:(?:and|so|pls|please)\s+)*add (?:her|him)"
    r"(?: as (?:a )?(?:new )?contact| to (?:my |the )?contacts)?\W*$"
    # "also add his colleague Aoife Byrne, Finance Manager": a person to keep
    r"|\b(?:add|save)\s+(?:his|her|their|our|my|the|a)\s+(?:new\s+)?(?:colleague|boss|"
    r"manager|coworker|co-worker|counterpart|assistant|teammate|cfo|ceo|cto|cio|cmo|coo)\b",
    _I,
)
DEAL_RE = re.compile(
    _LEAD_IN + r"(?:new|create|open|add|start|log|opened|created|make|set up|raise|register|"
    r"adding|opening|creating|starting)\b"
    r".{0,50}?\bdeals?\b"
    r"|" + _LEAD_IN + r"new lead\s*(?:[:-]|$)"  # "new lead — Sahyadri Hospitals, 35 lakh"
    r"|^(?:an? )?(?:expansion|upsell|cross-?sell) (?:deal|opp)\b",  # "expansion opp for X: 18k"
    _I,
)
_UPDATE_VERB = word_led(
    r"\b(?:move|moved|moves|moving|advance|advanced|push|pushed|pushing|slip|slipped|slipping|"
    r"bump|bumped|mark|marked|"
    r"set(?!\s+up\b)|change|changed|update|updated|drop|dropped|raise|lower|put|"
    # "going to proposal", "pass them in proposal", "up the deal to €41k"
    r"going|pass|passed|up(?=\s+(?:the\s+)?(?:deal|opp|amount|value|it|them)\b)|"
    # "upgrade them to 60k", not "the CBS upgrade budget is 4.5 crore"
    r"(?:upgrade|downgrade)d?(?!\s+(?:budget|project|plan|path|program|cost|scope)\b)|"
    # "amount revised to SGD 420k", "so the amount drops to 90k": a new figure for the deal
    r"(?:revised?|reduced?|increased?|drops|lowered|raised|goes|went)(?=\s+(?:\w+\s+)?to\b))\b",
    _I,
)
UPDATE_RE = first_tested(
    r"(?:(?<!\w)|(?='))",  # a word starts, or "'re" / "'s"
    # (not what something else will do: "wait for the state rebate to reopen")
    r"\b(?:closed[- ]won|closed[- ]lost|(?<!\bto )re-?open(?:ed)?|deal(?: is|'s) (?:dead|off))\b"
    r"|\bto re-?open\s+(?:the\s+|this\s+)?(?:deal|opp|it)\b"
    r"|^(?:update|change|edit|adjust)\s+(?:the\s+)?.{1,60}?\b(?:deal|opp)\b"
    # "Albuquerque & Filhos lost", "Rojas Minería is lost": a deal's fate, said last.
    r"|^[^,;]{2,60}?\s+(?:is\s+|was\s+|got\s+|has\s+been\s+)?(?:now\s+)?"
    r"(?:lost|won|closed[- ](?:won|lost))\W*$"
    # "Pinnacle PM is a loss - no budget", "Greystone Property Partners is dead, they renewed"
    r"|^(?-i:[A-Z])[^,;]{1,60}?\s+is\s+(?:a\s+)?(?:loss|dead|no[- ]go)\b"
    # "won, 98.750 €": the fate first, then the figure
    r"|^(?:(?:so|and|now|then|deal|it's|its)\s+)?(?:won|lost)\W*$"
    # "the deal is down to 35k", "deal total is now 235k"
    r"|\b(?:deal|opp)\s+(?:total\s+|amount\s+|value\s+|size\s+)?(?:is|'s|was|now)\s+(?:now\s+)?"
    r"(?:at\s+|worth\s+)?(?=[$€£]?\d[\d,.]*\s?"
    r"(?:k|m|mm|thousand|million)?\b)"
    # "deal size now 120k", "price agreed at 80k": the deal's figure, said as news
    r"|\b(?:deal size|deal value|contract value|acv|arr|tcv|price|amount|value)\s+"
    r"(?:(?:is|was|now|agreed|confirmed|set|settled|landed|revised|final|finally)\s+)*"
    r"(?:at|to|of)?\s*(?=[$€£]?\d[\d,.]*\s?(?:k|m|mm|thousand|million)\b"
    r"|[$€£]?\d[\d,. ]*\s?(?:€|£|eur|usd|gbp|chf|sek|nok|dkk|pln|czk|aud|cad|sgd)(?!\w))"
    # "Deal 120k → negotiation", "deal RM 250k stage qualified": the deal's figure, first
    r"|^(?:the\s+)?(?:deal|opp)\s+(?=[$€£]\s?\d|(?:[A-Z]{2,3}|rm|rp)\s?\d|\d[\d,.]*\s?(?:k|m|mm)\b)"
    # "Hargreaves now at £175k": a company's new figure
    r"|^(?-i:[A-Z])[^,;:]{1,50}?\s+(?:is\s+)?now\s+at\s+(?=[$€£]?\d)"
    # "they're at 75k now": the deal's new figure, said of the buyer
    r"|\b(?:they|we|it)(?:'re|'s|\s+are|\s+is)\s+(?:now\s+)?at\s+(?=[$€£]?\d[\d,.]*\s?"
    r"(?:k|m|mm|thousand|million)\b)"
    r"|\b(?:up|down)\s+(?:to|at)\s+(?=[$€£]?\d[\d,.]*\s?(?:k|m|mm|thousand|million)\b|[$€£]\d"
    r"|(?:\w+\s+){0,5}(?:thousand|million|k)\b)"
    r"|\b(?:we|i|just|finally)\s+(?:just\s+)?(?:lost|won)\b"
    # "Okonkwo & Partners deal slipped": one deal's news (never "which deals slipped")
    r"|\b(?:deal|opp)\s+(?:has\s+|just\s+|got\s+)?(?:slipped|pushed|moved|stalled)\b"
    r"|^(?:lost|won)\s+(?:the\s+)?(?!(?:deals?|opps?|opportunities|amount|value)\b)[A-Z]"
    r"|(?:\b(?:is|are|'s|'re)\s+(?:now\s+)?|^(?:now|currently)\s+)(?:in|at|into)\s+(?:the\s+)?(?=\S*(?:"
    + "|".join(("negotiat", "proposal", "demo", "discovery", "qualif", "contracting",
                "legal review", "redlines", "evaluation", "trial", "poc", "quot"))
    + r"))",
    _I,
)
# "sent the quote to X" is two facts: an e-mail went out (log) and the deal is at proposal.
SENT_QUOTE_RE = re.compile(
    r"\b(?:sent|emailed|e-mailed|shared|delivered|submitted)\s+(?:over\s+|out\s+)?"
    r"(?:[\w'&.-]+\s+){0,3}?(?:the|a|our|an)\s+(?:\w+\s+)?(?:quote|proposal|pricing proposal)s?\b",
    _I,
)
# "Petra Capital slipped to Q2": a deal moved in time is a new close date.
_SLIP_RE = re.compile(
    r"\b(?:slip|slipped|slips|slipping|push|pushed|pushes|pushing)\b"
    # (not "she's pushing the partners to switch by Q2": she urges them)
    r"(?!\s+(?:the\s+|her\s+|his\s+|their\s+|them\s+|him\s+)?(?:\w+\s+)?to\s+"
    r"(?:switch|sign|buy|approve|decide|commit|go|move forward|sign off|adopt)\b)"
    r".*\b(?:to|into|until)\b", _I
)
_REF = dt.datetime(2000, 1, 3)
SIGNED_RE = word_led(
    r"\bsigned(?:\s+(?:the\s+)?(?:contract|deal|order form|paperwork|it))?"
    r"(?:\s+(?:today|yesterday|this morning|this afternoon|last night|just now))?\W*"
    r"(?:(?:[$€£]|[A-Z]{3}\s?)?\d[\d,.]*\s?(?:k|m|mm)?\b\W*)?$", _I)  # "signed 🙌 $52,000"
_NOTE_CUE = re.compile(r"(?:quick |short |a |add a |log a |log )?(?:note|fyi|heads[- ]up|btw|"
                       r"for the record)\b", _I)
# "Email to Ana (Acme) sent with the DPA": news of an e-mail that went out, not an order.
_EMAIL_SENT = (r"\s+(?:to|for)\b[^,;]{1,60}?\b(?:sent|went out|delivered)\b"
               r"(?:\s+(?:with|over|out|across|along|today|yesterday|this)\b|\W*$)")
# "walked the Westpoint DC with Jamal", "toured their plant": a visit on site
_WALKED = (r"(?:walked|toured)\s+(?:the\s+|their\s+)?(?:[\w&'.-]+\s+){0,4}?"
           r"(?:site|dc|plant|facility|floor|warehouse|building|premises|property|campus|"
           r"store|kitchen|yard|depot|offices?|shop floor)")
_KIND_RES = (
    ("note", re.compile(
        r"^(?:quick |short |a |add a |log a |log )?(?:note|notiz|nota|fyi|heads[- ]up|btw|"
        r"for the record)\b",
        _I)),
    ("meeting", word_led(
        # (not "their board meeting got moved": news of a meeting, not one held)
        # (nor "he has a board meeting at ten": theirs, not one of ours)
        r"\b(?:log (?:a |the )?meeting|met|(?<!\bhas a )(?<!\bhave a )(?<!\bhas a board )"
        r"(?<!\bhave a board )(?<!\bhas another )(?<!\bhas an internal )"
        r"meetings?(?!\s+(?:got\s+|was\s+|has been\s+|is\s+)?"
        r"(?:moved|postponed|pushed|cancell?ed|rescheduled|delayed|slipped)\b)|coffee|lunch|"
        r"breakfast|dinner|"
        r"brekkie|brekky|brunch|beers|happy hour|(?:dropped|popped|stopped|swung) by|"
        r"(?:just )?(?:left|walked out of|came out of)(?= (?:the )?(?-i:[A-Z]))"
        r"(?!(?:\s+\S+){1,4}\s+(?:a\s+)?(?:voicemail|vm|message|msg|note)\b)|"  # "just left Acme"
        r"drinks|onsite|on-site|on site(?= (?:today|yesterday|this|with|at)\b)|site visit|"
        r"went (?:out )?to see|"
        r"visited|sat down with|"
        r"(?:i|we) (?:was|were) (?:out |over |up |down )?at(?= (?:the )?(?-i:[A-Z]))|"
        r"(?<!stage )(?<!stage: )(?<!wants a )(?<!want a )(?<!for a )(?<!book a )(?<!\bin )"
        r"(?<!schedule a )(?<!asked for a )(?<!need a )(?<!for the )(?<!to the )(?<!about the )"
        r"(?<!before the )demo(?:ed|'d)?(?! call|[ -]stage)|"  # (not "didn't show up for the demo")
        r"in-person|caught up with|catch-?up with|workshop|zoom(?! call)|sync|chatted with|"
        r"reuni[oó]n|"
        r"site tour|walk-?through|"
        r"kopi|chai|teh tarik|(?:a )?brew|cuppa|pints?|(?:a )?beer|bumped into|ran into|smoko|"
        r"braai|"
        r"farm day|field day|"
        # "popped into Fitzgerald & Daly", "dropped in at Parramatta Steel", "koffie with"
        r"popped (?:into|in to|in at|by)|dropped (?:in|by)|stopped by|swung by|" + _WALKED + r"|"
        r"koffie|ahwa|cofee|termin|rencontre|"
        # as people abroad say it: "fika", "visio", "f2f", "visita", "junta", "reunião"
        r"fika|visio|f2f|face[- ]to[- ]face|mtg|qbr(?=\s+(?:with|w/|at|@)\s)|(?:had )?a yarn|junta|"
        r"visita?(?=\s+(?:to|at|with|a|en|con|today|yesterday|hoy|ayer|this|on)\b)|"
        r"reuni[aã]o|treffen|besuch|rdv|rendez-vous|פגישה|"
        r"(?:had|log) (?:a |an )?(?:chat|conversation|convo))\b", _I)),
    ("call", re.compile(
        r"(?:\U0001F4DE|\u260e\ufe0f?|\U0001F4F1)"  # 📞 ☎️ 📱
        r"|\b(?:called|phoned|rang|spoke (?:with|to)|talked (?:with|to)|voicemail|dialed|"
        # an SDR's touches: "no answer from X", "left msg w/ assistant", "gatekeeper at Y"
        r"^no answer\b|left (?:a )?(?:msg|message)\b|^gatekeeper\b|(?:was )?calling (?:to|with)\b|"
        r"tried (?:calling|to call|ringing|phoning|reaching|to reach)"
        r"|^tried(?= (?-i:[A-Z\u00c0-\u00de]))|"
        r"hung up (?:with|on)|got off (?:a |the )?(?:call|phone) with|"
        r"(?:on|off) the phone|phone (?:call )?with|(?:over|by|via|on) (?:the )?phone|"
        r"(?:over|on) (?:a )?(?:call|whatsapp call|teams call)|"
        r"\w+ call (?:(?:yesterday|today|this morning|this afternoon|earlier) )?(?:with|w|from)|"
        r"call (?:with|w|from)|call (?:recap|notes|summary|debrief|log)|"
        r"(?:phone|ph|demo|intro|discovery|zoom|video|"
        r"quick|short|long|good|great|sales) call|"
        r"(?:had|got|took|did|log|logged|logging) (?:a |an |the |my )?"
        r"(?:\w+ )?call|incoming call"
        r"|^call(?=\s+(?:yesterday|earlier today|this morning|last \w+|\d+ days ago)\b)"
        r"|^call(?=\s+(?:at\s+)?\d{1,2}(?::\d\d)?\s*(?:am|pm)?\s+(?:this morning|earlier today|"
        r"yesterday)\b)"
        r"|^(?:yesterday|earlier today|this morning)\s+call\b"
        r"|llam[ée]|llamada|liguei|liga[çc][ãa]o|telefonat|anruf|appel[ée]?|"
        r"ringde|tawag|(?:le |la )?marqu[ée] al?|"
        # "gave Kateryna a ring", "just got off w/ Deirdre", "first call of 2028:"
        r"gave\b.{1,60}\ba (?:ring|bell|buzz|call)\b|got off (?:w/|with)|"
        r"(?:first|second|third|last|another) call\b|"
        r"telephonic|telephone (?:call|conversation|discussion|with)|"
        r"phone (?:conversation|discussion|chat)|"
        r"(?:finally )?picked up)\b", _I)),
    ("note", word_led(r"\b(?:texted|messaged|whatsapp(?:'?d|ed)|dm'?d|dmed|smsed|"
                        r"pinged)\s+(?-i:[A-Z\u00c0-\u00de])", _I)),
    ("email", word_led(
        r"\b(?:emailed|e-mailed|email (?:from|with)|e-?mails? (?:sent|went out)|"
        r"e-?mail(?=" + _EMAIL_SENT + r")|"
        r"sent\b.{0,40}\b(?:e-?mail|note|mail|correo)|"
        r"got (?:an? )?e-?mail|received (?:an? )?e-?mail|e-?mail received|replied|responded to|"
        r"wrote to|wrote (?:me|us)(?: (?:an? )?e-?mail)?|sent (?:me|us) (?:an? )?e-?mail|"
        r"e-?mails? exchanged|exchanged e-?mails|"
        r"answered (?:my|our|the) e-?mail|(?:by|per|via) mail|^mail (?:from|to|sent)|mail sent|"
        # "Farhan from Deccan Cargo mailed yesterday asking …"
        r"(?<=[A-Za-z\u00c0-\u024f)] )mailed(?= (?:me|us|back|yesterday|today|this|asking|to say|"
        r"about|re|over|in)\b)|"
        r"got (?:a |an )?(?:reply|response|answer) from|"
        r"log (?:an? )?e-?mail|(?:by|over|via) e-?mail|e-?mail\b.{0,40}\bbounced|"
        # "Mailed Tomasz the spec", "le mandé mail a", "mi ha mandato una mail"
        r"^mailed|mand[ée] (?:un |por )?(?:e-?mail|mail|correo)|mandato una mail|"
        r"^(?:fwd'?d|fwded|forwarded)|"
        r"(?:her|his|their) e-?mail says)\b|^sent\b", _I)),
)
_IMPERATIVE = re.compile(
    _LEAD_IN + _WHEN_FIRST + r"?(?:to\s+)?(?:send|quote(?!'s|\s+(?:is|was|went|sent|out)\b)|"
    r"invoice|print|"
    r"call(?! (?:with|from|w|notes|recap|summary|debrief|log|report)\b)|"
    r"email(?! (?:from|with|sent|went|received|came|bounced)\b)(?!" + _EMAIL_SENT + r")|ping|chase|"
    r"schedule|book|prep|prepare|share|set up|text|resend|re-send|redo|"
    r"follow|check|confirm|review|ask|intro(?! (?:call|meeting|chat|mtg))|introduce|invite|nudge|"
    r"get|draft|renew|update|"
    r"call back|ring|finish|submit|order|mail(?! (?:from|sent)\b)|forward|retry|loop in|"
    r"revisit|reply|respond|reconnect|touch base|reach out|circle back|"
    r"bring in|cc|put(?= (?:a|in a) (?:call|meeting|reminder)\b)|"
    r"try(?= (?:again|back|calling|him|her|them|tmrw|tomorrow|(?:mon|tues|wednes|thurs|fri)day)\b))"
    r"\b",
    _I,
)
_HAPPENED = re.compile(r"^(?:call|meeting|lunch|coffee|demo|chat)\s+"
                       r"(?:(?:at\s+)?\d{1,2}(?::\d\d)?\s*(?:am|pm)?\s+)?"
                       r"(?:yesterday|earlier today|this morning|last (?:night|\w+day)|"
                       r"\d+ days ago)\b", _I)
# Another order in a list of reminders, with its day: "and wednesday 15:00 send the quote"
_ORDER_WITH_ITS_DAY = re.compile(r"(?:and\s+|then\s+)?" + _WHEN_FIRST
                                 + r"(?:(?:at\s+)?\d{1,2}(?::\d\d)?\s*(?:am|pm)?\s+)?"
                                 r"(?:send|call|email|ping|chase|schedule|book)\b", _I)
_PAST_HINT = re.compile(r"\b(?:yesterday|ago|last \w+|this morning|earlier today)\b", _I)
# "Log email: sent pricing deck to Lerato on Monday": the detail tells what was done, when
_TOLD_DONE = re.compile(r"(?:i\s+|we\s+)?(?:sent|emailed|called|rang|met|visited|spoke|talked|"
                        r"had|dropped|mailed|presented|demoed)\b", _I)


@dataclass
class Segment:
    """Consecutive clauses that make one action."""

    kind: str
    clauses: list[str] = field(default_factory=list)

    @property
    def text(self) -> str:
        return ", ".join(self.clauses)


@dataclass
class Context:
    """What earlier actions in the message were about, for the ones that follow."""

    contact: str | None = None
    account: str | None = None
    summary: str | None = None
    us: bool = True  # read 3/4 as March 4 (the Americas) or 3 April (elsewhere)
    source: Normalized | None = None  # the message as typed, for notes kept verbatim
    added: bool = False  # a contact was just added: a log that names nobody is about them
    company_of: dict[str, str | None] = field(default_factory=dict)  # each person's, as said


# "a chat with Rohit over the phone": the medium makes a talk a call, unless people met.
_BY_PHONE = word_led(r"\b(?:over|by|via|on) (?:the )?phone\b", _I)
_IN_PERSON = word_led(r"\b(?:met|meeting|lunch|coffee|breakfast|brekkie|brekky|brunch|dinner|"
                        r"drinks|went (?:out )?to see|"
                        r"onsite|on-site|visit|visited|visita|in-person|in person|workshop|"
                        r"popped (?:into|in|by)|dropped (?:in|by)|stopped by|swung by|"
                        + _WALKED + r")\b", _I)


@lru_cache(maxsize=256)
def _log_kind(clause: str) -> str | None:
    """The activity kind a clause logs, or None; the earliest cue wins."""
    if _BY_PHONE.search(clause) and not _IN_PERSON.search(clause):
        return "call"
    best: tuple[int, str] | None = None
    for kind, pattern in _KIND_RES:
        m = next((m for m in pattern.finditer(clause) if not _in_a_name(clause, m)), None)
        if m and (best is None or m.start() < best[0]):
            best = (m.start(), kind)
    return best[1] if best else None


def _in_a_name(clause: str, m: re.Match[str]) -> bool:
    """A cue word that is a word of a company's name ("Jollibrew Coffee Co.", "Lunch Box
    Ltd"): capitalized, with a capitalized word on its other side or a company word after."""
    said = m.group(0)
    if not said[:1].isupper() or " " in said.strip() or m.start() == 0:
        return False
    words = clause.split()
    if len(words) >= 5 and sum(w[:1].isupper() for w in words) > 0.6 * len(words) and \
            not re.search(r"\s(?:at|with|to|from|for|w/|@)\s", clause):
        return False  # A Message Typed In Title Case says nothing by its capitals
    before = clause[:m.start()].split()[-1:] or [""]
    after = clause[m.end():].split()[:1] or [""]
    return before[0][:1].isupper() and (after[0][:1].isupper() or after[0].lower().strip(
        ".,") in COMPANY_WORDS)


# "new contact there TBD": news that someone is yet to be named, not a person to add.
_NO_NAME_YET = word_led(r"\b(?:tbd|tba|tbc|unknown|not yet (?:named|known)|none yet|no one yet|"
                          r"to be (?:decided|determined|confirmed|named|announced))\b", _I)


@lru_cache(maxsize=256)
def clause_kind(clause: str, *, first: bool, after: str | None) -> str | None:
    """The action a clause starts ("log", "task", ...), or None when it adds detail."""
    if TASK_RE.search(clause):
        return "task"
    if SENT_QUOTE_RE.search(clause) and not _IMPERATIVE.match(clause):
        return "quote"
    if CONTACT_RE.search(clause) and not _NO_NAME_YET.search(clause) and not (
            after == "log" and not re.search(r"\b(?:add|create|save)\b|^new contact\s*(?::|$)",
                                             clause, _I)):
        return "contact"  # in a note, "new procurement contact at X is Y" is news
    if DEAL_RE.search(clause):
        return "deal"
    if after == "task" and _ORDER_WITH_ITS_DAY.match(clause):
        return "task"  # "remind me: monday call Kwame, and wednesday 15h send the revised devis"
    if UPDATE_RE.search(clause) or _BACK_TO.search(clause) or (
        _UPDATE_VERB.search(clause) and not _WANTED.match(clause)
        and (find_stage(clause) or find_money(clause) or re.search(r"\bclose date\b", clause, _I)
             or _bare_amount(clause) and _DEAL_TO_A_FIGURE.search(clause)
             or (_SLIP_RE.search(clause) and find_close_date(clause, _REF).day is not None))
    ):
        return "update"
    # An order with a date is a task even when it names a meeting ("schedule a demo Friday"),
    # but "call yesterday w/ Ewa" is a call that happened.
    if _IMPERATIVE.match(clause) and (first or (after and (
            _has_when(clause) or _THAT_DAY.search(clause)))) and \
            not _HAPPENED.match(clause):
        return "task"
    if _log_kind(clause):
        return "log" if after != "log" else None
    if SIGNED_RE.search(clause) and after != "log":
        return "update"
    return None


# "they want the excess dropped to £10k", "wants the cyber limit raised to £5m": what they
# ask of the cover or the terms, not the deal's new figure
_WANTED = re.compile(r"(?:(?:he|she|they)\s+)?(?:wants?|asked for|asks for|would like|needs?)\s+"
                     r"(?:the|their|a|an|its)\s+(?!deal|amount|value|price|contract value)\w+", _I)


# "also bump the deal to 132,500": the deal's new figure, said without a currency
_DEAL_TO_A_FIGURE = re.compile(r"\b(?:deal|amount|value|opp)\s+(?:amount\s+|value\s+)?(?:up\s+)?"
                               r"to\s+\d", _I)


_CLOSING_ON = re.compile(r"(?:now\s+)?(?:closing|closes|close)\b"
                         r"(?!\s+(?:rate|the|a|an|it|out|up|down|off)\b)", _I)


_BACK_TO = word_led(r"\b(?:back|down|forward|up|now|straight|both|all|each)\s+(?:to|in|at|into)"
                      r"\s+(?:the\s+)?"
                      r"(?:lead|qualified|qualification|discovery|demo|proposal|negotiat\w*|"
                      r"contracting)\b", _I)


@lru_cache(maxsize=256)
def _has_when(clause: str) -> bool:
    """A day or a moment is said ("Friday", "in 2 hours")."""
    when = find_when(clause, dt.datetime(2000, 1, 3))
    return when.day is not None or when.moment is not None


_STAGE_DONE_CLAUSE = re.compile(
    r"^(?:the\s+)?(?:demo|discovery|qualification|proposal|pilot|poc|trial)\s+(?:is\s+|was\s+)?"
    r"(?:done|complete|completed|finished|over|wrapped(?: up)?|sent)\W*$", _I)


_STAGE_SAID = (r"(?:lead|qualified|qualification|discovery|demo|proposal|negotiat\w*|"
               r"contracting|closed[- ](?:won|lost)|won|lost)\b")
# Breaks inside a clause that the punctuation does not mark: a bullet, an order to move
# the deal after the news ("they approved budget 🎉 move to negotiation"), a follow-up
# chained on with "and" ("... and follow up friday").
_CLAUSE_BREAK = first_tested(
    r"(?=[\s\u2022])",
    r"\s*\u2022\s*"
    r"|(?=\s+(?:(?:and|so|then)\s+)?(?:move|moves|moving|bump|push|advance|mark|set)\b)"
    r"(?<=\S)(?<!\bto)(?<!\bwant)(?<!\bwants)(?<!\bnot)(?<!\bdon't)(?<!\bcan)(?<!\bwill)"
    r"(?<!\bshould)(?<!\band)(?<!\bso)(?<!\bthen)\s+(?:(?:and|so|then)\s+)?"
    r"(?=(?:move|moves|moving|bump|push|advance|mark|set)\s+"
    r"(?:it\s+|them\s+|the deal\s+|this deal\s+)?"
    r"(?:(?:to|into|as|at)\s+(?:the\s+)?|(?<=mark it )|(?<=mark them ))" + _STAGE_SAID + ")"
    r"|\s+and\s+(?:also\s+)?(?=(?:follow up|check in|circle back|touch base|reach out|"
    r"remind me|ping me)\b)"
    # "... rang me at lunch the body corporate approved it so that's closed won": the deal's
    # fate, after the news of the call
    r"|\s+(?=so\s+(?:that's|it's|thats|its|we're|were)\s+(?:a\s+)?(?:closed|won|lost|signed|"
    r"win|loss|dead)\b|so\s+we\s+(?:won|lost)\s+(?:it|them|the deal)\b)"
    # "... remind me to send her the SLA tomorrow and also add her as a contact ..."
    r"|\s+(?:and\s+)?(?:also\s+)?(?=add (?:him|her|them) as (?:a )?(?:new )?contact\b)",
    _I,
)
# "remind me to call X tomorrow and also to send Y the deck friday": two tasks.
_AND_ALSO = re.compile(r"\s+and\s+(?P<also>also\s+)?(?:to\s+)?(?=\w)", _I)
# A clause that only names the act of logging ("log:", "logging") says no more than that.
_BARE_LOG = re.compile(r"(?:pls\s+|please\s+)?(?:log|logging|log this|to log|for the log)", _I)
# A meeting to come, not one to log.
_BOOKED = re.compile(r"\b(?:booked|scheduled|planned|arranged|set up)\b[^,;]*\b(?:for|on)\b"
                     r"|\bis (?:booked|scheduled|planned)\b", _I)
# "… they asked for 8% off. Deal to negotiation": the deal's move, told after the news
_DEAL_TO = re.compile(r"(?:and\s+|so\s+)?(?:the\s+)?(?:deal|opp|opportunity)\s+"
                      r"(?:to|now(?: in| at)?|is now(?: in| at)?|moves? to|moved to|goes to|->)"
                      r"\s+(?:the\s+)?" + _STAGE_SAID + r"\b", _I)
# A stage said alone after a meeting ("— qualified, has budget"), the close date told as news
_STAGE_ALONE = re.compile(r"(?:(?:they(?:'re| are)|we(?:'re| are)|it'?s|it is)\s+)?"
                          r"(?:(?:now|already|deal|stage)\s+)?(?:qualified|closed[- ](?:won|lost)|"
                          r"won|in negotiation|negotiation|in proposal)\W*", _I)
_CLOSE_NEWS = re.compile(r"(?:and\s+|so\s+)?(?:the\s+)?(?:deal'?s?\s+)?(?:close|closing)"
                         r"(?:\s+date)?\s+(?:(?:is|now|moves?|moved|pushed|slips?|slipped)\s+)?"
                         r"(?:to\s+|until\s+)?(?=\S)", _I)
# "we lost Cosan, lost it to Senior Sistemas": to whom, said after the loss
_LOST_TO = re.compile(r"(?:we\s+)?lost\s+(?:it\s+|them\s+|the deal\s+|out\s+)?to\b", _I)
# "visited Sakura Denki, met Tanaka Hiroshi": who was there, at the meeting just told
_MET_THERE = re.compile(r"^(?:(?:and|also|then)\s+)*(?:met(?: with)?|spoke (?:with|to)|"
                        r"talked (?:with|to))\s", _I)
# "emailed Rafael the contract, called Hye-jin at Seoul Bio": a second activity, with
# someone else, told after the first.
_NEW_LOG = re.compile(
    r"^(?i:(?:(?:also|then|and|plus)\s+)*(?:called|emailed|e-mailed|met(?: with)?|rang|phoned|"
    r"texted|spoke (?:with|to)|talked (?:with|to)|left (?:a )?(?:voicemail|vm) (?:for|with)|"
    r"(?:voicemail|vm|call|meeting|lunch|coffee|demo) (?:for|with|w/)|no answer (?:from|at)|"
    r"had (?:a |an )?(?:call|meeting|lunch|coffee|demo|chat) with))\s+"
    r"(?=[A-Z\u00c0-\u00de]|(?i:him|her|them)(?:\s+(?i:the|a|an|back|again|about|re|over|too|with|con|com)\b|"
    r"\s*[,.;]|\s*$))")  # "...; also emailed him the brochure", not "called her boss"
# "left a voicemail for Imani and sent a follow-up email": an e-mail after a call or a
# meeting is an activity of its own, with the same person.
_ALSO_EMAILED = re.compile(
    r"^(?:(?:also|then|and|plus)\s+)*(?:sent (?:(?:him|her|them) )?(?:a |an )?"
    r"(?:follow[- ]?up |quick |short |thank[- ]you )?(?:e-?mail|mail)\b|"
    r"(?:e-?mailed|mailed) (?:(?:him|her|them) )?(?:too|as well|also)\b)", _I)
_INTERJECTION = re.compile(r"(?:ugh+|argh+|sigh|meh|oof|ok(?:ay)?|so|well|oh|hmm+|lol|yay|"
                           r"woo+|phew|welp|jeez|damn|dang)\W*", _I)


def _task_parts(clause: str) -> list[str]:
    """A task clause that chains a second order with its own day, or with "also"."""
    if not TASK_RE.search(clause):
        return [clause]
    for m in _AND_ALSO.finditer(clause):
        left, right = clause[:m.start()], clause[m.end():]
        if m.group("also") and _UPDATE_VERB.match(right) and \
                clause_kind(right, first=False, after="task") == "update":
            return [left, right]  # "remind me … and also move the Kessler deal to proposal"
        if _IMPERATIVE.match(right) and (m.group("also") or (_has_when(left)
                                                             and _has_when(right))):
            if not _has_when(right):
                # "remind me friday to chase legal and also ping Oksana": the same day
                said = find_when(left, _REF)
                right += "".join(" " + left[a:b] for a, b in said.spans)
            return [left, *_task_parts("remind me to " + right)]
        said = _WHEN_THEN_ORDER.match(right)
        if said and _has_when(said.group("when")) and _has_when(left) and \
                _IMPERATIVE.match(right[said.end():]):
            if _A_DAY_SAID.search(said.group("when")) is None and \
                    (day := _A_DAY_SAID.search(left)) is not None:
                # "tomorrow at 7:30am to print the forms and at 4pm to call Marguerite": the
                # second hour is on the day said for the first
                right = f"{day.group(0)} {right}"
            return [left, *_task_parts("remind me " + right)]  # "... and fri to book the call"
    return [clause]


_AND_NEW_LOG = re.compile(
    r"\s+and\s+(?:then\s+|also\s+)?(?=(?:called|emailed|e-mailed|met(?: with)?|rang|phoned|texted|"
    r"spoke (?:with|to)|talked (?:with|to)|left (?:a )?voicemail (?:for|with)|"
    r"had (?:a |an )?(?:call|meeting|lunch|coffee|demo|chat) with)\s+[A-Z\u00c0-\u00de]"
    # "called Dana and emailed her the spec sheets": the same person, by another medium
    r"|(?:e-?mailed|mailed|texted|messaged)\s+(?:him|her|them)\s+(?:the|a|an|our|my|back)\b)")
_AND_EMAILED = re.compile(r"\s+and\s+(?:then\s+|also\s+)?(?=" + _ALSO_EMAILED.pattern[1:] + ")",
                          _I)
# "..., and on friday to email Priya": a second order after a reminder, its day said first.
_WHEN_THEN_ORDER = re.compile(r"^(?:(?:and|also|then|plus)\s+)*(?P<when>.{2,40}?)\s+to\s+(?=\w)",
                              _I)


_AND_TO = re.compile(r"^(?:(?:and|also|plus)\s+)*to\s+", _I)
_A_DAY_SAID = re.compile(r"\b(?:today|tomorrow|tmrw|(?:next |this )?(?:mon|tues|wednes|thurs|fri|"
                         r"satur|sun)day)\b", _I)


def _order_parts(clause: str) -> list[str]:
    """ "move to proposal and send him pricing friday": a dated order after a deal change
    is a task of its own."""
    if " and " not in clause:
        return [clause]
    news = _AND_NEW_LOG.search(clause)
    if not (news and _log_kind(clause[:news.start()])):
        # "left a voicemail for Imani yesterday and sent a follow-up email this morning"
        news = _AND_EMAILED.search(clause)
        news = news if news and _log_kind(clause[:news.start()]) != "email" else None
    if news:
        # "emailed Joao the SOW and called Priya Nair about renewal": two activities
        return [clause[:news.start()], *_order_parts(clause[news.end():])]
    if clause_kind(clause, first=False, after=None) != "update":
        return [clause]
    for m in _AND_ALSO.finditer(clause):
        left, right = clause[:m.start()], clause[m.end():]
        if _IMPERATIVE.match(right) and not _UPDATE_VERB.match(right) and _has_when(right) \
                and clause_kind(left, first=False, after=None) == "update":
            return [left, right]
    return [clause]


# "Yes Bank moved to negotiation and IndusInd Bank to proposal": two deals, two moves.
_TWO_MOVES = re.compile(
    # (or ordered: "move Harbourside Dental to proposal and Highland Bistro to negotiation")
    r"^(?P<first>(?:.+?\s(?:moved|moves|went|is now|now|are now)|(?:move|put|set|push|bump|"
    r"advance)\s+.+?)\s+(?:to|in|into)\s+(?:the\s+)?"
    + _STAGE_SAID + r")\s*,?\s+and\s+"
    r"(?P<name>(?-i:[A-Z\u00c0-\u00de])[\w&.'-]*(?:\s+[\w&.'-]+){0,4}?)"
    r"\s+(?P<rest>(?:to|in|into)\s+(?:the\s+)?" + _STAGE_SAID + r"\b.*)$", _I)


def resplit(clauses: list[str]) -> list[str]:
    """The clauses, with the breaks inside them that the punctuation did not mark."""
    out: list[str] = []
    for said in clauses:
        two = _TWO_MOVES.match(said)
        halves = [two.group("first"), f"{two.group('name')} moved {two.group('rest')}"] if two \
            else [said]
        for part in (p for half in halves for p in _CLAUSE_BREAK.split(half)):
            part = part.strip(" ,;:-")  # a final "S.A." keeps its stop
            if part:
                out.extend(_task_parts(part) if TASK_RE.search(part) else _order_parts(part))
    if len(out) > 1 and _BARE_LOG.fullmatch(out[0]):
        out = out[1:]  # "log: emailed Rafael ...": the order to log is no note
    while len(out) > 1 and _INTERJECTION.fullmatch(out[0]):
        out = out[1:]  # "ugh, 2nd voicemail for ...": a sigh is no header
    return out


def _says_what_changes(clause: str) -> bool:
    """A clause after "update X" that only says what changes: "amount 75k", "stage
    proposal", "we sent the quote" (not "move Acme to demo", an update of its own)."""
    kind = clause_kind(clause, first=False, after="update")
    return kind in (None, "quote") or (kind == "update" and not name_spans(clause))


def _update_asked(clauses: list[str]) -> bool:
    """ "update Pacific Reef: qualified, 30k": what follows the order is what changes."""
    return any(find_stage(c) or find_money(c) or _bare_amount(c)
               or re.match(r"(?:close|closing|close date)\b", c, _I) for c in clauses)


# "Two reminders:", "my tasks": a heading over several orders, one task each.
_SEVERAL_ORDERS = re.compile(r"(?:two|three|four|five|2|3|4|5|a few|a couple(?: of)?|some|my)?\s*"
                             r"(?:reminders|tasks|to-?dos)(?:\s+(?:for me|please|pls|plz))*", _I)
# "two reminders pls:", "a few tasks for me": a heading over the orders that follow.
_ORDERS_HEADING = re.compile(r"(?:(?:\w+|a few|a couple(?: of)?)\s+)?(?:reminders?|tasks?|to-?dos?)"
                             r"(?:\s+(?:for me|please|pls|plz))*", _I)


_TO_CONTACTS = re.compile(r"(?:(?:and\s+)?(?:add|save)\s+(?:him|her|them|it)?\s*)?(?:to|in|into)\s+"
                          r"(?:my\s+|the\s+|our\s+)?(?:contacts|crm|address book)", _I)


_NEXT_STEP = re.compile(r"next steps?\s*(?:[:=-]|is\b)", _I)
_NEXT_STEP_ALONE = re.compile(r"next steps?", _I)
_CALL_ORDER = re.compile(r"(?:call|ring|phone)\s", _I)
_CALL_OUTCOME = re.compile(r"(?:no answer|no pick ?up|nobody picked up|no one picked up|"
                           r"(?:went )?(?:straight )?to (?:vm|voicemail)|"
                           r"left (?:a )?(?:vm|voicemail|msg|message)|vm|lvm|busy|rang out)\b", _I)


def _said_apart(clauses: list[str]) -> list[str]:
    """Clauses the punctuation split that say one thing: "next step: tech demo friday 3pm",
    and "I need to send him the pilot proposal, friday." (the day said alone after what
    must be done is its day, not the day of the call told before)."""
    out: list[str] = []
    for clause in clauses:
        if out and _NEXT_STEP_ALONE.fullmatch(out[-1]):
            out[-1] = f"{out[-1]}: {clause}"  # "next step: tech demo friday 3pm"
            continue
        if out and _A_NEED.match(out[-1]) and _has_when(clause):
            when = find_when(clause, _ANY_NOW)
            if when.spans and not strip_spans(clause, when.spans).strip(" ,.;:-"):
                out[-1] = f"{out[-1]} {clause}"
                continue
        out.append(clause)
    return out


_ANY_NOW = dt.datetime(2000, 1, 3)  # (whether a clause is a day alone is the same any day)


def segments(clauses: list[str]) -> list[Segment]:
    """Group clauses into segments, one per action."""
    result: list[Segment] = []
    pending: list[str] = []
    clauses = _said_apart(clauses)
    if len(clauses) > 2 and _SEVERAL_ORDERS.fullmatch(clauses[0]):
        # "Two reminders: 1) prep with Brittany tomorrow 10am 2) send the letters Friday"
        return [Segment("task", [clause]) for clause in clauses[1:]]
    if len(clauses) > 2 and TASK_RE.search(clauses[0]) and \
            not _bare_cue(Segment("task", clauses[:1])) and \
            all(_IMPERATIVE.match(c) for c in clauses[1:]):
        # "remind me Monday 8am: 1) call Bu Sri re PO 2) submit the claim": each when said
        return [Segment("task", [f"{clauses[0]} to {clause}"]) for clause in clauses[1:]]
    if len(clauses) > 1 and _ORDERS_HEADING.fullmatch(clauses[0]) and not _has_when(clauses[0]):
        clauses = clauses[1:]  # ("EOD reminder: update the forecast sheet" keeps its when)
        if len(clauses) == 1 and clause_kind(clauses[0], first=True, after=None) is None:
            # "task: close out the FY26 commission report tonight": the heading says what
            return [Segment("task", clauses)]
    for i, clause in enumerate(clauses):
        if result and result[-1].kind == "task" and not _bare_cue(result[-1]) and not (
                _IMPERATIVE.match(clause) and _has_when(clause) and _has_when(result[-1].text)):
            # "reminder: book flights for the onsite" (but "1) prep with Bo tomorrow 10am
            # 2) send the letters Friday" are two orders, each with its day)
            result[-1].clauses.append(clause)
            continue
        kind = clause_kind(clause, first=not result, after=result[-1].kind if result else None)
        if kind == "update" and i + 1 < len(clauses) and _UPDATE_ORDER.match(clauses[i + 1]) \
                and not _UPDATE_ORDER.match(clause) \
                and _log_kind(" ".join(clause.split()[:4])) in ("call", "meeting", "email"):
            # "lunch with Ana today she said the budget slipped so push the close date": the
            # news is what the meeting told, the order after it the change
            kind = "log"
        if kind == "task" and re.match(r"(?:update|change|edit|adjust)\s", clause, _I) and \
                not TASK_RE.search(clause) and _update_asked(
                    list(itertools.takewhile(_says_what_changes, clauses[i + 1:]))):
            kind = "update"
        if _NEXT_STEP.match(clause) and _has_when(clause):
            kind = "task"  # "next step: tech demo friday 3pm": what the rep does next, and when
        if kind == "task" and i + 1 < len(clauses) and _CALL_ORDER.match(clause) and \
                _CALL_OUTCOME.match(clauses[i + 1]):
            kind = "log"  # "call Pilar Sanz / Cartonajes Levante - no answer, left vm": made
        if kind is None and result and result[-1].kind == "log" and (_NEW_LOG.match(clause) and \
                not (_MET_THERE.match(clause) and _IN_PERSON.search(result[-1].text)) or
                _ALSO_EMAILED.match(clause) and _log_kind(result[-1].text) != "email"):
            kind = "log"  # (but "visited Sakura Denki, met Tanaka Hiroshi" is one meeting)
        if kind is None and result and result[-1].kind == "log" and (
                _STAGE_ALONE.fullmatch(clause) or _CLOSE_NEWS.match(clause) and _has_when(clause)):
            kind = "update"  # "meeting with Pedro — qualified, has budget", "close end of March"
        if kind is None and result and result[-1].kind == "log" and _DEAL_TO.match(clause):
            kind = "update"  # "… they asked for 8% off. Deal to negotiation, R$ 1,2 milhão"
        if kind is None and result and result[-1].kind == "log" and _has_when(clause) and \
                _a_task_said(clause):
            kind = "task"  # "…, mándasela el viernes porfa", "sort out 2 refs by Monday"
        if kind is None and result and result[-1].kind == "log" and _AN_ORDER.match(clause):
            # "… wants e-wallet payouts. open a lead for them, ~8bn" (read with what follows)
            kind = _ordered(", ".join(clauses[i:i + 2]))
        if kind is None and result and result[-1].kind == "task" and \
                (said := _WHEN_THEN_ORDER.match(clause)) and _has_when(said.group("when")) and \
                _IMPERATIVE.match(clause[said.end():]):
            kind, clause = "task", "remind me " + clause[said.start("when"):]
        if kind is None and result and result[-1].kind == "task" and \
                (said := _AND_TO.match(clause)) and _IMPERATIVE.match(clause[said.end():]) and \
                (said.group(0).strip().lower() != "to" or (
                    _has_when(clause) and _has_when(result[-1].text))):
            kind, clause = "task", "remind me to " + clause[said.end():]  # ", and to loop in legal"
        if kind == "log" and result and result[-1].kind in ("deal", "update") and \
                find_stage(clause) and len(clause.split()) <= 3:
            kind = None  # "create opp Acme, 120k, demo": the stage, not a meeting
        if kind == "update" and result and result[-1].kind == "quote" and \
                _UPDATE_ASKED.match(clause) and not (find_stage(clause) or find_money(clause)):
            kind = None  # "we sent the quote, update the deal": the quote says to what
        if kind == "quote" and result and result[-1].kind == "update" and \
                len(result[-1].clauses) == 1 and not (
                    find_stage(result[-1].text) or find_money(result[-1].text)):
            kind = None  # "update the X deal - we sent the quote": the quote says to what
        if kind == "update" and result and result[-1].kind == "update" and \
                _LOST_TO.match(clause) and find_stage(result[-1].text) == "lost":
            kind = None  # "we lost Cosan, lost it to Senior Sistemas": to whom, not a deal
        if kind == "contact" and result and result[-1].kind == "contact" and \
                _TO_CONTACTS.fullmatch(clause):
            kind = None  # "add Karl-Heinz, Head of IT at Brightline, to contacts"
        if kind == "log" and result and result[-1].kind == "deal" and \
                len(result[-1].clauses) == 1 and len(result[-1].clauses[0].split()) <= 3:
            kind = None  # "new deal: Pacific Rugby Foundation awards dinner, 78k": its name
        if kind == "log" and result and result[-1].kind == "contact" and \
                _COMPANY_AFTER.fullmatch(clause):
            kind = None  # "add Minh Nguyen, buyer, Saigon Coffee Imports": his company
        if kind == "log" and _BOOKED.search(clause) and (result or any(
                clause_kind(c, first=False, after=None) == "task" for c in clauses[i + 1:])):
            # "booked a demo with Tomasz for Thursday 2pm, add it as a task", "move Hoshino
            # to demo. Demo is scheduled 10/28": a meeting to come is no log
            kind = None
        if kind == "log" and _STAGE_DONE_CLAUSE.match(clause) and any(
                clause_kind(c, first=False, after=None) == "update" for c in clauses[i + 1:]):
            kind = None  # "demo done, now in proposal": a step of the move, not a meeting
        if kind is None and not result and pending and _CLOSING_ON.match(clause) and \
                not any(DEAL_RE.search(p) or re.fullmatch(r"(?:new\s+)?deal", p, _I)
                        for p in pending) and find_close_date(clause, _REF).day is not None:
            kind = "update"  # "Kessler Antriebe GmbH: closing 31 March"
        if kind is None:
            if result:
                result[-1].clauses.append(clause)
            else:
                pending.append(clause)
            continue
        if kind == "task" and result and result[-1].kind == "task" and not _bare_cue(result[-1]):
            result[-1].clauses.append(clause)  # "task: update the sheet by EOD"
            continue
        bare_order = kind == "task" and not _bare_cue(Segment("task", [clause])) and \
            not _has_when(clause)  # "…, pls set a reminder": what came before is the task
        if not result and pending and kind not in ("log", "quote") and not bare_order and \
                _told_an_encounter(pending):
            # "Partner call yesterday with Kaan from Weber & Co: they want to resell. Open a
            # deal for Alpenmilch": what happened is logged, then the order is done.
            result.append(Segment("log", pending))
            pending = []
        result.append(Segment(kind, [*pending, clause] if not result else [clause]))
        pending = []
    return result


# A clause that starts as an order does ("open a lead for them", "pls set up …"): what it
# orders, after the news of a call or a meeting, is for the classifier to say.
_AN_ORDER = re.compile(r"(?:(?:and|so|then|also|pls|please|kindly|can you|could you)\s+)*"
                       r"(?:open|create|add|make|set up|move|mark|update|change|close|send|"
                       r"book|schedule|follow up|call|email|ping|chase|put)\b", _I)
ORDER_AT = 0.9
_ORDER_KINDS = {"create_task": "task", "update_deal": "update", "create_deal": "deal",
                "create_contact": "contact"}


# How likely the classifier must find a clause with a day, after the news of a call, to be
# a task ("sort out 2 refs by Monday"). On nine blind sets it had not been trained on, this
# made 8 of 1,350 messages right, none wrong. (0.45 since the retrain on BS-BU: "line up 2
# references by Monday" read 0.46 and stayed a note; "wants SSO, pricing by Friday" reads
# 0.42 and is their news. Over all frozen sets 0.45 made one more right, none wrong.)
TASK_AFTER_LOG_AT = 0.45


# What the other side does or said: news of the call, not an order.
# ("contract redlines back by thurs", "PO to follow next week": what they will send)
_THEIR_NEWS = re.compile(r"(?:he|she|they|it|their|his|her|reckons?|wants?|needs|need(?!\s+to\b)|"
                         r"says?|said|"
                         r"asks?|asked|thinks?|hopes?|plans?|expects?|"
                         # as Spanish, Portuguese, French and Italian tell it: "ils commandent
                         # 800 boîtes la semaine prochaine", "el hijo se queda con todo"
                         r"ils|elles|ellos|ellas|eles|elas|loro|dicen|dice|dicono|disent|"
                         r"quiere|quieren|querem|vogliono|veulent|hanno|el hijo|la hija|"
                         r"o filho|a filha)\b"
                         r"|.*\b(?:back|to follow|coming|arriving|landing)\b"
                         # "the board meets Thursday", "legal is back on the 5th"
                         r"|(?:the\s+)?\w+\s+(?:meets|signs|decides|votes|starts|ends|is|are|"
                         r"was|were|will|goes|comes|gets|opens|closes)\b", _I)


_BEFORE_A_DAY = re.compile(r"\b(?:para|pour|per|pra|hasta|até|entro|avant|before|until)\b", _I)


def _a_task_said(clause: str) -> bool:
    """A clause after a log that the classifier reads as a task to do ("mándale la
    cotización el jueves", "sort out 2 refs by Monday"), not only a day ("para el lunes")."""
    if _THEIR_NEWS.match(clause) or not _BEFORE_A_DAY.sub("", _beyond_the_cue(clause)).strip():
        return False
    intent, p = classify(clause)
    return intent == "create_task" and p >= TASK_AFTER_LOG_AT


def _ordered(clause: str) -> str | None:
    """The segment kind an order after a log starts, when the classifier is sure of it."""
    if _THEIR_NEWS.match(clause):
        return None  # what they do, not an order
    intent, p = classify(clause)
    return _ORDER_KINDS.get(intent) if p >= ORDER_AT else None


# How sure the classifier must be that the words before a message's first order tell of
# a call, a meeting or an e-mail with someone for them to be logged as one.
ENCOUNTER_AT = 0.9


def _told_an_encounter(clauses: list[str]) -> bool:
    said = ", ".join(clauses)
    if _BOOKED.search(said):
        return False  # a meeting to come
    label, p = classify(said)
    people = [s for s in name_spans(said) if span_is_person(s)]
    # (or what someone asked or said: "Ana from Acme asked for pricing, call her friday")
    return label == "log_activity" and bool(people) and (p >= ENCOUNTER_AT or _THEY_TOLD.match(
        said, people[0].end) is not None and p >= 0.5)  # someone was there


_THEY_TOLD = re.compile(r"(?:\s+(?:from|at|@|of)\s+[^,;]{1,40}?|\s*\([^)]{1,40}\))?\s+"
                        r"(?:asked|wants|said|says|needs|confirmed|agreed|approved|replied|"
                        r"came back|got back|mentioned|told me)\b", _I)


def _bare_cue(seg: Segment) -> str:
    """What a task segment says beyond its cue ("task", "remind me") and when it is due
    ("Reminder for 4 January 09:30: kick-off call with Bergmann" says it after the colon)."""
    return _beyond_the_cue(seg.text)


@lru_cache(maxsize=256)
def _beyond_the_cue(text: str) -> str:
    rest = _TASK_CUE.sub(" ", text)
    rest = strip_spans(rest, find_when(rest, _REF, future=True).spans)
    return re.sub(r"\b(?:for|on|at|by|me)\b", " ", rest, flags=_I).strip(" ,.:;-")


# ---- one handler per segment kind ----------------------------------------------------


def _leftover(text: str, spans: list[tuple[int, int]]) -> str:
    rest = strip_spans(text, spans)
    rest = re.sub(r"^(?:(?:i|we|had|have|did|a|an|the|with|and|about|on|that|him|her|them)\b\s*)+",
                  "", rest.strip(), flags=_I)
    return " ".join(rest.split()).strip(" ,.-:;")


# "Zoom with Søren (Nordlys AS)": the tool a meeting was held on is no company in it.
_MEDIUM = re.compile(r"\b(?:zoom|teams|ms teams|google meet|gmeet|webex|skype|whatsapp|facetime)"
                     r"(?=\s+(?:call\s+|meeting\s+|chat\s+)?(?:with|w/|w)\b)", _I)


_PRONOUN_SAID = re.compile(r"\b(?:him|her|them)\b", _I)


_THERE_WITH = re.compile(r"\bat\s+\S.*\s(?:with|w/)\s+(?-i:[A-Z\u00c0-\u00de])", _I)


_JUST_NOW = re.compile(r"\bjust (?:got off|finished|left|wrapped|hung up|came out|had|spoke|"
                       r"called|met|got back)\b", _I)
_A_PERIOD_BACK = re.compile(r"\blast (?:month|year|quarter|fy|season)\b", _I)


_ONLY_LINKS = re.compile(r"\b(?:from|at|of|with|on|in)\b", _I)


def log_action(seg: Segment, now: dt.datetime, ctx: Context) -> LogActivity:
    """`log_activity`: kind, who, what was said, and the day it happened."""
    header, details = seg.clauses[0], seg.clauses[1:]
    lead_in = None
    if _log_kind(header) is None and details and _log_kind(details[0]):
        # "Tuesday: met with Gloria": the clause before the cue only says when.
        when_only = find_when(header, now, future=False, us=ctx.us)
        if when_only.day is not None and not strip_spans(header, when_only.spans):
            header, details = details[0] + " " + header, details[1:]
        elif len(header.split()) <= 6 and not _has_when(header) and not _NOTE_CUE.match(header):
            # "Qamar Trading LLC - called Fatima on Tuesday": a name said first, then the act.
            lead_in, header, details = header, details[0], details[1:]
    # "Yesterday at Galway Bay Seafoods with Declan Moore": being there with someone is a
    # meeting, though no word says so.
    kind = _log_kind(header) or next(filter(None, map(_log_kind, details)), None) or (
        "meeting" if _THERE_WITH.search(header) else "note")
    found = who(_MEDIUM.sub(lambda m: m.group(0).lower(), header))
    if lead_in is not None:
        named = who(lead_in)
        if named.account or named.contact:
            found = replace(found, contact=found.contact or named.contact,
                            account=found.account or named.account)
    # The day is read around the names: the "Thu" of "Đặng Thu Hà" is no Thursday.
    masked = header
    for a, b in found.spans or []:
        masked = masked[:a] + " " * (b - a) + masked[b:]
    when = _when_it_happened(masked, now, ctx.us)
    spans = list(found.spans or []) + when.spans
    contact, account = found.contact, found.account
    for detail in details:
        if account is None or contact is None:
            more = who(detail, markers_only=True, leading=detail is details[0])
            contact = contact or more.contact
            account = account or more.account
        if when.day is None and (_PAST_HINT.search(detail) or _TOLD_DONE.match(detail)) and \
                not _JUST_NOW.search(header) and not _A_PERIOD_BACK.search(detail):
            # (not "just got off w/ Deirdre - had a ransomware scare last month": the scare's)
            when = _when_it_happened(detail, now, ctx.us)
        elif when.day is None and when.moment is None and len(detail.split()) <= 8:
            # "had coffee with Lena Brandt, CFO at Nordwerk, on tuesday.": the day alone, or
            # with where it was ("… Gordon Tremblay — from Ottawa Valley Rentals on Wednesday")
            said = _when_it_happened(detail, now, ctx.us)
            rest = strip_spans(detail, said.spans + (list(
                who(detail, markers_only=True).spans or []) if said.spans else []))
            if said.spans and not _ONLY_LINKS.sub("", rest).strip(" ,.;:-"):
                when = said
    if account is None and contact:
        account = _company_after(contact, header, details)
    if contact is None and account is None and (ctx.added or _PRONOUN_SAID.search(header)):
        # "new contact: Hamid ... - intro coffee", "...; also emailed him the brochure"
        contact, account = ctx.contact, ctx.account
    day = when.day or (when.moment.date() if when.moment else None)
    if day is None or day > now.date():
        day = now.date()
    cue = dict(_KIND_RES)[kind].search(header)
    # ("did the demo of the forklifts": a thing done, said with its article, is the note's)
    told = cue is not None and not (kind == "meeting" and re.search(
        r"\b(?:a|an|the|our|my)\s+$", header[:cue.start()], _I))
    head = _leftover(header, spans + ([cue.span()] if told else []))
    head = re.sub(r"^(?:log(?:ged)?|call|a call|note|meeting)\b\s*", "", head, flags=_I)
    head = re.sub(r"[*_~`]+", " ", head).strip()
    if not re.search(r"\w", head) or re.fullmatch(r"(?:left|left a|notes?|recap|summary|debrief)",
                                                  head, _I):
        head = ""  # "*Call recap*", "left vm": only the markup or the cue's own word was left
    while details and _names_only(details[0], contact, account):
        details = details[1:]  # "Call recap - Aarav Iyer, Bengaluru Mobility": names, no note
    voicemail = None
    if cue and re.search(r"voicemail", cue.group(0), _I):
        # "2nd voicemail for Zoë": that a message was left is the note.
        nth = re.search(r"\b(\d+(?:st|nd|rd|th)|second|third|another)\s*$",
                        header[:cue.start()], _I)
        voicemail = f"left {nth.group(1) + ' ' if nth else ''}voicemail"
        if nth:
            head = re.sub(rf"^{re.escape(nth.group(1))}\b\W*", "", head, flags=_I)
        got = re.search(r"\b(?:got|received|had|listened to|there's|there was)\s+(?:a\s+|an\s+)?$",
                        header[:cue.start()], _I)
        if got or re.match(r"\s*from\b", header[cue.end():], _I):
            voicemail = "got a voicemail"  # one left for us, not by us
            if got:
                head = re.sub(rf"^{re.escape(got.group(0).strip())}\W*", "", head, flags=_I)
    summary = _as_typed(ctx.source, header, head, details) or \
        "; ".join(p for p in [head, *details] if p) or None
    if summary and ")" in summary and (account or contact):
        # "(Director of Ops, Al Noor Hospitality LLC)": who they are, already in the fields
        named = "|".join(re.escape(n) for n in (account, contact) if n)
        summary = re.sub(r"\s*(?:\([^()]*\b(?:" + named + r")\b[^()]*\)?|^[^()]*\b(?:" + named
                         + r")\b[^()]*\))", "", summary).strip(" ,.;:-") or None
    if voicemail and not re.search(r"voicemail|\bvm\b", summary or "", _I):
        summary = f"{voicemail}, {summary}" if summary else voicemail
    ctx.contact, ctx.account, ctx.summary = contact, account, summary
    if contact:
        ctx.company_of[contact] = account
    log = LogActivity(
        kind=kind,  # type: ignore[arg-type]
        contact=contact, account=account, summary=summary,
        occurred_on=day, unparsed_date=when.unparsed,
    )
    said = _as_typed(ctx.source, header, header, []) or header
    log._said = re.sub(r"^(?:log|record|add)\s+(?:an?\s+)?", "", said, flags=_I)
    return log


# A clause that is only a company's name: one to five words, each capitalized (or a
# digit, "&", "+", a legal form's dots), the small joining words allowed between them.
_COMPANY_AFTER = re.compile(
    r"[A-Z0-9À-Þ][\w'&+.-]*(?:\s+(?:(?:and|of|de|du|do|da|del|der|&)\s+)?"
    r"[A-Z0-9À-Þ&][\w'&+.-]*){0,4}")


def _company_after(contact: str, header: str, details: Sequence[str]) -> str | None:
    """ "Meeting notes — Kofi Boateng, Accra Mills • …": the clause right after the one
    that ends with the person, when it is nothing but a company's name."""
    clauses = [header, *details]
    for i, clause in enumerate(clauses[:-1]):
        if clause.rstrip(" *_").endswith(contact):
            after = clauses[i + 1].strip()
            return after if _COMPANY_AFTER.fullmatch(after) else None
    return None


def _names_only(clause: str, contact: str | None, account: str | None) -> bool:
    """A clause that says no more than who: "Anil Kapoor (Sutra Textiles)"."""
    for name in (contact, account):
        if name:
            clause = clause.replace(name, " ")
    return not re.sub(r"[\s()\[\],.;:@&|/-]+|\b(?:at|from|of|with|w)\b", "", clause, flags=_I)


# A date said of what comes next, not of the activity: "decision end of march",
# "leaving the company end of Feb", "out till the 22nd", "starts in May".
_AHEAD_BEFORE = re.compile(
    r"(?:\b(?:till|til|until|by|before|after|starting|starts?|decision|decide|deadline|due|"
    r"expires?|expiring|renewal|renews?|closing|closes|launch|go-?live|kick-?off|planned|"
    r"scheduled|targeting|target|aiming)(?:\s+the)?"
    r"|\b(?:leaving|leaves|back|out|away|off)(?:\s+\S+){0,3})\s*$", _I)
_AHEAD_SAID = re.compile(r"^(?:by|until|till|before|end of|start of|beginning of|next|"
                         r"in\b|this coming|coming|\w+ (?:days?|weeks?|months?) from)", _I)


# What can only be behind us, whatever comes before it ("emailed back yesterday")
_PAST_SAID = re.compile(r"^(?:yesterday|last\b|earlier)|\bago$", _I)


def _when_it_happened(text: str, now: dt.datetime, us: bool):
    """The day an activity took place, from a date phrase that says so ("yesterday", "on
    Monday"); phrases about what lies ahead are passed over, and a day over eight months
    back is only taken when its year was said."""
    for _ in range(3):
        when = find_when(text, now, future=False, us=us)
        if not when.spans or (when.day is None and when.moment is None):
            return when
        start, end = when.spans[0]
        said = text[start:end].strip()
        day = when.day or (when.moment.date() if when.moment else None)
        ahead = _AHEAD_SAID.match(said) or _AHEAD_BEFORE.search(
            text[max(0, start - 40):start]) and not _PAST_SAID.search(said)
        stale = day is not None and (now.date() - day).days > 240 and \
            not re.search(r"\d{4}", said)
        if not ahead and not stale:
            return when
        text = text[:start] + " " * (end - start) + text[end:]
    return find_when("", now, future=False, us=us)


_TASK_CUE = first_tested(
    r"(?:(?<!\w)|(?=[,\s]))",
    r"^(?:task|todo|to-?do)(?:\s+for\s+me)?\b|\b(?:please\s+)?remind(?:er)?s?(?:\s+me)?(?:\s+(?:to|about|that))?\b"
    r"|\bremember to\b|\bdon'?t (?:let me )?forget(?: to)?\b|^ping me(?:\s+(?:to|about))?\b"
    r"|\b(?:create|add|set|make|new|put)\s+(?:me\s+)?(?:a\s+|an\s+|in\s+a\s+)?(?:new\s+)?"
    r"(?:(?P<fu>follow[- ]?up)\s+)?"
    r"(?:task|reminder|to-?do)(?:\s+for\s+me)?(?:\s+(?:to|for))?\b"
    r"|,?\s*(?:make|put|add|save)\s+(?:it|this|that)\s+(?:as\s+)?(?:a\s+)?(?:task|reminder|to-?do)\b"
    r"|,?\s*(?:put|add|save)\s+(?:it|this|that)\s+(?:in|on|to)\s+my\s+(?:tasks|to-?dos|list)\b"
    r"|,?\s*(?:a\s+)?task for (?:that|this|it)\b(?:\s+(?:pls|please))?",
    _I,
)
_OBJECT_OF = re.compile(
    r"\b(?:wants|asked for|asked about|needs|requested|interested in|waiting on|waiting for)\s+"
    r"(?:the\s+|a\s+|an\s+|some\s+|our\s+)?([\w-]+(?:\s+(?!(?:by|for|before|after|from|and|"
    r"so|but|to|on|in|at|asap|next|this|tomorrow|today|when|if|because|with)\b)[\w-]+){0,2})",
    _I,
)


def _as_typed(source: Normalized | None, header: str, head: str,
              details: list[str]) -> str | None:
    """The note as the person typed it (their punctuation, slang and spelling): the
    header's leftover, then the detail clauses with what was typed between them; None
    when it cannot be traced back to the message."""
    at = source.text.find(header) if source else -1
    if at < 0:
        return None
    end = at + len(header)
    note = ""
    if head:
        start = source.text.find(head, at, end)
        # Words cut out of the middle of the header (names, dates): the parser's reading.
        note = source.typed(start, start + len(head)) if start >= 0 else head
    if details:
        first = source.text.find(details[0], end)
        rest = source.verbatim(details, after=end)
        if first < 0 or rest is None:
            return None
        note += (source.typed(end, first) if note else "") + rest  # "! " stays "! "
    return note or None


def _ends_trimmed(text: str) -> str:
    """`text` without punctuation at its ends, but with the stop that closes an
    abbreviation ("Viñedos Lara S.A.", "Boréal Hydro inc.")."""
    trimmed = text.strip(" ,.:;-")
    if text.rstrip(" ,:;-").endswith(".") and re.search(
            r"(?:\b\w\.(?:\w{1,3}\.)*\w{1,3}|\b(?:inc|ltd|corp|co|bhd))$", trimmed, _I):
        trimmed += "."
    return trimmed


_THAT_DAY = re.compile(r"\b(?:on )?(?:that day|that date|the same day)\b|\bthen\W*$", _I)


def task_action(seg: Segment, now: dt.datetime, ctx: Context) -> CreateTask:
    """`create_task`: a title, when it is due, and who it is about."""
    text = seg.text
    when = find_when(text, now, future=True, us=ctx.us)
    source = ctx.source.text if ctx.source is not None else ""
    before = source[:max(source.find(seg.clauses[0]), 0)]
    cue = next((c for c in seg.clauses[1:] if TASK_RE.search(c)), None)
    if cue is not None and (at := text.find(cue)) > 0 and _has_when(text[:at]) and \
            (_has_when(cue) or _THAT_DAY.search(cue)):
        # "booked a call for Tues 11am, remind me at 10:30 that day to prep": when the
        # order says, not the meeting it is for
        own = find_when(cue, now, future=True, us=ctx.us)
        when = replace(own, spans=[(a + at, b + at) for a, b in own.spans])
        before = text[:at]
    if when.moment is None and (that := _THAT_DAY.search(text)) is not None:
        # "he's out till Jan 15, remind me to call him back that day", "a call on Tues
        # 11am, remind me at 10:30 that day": the day said before, at the time said here
        said = find_when(before, now, future=True, us=ctx.us)
        if said.day is not None:
            when = replace(when, day=said.day, spans=[*when.spans, that.span()])
    title = strip_spans(text, when.spans)
    # "first thing (tomorrow)" says when (the default morning hour), not what.
    title = re.sub(r"\bfirst thing(?:\s+in the morning)?\b", " ", title, flags=_I)
    # ("create a follow up task for onboarding": to follow up on onboarding)
    title = _TASK_CUE.sub(lambda m: " follow up on " if m.groupdict().get("fu") else " ", title)
    title = re.sub(r"^(?:push|move|reschedule|bump|shift|postpone)\s+(?:my|the|our)\s+|\s+to$",
                   "", _ends_trimmed(title), flags=_I)
    title = _ends_trimmed(re.sub(_LEAD_IN, "", " ".join(title.split()), flags=_I))
    # "Hey remind me …": a greeting is no part of the order
    title = re.sub(r"^(?:hey|hi|hello|ok|okay|yo|quick one)\b[\s,!.-]*", "", title, flags=_I)
    title = re.sub(r"\s+([,;])", r"\1", title)  # "Call Anil , to ask": a date cut out before it
    # "booked a demo with Tomasz for 2pm Thursday": the demo is the task; "remind me on
    # 15.03. to send …": the order, without its "to"
    title = re.sub(r"^(?:booked|scheduled|planned|arranged|set up)\s+(?:(?:a|an|the)\s+)?|"
                   r"^to\s+(?=\w)|\s+(?:for|on|at)$", "", title, flags=_I)
    found = who(title, markers_only=True)
    contact, account = found.contact, found.account
    if contact and re.fullmatch(r"(?:\w+\s+)?(?:myself|me|us|ourselves|yourself)", contact, _I):
        contact = None  # "intro myself": the speaker, not a contact
    if contact and ctx.contact and account is None and \
            ctx.contact.lower().split()[0] == contact.lower():
        # "Kenji" of "Kenji Watanabe" just met, at his company (not the deal said since)
        contact, account = ctx.contact, ctx.company_of.get(ctx.contact, ctx.account)
    if contact is None and account is None:
        contact, account = ctx.contact, ctx.account
    elif account is None and contact == ctx.contact:
        account = ctx.account
    if ctx.summary and re.search(r"\b(?:it|them|that)\b", title, _I):
        thing = _OBJECT_OF.search(ctx.summary)
        if thing:
            title = re.sub(r"\b(?:it|them|that)\b", thing.group(1), title, count=1, flags=_I)
    person = contact or account
    pronoun = re.compile(r"\b(?:him|her)\b" if contact else r"\bthem\b", _I)
    if person and pronoun.search(title):
        title = pronoun.sub(person, title, count=1)  # "send them the pack": the account
    if person and person.lower() not in title.lower():
        if re.match(r"(?:send|email|forward|share)\b", title, _I):
            title = f"{title} to {person}"
        elif re.fullmatch(r"(?:follow up|check in|circle back|reach out|touch base)", title, _I):
            title = f"{title} with {person}"
    if person and (_TRY_AGAIN.fullmatch(title) or title.lower() in (
            f"{verb} {person.lower()} again" for verb in ("try", "retry", "call"))):
        title = f"Call {person} again"  # "voicemail for Mehmet, try again monday"
    if not title:
        title = f"Follow up with {person}" if person else "Follow up"
    return CreateTask(title=title[0].upper() + title[1:], due=when.due(), contact=contact,
                      account=account, unparsed_date=when.unparsed)


def _deal_account(text: str) -> str | None:
    m = re.search(r"\b(?:for|with|at)\s+(?=[A-Z\u00c0-\u00de])", text)
    if m:
        spans = name_spans(text[m.end():])  # the whole name: "Kahale Surf & Sail"
        if spans and spans[0].start == 0:
            return spans[0].text
    for span in name_spans(text):
        return span.text
    return None


_DEAL_TITLE = re.compile(
    r"(?:\d[\d.,]*\s?[km]?|\b(?:a|an|new))\s+([a-z][\w-]*(?:\s+[a-z][\w-]*)?)\s+deal\b", _I
)


def _lower_for(clause: str) -> str | None:
    """ "new 18k deal for brightwave": a lower-case account last after for/with/at."""
    m = re.search(r"\b(?:for|with|at|w)\s+(?P<n>[a-z][\w&'.-]*(?:\s+[a-z][\w&'.-]*)?)\s*$",
                  clause)
    if m is None:
        return None
    name = m.group("n")
    if NOT_NAMES.intersection(name.split()) or find_stage(name) or find_money(name) or \
            name.lower() in STAGE_SYNONYMS:  # "a 65k deal for them at lead"
        return None
    return name


def deal_action(seg: Segment, now: dt.datetime, ctx: Context) -> CreateDeal:
    """`create_deal`: account, amount, stage, close date."""
    text = seg.text
    money = find_money(text)
    when = find_close_date(text, now, us=ctx.us)
    account = _deal_account(strip_spans(text, when.spans + ([money[1]] if money else []))) \
        or _lower_for(seg.clauses[0]) \
        or _lower_after_cue(seg.clauses) or ctx.account
    title = None
    m = _DEAL_TITLE.search(text)
    quoted = re.search(r"['\"\u2018\u201c]([^'\"\u2019\u201d]{2,80})['\"\u2019\u201d]", text)
    named = [t for t in tag(text) if t.kind == "DEAL" and t.confidence >= 0.7]
    if quoted:
        title = quoted.group(1).strip()  # "new deal: Oberholzer AG, 'EMEA rollout', €120k"
    elif m and not find_stage(m.group(1)) and m.group(1).lower() not in ("new", "the"):
        title = m.group(1)
    elif named and not find_stage(named[0].text):
        title = named[0].text
    title = title or _title_clause(seg.clauses[1:], account) or next(
        (t for c in seg.clauses if (t := _title_after(c, account))), None)
    if money is None and ctx.summary and account and account == ctx.account:
        money = find_money(ctx.summary)  # "he confirmed AED 750k budget, add a deal for them"
    ctx.account = account
    money = money or _bare_amount(strip_spans(text, when.spans))
    # the stage said of the deal, not a word of its account's name ("Al Noor Contracting")
    said = text.replace(account, " ") if account else text
    stage = find_stage(said) or next((STAGE_SYNONYMS["lead"] for c in seg.clauses
                                      if _LEAD_CLAUSE.fullmatch(c)), None)
    return CreateDeal(account=account, title=title, amount=money[0] if money else None,
                      stage=stage, close_date=when.day,  # type: ignore[arg-type]
                      unparsed_date=when.unparsed)


# "new opp: Sakura Robotics, 2.5M, lead": a stage said alone in its own field.
_LEAD_CLAUSE = re.compile(r"(?:(?:at|in|as|stage)\s+)?(?:a\s+)?lead(?:\s+stage)?", _I)
_NOT_A_TITLE = re.compile(
    r"^(?:(?:new|create|open|add)\s+(?:deal|opp)\b|close|closing|closes|expected|exp|owner|contact|"
    r"with|w|via|from|they|we|he|she|i|it|"
    r"stage|amount|for|at|in|by|on|decision|budget|champion|source|probability|prob|"
    r"needs?|wants?|likely|maybe|prob|just|also|and|then|remind|follow|called|met|"
    r"emailed|see|per|est|estimated|approx|about|around|~)\b|^\W|^[\d,.]+$|\b\d{4}\b", _I)


_NEW_DEAL_OF = re.compile(r"^(?:new|create|open|add)\s+(?:an?\s+)?deal\s*(?:for\s+)?"
                          r"(?P<n>[a-z][\w&'.-]*(?:\s+[a-z][\w&'.-]*){0,3})$")


def _lower_after_cue(clauses: list[str]) -> str | None:
    """ "new deal vdm plant hire, 30t excavator rental, 96k": the account in lower case
    right after the cue, as the whole first field."""
    first = clauses[0]
    if (money := find_money(first)) is not None:  # "new deal for acme 40k"
        first = (first[:money[1][0]] + first[money[1][1]:]).strip()
    m = _NEW_DEAL_OF.match(first)
    if m is None and len(clauses) > 1 and re.fullmatch(r"(?:new|create|open|add)\s+(?:an?\s+)?deal",
                                                       clauses[0], _I):
        m = re.match(r"(?P<n>[a-z][\w&'.-]*(?:\s+[a-z][\w&'.-]*){0,3})$", clauses[1])
    name = m.group("n") if m else None
    if not name or NOT_NAMES.intersection(name.split()) or find_stage(name) or \
            find_money(name) or _has_when(name):
        return None
    return name


def _title_after(clause: str, account: str | None) -> str | None:
    """ "new deal Blackrock Quarry crusher service contract 1.2 million": the words said
    between the account and the deal's figures name the deal."""
    at = clause.find(account) if account else -1
    if at < 0:
        return None
    rest = clause[at + len(account):]
    money, stage_or_when = find_money(rest), _STAGE_OR_WHEN.search(rest)
    cut = min(len(rest), money[1][0] if money else len(rest),
              stage_or_when.start() if stage_or_when else len(rest))
    return _title_clause([rest[:cut].strip(" ,:-")], account)


_STAGE_OR_WHEN = re.compile(r"\b(?:close|closing|closes|stage|in|at|lead|qualified|qualification|"
                            r"discovery|demo|proposal|negotiation|by)\b", _I)


def _title_clause(details: list[str], account: str | None) -> str | None:
    """ "create deal for Atlas, MES rollout, $48,500": a short field that is no amount, date,
    stage or the account names the deal."""
    for clause in details:
        said = clause.strip(" '\"")
        if not said or len(said.split()) > 5 or _NOT_A_TITLE.search(said) or \
                _LEAD_CLAUSE.fullmatch(said) or \
                find_stage(said) or find_money(said) or _has_when(said) or \
                (account and (account.lower() in said.lower() or said.lower() in account.lower())):
            continue
        return said
    return None


_NAME_WORDS = r"[a-z0-9][\w&'.-]*(?:\s+[a-z0-9][\w&'.-]*){0,2}?"
# "move northwind to negotiation", "northwind is closed won", "lost hooli to a competitor":
# the deal named in lower case, found by where it sits around the update verb.
_BARE_DEAL = re.compile(
    r"^(?:(?:we|i|just|finally|also|and|so|ok|then)\s+)*(?:move[ds]?|moving|push(?:ed)?|"
    r"bump(?:ed)?|advance[ds]?|mark(?:ed)?|set|change[ds]?|update[ds]?|upgrade[ds]?|"
    r"downgrade[ds]?|drop(?:ped)?|slip(?:ped)?|lost|won|re-?open(?:ed)?)\s+(?:the\s+)?"
    rf"(?P<a>{_NAME_WORDS})(?:'s)?(?:\s+(?:deal|opp|account|renewal))?"
    r"(?=\s+(?:to|into|as|back|forward|up|down|out|closed|close|stage|because|amount|"
    r"value)\b|\s*$)"
    rf"|^(?:the\s+)?(?P<b>{_NAME_WORDS})(?:'s)?(?:\s+(?:deal|opp|renewal))?\s+(?:is|are|was|"
    r"has|have|just|now|moved|went|got|signed|closed|slipped|pushed|advanced)\b",
    _I,
)
_NOT_DEALS = words(
    "close date amount status value size stage one all both everything deal deals them him her us"
    " me it its they those these this that both opp opps everyone customer client prospect"
    " contract price pricing acv arr tcv budget"
    # who or what inside the customer moved, not the deal: "procurement pushed signing"
    " procurement legal finance security infosec compliance purchasing board management"
    " leadership pilot poc signing signature kickoff rollout it ops team"
)


def bare_deal_name(text: str) -> str | None:
    """A deal or account named in lower case around an update verb, or None."""
    m = _BARE_DEAL.match(text.strip())
    name = (m.group("a") or m.group("b")) if m else None
    if not name or find_stage(name) or find_money(name):
        return None
    first = name.split()[0].lower()
    if first in NOT_NAMES or first in _NOT_DEALS or re.fullmatch(r"\d+", first):
        return None
    return name


def _with_deal_title(text: str, span: Span) -> str:
    """The account and the deal title said right after it, as one name ("Greenstone
    Logistics team expansion"): the executor finds the deal by both. A title of one word
    ("renewal", "pilot") says too little to be told apart, so only longer ones count."""
    for t in tag(text):
        if t.kind != "DEAL" or t.confidence < 0.7 or len(t.text.split()) < 2 or \
                find_stage(t.text) or find_money(t.text):
            continue
        gap = text[span.end:t.start]
        if t.start >= span.start and re.fullmatch(r"(?:'s)?\s*", gap) or \
                span.start <= t.start < span.end:
            return text[span.start:max(span.end, t.end)].strip()
    return span.text


# An amount asked for without a figure: the one just told ("bump the deal to that").
_AMOUNT_BEFORE = re.compile(r"\b(?:update|change|set|bump|adjust)\b.{0,25}\b(?:amount|value)\b"
                            r"|\bto that\b", _I)
# "they went with Salesforce": the company named after this won the deal from us.
_COMPETITOR_BEFORE = re.compile(r"\b(?:went|going|gone) with\s+$|\b(?:chose|picked|selected|"
                                r"signed with|lost (?:it |out )?to|switched to|decided on)\s+$", _I)
_STATUS_ONLY = re.compile(r"(?:(?:is|was|has|it's|its|the deal|deal|now|just|been|gone|went)\s*)*"
                          r"(?:lost|dead|dark|quiet|cold|closed[- ]lost)\W*", _I)
_REASON_BEFORE = re.compile(r"\b(?:because(?: of)?|due to|since|as|thanks to|after|over|"
                            r"given|owing to)\s+(?:the\s+|their\s+|a\s+)?$", _I)


_ORDERED_NAME = re.compile(r"\b(?:mark|move|set|put|push|bump|drop|update|change|close)\s+"
                          r"(?:the\s+)?(?P<n>(?-i:[A-Z\u00c0-\u00de]))", _I)


def update_action(seg: Segment, now: dt.datetime, ctx: Context) -> UpdateDeal:
    """`update_deal`: stage/status/amount/close date of the account's deal."""
    header, details = seg.clauses[0], seg.clauses[1:]
    when = find_close_date(header, now, us=ctx.us)
    said_money = find_money(header)
    # "250k AUD", "SGD 420k": a currency code is never the deal's name.
    cleaned = strip_spans(header, [*when.spans, *([said_money[1]] if said_money else [])])
    account = None
    spans = name_spans(cleaned)
    # "... gone with a cheaper installer from Chester so mark Wrexham Timber as lost": the
    # name the order is about, wherever the news named others
    ordered = _ORDERED_NAME.search(cleaned)
    spans = sorted(spans, key=lambda sp: ordered is None or sp.start != ordered.start("n"))
    for span in spans:
        if find_stage(span.text) or (ctx.account and _REASON_BEFORE.search(cleaned[:span.start])):
            continue  # "pushed ... because of harvest season": the why, not the deal
        if len(span.text) <= 1 or (span.start and cleaned[span.start - 1].isdigit()):
            continue  # the "M" of "2.4M"
        account = _with_deal_title(cleaned, span)
        break
    if account is not None:
        # "move the MES rollout deal": the name said before "deal" is the deal's, in full.
        whole = re.search(rf"\b{re.escape(account)}((?:\s+[\w&'.-]+){{1,3}}?)\s+(?:deal|opp)\b",
                          cleaned) if re.search(r"\b(?:deal|opp)\b", cleaned) else None
        if whole and not (find_stage(whole.group(1)) or find_money(whole.group(1)) or
                          re.search(r"\b(?:is|was|to|the|a|and|for)\b", whole.group(1), _I)):
            account = whole.group(0).rsplit(None, 1)[0]
    account = account or bare_deal_name(cleaned)
    for detail in details if account is None else ():
        # "Good news: Okafor & Adebayo Legal signed": the name follows the lead-in clause.
        said = find_money(detail)
        detail = strip_spans(detail, [said[1]]) if said else detail
        named = [sp for sp in name_spans(detail) if not find_stage(sp.text)
                 and not _COMPETITOR_BEFORE.search(detail, 0, sp.start)]
        if named and not span_is_person(named[0]):
            account = named[0].text
            break
    account = account or bare_deal_name(cleaned) or ctx.account or ctx.contact
    ctx.account = account
    stage = find_stage(header)
    money = said_money or _bare_amount(cleaned)
    if money is None and ctx.summary and _AMOUNT_BEFORE.search(seg.text):
        money = find_money(ctx.summary)  # "they accept NOK 4,2 mill. Update the deal amount"
    signed = bool(SIGNED_RE.search(header))
    after_status: list[str] = []
    said_before: list[str] = []
    # Clauses after the header add to the same change: "→ proposal. close date end of
    # feb", "moved to demo, bumped to 150k", "Brightwater - lost. budget cut".
    for i, detail in enumerate(details):
        if stage is None and not signed and (
                UPDATE_RE.search(detail) or _UPDATE_VERB.search(detail)
                or len(detail.split()) <= 3 or SENT_QUOTE_RE.search(detail)):
            stage = find_stage(detail)  # "the Zentrix deal is dead, lost to budget cuts"
            if stage is not None:
                after_status = details[i + 1:]
                said_before = [header, *details[:i]]  # "Kestrel decided not to proceed, mark lost"
        if stage is None and SIGNED_RE.search(detail):
            signed = True
        money = money or find_money(detail) or (
            _bare_amount(detail) if re.search(r"\b(?:amount|value|price|at|to)\b", detail, _I)
            else None)  # "amount now 97,500"
        if when.day is None and re.search(r"\bclos(?:e|ing|es)\b|\bdate\b|\bslip|\bpush",
                                          detail if i else header + " " + detail, _I):
            when = find_close_date(detail, now, us=ctx.us)
    for detail in details:
        # "proposal sent, moving to negotiation": where the deal moves to wins.
        if re.search(r"\b(?:mov|advanc|push|bump|progress)\w*\s+(?:it\s+|them\s+|the deal\s+)?"
                     r"(?:on\s+)?(?:to|into)\b", detail, _I) and (target := find_stage(detail)):
            stage = target
    status = None
    if re.search(r"\bre-?open", header, _I) or (
            stage is None and any(re.match(r"(?:so\s+|pls\s+|please\s+)?re-?open\b", d, _I)
                                  for d in details)):  # "Oxxo is back from the dead, reopen it"
        status, stage = "open", None
    elif stage in ("won", "lost"):
        status = stage
    elif signed:
        stage = status = "won"
    reason = None
    if status == "lost":
        m = re.search(r"\b(?:because|due to|to|on)\b\s+(.+)$", cleaned, _I)
        before = [b for b in (strip_spans(c, [(c.find(account), c.find(account) + len(account))])
                              if account and account in c else c for c in said_before)
                  if len(b.split()) >= 2 and not _STATUS_ONLY.fullmatch(b)]
        # "mark Lviv Brewery Group as lost they have no budget": the words after "lost"
        tail = re.search(r"\blost\b[\s,.:;-]+(?P<why>(?!(?:and|also|then|so|close|stage)\b)"
                         r"\w+(?:\s+\S+){2,})$", cleaned, _I)
        reason = "; ".join(after_status or before or details) or (m.group(1) if m else None) \
            or (tail.group("why") if tail else None) or ctx.summary
    return UpdateDeal(account=account, stage=stage, status=status,  # type: ignore[arg-type]
                      amount=money[0] if money else None, close_date=when.day, reason=reason,
                      unparsed_date=when.unparsed)


def _bare_amount(text: str) -> tuple[float, tuple[int, int]] | None:
    """A plain number of four digits or more said of a deal ("64,500"), never a year."""
    for m in re.finditer(r"(?<![\w.$€£/:-])(\d{4,9})(?![\w.%/:])", text):
        value = int(m.group(1))
        if not 1990 <= value <= 2100:
            return float(value), m.span()
    return None


_LOWER_TO = re.compile(r"\b(?:to|for|at|with)\s+(?P<n>[a-z][\w&'.-]*(?:\s+[a-z][\w&'.-]*)?)\s*$")


def quote_actions(seg: Segment, now: dt.datetime, ctx: Context) -> list[Action]:
    """"sent the quote to Acme": an e-mail logged and the deal moved to `proposal`."""
    named_before = (ctx.contact, ctx.account) if ctx.account or ctx.contact else None
    log = log_action(seg, now, ctx)
    log.kind = "email"
    if log.contact is None and log.account is None:
        m = _LOWER_TO.search(seg.clauses[0])
        name = m.group("n") if m else None
        if name and name.split()[0] not in NOT_NAMES and not find_stage(name):
            log.account = ctx.account = name
    said = SENT_QUOTE_RE.search(seg.clauses[0])
    log.summary = "; ".join([said.group(0) if said else "sent the quote", *seg.clauses[1:]])
    update = UpdateDeal(account=log.account or log.contact or ctx.account, stage="proposal")
    if log.contact is None and any(_UPDATE_ASKED.search(c) for c in seg.clauses):
        # "Nordhavn: we sent the quote, update the stage": the quote is why the deal moves;
        # with nobody it went to, there is no e-mail to log.
        return [update]
    if named_before and log.contact is None and log.account is None:
        # "Demo meeting with Acme today, sent the quote right after": news of the meeting
        # just logged; the deal of whom it was with moves.
        ctx.contact, ctx.account = named_before
        return [update.model_copy(update={"account": ctx.account or ctx.contact})]
    return [log, update]


_UPDATE_ASKED = re.compile(r"(?:pls\s+|please\s+)?\b(?:update|change|move|advance|bump|mark|set)"
                           r"\s+(?:the\s+)?"
                           r"(?:stage|deal|opp|it|pipeline|crm)\b", _I)


def _tagged_title(text: str) -> bool:
    """The tagger reads most of `text` as a job title ("Marketing Dir", "Head of Ops")."""
    covered = sum(t.end - t.start for t in tag(text) if t.kind == "TITLE" and t.confidence >= 0.5)
    return covered >= 0.6 * len(text.strip())


_PRONOUN = re.compile(r"(?:him|her|them|he|she|they)", _I)


def _contact_fixes(seg: Segment, name: str | None, account: str | None, title: str | None,
                   ctx: Context) -> tuple[str | None, str | None, str | None]:
    """What the field-by-field reading gets wrong: a pronoun for the person just met
    ("add her as a contact"), a company read as the name and a person as the company
    ("Brightwater & Sons' new CFO, Ngozi Adeyemi"), a company inside the title ("COO of
    Dakar Ports"), and a title said around the name ("she's their procurement lead")."""
    if name is None or _PRONOUN.fullmatch(name) or name.lower().startswith(("him ", "her ")):
        name, account = ctx.contact or name, account or ctx.account
    elif account is not None:
        as_name = next((s for s in name_spans(name) if s.text == name), Span(name, 0, 0))
        as_account = next((s for s in name_spans(account) if s.text == account),
                          Span(account, 0, 0))
        company_word = any(w.lower().strip(".") in COMPANY_WORDS for w in account.split())
        if not span_is_person(as_name) and (span_is_person(as_account) or (
                not company_word and any(w.lower().strip(".") in COMPANY_WORDS
                                         for w in name.split()))):
            name, account = account, name
    cut = re.match(r"(.+?)\s+(?:of|at|@)\s+(.+)$", title or "")
    if cut and account is None:
        org = next((s for s in name_spans(cut.group(2)) if s.start == 0), None)
        if org is not None and not span_is_person(org) and (
                len(org.text.split()) > 1 or any(c.isdigit() for c in org.text)):
            title, account = cut.group(1), org.text  # "COO of Dakar Ports 2030"
    if title is None:
        for text in (seg.text, ctx.summary or ""):
            found = [t for t in tag(text) if t.kind == "TITLE" and t.confidence >= 0.7]
            if found:
                title = re.sub(r"^(?:new|the|their|our)\s+", "", found[0].text, flags=_I)
                break
    if title is None and (said := _TITLE_SAID_AFTER.search(seg.text)) is not None and \
            said.group("title").split()[-1].lower() in TITLE_WORDS:
        title = said.group("title")  # "Jess … is their new buyer", however the tagger reads it
    return name, account, title


# "she's their new buyer", "he is the head of purchasing": a title said after the name
_TITLE_SAID_AFTER = re.compile(r"\b(?:is|'s|’s)\s+(?:their|the|our)\s+(?:new\s+)?"
                               r"(?P<title>[a-z][\w&-]*(?:\s+[a-z][\w&-]*){0,3}?)"
                               r"(?=\s*(?:[,.;]|$|\s(?:at|of|for|and|there|now)\b))", _I)


_MET_FILLER = re.compile(r"(?:(?:i|we|just|met|meet|a|an|the|today|yesterday|this morning|"
                         r"earlier|here'?s|there'?s|is|got|made)\b\s*)+", _I)


# A job said in Spanish, Portuguese, French or Italian, then its company: "jefe de compras
# en Hotel Arbola", "diretora comercial da Sonae", "responsable achats chez Accor"
_TITLE_OF_COMPANY = re.compile(r"(.*?\S)\s+(?:de|del|en|chez|da|do|na|no|em|di|della|presso)\s+"
                               r"(?=[A-Z\u00c0-\u00de])(.+)")
_CAPITALIZED = re.compile(r"\b[A-Z\u00c0-\u00de]")


def contact_action(seg: Segment, now: dt.datetime, ctx: Context) -> CreateContact:
    """`create_contact`: name, account, title, email, phone."""
    text = seg.text
    email = EMAIL_RE.search(text)
    text_wo_email = EMAIL_RE.sub(" ", text)
    phone = PHONE_RE.search(text_wo_email)
    name = account = title = None
    # Job titles the tagger reads in the whole message ("Marketing Dir", "procurement lead").
    titles = {t.text.lower() for t in tag(text) if t.kind == "TITLE" and t.confidence >= 0.6}
    # a parenthesis is a field of its own, but "(Pty) Ltd" is part of the company's name
    fields = split_clauses(re.sub(r"\((?!Pty\))|(?<!\(Pty)\)", ",",
                                  PHONE_RE.sub(" ", text_wo_email)))
    for i, part in enumerate(fields):
        part = re.sub(r"\b(?:(?:please\s+|pls\s+|kindly\s+)?(?:add(?:ed)?|new|create|save|register)"
                      r"(?:\s+(?:a|an|the))?|contacts?|"
                      r"to (?:my |the |our )?contacts|as a contact|phone|email|mobile|cell|tel)"
                      r"\b:?", " ", part, flags=_I)
        part = " ".join(part.split()).strip(" :-")
        part = part if ABBREVIATED_END.search(part) else part.strip(" .")  # "Hijos S.A."
        if not part or _MET_FILLER.fullmatch(part):
            continue  # "met a new contact today": the cue and when, no field
        at = re.split(r"\s+(?:at|from|@|with)\s+", part, maxsplit=1)
        head, company = (at[0], at[1]) if len(at) == 2 else (part, None)
        if company is None and (job_for := re.match(r"(.+?)\s+for\s+(.+)$", part)) and \
                find_title(job_for.group(1)) and name_spans(job_for.group(2)) and \
                not re.fullmatch(r"[A-Z]{2,4}|the [\w ]+", job_for.group(2)):
            head, company = job_for.groups()  # "Director of Operations for Lions Gate"
        if company is None and (their := _TITLE_OF_COMPANY.match(part)) and \
                (find_title(their.group(1)) or _tagged_title(their.group(1))) and \
                not any(_CAPITALIZED.search(f) for f in fields[i + 1:]):  # "Diretora de TI, Coop…"
            head, company = their.groups()  # "jefe de compras de Cementos del Valle S.A."
        is_title = bool(head) and bool(find_title(head) or _tagged_title(head)
                                       or head.lower() in titles and not _a_name_not_a_job(head))
        if name is None and i <= 1 and is_title and (said := _job_then_name(head)):
            title, name, head, is_title = *said, "", False  # "add contact CFO Rogelio Garza"
        if name is None and i <= 1 and not is_title:
            spans = name_spans(head)
            if spans:
                # (the whole field when the tagger left out a given name that is also a
                # word: "Per Axelsson")
                name = head if head.endswith(" " + spans[0].text) and _a_name_not_a_job(head) \
                    and not any(w.lower() in COMPANY_WORDS for w in head.split()) \
                    else spans[0].text
                head = ""
            elif re.fullmatch(r"(?:[^\W\d_]+\.? )?[^\W\d_][\w'-]*(?: [^\W\d_][\w'-]*){0,3}", head):
                name, head = head, ""  # "add contact mia nguyen": the first field is the name
        if head and title is None and (is_title or company and name is not None and i > 0):
            title = head  # "María Pérez, Gerente de Operaciones at Arcos Dorados"
        elif head and account is None and name is not None and name_spans(head):
            account = name_spans(head)[0].text
        if company and account is None:
            spans = name_spans(company)
            account = spans[0].text if spans else company
    legal = next((f.strip(" .,") for f in fields[1:] if has_legal_form(f) and name_spans(f)),
                 None)
    if legal and title is None and account and not has_legal_form(account) and \
            account not in legal:
        # "Dr. Petra Lang, Einkaufsleiterin, Lang Logistik GmbH": the field with the legal
        # form is the company; the unknown word before it, the title
        title, account = account, name_spans(legal)[0].text
    if account is None and email and name and len(name.split()) > 2 and name.islower() and \
            name.split()[-1] == email.group(0).split("@")[1].split(".")[0]:
        name, account = name.rsplit(" ", 1)  # "jess moreno loopwise jess@loopwise.com"
    if account is None and ctx.account and _THERE.search(text):
        # "VP Ops there", "add Nadia as a contact there": at the account just named
        account = ctx.account
        title = _THERE.sub("", title).strip() or None if title else title
    if name is None or len(name) > 60:
        # "New contact: Per Axelsson, CFO at …": the field that reads as a person's name
        name = next((f.strip() for f in fields if _LOOKS_NAMED.fullmatch(f.strip()) and
                     not has_legal_form(f) and not find_title(f) and
                     not any(w.lower() in COMPANY_WORDS for w in f.split())), name)
        if title is not None and name is not None and title.strip() == name:
            title = None
    if name and not account and (split := _company_then_person(name)):
        account, name = split  # "new contact for Salisbury Cold Chain Arjun Pillai"
    if title is None and name:
        title = _job_said(text_wo_email, name)  # "Bilal Qureshi he's their energy manager"
        after = text_wo_email.find(title, text_wo_email.find(name)) if title else -1
        if title and account is None and after >= 0 and (company := next(iter(
                name_spans(PHONE_RE.sub(" ", text_wo_email[after + len(title):]))), None)) \
                and not span_is_person(company) and company.start <= 2:
            account = company.text  # "Darlene Whitfield facilities manager Magnolia Senior Living"
    name, account, title = _contact_fixes(seg, name, account, title, ctx)
    if name and title and len(name.split()) > 2 and \
            name.split()[-1].lower() == title.split()[0].rstrip(".").lower():
        name = name.rsplit(" ", 1)[0]  # "Keisha-Ann Roberts Dir. of Transportation"
    if title:  # "he's the GM", "She is the Finance Manager": the job
        title = _SAID_OF_THEM.sub("", title).strip() or None
    ctx.contact, ctx.account, ctx.added = name, account, True
    return CreateContact(name=name or text, account=account, title=title,
                         email=email.group(0) if email else None,
                         phone=phone.group(0).strip() if phone else None)


# the words of a job around its title word: "Head of Ops", "VP Sales & Marketing"
_JOB_WORDS = words("of & and for sales ops operations marketing finance it hr people procurement"
                   " purchasing engineering facilities maintenance logistics supply chain product"
                   " customer success revenue growth business development strategy legal"
                   " technical clinical medical nursing account senior sr jr junior regional"
                   " national global general assistant deputy associate plant site store office"
                   " practice project fleet warehouse branch area district country program"
                   " energy estates safety ehs quality production property sustainability"
                   " compliance security transport transportation distribution centre center"
                   " shop restaurant kitchen")


_JOB_LEAD = re.compile(r"\b(?:(?:he|she|they)(?:'s|'re| is| are)|title(?: is)?|role(?: is)?|"
                       r"job(?: is)?|has a new|(?<=\bthe )new)\s+"
                       r"(?:(?:the|their|our|a|an|now|new|also)\s+)*", _I)


_LOWER_PERSON_OF = re.compile(r"(?P<p>[a-zà-ÿ][\w'-]+(?: [a-zà-ÿ][\w'-]+){1,2}) "
                              r"(?:de|da|do|del|di|from|at|@) "
                              r"(?P<c>(?-i:[A-Z\u00c0-\u00de])[\w'&.-]*(?: [\w'&.-]+){0,4})")


def _job_said(text: str, name: str) -> str | None:
    """A job said in a dictated note, without commas: "Arjun Pillai he's the operations
    manager email is …", "Luis Ochoa title facilities supervisor", "Kwabena Mensah
    facilities manager"."""
    starts = [m.end() for m in _JOB_LEAD.finditer(text)]
    at = text.find(name)
    if at >= 0:
        starts.append(at + len(name))
    for start in starts:
        words = text[start:].split()[:5]
        job: list[str] = []
        for word in words:
            said = word.strip(",.;:").lower()
            if said in TITLE_WORDS or said in _JOB_WORDS and said not in ("for", "of", "and", "&"):
                job.append(word.strip(",.;:"))
                if word[-1:] in ",.;:":
                    break
            elif said in ("of", "&", "and") and job:
                job.append(word)
            else:
                break
        while job and job[-1].lower() not in TITLE_WORDS:
            job.pop()
        if job:
            return " ".join(job)
    return None


# (a company's name ends on none of these: "Pollos El | Rey Dorado" is one name)
_NAME_JOINERS = NAME_PARTICLES | {"the", "of", "&", "and", "les"}


def _company_then_person(said: str) -> tuple[str, str] | None:
    """ "Salisbury Cold Chain Arjun Pillai": a company's name, then a person's (a given
    name the lists know, and one more word)."""
    words = said.split()
    for i in range(2, len(words) - 1):
        company, person = " ".join(words[:i]), " ".join(words[i:])
        if words[i].lower() in FIRST_NAMES and len(words) - i <= 3 and \
                all(w[:1].isupper() for w in words) and not _company_by_its_words(person) and \
                not has_legal_form(person) and not any(w.isupper() for w in words[i:]) and \
                not any(words[i - 1].lower() in names
                        for names in (FIRST_NAMES, SURNAMES, _NAME_JOINERS)) and \
                is_company(company):
            return company, person
    return None


def _job_then_name(field: str) -> tuple[str, str] | None:
    """A job said before the person's name ("CFO Rogelio Garza Cantú", "VP Sales Jane
    Doe"): the longest job that leaves a name."""
    words = field.split()
    for k in range(len(words) - 1, 0, -1):
        job, rest = " ".join(words[:k]), " ".join(words[k:])
        if all(w.lower() in TITLE_WORDS or w.lower() in _JOB_WORDS for w in words[:k]) and \
                any(w.lower() in TITLE_WORDS for w in words[:k]) and \
                words[k].lower() not in TITLE_WORDS and (
                _LOOKS_NAMED.fullmatch(rest) or rest.lower() in FIRST_NAMES):
            return job, rest
    return None


_SAID_OF_THEM = re.compile(r"^(?:(?:he|she|they)(?:'s|'re| is| are| was)|(?:his|her|their) "
                           r"(?:title|role|job) is)\s+(?:(?:the|our|their|a|an|now|new)\s+)*", _I)


def _a_name_not_a_job(field: str) -> bool:
    """ "Per Axelsson": a field shaped as a name, without a word of a job in it."""
    return bool(_LOOKS_NAMED.fullmatch(field)) and not any(
        w.lower().strip(".,") in TITLE_WORDS for w in field.split())


_LOOKS_NAMED = re.compile(r"[A-Z\u00c0-\u00de][\w'.-]+(?:\s+[A-Z\u00c0-\u00de][\w'.-]+){1,3}")
_HANDLERS = {
    "log": log_action,
    "task": task_action,
    "deal": deal_action,
    "update": update_action,
    "contact": contact_action,
}


# "Seoul Bio and Sakura Robotics both moved to negotiation": one change said of several deals.
_EACH = re.compile(r"^(?P<subj>.+?)\s+(?:both|each|all(?:\s+(?:two|three|four|five|of them))?)\s+"
                   r"(?P<rest>(?:just\s+|now\s+)?(?:moved|went|slipped|pushed|are|were|got|"
                   r"closed|advanced|lost|won|signed|to|in|at)\b.*)$", _I)
_AND_LIST = re.compile(r"\s*,\s*(?:and\s+)?|\s+and\s+|\s+\+\s+", _I)


def segment_actions(seg: Segment, now: dt.datetime, ctx: Context) -> list[Action]:
    """The actions of one segment."""
    if seg.kind == "quote":
        return quote_actions(seg, now, ctx)
    if seg.kind == "update" and (each := _EACH.match(seg.text)):
        names = [n.strip() for n in _AND_LIST.split(each.group("subj")) if n.strip()]
        if len(names) > 1 and all(len(n.split()) <= 5 for n in names):
            return [update_action(Segment("update", [f"{name} {each.group('rest')}"]), now, ctx)
                    for name in names]
    return [_HANDLERS[seg.kind](seg, now, ctx)]


_TRY_AGAIN = re.compile(r"(?:try|retry)(?: (?:again|back))?|call (?:again|back)", _I)
_UPDATE_ORDER = re.compile(r"(?:(?:pls|please|so|then|and)\s+)*(?:move|mark|set|update|bump|push|"
                           r"change|advance|put|drop|upgrade|downgrade|reopen|re-open)\b", _I)


def _note_the_news(before: list[Action], seg: Segment, made: list[Action]) -> None:
    """ "met Aarav at Bengaluru Mobility, deal is now 300k and slipping to Aug": a meeting
    with no note of its own is noted with the news told right after it."""
    last = before[-1] if before else None
    if not isinstance(last, LogActivity) or last.summary:
        return
    news = not _UPDATE_ORDER.match(seg.text) and any(isinstance(a, UpdateDeal) for a in made)
    # "met Dagmar, need to send her the whitepaper": a need told of the meeting notes it too.
    need = bool(_A_NEED.match(seg.text)) and any(isinstance(a, CreateTask) for a in made)
    if news or need:
        last.summary = seg.text


def _noted(actions: list[Action]) -> list[Action]:
    """ "met with Diego from Alicorp today": a log nothing else was told of is noted with
    what was said of it, never saved blank."""
    for action in actions:
        if isinstance(action, LogActivity) and not action.summary and action._said:
            action.summary = action._said
    return actions


_A_NEED = re.compile(r"(?:(?:and|so|but)\s+)?(?:i|we)?\s*(?:need|needs|have|has|got)\s+to\b", _I)


# What a deal's news may be about, never a company of its own
_PAPERS = frozenset(("po", "purchase order", "purchase", "order", "contract", "paperwork",
                     "order form", "agreement", "msa", "sow", "invoice"))


def _merge_updates(actions: list[Action]) -> list[Action]:
    """One update per deal: "they signed! mark it closed won" is a single change."""
    merged: list[Action] = []
    for action in actions:
        prev = merged[-1] if merged else None
        if (isinstance(action, UpdateDeal) and isinstance(prev, UpdateDeal)
                and (prev.account == action.account or prev.account and
                     (action.account or "").lower() in _PAPERS)):  # "… won. PO signed, 138k"
            changes = action.model_dump(exclude_none=True, exclude={"intent"})
            merged[-1] = prev.model_copy(update=changes)
            continue
        merged.append(action)
    return merged


def clear_caches() -> None:
    """Forget what was read of earlier messages (a benchmark times reading, not recalling)."""
    learned.clear_caches()
    for cached in (_log_kind, clause_kind, _has_when, _beyond_the_cue):
        cached.cache_clear()


def parse(text: str, *, now: dt.datetime, tz: str) -> list[Action]:
    """The actions a message asks for; never raises (unknown text → `unknown`)."""
    try:
        return parse_or_raise(text, now=now, tz=tz)
    except Exception:  # a parser bug must not cost the user their message
        log.exception("rules engine failed on a message")
        return [Unknown(text=text.strip()[:500])]


# "₹38,00,000": Indian digit groups lose their commas before clauses are split at them.
_INDIAN_GROUPS = re.compile(r"(?<=\d),(?=(?:\d{2},)+\d{3}(?!\d))|(?<=\d,\d\d),(?=\d{3}(?!\d))")


# "€1,2m", "1,5 Mio", "75.000,00 €": a decimal comma said with a scale or a currency
# becomes a dot, so clauses are not split inside the amount.
_DECIMAL_COMMA = re.compile(r"(?<![\d,])(\d+|\d{1,3}(?:\.\d{3})+),(\d{1,2})"
                            r"(?=\s?(?:k|m|mio|mill|mln|mn|bn|million|milhão|milhões|millón|millones|"
                            r"milyon|miliar|milyar|mld|mrd|bln|jt|tỷ|triệu|mkr|msek|mnok|mdkk|meur|"
                            r"millions|milliards?|mds|fcfa|cfa|xof|xaf|mad|dhs?|dirhams?|"
                            r"mil\.?|mi|billion|b|lakhs?|crores?|cr|l|"
                            r"€|eur|euros?|chf|sek|nok|"
                            r"dkk|pln|zł|czk|kč)\b|\s?€)", _I)


_LIST_LINE = re.compile(r"^\s*(?:[-•*\u2013]|\d{1,2}[.)])\s+"
                        r"|[ \t]*\n\s*(?:[-•*\u2013]\s+|\d{1,2}[.)]\s+)?"
                        r"|(?<=\S)[ \t]+\d\)\s+(?=\w)", re.MULTILINE)  # "...: 1) X 2) Y"


# "CHF 118'500": Swiss thousands, grouped by apostrophes.
_SWISS_GROUPS = re.compile(r"(?<=\d)['\u2019](?=\d{3}(?!\d))")


# "okay three things first ... second ... and third ...": a list said aloud
_THINGS_SAID = re.compile(r"\b(?:two|three|four|2|3|4|a couple of|a few) things\b", _I)
_SAID_ITEM = re.compile(r"(?:,?\s+(?:and\s+)?|^)(?:first(?:ly)?|second(?:ly)?|third(?:ly)?|"
                        r"fourth(?:ly)?|finally|lastly)\b[,:]?\s+(?=\w)", _I)


# "... she said send the proposal by Tuesday": what a customer asks for by a day is the
# rep's to do
_ASKED_BY_A_DAY = first_tested(
    r"(?=[,\s])",
    r",?\s+(?:and\s+|so\s+)?\b(?:she|he|they)\s+(?:said|says|asked(?: me| us)?|wants? (?:me|us))"
    r"\s+(?:to\s+)?(?:kindly\s+|please\s+|pls\s+)?(?=(?:send|share|call|email|book|schedule|get|"
    r"prep|prepare|sign|revert|come back|get back)\b[^.;!?]{0,60}?"
    r"\b(?:by|on|before|next|tomorrow|today|eod|(?:mon|tues|wednes|thurs|fri)day)\b)"
    # "... he wants a call back about the dozer finance Monday at 10"
    r"|,?\s+(?:and\s+)?(?:she|he|they)\s+wants?\s+(?=a\s+call\s*back\b[^.;!?]{0,60}?"
    r"\b(?:by|on|next|tomorrow|today|(?:mon|tues|wednes|thurs|fri)day)\b)"
    # "... told him I'd come back to him by EOD Friday, set me a reminder": what was promised
    r"|,?\s+(?:and\s+)?told\s+(?:him|her|them)\s+(?:i'?d|i would|i'?ll|i will|we'?d|we'?ll)"
    r"\s+(?=(?:come back|get back|revert|send|call|confirm)\b[^.;!?]{0,60}?"
    r"\b(?:by|on|before|next|tomorrow|eod|(?:mon|tues|wednes|thurs|fri)day)\b)"
    # "... they need 500 boxes a month send pricing by EOD": an order in the middle of news
    r"|\s+so\s+(?=(?:follow up|call|ring|send|email|ping|chase|check in|try)\b[^.;!?]{0,40}?"
    r"\b(?:on|by|next|tomorrow|today|in|(?:mon|tues|wednes|thurs|fri)day)\b)"
    r"|(?=\s+(?:send|share|email)\b)"
    r"(?<=[a-z0-9])(?<!\bwill)(?<!\bi)(?<!\bto)(?<!'ll)(?<!\bcan)(?<!\bshould)(?<!\bmust)"
    r"(?<!\bneed)(?<!\bplease)(?<!\bpls)(?<!\band)(?<!\balso)(?<!\bthen)(?<!\bme)"
    r"\s+(?=(?:send|share|email)\s+(?:[\w'-]+\s+){0,4}?(?:by|before)\s+(?:eod|cob|"
    r"tomorrow|tonight|today|end of|next|this|(?:mon|tues|wednes|thurs|fri)day)\b)", _I)


# "Send API docs + pricing by Tuesday": things sent together, by one day
_AND_BY_A_DAY = re.compile(r"\s\+\s(?=[\w\s'-]{1,30}?\b(?:by|before|on)\s)")
_SENT_TOGETHER = re.compile(r"(?:^|[.;!?]\s*)(?:pls\s+|please\s+)?(?:send|share|email|forward)\b"
                            r"[^.;!?,+]{1,40}$", _I)
# A voice note comes without stops: "I spoke with Yulia at Kyiv Metro Bank she confirmed the
# budget ... change the amount" is the call, then what she said, then the order.
_PUNCTUATED = re.compile(r"[.,;!?:]")
_LOG_CUE = re.compile(r"\b(?:called|spoke|talked|met|emailed|visited|call with|meeting with|"
                      r"lunch with|coffee with|had a (?:call|meeting|chat))\b", _I)
_SAID_NEXT = re.compile(r"\s+(?=(?:she|he|they)\s+(?:confirmed|agreed|signed|decided|approved|"
                        r"accepted|rejected)\b)", _I)


_CALL_HEADING = re.compile(r"^\s*(?:phone |quick |cold )?call\s*[:\u2013\u2014-]\s+(?=[A-Z])", _I)


def prepared(text: str) -> tuple[str, Normalized]:
    """A message as the engine reads it: one line, figures for quantities said in words,
    and its normalized working copy."""
    # "in forty five minutes", "two hundred fifty thousand": quantities said in words
    # (voice memos, dictation) are read as the figures they are.
    # Lines of a list ("- called Ana\n- remind me ...", "1) ...") are clauses of their own.
    text = _SWISS_GROUPS.sub("", _LIST_LINE.sub("; ", text.strip()))
    if _THINGS_SAID.search(text):
        text = _SAID_ITEM.sub("; ", text)
    text = _ASKED_BY_A_DAY.sub("; remind me to ", text)
    if not _TO_COME.search(text):
        text = _CALL_HEADING.sub("call with ", text)  # "call: Ana at Acme, she wants pricing"
    text = _AND_BY_A_DAY.sub(lambda m: " and " if _SENT_TOGETHER.search(
        text, 0, m.start()) else m.group(0), text)
    if not _PUNCTUATED.search(text) and _LOG_CUE.search(text):
        text = _SAID_NEXT.sub(". ", text)
    raw = figures(_INDIAN_GROUPS.sub("", " ".join(text.split())))
    raw = _DECIMAL_COMMA.sub(lambda m: m.group(1) if "." in m.group(1)
                             else f"{m.group(1)}.{m.group(2)}", raw)
    return raw, normalized(raw)


# A line of a list typed on lines of its own: "- called Ana", "• lakeside - lvm", "2. prep demo"
_BULLET = re.compile(r"^\s*(?:[-•*\u2013\u25aa\u25e6]|\d{1,2}[.)])\s+")
# What a list's heading says about each of its lines ("pls add contacts:", "Tasks:")
_HEADED = ((re.compile(r"\bcontacts?\b", _I), "add contact: "),
           (re.compile(r"\b(?:tasks?|to-?dos?|reminders?|follow[- ]?ups)\b", _I), "task: "),
           (re.compile(r"\bnew (?:deals?|opps?|opportunities)\b", _I), "new deal: "))


def _listed(text: str, *, now: dt.datetime, tz: str) -> list[Action] | None:
    """A message typed as a list ("Recap from today:\n- call w/ Dr. Chen …\n- emailed …"),
    read line by line: each line that says something on its own is an action of its own,
    in the heading's terms. None when the message is no such list, or a line says nothing
    alone (then the lines are details of one thing: "New deal:\n- Acme\n- 50k")."""
    lines = [line.strip() for line in text.strip().splitlines() if line.strip()]
    first = next((i for i, line in enumerate(lines) if _BULLET.match(line)), None)
    if first is None or sum(bool(_BULLET.match(line)) for line in lines) < 2:
        return None
    heading = " ".join(lines[:first]).strip(" :-")
    if len(heading.split()) > 8:
        return None
    items: list[str] = []
    for line in lines[first:]:
        if _BULLET.match(line):
            items.append(_BULLET.sub("", line))
        else:
            items[-1] += " " + line  # a line that goes on from the one before
    lead = next((said for cue, said in _HEADED if cue.search(heading)), "")
    day = find_when(heading, now).day if heading and not lead else None
    # "tasks for tomorrow:\n1. call Sarah\n2. prep QBR deck": each due that day
    due = find_when(heading, now).due() if heading and lead == "task: " else None
    # A heading may tell something itself: "Met Oisín at Greenlough Foods today:"
    told = parse_or_raise(heading, now=now, tz=tz) if heading and not lead else []
    actions: list[Action] = told if told and all(
        isinstance(a, LogActivity) and (a.contact or a.account) for a in told) else []
    for item in items:
        said = item if lead and re.match(lead.split()[0], item, _I) else lead + item
        read = parse_or_raise(said, now=now, tz=tz)
        if not read or any(isinstance(a, Unknown) or isinstance(a, CreateDeal) and not a.account
                           for a in read):
            return None
        for action in read:
            if day is not None and not _has_when(item) and isinstance(action, LogActivity):
                action.occurred_on = day  # "yesterday:\n- call w/ Ana" happened yesterday
            if due is not None and isinstance(action, CreateTask) and action.due is None:
                action.due = due
            if lead != "task: ":  # (a list of tasks is of as many things)
                _from_the_lines_before(action, actions)
        actions.extend(read)
    _said_short(actions)
    return actions


# "call blitz update: Kenji @ Sakura Logistics - vm. Olga @ Eastside - no answer", "2 calls
# so far: Ahmed Khan (Inland Cold Chain) gatekeeper blocked me; Tessa Moreau (...) ...":
# one call each, told in a row
_CALLS_HEADING = re.compile(
    r"^\s*(?:(?:\d+|two|three|four|five|six)\s+)?(?:cold\s+)?(?:call|dial|phone)s?"
    r"(?:[- ]?(?:blitz|session|block|sprint|round))?(?:\s+(?:update|recap|results|so far|today|"
    r"this morning|this afternoon|done|made|log))*\s*[:\-\u2013\u2014]+\s*(?P<rest>\S.*)$", _I)
_CALL_ITEM = re.compile(r"\s*;\s*|(?<=[.!])\s+(?=\S)|\s+\|\s+")


def _calls_listed(text: str, *, now: dt.datetime, tz: str) -> list[Action] | None:
    """A row of calls told one after the other, each a call of its own; None when the
    message is no such row, or a part of it is not a call with someone."""
    heading = _CALLS_HEADING.match(" ".join(text.split()))
    if heading is None:
        return None
    items = [i.strip(" .") for i in _CALL_ITEM.split(heading.group("rest")) if i.strip(" .")]
    if len(items) < 2:
        return None
    if any(TASK_RE.search(item) for item in items):
        return None  # "calls for tomorrow: remind me to ring Ana; ...": calls to make
    actions: list[Action] = []
    for item in items:
        read = parse_or_raise(item if _log_kind(item) == "call" else "called " + item,
                              now=now, tz=tz)
        logs = [a for a in read if isinstance(a, LogActivity)]
        if not logs or not isinstance(read[0], LogActivity) or len(logs) > 1 or not (
                logs[0].contact or logs[0].account):
            return None
        actions.extend(read)
    return actions


def _from_the_lines_before(action: Action, before: list[Action]) -> None:
    """A list line's order about no one is about whom the lines before were:
    "- rang Aroha @ Waikato Freight\n- remind me Tuesday to run the demo"."""
    account = next((a.account for a in reversed(before) if getattr(a, "account", None)), None)
    with_person = next((a for a in reversed(before) if getattr(a, "contact", None)), None)
    contact = with_person.contact if with_person else None
    if isinstance(action, CreateTask) and not (action.contact or action.account):
        if contact and re.search(rf"\b{re.escape(contact.split()[0])}\b", action.title or "", _I):
            account = getattr(with_person, "account", None)  # "send Mark the quote": his
        action.contact, action.account = contact, account
    elif isinstance(action, UpdateDeal) and not action.account:
        action.account = account


def parse_or_raise(text: str, *, now: dt.datetime, tz: str) -> list[Action]:
    """`parse` without its safety net, so tests see the engine's own errors."""
    if "\n" in text and (listed := _listed(text, now=now, tz=tz)) is not None:
        return listed
    if (calls := _calls_listed(text, now=now, tz=tz)) is not None:
        return calls
    logged_as = _LOG_AS.search(text)
    if logged_as is not None and not text[:logged_as.start()].strip(" ,.;-"):
        logged_as = None  # "log it as a call" alone: of nothing said
    if logged_as is not None:
        text = text[:logged_as.start()] + text[logged_as.end():]
    raw, source = prepared(text)
    norm = source.text
    with reading(norm):
        actions = _by_rules(raw, norm, now=now, tz=tz, source=source)
    if logged_as is not None and raw:
        _logged_as(actions, _LOG_KIND[logged_as.group("kind").lower()], norm, now)
    actions = _once(_arbitrated(actions, raw, norm, now=now, tz=tz, source=source))
    actions = _each_figure(actions, norm, now)
    _the_tagged_company(actions, norm)
    _roles_read(actions, norm)
    for action in actions:  # "spoke to Ops Director Aisha Bello": her, not her job
        key = _PERSON_OF.get(type(action))
        if key and (said := getattr(action, key)) and isinstance(action, _OF_A_COMPANY) and \
                (lower_of := _LOWER_PERSON_OF.fullmatch(said)):
            # "llamé a jordi puig de Bar Can Puig": a person typed in lower case, then the company
            setattr(action, key, lower_of.group("p"))
            action.account = action.account or lower_of.group("c")
        account = getattr(action, "account", None)
        if key and account and account.lower() not in SURNAMES and \
                (said := getattr(action, key)) and said.endswith(" " + account) and \
                len(head := said[:-len(account) - 1].rsplit(" ", 1)) == 2 and \
                head[1] in ("de", "da", "do", "di", "von", "of", "from"):
            setattr(action, key, head[0])  # "llamar a Ximena de Minerva": Ximena, there
        if key and (said := getattr(action, key)) and (job_said := _job_then_name(said)):
            setattr(action, key, job_said[1])
        elif key and not getattr(action, key) and isinstance(action, _OF_A_COMPANY) and \
                action.account and (job_said := _job_then_name(action.account)):
            setattr(action, key, job_said[1])  # "met Sales Director Ana Li": no company
            action.account = None
        elif isinstance(action, _OF_A_COMPANY) and action.account and \
                (split := _company_then_person(action.account)) and \
                (not key or getattr(action, key) in (None, split[1])):
            # "the owner's son at Platte River Ag Supply Kyle Brandt": the company, then him
            action.account = split[0]
            if key:
                setattr(action, key, split[1])
    _no_word_names(actions)
    # "add 8 EV pickups": an acronym with nothing to reach it by is no one to add
    actions = [a for a in actions if not (isinstance(a, CreateContact) and not a.email and
                                          not a.phone and re.fullmatch(r"[A-Z]{1,4}", a.name))]
    _a_lone_word_company(actions, norm)
    _said_short(actions)
    _titled(actions, norm)
    _person_of_company(actions)
    _a_company_asked_about(actions)
    _whole_parenthesis(actions, norm)
    _legal_stops(actions, norm)
    _counted_back(actions, norm, now, tz)
    _the_amount_told(actions, norm)
    _the_one_named(actions, norm)
    _named_by_role(actions, norm)
    actions = _not_yet_held(actions, norm, now, tz)
    actions = _the_deal_not_its_signer(actions)
    if (told := _no_one_met(actions, norm, text)) is not None:
        return told
    actions = _one_task_asked_once(actions, norm)
    if len(actions) > 1:  # "what's on today? task pls": "pls" is no task
        actions = [a for a in actions if not (isinstance(a, CreateTask) and a.due is None and
                                              _POLITENESS.fullmatch(a.title or ""))]
    elapsed = _IN_HOURS.search(norm)
    for action in actions:
        if isinstance(action, CreateTask) and action.due is not None:
            if elapsed and action.due - now == _duration(elapsed):
                # "in 12 hours" across a clock change: 12 hours on the clock of the world
                action.due = _after(now, _duration(elapsed), tz)
            action.due = _on_the_clock(action.due, tz)
    return _once(actions)  # (the fixes above may have made two actions one)


# "remind me a day before", "1hr before", "the night before": counted back from the event
# the message names before it
_BEFORE_IT = re.compile(
    r"\b(?:(?P<n>\d+|an?|one|two|three)\s*(?P<unit>days?|hours?|hrs?|h|minutes?|mins?|weeks?)|"
    r"the (?P<part>day|night|morning|evening))\s+before\b"
    r"(?!\s+(?:the|that|then|it|we|they|he|she|i)\b)", _I)
_UNIT = {"d": dt.timedelta(days=1), "h": dt.timedelta(hours=1), "m": dt.timedelta(minutes=1),
         "w": dt.timedelta(weeks=1)}


_LOG_ASKED = re.compile(r"\b(?:log|logged|note|fyi|record|add (?:a|an) (?:call|meeting|email))\b",
                        _I)
_ORDER_AT_THE_END = re.compile(r"[,.;:!-]\s*(?:(?:and|so|pls|please|kindly)\s+)*(?:remind me|"
                               r"add (?:a |it as a )?task|set (?:me )?(?:a )?reminder|"
                               r"(?:make|create) (?:me )?(?:a )?task)"
                               r"[\s.!?]*$", _I)
_FOLLOW_UP_ONLY = re.compile(r"Follow up(?: with .+)?", _I)
_POLITENESS = re.compile(r"\W*(?:please|pls|plz|thanks|thank you|thx|ty|cheers|grazie|gracias|"
                         r"obrigad[oa]|merci)\W*", _I)
_ORDER_WHEN_AT_THE_END = re.compile(r"[,.;:!-]\s*(?:(?:and|so|pls|please|kindly)\s+)*remind me"
                                    r"(?:\s+(?:about|abt)\s+(?:it|this|that))?\s+[^,;.!?]{1,30}"
                                    r"[\s.!?]*$", _I)


# "... asked for a call back, set a task for 11:00 and log it as a call": what was told
# is logged, as that kind
_LOG_AS = first_tested(r"(?:(?<!\w)|(?=[,.;\s]))",
                       r"[,.;]?\s*(?:\b(?:and|also|then|pls|please|kindly)\s+)*\b(?:log|record) "
                       r"(?:it|that|this) as (?:a |an )?(?P<kind>call|e-?mail|meeting|note)\b\W*",
                       _I)
_LOG_KIND = {"call": "call", "email": "email", "e-mail": "email", "meeting": "meeting",
             "note": "note"}


def _logged_as(actions: list[Action], kind: str, norm: str, now: dt.datetime) -> None:
    told = next((a for a in actions if isinstance(a, LogActivity)), None)
    if told is not None:
        told.kind = kind  # type: ignore[assignment]
        return
    found = who(norm)
    contact = next((a.contact for a in actions if getattr(a, "contact", None)), found.contact)
    account = next((a.account for a in actions if getattr(a, "account", None)), found.account)
    first = re.split(r"(?<=[.!?])\s+", norm)[0]
    summary = re.sub(r"^(?:done|finished)\b\W*", "", first, flags=_I).strip(" .") or norm
    actions[:] = [LogActivity(kind=kind, contact=contact, account=account,  # type: ignore
                              summary=summary, occurred_on=now.date(), confidence=0.8),
                  *(a for a in actions if not isinstance(a, Unknown))]
    done = [a for a in actions if isinstance(a, CompleteTask)]
    if len(done) > 1:  # "Done - sent X. Mark that task complete": one task, said twice
        actions[:] = [a for a in actions if not (isinstance(a, CompleteTask) and re.fullmatch(
            r"(?:that|this|it)(?: task| one)?", a.title or "", _I))]


def _the_deal_not_its_signer(actions: list[Action]) -> list[Action]:
    """ "Stefan signed! Rheinland Logistik closed won at 48k": the person, then his deal."""
    won = [a for a in actions if isinstance(a, UpdateDeal) and a.status in ("won", "lost")]
    if len(won) == 2 and won[0].status == won[1].status and \
            len((won[0].account or "").split()) == 1 and won[0].account.lower() in FIRST_NAMES \
            and won[1].account and not won[1].account.lower().startswith(won[0].account.lower()):
        return [a for a in actions if a is not won[0]]
    return actions


def _no_one_met(actions: list[Action], norm: str, text: str) -> list[Action] | None:
    """Logs that name no one: "quick sync with juniper vale re pilot" takes the name the
    tagger half sees (the classifier's low figure asks about it); with none, "lol the
    coffee machine on 3rd floor is broken again" is no one met and nothing asked to be
    logged, so no CRM news (the message is answered as unknown)."""
    if not actions or not all(isinstance(a, LogActivity) and not a.contact and not a.account
                              and a.kind != "note" for a in actions):
        return None
    seen = next((t for t in tag(norm) if t.kind in ("PER", "ORG") and t.confidence >= 0.5), None)
    if seen is None:
        return None if _LOG_ASKED.search(norm) else [Unknown(text=text.strip()[:500])]
    for log in actions:
        setattr(log, "contact" if seen.kind == "PER" else "account", seen.text)
        log.summary = re.sub(rf"\s*\b(?:with\s+|w/\s*)?{re.escape(seen.text)}\b", "",
                             log.summary or "", flags=_I).strip() or log.summary
    return None


def _one_task_asked_once(actions: list[Action], norm: str) -> list[Action]:
    """ "need to get the contract over to X next tuesday, pls remind me": one task, not a
    second one named "Follow up"."""
    tasks = [a for a in actions if isinstance(a, CreateTask)]
    if len(tasks) == 2 and _ORDER_WHEN_AT_THE_END.search(norm) and tasks[0].due is None and \
            tasks[1].due is not None and _FOLLOW_UP_ONLY.fullmatch(tasks[1].title or ""):
        # "need to book the crane for the Noosa install - remind me EOD": its day, said last
        tasks[0].due = tasks[1].due
        return [a for a in actions if a is not tasks[1]]
    if not _ORDER_AT_THE_END.search(norm) or len(tasks) < 2:
        return actions
    return [a for a in actions if not (isinstance(a, CreateTask) and a.due is None
                                       and _FOLLOW_UP_ONLY.fullmatch(a.title or ""))]


def _the_amount_told(actions: list[Action], norm: str) -> None:
    """A deal won, or its amount to update, with the one amount the message tells: "she
    confirmed the renewal at 520k so please mark the deal as won", "₦18.5m annual. Please
    mark it won and update the amount"."""
    deals = [a for a in actions if isinstance(a, (UpdateDeal, CreateDeal))]
    if len(deals) != 1 or deals[0].amount is not None or isinstance(deals[0], UpdateDeal) and \
            not (deals[0].status == "won" or _AMOUNT_BEFORE.search(norm)):
        return  # (a new deal takes the one amount told: "rough number 210k. create the deal")
    amounts, rest = set(), norm
    while (said := find_money(rest)) is not None:
        amounts.add(said[0])
        rest = rest[:said[1][0]] + " " + rest[said[1][1]:]
    if len(amounts) == 1 and (amount := amounts.pop()) >= 1000:
        deals[0].amount = amount


def _the_one_named(actions: list[Action], norm: str) -> None:
    """"done: send quote to Kleber. now remind me to call him wednesday": a task about
    "him" is about the one person the message names, wherever it names them."""
    tasks = [a for a in actions if isinstance(a, CreateTask) and not a.contact and
             not a.account and _PRONOUN_SAID.search(a.title or "")]
    if len(tasks) != 1:
        return
    named = name_spans(norm)
    people = {s.text for s in named if span_is_person(s) or len(named) == 1 and
              not _company_by_its_words(s.text)}
    if len(people) == 1 and not any(getattr(a, "account", None) for a in actions):
        tasks[0].contact = people.pop()


# "their CFO Anjali Deshpande", "their ops director Wendell Pruitt", "her name's Leilani
# Kahale": a person named after their role, or named afterwards
_BY_ROLE = re.compile(r"\b(?:(?:their|our|the)\s+(?P<job>(?:[\w-]+\s+){0,3}?)|"
                      r"(?:his|her|their)\s+name(?:'s|\s+is)\s+)"
                      r"(?P<name>(?-i:[A-Z\u00c0-\u00de])[\w'-]+(?:\s+(?-i:[A-Z\u00c0-\u00de])"
                      r"[\w'-]+){1,2})", _I)


# "falei com a compradora, a luana prates", "hablé con el dueño, yusuf haddad": a role, then
# the person, typed in lower case
_ROLE_THEN_NAME = re.compile(r"\b(?:with|con|com)\s+(?:(?:the|el|la|a|o)\s+)?[a-zà-ÿ]+"
                             r"(?:\s+(?:de|at|da|do|del)\s+[^,]{2,60})?,\s+(?:(?:a|o|el|la)\s+)?"
                             r"(?P<name>[a-zà-ÿ]{3,}\s+[a-zà-ÿ]{3,})\b")
_NOT_A_NAME_END = re.compile(r"(?:\s+(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday|"
                             r"today|tomorrow|tonight|" + "|".join(MONTHS) + r"))+$", _I)


def _named_by_role(actions: list[Action], norm: str) -> None:
    """The person a message names by role or afterwards ("a note on Hoosier Cold Chain:
    their CFO Anjali Deshpande told me …") is whom its log and its tasks about "her" are."""
    named = {said for m in _BY_ROLE.finditer(norm)
             if len((said := _NOT_A_NAME_END.sub("", m.group("name"))).split()) > 1
             and (m.group("job") is None or all(w.lower() in TITLE_WORDS or w.lower() in _JOB_WORDS
                                                or re.fullmatch(r"[A-Z]{2,4}", w)
                                                for w in m.group("job").split()))
             and (said.split()[0].lower() in FIRST_NAMES or m.group("job") != ""
                  or clean_name(said.split()[-1]).lower() in SURNAMES)
             and not _company_by_its_words(said)}
    named |= {m.group("name") for m in _ROLE_THEN_NAME.finditer(norm)
              if m.group("name").split()[0] in FIRST_NAMES}
    if len(named) != 1:
        return
    person = named.pop()
    told = None  # the log the person was named in
    for action in actions:
        if isinstance(action, LogActivity) and (
                not action.contact or action.contact.islower() and " " not in action.contact) and \
                person in (action.summary or ""):
            told, action.contact = action, person
        elif isinstance(action, CreateTask) and (
                not action.contact or action.contact.islower() and " " not in action.contact) and (
                _PRONOUN_SAID.search(action.title or "") or person in (action.title or "")
                or told is not None and action.account == told.account):
            action.contact = person


# "Meeting tomorrow 2pm with Mori-san", "call with Ana next Tuesday": a meeting to come is
# no activity to log; it is on the calendar, and a reminder if one is asked for
_TO_COME = re.compile(r"\b(?:tomorrow|tmrw|day after tomorrow|next (?:week|mon|tues|wednes|thurs|"
                      r"fri)\w*|in \d+ (?:days|weeks)|later today)\b", _I)
_NEWS_BEFORE = re.compile(r"\b(?:they|she|he|we|it|wants?|ready|said|says|for)\b|'re", _I)
_HAPPENED_WORDS = re.compile(r"\b(?:had|met|called|rang|spoke|talked|was|went|did|visited|"
                             r"yesterday|today|this morning|just|emailed|finished|done)\b", _I)


def _not_yet_held(actions: list[Action], norm: str, now: dt.datetime,
                  tz: str) -> list[Action]:
    logs = [a for a in actions if isinstance(a, LogActivity)]
    if len(logs) != 1 or logs[0].kind not in ("meeting", "call"):
        return actions
    first = next(iter(split_clauses(norm)), "")
    coming = _TO_COME.search(first)
    if coming is None or _HAPPENED_WORDS.search(first) or \
            _NEWS_BEFORE.search(first, 0, coming.start()):
        return actions  # ("call with Róisín, they're ready for a demo next week": news)
    log = logs[0]
    # ("mañana 16hs call con Sofía — remind me": the reminder asked is of that call)
    bare = [a for a in actions if isinstance(a, CreateTask) and a.due is None
            and _FOLLOW_UP_ONLY.fullmatch(a.title or "")]
    actions = [a for a in actions if not any(a is b for b in bare)]
    if not any(isinstance(a, CreateTask) for a in actions):
        when = find_when(first, now, us=month_first(tz))
        title = strip_spans(first, when.spans).strip(" ,.-")
        task = CreateTask(title=title[:1].upper() + title[1:], due=when.due(),
                          contact=log.contact, account=log.account, confidence=log.confidence)
        return [task if a is log else a for a in actions]
    return [a for a in actions if a is not log]


def _counted_back(actions: list[Action], norm: str, now: dt.datetime, tz: str) -> None:
    m = _BEFORE_IT.search(norm)
    tasks = [a for a in actions if isinstance(a, CreateTask)]
    if m is None or len(tasks) != 1 or (
            tasks[0].due is not None and _has_when(norm[m.end():])):
        return
    event = last_when(norm[:m.start()], now, us=month_first(tz))
    if event.day is None and event.moment is None:
        return
    task = tasks[0]
    n = 1 if not m.group("n") or not m.group("n").isdigit() else int(m.group("n"))
    unit = (m.group("unit") or "d")[0].lower()
    moment = event.moment or (dt.datetime.combine(event.day, event.time) if event.time else None)
    if unit in "hm" and moment is not None:
        task.due = moment - n * _UNIT[unit]
    else:
        day = (moment.date() if moment else event.day) - n * _UNIT["w" if unit == "w" else "d"]
        task.due = dt.datetime.combine(day, dt.time(19, 0) if m.group("part") in ("night",
                                                                               "evening")
                                       else dt.time(9, 0))
    title = re.sub(r"\s*" + re.escape(m.group(0)) + r"\b", "", task.title or "", flags=_I).strip()
    if not title:
        told = next((a.summary for a in actions if isinstance(a, LogActivity) and a.summary), "")
        title = f"Get ready: {told}" if told else "Get ready"
    task.title = title[:1].upper() + title[1:]


def _each_figure(actions: list[Action], norm: str, now: dt.datetime) -> list[Action]:
    """A question of two figures ("what did we win in Q3? amount + count") asked as two."""
    from bot.nlu import queries

    if not 1 <= len(actions) <= 2 or not all(isinstance(a, PipelineQuery) for a in actions) or \
            (asked := queries.two_measures(norm)) is None:
        return actions
    return _sure([queries.pipeline_action(said, now) for said in asked], norm)


# "Dr. Salma Fathy", "Prof. Dr. Hans Müller", "Herr Dr. Brandt": the title said before a
# person is how the rep addresses them, so it stays with the name (the resolver matches
# without it).
_TITLES_BEFORE = re.compile(
    rf"(?:^|(?<=[\s(]))(?:(?:{'|'.join(sorted(HONORIFICS))})\.?\s+)+$",
    _I)


def _titled(actions: list[Action], norm: str) -> None:
    for action in actions:
        key = "name" if isinstance(action, CreateContact) else "contact"
        person = getattr(action, key, None)
        if not isinstance(person, str) or not person[:1].isupper():
            continue
        at = norm.find(person)
        said = _TITLES_BEFORE.search(norm, 0, at) if at > 0 else None
        if said is not None:
            setattr(action, key, norm[said.start():at] + person)


# The tagger's company, when it finds one and only one this sure in the whole message,
# for the actions about one company.
COMPANY_AT = 0.9
_DATE_WORD = re.compile(r"\b(?:" + "|".join(MONTHS + tuple(MONTH_ABBR)) + r")\b", _I)
_OF_A_COMPANY = (LogActivity, CreateContact, CreateDeal, UpdateDeal, CreateTask, ShowTimeline,
                 Summarize, DraftEmail)


# The role tagger (trained on real messages) fixes who and which company a message about
# one person and one company is about, where it is this sure and the rules' pick is a
# word it reads as neither: "booth visitor: Kevin McAllister, Ops Director at Great Lakes
# Packaging Inc" is not an account called "booth visitor".
ROLE_AT = 0.9
_PERSON_OF = {LogActivity: "contact", CreateTask: "contact", DraftEmail: "contact",
              CreateContact: "name", ShowTimeline: "contact", Summarize: "contact"}
_PERSON_FILLED = (LogActivity, CreateTask, DraftEmail)  # where a missing person is filled


def _roles_read(actions: list[Action], norm: str) -> None:
    read = roles(norm)
    people = {t.text.lower() for t in read if t.kind == "CON"}
    companies = {t.text.lower() for t in read if t.kind == "ACC"}
    picked_people = {said.lower() for a in actions
                     if (key := _PERSON_OF.get(type(a))) and (said := getattr(a, key))}
    picked_companies = {a.account.lower() for a in actions
                        if isinstance(a, _OF_A_COMPANY) and a.account}
    if max(len(people), len(companies), len(picked_people), len(picked_companies)) > 1:
        return  # several people or companies: the rules' clause-by-clause reading stands
    person = next((t.text for t in read if t.kind == "CON" and t.confidence >= ROLE_AT), None)
    tasks = [a for a in actions if isinstance(a, CreateTask)]
    read_company = next((t for t in read if t.kind == "ACC" and t.confidence >= ROLE_AT), None)
    company = read_company.text if read_company is not None else None
    for action in actions:
        key = _PERSON_OF.get(type(action))
        if company is not None and isinstance(action, _OF_A_COMPANY):
            said = action.account
            if said is None and key and (getattr(action, key) or "").lower() == company.lower():
                if company.lower() not in people and not _full_name(company) and (
                        isinstance(action, _PERSON_FILLED)
                        or isinstance(action, ShowTimeline | Summarize)
                        and _company_by_its_words(company)):
                    # "send Kemira the proposal", where the role tagger reads Kemira as a
                    # company (it was asked to be a known one too: on nine blind sets it had
                    # not been trained on, not asking made 5 of 1,350 messages right, none wrong);
                    # "all interactions we had with Carrow Industrial", no person's name
                    action.account = getattr(action, key)
                    setattr(action, key, None)
            elif said is None and (not company.split()[0].islower()
                                   or _known_as(company, "account") or
                                   any(t.kind == "ORG" and t.confidence >= TAGGER_OVERLAP and
                                       t.text.lower() == company.lower() for t in tag(norm))):
                # (begun in lower case, a company the name tagger reads too: not "gotta prep",
                # nor "certificaciones de los arneses para Cobre Norte SpA")
                action.account = company
            elif person is not None and said.lower().startswith(person.lower() + " ") and \
                    said.lower().endswith(company.lower()) and said.lower() != company.lower():
                action.account = company  # "Frau Berger von Alpen Logistik GmbH": hers
            elif said is not None and read_company.confidence >= WIDEN_AT and \
                    _widens(said, company) and \
                    not any(company.lower().endswith(" " + p) for p in picked_people):
                # (but "Northgate Foods Kwame said …" ends with the person)
                action.account = company  # "Nonna" of "Nonna's Trattoria", "coastal cold chain"
            elif said is not None and _another(said, company, companies):
                if key and said.lower() in people and not getattr(action, key):
                    setattr(action, key, said)  # "Siobhán at Kinsale Freight": her, there
                action.account = company
        if person is not None and key is not None:
            said = getattr(action, key)
            if said is None and (getattr(action, "account", None) or "").lower() == \
                    person.lower():
                if person.lower() not in companies and (
                        _known_as(person, "contact") or not _company_by_its_words(person)
                        and (" " in person.strip() or not isinstance(action, ShowTimeline))):
                    # "remind me to call Kanya", where Kanya is a contact we know, or
                    # "timeline for Olly Hartley": a person, and nothing says a company (a
                    # timeline "with Fabrikam", one word, may be either: the rules say)
                    setattr(action, key, action.account)
                    action.account = None
            elif said is None and isinstance(action, _PERSON_FILLED) and not (
                    isinstance(action, CreateTask) and len(tasks) > 1
                    and person.lower() not in (action.title or "").lower()):
                # (of two tasks, only the one about them: "print the forms and call Marguerite")
                setattr(action, key, person)
            elif said is not None and _another(said, person, people):
                if isinstance(action, _OF_A_COMPANY) and said.lower() in companies and \
                        not action.account:
                    action.account = said
                setattr(action, key, person)


def _full_name(name: str) -> bool:
    """A given name and a family name the lists know ("Kleber Antunes"), nothing of a
    company's: a person, whatever a tagger reads."""
    said = name.split()
    return 2 <= len(said) <= 3 and said[0].lower() in FIRST_NAMES and \
        clean_name(said[-1]).lower() in SURNAMES and not _company_by_its_words(name)


_UPPER = r"(?-i:[A-Z\u00c0-\u00de])"
# "Carlos Souza da Usina São Jerônimo", "Frau Schulz von Elbe Wasserwerke": a person, then
# "of" in the rep's language, then a company of two words or more (not "Maria da Silva").
_PERSON_AT = re.compile(
    rf"(?P<person>(?:(?:{'|'.join(sorted(HONORIFICS))})\.?\s+)?{_UPPER}[\w'-]+"
    rf"(?:\s+{_UPPER}[\w'-]+)*)"
    rf"\s+(?:de|da|do|von|di|du|del|della)\s+(?P<company>{_UPPER}[\w'.&-]*(?:\s+[\w'.&-]+)+)", _I)


def _person_of_company(actions: list[Action]) -> None:
    """A contact read as "<person> da <company>" is the person, at the company."""
    for action in actions:
        said = getattr(action, "contact", None)
        account = getattr(action, "account", None)
        if said is None and hasattr(action, "contact") and account and \
                _TITLES_BEFORE.search(account.split()[0] + " "):
            said, account = account, None  # "Telefonat mit Frau Berger von Alpen Logistik"
        m = _PERSON_AT.fullmatch(said) if isinstance(said, str) else None
        if m is None or len(m.group("person").split()) < 2 or \
                account and " " in account and account != m.group("company") or \
                not any(re.match(_UPPER, w) for w in m.group("company").split()[1:]) and \
                not any(w.lower().strip(".,") in COMPANY_WORDS | LEGAL_FORMS
                        for w in m.group("company").split()):
            continue  # ("Ana Souza da silva" has no company in it; "João da Costa e Silva
            # at Atlântico Seguros" is one person)
        action.contact, action.account = m.group("person"), m.group("company")


def _whole_parenthesis(actions: list[Action], norm: str) -> None:
    """ "Marie-Claude Gagnon (Commission scolaire des Laurentides)": the company said in
    brackets after the person is all of what the brackets hold, small words too."""
    for action in actions:
        person, company = getattr(action, "contact", None), getattr(action, "account", None)
        if not person or not company or f"({company}" not in norm:
            continue  # (a pattern of the names is made only where it can match)
        m = re.search(re.escape(person) + r"\s*\((" + re.escape(company) + r"[^()]{1,50})\)", norm)
        if m and len(m.group(1).split()) <= 7 and "," not in m.group(1)[len(company):]:
            for each in actions:  # the deal and the task of that company too
                if getattr(each, "account", None) == company:
                    each.account = m.group(1).strip()
            return


# "Ms. Dizon, Pharmacy Director of Mercado General Hospital": a job said before the company
_JOB_OF = re.compile(r"^(?:[\w&-]+\s+){0,3}?(?:director|manager|head|vp|chief|officer|lead|owner|"
                     r"president|partner|coordinator|supervisor|administrator|engineer|buyer|"
                     r"cfo|ceo|coo|cto|cio|gm)\s+(?:of|at)\s+(?=\S)", _I)
_DEAL_WORDS = frozenset({"close date", "closing date", "the deal", "deal", "the close date",
                         "the closing date", "amount", "the amount", "stage", "the stage"})


def _an_amount(said: str) -> bool:
    """ "12 milyon TL", "£28k": money, never a company or a person."""
    money = find_money(said)
    return money is not None and money[1][1] - money[1][0] >= 0.6 * len(said.strip())


def _no_word_names(actions: list[Action]) -> None:
    """No company or person named by a stage or a common word ("new deal 30k lead"), nor
    a job said with the company ("Pharmacy Director of Mercado General Hospital")."""
    for i, action in enumerate(actions):
        for key in ("contact", "account"):
            said = getattr(action, key, None)
            if isinstance(said, str) and (said.lower() in STAGE_SYNONYMS
                                          or said.lower() in NOT_NAMES
                                          or said.lower() in _DEAL_WORDS
                                          or _an_amount(said)):
                # ("Called Dr. Iyengar, Sahyadri. Push closing date to 15th December": the
                # deal of the company just named)
                setattr(action, key, next((a.account for a in reversed(actions[:i])
                                           if getattr(a, "account", None)), None)
                        if key == "account" and isinstance(action, UpdateDeal) else None)
            elif key == "account" and isinstance(said, str) and (job := _JOB_OF.match(said)):
                setattr(action, key, said[job.end():])


def _a_company_asked_about(actions: list[Action]) -> None:
    """ "timeline of Panificadora del Bajío": a name whose words say it is a company is the
    account asked about, not a person (unless the workspace knows such a contact)."""
    for action in actions:
        if isinstance(action, ShowTimeline | Summarize) and action.contact and \
                action.account is None and not _known_as(action.contact, "contact") and \
                _company_by_its_words(action.contact):
            action.account, action.contact = action.contact, None


def _company_by_its_words(name: str) -> bool:
    """A company word, a legal form, "&", an acronym, a figure or a domain in `name`."""
    words = name.split()
    return any(w.lower().strip(".,") in COMPANY_WORDS for w in words) or \
        has_legal_form(name) or "&" in name or bool(re.search(r"\d|\.\w|\b[A-Z]{2,}\b", name)) \
        or bool(_COMPANY_ENDING.search(name)) or named_after_someone(words)


# A company word grown into the name: "Bergmann Maschinenbau", "Havbruk Eksport", "Nordsoft";
# and company words the rules read but the taggers' features do not (in COMPANY_WORDS they
# would change the trained models: "Carrow Industrial", "Palm Crest Developments").
_COMPANY_ENDING = re.compile(r"(?:bau|technik|werke?|handel|logisti[ck]k?|systeme?|tronics?|matic|"
                             r"soft|ware|eksport|export|import|transport|industrial|developments?|"
                             r"medicine|beton|cement|concrete|solar|apparel|hospitality|resorts|"
                             r"automotive|aviation|cargo|diagnostics|"
                             # the trades of Spain, Portugal, Latin America, Quebec, Italy
                             r"fazenda|hortalizas|frutas|viña|vinhos|vinos|bodegas?|granja|"
                             r"estancia|hacienda|cooperativa|agropecu[aá]ria|agr[ií]cola|"
                             r"frigor[ií]fico|panificadora|distribuidora|comercializadora|"
                             r"constructora|papelera|cartonera|conservas|l[aá]cteos|latic[ií]nios|"
                             r"fromagerie|boulangerie|microbrasserie|brasserie|[ée]rabli[èe]re|"
                             r"cidrerie|laiterie|transports|aliments|frantoio|cantine|caseificio|"
                             r"oleificio|vivai)\b", _I)


# A lone word the rules read as a task's person is a company unless the name tagger is this
# sure it is someone's given name ("call Farmacity", "send Kessler the SOW"; "ping Tammy").
LONE_PERSON_AT = 0.6


_TITLED_BEFORE = re.compile(r"\b(?:" + "|".join(sorted(HONORIFICS, key=len, reverse=True))
                            + r")\.?\s+$", _I)


def _a_lone_word_company(actions: list[Action], norm: str) -> None:
    for action in actions:
        if not isinstance(action, CreateTask) or action.account or \
                not action.contact or " " in action.contact.strip() or \
                not action.contact[:1].isupper() or action.contact.lower() in FIRST_NAMES or \
                _known_as(action.contact, "contact"):
            continue
        if _TITLED_BEFORE.search(norm, 0, max(0, norm.find(action.contact))) or \
                re.search(r"-(?:san|sama|kun|ji)$", action.contact, _I):
            continue  # "call Dr. Goldberg", "Frau Becker", "Sato-san": a person by title
        person = max((t.confidence for t in tag(norm)
                      if t.kind == "PER" and t.text == action.contact), default=0.0)
        if person < LONE_PERSON_AT:
            action.account, action.contact = action.contact, None


def _said_short(actions: list[Action]) -> None:
    """ "rang Aroha @ Waikato Freight Co …; remind me to run the Waikato demo": a task's
    company named by the first of its words is the one named in full before (and the task,
    about no one, is about whom the rep spoke to there)."""
    named = {a.account: a for a in actions if getattr(a, "account", None)}
    for action in actions:
        short = action.account if isinstance(action, CreateTask) else None
        full = next((n for n in named if short and n.startswith(short + " ")), None)
        if full is None:
            continue
        action.account = full
        if isinstance(action, CreateTask) and not action.contact:
            action.contact = getattr(named[full], "contact", None)


def _known_as(name: str, kind: str) -> bool:
    """The workspace (or `--names`) knows `name` as a `kind` ("account", "contact")."""
    name = name.lower()
    return any(k.lower() == kind and n.lower() == name for k, n in current_names())


# How sure the role tagger must be of a company it reads longer than the rules did. On
# nine blind sets it had not been trained on, this made 5 of 1,350 messages right, none wrong.
WIDEN_AT = 0.95


def _widens(said: str, read: str) -> bool:
    """The role tagger read the rules' name with more words around it."""
    at = read.lower().find(said.lower())
    if len(read) <= len(said) or at == -1 or at and read[at - 1] != " " or \
            at + len(said) < len(read) and read[at + len(said)] not in " '’":
        return False
    if any(mark in read[:at] + read[at + len(said):] for mark in ",;:"):
        return False  # "Kiitos, Maksut Oy": a name runs past no comma
    # "Toros İnşaat" is no "Toros İnşaat generators": a name typed with capitals ends with
    # such a word ("The Ploughman's Rest", "Eastern Cape Builders cc"); a lower-case one may
    # end with any ("coastal cold chain")
    edges = read.split()[0], read.split()[-1]
    return said.islower() or all(w[:1].isupper() or w[:1].isdigit() or
                                 w.lower().rstrip(".") in LEGAL_FORMS for w in edges)


def _another(said: str, read: str, read_as_such: set[str]) -> bool:
    """The rules said another name than the role tagger read, and one it reads as no name
    of that role; not the same name with other edges (the rules know those better, but for
    a name the tagger is sure runs longer: `_widens`)."""
    said, read = said.lower(), read.lower()
    return said not in read_as_such and said not in read and read not in said


# "Sondagens Atlântico Lda.", "Minera Huaylas S.A.A.": a legal form's stop, as typed
_LEGAL_STOP_END = re.compile(r"(?:\b\w\.\w|\b(?i:inc|ltd|corp|co|bhd|cia|lda|ltda))$")


def _legal_stops(actions: list[Action], norm: str) -> None:
    """A company whose name ends in an abbreviated legal form keeps the stop typed after it
    (the clause's end or a comma took it away)."""
    for action in actions:
        name = getattr(action, "account", None)
        if isinstance(name, str) and _LEGAL_STOP_END.search(name) and f"{name}." in norm:
            action.account = name + "."


def _the_tagged_company(actions: list[Action], norm: str) -> None:
    """The company of the message where the rules' pick is a word the tagger read as no
    company at all ("Lekker meeting with ... at Table Mountain Tours", "Kickoff call with
    ..."), or where the rules found none: the tagger reads each word with all the words
    around it, a cue pattern only with its own. On three blind sets neither had seen, this
    made 10 of 660 more messages exactly right (`bot.nlu.train.labelled`)."""
    ours = [a for a in actions if isinstance(a, _OF_A_COMPANY)]
    if not any(a.account is None or " " not in a.account.strip() for a in ours):
        return  # no company to look for, or none the rules picked from one word
    tagged = [t for t in tag(norm) if t.kind == "ORG" and not _DATE_WORD.search(t.text)]
    sure = {t.text.lower(): t.text for t in tagged if t.confidence >= COMPANY_AT}
    if len(sure) != 1:
        return
    (company,) = sure.values()
    people = [getattr(a, key) for a in ours for key in ("contact", "name")
              if isinstance(getattr(a, key, None), str) and getattr(a, key).strip()]
    if len({a.account.lower() for a in ours if a.account}) > 1 or \
            company.split()[0].lower() in NOT_NAMES or \
            any(company.lower() in p.lower() or p.lower() in company.lower() for p in people):
        return  # the rules saw several companies; or it is a word, or a person they found
    for action in ours:
        picked = (action.account or "").lower()
        if picked and any(picked in t.text.lower() or t.text.lower() in picked for t in tagged):
            continue  # the rules' company, as the tagger read it too (perhaps shorter)
        action.account = company


# The classifier overrules a reading of the rules when it is this sure of another; the
# two disagreed, so a reading that would write is asked about first (DISAGREED is below
# the default `clarify_below`).
OVERRULE_AT, DISAGREED = 0.9, 0.45
# A reading its own text makes this likely is never overruled (none was, in 4,140 messages).
LIKELY = 0.5


def _arbitrated(actions: list[Action], raw: str, norm: str, *, now: dt.datetime, tz: str,
                source: Normalized) -> list[Action]:
    """The rules' reading of a message, or the classifier's where it is sure of another.

    The classifier learns from the spent blind sets' real messages as well as generated
    ones, and names what a one-request message asks for better than the rules' cues do
    on text neither was tuned on (96.8 % against 91.7 % on three unseen sets; see
    `bot.nlu.train.labelled`). So where the rules read one request, or none, and the
    classifier is sure of another, the rules read the message again as that request,
    as if its cue had been there. A question read into the query model's keys is left
    alone: those keys are read for sure."""
    if len(actions) != 1 or not norm:
        return actions
    (action,) = actions
    if isinstance(action, Unknown):
        # no rule cue, or (with a confidence) an order to the bot: never guessed at
        return actions if action.confidence is not None else \
            _by_classifier(raw, norm, now=now, tz=tz, source=source) or actions
    if (action.confidence or 0) >= LIKELY or has_query_extras(action):
        return actions  # the classifier already finds the rules' reading likely
    if isinstance(action, CreateTask) and _ASKED_TO_REMIND.search(norm):
        return actions  # "…, pls set a reminder": said in so many words
    intent, p = classify(norm)
    if p < OVERRULE_AT or intent in ("unknown", action.intent):
        return actions
    if intent == "delete_task" and not _DELETION_SAID.search(norm):
        return actions  # "did the pricing sheet task": nothing is deleted on a guess
    again = _by_classifier(raw, norm, now=now, tz=tz, source=source)
    for one in again:
        one.confidence = min(one.confidence or 0, DISAGREED)
    return again or actions


_DELETION_SAID = re.compile(r"\b" + DELETE_VERBS + r"\b", _I)
_ASKED_TO_REMIND = re.compile(r"\bremind me\b|\bset (?:me )?(?:a )?reminder\b|"
                              r"\b(?:add|create|make) (?:it as )?(?:a )?task\b", _I)
_IN_HOURS = re.compile(r"\bin (\d+|an?|one|half an) (hours?|hrs?|minutes?|mins?)\b", _I)


def _duration(m: re.Match[str]) -> dt.timedelta:
    n = {"a": 1, "an": 1, "one": 1, "half an": 0.5}.get(m.group(1).lower()) or int(m.group(1))
    return dt.timedelta(hours=n) if m.group(2).lower().startswith("h") else dt.timedelta(minutes=n)


def _after(now: dt.datetime, elapsed: dt.timedelta, tz: str) -> dt.datetime:
    """The wall time `elapsed` after `now` in `tz`, however the clocks move in between."""
    try:
        zone = ZoneInfo(tz)
    except (ZoneInfoNotFoundError, ValueError):
        return now + elapsed
    moment = now.replace(tzinfo=zone).astimezone(dt.UTC) + elapsed
    return moment.astimezone(zone).replace(tzinfo=None)


def _on_the_clock(due: dt.datetime, tz: str) -> dt.datetime:
    """A wall time the clocks skip (the spring-forward hour) as the clocks show it then:
    "in 30 min" at 01:40 on that night is 03:10."""
    try:
        zone = ZoneInfo(tz)
    except (ZoneInfoNotFoundError, ValueError):
        return due
    return due.replace(tzinfo=zone).astimezone(dt.UTC).astimezone(zone).replace(tzinfo=None)


# Below this the classifier's guess is not taken for a message the rules did not read.
CLASSIFIER_TAKES = 0.8
_SEGMENT_OF = {"log_activity": "log", "create_task": "task", "create_deal": "deal",
               "update_deal": "update", "create_contact": "contact"}


def _request_handlers() -> dict[str, Callable[[str, dt.datetime], Action | None]]:
    from bot.nlu import queries, requests

    return {
        "help": queries.help_action, "subscribe_digest": queries.digest_action,
        "complete_task": queries.complete_action, "list_tasks": queries.list_tasks_action,
        "hot_leads": queries.hot_leads_action, "show_timeline": queries.timeline_action,
        "summarize": queries.summarize_action, "draft_email": queries.draft_action,
        "pipeline_query": queries.pipeline_action,
        "unsubscribe_digest": lambda t, n: requests.unsubscribe_action(t, cue_needed=False),
        "delete_task": lambda t, n: requests.delete_action(t, cue_needed=False),
        "list_deals": lambda t, n: requests.list_deals_action(t, n),
    }


def _reads_as_words(text: str) -> bool:
    """Two words or more and little else: code, JSON and symbols are never guessed at."""
    words = re.findall(r"[^\W\d_]{2,}", text)
    symbols = sum(1 for ch in text if not (ch.isalnum() or ch.isspace() or ch in ".,'!?-&$€£%"))
    return len(words) >= 2 and symbols <= max(1, len(text) // 20)


_TASKISH = re.compile(r"\b(?:tasks?|to-?dos?|remind\w*|due|overdue|plate|agenda|my day|"
                      r"follow[- ]?ups?|f/u|do i have|on my plate|what.s on|whats on|schedule|"
                      r"open items)\b",
                      _I)


def _by_classifier(raw: str, norm: str, *, now: dt.datetime, tz: str,
                   source: Normalized | None = None) -> list[Action]:
    if not _reads_as_words(norm):
        return []
    intent, p = classify(norm)
    if p < CLASSIFIER_TAKES or intent == "unknown" or (
            intent == "list_tasks" and not _TASKISH.search(norm)):
        return []  # "what's the exchange rate today?" asks for no task of ours
    body = polite_stripped(norm)
    if intent in _SEGMENT_OF:
        clauses = resplit([polite_stripped(c) for c in split_clauses(norm)])
        ctx = Context(us=month_first(tz), source=source)
        seg = Segment(_SEGMENT_OF[intent], clauses)
        found = segment_actions(seg, now, ctx)
    else:
        handler = _request_handlers().get(intent)
        one = handler(body, now) if handler else None
        found = [one] if one is not None else []
    for action in found:
        action.confidence = round(p, 3)
    return _noted(found)


# "... the strata manager Yusuf Khan rang me back at lunch ... so that's closed won": what
# someone did, told, not a question
_TOLD_AN_ACT = re.compile(r"\b(?:rang|called|phoned|met with|emailed|spoke (?:to|with)|"
                          r"talked (?:to|with)|visited)\b", _I)
# "the Greenfield Strata deal slipped to end of Q2": news of one deal, named, not a question
_NAMED_DEAL_NEWS = re.compile(r"^(?:the\s+)?(?-i:[A-Z\u00c0-\u00de\d])[\w&.'-]*"
                              r"(?:\s+(?-i:[A-Z\u00c0-\u00de\d])[\w&.'-]*)*\s+(?:deal|opp)\s+"
                              r"(?:slipped|moved|pushed|went|is|was|has|got|closed|now)\b", _I)
# A report asked for without a question word: "won revenue by month this year".
_REPORT = re.compile(
    r"\b(?:by|per|broken down by|split by|grouped by)\s+(?:month|quarter|week|stage|owner|rep|"
    r"account|customer)\b|^(?:won|lost|closed(?:[- ]won)?|open)\s+(?:revenue|bookings|deals|"
    r"pipeline|pipe)\b", _I)
_GREETING = re.compile(
    r"(?:" + GREETING + r"(?:\s+(?:there|bot|salesbot|buddy|friend|team|all|you))?[\s!.?,]*)+", _I)
# Orders outside a CRM's reach (travel, food, weather, errands) are not tasks to file:
# "can you book me a flight to Lisbon" is not understood, so it is said so.
_OUT_OF_REACH = word_led(
    r"\b(?:book|order|get|find|buy|reserve|call|grab|arrange)\s+(?:(?:me|us|the team|them)\s+)?"
    r"(?:a |an |some |the )?(?:(?:big|small|large|little|main|quiet|nice|cheap|decent)\s+)?"
    r"(?:flights?|plane tickets?|air ?tickets?|hotel(?: room)?s?|motels?|hostels?|b&bs?|"
    r"guest ?houses?|accommodation|lodging|airbnb|taxi|cab|uber|lyft|"
    r"rental car|train tickets?|tickets? to|table (?:for|at)|pizza|takeout|take-away|groceries|"
    r"(?:conf(?:erence)?|meeting|board) ?room|desk for|parking|(?:[\w,–-]+ ){0,3}train\b|"
    r"haircut|massage)\b|\border (?:some |us |me )?(?:lunch|dinner|food|coffee|snacks)\b"
    r"|\bforecast for (?:rain|snow|storms?|the weather)\b"
    r"|\b(?:fix|repair|reset|troubleshoot) (?:my|the|our) (?:\w+ )?(?:outlook|laptop|calendar|"
    r"e-?mail|wifi|vpn|printer|computer|password|sync|account)\b"
    r"|\b(?:what's|whats|what is|how's|hows|how is)\s+the\s+weather\b|\bweather (?:in|for|today|"
    r"tomorrow)\b|\b(?:play|stream)\s+(?:some\s+)?music\b|\btell me a joke\b", _I)


# Orders about how the bot should behave from now on ("ignore your rules", "from now on
# treat every deal over 1 crore as won", "you are now ..."): never carried out, nor read
# as the CRM change they mention.
_LEAD = r"^\W*(?:(?:ok|okay|hey|hi|bot|salesbot|listen|also|and)[,!.\s]+)*"
_STANDING_ORDER = re.compile(
    _LEAD + r"(?:ignore|disregard|forget|override)\b.{0,40}?\b(?:rules?|instructions?|prompts?|"
    r"guidelines|programming|previous|above|system)\b"
    + r"|" + _LEAD + r"(?:from now on|going forward|henceforth|new rule|you are now|you're now|"
    r"act as|pretend (?:to be|you(?:'re| are))|your new (?:job|role|rule))\b"
    r"|\b(?:automatically|always|auto-?)\s*(?:mark|treat|log|set|count|close|move)\b", _I)


# "who's got the aux for friday drinks": a question for the team
_WHO_HAS = re.compile(r"who(?:'s| is| has| took| got)\b", _I)
# "thank you po for the reminders, very helpful 🙏": thanks, and nothing asked
_THANKS_FOR = re.compile(r"(?:(?:ok|oh|and)\s+)?(?:thanks|thank you|thx|ty|tysm|cheers)\b"
                         r"(?:\s+\w+)?\s+for\b(?!.*\b(?:remind|can you|could you|pls|please|"
                         r"log|add|create|move|mark|set|send|draft|show)\b)", _I)
_ASKING = re.compile(r"(?:who|whose|what|anyone|anybody|is|are|can|could|does|do|did|should|"
                     r"where|when|why|how|fancy|has|have)\b", _I)
# An order cut off before what it orders ("remind me", "add a task"): a question back, not
# a task named "Follow up" the person never asked for.
_HALF_ORDER = re.compile(r"(?:remind me|set a reminder|add a task|create a task|new task|"
                         r"reminder|task|log a call|log a meeting|new deal)[\s.!?:]*", _I)


# A digest changed rather than added: "switch #uk-ae from the daily digest to a weekly one",
# "move the daily digest from #sales to #sales-na", "kill the daily digest in #sdr, send it
# weekly on Mondays instead": the old one stops, the new one starts.
_DIGEST_SWITCH = re.compile(r"\b(?:switch|change|turn|convert|make)\b[^.?!]*?"
                            r"\b(?P<old>daily|weekly)\b[^.?!]*?\bto\s+(?:a\s+|the\s+)?"
                            r"(?P<new>daily|weekly)\b", _I)
_DIGEST_MOVE = re.compile(r"\bmove\s+(?:the\s+|my\s+|our\s+)?(?P<cad>daily|weekly)\s+"
                          r"(?:digest|summary|recap)\s+from\s+#(?P<a>[\w-]+)\s+to\s+#(?P<b>[\w-]+)",
                          _I)
_DIGEST_INSTEAD = re.compile(r"\b(?:stop|kill|cancel|drop|turn off)\s+(?:the\s+|my\s+)?"
                             r"(?P<old>daily|weekly)\b[^.?!]*?\b(?:send|post|make|do)\s+it\s+"
                             r"(?P<new>daily|weekly)\b", _I)


_AT_RISK_NEWS = re.compile(
    r"(?:the\s+)?(?P<a>(?-i:[A-Z\u00c0-\u00de])[\w&.'-]*(?:\s+[\w&.'-]+){0,4}?)(?:'s)?\s+(?:deal|opp)?\s*"
    r"(?:is|looks|seems)\s+(?:now\s+)?(?:at risk|in trouble|shaky|wobbly|stalled|stuck)\b", _I)


def _digest_changed(norm: str, now: dt.datetime) -> list[Action] | None:
    from bot.nlu import queries

    if not re.search(r"\b(?:digest|summary|recap|one)\b", norm, _I):
        return None
    if (m := _DIGEST_MOVE.search(norm)) is not None:
        new = queries.digest_action(norm[m.end():], now)
        new.channel, new.cadence = m.group("b"), m.group("cad").lower()  # type: ignore[assignment]
        return [UnsubscribeDigest(channel=m.group("a"), cadence=m.group("cad").lower()), new]
    m = _DIGEST_SWITCH.search(norm) or _DIGEST_INSTEAD.search(norm)
    if m is None or m.group("old").lower() == m.group("new").lower():
        return None
    channel = re.search(r"#([\w-]+)", norm)
    new = queries.digest_action(norm[m.start("new"):], now)
    new.channel = channel.group(1) if channel else None
    new.cadence = m.group("new").lower()  # type: ignore[assignment]
    return [UnsubscribeDigest(channel=new.channel, cadence=m.group("old").lower()), new]


_DETAIL_CHANGED = re.compile(
    r"(?:update|change|edit|fix)\s+[\w'-]+(?:'s|\u2019s)\s+(?:phone|mobile|cell|email|e-mail|"
    r"number|title|address|job title|last name|name)\b", _I)


def _by_rules(raw: str, norm: str, *, now: dt.datetime, tz: str,
              source: Normalized | None = None) -> list[Action]:
    clauses = split_clauses(norm)
    if not clauses:
        return [Unknown(text=raw[:500])]
    first_kind = clause_kind(polite_stripped(clauses[0]), first=True, after=None)
    body = polite_stripped(norm)
    question = bool((_QUESTION_START.match(body) or _REPORT.search(body))
                    and PIPELINE_RE.search(body)) and not (
        (_NAMED_DEAL_NEWS.match(body) or _TOLD_AN_ACT.search(body) and not _ASKS.match(body))
        and not raw.rstrip().endswith("?"))
    if _GREETING.fullmatch(re.sub(r"[^\w\s'!?.,]", " ", norm).strip()):
        return _sure([Help()], norm)  # "hey bot 👋": what it can do is the answer
    if _THANKS_FOR.match(body):
        return [Unknown(text=raw[:500])]  # a thank-you is answered, nothing is filed
    if _STANDING_ORDER.search(norm) or _HALF_ORDER.fullmatch(body) or _DETAIL_CHANGED.match(body):
        # A rule for the bot itself, or a contact's details to change ("update Jolene's phone
        # number": the CRM's own form does that): surely none of ours, so the classifier is
        # not asked to guess at it either.
        return [Unknown(text=raw[:500], confidence=1.0)]
    if _OUT_OF_REACH.search(norm) and not re.search(r"\bremind|\btask\b|\bto-?do\b|\bforget\b",
                                                    norm, _I):
        return [Unknown(text=raw[:500])]
    changed = _digest_changed(norm, now)
    if changed:
        return _sure(changed, norm)
    if (risky := _AT_RISK_NEWS.match(norm)) is not None and not raw.rstrip().endswith("?"):
        # "Coastal Mountain Fuels deal is at risk, their CFO left": news to note, no question
        return _sure([LogActivity(kind="note", account=clean_name(risky.group("a")),
                                  summary=norm, occurred_on=now.date())], norm)
    chained = _chained(raw, norm, now=now, tz=tz, source=source)
    if chained:
        return chained
    requested = match_request(norm, body, now)
    if requested:
        return _sure(requested, norm)
    # "Kestrel is a go! closed won 🎉": news of a deal said after a lead-in, not a question
    told = first_kind is not None or (not question and not raw.rstrip().endswith("?") and any(
        clause_kind(polite_stripped(c), first=False, after=None) == "update"
        or _log_kind(c) in ("call", "meeting", "email")  # "... the job X, Ana rang me back"
        for c in clauses[1:])) or any(TASK_RE.search(c) for c in clauses[1:3])
    # ("EOD remind me to update the forecast sheet": an order said after when it is due)
    handler = match_query(norm, first_clause_is_action=told and not question)
    if handler is not None:
        return _sure([handler(norm, now)], norm)
    if raw.endswith("?") and re.match(r"(?:what|what's|whats|where|when|why|how)\b", body, _I):
        return [Unknown(text=raw[:500])]
    segs = segments(resplit([polite_stripped(c) for c in clauses]))
    if not segs:
        return [Unknown(text=raw[:500])]
    ctx = Context(us=month_first(tz), source=source)
    actions: list[Action] = []
    for seg in segs:
        made = segment_actions(seg, now, ctx)
        _note_the_news(actions, seg, made)
        actions.extend(_sure(made, seg.text))
    if (re.search(r"\?[^\w]*$", raw) or _WHO_HAS.match(body)) and all(
            isinstance(a, LogActivity) and (not (a.contact or a.account) or _ASKING.match(body))
            for a in actions):
        # "Fancy a pint later?", "anyone fancy lunch at Pret?", "who took the demo
        # microscope??": a question logs nothing
        return [Unknown(text=raw[:500])]
    log_signed = next((a for a in actions if isinstance(a, LogActivity)
                       and a.summary and SIGNED_RE.search(a.summary.split("; ")[-1])), None)
    if log_signed and not any(isinstance(a, UpdateDeal) for a in actions):
        actions.append(UpdateDeal(account=log_signed.account or log_signed.contact,
                                  stage="won", status="won"))
    _account_from_the_deal(actions)
    _new_deal_of_a_new_contact(actions, norm)
    return _merge_updates(_noted(actions))


# "new contact + deal: …", "add her and a $24k deal at lead": a deal asked for with the contact
_DEAL_ASKED = re.compile(r"(?:\+|&|\band\b|\bnew\b|\badd\b|\bcreate\b|\bopen\b)\s+"
                         r"(?:a\s+)?(?:new\s+)?(?:[$€£]?[\d.,]+\s?[kmKM]?\s+)?(?:deal|opp)\b", _I)


def _new_deal_of_a_new_contact(actions: list[Action], norm: str) -> None:
    """A deal said with a new contact, at the new contact's company, is a new deal."""
    added = {a.account for a in actions if isinstance(a, CreateContact) and a.account}
    if not added or any(isinstance(a, CreateDeal) for a in actions) or not _DEAL_ASKED.search(norm):
        return
    for i, action in enumerate(actions):
        if isinstance(action, UpdateDeal) and action.account in added and action.status is None:
            actions[i] = CreateDeal(account=action.account, amount=action.amount,
                                    stage=action.stage, close_date=action.close_date,
                                    confidence=action.confidence)


def _once(actions: list[Action]) -> list[Action]:
    """Each action once: "who should i call first today? hot leads pls" asks one thing."""
    kept: list[Action] = []
    for action in actions:
        if isinstance(action, CompleteTask) and (action.title or "").lower() in _PRONOUNS and \
                any(isinstance(a, CompleteTask) for a in kept):
            continue  # "done with the spec sheets, mark it as done": the same task
        if not any(a.model_dump(exclude={"confidence"}) == action.model_dump(
                exclude={"confidence"}) for a in kept):
            kept.append(action)
    # "who's hot right now? top 5 leads", "what do I have this week? le mie task": one list,
    # with what the second asking adds
    for action in [a for a in kept if isinstance(a, (HotLeads, ListTasks, CreateDeal))]:
        if any(b is not action and type(b) is type(action) and _within(action, b) for b in kept):
            kept.remove(action)
    return kept


def _within(action: Action, other: Action) -> bool:
    """Whether `other` says all that `action` says, and more (a list of "all" tasks says
    nothing that one of this week's does not)."""
    said = action.model_dump(exclude={"confidence"}, exclude_none=True)
    more = other.model_dump(exclude={"confidence"}, exclude_none=True)
    if said.get("scope") == "all" and "scope" in more:
        del said["scope"]
    return said != more and all(more.get(k) == v for k, v in said.items())


_PRONOUNS = frozenset(("it", "that", "this", "them", "those"))


def _account_from_the_deal(actions: list[Action]) -> None:
    """ "lunch with Søren - reopen the Nordlys AS deal": the one deal the message moves is
    the account of the person met, when the log names none."""
    deals = {a.account for a in actions if isinstance(a, UpdateDeal) and a.account}
    if len(deals) != 1:
        return
    (account,) = deals
    met = set()
    for action in actions:
        if isinstance(action, LogActivity) and action.contact and action.account is None \
                and account != action.contact:
            action.account = account
            met.add(action.contact)
    for action in actions:  # the follow-up task inherits it too
        if isinstance(action, CreateTask) and action.contact in met and action.account is None:
            action.account = account


# A request chained onto other words ("done: X. also remind me to ...", "unsubscribe #c from
# the daily digest and post a weekly one there", "... and draft an email to him"): the
# message breaks before it, and each piece is read on its own.
_PIECE_CUE = (
    r"(?:remind me|draft|compose|write (?:a|an|up|him|her|them)|"
    r"(?:post|send|set up|start|add|create) (?:a |an |the )?(?:new )?(?:daily |weekly )?"
    r"(?:one|digest|summary|recap)|(?:un)?subscribe|unsub|done\s*[:\-]|a (?:daily|weekly) one\b|"
    r"mark\b[^.;]{1,60}\b(?:done|complete)|"
    r"(?:delete|remove|scratch|cancel|drop) (?:the |my |that )?task|"
    r"summari[sz]e|tl;?dr|show me|list my|"
    r"(?:show|pull up|get) (?:me )?(?:the )?(?:timeline|history|activity) (?:of|for|on)\b|"
    r"(?:stop|cancel|turn off|kill|pause|remove|drop) (?:the |my )?(?:daily |weekly )?"
    r"(?:one|digest|summary|recap)|"
    # "... and add a task to send the targets", "+ how's my pipeline", "and my tasks"
    r"(?:add|create|make|set|put in) (?:a |an |me a )?(?:new )?(?:task|reminder|to-?do)|"
    r"(?:log|record) (?:a |an )(?:call|meeting|email|visit|note)\b|(?:log|note) that\b|"
    r"(?<=[.!?] )(?:and )?(?:move|mark|put|set) (?:it|them|the deal|that deal|this deal) "
    r"(?:to|as|in)\b|"
    r"what(?:'s| is) on my plate|how(?:'s| is) (?:my|our|the) (?:pipe|pipeline|forecast|quarter)|"
    r"show (?:me )?(?:my|our|the)|(?:my|our) (?:(?:open|overdue|won|lost|late|due) )?"
    r"(?:tasks|to-?dos|deals|pipeline|pipe)\b|"
    # "how much did we win this month, and what's the win rate?"
    r"(?:(?<=\band )|(?<=\balso )|(?<=\? ))(?:(?:what(?:'s| is) )?(?:the |our |my |\w+'s )?"
    r"(?:total |open |weighted )?(?:win rate|forecast|"
    r"pipeline|pipe|weighted|average|avg)|how (?:much|many) (?:did|do|have|has|are|is|deals)\b"
    # "… last week, and what was the total amount?", "…, and his win rate this quarter?"
    r"|(?:what|how|who|which)(?:'s|'re)?\s|(?:the )?top \d+\s|(?:his|her|their) )|"
    r"what(?:'s| is) (?:due|overdue|on my plate)\b|"
    # "I need: pipeline by owner, the win rate for last month, and the top 5 deals": a list
    r"(?<=, )(?:the |our |my )?(?:win rate|forecast|average deal size|avg deal size|"
    r"top \d+ deals)\b|"
    r"(?:do i have|have i got|is there|got) anything (?:overdue|due|late)\b)"
    r"(?:\b|(?<=[:\-]))")
_PIECE_BREAK = first_tested(
    r"(?=[\s;,])",
    r"(?:(?<=[.!?])\s+|\s*;\s*|,?\s+and\s+|,\s*|\s+(?=(?:then|also)\s)|\s+[+&-]\s+)"
    r"(?:(?:also|then|plus|and|pls|please|kindly|now|next|so|ok|okay|instead|can you|could you|"
    r"would you|can u),?\s+)*"
    r"(?=" + _PIECE_CUE + ")"
    # "overdue tasks + top 5 hot leads", "my open deals? anything overdue": each piece is
    # read on its own (pieces that are no request are read together again)
    r"|\s+\+\s+|(?<=\?)\s+(?:\+\s+)?", _I)
_DIGEST_AGAIN = re.compile(r"^(?:(?:post|send|set up|start|add|create)\b.*"
                           r"\b(?:daily|weekly|every)\b|a (?:daily|weekly) one\b)", _I)
_WHOLE_REQUESTS = ("complete_task", "delete_task", "unsubscribe_digest", "list_deals")


def _piece_request(piece: str, now: dt.datetime, before: Action | None) -> Action | None:
    """The one request a piece of a message makes, or None when it is news or a task."""
    from bot.nlu import queries

    body = polite_stripped(piece)
    label = _LABEL.match(piece)
    if label is not None:  # "cleanup: delete the task 'X'": the label names no request
        piece, body = piece[label.end():], body[label.end():] if body.startswith(label.group(0)) \
            else polite_stripped(piece[label.end():])
    found = match_request(piece, body, now)
    if found and len(found) == 1 and found[0].intent in _WHOLE_REQUESTS:
        return found[0]
    clauses = split_clauses(piece)
    # "late one: Pinnacle Insure closed won" tells news; it asks no figure
    acts = bool(clauses) and (
        clause_kind(polite_stripped(clauses[0]), first=True, after=None) is not None
        or (not piece.rstrip().endswith("?") and any(
            clause_kind(polite_stripped(c), first=False, after=None) == "update"
            for c in clauses[1:3])))
    if _ASKS.match(body) or _A_FIGURE.search(body):
        acts = False  # "… and how many deals are in negotiation?", "total closed won pls"
    handler = match_query(piece, first_clause_is_action=acts)
    if handler is queries.pipeline_action and not piece.rstrip().endswith("?") and \
            _THEIR_NEWS.match(body) and not _ASKS.match(body):
        return None  # "… and his office mgr. they're comparing our promo vs their bank's": news
    if handler is not None and handler is not queries.help_action:
        return handler(body, now)  # a question or a request, chained: "... and show my tasks"
    if before is not None and before.intent in ("subscribe_digest", "unsubscribe_digest"):
        if _DIGEST_AGAIN.match(body):
            return queries.digest_action(body, now)  # "... and post a weekly one there"
        if _DIGEST_STOP.match(body):
            return unsubscribe_action(body, cue_needed=False)  # "... and stop the daily one"
    return None


_LABEL = re.compile(r"(?!(?:task|tasks|todo|to-do|note|done|reminder|fyi|contact|deal|new)\b)"
                    r"[\w-]{2,15}:\s+(?=\w)", _I)
# "how did we do in Q1? total closed won pls": what figure, of the question before
_A_FIGURE_ONLY = re.compile(r"(?!(?:what|how|who|which|show|list)\b)(?:\S+\s+){0,4}\S+", _I)
_A_FIGURE = re.compile(r"\b(?:total|how (?:many|much)|count|sum|number of|win[ -]?rate|average|"
                       r"avg)\b", _I)
_ASKS = re.compile(r"(?:how (?:many|much)|what(?:'s| is| are| was| were)?|which|who(?:'s)?)\b", _I)
_DIGEST_STOP = re.compile(r"^(?:stop|cancel|turn off|kill|pause|remove|drop)\b", _I)


def _chained(raw: str, norm: str, *, now: dt.datetime, tz: str,
             source: Normalized | None) -> list[Action] | None:
    """The actions of a message that chains a request onto other requests or news."""
    breaks = [m for m in _PIECE_BREAK.finditer(norm) if m.start() > 0]
    if not breaks:
        return None
    # Each piece runs from where a break's words end ("and also ") to the next break.
    pieces = list(zip([0, *(m.end() for m in breaks)], [*(m.start() for m in breaks), len(norm)],
                      strict=True))
    spans: list[tuple[int, int]] = []
    requests: list[Action | None] = []
    for n, (a, b) in enumerate(pieces):
        said = norm[a:b].strip(" ,;")
        before = next((r for r in reversed(requests) if r is not None), None)
        asked = _piece_request(said, now, before)
        if isinstance(asked, PipelineQuery) and asked.period is None and \
                isinstance(before, PipelineQuery) and before.period is not None and \
                breaks[n - 1].group(0).strip() in ("+", "&"):
            # "win rate this year + won amount by rep": the second figure is of the year too
            asked.period = before.period
        if isinstance(asked, PipelineQuery) and isinstance(before, PipelineQuery) and \
                re.search(r"\bof (?:it|that|those|them)\b", said, _I):
            # "Khalid's open pipeline and how much of it is in negotiation?": of the same deals
            for key in ("owner", "status", "period"):
                if getattr(asked, key) is None:
                    setattr(asked, key, getattr(before, key))
        if asked is None and isinstance(before, PipelineQuery) and before.owner and \
                (other := _ANOTHER_OWNER.fullmatch(said)) is not None:
            # "how much did Piotr win in February? and Karolina?": the same, for her
            asked = before.model_copy(update={"owner": other.group(1)})
        if requests and requests[-1] is not None and (
                (asked is None and not _tells(said)) or (
                    isinstance(asked, PipelineQuery) and isinstance(requests[-1], PipelineQuery)
                    and requests[-1].measure is None and _A_FIGURE_ONLY.fullmatch(said))):
            # A piece that neither asks nor tells anything adds to the request before it:
            # "who's hot right now? top 5", "draft a reply saying yes + offer a 48h hold"
            earlier = next((r for r in reversed(requests[:-1]) if r is not None), None)
            more = _piece_request(norm[spans[-1][0]:b].strip(" ,;"), now, earlier)
            if more is not None and more.intent == requests[-1].intent:
                spans[-1], requests[-1] = (spans[-1][0], b), more
                continue
        spans.append((a, b))
        requests.append(asked)
    pieces = spans
    if not any(requests):
        return None
    ctx = Context(us=month_first(tz), source=source)
    actions: list[Action] = []
    i = 0
    while i < len(pieces):
        request = requests[i]
        if request is not None:
            said = norm[slice(*pieces[i])]
            actions.extend(_sure([_in_context(request, ctx, actions, said)], said))
            i += 1
            continue
        j = i
        while j < len(pieces) and requests[j] is None:
            j += 1
        text = norm[pieces[i][0]:pieces[j - 1][1]].strip(" ,;")
        if _GREETING.fullmatch(re.sub(r"[^\w\s'!?.,]", " ", text).strip()):
            i = j  # "morning! what's on my plate + how's my pipeline"
            continue
        segs = segments(resplit([polite_stripped(c) for c in split_clauses(text)]))
        if not segs:
            # "task: close out the report tonight. and show me what's overdue", "cleanup:
            # delete the task 'X', mark 'Y' done": a stretch read as a message of its own
            alone = [a for a in _by_rules(text, text, now=now, tz=tz) if not isinstance(a, Unknown)]
            if not alone and not actions:
                return None
            actions.extend(alone)
            i = j
            continue
        # (a stretch that asks nothing after what came before adds to it: "draft a reply
        # saying yes + offer a 48h hold")
        for seg in segs:
            made = segment_actions(seg, now, ctx)
            _note_the_news(actions, seg, made)
            actions.extend(_sure(made, seg.text))
        i = j
    return _merge_updates(_noted(actions))


def _tells(text: str) -> bool:
    """Whether `text` says something to log, file or change on its own."""
    return bool(segments(resplit([polite_stripped(c) for c in split_clauses(text)])))


# "there": at the account just named ("draft an email to Dr. Al-Kuwari there confirming the
# commercials", "add contact Ramon dela Cruz, VP Operations there"), not "there is".
_THERE = re.compile(r"\s*\b(?:there|at that company|at that account)\b"
                    r"(?!\s*(?:is|are|was|were|'s))", _I)


_ANOTHER_OWNER = re.compile(r"(?:and\s+)?(?:what about\s+|how about\s+)?"
                            r"((?-i:[A-Z\u00c0-\u00de])[\w'-]+)\W*", _I)
_THEIR = re.compile(r"\b(?:his|her|their)\b", _I)


def _in_context(action: Action, ctx: Context, before: list[Action], said: str) -> Action:
    """A chained request's "him", "them" and "there" (in `said`), from what came before it;
    a second question's "his" and the results it goes on about ("how many deals did we win
    last week, and what was the total amount?")."""
    earlier = next((a for a in reversed(before) if isinstance(a, PipelineQuery)), None)
    if isinstance(action, PipelineQuery) and earlier is not None:
        update: dict = {}
        if _THEIR.search(said) and earlier.owner and action.owner in (None, "me"):
            update["owner"] = earlier.owner
        if earlier.status in ("won", "lost") and action.status is None and \
                action.period is None and action.stage is None:
            update.update(status=earlier.status, period=earlier.period)
        if earlier.stage and action.stage is None and action.status is None and \
                action.period is None and action.group_by is None:
            # "how many deals are in negotiation? and what's the total value?": of those
            update.update(stage=earlier.stage, owner=action.owner or earlier.owner)
        return action.model_copy(update=update) if update else action
    if isinstance(action, DraftEmail) and (action.contact is None or _PRONOUN.fullmatch(
            action.contact)) and action.account is None and (ctx.contact or ctx.account):
        return action.model_copy(update={"contact": ctx.contact, "account": ctx.account})
    if isinstance(action, DraftEmail) and action.account is None and action.contact and \
            _THERE.search(said):
        # "show the timeline for Grupo Andino and draft an email to Joaquín there"
        account = next((a.account for a in reversed(before) if getattr(a, "account", None)),
                       ctx.account)
        return action.model_copy(update={"account": account})
    if isinstance(action, SubscribeDigest | UnsubscribeDigest) and action.channel is None:
        said = next((a.channel for a in reversed(before)
                     if isinstance(a, SubscribeDigest | UnsubscribeDigest) and a.channel), None)
        return action.model_copy(update={"channel": said})
    return action


def _sure(actions: list[Action], text: str) -> list[Action]:
    """Each action's confidence: how likely the classifier finds its intent in the text it
    came from. A rule matched, so a low figure means "ask before doing" (the clarification
    hook), not "wrong"."""
    for action in actions:
        if action.confidence is None:
            action.confidence = round(intent_probability(text, action.intent), 3)
    return actions
