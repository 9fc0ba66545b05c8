"""Text clean-up for the rules engine: slang, typos and clause splitting."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache

from rapidfuzz.distance import OSA
from rapidfuzz.process import extractOne

from bot.nlu.lexicon import (
    ABBREVIATED_END,
    FIRST_NAMES,
    FOREIGN_WITH,
    FOREIGN_WORDS,
    GREETING,
    HOUR_WORDS,
    MONTH_ABBR,
    MONTHS,
    NOT_TYPOS,
    ORDINAL_WORD,
    SLANG,
    TYPO_TARGETS,
    WEEKDAYS,
)

MAX_CHARS = 2000  # longer messages are cut: nobody types a CRM update that long

_DASHES = re.compile(r"\s*[\u2014\u2013]\s*|\s+--?\s+")
# "globex → demo": an arrow between a deal and a stage is a move.
_ARROW = re.compile(r"\s*(?:\u2192|\u27f6|-+>|=+>)\s*")
# "pilot approved → move to proposal": an arrow before an order only separates.
_ORDER_AFTER = re.compile(r"(?:move|moving|push|bump|set|mark|update|change|remind|send|"
                          r"schedule|book|follow|call|email|new|add|create|open)\b", re.IGNORECASE)
_THOUSANDS = re.compile(r"(?<=\d),(?=\d{3}(?!\d))")
# India's grouping by lakhs: "38,00,000", "1,25,50,000" (the last group of three).
_LAKH_GROUPS = re.compile(r"(?<![\d,])\d{1,2}(?:,\d\d)+(?=,\d{3}(?![\d,]))")
_QUOTES = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"'})


def one_of(phrases: Iterable[str]) -> str:
    """A regex for any of `phrases`, the longest first, as a trie: a thousand words said
    as one alternation cost a message close to a millisecond; shared prefixes, a few µs."""
    root: dict = {}
    for phrase in phrases:
        node = root
        for char in phrase.lower():
            node = node.setdefault(char, {})
        node[""] = {}

    def pattern(node: dict) -> str:
        branches = [re.escape(char) + pattern(node[char]) for char in sorted(node) if char]
        if not branches:
            return ""
        said = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        return f"(?:{said})?" if "" in node else said  # (greedy: the longer phrase first)

    # A first test of the first character spares the trie at every other position.
    return "(?=[" + "".join(re.escape(char) for char in sorted(root)) + "])" + pattern(root)


# Patterns compiled with a first test, and their plain source (a test checks both agree).
FIRST_TESTED: list[tuple[re.Pattern[str], str]] = []


def first_tested(test: str, pattern: str, flags: int = 0) -> re.Pattern[str]:
    """`pattern`, tried only at positions that pass `test`, a zero-width check that every
    match's start passes ("(?=[,\\s])": only where a comma or a space is). Same matches,
    found two to three times faster: most positions fail at once instead of in each branch."""
    compiled = re.compile(test + "(?:" + pattern + ")", flags)
    FIRST_TESTED.append((compiled, pattern))
    return compiled


class Keyed:
    """A pattern tried only where a match can begin: at a word of `words` (any case) where
    a word starts, at a digit after no digit, at an "@", and in the space between a word
    and one of `spaced` (" monday" of "call monday"). A date or a clock can start with a
    few words only; a pattern of thirty alternatives entered at every word cost a long
    voice note half a millisecond, a set looked up per word a few µs. Same matches as the
    pattern's own `finditer`, which `tests/test_nlu_blind.py` checks on every frozen text."""

    _STARTS = re.compile(r"(?<!\w)([^\W\d_]+)|(?<=\w)\s+(?=([^\W\d_]+))|(?<!\d)\d|@")

    def __init__(self, pattern: re.Pattern[str], words: Iterable[str],
                 spaced: Iterable[str] = ()) -> None:
        self.pattern = pattern
        self.words, self.spaced = frozenset(words), frozenset(spaced)
        KEYED.append(self)

    def finditer(self, text: str) -> Iterator[re.Match[str]]:
        end = 0
        for start in self._STARTS.finditer(text):
            at = start.start()
            if at < end:
                continue
            word, after = start.group(1, 2)
            if word is not None and word.lower() not in self.words or \
                    after is not None and after.lower() not in self.spaced:
                continue
            if (match := self.pattern.match(text, at)) is not None:
                end = match.end()
                yield match


KEYED: list[Keyed] = []  # (checked against their patterns' own finditer by a test)

WORD_START = r"(?<!\w)"


def word_led(pattern: str, flags: int = 0) -> re.Pattern[str]:
    """`pattern`, every branch of which begins with `\\b` or `^` before a word, tried only
    where a word (or the text) starts."""
    return first_tested(WORD_START, pattern, flags)


_SLANG_RE = re.compile(
    r"(?<![\w/-])(" + one_of(SLANG) + r")"
    r"(?![\w/]|-\w)",  # never inside a hyphenated word: "Kim Min-jun", "f/u"
    re.IGNORECASE,
)
_FOREIGN = re.compile(r"(?<![\w'-])(" + one_of(FOREIGN_WORDS) + r")(?![\w'-])", re.IGNORECASE)
# "meeting yesterday con", "call mit": the with of the languages above, after their words
_FOREIGN_WITH = re.compile(
    r"\b(meeting|call)((?: (?:yesterday|today|tomorrow))?) (?:" + "|".join(FOREIGN_WITH)
    + r")\b(?= \S)", re.IGNORECASE)


_DAYS = "monday|tuesday|wednesday|thursday|friday|saturday|sunday"
_PT_DAYS = {"segunda": "monday", "terça": "tuesday", "terca": "tuesday", "quarta": "wednesday",
            "quinta": "thursday", "sexta": "friday"}
# Portugal's and Brazil's short weekdays ("segunda 9h", "até sexta", "quinta às 14h"),
# only where a day is plainly meant: "segunda" is also "second", "Quinta" a farm's name.
_PT_DAY = word_led(r"\b(?=[qst])(segunda|ter[cç]a|quarta|quinta|sexta)\b", re.IGNORECASE)
_PT_DAY_AFTER = re.compile(r"\s+(?:\d|às\b|at\b|de manh|passad|que vem|pela manh)",
                           re.IGNORECASE)
# In lower case also: said last ("mandar amostras quarta", "send quote segunda."), or
# before a time of day or a "with" ("sexta à tarde call", "quinta com o Gustavo")
_PT_DAY_LOWER = re.compile(r"\s*(?:[.,;!?)]|$|[^\w\s])|"
                           r"\s+(?:in the (?:afternoon|morning|evening)|with|com)\b")
_PT_ARTICLE_BEFORE = re.compile(r"(?:^|\s)[ao] $")  # "a segunda": the second one
_PT_DAY_NAMED = re.compile(r" d[aoe]s? [A-Z\u00c0-\u00de]")  # "Quinta da Aveleda"
_PT_DAY_BEFORE = re.compile(  # "até sexta", "na quinta", "pra segunda"
    r"(?:^|\W)(?:até|ate|pra|para|na|nesta|nessa|essa|esta|próxima|proxima|by|on) $",
    re.IGNORECASE)
# "friday pasado", "lundi prochain", "el próximo martes", "bis Freitag" once glossed
_DAY_AFTER_WORD = word_led(
    rf"\b({_DAYS}) (pasado|pasada|passada|passado|scorso|scorsa|derni[eè]re?|prochain|"
    r"que viene|que vem)\b", re.IGNORECASE)
_DAY_BEFORE_WORD = re.compile(
    r"\b(?=[epnlhajb])(el pr[oó]ximo|pr[oó]ximo|pr[oó]xima|prossimo|prossima|n[aä]chsten|"
    r"n[aä]chste|"
    rf"letzten|letzte|el pasado|hasta el|hasta|at[eé]|entro|jusqu'[aà]|bis) ({_DAYS})\b",
    re.IGNORECASE)
_LAST_WORDS = ("pasado", "pasada", "passada", "passado", "scorso", "scorsa", "dernier",
               "derniere", "dernière", "letzten", "letzte", "el pasado")
_BY_WORDS = ("hasta el", "hasta", "até", "ate", "entro", "jusqu'à", "jusqu'a", "bis")
# "… a negociación y recuérdame …": Spanish, Portuguese, Italian, French "and" between plain
# words (not inside a name: "Sol y Sombra", "Costa e Silva")
_AND_SAID = re.compile(r"(?<=[a-zà-ÿ,] )(?-i:y|e|et)(?=,? ([a-zà-ÿ'-]+)(?: ([a-zà-ÿ'-]+))?)")


def _and_said(m: re.Match[str]) -> str:
    """ "and" when what follows is said in that language too ("y recuérdame", "et passe-les
    en"), not a word of a name ("sol y sombra tapas")."""
    after = m.group(1).lower()
    both = f"{after} {m.group(2).lower()}" if m.group(2) else after
    return "and" if after in FOREIGN_WORDS or both in FOREIGN_WORDS else m.group(0)


# "mandar o contrato pro Rafael": Portuguese "to" before a name
_PT_TO = re.compile(r"(?<![\w'-])(?-i:pro|pra)(?= (?-i:[A-Z]))")
# "revisar las certificaciones para Cobre Norte SpA", "enviar a proposta ao Grupo Pestana",
# "send the invoice a la UNC", "offerta per ETH Zürich": for or to the company named next
# (an e-mail "para" someone is to them, as the e-mail cues read it)
_TO_THE_NAME = re.compile(r"(?<=[a-zà-ÿ] )(?<!mail )(?<!correo )(?-i:para|p/|ao|aos|à|a la|per)"
                          r"(?= (?-i:[A-Z\u00c0-\u00de]))")
# "ayuda", "ajuda?": the whole message asks for help
_HELP_ALONE = re.compile(r"^\s*(?:ayuda|ajuda|aiuto|aide)\s*[!?.]*\s*$", re.IGNORECASE)
# "Jean-Marc Petit de l'Hôtel du Parc", "Juan de la Cruz en Andina Perforaciones": where a
# person is from, before the company's name
_FROM_THE = re.compile(r"(?<![\w'-])(?:(?-i:de|du) l|(?-i:dell|dall))['\u2019](?=(?:H[oô]tel|"
                       r"H[oô]pital|Institut|Universit[eéà]|Auberge|[EÉ]cole|Atelier|Usine|"
                       r"Imprimerie|Ente|Ospedale|Azienda|Istituto|Albergo|Hotel)\b)")
# "send the contract to la Pharmacie des Trois Ponts", "a summary of la Clinique du Parc":
# the article is not the company's
# "sopralluogo all'Ospedale di Borgo Sereno", "nell'Hotel Lido": at the place named
_AT_THE_ELIDED = re.compile(r"(?<![\w'-])(?-i:all|nell|sull)['\u2019](?=[A-Z\u00c0-\u00de])")
# "un'opportunità da 90 mila euro": a deal of that amount
_DEAL_OF_AMOUNT = re.compile(r"(?<=\bdeal )(?-i:da|di) (?=(?:[$€£]|R\$|US\$|[A-Z]{3})?\s?\d)")
_ARTICLE_BEFORE_NAME = re.compile(r"\b(to|at|from|for|with|about|of|on|in|by|à|chez|pour|per|"
                                  r"con|com) (?-i:la|le|el|il|lo) (?=[A-Z\u00c0-\u00de])"
                                  # Portuguese: "reunião com a Clínica Sorriso"
                                  r"|\b(with|to|at|for|from|com|para|pra) (?-i:a|o|os|as) "
                                  r"(?=(?-i:[A-Z\u00c0-\u00de])[\w\u00c0-\u024f]+ "
                                  r"(?-i:[A-Z\u00c0-\u00de]))",
                                  re.IGNORECASE)
_EN_COMPANY = re.compile(r"(?<=[a-zà-ÿ] )(?-i:en) (?=(?!(?-i:Zonen|Zoon|Co)\b)[A-Z\u00c0-\u00de])")
# "en 2 semanas", "dans 3 jours", "tra 2 settimane", "in 2 Wochen"
# Numbers as Spanish, Portuguese, French, Italian and German say them: counts ("dos
# semanas") and hours ("a las diez", "alle quindici")
_FOREIGN_COUNTS = {
    **dict.fromkeys(("un", "una", "uma", "um", "une", "ein", "eine", "uno", "l'una"), 1),
    **dict.fromkeys(("dos", "dois", "duas", "deux", "due", "zwei"), 2),
    **dict.fromkeys(("tres", "três", "trois", "tre", "drei"), 3),
    **dict.fromkeys(("cuatro", "quatro", "quatre", "quattro", "vier"), 4),
    **dict.fromkeys(("cinco", "cinq", "cinque", "fünf"), 5),
    **dict.fromkeys(("seis", "six", "sei", "sechs"), 6),
    **dict.fromkeys(("siete", "sete", "sept", "sette", "sieben"), 7),
    **dict.fromkeys(("ocho", "oito", "huit", "otto", "acht"), 8),
    **dict.fromkeys(("nueve", "nove", "neuf", "neun"), 9),
    **dict.fromkeys(("diez", "dix", "dez", "dieci", "zehn"), 10),
    **dict.fromkeys(("once", "onze", "undici", "elf"), 11),
    **dict.fromkeys(("doce", "doze", "douze", "dodici", "zwölf"), 12),
    **dict.fromkeys(("trece", "treize", "tredici"), 13),
    **dict.fromkeys(("catorce", "quatorze", "quattordici"), 14),
    **dict.fromkeys(("quince", "quinze", "quindici"), 15),
    **dict.fromkeys(("dieciséis", "seize", "sedici"), 16),
    **dict.fromkeys(("diecisiete", "dix-sept", "diciassette"), 17),
    **dict.fromkeys(("dieciocho", "dix-huit", "diciotto"), 18),
    **dict.fromkeys(("veinte", "vingt", "vinte", "venti"), 20),
    **dict.fromkeys(("treinta", "trente", "trinta", "trenta"), 30),
}
_FOREIGN_UNITS = (r"(semanas?|semaines?|settimane|settimana|wochen|woche|d[ií]as?|giorni|giorno|"
                  r"jours?|tagen?|meses|mes|m[eê]s|mois|mesi|mese|monaten?|horas?|heures?|ore|"
                  r"stunden?|minutos?|minutes?|minuti|minuten|min|"
                  r"days?|weeks?|months?|hours?)\b")  # (a unit may be glossed before)
# "en 2 semanas", "dans 3 jours", "tra 2 settimane", "in 2 Wochen", "dentro de dos semanas"
_IN_UNITS = word_led(
    r"\b(?:en|em|tra|fra|dans|in|daqui a|dentro de|d'ici) (\d{1,2}|"
    + "|".join(_FOREIGN_COUNTS) + ") " + _FOREIGN_UNITS, re.IGNORECASE)
# "Sat I did an onsite": the short days that are also words, plainly days where a note
# opens with them
# (not "sun night brain dump: lunch w/ Kwame on Thurs", when the note was written)
_SAT_SUN = re.compile(r"^(?:on\s+)?(Sat|Sun)(?=\s+(?:I|we)\b)", re.IGNORECASE)
# "daqui 2h", "daqui a 30 min": in so long, before "2h" is read as a clock
_FROM_NOW_SHORT = re.compile(r"\bdaqui (?:a )?(\d{1,3}) ?(h|hs|min)\b", re.IGNORECASE)
# "3 dias atrás" (its unit glossed or not): so long ago
_UNITS_BACK = re.compile(r"\b(\d{1,2}) " + _FOREIGN_UNITS[:-3] + r") atr[aá]s\b", re.IGNORECASE)
# "recordame el 20 llamar a Valentina": a day of this month or the next, said alone
_EL_DAY = re.compile(r"\b(?-i:el|o dia|el día|el dia|le|il)\s+([1-9]|[12]\d|3[01])"
                     r"(?![a-z\d])(?!\s*(?:de\b|/|:|%|\.\d|,\d|mil\b|k\b|hs?\b|am\b|pm\b|por\b|"
                     r"x\b|mila\b|e\b|y\b|ou\b|o\b|euros?\b|usd\b|dias?\b|días\b|jours?\b|"
                     r"giorni\b|of\b|" + "|".join(MONTHS) + r"))", re.IGNORECASE)
_ORDINAL_END = {"1": "st", "2": "nd", "3": "rd"}
# "recordame el 1/6", "o dia 15/12": a day and month said after an article
_EL_DATE = re.compile(r"\b(?:el|o dia|el día|el dia) (?=\d{1,2}/\d{1,2}\b|\d{1,2} de )",
                      re.IGNORECASE)
# "Email a Ainhoa Zubizarreta (Bizkaibus) con el contrato": an e-mail sent to someone
_EMAIL_TO = re.compile(r"^(?:email|correo|mail|e-mail) a (?=[A-Z\u00c0-\u00de])", re.IGNORECASE)
# "hace 3 días", "il y a 2 semaines", "há 3 dias", "vor 2 Tagen": so long ago
_UNITS_AGO = word_led(
    r"\b(?:hace|il y a|h[aá]|vor) (\d{1,2}|" + "|".join(_FOREIGN_COUNTS) + ") " + _FOREIGN_UNITS,
    re.IGNORECASE)
# "a las diez", "à trois heures et demie", "alle quindici", "às duas e meia": a clock said in
# the words of Spanish, French, Italian, Portuguese
_HALF_SAID = {"media": 30, "meia": 30, "mezza": 30, "demie": 30, "cuarto": 15, "quart": 15,
              "quarto": 15}
_AT_HOUR_SAID = re.compile(
    r"(?<![\w'])(?:a las|a la|às|à|alle|verso le|vers|sobre las|por volta das) "
    r"(?P<h>" + "|".join(sorted(_FOREIGN_COUNTS, key=len, reverse=True)) + r"|1[0-2]|[1-9])"
    r"(?: (?:heures?|horas?|hs))?"
    r"(?: (?:y|e|et) (?P<m>" + "|".join(_HALF_SAID) + r"))?(?![\w'-])", re.IGNORECASE)


def _hour_said(m: re.Match[str]) -> str:
    said = m.group("h").lower()
    hour = int(said) if said.isdigit() else _FOREIGN_COUNTS[said]
    if hour > 18 or said in ("un", "um", "ein", "eine", "uno") or \
            said.isdigit() and not m.group("m"):
        # ("à vingt" is no clock said so; "a las una", "à une heure" are; "a las 10" is
        # read as any "at 10" is)
        return m.group(0)
    minutes = _HALF_SAID[m.group("m").lower()] if m.group("m") else 0
    return f"at {hour}:{minutes:02d}"


# "à 15h", "alle 15", "um 10 Uhr": the clock's "at"
_AT_CLOCK = re.compile(r"(?<![\w'])(?:à|alle|um|ás) (?P<h>[01]?\d|2[0-3])(?P<m>:[0-5]\d)?\b"
                       r"(?![.,]\d|\s*(?:%|€|k\b))", re.IGNORECASE)
# "31 de march" once glossed: "31 march"
_DAY_DE_MONTH = re.compile(r"\b(\d{1,2})(?:º|°|er)? de (?=(?:" + "|".join(MONTHS) + r")\b)",
                           re.IGNORECASE)


# Korean, Japanese and Chinese days, times and amounts, said inside an English message
# ("remind me 내일 오후 3시", "明日 10時", "2.5억 원", "4,500万円")
_CJK_WORDS = {
    "내일": "tomorrow", "오늘": "today", "어제": "yesterday", "모레": "the day after tomorrow",
    "다음주": "next week", "이번주": "this week", "明後日": "the day after tomorrow",
    "明日": "tomorrow", "今日": "today", "昨日": "yesterday", "来週": "next week",
    "今週": "this week", "明天": "tomorrow", "今天": "today", "昨天": "yesterday",
    "下周": "next week", "本周": "this week", "这周": "this week",
    **{f"{d}요일": e for d, e in zip("월화수목금토일", WEEKDAYS, strict=True)},
    **{f"{d}曜日": e for d, e in zip("月火水木金土日", WEEKDAYS, strict=True)},
    **{f"{lead}{d}": e for d, e in zip("一二三四五六日", WEEKDAYS, strict=True)
       for lead in ("星期", "周")},
}
_CJK_WORD = re.compile(one_of(_CJK_WORDS))
_CJK = re.compile(r"[\u1100-\u11ff\u3040-\u30ff\u3130-\u318f\u3400-\u4dbf\u4e00-\u9fff"
                  r"\uac00-\ud7af\uf900-\ufaff]")
_CJK_CLOCK = re.compile(r"(?=[\s\d오午下上])(?P<half>오후|오전|午後|午前|下午|上午)?"
                        r"\s*(?P<h>\d{1,2})\s*(?:시|時|点)"
                        r"(?:\s*(?P<m>\d{1,2})\s*(?:분|分))?(?:\s*(?P<mhalf>반|半))?")
_CJK_DATE = re.compile(r"(?P<mo>1[0-2]|[1-9])\s*(?:월|月)\s*(?:(?P<d>[0-3]?\d)\s*(?:일|日)|"
                       r"(?P<end>말|末))")
_CJK_UNITS = {"억": 1e8, "億": 1e8, "천만": 1e7, "千万": 1e7, "백만": 1e6, "百万": 1e6,
              "만": 1e4, "万": 1e4, "천": 1e3, "千": 1e3}
_CJK_UNIT = "|".join(sorted(map(re.escape, _CJK_UNITS), key=len, reverse=True))
_CJK_MONEY = re.compile(
    rf"(?=\d)(?P<amount>(?:\d[\d,.]*\s*(?:{_CJK_UNIT})\s*)+|\d[\d,]*(?=\s*(?:원|円|엔|元)))"
    r"\s*(?P<cur>원|円|엔|元|won\b|yen\b|krw\b|jpy\b)?", re.IGNORECASE)
_CJK_CODES = {"원": "KRW", "won": "KRW", "krw": "KRW", "엔": "JPY", "円": "JPY", "yen": "JPY",
              "jpy": "JPY", "元": "CNY"}


def _cjk_clock(m: re.Match[str]) -> str:
    hour = int(m.group("h"))
    if m.group("half") in ("오후", "午後", "下午") and hour < 12:
        hour += 12
    minute = 30 if m.group("mhalf") else int(m.group("m") or 0)
    return f" at {hour:02d}:{minute:02d} "


def _cjk_date(m: re.Match[str]) -> str:
    month = MONTHS[int(m.group("mo")) - 1]
    return f" end of {month} " if m.group("end") else f" {month} {int(m.group('d'))} "


def _cjk_money(m: re.Match[str]) -> str:
    said = m.group("amount").replace(",", "").replace(" ", "")
    parts = re.findall(rf"(\d+(?:\.\d+)?)({_CJK_UNIT})?", said)
    value = sum(float(n) * _CJK_UNITS.get(unit, 1) for n, unit in parts)
    if not m.group("cur") and not any(unit for _, unit in parts):
        return m.group(0)
    code = _CJK_CODES.get((m.group("cur") or "").lower())
    return f" {value:.0f} {code} " if code else f" {value:.0f} "


# "con l'Ing. Marco Bellini": the article before a title is no part of the name
_ARTICLE_TITLE = re.compile(r"\b[lL]'(?=(?:Ing|Avv|Dott|Arch|Geom|Sig|Prof|Dr)\b)")
# "relancer M. Diallo", "relance Fatou": with whom (not "relance lundi")
_FOLLOW_UP_WHOM = re.compile(r"\brelancer?\s+(?=M\.|Mme\b|Mlle\b|[A-Z\u00c0-\u00de])")
# "les deals de Fatou", "los deals de Alejandra", "le trattative di Marco": whose deals
_DEALS_OF = word_led(r"\b(?=[loaidpt])(?:(?:les|los|las|os|as|le|i|die)\s+)?"
                       r"(deals|opportunités|oportunidades|"
                       r"opportunità|trattative|pipe|pipeline)"
                       r"((?:\s+(?!de\b|da\b|do\b|di\b|von\b)\w+)?)"
                       r"\s+(?:de|da|do|di|von)\s+((?-i:[A-Z\u00c0-\u00de])[\w'-]+"
                       r"(?:\s(?-i:[A-Z\u00c0-\u00de])[\w'-]+)*)", re.IGNORECASE)


def _pt_day(m: re.Match[str]) -> str:
    said = m.group(0)
    if said[0].isupper() and _PT_DAY_NAMED.match(m.string, m.end()):
        return said
    if _PT_DAY_AFTER.match(m.string, m.end()) or \
            _PT_DAY_BEFORE.search(m.string, max(0, m.start() - 9), m.start()) or \
            (said.islower() and _PT_DAY_LOWER.match(m.string, m.end())
             and not _PT_ARTICLE_BEFORE.search(m.string, max(0, m.start() - 3), m.start())):
        return _PT_DAYS[said.lower()]
    return said


def _day_after(m: re.Match[str]) -> str:
    word = m.group(2).lower()
    return ("last " if word in _LAST_WORDS else "next ") + m.group(1)


def _day_before(m: re.Match[str]) -> str:
    word = m.group(1).lower()
    lead = "last" if word in _LAST_WORDS else "by" if word in _BY_WORDS else "next"
    return f"{lead} {m.group(2)}"


def _units(m: re.Match[str]) -> str:
    """ "2 semanas", "dos días", "20 minutos" as English says them."""
    said = m.group(1).lower()
    count = int(said) if said.isdigit() else _FOREIGN_COUNTS[said]
    unit = m.group(2).lower()
    name = ("week" if unit.startswith(("sem", "sett", "woch", "week")) else
            "day" if unit.startswith(("d", "gior", "jour", "tag")) else
            "hour" if unit.startswith(("hor", "hou", "heur", "ore", "stund")) else
            "minute" if unit.startswith("min") else "month")
    return f"{count} {name}" + ("" if count == 1 else "s")


def _in_units(m: re.Match[str]) -> str:
    return "in " + _units(m)


def _units_ago(m: re.Match[str]) -> str:
    return _units(m) + " ago"


# A capitalized word between two others is part of a name: "Boulangerie Chez Gaston".
# (The word before is looked for in the 40 characters before, not from the message's start.)
_NAME_BEFORE = re.compile(r"(?<![.!?:;]\s)(?<![.!?:;])\b[A-Z\u00c0-\u00de][\w'-]*\s$")
_NAME_AFTER = re.compile(r"\s[A-Z\u00c0-\u00de]")
# "na Quinta da Aveleda": a phrase that ends in a capitalized word before "da <Name>"
_NAME_GOES_ON = re.compile(r"\s(?:d[aoe]s?|del|di|du)\s[A-Z\u00c0-\u00de]")


def _foreign(m: re.Match[str]) -> str:
    said = FOREIGN_WORDS[m.group(1).lower()]
    word = m.group(1)
    if word[:1].isupper() and not word.isupper() and \
            _NAME_BEFORE.search(m.string, max(0, m.start() - 40), m.start()) and \
            _NAME_AFTER.match(m.string, m.end()):
        return word
    last = word.rsplit(" ", 1)[-1]
    if " " in word and last[:1].isupper() and _NAME_GOES_ON.match(m.string, m.end()):
        return word
    # ("Perdimos …" opens a sentence; "… Bom Pasto FECHADO!!!" is shouted, not a name's word)
    return said.capitalize() if word[:1].isupper() and not word.isupper() else said


# "mv to proposal & send quote by wed": an order after "&" is a second order
_AMP_ORDER = re.compile(r"\s+&\s+(?=(?:send|call|email|book|schedule|remind|set|move|update|draft|"
                        r"add|create|log|ping|chase|follow)\b)")
# A voice note that takes back what it said and says it again: "Wednesday no wait Thursday",
# "tonight to update the sheet no actually make it tomorrow at noon", "fifteen thousand euro
# no sorry fifty thousand", "to demo... no, to proposal", "Norrland Bank no sorry Norrmark
# Fastigheter AB". What is said last takes the place of what it corrects.
_BACK = (r"(?:no[,.]?\s+(?:wait|sorry|actually|no)|wait[,.]?\s+no|sorry[,.]?\s+no|sorry|wait|"
         r"actually|i mean|or rather|correction|scratch that)")
_THEN = (r"(?:(?:no\s+)?(?:let'?s\s+)?(?:make\s+(?:it|that)|say|go\s+with)|"
         r"(?:it|that)(?:\s+(?:was|is)|\s*'s)|i\s+mean)")
_CORRECTION = re.compile(
    rf"(?<![\w'])(?=[nwsaiocml])(?P<m>{_BACK}(?:[\s,.]+{_THEN})?|no\s+(?:let'?s\s+)?say|"
    rf"(?:no\s+)?(?:let'?s\s+)?make\s+(?:it|that)|no(?:[\s,.]+{_THEN})?)"
    r"[\s,:.]+", re.IGNORECASE)
_HOUR = "|".join(HOUR_WORDS)
_MINUTE_WORDS = {"oh five": 5, "o five": 5, "five": 5, "ten": 10, "fifteen": 15, "twenty": 20,
                 "twenty five": 25, "thirty": 30, "thirty five": 35, "forty": 40,
                 "forty five": 45, "fifty": 50, "fifty five": 55}
_MINUTES = "|".join(sorted(_MINUTE_WORDS, key=len, reverse=True)).replace(" ", r"[\s-]")
_AM_PM = r"\s*[ap]\.?\s?m\b\.?"
_CLOCK_SAID = (rf"(?:at\s+)?(?:\d{{1,2}}(?::\d\d)?(?:{_AM_PM})?|noon|midday|"
               rf"(?:{_HOUR})(?:[\s-](?:{_MINUTES}))?(?:{_AM_PM}|\s+o'?clock)?)(?![\w%])")
# taken back where it was said earlier: a clock time only when said as one
_CLOCK_BEFORE = (rf"(?:(?<=\bat )(?:\d{{1,2}}(?::\d\d)?|{_HOUR})(?:[\s-](?:{_MINUTES}))?|"
                 rf"\d{{1,2}}(?::\d\d)?{_AM_PM}|\d{{1,2}}:\d\d|noon)(?![\w%])")
_COUNT = r"(?:\d+|a|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty)"
_DAY_SAID = (r"(?:(?:(?:next|this|coming|last)\s+)?"
             r"(?:(?:mon|tues|wednes|thurs|fri|satur|sun)day(?:'s)?|"
             r"(?:tues?|weds?|thurs?|fri)\b)|"
             r"tomorrow|today|yesterday)(?:\s+(?:morning|afternoon|evening|night|arvo))?|"
             r"tonight|this\s+(?:morning|afternoon|evening)|"
             rf"(?:in\s+)?{_COUNT}\s+(?:days?|weeks?|months?)(?:\s+from\s+(?:now|today))?|"
             r"next\s+(?:week|month)|end\s+of\s+(?:the\s+)?(?:week|month|quarter|year)|"
             rf"end\s+of\s+(?:{'|'.join(MONTHS)}|{'|'.join(MONTH_ABBR)})|"
             rf"(?:{'|'.join(MONTHS)})\s+(?:\d{{1,2}}(?:st|nd|rd|th)?|{ORDINAL_WORD})|"
             rf"the\s+(?:\d{{1,2}}(?:st|nd|rd|th)|{ORDINAL_WORD})")
_CURRENCY = (r"(?:euros?|eur|dollars?|usd|bucks|pounds?|gbp|quid|zloty|zł|pln|aud|cad|nzd|sgd|aed|"
             r"inr|rupees?|lakhs?|crores?|rand|zar|naira|ngn|kes|shillings?|pesos?|reais|brl)")
_MONEY_SAID = (rf"(?:[$€£¥₹]\s?\d[\d.,]*(?:\s?(?:k|m|mn|bn|million|thousand))?\b|"
               rf"\d[\d.,]*\s?(?:k|m|mn|bn|million|thousand|grand|mil)\b|\d[\d.,]*\s+{_CURRENCY}\b)"
               rf"(?:\s+{_CURRENCY}\b)?")
_STAGE_SAID = r"(?:to\s+)?(?:lead|qualified|demo|proposal|negotiation)\b"
_NAME_SAID = r"(?-i:[A-Z][\w&'.-]*)(?:\s+(?:(?-i:[A-Z][\w&'.-]*)|&|of|de|van|von|da))*(?<=\w)"
_EMAIL_SAID = r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+"
_PHONE_SAID = r"\+?\(?\d[\d ().-]{5,}\d"
# (what is said again, what it may take back, whether that may be said further back)
_SAID_AGAIN = [(re.compile(again, re.IGNORECASE), re.compile(said, re.IGNORECASE), far)
               for again, said, far in (
                   (_EMAIL_SAID, _EMAIL_SAID, True), (_PHONE_SAID, _PHONE_SAID, True),
                   (_MONEY_SAID, _MONEY_SAID, True), (_DAY_SAID, _DAY_SAID, True),
                   (_CLOCK_SAID, _CLOCK_BEFORE, True), (_STAGE_SAID, _STAGE_SAID, False),
                   (_NAME_SAID, _NAME_SAID, False))]
_SENTENCE_END = re.compile(r"[.!?;\n](?=\s)")


def _alike(said: str, again: str) -> bool:
    """A name said again as a correction sounds like the first ("Norrland Bank", "Norrmark
    Fastigheter AB"); a name of another kind after it is more news ("Tampines Town Council
    no sorry it was Siti Nurhaliza")."""
    words, again_words = said.lower().split(), again.lower().split()
    return bool(set(words) & set(again_words)) or words[0][:3] == again_words[0][:3] or (
        words[0] in FIRST_NAMES and again_words[0] in FIRST_NAMES)  # "Jorge no sorry Javier"


def _take_back(work: _Tracked) -> None:
    """What a voice note takes back, replaced by what it says instead."""
    for _ in range(4):  # a note may correct itself more than once
        edits = _correction(work.text)
        if not edits:
            return
        work.splice(edits)


_AT_BEFORE = re.compile(r"\b(?:on|at)\s+$", re.IGNORECASE)
# what ends the words taken back: "…Bayside Bagels, actually (scratch that it's …)"
_TAKING_BACK = re.compile(
    r"(?:[\s,.\-\u2014\u2013\u2026]|\b(?:actually|no|sorry|wait|um|uh)\b)+$", re.IGNORECASE)
_AT_LEAD = re.compile(r"^(?:on|at)\s+", re.IGNORECASE)
_LAST_DAY = re.compile(r"last\s", re.IGNORECASE)
_A_WEEKDAY = re.compile(r"(?:mon|tues|wednes|thurs|fri|satur|sun)day", re.IGNORECASE)


def _correction(text: str) -> list[tuple[int, int, str]]:
    for m in _CORRECTION.finditer(text):
        marker = m.group("m").lower()
        for again_re, said_re, far in _SAID_AGAIN:
            again = again_re.match(text, m.end())
            if again is None or (said_re.pattern == _NAME_SAID and marker == "no"):
                continue
            said = again.group(0)
            before = _TAKING_BACK.sub("", text[:m.start()])
            lead = max((e.end() for e in _SENTENCE_END.finditer(text, 0, len(before))), default=0)
            taken = list(said_re.finditer(text, lead, len(before)))
            if taken and _AT_BEFORE.search(text, 0, taken[-1].start()):
                said = _AT_LEAD.sub("", said)  # "at 10, no, at 11": one "at"
            if taken and _LAST_DAY.match(taken[-1].group(0)) and _A_WEEKDAY.fullmatch(said):
                said = "last " + said  # "last Tuesday, no, it was Wednesday": last week's
            if taken and taken[-1].end() == len(before) and (
                    said_re.pattern != _NAME_SAID or _alike(taken[-1].group(0), said)):
                return [(taken[-1].start(), again.end(), said)]  # said just before: corrected
            if taken and far and marker not in ("no", "actually"):
                x = taken[-1]
                return [(x.start(), x.end(), said), (m.start(), again.end(), "")]
            break
    return []


# "her email is maria dot kowalska at balticbank dot pl": an address said aloud
_SPOKEN_EMAIL = first_tested(
    r"(?<= )",  # (after "email ", so after a space)
    r"(?:(?:(?<=\bemail )|(?<=\be-mail ))(?:(?:address )?is |: ?)?)?"
    r"(?P<local>[a-z0-9]+(?:\s+(?:dot|underscore|dash)\s+[a-z0-9]+)*)\s+at\s+"
    r"(?P<domain>[a-z0-9-]+(?:\s+dot\s+(?:[a-z]{2,}|[a-z]\s[a-z]))+)\b",
    re.IGNORECASE)


def _spoken_email(m: re.Match[str]) -> str:
    said = {"dot": ".", "underscore": "_", "dash": "-"}

    def joined(text: str) -> str:
        out = re.sub(r"\s+(dot|underscore|dash)\s+", lambda w: said[w.group(1).lower()], text)
        return re.sub(r"\s+", "", out)
    return f"{joined(m.group('local'))}@{joined(m.group('domain'))}".lower()


# "called Tammy back": the call, to her
_CALLED_BACK = re.compile(r"\b(called|rang|phoned)\s+"
                          r"((?-i:[A-Za-z][\w'-]*)(?:\s+(?-i:[A-Z][\w'-]*))?)\s+back\b",
                          re.IGNORECASE)
# "email in from Jen": an e-mail that came in
_EMAIL_IN = re.compile(r"\b(e-?mail|message)\s+(?:came\s+)?in\s+from\b", re.IGNORECASE)
# "call it 42k", "call it about two hundred": how much, roughly — no call
_CALL_IT = re.compile(r"\bcall it(?=\s+(?:about\s+|around\s+|roughly\s+)?[$€£]?\d)", re.IGNORECASE)
# A courtesy said after a name, as India says it: "Venkatesh sir", "Sharma ji"
_HONORIFIC_AFTER = re.compile(r"\b([A-Z][\w'-]+) (?:sir|ji|garu|saab|sahab)\b")
# A day and month with their stops ("3.11."), whose last stop the clause split took
_DAY_MONTH_END = re.compile(r"(?<![\d.,])[0-3]?\d\.[01]?\d$")
# "in 2h", "in 30min": a unit written onto its number
_ATTACHED_UNIT = re.compile(r"\bin (\d{1,3})(h|hrs?|mins?)\b", re.IGNORECASE)
# Plain words only: never a piece of an e-mail address, a URL or a name like O'Brien.
_WORD = re.compile(r"(?<![\w@./'-])[A-Za-z][a-z]{4,}(?![\w@/'-]|\.\w)")
# Clause boundaries: , ; : ! ? " - " and sentence stops ("Inc." and "1.2M" survive);
# not the "!" of Slack's "<!channel>", which is a word of the note, not punctuation.
_SPLIT = first_tested(
    r"(?=[\s;?,!:.])",  # every break starts with a space or a mark
    # "... at Moreno & Hijos S.A. Remind me to ...": an abbreviation's stop ends a sentence
    # when a new one plainly begins after it.
    r"(?:(?<=\.\w\.)|(?<=\bInc\.)|(?<=\bLtd\.)|(?<=\bCorp\.)|(?<=\bCo\.))\s+(?=(?:Remind|Please|"
    r"Pls|Follow|Send|Call|Also|Then|She|He|They|We|I|Need|Next|Will|Move|Set|Update|Mark|"
    r"Schedule|Book|Can|Could|Let's|Talked|Spoke|Said|Budget|Deal|Told)\b)|"
    # a comma before a legal form ends no clause ("Pearl River Co., Ltd.", "Acme, Inc.")
    r"\s*(?:[;?]|,(?!\s*(?:Ltd|Inc|LLC|Limited)\b)|(?<!<)!)+\s*|:(?!\d)\s*|\s+-\s+|\s+\+\s+"
    r"|(?=\.)(?<![A-Z][a-z])(?<!\b[A-Z])(?<!\.\w)(?<!\b[iI]nc)(?<!\b[lL]td)(?<!\b[cC]orp)(?<!\bsp)"
    # a legal form's stop ("Inc.", "sp. z o.o.") ends no clause
    r"(?<!\bLtda)(?<!\bLda)(?<!\bCo)(?<!\bBhd)(?<!\bKft)(?<!\bPty)(?<!\bPvt)(?<!\bPte)"
    r"(?<!\bSdn)(?<!\b[MmSs]rs)(?<!\b[MmSs]ra)(?<!\b[Pp]rof)(?<!\bMme)(?<!\b[DdMm]r)"
    r"(?<!\b[Mm]s)(?<!\bSrta)(?<!\bDir)(?<!\bMgr)(?<!\bAsst)(?<!\bDept)(?<!\bExec)(?<!\bSnr)"
    r"(?<!\bEngr)(?<!\bEng)(?<!\bDo[çc])(?<!\bDra)(?<!\bIng)(?<!\bAtty)(?<!\bHon)(?<!\bMag)"
    # nor does a title's ("Mrs. Okoye", "Prof. Lind", "Dir. of Ops"), nor a day's ("11. juni")
    r"\.(?:\s+(?<=\d\.\s)(?!(?i:jan|feb|m[aä]r|apr|ma[iy]|jun|jul|aug|sep|o[ck]t|nov|de[cz]))|"
    r"\s+(?<!\d\.\s)|$)"
    r"|\s+(?=and\s+(?:then\s+)?(?:open|create|add|log|remind|set|mark|move|schedule|new)\b)"
    # Spoken run-ons: "... he wants the spec remind me to send it EOD".
    # (first, whether a word that can start one follows: most spaces fail there at once)
    r"|(?=\s+(?:so|and|then|can|could|would|please|remind|set|add|create|make|open|put|mark|"
    r"move|bump|push|new|save|they|we|he|she|update)\b)"
    r"(?<!\b[Pp]lease)(?<!\b[Pp]ls)(?<!\byou)(?<!\bu)(?<!\bso)(?<!\band)(?<!\bthen)(?<!\bto)"
    r"(?<!\balso)(?<!\bjust)(?<!^)\s+"
    r"(?=(?:so\s+|and\s+|then\s+)?(?:(?:can|could|would) you\s+)?(?:please\s+)?"
    r"(?:remind me\b|"
    r"(?:set|add|create|make|put) (?:a |an |me a |in a )?(?:reminder|task)\b|"
    r"update (?:the deal|it|the (?:close date|stage|amount))\b|"
    r"(?:create|open|make|add) (?:a |an )?(?:new )?(?:deal|opp)\b|"
    r"(?:put|mark|move|bump|push|set) (?:it|the deal|this deal|them|that one|this one|"
    r"the (?:close date|stage|amount))\b|new (?:deal|opp)\b|"
    r"(?:so|and) (?:change|update|reopen|re-open) (?:it|the deal|this deal|"
    r"the (?:close date|stage|amount))\b|"
    r"(?:add|save) (?:him|her|them) (?:as|to)\b|"
    r"(?:they|we|he|she) (?:pushed|moved|bumped|slipped|cut|dropped|upped|raised)\b))"
    # "... they want a pilot in february follow up next monday": a dated follow-up said
    # on after the note is a task of its own (not "I'll follow up next week").
    r"|(?=\s+(?:follow|check|circle|touch|try)\b)(?<=\w)(?<!\bto)(?<!\bwill)(?<!'ll)(?<!\bshould)(?<!\bcan)(?<!\bplease)(?<!\bpls)"
    r"(?<!\band)(?<!\bso)(?<!\bthen)(?<!\bi)(?<!\bwe)(?<!\bmust)(?<!\bneed)(?<!\bgotta)"
    r"(?<!\bsaid)(?<!\bsays)"  # ("he said try him again next month": what he said)
    r"\s+(?=(?:follow[- ]?up|check in|circle back|touch base|try(?:\s+(?:him|her|them))?\s+again)\b"
    r"(?:\s+(?:with|w)\s+\S+(?:\s+\S+)?)?"
    r"\s+(?i:next|this|on|by|tomorrow|first thing|end of|eod|eow|"
    r"(?:mon|tues|wednes|thurs|fri|satur|sun)day|in\s+(?:\d|a|an|one|two|three|a few|a couple))\b)"
)


def _slang(match: re.Match[str]) -> str:
    return SLANG[match.group(1).lower()]


@lru_cache(maxsize=4096)
def correct_word(word: str) -> str:
    """A mistyped cue word ("remnd", "negotiaton") spelled right; other words unchanged."""
    lower = word.lower()
    if lower in NOT_TYPOS or lower in _TARGET_SET:
        return word
    limit = 1 if len(lower) < 8 else 2
    found = extractOne(lower, TYPO_TARGETS, scorer=OSA.distance, score_cutoff=limit)
    # A different first letter is a different word; a prefix is an inflection, not a typo.
    if found is None or found[0][0] != lower[0] or lower.startswith(found[0][:-1]) and (
        found[0].startswith(lower) or lower.startswith(found[0])
    ):
        return word
    return found[0]


_TARGET_SET = frozenset(TYPO_TARGETS)


@dataclass(frozen=True)
class Normalized:
    """The parser's working copy of a message, and where each of its characters came
    from in what was typed: notes are stored as typed, never as the parser rewrote them."""

    raw: str
    text: str
    starts: tuple[int, ...]  # text[i] came from raw[starts[i]:ends[i]]
    ends: tuple[int, ...]

    def typed(self, start: int, end: int) -> str:
        """What was typed for text[start:end]."""
        if start >= end:
            return ""
        return self.raw[self.starts[start]:self.ends[end - 1]]

    def verbatim(self, pieces: list[str], *, after: int = 0) -> str | None:
        """The typed text from the first of `pieces` to the end of the last, each found in
        order in the working copy from `after` on; None when one is not found."""
        first = cursor = -1
        for piece in pieces:
            at = self.text.find(piece, max(cursor, after))
            if at < 0:
                return None
            first = at if first < 0 else first
            cursor = at + len(piece)
        return self.typed(first, cursor) if first >= 0 else None


class _Tracked:
    """A string rewritten by regex substitutions that remembers each character's origin."""

    def __init__(self, raw: str) -> None:
        self.raw, self.text = raw, raw
        self.starts, self.ends = list(range(len(raw))), list(range(1, len(raw) + 1))

    def sub(self, pattern: re.Pattern[str], repl) -> None:  # noqa: ANN001 - str or callable
        if pattern.search(self.text) is None:
            return  # most passes change nothing: no copies then
        edits = [(m.start(), m.end(), repl(m) if callable(repl) else
                  repl if "\\" not in repl else m.expand(repl))
                 for m in pattern.finditer(self.text)]
        # a word spelled right, a single space for a space: nothing to splice
        edits = [edit for edit in edits if self.text[edit[0]:edit[1]] != edit[2]]
        if edits:
            self.splice(edits)

    def splice(self, edits: list[tuple[int, int, str]]) -> None:
        """Replace each (start, end) of the text by its new words; edits in order, apart."""
        text, starts, ends, last = [], [], [], 0
        for start, end, new in edits:
            text.append(self.text[last:start])
            starts += self.starts[last:start]
            ends += self.ends[last:start]
            if end > start:  # a replacement comes from all it replaced
                origin = (self.starts[start], self.ends[end - 1])
            else:
                at = self.starts[start] if start < len(self.starts) else len(self.raw)
                origin = (at, at)
            text.append(new)
            starts += [origin[0]] * len(new)
            ends += [origin[1]] * len(new)
            last = end
        text.append(self.text[last:])
        self.text = "".join(text)
        self.starts, self.ends = starts + self.starts[last:], ends + self.ends[last:]

    def result(self) -> Normalized:
        return Normalized(self.raw, self.text, tuple(self.starts), tuple(self.ends))


_SPACES = re.compile(r"\s{2,}|[^\S ]")  # (a single space stays)
_LOOSE_COMMA = re.compile(r" ,(?=\s)")
_AND_PAUSE = re.compile(r"\b(and|so|then|also)\s*,\s+", re.IGNORECASE)
_EDGES = re.compile(r"^ | $")


# A given name said again in full, as one says it aloud: "a call with Wojciech - Wojciech
# Kowalczyk - from Great Lakes Biobank"
_NAME_SAID_IN_FULL = re.compile(
    r"\b(?P<n>(?-i:[A-Z\u00c0-\u00de])[\w'-]+)\s*(?:,|\s-)\s*(?P=n)\s+"
    r"(?P<s>(?-i:[A-Z\u00c0-\u00de])[\w'-]+)(?:\s*(?:,|\s-)\s*(?=(?:from|at|of|@|with)\b)|\s+)",
    re.IGNORECASE)
# A name said, then denied by name: "Kessler no not Kessler Keller Tool and Die", "Alamo no
# not Alamo, Travis County Distribution": the name after the denial stands
_NOT_THAT_ONE = re.compile(
    r"(?<![\w'])(?P<a>(?-i:[A-Z\u00c0-\u00de])[\w'&-]*(?:\s+(?-i:[A-Z\u00c0-\u00de])[\w'&-]*){0,3})"
    r"[\s,.]+no[\s,.]+not\s+(?P=a)[\s,.]+(?=(?-i:[A-Z\u00c0-\u00de]))", re.IGNORECASE)


# A weekday said with its date ("by Thursday the 14th", "Thu 14 Jan", "Friday 3rd March"):
# the date says which
_WEEKDAY_AND_DATE = re.compile(
    r"\b(?:on\s+)?(?:mon|tue|tues|wed|weds|thu|thur|thurs|fri|sat|sun)(?:day|nesday|sday|"
    r"rsday|urday)?\.?,?\s+(?:(?P<the>the\s+)?(?P<d>[1-9]|[12]\d|3[01])(?P<o>st|nd|rd|th)\b"
    r"|(?P<the2>the\s+)(?P<d2>[1-9]|[12]\d|3[01])\b(?![:.]\d|\s*(?:am|pm|a\.m|p\.m|h\b|o'clock))"
    r"|(?P<d3>[1-9]|[12]\d|3[01])(?=\s+(?:of\s+)?(?:" + "|".join(MONTHS) + "|"
    + "|".join(MONTH_ABBR) + r")\b))", re.IGNORECASE)


# What was just said, asked for as a task, as a dictated note says it: "so book that in as a
# task for Thursday", "put that in as a task", "chuck a follow up in for two weeks"
_PUT_IT_IN = re.compile(
    r"[\s,]*(?:\b(?:and|so)\s+)*\b(?:book|put|pop|chuck|stick|throw|add)\s+"
    r"(?:(?:that|it|this)\s+in(?:\s+as\s+an?\s+(?:task|reminder|to-?do|follow[- ]?up))?"
    r"(?!\s+(?:the\s+|to\s+)?(?:lead|qualif\w*|discovery|demo|proposal|negoti\w*|negoci\w*|"
    r"commit|won|lost|stage|pipeline|crm|the\s+deal)\b)"
    r"|an?\s+(?:follow[- ]?up|reminder|task)\s+in)\b", re.IGNORECASE)


_LIKE_BEFORE_A_COUNT = re.compile(r"\b(in|for|at|by|about|around)\s+like\s+(?=\d|a\b|an\b|"
                                  r"one|two|three|four|five|six|ten|twenty|thirty|half)",
                                  re.IGNORECASE)


def _the_date(m: re.Match[str]) -> str:
    on = "on " if m.group(0)[:3].lower() == "on " else ""
    if m.group("d3"):
        return f"{on}{m.group('d3')}"
    return f"{on}the {m.group('d') or m.group('d2')}{m.group('o') or 'th'}"


def _said_in_full(m: re.Match[str]) -> str:
    before = m.string[max(0, m.start() - 30):m.start()].split()
    if before and before[-1][:1].isupper():
        return m.group(0)  # "Saoirse Kavanagh, Kavanagh Brothers": her company, named after her
    return f"{m.group('n')} {m.group('s')} "


_WONT = re.compile(r"\bwon'?t\b", re.IGNORECASE)
# Slack's emphasis ("*Call* with", "_new deal_", "~old~") and emoji codes (":phone:")
# are how a message looks, not what it says.
_EMPHASIS = re.compile(r"(?<![\w*_~])([*_~])(?=[^\s*_~])([^*_~\n]*?[^\s*_~])\1(?![\w*_~])")
_EMOJI_CODE = re.compile(r"(?<![\w:]):[a-z0-9_+'-]+:(?![\w:])")
# An emoji between words ends what was said before it ("lost 😞 they picked a finca",
# "Merry Xmas 🎄 what can u do"); the phone emoji are cues of a call and stay.
_EMOJI_BREAK = re.compile(r"(?<=\w)(?=[!.\s\u2600-\u27bf\U0001F300-\U0001FAFF])"
                          r"[!.]*\s*(?:(?![\U0001F4DE\u260e\U0001F4F1])"
                          r"[\u2600-\u27bf\U0001F300-\U0001FAFF][\ufe0f\u200d]?)+\s+(?:[-\u2013\u2014]+\s+)?(?=\w)")
# Dictation: punctuation said as a word ("... in Toledo period put them at proposal"), but
# never "the trial period", "this period".
_SAID_STOP = re.compile(
    r"(?=\s+(?:period|full stop))"  # first, so most places fail at once
    r"(?<!\bthe)(?<!\bthis)(?<!\bthat)(?<!\ba)(?<!\btrial)(?<!\bgrace)(?<!\bnotice)(?<!\bsame)"
    r"(?<!\bbilling)(?<!\beach)(?<!\bper)(?<!\bevery)(?<!\bpay)(?<!\breview)(?<!\bpilot)"
    r"(?<!\bfree)(?<!\btest)(?<!\bwaiting)(?<!\bholding)(?<!\bquiet)(?<!\bcontract)(?<!\btime)"
    r"(?<=\w)\s+(?:period|full stop)(?=\s+\w|\s*$)", re.IGNORECASE)
_SAID_COMMA = re.compile(r"(?<=\w)\s+comma(?=\s+\w)", re.IGNORECASE)
_SAID_QUESTION = re.compile(r"(?<=\w)\s+question mark\b", re.IGNORECASE)
# A clock time said in words: "three p m", "seven thirty a m", "ten o'clock".
_SPOKEN_CLOCK = re.compile(
    r"\b(?=[otfsen])(?P<h>" + "|".join(HOUR_WORDS) + r")(?:[\s-](?P<m>"
    + _MINUTES + r"))?"
    r"(?:\s+o'?clock)?\s*(?:(?P<ap>[ap])\.?\s?m\b\.?|(?<=o'clock))", re.IGNORECASE)


# "at nine thirty", "at two forty five": after "at", an hour and its minutes in words.
_AT_SPOKEN = re.compile(
    r"(?<=\bat )(?P<h>" + "|".join(HOUR_WORDS) + r")[\s-](?P<m>"
    + _MINUTES + r")\b"
    r"(?!\s+(?:people|of|percent|days?|weeks?|months?|years?|minutes?|hours?)\b)"
    r"(?P<ap>(?!))?",  # (no "a m" or "p m" after it: `_SPOKEN_CLOCK` read those)
    re.IGNORECASE)


# "tomorrow at two to send", "Wednesday at eleven": after "at", an hour in words alone, where
# the words after it are of a time or a new thought ("at two sites" counts sites)
_AT_HOUR = re.compile(
    r"(?<=\bat )(?P<h>" + "|".join(HOUR_WORDS) + r")(?P<m>(?!))?(?P<ap>(?!))?"
    r"(?=\s*(?:$|[,.!?;)]|(?:tomorrow|today|tonight|this|next|on|to|and|then|so|sharp|ish|please|"
    r"pls|set|remind|mon|tues|wednes|thurs|fri|satur|sun)\w*\b))", re.IGNORECASE)


def _clock(m: re.Match[str]) -> str:
    hour = HOUR_WORDS.index(m.group("h").lower()) + 1
    minute = _MINUTE_WORDS[" ".join(re.split(r"[\s-]", m.group("m").lower()))] if m.group("m") \
        else 0
    return f"{hour}:{minute:02d}{(m.group('ap') or '').lower() + 'm' if m.group('ap') else ''}"


# A greeting or a name said before the message ("Buongiorno! can you give me ...", "Good
# afternoon, how do I ...", "Tomasz: what is Katarzyna's win rate"): who is greeted or
# addressed is no part of the order.
_GREETING_LEAD = re.compile(
    r"^(?:" + GREETING + r"(?:\s+(?:all|team|bot|salesbot|there|mate))?\s*[!,.]+\s*)+(?=[^\W_])"
    r"|^(?-i:[A-Z][\w\u00c0-\u024f-]+):\s+(?=(?:what|how|who|which|show|give|can|could|list)\b)"
    r"|^(?-i:[A-Z][\w\u00c0-\u024f-]+) here\s*[-,:.!]+\s*",  # "Heather here - how's the pipe"
    re.IGNORECASE)
# "half a mil": how much, said in words.
# Clock times as Europe writes them: "14h", "14h30", "15 Uhr", "half nine" (9:30).
# "mañana 16hs call con Sofía", "giovedì h 14.30": the hour as Argentina and Italy write it
_HS_CLOCK = re.compile(r"(?<![\w.])(?P<h>[01]?\d|2[0-3])hs\b|(?<![\w.])(?-i:h)(?:\.\s?|\s)"
                       r"(?P<h2>[01]?\d|2[0-3])(?:[.:](?P<m>[0-5]\d))?\b", re.IGNORECASE)
_EURO_CLOCK = re.compile(
    r"(?=\d)(?<!\ba )(?<!\ban )(?<!\bthe )(?<!\bin )\b(?P<h>[01]?\d|2[0-3])"
    r"(?:hs?(?P<m>[0-5]\d)?|\s?uhr)(?![\w])"
    r"(?!\s+(?:call|meeting|session|workshop|drive|flight|trip|delay|window|slot|block)\b)",
    re.IGNORECASE)  # (not the length of something: "a 2h call")
_HALF_HOUR = re.compile(
    r"\bhalf (?P<h>" + "|".join(HOUR_WORDS) + r"|1[0-2]|[1-9])\b(?! (?:an|of))", re.IGNORECASE)


def _half_hour(m: re.Match[str]) -> str:
    said = m.group("h").lower()
    hour = int(said) if said.isdigit() else HOUR_WORDS.index(said) + 1
    if hour <= 6:
        hour += 12  # "half four" in working hours is 16:30, as "at 4" is
    return f"{hour:02d}:30"


# Days named by their holiday: "at noon on Christmas Eve".
_HOLIDAYS = {"christmas eve": "December 24", "christmas day": "December 25",
             "christmas": "December 25", "boxing day": "December 26",
             "new year's eve": "December 31", "new years eve": "December 31",
             "nye": "December 31", "new year's day": "January 1", "new years day": "January 1"}
_HOLIDAY = first_tested(r"(?<= )", r"(?<=\bon )(?:" + "|".join(
    sorted(map(re.escape, _HOLIDAYS), key=len, reverse=True)) + r")\b"
    # the days of more than one word are days wherever said ("remind me new years eve")
    r"|(?<= )(?:" + "|".join(sorted((re.escape(h) for h in _HOLIDAYS if " " in h), key=len,
                                reverse=True)) + r")\b", re.IGNORECASE)
# "Yesterday's onsite at …": the day, not a name with its possessive
_DAY_OWNS = re.compile(r"\b(yesterday|today|tonight)['\u2019]s\b", re.IGNORECASE)
# "2 days back": ago
_DAYS_BACK = re.compile(r"\b(\d{1,2}|a|one|two|three|four|five|six|a couple of) "
                        r"(days?|weeks?|months?) back\b", re.IGNORECASE)
# "le 1er avril", "le 7 à 14h": a French day of the month
# ("je la relance le 29": a day of the month said last)
_LE_DAY = re.compile(r"\ble (1er|[1-9]|[12]\d|3[01])(?= (?:à|at|de|"
                     + "|".join(MONTHS) + r"|janvier|février|mars|avril|mai|juin|juillet|août|"
                     r"septembre|octobre|novembre|décembre)\b|\s*(?:[.,;!?]|$))", re.IGNORECASE)


def _le_day(m: re.Match[str]) -> str:
    day = 1 if m.group(1).lower() == "1er" else int(m.group(1))
    suffix = {1: "st", 21: "st", 31: "st", 2: "nd", 22: "nd", 3: "rd", 23: "rd"}.get(day, "th")
    return f"the {day}{suffix}"


# "okay so", "so yeah", "alright so": how a dictated thought begins, not what it says.
_OPENING_FILLERS = re.compile(r"^(?:\[(?:voice|audio|vm|voice note|voice memo)\]\s*)?"
                              # "okay quick update I had lunch with …": no deal update asked
                              r"(?:(?:ok|okay|so)[,\s]+)?(?:quick|small|short)\s+update\b[:,\s-]*"
                              r"(?=\w)|^\[(?:voice|audio|vm|voice note|voice memo)\]\s*|"
                              # "Sunday night brain dump:", "sat catch up:", "lol sunday grind":
                              # when the note is written, not when things happened
                              r"^(?:lol\s+|ok\s+|so\s+)?(?:sun|sat|sunday|saturday|monday|friday|"
                              r"weekend|late)(?:\s+(?:night|morning|evening|arvo))?\s+(?:brain\s*dump|"
                              r"catch[ -]?up|grind|voice (?:memo|note)|admin|recap|wrap[- ]?up)s?\b"
                              r"[^\w]*(?:anyway\b)?[\s,:-]*|"
                              r"(?:^|(?<=[.!?]\s))"
                              r"(?:(?:okay|ok|alright|right|so yeah|yeah|ja)\s+so|"
                              r"so yeah|okay so|alright|"
                              r"(?:hey|hi|ok|okay|yo) (?:sales)?bot(?=[,\s]+\w))\b[,\s]*"
                              # "Vale, eh,", "Allora,", "Alors…", "Então, é...": a voice note's
                              # first breath in Spanish, Italian, French, Portuguese
                              r"|^(?:(?:vale|bueno|pues|mira|oye|a ver|allora|ecco|alors|bon|"
                              r"bah|ben|então|entao|pronto|olha|bom|che|dale|é)"
                              r"(?:[,.!]+|\u2026)\s*)+", re.IGNORECASE)
# How a dictated note opens before it says anything: "okay last one for today", "end of day
# roundup", "quick one before I head out to Ipswich", "morning driving to Waco"
_VOICE_PREAMBLE = re.compile(
    r"^[\s,.]*(?:(?:ok|okay|right|so|alright|hey|hiya|morning|yeah|well)[,.!\s]+)*"
    r"(?:(?:(?:last|final|first|next|another|quick|one more|a quick) one"
    r"(?:\s+for\s+(?:today|the day|tonight|the week))?"
    r"(?:\s+before\s+I\s+(?:head|go|drive)\s+(?:out|off|over|back)?\s*(?:to\s+\w+(?:\s+\w+)?)?)?)"
    r"|(?:end of (?:the )?day|eod|friday|daily) (?:roundup|round-up|round up|wrap|wrap-up|recap)"
    r"|(?:it's|it is|this is) (?-i:[A-Z])\w+(?: here)?(?=\s*[,.])"  # "hey it's Marisol, I need …"
    r"|it's late but|(?:(?:i'm\s+)?driving|on the way|heading) (?:to|back from|home from) "
    r"(?-i:[A-Z])\w+(?:\s+(?-i:[A-Z])\w+)?)(?=[\s,.:-])[,.:\s-]*", re.IGNORECASE)
# "... Eso es todo.", "Isso.", "Ok, eso.", "Valeu.": the note's last breath
_CLOSING_WORDS = re.compile(
    r"(?:^|(?<=[.!?]\s))(?:ok,?\s+)?(?:eso es todo|eso|isso|valeu|c'est tout|voilà|voila|"
    r"è tutto|ya está|ya esta|nada más|nada mais|sí|si|ta|ta very much|cheers|cheers mate|"
    r"ta mate)[.!]*\s*$", re.IGNORECASE)
# "at uh nine", "to um Priya": a pause inside a phrase, not between two thoughts
_BEFORE_A_WORD = re.compile(r"\b(?:at|to|the|for|on|with|by|a|an|in|of|from|is|was)\s*$",
                            re.IGNORECASE)
_FILLERS = re.compile(r"(?<![\w'])(?:u+m+|u+h+|e+rm+|e+r+|hmm+|"
                      r"e+u+h+|h+e+u+h*|e+h+m*|h+u+m+|hm+|h+ã+)(?![\w'])"
                      r"(?:[,.]|\u2026)?\s*", re.IGNORECASE)


# Portuguese "um" (a, one) after the words it follows ("cria um deal", "me dá um resumo",
# "mandei um email"): an article, not a voice note's pause.
_PT_BEFORE_UM = frozenset((
    "cria", "crie", "criar", "criou", "mandei", "enviei", "manda", "mande", "mandar", "envia",
    "envie", "enviar", "dá", "dê", "marca", "marque", "marcar", "agenda", "agende",
    "agendar", "tem", "tenho", "temos", "têm", "fiz", "faz", "faça", "fazer", "fizemos", "é",
    "foi", "com", "para", "pra", "e", "num", "ter", "quer", "querem", "precisa", "precisam",
    "preciso", "pediu", "pediram", "como", "mais", "só", "recebi", "adiciona", "adicionar",
    "abre", "abrir", "escreve", "escrever", "prepara", "preparar", "vou", "vamos", "redige",
    "redigir", "redija"))
_WORD_BEFORE = re.compile(r"([^\W\d_]+)\W*$")


def _pt_article(text: str, m: re.Match[str]) -> bool:
    if m.group(0)[:2].lower() != "um" or m.group(0)[2:3].isalpha():
        return False
    before = _WORD_BEFORE.search(text, max(0, m.start() - 20), m.start())
    return before is not None and before.group(1).lower() in _PT_BEFORE_UM


# "at, um, eight thirty": the comma is the pause's, inside the phrase
_COMMA_BEFORE_A_PAUSE = re.compile(r"\b(at|to|the|for|on|with|by|in|of|from),\s+(?=(?:u+m+|u+h+|"
                                   r"e+rm+)\b)", re.IGNORECASE)


def _pause(text: str, m: re.Match[str]) -> str:
    """What a voice note's "um" leaves: nothing inside a phrase, a pause between two
    thoughts, nothing at either end."""
    if _pt_article(text, m):
        return m.group(0)
    if _BEFORE_A_WORD.search(text, 0, m.start()):
        return " "
    return ", " if m.start() and m.end() < len(text) else " "


_SAID_TWICE = re.compile(r"\b(from|with|to|at|for|the|a) \1\b", re.IGNORECASE)


def normalize(text: str) -> str:
    """Trimmed text with slang expanded, dashes and quotes made plain, cue typos fixed."""
    return normalized(text).text


def normalized(text: str) -> Normalized:
    """`normalize(text)`, remembering where each character came from in `text`."""
    work = _Tracked(text)
    work.text = work.text.translate(_QUOTES)  # one character for one: origins unchanged
    if len(work.text) > MAX_CHARS:
        work.text = work.text[:MAX_CHARS]
        work.starts, work.ends = work.starts[:MAX_CHARS], work.ends[:MAX_CHARS]
    work.sub(_EMPHASIS, lambda m: "" if m.group(1) == "~" else m.group(2))  # ~struck~ is taken back
    work.sub(_EMOJI_CODE, " ")
    work.sub(_WONT, "will not")  # "gatekeeper won't put me through": no deal won
    work.sub(_EMOJI_BREAK, ", ")
    work.sub(_SAID_STOP, ".")
    work.sub(_SAID_COMMA, ",")
    work.sub(_SAID_QUESTION, "?")
    work.sub(_FROM_NOW_SHORT, lambda m: f"in {m.group(1)} "
             + ("minutes" if m.group(2).lower() == "min" else "hours"))
    work.sub(_HS_CLOCK, lambda m: f"at {int(m.group('h') or m.group('h2')):02d}:"
             f"{m.group('m') or '00'}")
    work.sub(_EURO_CLOCK, lambda m: f"{int(m.group('h')):02d}:{m.group('m') or '00'}")
    work.sub(_HALF_HOUR, _half_hour)
    work.sub(_GREETING_LEAD, "")
    work.sub(_HOLIDAY, lambda m: _HOLIDAYS[m.group(0).lower()])
    work.sub(_DAYS_BACK, r"\1 \2 ago")
    work.sub(_DAY_OWNS, r"\1")
    work.sub(_LE_DAY, _le_day)
    work.sub(_OPENING_FILLERS, "")
    work.sub(_CLOSING_WORDS, "")
    # "um", "uh" of a voice memo: a pause between two thoughts, or nothing at either end
    work.sub(_COMMA_BEFORE_A_PAUSE, r"\1 ")
    work.sub(_FILLERS, lambda m: _pause(work.text, m))
    work.sub(_SPACES, " ")
    lower = work.text.lower()  # (each pattern below is tried only where its word is said)
    if any(day in lower for day in ("mon", "tue", "wed", "thu", "fri", "sat", "sun")):
        work.sub(_WEEKDAY_AND_DATE, _the_date)  # "by Thursday the 14th", "Thu 14 Jan"
    if " in" in lower:
        work.sub(_PUT_IT_IN, ", add a task")  # "... so book that in as a task for Thursday"
    if " like " in lower:
        work.sub(_LIKE_BEFORE_A_COUNT, r"\1 ")  # "remind me in like two hours"
    if " not " in lower:
        work.sub(_NOT_THAT_ONE, "")  # "Kessler no not Kessler Keller Tool and Die"
    _take_back(work)
    work.sub(_VOICE_PREAMBLE, "")
    work.sub(_SPOKEN_CLOCK, _clock)
    work.sub(_AT_SPOKEN, _clock)
    work.sub(_AT_HOUR, _clock)
    work.sub(_SPACES, " ")
    work.sub(_EDGES, "")
    work.sub(_LOOSE_COMMA, ",")  # "good morning , can you …" once the "um" is gone
    work.sub(_AND_PAUSE, r"\1 ")  # "overdue and , also log …"
    work.sub(_GREETING_LEAD, "")
    work.sub(_ARROW, lambda m: " - " if _ORDER_AFTER.match(work.text, m.end()) else " moved to ")
    work.sub(_DASHES, " - ")
    work.sub(_NAME_SAID_IN_FULL, _said_in_full)  # "Wojciech - Wojciech Kowalczyk - from"
    work.sub(_LAKH_GROUPS, lambda m: m.group(0).replace(",", ""))
    work.sub(_THOUSANDS, "")  # "$75,000" must survive clause splitting
    work.sub(_SLANG_RE, _slang)
    work.sub(_HONORIFIC_AFTER, r"\1")
    if " dot " in work.text.lower():  # (no address is spelled out without one)
        work.sub(_SPOKEN_EMAIL, _spoken_email)
    work.sub(_CALL_IT, "about")
    work.sub(_CALLED_BACK, r"\1 \2")
    work.sub(_EMAIL_IN, r"\1 from")
    work.sub(_AMP_ORDER, " and ")
    work.sub(_EL_DATE, "on ")
    work.sub(_EL_DAY, lambda m: f"on the {m.group(1)}{_ORDINAL_END.get(m.group(1)[-1:], 'th')},"
             if m.group(1) not in ("11", "12", "13") else f"on the {m.group(1)}th,")
    work.sub(_EMAIL_TO, "emailed ")
    work.sub(_SAT_SUN, lambda m: "Saturday" if m.group(1).lower() == "sat" else "Sunday")
    work.sub(_AT_HOUR_SAID, _hour_said)
    work.sub(_AT_CLOCK, lambda m: f"at {m.group('h')}{m.group('m') or ':00'}")
    if _CJK.search(work.text):  # (none of these four matches without a CJK character)
        work.sub(_CJK_MONEY, _cjk_money)
        work.sub(_CJK_DATE, _cjk_date)
        work.sub(_CJK_CLOCK, _cjk_clock)
        work.sub(_CJK_WORD, lambda m: f" {_CJK_WORDS[m.group(0)]} ")
    work.sub(_SPACES, " ")
    work.sub(_FOLLOW_UP_WHOM, "follow up with ")
    work.sub(_ARTICLE_TITLE, "")
    work.sub(_DEALS_OF, lambda m: f"{m.group(3)}'s{m.group(2)} "  # "ganhos": won
             + ("pipeline" if m.group(1).lower().startswith("pipe") else "deals"))
    work.sub(_AND_SAID, _and_said)
    work.sub(_AT_THE_ELIDED, "at ")
    work.sub(_FOREIGN, _foreign)
    work.sub(_DEAL_OF_AMOUNT, "of ")
    work.sub(_PT_TO, "to")
    work.sub(_TO_THE_NAME, lambda m: "for" if m.group(0) in ("para", "p/", "per") else "to")
    work.sub(_HELP_ALONE, "help")
    work.sub(_FROM_THE, "from ")
    work.sub(_EN_COMPANY, "at ")
    work.sub(_ARTICLE_BEFORE_NAME, lambda m: f"{m.group(1) or m.group(2)} ")
    work.sub(_FOREIGN_WITH, r"\1\2 with")
    work.sub(_SAID_TWICE, r"\1")  # "Rückruf from" glossed: "call from from"
    work.sub(_PT_DAY, _pt_day)
    work.sub(_DAY_AFTER_WORD, _day_after)
    work.sub(_DAY_BEFORE_WORD, _day_before)
    work.sub(_IN_UNITS, _in_units)
    work.sub(_UNITS_AGO, _units_ago)
    work.sub(_UNITS_BACK, _units_ago)
    work.sub(_DAY_DE_MONTH, r"\1 ")
    _take_back(work)  # (again: what a note takes back in its own language, now glossed)
    work.sub(_ATTACHED_UNIT, lambda m: f"in {m.group(1)} "
             + ("hours" if m.group(2).lower().startswith("h") else "minutes"))

    def fix(match: re.Match[str]) -> str:
        word = match.group(0)
        # Capitalized words may be names ("Mondy"); only the message's first word is tried.
        if word[0].isupper() and match.start() != 0:
            return word
        fixed = correct_word(word)
        return fixed if fixed == word or word[0].islower() else fixed.capitalize()

    work.sub(_WORD, fix)
    return work.result()


# A quoted title, or a parenthesis ("(Director of Ops, Al Noor Hospitality LLC)"): one piece.
_QUOTED = re.compile(r'"[^"]+"|\([^()]{2,80}\)')


def split_clauses(text: str) -> list[str]:
    """Clauses of a normalized message, in order, without their separators."""
    quoted = [m.span() for m in _QUOTED.finditer(text)]
    pieces, last = [], 0
    for m in _SPLIT.finditer(text):
        if m.end() > m.start() and not any(a < m.start() < b for a, b in quoted):
            pieces.append(text[last:m.start()])
            last = m.end()
    pieces.append(text[last:])
    parts = [_trim_clause(p) + ("." if _ends_in_a_stop(p.rstrip()) else "") for p in pieces]
    return [p for p in parts if p]


def _ends_in_a_stop(piece: str) -> bool:
    """The piece ends in an abbreviation's stop ("Acme Inc.") or a day and month's ("15.01")."""
    return (piece.endswith(".") and ABBREVIATED_END.search(piece) is not None
            or piece[-1:].isdigit() and _DAY_MONTH_END.search(piece) is not None)


def _trim_clause(part: str) -> str:
    """A clause without stray edge punctuation; a quoted title keeps its quotes."""
    part = part.strip(" .-")
    for quote in "'\"":
        if part.count(quote) % 2:  # unbalanced: a stray mark, not a quotation
            part = part.strip(quote + " .-")
    return part
