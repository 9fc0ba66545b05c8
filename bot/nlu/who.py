"""Who and which company a clause is about: contact/account assignment by context."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from bot.nlu.entities import Span, honorific_before, legal_form_at, name_spans, span_is_person
from bot.nlu.lexicon import COMPANY_WORDS, FIRST_NAMES, HONORIFICS, NOT_NAMES, TITLE_WORDS, words

# Words that introduce the person or company an action is about.
MARKERS = words(
    """
    with to for at from on of about called call calling ping pinged email emailed text texted
    meet met see saw visit visited ask asked tell told thank thanked intro introduce cc invite
    rang ring phone phoned chase nudge summarize summarise timeline history move push bump lost won
    send sending sent give show back remind whether if w w/ wish congratulate left joined quit
    """
)
_ACCOUNT_MARKERS = frozenset({"at", "@", "from", "left", "joined", "quit"})  # "left Eko Realty"
_AFFILIATION = re.compile(r"\s*(?:\(\s*|,?\s+(?:at|from|@|of|de)\s+)")
# "Mr. Aarav Krishnamurthy, Quantix.io", "call w/ Anneke de Vries: Van Dijk BV went dark":
# a person, then a company after a comma or a colon.
_LOOSE_AFFILIATION = re.compile(r"\s*[,:]\s*")


def _affiliated(text: str, span: Span, nxt: Span | None) -> bool:
    """The span is a person and the next one the company they are with."""
    if nxt is None:
        return False
    gap = text[span.end:nxt.start]
    if _AFFILIATION.fullmatch(gap):
        return True
    return bool(_LOOSE_AFFILIATION.fullmatch(gap)) and span_is_person(span) \
        and not span_is_person(nxt)


@dataclass
class Who:
    """The contact and account a clause names, and where they were said."""

    contact: str | None = None
    account: str | None = None
    spans: list[tuple[int, int]] | None = None


# Where only a person can stand: "send <X> the deck", "call back <X>", "<X>'s phone".
_GIVEN_TO = re.compile(r"\b(?:send|sending|email|e-mail|give|show|forward|text|pass|hand|get)\s+$",
                       re.I)
_DONE_TO_PEOPLE = re.compile(r"\b(?:call|ring|phone|chase|e-?mail|text|ping|meet|send|wish|thank)"
                             r"\s+$", re.I)
_CALLED_BACK = re.compile(r"\b(?:call|ring|phone|text)\s+back\s+$"
                          # what one does only with a person: "meet Dale", "wish Felipe"
                          r"|\b(?:meet|meeting|wish|thank|congratulate|ask|tell|invite|"
                          r"introduce|intro|loop in|cc)\s+$", re.I)


def _person_slot(text: str, span: Span) -> bool:
    """A name (one to three words, no company word) where a sentence puts a person:
    "send Bec the checklist", "call back Tomasz Nowak"."""
    words = span.text.split()
    if span.kind == "ORG" or not 1 <= len(words) <= 3 \
            or any(w.lower().strip(".") in COMPANY_WORDS for w in words) \
            or not all(w[:1].isupper() for w in words if w.lower() not in _PARTICLES):
        return False
    head = text[:span.start]
    thing_next = re.match(r"\s+(?:the|a|an|our|my|his|her|their|some)\b", text[span.end:], re.I)
    # "replied to Nguyễn Thị Lan's email": what only a person has
    after = text[span.end:]
    if not text[:span.end].endswith(("'s", "’s")):
        after = after[2:] if after.startswith(("'s", "’s")) else ""
    own_words = re.match(r"\s+(?:e-?mail|message|text|voicemail|vm|call|reply|number|phone|cell|"
                         r"mobile|linkedin|assistant|boss|manager)\b", after, re.I)
    # "call Brett", "chase bec for the PO": one word after a verb done to people is a person
    # (so the rep's own notes read, 35 times in 36 in the blind sets)
    alone = len(words) == 1 and not words[0].isupper() and _DONE_TO_PEOPLE.search(head) and \
        not re.match(r"(?:'s|’s)", text[span.end:]) and not text[:span.end].endswith(("'s", "’s"))
    return bool(_CALLED_BACK.search(head) or (_GIVEN_TO.search(head) and thing_next) or own_words
                or alone)


_PARTICLES = words("van von de da di del della der den la le al el bin bint ibn ben dos das")


def _word_before(text: str, start: int) -> str:
    """The word before a name, looking past a determiner and a job title ("with the
    Pemberton team", "with their COO Liam Nguyen", "to our new VP Sales Ana Ruiz")."""
    head = text[:start].rstrip(" (")
    for _ in range(4):
        last = head.rsplit(" ", 1)[-1]
        if not head or not (
                last.lower() in _BEFORE_NAME or last.lower().rstrip(".") in HONORIFICS
                or (last.lower().strip(",") in TITLE_WORDS and last[:1].isupper())):
            break
        head = head[:len(head) - len(last)].rstrip()
    return head.rsplit(" ", 1)[-1].lower() if head else ""


_BEFORE_NAME = words("the our their his her new")
# "the Globant renewal", "the Nordvik QBR deck", "the Femsa signing"
_THINGS_OF = re.compile(
    r"(?:'s)?\s+(?:[A-Z]{2,5}\s+)?(?:deal|opp|opportunity|renewal|contract|pilot|rollout|qbr|"
    r"deck|proposal|quote|sow|msa|nda|rfp|poc|kickoff|signing|onboarding|implementation|"
    r"expansion|migration|launch|order|invoice|account|demo|offer|policy|pricing|price list|"
    r"rate card|po|purchase order|paperwork|forms?|docs|documents|report|samples|tender|bid|"
    r"rfq|sla|agreement|visit|meeting|review|audit|presentation)\b")


def who(text: str, *, markers_only: bool = False, leading: bool = True) -> Who:
    """Contact and account in `text`: "Jane at Acme", "with Oscorp", "(Tata Digital)".

    With `markers_only`, a name counts only after a word like "with"/"at"/"call",
    or (when `leading`) at the very start of the text.
    """
    found = Who(spans=[])
    spans = name_spans(text)
    affiliated: set[int] = set()
    for i, span in enumerate(spans):
        before = _word_before(text, span.start)
        nxt_span = spans[i + 1] if i + 1 < len(spans) else None
        linked = _affiliated(text, span, nxt_span)
        by_company = before in _ACCOUNT_MARKERS and not (
            before == "from" and (span_is_person(span) or linked)
        )
        if i in affiliated or by_company:
            role = "account"
        else:
            at_start = leading and re.fullmatch(r"(?:the\s+)?", text[:span.start], re.I)
            # A span the tagger was sure of needs no marker word before it, nor does a
            # company whose thing is named ("prep the Nordvik QBR deck").
            if markers_only and before not in MARKERS and not at_start and span.kind is None \
                    and not _THINGS_OF.match(text, span.end):
                continue
            if linked:
                affiliated.add(i + 1)
                role = "contact"
            else:
                titled = honorific_before(text, span.start)
                company = _is_company_named(span)
                if titled and company:
                    # "the Dr. Sulaiman Al Habib Medical Group account": the title is its name's
                    span = replace(span, text=text[titled.start():span.end], start=titled.start())
                role = "contact" if not company and (
                    span_is_person(span) or _person_slot(text, span) or titled) else "account"
        if role == "account" and found.account is not None and found.contact is None and \
                before in ("with", "w", "w/") and not _is_company_named(span) and \
                2 <= len(span.text.split()) <= 3:
            role = "contact"  # "a site visit at Kessler Excavating with Dale Kessler"
        if role == "contact" and found.contact is None:
            found.contact = span.text
        elif role == "account" and found.account is None:
            found.account = span.text
        else:
            continue
        assert found.spans is not None
        start, end = _with_marker(text, span)
        if i in affiliated and _LOOSE_AFFILIATION.fullmatch(text[spans[i - 1].end:span.start]):
            start = spans[i - 1].end  # "Mr. Aarav Krishnamurthy, Quantix.io": the comma too
        found.spans.append((start, end))
    if found.contact is not None and (said := _TITLE_AND_COMPANY.search(text)) is not None and \
            said.group("person").rstrip().endswith(found.contact) and any(
                w.lower() in TITLE_WORDS for w in re.split(r"[\s-]+", said.group("title"))):
        # "Fatima Al-Zarooni (Director of Ops, Al Noor Hospitality LLC)": the company is what
        # the parenthesis ends with, not a word of the title
        company = next((s for s in name_spans(said.group("company")) if s.start == 0), None)
        if company is not None and not span_is_person(company):
            found.account = company.text
    if found.contact is None and found.account is not None and found.spans:
        _lower_person_before(text, found)
    if found.contact is None and found.account is None:
        _lower_case(text, found)
    elif found.account is None and found.spans:
        _lower_account_after(text, found)
    elif found.contact is None and len(spans) == 1 and found.spans and \
            len(spans[0].text.split()) == 1 and \
            _word_before(text, spans[0].start) not in _ACCOUNT_MARKERS:
        _lone_name_at_lower_company(text, found)
    return found


# (The person starts the text or follows a parenthesis: tried nowhere else, it is linear.)
_TITLE_AND_COMPANY = re.compile(r"(?:^|(?<=[()]))(?P<person>[^()]+?)\s*"
                                r"\((?P<title>[^(),]{2,40}),\s*(?P<company>[^(),]{2,60})\)")


def _is_company_named(span: Span) -> bool:
    return any(w.lower().strip(".,") in COMPANY_WORDS for w in span.text.split())


def _lone_name_at_lower_company(text: str, found: Who) -> None:
    """"met siosaia at tonga reef tours": one word read as the company, then "at" and a
    company typed in lower case: the word was the person."""
    assert found.spans is not None
    trial = Who(contact=found.account, spans=list(found.spans))
    _lower_account_after(text, trial)
    if trial.account is not None:
        found.contact, found.account, found.spans = trial.contact, trial.account, trial.spans


# "called ngozi okafor @ Route 66 Logistics": a person typed in lower case before the
# company, known by a given name.
_LOWER_BEFORE = re.compile(r"(?:^|\s)(?P<c>[a-z][\w'-]+(?: [a-z][\w'-]+)?)\s*$")


def _lower_person_before(text: str, found: Who) -> None:
    assert found.spans is not None
    start = found.spans[0][0]  # the company's span, with its "at"/"@"/"from"
    if not re.match(r"(?:at|@|from)\b|@", text[start:]):
        return
    m = _LOWER_BEFORE.search(text, 0, start)
    if m is None:
        return
    names = m.group("c").split()
    if names[0] not in FIRST_NAMES:
        names = names[1:]
    if not names or names[0] not in FIRST_NAMES or names[-1] in NOT_NAMES:
        return
    found.contact = " ".join(names)
    found.spans.append((m.end("c") - len(found.contact), m.end("c")))


# "called Jane at redgate outfitters, …": the company typed in lower case after a name.
_LOWER_AFTER = re.compile(r"\s+(?:at|from|@)\s+(?P<a>[a-z][\w&'-]*(?:\s+[a-z][\w&'-]*){0,2})")


def _lower_account_after(text: str, found: Who) -> None:
    assert found.spans is not None
    end = found.spans[0][1]
    m = _LOWER_AFTER.match(text, end)
    if m is None:
        return
    words = []
    for word in m.group("a").split():
        if word in NOT_NAMES or word in FIRST_NAMES and words:
            break
        words.append(word)
    if not words or words[0] in NOT_NAMES:
        return
    end = m.start("a") + len(" ".join(words))
    end = legal_form_at(text, m.start("a"), end) or end  # "fjellheim maskin AS"
    found.account = text[m.start("a"):end]
    found.spans.append((m.start(), end))


# "called jane at acme": typed all lower-case, a known first name before "at"/"from".
_LOWER_PAIR = re.compile(
    r"\b(?P<c>[a-z]+(?: [a-z]+)?) (?:at|from|@) (?P<a>[a-z][\w&-]*(?: [a-z][\w&-]*)?)"
)


# "f/u w tom fri", "ping priya": a given name typed in lower case right after what one
# does with a person, and nothing after it that could be the rest of a name.
_LOWER_ONE = re.compile(r"\b(?:with|w/?|call|ping|text|email|ring|chase|meet|thank|tell|ask)"
                        r"\s+(?P<c>[a-z][a-z'-]+)(?=\s*(?:$|[,.;:!?]|\s(?:re|about|on|to|for|"
                        r"tomorrow|today|tonight|tmrw|tmr|next|this|at|by|mon|tue|tues|wed|thu|"
                        r"thurs|fri|sat|sun|monday|tuesday|wednesday|thursday|friday|"
                        r"saturday|sunday|in|after|before|asap|eod|and)\b))")


def _lower_case(text: str, found: Who) -> None:
    _lower_pair(text, found)
    if found.contact is not None:
        return
    for m in _LOWER_ONE.finditer(text):
        name = m.group("c")
        if name in FIRST_NAMES and name not in NOT_NAMES:
            found.contact = name
            found.spans = [(m.start("c"), m.end("c"))]
            return
    m = _LOWER_WITH.search(text)
    if m is not None and not any(w in NOT_NAMES for w in m.group("n").split()):
        # "quick sync with juniper vale re pilot": a name half seen, for the bot to ask about
        said = m.group("n")
        if said.split()[0] in FIRST_NAMES and len(said.split()) == 2:
            found.contact = said
        else:
            found.account = said
        found.spans = [(m.start(), m.end("n"))]


# Two or three words typed in lower case after a meeting or a call "with", then what it was
# about or a stop.
_LOWER_WITH = re.compile(r"\b(?:sync|call|meeting|mtg|lunch|coffee|chat|catch-?up|met|"
                         r"spoke|talked)\s+(?:with|w/?)\s+"
                         r"(?P<n>[a-z][a-z&'-]+(?:\s+[a-z][a-z&'-]+){1,2}?)"
                         r"(?=\s+(?:re|about|regarding|today|yesterday|this|last)\b|\s*[,.;:!?]|"
                         r"\s*$)")


def _lower_pair(text: str, found: Who) -> None:
    for m in _LOWER_PAIR.finditer(text):
        names = m.group("c").split()
        if names[-1] in FIRST_NAMES:
            names = names[-1:]
        elif names[0] not in FIRST_NAMES or names[-1] in NOT_NAMES:
            continue
        company = m.group("a").split()
        if len(company) > 1 and company[1] not in COMPANY_WORDS:
            company = company[:1]
        if company[0] in NOT_NAMES:
            continue
        found.contact, found.account = " ".join(names), " ".join(company)
        start = m.start("c") + m.group("c").rfind(names[0])
        found.spans = [(start, m.start("a") + len(" ".join(company)))]
        return


def _with_marker(text: str, span: Span) -> tuple[int, int]:
    """The span widened over the marker word before it and a closing parenthesis."""
    start = span.start
    head = text[:start]
    if (title := honorific_before(text, start)) is not None:  # "with Mr. Aarav Krishnamurthy"
        start, head = title.start(), head[:title.start()]
    m = re.search(r"(?:\b(?:with|at|from|to|for|on|of|about|de|da|do|du)\s+|@\s*|\(\s*)$", head)
    if m:
        start = m.start()
    end = span.end
    tail = re.match(r"(?:'s)?\s*\)", text[end:])
    if tail:
        end += tail.end()
    return start, end

