"""People, companies, money, stages, e-mails and phones found in a clause."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from rapidfuzz.distance import OSA

from bot.nlu.learned import Tagged, tag
from bot.nlu.lexicon import (
    ABBREVIATED_END,
    COMPANY_WORDS,
    FIRST_NAMES,
    HONORIFICS,
    MONTH_ABBR,
    MONTHS,
    NOT_NAMES,
    STAGE_SYNONYMS,
    STAGES,
    SURNAMES,
    TITLE_WORDS,
    words,
)

EMAIL_RE = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
PHONE_RE = re.compile(r"(?<![\w.])\+?\(?\d[\d\s().-]{6,}\d(?![\w.]*@)")
# Codes said with an amount, before or after it: "SGD 420k", "250k AUD", "9000 EUR".
_CURRENCY_CODES = (r"usd|eur|gbp|aud|nzd|cad|sgd|hkd|inr|zar|chf|jpy|cny|rmb|sek|nok|dkk|"
                   r"brl|mxn|aed|sar|myr|idr|php|thb|krw|pln|czk|huf|ngn|kes")
_SUFFIXES = r"k|m|mm|b|bn|million|thousand|grand|lakhs?|lacs?|crores?|cr"
_MONEY_RE = re.compile(
    # a sign, a sign with its country ("A$", "NZ$", "S$"), a rand's "R", rupees, or a code
    rf"(?P<cur>[$€£₹¥]|\b(?:A|S|C|NZ|HK|US|R)\$|\bR(?=\d)|\bRs\.?\s?|\b(?:{_CURRENCY_CODES})\s?)"
    rf"\s?(?P<num>\d[\d,]*(?:\.\d+)?)\s?(?P<suf>{_SUFFIXES})?\b"
    rf"|\b(?P<num2>\d[\d,]*(?:\.\d+)?)\s?(?P<suf2>{_SUFFIXES.replace('|b|', '|')})\b"
    # the currency said after the number, as most of Europe writes it: "64,500 €", "9000 EUR"
    r"|\b(?P<num3>\d[\d,.]*\d|\d)\s?(?:[$€£₹]|(?:euros?|dollars|pounds|rupees|"
    rf"{_CURRENCY_CODES})\b)",
    re.IGNORECASE,
)
_MULTIPLIER = {"k": 1e3, "thousand": 1e3, "grand": 1e3, "m": 1e6, "mm": 1e6, "million": 1e6,
               "b": 1e9, "bn": 1e9, "lakh": 1e5, "lakhs": 1e5, "lac": 1e5, "lacs": 1e5,
               "crore": 1e7, "crores": 1e7, "cr": 1e7}

# A name token: Capitalized, CamelCase, ALLCAPS or O'Brien-style; possessive allowed.
_TOKEN = r"(?:[A-Z][\w'&.-]*[\w&]|[A-Z])(?:'s)?"
# "Cava Puig i Fills", "Pão y Cia": the "and" of other languages joins a name too.
_CONNECT = (r"(?:\s(?:&|and|of|de|da|do|dos|das|du|des|di|della|van|von|der|den|del|la|le|i|y|e|ni|"
            r"ap|und|og|och|en|et|bin|bint|binti|binte|ibn|al|el|ter|ten|zu|dela|delos|de los)\s"
            # two particles: "Ingrid van der Berg", "Maria de la Cruz", "Otto von der Heide"
            r"|\s(?:van|von|de|dela)\s(?:der|den|la|las|los|del|van)\s|\s)")
# Capitalized words may also be accented ("Óscar"), and a number may sit inside a name
# ("Route 66 Diners", "Studio 4B Architects") or close it after a company word
# ("Obi Foods 2000"); amounts ("40k") and times never do.
# (Latin with its accents, Vietnamese and Yoruba dots below, Greek and Cyrillic capitals)
_UPPER = "A-Z\u00c0-\u00d6\u00d8-\u00de\u0100-\u024f\u1e00-\u1eff\u0391-\u03a9\u0400-\u042f"
# Inside a name: "+" ("Crane+Fox"), and combining marks ("Adébáyọ̀": ọ + a grave accent).
_MARKS = "\u0300-\u036f\u1dc0-\u1dff"
# An initial before a capitalized word is part of a name too ("J. R. Whitaker").
_TOKEN = (rf"(?:(?:St|Ste|Sta|Mt|Ft|Ma)\.(?=\s[{_UPPER}])|"  # "St. Luke's", "Ma. Cristina"
          rf"[{_UPPER}][a-z]{{1,2}}'(?=\s[{_UPPER}])|"  # "Hotel Ca' Dolfin"
          rf"[{_UPPER}][\w'&+.{_MARKS}-]*[\w&{_MARKS}]|[{_UPPER}]\.(?=\s[{_UPPER}])|[{_UPPER}])"
          rf"(?:'s|(?<=s)'(?=\s[{_UPPER}]))?")  # ("Hamilton Girls' High")
# Five digits or more are an amount, never a part of a name ("Pão & Cia 90000 demo").
_NUMBER_PART = r"(?:\d{1,4}[A-Z]?|\d[A-Z]+)(?![\w:.,%])(?<!\d[kKmM])"
_SPAN_RE = re.compile(rf"{_TOKEN}(?:{_CONNECT}(?:{_TOKEN}|{_NUMBER_PART}))*")
_STAGE_RE = re.compile(
    r"\b(" + "|".join(re.escape(k) for k in sorted(STAGE_SYNONYMS, key=len, reverse=True))
    + r")\b",
    re.IGNORECASE,
)
_STAGE_TYPO_RE = re.compile(
    r"\b(?:to|in|into|at|stage)\s+([a-z]{5,})\b|\b([a-z]{5,})[\s-]stage\b", re.IGNORECASE
)


_DETERMINERS = frozenset(("the", "a", "an", "our", "their", "my", "your", "this", "that",
                          "updated"))
_DOC_NOUNS = words("deck report doc docs sheet slides template analysis calculator numbers"
                   " summary one-pager pager model dashboard case study contract contracts plan"
                   " plans cards form forms order orders")
# "the Cyberdyne deal": a determiner does not hide a name when one of these follows.
_OWNED = words(
    "deal deals opp opportunity account renewal contract team folks people close pilot rollout"
    " qbr nda msa sow po rfp rfi deck proposal quote invoice sla poc kickoff champion contact"
    " dept department office site owners founders management family"
    " buyer board legal procurement folks guys crew"
    " offer policy pricing forms docs samples tender rfq agreement"
    " demo redlines presentation install project order"
)


@dataclass(frozen=True)
class Span:
    """A name found in a clause; `kind` ("PER"/"ORG") when the tagger said which."""

    text: str
    start: int
    end: int
    kind: str | None = None


# The tagger's spans are taken when they overlap a capitalized span (they fix its
# edges: "Jens van der Berg", "Route 66 Logistics", "Łukasz Nowak") or, alone, when it
# is this sure (lower-case names: "ngozi okafor", "fjordline").
TAGGER_OVERLAP = 0.5
TAGGER_ALONE = 0.8
TAGGER_KIND = 0.9  # and this sure of a longer name's kind to overrule the word lists


def name_spans(text: str) -> list[Span]:
    """People and companies in `text`, left to right: capitalized spans found by rule,
    corrected and completed by the learned tagger when its model is there."""
    # "de" read as "from" splits a rule span into a person and a company: sure enough
    # that the tagger's reading of that stretch is not taken.
    spans = _split_from(text, rule_spans(text), [])
    split = [s for s in spans if s.kind is not None]
    learned = []
    for t in tag(text):
        if t.kind not in ("PER", "ORG") or any(s.start < t.end and t.start < s.end
                                                for s in split):
            continue
        if (more := _AFTER_PARTICLE.match(text, t.end)) is not None and \
                t.text.rsplit(" ", 1)[-1] in _PARTICLES and more.group(1).lower() not in NOT_NAMES:
            # A name never ends on its particle: "lars de | vries" is "lars de vries".
            t = Tagged(text[t.start:more.end()], t.start, more.end(), t.kind, t.confidence)
        while t.kind == "ORG" and (more := _WORD_AFTER.match(text, t.end)) is not None and \
                more.group(1) in COMPANY_WORDS:
            # "lagos prime | realty": a company word after a company is its name's
            t = Tagged(text[t.start:more.end()], t.start, more.end(), t.kind, t.confidence)
        name, offset = _trim(t.text)
        if name:
            learned.append(Tagged(name, t.start + offset, t.start + offset + len(name), t.kind,
                                  t.confidence))
    if not learned:
        return _person_told_after(text, _completed(text, _split_from(text, spans, spans)))
    taken: list[Span] = []
    for t in learned:
        over = [s for s in spans if s.start < t.end and t.start < s.end]
        # A known given name backs the tagger up as a capitalized span would ("jorge").
        backed = over or t.text.split()[0].lower() in FIRST_NAMES
        if t.confidence < (TAGGER_OVERLAP if backed else TAGGER_ALONE):
            continue
        name = clean_name(t.text)
        if not name or name.lower() in NOT_NAMES or re.fullmatch(r"[\d\W]+|Q[1-4]", name) or \
                name.lower().rstrip(".") in HONORIFICS:  # "Doç." alone is a title, no one
            continue
        inside = [u for u in learned if any(u.start < s.end and s.start < u.end for s in over)]
        if len(over) == 1 and over[0].start <= t.start and t.end <= over[0].end and \
                (over[0].start, over[0].end) != (t.start, t.end) and \
                (len(inside) == 1 or _particle_joined(text, inside, over[0].end)):
            # A piece of one capitalized name ("Lumen" of "Lumen Data"), or pieces joined
            # by a particle ("Vinhos" + "Douro Lda" of "Vinhos do Douro Lda"): keep it whole.
            continue
        # One word alone says little of its kind ("Oscorp", "Sarah"): the rules' word
        # lists and shape decide; the tagger decides for longer names when it is sure.
        kind = t.kind if len(name.split()) > 1 and t.confidence >= TAGGER_KIND else None
        taken.append(Span(name, t.start, t.start + len(name), kind))
    kept = [s for s in spans if not any(s.start < t.end and t.start < s.end for t in taken)]
    return _person_told_after(text, _completed(
        text, _split_from(text, sorted(taken + kept, key=lambda s: s.start), spans)))


# "note for Harbor View Dental Priya says …", "update on Clinica Sol Andrés called me back":
# a given name said right after a company, then what the person said or did
# (what people do, not companies: "Casa Azul signed" is the hotel's signature)
_TOLD_AFTER = re.compile(r"\s+(?:says|said|called|rang|phoned|told|tells|asks|asked|emailed|"
                         r"texted|replied|mentioned|thinks|got back|came back)\b")


def _person_told_after(text: str, spans: list[Span]) -> list[Span]:
    """A company's name of two words or more, then a known given name and what that person
    said or did: the company, and the person (when the words before the name are a
    company's: a company word says so, or the tagger did)."""
    out: list[Span] = []
    for span in spans:
        *rest, last = span.text.split(" ")
        company = " ".join(rest)
        if len(rest) >= 2 and span.kind != "PER" and not span_is_person(span) and \
                last.lower() in FIRST_NAMES and last[:1].isupper() and \
                last.lower() not in COMPANY_WORDS and _TOLD_AFTER.match(text, span.end) and (
                    span.kind == "ORG" or any(w.lower().strip(".") in COMPANY_WORDS for w in rest)):
            out += [Span(company, span.start, span.start + len(company), "ORG"),
                    Span(last, span.end - len(last), span.end, "PER")]
        else:
            out.append(span)
    return out


# "Ramón García-Márquez de Vértice Sistemas S.L.": "de" (and its kin) meaning "from"
# between a person and a company, not a particle of the person's name.
_FROM_PARTICLE = re.compile(r" (?:de|da|do|du|des|dos|das|di) ")
_OF = re.compile(r" of ")
_SAN = re.compile(r"\S+-(?:san|sama|sensei)\b", re.IGNORECASE)
_HONORIFIC_BEFORE = re.compile(
    rf"(?:^|(?<=[\s(]))(?:{'|'.join(sorted(HONORIFICS))})\.?\s+$", re.IGNORECASE)


def honorific_before(text: str, at: int) -> re.Match[str] | None:
    """ "Mr. ", "Dr ", "Señora " said right before `at` (looked for in the few characters
    before it: a title is short, and a long message is not read again for each name)."""
    return _HONORIFIC_BEFORE.search(text, max(0, at - 16), at)


# Words of a Spanish or Portuguese phrase left in a message ("las fotos del pivot a Derlis")
_SAID_IN_SPANISH = re.compile(r"\b(?:las|los|del|el|la|para|con|una|que|pra|com|dos|das)\b")


def _split_from(text: str, spans: list[Span], rule: list[Span]) -> list[Span]:
    """Spans with "<person> de <company>" read as two names, the company running to the
    end of the rule span it sits in (with its legal form)."""
    out: list[Span] = []
    for span in spans:
        if span.kind is not None:
            out.append(span)  # split already: "Luiz Otávio de Melo Franco" is one person
            continue
        # "Sr. Ramírez de", "Watanabe-san of": said as a person
        titled = honorific_before(text, span.start) is not None or \
            _SAN.match(span.text) is not None
        # The first "de" before a company's word that no family name follows: "Luiz
        # Fernando de Almeida Prado da Agropecuária Três Irmãos" ("de Almeida" is his
        # name's), "Henrique Sato da Yakult do Brasil"
        found = list(_FROM_PARTICLE.finditer(span.text))
        m = next((f for f in found if any(
            w.lower().strip(".,") in COMPANY_WORDS for w in span.text[f.end():].split())
            and span.text[f.end():].split()[0].lower() not in SURNAMES | _PARTICLES),
            found[0] if found else None)
        # "Mr. Suzuki of Daifuku Logistics", "Watanabe-san of Kizuna Holdings": a person
        # said as one, of a company
        of = None if m or not titled else _OF.search(span.text)
        m = m or of
        if m is None:
            out.append(span)
            continue
        left = span.text[:m.start()].split()
        start = span.start + m.end()
        end = max([span.end, *(r.end for r in [*rule, *spans] if r.start < start < r.end
                               or start <= r.start < span.end + 2)])
        right = text[start:end]
        company = any(w.lower().strip(".,") in COMPANY_WORDS for w in right.split()) or \
            legal_form_at(text, start, end) is not None or _LEGAL_RE.search(" " + right) or \
            (of is not None and right[:1].isupper())
        person_like = left and (left[0].lower() in FIRST_NAMES or 2 <= len(left) <= 3 or titled) \
            and left[0][:1].isupper() and all(w[:1].isupper() or w in _PARTICLES for w in left) \
            and not any(w.lower().strip(".,") in COMPANY_WORDS for w in left)
        # "Ana Morales de Bimbo": a whole name, then a word no family name is ("de Souza",
        # "de la Cruz" are)
        first_after = right.split()[0].lower().strip(".,") if right.split() else ""
        company = company or m is not of and len(left) >= 2 and right[:1].isupper() and \
            left[0].lower() in FIRST_NAMES and first_after not in SURNAMES and \
            first_after not in _PARTICLES and \
            not text.startswith(" (", end)  # "… de Córdoba (Olivar del Sur S.L.)": a family name
        if person_like and company:
            person = " ".join(left)
            out.append(Span(person, span.start, span.start + len(person), "PER"))
            right = clean_name(right)
            out.append(Span(right, start, start + len(right), "ORG"))
        else:
            out.append(span)
    return [s for i, s in enumerate(out) if not any(
        o.start <= s.start and s.end <= o.end and o != s for o in out[:i])]


# Legal forms close a company's name and belong to it ("Nordlys Fiskeri AS", "Wisła
# Logistics sp. z o.o.", "Grupo Altamira S.A. de C.V."). Short capitals that are also
# words ("AS", "AB", "SA") count only as typed in capitals; the rest in any case.
_LEGAL_CASED = (r"S\.A\.B\. de C\.V\.?|S\.A\. de C\.V\.?|S\. de R\.L\.?|S\.A\.S\.?|S\.A\.R\.L\.?|"
                r"S\.A\.C\.?|S\.A\.A\.?|S\.A\.?|S\.L\.?|S\.p\.A\.?|S\.r\.l\.?|S\.C\.?|S\.N\.C\.?|"
                r"GmbH & Co\.? KG|AS|ASA|AB|AG|KG|SA|SL|SAS|SARL|SpA|Srl|SRL|BV|NV|KK|Oy|Oyj|"
                r"ApS|A/S|I/S|AS/A|Ltda\.?|Lda\.?|Cia\.?|\(Pty\) Ltd\.?|Bhd\.?|Tbk\.?|PT|JSC|"
                r"OOO|ZAO|d\.o\.o\.?|FZE|FZCO|FZ-LLC|DMCC|W\.L\.L\.?|WLL|PJSC|UAB|SIA|O\u00dc|"
                r"A\.\u015e\.?|Ltd\. \u015eti\.?|EIRELI|"
                r"a\.s\.?|k\.s\.?|e\.V\.?|eG|SE|SCA|SCS")
_LEGAL_ANY_CASE = (r"sp\. ?z ?o\.o\.?|s\.r\.o\.?|spółka z o\.o\.?|Pty\.? Ltd\.?|Pvt\.? Ltd\.?|"
                   r"Pte\.? Ltd\.?|Private Limited|bv|b\.v\.?|"
                   r"Sdn\.? Bhd\.?|Co\.,? Ltd\.?|Ltd\.?|Limited|Inc\.?|Incorporated|LLC|L\.L\.C\.?|"
                   r"LLP|PLC|GmbH|Corp\.?|Co\.|B\.V\.?|N\.V\.?|K\.K\.?|Kft\.?|Zrt\.?|Nyrt\.?|"
                   r"S\.p\.A\.?|S\.A\.?|S\.L\.?|S\.r\.l\.?|srl|ltda|oyj|gmbh|lt[ée]e")
_LEGAL_RE = re.compile(rf"(?:,\s*|\s+)(?:(?:{_LEGAL_CASED})|(?i:{_LEGAL_ANY_CASE}))(?![\w/])")
# A domain is an account as a whole ("koala-payments.com.au"); never part of an e-mail.
_DOMAIN_RE = re.compile(
    r"(?<![\w@.-])[a-z0-9][a-z0-9-]*(?:\.[a-z0-9-]+)*\.(?:com|net|org|io|co|ai|app|dev|biz|info|"
    r"tech|cloud|us|uk|de|fr|es|it|nl|se|no|dk|fi|pl|au|nz|ca|in|ng|za|jp|kr|cn|br|mx|ar|cl|ch|"
    r"at|be|ie|pt|sg|hk|ke|gh|tr|ae|il)(?:\.[a-z]{2})?(?![\w@-]|\.\w)", re.IGNORECASE)
_THE_BEFORE = re.compile(r"(?<=[a-z] )The $")
# "24x7 Logistics": a token of digits, letters and digits opens the name after it.
_ORDINAL_HEAD = re.compile(r"(?<![\w$€£.])\d{1,3}(?:st|nd|rd|th)\s+$")
# "24x7 Logistics" (a word before the name), "3PL Direct" (a digit that opens its first word)
_DIGIT_HEAD = re.compile(r"(?<![\w$€£.])(?:\d+[a-z]+\d+[a-z]*\s+|\d{1,2})$", re.IGNORECASE)
# Documents and forms are things sent, never a company or a person ("send W-9 to ...").
_DOCUMENT_RE = re.compile(
    r"(?:W-?\d{1,2}\w*|I-\d{1,2}|NDAs?|SOWs?|MSAs?|DPAs?|SLAs?|POs?|RFPs?|RFIs?|RFQs?|BAAs?|"
    r"EULA|SOC ?[12]\w*|ISO ?\d+|T&Cs?|LOI|MOU|DDQ|CV|PDF|W8-?BEN\w*|1099s?|QBR)")


def has_legal_form(name: str) -> bool:
    """Whether `name` carries a company's legal form ("Lang Logistik GmbH", "JSL S.A.")."""
    return _LEGAL_RE.search(" " + name) is not None


def legal_form_at(text: str, start: int, end: int) -> int | None:
    """Where a name at text[start:end] ends with the legal form said after it (or begun
    inside it: the tagger's "Wisła Logistics sp" of "... sp. z o.o."), or None."""
    for at in [end, *(m.start() for m in re.finditer(r"\s", text[start:end]))][::-1]:
        at = at + start if at != end else end
        legal = _LEGAL_RE.match(text, at)
        if legal is not None and legal.end() >= end:
            return legal.end()
    return None


def _completed(text: str, spans: list[Span]) -> list[Span]:
    """Spans with their legal form and a leading "24x7" added, documents dropped, and
    domains taken whole."""
    out: list[Span] = []
    for span in spans:
        if _DOCUMENT_RE.fullmatch(span.text) or all(
                w.lower().strip(".,") in TITLE_WORDS for w in span.text.split()):
            continue  # a document ("NDA") or a job title alone ("CTO", "VP"): not a name
        start, end, kind = span.start, span.end, span.kind
        if (head := _DIGIT_HEAD.search(text, 0, start)) is not None or (
                (head := _ORDINAL_HEAD.search(text, 0, start)) is not None
                and any(w.lower().strip(".,") in COMPANY_WORDS for w in span.text.split())):
            start, kind = head.start(), "ORG"  # "24x7 Logistics", "21st Century Freight"
        if (legal := legal_form_at(text, start, end)) is not None:
            end, kind = legal, "ORG"
        if _THE_BEFORE.search(text, 0, start) and not any(
                w.lower() in FIRST_NAMES for w in span.text.split()[:1]):
            start -= 4  # "at The Green Kitchen Co.": a capital "The" mid-sentence is the name's
        if (start, end) != (span.start, span.end):
            span = Span(clean_name(text[start:end]), start, end, kind)
        if out and out[-1].end >= span.end:
            continue  # a legal form read as a name of its own: now part of the one before
        out.append(span)
    domains = [Span(m.group(0), m.start(), m.end(), "ORG") for m in _DOMAIN_RE.finditer(text)]
    if domains:
        out = [s for s in out if not any(s.start < d.end and d.start < s.end for d in domains)]
        out = sorted(out + domains, key=lambda s: s.start)
    return out


_AFTER_PARTICLE = re.compile(r" ([^\W\d_][\w'-]+)")
_PARTICLE_GAP = re.compile(r"\s+(?:de|da|do|dos|das|du|des|di|della|del|van|von|der|den|la|le|"
                           r"i|y|e)\s+")
_WORD_AFTER = re.compile(r"\s+([a-z][\w&'-]*)")
_AND_GAP = re.compile(r"\s+(?:and|&)\s+")
_OWNER_GAP = re.compile(r"['\u2019]s\s+")  # "Mama Lou | 's | Kitchen", read by rule as one


def _particle_joined(text: str, pieces: list[Tagged], end: int) -> bool:
    """Tagged pieces only a particle apart ("Vinhos | do | Douro Lda"); or an "and"
    apart, in a company's name ("Johnson | and | Johnson") or before a possessive said of
    them together ("Diego | and | Priya's deals": a list read as such where it is read); or
    an owner's "'s" apart inside a name the rules read as one ("O'Sullivan | 's | Pharmacy
    Ltd")."""
    pieces = sorted(pieces, key=lambda p: p.start)
    # (but a person the tagger is sure of is joined to no one: "Ọlámídé Adéwálé and Đặng Lâm")
    joined = any(p.kind == "ORG" and p.confidence >= TAGGER_OVERLAP for p in pieces) and \
        not any(p.kind == "PER" and p.confidence >= TAGGER_KIND for p in pieces) or \
        text[:end].endswith(("'s", "\u2019s"))
    gaps = [text[a.end:b.start] for a, b in zip(pieces, pieces[1:], strict=False)]
    return all(_PARTICLE_GAP.fullmatch(gap) or _OWNER_GAP.fullmatch(gap)
               or joined and _AND_GAP.fullmatch(gap) for gap in gaps)


def _trim(said: str) -> tuple[str, int]:
    """A tagged name without the plain words the tagger ran into, and how far it moved:
    "advance Quantix" → "Quantix", "Wayne Enterprises budget freeze until Feb" → "Wayne
    Enterprises", "Alpenblick GmbH 2 days ago" → "Alpenblick GmbH", "cobalt robotics as" →
    "cobalt robotics". Particles inside ("de la") and legal suffixes ("sp. z o.o.") stay."""
    words = said.split(" ")
    capitalized = any(w[:1].isupper() for w in words)
    offset = 0

    def plain(word: str) -> bool:
        lower = word.lower().strip(".,")
        if word in _REGION_CODES:
            return False  # "Dangote US", "Kiwi Freight NZ": a region in capitals is the name's
        return lower in NOT_NAMES or (capitalized and word.islower() and "." not in word)

    while len(words) > 1 and plain(words[0]) and words[0] not in _PARTICLES and \
            (words[0].lower() not in FIRST_NAMES or words[0] in _COURTESIES) and not (
                # "Jan van der Berg" keeps "Jan"; "anh Nguyễn Văn Hùng" drops "anh"
                (re.fullmatch(r"Q[1-4]", words[0]) or words[0] in _OPENERS)
                and (words[1].lower() in COMPANY_WORDS  # "Q2 Holdings", "Yes Bank"
                     or len(words) >= 3 and all(w[:1].isupper() for w in words))):
        # ("Great Plains Grocery Delivery": an everyday word opening a name of three)
        offset += len(words.pop(0)) + 1
    if words[0][:1].isupper():
        # A capitalized name ends at a plain lower-case word: "Okonkwo Holdings switched
        # CIOs", "Marek Kowalski says" (particles and joining words stay: "Puig i Fills").
        for i, word in enumerate(words[1:], 1):
            if word.isalpha() and word.islower() and word not in _PARTICLES and \
                    word not in _JOINERS and not _LEGAL_RE.fullmatch(" " + word):
                words = words[:i]
                break
    # A comma ends a name, but before its legal form ("Acme, Inc."): "Eastside Community
    # Health, 2 clinics" → "Eastside Community Health".
    for i, word in enumerate(words[:-1]):
        if word.endswith(",") and not _LEGAL_RE.fullmatch(" " + words[i + 1].strip(".,")):
            words = [*words[:i], word.rstrip(",")]
            break
    # A legal form closes a company's name: "polder4 bv asking for …" → "polder4 bv".
    legal = [i for i, w in enumerate(words[:-1]) if _LEGAL_RE.fullmatch(" " + w)]
    if legal and all(w.isalpha() and w.islower() and not _LEGAL_RE.fullmatch(" " + w)
                     for w in words[legal[-1] + 1:]):
        words = words[:legal[-1] + 1]
    elif legal and "." in words[legal[-1]] and len(words) - legal[-1] <= 3 and all(
            w[:1].isupper() and w.isalpha() and w.lower() not in COMPANY_WORDS
            and not _LEGAL_RE.fullmatch(" " + w) for w in words[legal[-1] + 1:]):
        words = words[:legal[-1] + 1]  # "Demir Lojistik A.Ş. Kocaeli": the place is no name's
    cut = False
    while len(words) > 1 and (
            (plain(words[-1]) and (len(words[-1]) > 2 or words[-1].lower() in NOT_NAMES))
            or words[-1] in _JOINERS  # "Yolanda Castro y (su equipo)": no name ends on "and"
            or (words[-1].lower() in _OWNED and words[-1].lower() not in COMPANY_WORDS)
            or (words[-1].isdigit() and (cut or len(words[-1]) >= 5))):  # "Pão & Cia 90000"
        words.pop()
        cut = True
    name = " ".join(words)
    if len(words) == 1 and name.lower().strip(".,") in NOT_NAMES:
        return "", 0
    return name, offset


# Everyday words that open a company's name before a company word ("Yes Bank").
_OPENERS = words("Yes Go Hello Next First One New Open Good Best Big Sun May Great Blue")
_REGION_CODES = words("US USA UK EU UAE NZ AU LATAM APAC EMEA MENA DACH")
_PARTICLES = words("van von de da di del della der den la le al el bin bint ibn ben dos das")
# Said in lower case before a name in Vietnam and Indonesia ("anh Hùng", "bu Sri")
_COURTESIES = words("anh chị ông bà cô chú bác em bu pak ibu bapak mbak mas kak")
# Particles found in people's names and hardly ever in a company's ("Banco de Chile").
_PERSON_PARTICLES = words("bin bint ibn van von der den ter ten zu al el")
_JOINERS = words("and of i y e und og och en et")


def span_is_person(span: Span) -> bool:
    """A company word decides ("Acme Corp"); else the tagger when it was sure of the
    span's kind; else the rules' guess from the word lists."""
    words = span.text.split()
    if words and re.search(r"-(?:san|sama|kun|chan|sensei|ji|ssi|nim)$", words[-1]):
        return True
    if any(w.lower().strip(".") in COMPANY_WORDS for w in words):
        return False
    if 3 <= len(words) <= 4 and words[0][:1].isupper() and words[-1][:1].isupper() and \
            all(w in _PARTICLES for w in words[1:-1]):
        return True  # a name and a family name with its particle: "Maarten de Wit"
    if 1 < len(words) <= 3 and words[0].lower() in FIRST_NAMES and \
            not named_after_someone(words) and (
            clean_name(words[-1]).lower() in SURNAMES or "-" in words[-1]
            or any(_has_accent(w) for w in words) or span.kind != "ORG"):
        return True  # a given name and a family name: "Geneviève Tremblay-Roy"
    if span.kind is not None:
        return span.kind == "PER"
    return is_person(span.text)


def _has_accent(word: str) -> bool:
    return any(ord(ch) > 127 and ch.isalpha() for ch in word)


def clean_name(name: str) -> str:
    """A name without a trailing possessive or stray punctuation ("Nate's" → "Nate")."""
    dotted = ABBREVIATED_END.search(name.rstrip(" ,;:()\"'"))
    name = name.strip(" .,;:()\"'•·") + ("." if dotted else "")
    if name.endswith("'s") or name.endswith("\u2019s"):
        name = name[:-2]
    return name.rstrip("'")


_UNIT_AFTER = re.compile(
    r"\s*(?:days?|weeks?|hours?|hrs?|minutes?|mins?|months?|years?|am|pm|people|units|seats|"
    r"users|licen[cs]es|sites|trucks|stores|%|percent|x\b|of\b|or\b|to\b|-)", re.IGNORECASE)


def _counts_something(text: str, end: int) -> bool:
    """A number closing a span counts something when a unit follows ("Acme 3 days ago"),
    or it is the end of the text; else it is part of the name ("Dakar Ports 2030")."""
    return not text[end:].strip() or bool(_UNIT_AFTER.match(text, end))


def _opens_a_company(words: list[str]) -> bool:
    """Whether a common word begins a company's name: a quarter before a company word, or
    three words or more said as a company ("&", a company word, a legal form)."""
    rest = " ".join(words)
    if re.fullmatch(r"Q[1-4]", words[0]) and len(words) >= 2 and words[1].lower() in COMPANY_WORDS:
        return True  # "Q3 Capital", "Q2 Holdings" (as the tagger's spans are kept: see `_trim`)
    return words[0].lower() in _COMPANY_OPENERS and len(words) >= 3 and (
        "&" in rest or any(w.lower().strip(".,") in COMPANY_WORDS for w in words[1:])
        or has_legal_form(rest) or bool(re.fullmatch(r"[A-Z]{2,5}", words[-1])))  # "Big Earl BBQ"


# What a "Head of …" heads: a part of a company, never a company.
_FUNCTIONS = frozenset({"sales", "leasing", "lettings", "procurement", "purchasing", "finance",
                        "operations", "ops", "marketing", "it", "engineering", "hr", "people",
                        "property", "properties", "claims", "underwriting", "legal", "growth",
                        "product", "partnerships", "digital", "technology", "compliance", "risk",
                        "payments", "treasury", "logistics", "supply", "facilities", "security",
                        "customer", "service", "services", "strategy", "data", "infrastructure"})
_MANAGED = frozenset({"property", "asset", "facilities", "facility", "wealth", "fund",
                      "estate", "estates", "investment", "waste", "project", "portfolio"})
_BOARDS = frozenset({"school", "district", "education", "health", "tourism", "water", "trade",
                     "development", "housing", "investment", "revenue", "port", "energy"})
_COMPANY_OPENERS = frozenset({"great", "grand", "new", "united", "general", "first", "royal",
                              "golden", "global", "big", "best", "prime", "smart", "bright"})


_MONTH_NAMES = frozenset(MONTHS) | frozenset(MONTH_ABBR)


def _given_name_first(words: list[str]) -> bool:
    """ "Jan Peeters", "April Nguyen": a given name that is also a month, before a name."""
    return len(words) > 1 and words[0].lower() in _MONTH_NAMES and \
        words[0].lower() in FIRST_NAMES and words[0][1:].islower() and \
        words[1][:1].isupper() and words[1].lower().strip(".") not in NOT_NAMES


def rule_spans(text: str) -> list[Span]:
    """Capitalized spans that could be a person or a company, left to right."""
    spans = []
    for m in _SPAN_RE.finditer(text):
        words = m.group(0).split()
        start = m.start()
        # Drop leading/trailing words that are never names ("Called", "Friday"), or the
        # end of a lower-case word ("ị" of "chị"); but not the first word of a company's
        # name ("Great Lakes Automation & Controls").
        while words and (words[0][0].islower() or words[0].lower().strip(".") in HONORIFICS
                         or words[0].lower().strip(".") in NOT_NAMES
                         and not _opens_a_company(words) and not _given_name_first(words)):
            start += len(words[0]) + 1
            words.pop(0)
        while words and (words[-1].lower().strip(".") in NOT_NAMES
                         and not (len(words) > 1 and words[-1].lower() in COMPANY_WORDS)
                         # "Nomvula Dlamini CFO at …": her title, after her name
                         or len(words) > 2 and words[-1].isupper()
                         and words[-1].lower() in TITLE_WORDS
                         or words[-1].lower() in ("and", "of", "&")
                         or (words[-1][0].isdigit()
                             and _counts_something(text, m.start() + len(" ".join(words))))):
            words.pop()
        owns = False
        while (len(words) > 1 and words[-1].lower() in _OWNED
               and words[-1].lower() not in COMPANY_WORDS  # "the Redwood Analytics QBR"
               # but "Halton District School Board" is the name's
               and not (words[-1] == "Board" and words[-2].lower() in _BOARDS)
               # but "Murphy & Sons Property Management" is the name's
               and not (words[-1].lower() == "management" and (
                   words[-2].lower() in _MANAGED or words[-2].lower() in COMPANY_WORDS))):
            words.pop()
            owns = True
        if not words:
            continue
        # A determiner before it makes it a thing, not a name ("the MSA", "a QBR").
        before = text[:start].rstrip().rsplit(" ", 1)[-1].lower() if start else ""
        after = text[start + len(" ".join(words)):].split(maxsplit=1)
        owned = owns or bool(after) and (after[0].lower().strip(".,") in _OWNED
                                 or after[0].lower().strip(".,") in TITLE_WORDS
                                 or _OWNED_AFTER.match(text, start + len(" ".join(words))))
        if len(words) == 3 and words[0].lower() in TITLE_WORDS and words[1] == "of" and \
                words[2].lower() in _FUNCTIONS:
            continue  # "Head of Leasing": a job, not a company
        if len(words) > 2 and words[0].lower() in TITLE_WORDS and words[1] == "of":
            start += len(words[0]) + len(" of ")  # "the CFO of Meridian Foods"
            words = words[2:]
            owned = True
        # ("at the HIMSS APAC booth", "the Nordic CISO roundtable": an event, a thing)
        at_the = before == "the" and len(words) > 1 and re.search(
            r"\b(?:at|from|of|with)\s+the\s*$", text[:start], re.IGNORECASE) is not None and (
                not after or not after[0][:1].islower() or after[0] in _AFTER_A_NAME)
        # ("a Jorge Ruiz": Spanish and Portuguese "a" is "to" before a person's name)
        to_someone = before == "a" and len(words) > 1 and (
            words[0].lower() in FIRST_NAMES or _SAID_IN_SPANISH.search(text) is not None)
        if not owned and before in _DETERMINERS and not text[:start].rstrip().endswith("The") \
                and not at_the and not to_someone:
            # "the MSA" is a thing; "The Foundry Collective", "at the Edinburgh Whisky
            # Exchange" a name
            continue
        if before in _DETERMINERS and len(words) == 1 and words[0].isupper() and \
                len(words[0]) <= 4 and after and after[0].lower().strip(".,") in _DOC_NOUNS:
            continue  # "the ROI deck", "the KPI report": an acronym naming a thing
        for piece, offset in _split_name(words):
            _add_span(spans, text, piece, start + offset)
    return spans


_AFTER_A_NAME = frozenset({"and", "to", "with", "on", "in", "this", "today", "yesterday", "he",
                           "she", "they", "who", "about", "re", "for", "said", "says", "is",
                           "was"})
# "the Providence nursing informatics team": a few plain words, then what the name owns
_OWNED_AFTER = re.compile(r"(?:\s+[a-z][\w-]*){1,3}?\s+(?:" + "|".join(sorted(_OWNED)) + r")\b")


def _split_name(words: list[str]) -> list[tuple[list[str], int]]:
    """Split "Acme's CFO Dan Brown" and "Priya Shah of Northwind" into their names."""
    pieces: list[tuple[list[str], int]] = []
    current: list[str] = []
    offset = 0
    for i, word in enumerate(words):
        rest = [w.lower().strip(".,") for w in words[i + 1:]]
        # "St. Luke's Medical Center", "McDonald's Corporation": the 's inside a name
        ends_possessive = word.endswith("'s") and i < len(words) - 1 and not (
            any(w in COMPANY_WORDS for w in rest) and not any(w in TITLE_WORDS for w in rest))
        person_of = (word == "of" and current and (
            current[0].lower() in FIRST_NAMES
            or re.search(r"-(?:san|sama|kun|chan|sensei|ji)$", current[-1]))  # "Suzuki-san of X"
            and not any(w.lower() in COMPANY_WORDS for w in current))
        if person_of:
            pieces.append((current, offset))
            offset += len(" ".join(current)) + len(" of ")
            current = []
            continue
        current.append(word)
        if ends_possessive:
            pieces.append((current, offset))
            offset += len(" ".join(current)) + 1
            current = []
    if current:
        pieces.append((current, offset))
    result = []
    for piece, off in pieces:
        while len(piece) > 1 and piece[0].lower() in TITLE_WORDS:  # "CFO Dan Brown"
            off += len(piece[0]) + 1
            piece = piece[1:]
        result.append((piece, off))
    return result


def _add_span(spans: list[Span], text: str, words: list[str], start: int) -> None:
    name = clean_name(" ".join(words)) if words else ""
    if name and not re.fullmatch(r"Q[1-4]|[A-Z]\d+|\d+\w*", name):
        spans.append(Span(name, start, start + len(" ".join(words))))


def is_company(name: str) -> bool:
    """True when a name reads as a company rather than a person."""
    words = name.replace(",", " ").split()
    if words and re.search(r"-(?:san|sama|kun|chan|sensei|ji|ssi|nim)$", words[-1]):
        return False  # "Tanaka-san", "Sharma-ji", "Kim-ssi": a person, addressed politely
    if any(w.lower().strip(".") in COMPANY_WORDS for w in words) or "&" in words or (
            "and" in words[1:-1] and words[0].lower() not in FIRST_NAMES):
        return True  # a company word, or names joined by "&" ("Okafor & Adebayo", "Osei and
        # Mensah"; "Ana and Bo" are two people)
    if words and words[0].lower() in FIRST_NAMES and not named_after_someone(words):
        return False
    if 3 <= len(words) <= 5 and words[0][:1].isupper() and words[-1][:1].isupper() and \
            any(w in _PERSON_PARTICLES or w in _PARTICLES for w in words[1:-1]):
        return False  # "Ahmed bin Rashid", "Ingrid van der Berg", "Anneke de Vries"
    if 1 < len(words) <= 3 and re.fullmatch(r"[A-Z]'[A-Z]\w+|(?:Mc|Mac)[A-Z]\w+", words[0]) \
            and words[-1][:1].isupper():
        return False  # "D'Angelo Russo", "O'Shea Walsh", "McKenna Doyle"
    if len(words) == 1 and re.fullmatch(r"[^\W\d_]+-[^\W\d_]+", words[0]) and \
            words[0].split("-")[0].lower() in FIRST_NAMES and words[0].split("-")[1][:1].isupper():
        return False  # a double given name: "Jean-Baptiste", "Wei-Ling", "Anne-Marie"
    if len(words) == 1 and re.fullmatch(r"[A-Z][a-z]{1,3}-[a-z]{2,4}", words[0]) and \
            words[0].split("-")[0].lower() not in COMPANY_WORDS:
        return False  # a Korean given name typed as it often is: "Hye-won", "Ji-woo"
    if len(words) == 1:
        return True  # "Oscorp", "Hooli", "IBM": a lone unknown word is a company
    if any(w.isupper() and len(w) > 1 for w in words) or len(words) > 3:
        return True
    # Unknown words: a known family name makes a person ("Jin Park"); with neither
    # word known it reads as a company ("Dunder Mifflin", "Mekong Cold Chain").
    return clean_name(words[-1]).lower() not in SURNAMES


def named_after_someone(words: list[str]) -> bool:
    """ "Rangi Quarries", "Tejas HVAC": a given name, then things no family name is (a plural
    word no list knows as a name, or an acronym): a company named after someone."""
    last = clean_name(words[-1])
    return len(words) == 2 and last.lower() not in SURNAMES and last.lower() not in FIRST_NAMES \
        and (bool(re.fullmatch(r"[A-Z]{2,5}", last))
             or bool(re.fullmatch(r"[a-z]{3,}ies|[a-z]+[^s]s", last.lower())))


def is_person(name: str) -> bool:
    """True when a name reads as a person."""
    return not is_company(name)


def find_money(text: str) -> tuple[float, tuple[int, int]] | None:
    """The first amount of money ("$50k", "1.2M", "40k", "sixty two k") and its span."""
    for m in _MONEY_RE.finditer(text):
        num = (m.group("num") or m.group("num2") or m.group("num3") or "").replace(",", "")
        if m.group("num3") and re.fullmatch(r"\d{1,3}(?:\.\d{3})+", num):
            num = num.replace(".", "")  # "64.500 €": the stop groups thousands
        suffix = (m.group("suf") or m.group("suf2") or "").lower()
        try:
            value = float(num) * _MULTIPLIER.get(suffix, 1)
        except ValueError:
            continue
        return value, m.span()
    return _money_in_words(text)


_UNIT_WORDS = ("zero one two three four five six seven eight nine ten eleven twelve thirteen"
               " fourteen fifteen sixteen seventeen eighteen nineteen")
_UNITS = {w: i for i, w in enumerate(_UNIT_WORDS.split())}
_TENS_WORDS = "twenty thirty forty fifty sixty seventy eighty ninety"
_TENS = {w: 10 * (i + 2) for i, w in enumerate(_TENS_WORDS.split())}
_SCALES = {"thousand": 1e3, "k": 1e3, "grand": 1e3, "million": 1e6, "mil": 1e6, "m": 1e6}
_NUMBER_WORD = re.compile(
    r"\b(?:" + "|".join([*_UNITS, *_TENS, "hundred", "point", "and", "a", *_SCALES])
    + r")\b[\s-]*", re.IGNORECASE)
_CURRENCY_WORDS = re.compile(r"\s*(?:dollars|bucks|euros|pounds|usd|eur|gbp)\b", re.IGNORECASE)


def _money_in_words(text: str) -> tuple[float, tuple[int, int]] | None:
    """An amount said in words, as voice notes do: "thirty five thousand", "one point two
    million", "ninety five k", "twelve thousand five hundred dollars"."""
    pos = 0
    while True:
        m = _NUMBER_WORD.search(text, pos)
        if m is None:
            return None
        start, end = m.start(), m.end()
        run = [m.group(0).strip(" -").lower()]
        while (nxt := _NUMBER_WORD.match(text, end)) is not None:
            run.append(nxt.group(0).strip(" -").lower())
            end = nxt.end()
        while run and run[-1] in ("and", "a", "point"):
            run.pop()
        value = _words_value(run)
        said_currency = _CURRENCY_WORDS.match(text, end)
        if value is not None and (any(w in _SCALES for w in run) or said_currency):
            stop = said_currency.end() if said_currency else start + len(
                text[start:end].rstrip(" -"))
            return value, (start, stop)
        pos = end if end > pos else pos + 1


def _words_value(run: list[str]) -> float | None:
    total, current, fraction, scale_seen, digits = 0.0, 0.0, None, False, 0
    for word in run:
        if word in _UNITS and fraction is not None:
            digits += 1
            fraction += _UNITS[word] / 10 ** digits
        elif word in _UNITS:
            current += _UNITS[word]
        elif word in _TENS:
            current += _TENS[word]
        elif word == "hundred":
            current = (current or 1) * 100
        elif word == "point":
            fraction = 0.0
        elif word in _SCALES:
            total += (current + (fraction or 0)) * _SCALES[word]
            current, fraction, scale_seen = 0.0, None, True
        elif word not in ("and", "a"):
            return None
    value = total + current + (fraction or 0)
    return value if value > 0 and (scale_seen or value >= 100) else None


# "discovery done, moving to demo": a stage said to be behind is not where the deal is.
_STAGE_DONE = re.compile(r"\s*(?:stage\s+)?(?:is\s+|was\s+)?(?:done|complete|completed|finished|"
                         r"over|wrapped(?: up)?|behind us|passed)\b", re.IGNORECASE)
_STAGE_TARGET = re.compile(r"\b(?:to|into|towards?|→|->)\s+(?:the\s+)?$", re.IGNORECASE)


_DEMO_MOVED = re.compile(r"\s+(?:to|till|until|for|on)\s+(?!(?:the\s+)?(?:lead|qualified|demo|"
                        r"proposal|negotiation|won|lost|stage)\b)", re.IGNORECASE)


def find_stage(text: str) -> str | None:
    """The pipeline stage named in `text`, tolerating synonyms and typos; the one a deal
    moves to wins over one it has done ("discovery done, moving to demo")."""
    found = list(_STAGE_RE.finditer(text))
    if len(found) > 1:
        found.sort(key=lambda m: not _STAGE_TARGET.search(text, 0, m.start()))
    for m in found:
        if _STAGE_DONE.match(text, m.end()):
            continue
        said = m.group(1).lower()
        if said == "demo" and re.search(r"\b(?:the|our|their|his|her)\s+$", text[:m.start()],
                                        re.IGNORECASE) and _DEMO_MOVED.match(text, m.end()):
            continue  # "move the demo to after summer": the meeting moves, not the deal
        # "lead" is a stage after "to/in/as/a/new…" or before "stage"; "their IT lead"
        # and "procurement lead" are people.
        if said == "lead" and not (
                re.search(r"(?:\b(?:to|in|at|as|a|new|stage|still|back|is|just)|\d[kKmM])\s+$",
                          text[:m.start()], re.IGNORECASE)
                or re.match(r"[\s-]+stage\b", text[m.end():], re.IGNORECASE)):
            continue
        return STAGE_SYNONYMS[said]
    for m in _STAGE_TYPO_RE.finditer(unicodedata.normalize("NFKD", text).encode("ascii", "ignore")
                                      .decode()):  # "négociation"
        word = (m.group(1) or m.group(2)).lower()
        for stage in (*STAGES, "discovery", "qualification", "negotiating"):
            if stage[0] == word[0] and OSA.distance(word, stage) <= (1 if len(stage) < 7 else 2):
                return STAGE_SYNONYMS.get(stage, stage)
    return None


def find_title(text: str) -> str | None:
    """A job title phrase ("VP Sales", "Head of IT"), if `text` holds one."""
    words = text.split()
    if words and any(w.lower().strip(",.") in TITLE_WORDS for w in words[:3]):
        return text.strip()
    return None
