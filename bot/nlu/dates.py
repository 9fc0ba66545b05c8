"""Date, time and period phrases, resolved against the speaker's local "now".

The common phrases are handled here by explicit rules (fast, and they follow the
contract's conventions exactly); dateparser is only the fallback for the rest.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass, field
from functools import lru_cache

from rapidfuzz.distance import OSA

from bot.nlu.actions import Period
from bot.nlu.lexicon import (
    COMPANY_WORDS,
    HOUR_WORDS,
    MONTH_ABBR,
    MONTHS,
    NUMBER_WORDS,
    ORDINAL_DAYS,
    ORDINAL_WORD,
    WEEKDAY_ABBR,
    WEEKDAYS,
    words,
)
from bot.nlu.text import Keyed, first_tested

DEFAULT_TASK_TIME = dt.time(9, 0)
END_OF_DAY = dt.time(17, 0)

_WEEKDAY_RE = (
    r"(?<!\ba )(?<!\bon a )"  # "catching up on admin on a saturday": any Saturday, no date
    r"(?=[mtwfs])(?P<wd>monday|tuesday|wednesday|thursday|friday|saturday|sunday"
    r"|mon|tues?|weds?|thu(?:rs?)?|fri)\.?(?![a-z])"
)
# Month names of the languages our reps sell in, said in an English sentence ("31 mars",
# "11. januar", "1. März"); names that are also given names ("Julio", "Mayo") are left out.
_FOREIGN_MONTHS = {
    **dict.fromkeys(("januar", "januari", "janvier", "enero", "gennaio"), 1),
    **dict.fromkeys(("februar", "februari", "février", "fevrier", "febrero", "febbraio"), 2),
    **dict.fromkeys(("märz", "marz", "mars", "marzo"), 3),
    **dict.fromkeys(("avril", "abril", "aprile"), 4),
    **dict.fromkeys(("maggio",), 5),  # not "Mai", a given name
    **dict.fromkeys(("juni", "juin", "junio", "giugno"), 6),
    **dict.fromkeys(("juli", "juillet", "luglio"), 7),
    **dict.fromkeys(("augusti", "août", "aout", "agosto"), 8),
    **dict.fromkeys(("septembre", "septiembre", "settembre"), 9),
    **dict.fromkeys(("oktober", "okt", "octobre", "octubre", "ottobre"), 10),
    **dict.fromkeys(("novembre", "noviembre"), 11),
    **dict.fromkeys(("dezember", "dez", "desember", "décembre", "diciembre", "dicembre"), 12),
}
_MONTH_RE = (
    "(?=[" + "".join(sorted(set("jfmasond") | {m[0] for m in _FOREIGN_MONTHS})) + "])"  # quick
    r"(?:january|february|march|april|may|june|july|august|september|october|november"
    r"|december|" + "|".join(sorted(_FOREIGN_MONTHS, key=len, reverse=True))
    + r"|jan|feb|mar|apr|jun|jul|aug|sept?|oct|nov|dec)\.?"
)
_NUM = r"(?=[\dacefnost])(?:\d+|a|an|one|two|three|four|five|six|seven|eight|nine|ten|eleven" \
    r"|twelve|fifteen" \
    r"|twenty|thirty|a couple(?: of)?|couple(?: of)?|a few|few)"
_UNIT = r"(?:minute|hour|day|week|month)s?"
# A whole word only: the "on" of "Gagnon EOD" is no preposition.
_PREP = r"(?:\b(?=[bodfatun])(?:by|on|before|until|till|due|for|around|no later than)\s+)?"
_ORD = r"(?:st|nd|rd|th)?"
# "change the close date to 15.01": the last stop cut off with the sentence's own
_DATE_CUE = "(?:" + "|".join(rf"(?<=\b{w} )" for w in (
    "close", "closing", "closes", "by", "on", "until", "till", "til", "due", "before", "date",
    "cierre", "follow up", "f/u")) + ")"
_DOT_DATE_AT_END = "|".join(rf"(?<=\b{w} {d}\.{m})$" for w in ("to", "on", "by", "date", "due")
                            for d in (r"\d", r"\d\d") for m in (r"\d", r"\d\d"))

# "the 2nd year", "the 3rd call": an ordinal of something else, not a day of the month.
_NOT_A_DAY_AFTER = (r"(?!\s+(?:year|month|week|quarter|day|time|round|floor|call|meeting|demo|"
                    r"draft|version|phase|stage|one|place|half|term|visit|attempt|try|payment|"
                    r"invoice|instal+ment|site|batch|wave|cohort|person|contact|option|tier|thing|step|item|"
                    r"point|page|slide|line|priority|question|issue|party)s?\b)")

_ORDINAL_OF = re.compile(r"(?:the\s+)?\d{1,2}(?:st|nd|rd|th)\b(?=" + _NOT_A_DAY_AFTER[3:],
                         re.IGNORECASE)

# Every date or time starts a word, or is a digit, an "@" or the space before a weekday: a
# cheap test that spares the alternatives below at every other position (same matches).
_CAN_START = r"(?:(?<!\w)|(?=[\s\d@]))"
_DATE_RE = first_tested(
    _CAN_START,
    _PREP
    + r"(?:"
    r"(?P<eod>\b(?:eod|end of (?:the )?(?:business )?day|close of business)\b)"
    # "early/mid/end of next week": its Monday, Wednesday or Friday
    r"|\b(?P<wk_part>early|mid|middle of|end of|late)[ -](?P<wk_rel>next|this) week\b"
    r"|(?P<wk_after>\b(?:the )?week after next\b)"
    r"|(?P<dby>\b(?:the )?day before yesterday\b)"
    r"|(?P<eow>\b(?:eow|end of (?:the |this )?week)\b)"
    r"|\bend of (?:the )?(?P<eo_rel>this |next )?(?P<eo_unit>month|quarter|year)\b"
    r"|\b(?:end of |by |closing (?:in )?|close (?:in )?)(?:the )?q(?P<eo_q>[1-4])\b"
    r"|\bend of (?P<eo_month>" + _MONTH_RE + r")(?![a-z])"
    r"|(?P<dat>\b(?:the )?day after tomorrow\b)"
    r"|(?P<tom>\btomorrow\b)"
    r"|(?P<yest>\byesterday\b|\blast night\b)"
    r"|(?P<tod>\b(?:today|tonight|this (?:morning|afternoon|evening)"
    r"|(?:earlier|later) today)\b)"
    r"|\b(?:in|after|within) (?P<in_n>" + _NUM + r") (?P<in_unit>" + _UNIT + r")\b"
    r"|\b(?P<fn_n>" + _NUM + r") (?P<fn_unit>" + _UNIT + r") from (?:now|today)\b"
    r"|\b(?P<ago_n>" + _NUM + r") (?P<ago_unit>" + _UNIT + r") ago\b"
    # "next week tuesday", "next week on Tuesday" (said so in Nigeria and India)
    r"|\b(?:(?P<wd_pre>next|this|last) week,? (?:on )?|(?P<wd_mod>next|this|last|coming|"
    r"this coming|past)?\s*)" + _WEEKDAY_RE
    + r"(?P<wd_week> next week| this week| last week)?\b"
    r"|\b(?P<nw_mod>next|last|this) (?P<nw_unit>week|month)\b"
    # "may" only before a day other than "first": "we may first need ..."
    r"|\b(?P<mw_month>" + _MONTH_RE.replace("|may|", "|may(?! first)|") + r") (?:the )?(?P<mw_day>"
    + ORDINAL_WORD + r")\b"
    # "on the second of January"
    r"|\b(?:the )?(?P<wm_day>" + ORDINAL_WORD + r") of (?P<wm_month>" + _MONTH_RE + r")\b"
    r"|\b(?P<md_month>" + _MONTH_RE + r") (?:the )?(?P<md_day>\d{1,2})" + _ORD
    + r"(?:,? (?P<md_year>\d{4}))?(?!\d|:|\s*(?:am|pm|k\b|%))"
    r"|\b(?:the )?(?P<dm_day>\d{1,2})(?:" + _ORD + r"|\.) (?:of )?(?P<dm_month>" + _MONTH_RE
    + r")(?:,? (?P<dm_year>\d{4}))?(?![a-z])"
    r"|\b(?P<iso>\d{4}-\d{2}-\d{2})\b"
    r"|\b(?P<num>\d{1,2}/\d{1,2}(?:/\d{2,4})?)\b"
    # "15.01.", "1.2.", "30.11.2026": day and month with their stops, as Europe writes them
    r"|(?<![\d.,])(?P<dot_d>[0-3]?\d)\.(?P<dot_m>[01]?\d)(?:\.(?P<dot_y>20\d\d)?(?!\d|,\d)|"
    + _DOT_DATE_AT_END + r"|(?=\s+at\s+\d))"  # "13.01 at 9:00"
    # "close 15.03", "close 30-04", "follow up 12-01", "till 2.11.,": after a word that
    # asks for a date, day and month with a dot or a dash
    r"|(?=\d)" + _DATE_CUE + r"(?P<cue_d>[0-3]?\d)[.-](?P<cue_m>[01]?\d)(?:[.-](?P<cue_y>20\d\d))?"
    r"(?![\w%]|[.,-]\d)"
    r"|\bthe (?P<ord_day>\d{1,2})(?:st|nd|rd|th)\b" + _NOT_A_DAY_AFTER +
    # "remind me on the twenty third", "call him on the thirteenth": a voice note's day
    r"|(?<=\b(?:on|by) )the (?P<ordw_day>" + ORDINAL_WORD + r")\b" + _NOT_A_DAY_AFTER +
    r")",
    re.IGNORECASE,
)
# The words a date can start with (besides a digit): the prepositions of `_PREP`, the first
# words of the phrases above, numbers, weekdays, months, the ordinals' first words.
_WEEKDAY_WORDS = (*WEEKDAYS, *(a for a in WEEKDAY_ABBR if a not in ("sat", "sun")))
_DATE_RE = Keyed(_DATE_RE, {
    "by", "on", "before", "until", "till", "due", "for", "around", "no",
    "eod", "end", "close", "closing", "early", "mid", "middle", "late", "the", "week", "day",
    "eow", "tomorrow", "yesterday", "last", "today", "tonight", "this", "earlier", "later",
    "in", "after", "within", "next", "coming", "past",
    *NUMBER_WORDS, *_WEEKDAY_WORDS, *MONTHS, *MONTH_ABBR, *_FOREIGN_MONTHS,
    *(ordinal.replace("-", " ").split()[0] for ordinal in ORDINAL_DAYS),
}, spaced=_WEEKDAY_WORDS)  # "call monday": the weekday's match starts at its space
# "tomorrow 9.15", "Fri 4.30": right after a day, a dotted number is the time.
_AFTER_A_DAY = "(?:" + "|".join(
    f"(?<={d} )" for d in (
        "tomorrow", "today", "tonight", "monday", "tuesday", "wednesday", "thursday", "friday",
        "saturday", "sunday", "mon", "tue", "tues", "wed", "thu", "thur", "thurs", "fri", "sat",
        "sun", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov",
        "dec")) + ")"
_TIME_RE = Keyed(first_tested(
    _CAN_START,
    r"(?:\b(?:at|@)\s*)?\b(?P<h>\d{1,2})(?:[:.](?P<m>\d{2}))?\s*(?P<ampm>[ap]\.?m\.?)(?![a-z])"
    r"|(?:\b(?:at|@)\s*)?\b(?P<h24>[01]?\d|2[0-3]):(?P<m24>[0-5]\d)\b"
    # "at 8.30", "@ 14.15": a dot between hours and minutes, after "at" only ("1.50" alone
    # may be money).
    r"|(?:(?:\bat|@)\s*|(?=\d)" + _AFTER_A_DAY + r")(?P<hdot>[01]?\d|2[0-3])[.h](?P<mdot>[0-5]\d)\b"
    r"(?![.,]\d|\s*(?:%|/|per\b))"
    # "8h30", as French and Portuguese write the clock
    r"|\b(?P<hh>[01]?\d|2[0-3])h(?P<mh>[0-5]\d)\b"
    # "half past 3", "quarter past 10"
    r"|(?:\bat\s+)?\b(?P<past>half|quarter)\s+past\s+(?P<hpast>1[0-2]|[1-9]|one|two|three|four|"
    r"five|six|seven|eight|nine|ten|eleven|twelve)\b"
    r"|(?:\b(?:at|@|after)\s*|\bby\s+(?=\d{1,2}\s+(?:tomorrow|today|tonight)\b))"
    r"(?P<hbare>\d{1,2})\b(?![:.]\d|\s*(?:%|k\b|/|-)"
    r"|\s*(?!(?:to|on|about|for|with|and|then|or|the|tomorrow|today|tonight|next|this|sharp|instead|"
    r"please|pls|if|re|latest|in the (?:morning|afternoon|evening)|in(?=\s+#)|"
    # "remind me monday at 10 review the certs": what to do, said right after its hour
    r"call|send|email|review|prepare|prep|confirm|check|follow|ping|book|schedule|chase|stop|"
    r"o'?clock|et|pt|est|pst|gmt)\b)\w)"
    r"|(?:\b(?:at|around|by|in the)\s+)?\b(?P<word>noon|midday|lunchtime|midnight|morning|afternoon"
    r"|evening|tonight|after lunch|before lunch|first thing)\b",
    re.IGNORECASE,
), {"at", "after", "by", "around", "in", "half", "quarter", "noon", "midday", "lunchtime",
    "midnight", "morning", "afternoon", "evening", "tonight", "before", "first"})
_WORD_TIMES = {
    "noon": dt.time(12), "midday": dt.time(12), "lunchtime": dt.time(12),
    "midnight": dt.time(0), "morning": dt.time(9), "afternoon": dt.time(15),
    "evening": dt.time(18), "tonight": dt.time(19),  # the contract's clarifications
    "after lunch": dt.time(13), "before lunch": dt.time(11), "first thing": dt.time(9),
}
_DAYISH = re.compile(r"\b[a-z]{3,}day\b", re.IGNORECASE)
_NOT_DATES = words(
    "today yesterday birthday holiday someday payday midday everyday workday weekday"
    " doomsday heyday mayday friday monday tuesday wednesday thursday saturday sunday"
)
_LOOSE_DATE = re.compile(
    r"\b(?:on|by|before|until|due)\s+(?P<phrase>(?:the\s+)?\d[\w./-]*(?:\s+\w+){0,2})",
    re.IGNORECASE,
)


@dataclass
class When:
    """A point in time found in a phrase, and where in the text it was said."""

    day: dt.date | None = None
    time: dt.time | None = None
    moment: dt.datetime | None = None  # exact, e.g. "in 45 minutes"
    spans: list[tuple[int, int]] = field(default_factory=list)
    unparsed: str | None = None

    def due(self, default_time: dt.time = DEFAULT_TASK_TIME) -> dt.datetime | None:
        """The date-time meant, with `default_time` when only a day was said."""
        if self.moment is not None:
            return self.moment
        if self.day is None:
            return None
        return dt.datetime.combine(self.day, self.time or default_time)


def _count(word: str) -> int:
    word = word.lower().removesuffix(" of")
    if word.isdigit():
        return int(word)
    return NUMBER_WORDS.get(word.split()[-1], 1)


def _weekday(word: str) -> int:
    word = word.lower().rstrip(".")
    if word in WEEKDAYS:
        return WEEKDAYS.index(word)
    return WEEKDAY_ABBR[word]


def _month(word: str) -> int:
    word = word.lower().rstrip(".")
    return _FOREIGN_MONTHS.get(word) or MONTH_ABBR[word[:3]]


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day `months` later, clamped to the month's last day."""
    total = day.year * 12 + day.month - 1 + months
    year, month = divmod(total, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return dt.date(year, month + 1, min(day.day, last))


def month_end(year: int, month: int) -> dt.date:
    """The last day of a month."""
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def quarter_of(day: dt.date) -> int:
    """1..4."""
    return (day.month - 1) // 3 + 1


def quarter_period(year: int, quarter: int) -> Period:
    """The days of one calendar quarter."""
    first = 3 * (quarter - 1) + 1
    return Period(start=dt.date(year, first, 1), end=month_end(year, first + 2))


def week_start(day: dt.date) -> dt.date:
    """The Monday of the week holding `day`."""
    return day - dt.timedelta(days=day.weekday())


def _dated(year: int | None, month: int, day: int, today: dt.date, future: bool) -> dt.date:
    """A month/day, in the year said or else the next to come (future) / most recent (past)."""
    def on(year: int) -> dt.date:  # the day clamped to that year's month ("end of Feb" 2028: 29)
        return dt.date(year, month, min(day, calendar.monthrange(year, month)[1]))

    if year is not None:
        return on(year if year > 100 else 2000 + year)
    candidate = on(today.year)
    if future and candidate < today:
        return on(today.year + 1)
    if not future and candidate > today:
        return on(today.year - 1)
    return candidate


def _relative(
    now: dt.datetime, n: int, unit: str, sign: int
) -> tuple[dt.date | None, dt.datetime | None]:
    unit = unit.lower().rstrip("s")
    if unit == "minute":
        return None, now + sign * dt.timedelta(minutes=n)
    if unit == "hour":
        return None, now + sign * dt.timedelta(hours=n)
    if unit == "day":
        return now.date() + sign * dt.timedelta(days=n), None
    if unit == "week":
        return now.date() + sign * dt.timedelta(weeks=n), None
    return add_months(now.date(), sign * n), None


def _resolve(m: re.Match[str], now: dt.datetime, future: bool, us: bool) -> When | None:
    """The day (and maybe time) of one date match; None when it names no real day."""
    g = m.groupdict()
    today = now.date()
    if g["eod"]:
        return When(day=today, time=END_OF_DAY)
    if g["wk_part"]:
        monday = week_start(today) + dt.timedelta(weeks=1 if g["wk_rel"].lower() == "next" else 0)
        part = g["wk_part"].lower()
        offset = {"early": 0, "mid": 2, "middle of": 2}.get(part, 4)
        day = max(monday + dt.timedelta(days=offset), today)
        return When(day=day, time=END_OF_DAY if part == "end of" else None)
    if g["wk_after"]:
        return When(day=week_start(today) + dt.timedelta(weeks=2))
    if g["dby"]:
        return When(day=today - dt.timedelta(days=2))
    if g["eow"]:
        friday = week_start(today) + dt.timedelta(days=4)
        return When(day=friday if friday >= today else friday + dt.timedelta(weeks=1),
                    time=END_OF_DAY)
    if g["eo_unit"]:
        shift = 1 if (g["eo_rel"] or "").strip() == "next" else 0
        unit = g["eo_unit"].lower()
        if unit == "month":
            first = add_months(today.replace(day=1), shift)
            return When(day=month_end(first.year, first.month))
        if unit == "quarter":
            q_index = today.year * 4 + quarter_of(today) - 1 + shift
            return When(day=quarter_period(q_index // 4, q_index % 4 + 1).end)
        return When(day=dt.date(today.year + shift, 12, 31))
    if g["eo_q"]:
        q = int(g["eo_q"])
        end = quarter_period(today.year, q).end
        if (end < today) if future else (end > today):
            end = quarter_period(today.year + (1 if future else -1), q).end
        return When(day=end)
    if g["eo_month"]:
        month = _month(g["eo_month"])
        return When(day=_dated(None, month, 31, today, future))
    if g["dat"]:
        return When(day=today + dt.timedelta(days=2))
    if g["tom"]:
        return When(day=today + dt.timedelta(days=1))
    if g["yest"]:
        return When(day=today - dt.timedelta(days=1))
    if g["tod"]:
        return When(day=today)
    for prefix, sign in (("in", 1), ("fn", 1), ("ago", -1)):
        if g[f"{prefix}_n"]:
            day, moment = _relative(now, _count(g[f"{prefix}_n"]), g[f"{prefix}_unit"], sign)
            return When(day=day, moment=moment)
    if g["wd"]:
        return When(day=_weekday_date(g, today, future))
    if g["nw_unit"]:
        mod, unit = g["nw_mod"].lower(), g["nw_unit"].lower()
        if unit == "week":
            monday = week_start(today) + dt.timedelta(weeks={"next": 1, "last": -1}.get(mod, 0))
            return When(day=max(monday, today) if mod == "this" else monday)
        first = add_months(today.replace(day=1), {"next": 1, "last": -1}.get(mod, 0))
        return When(day=max(first, today) if mod == "this" else first)
    try:
        if g["mw_month"] or g.get("wm_month"):
            day = ORDINAL_DAYS[(g["mw_day"] or g["wm_day"]).lower()]
            month = _month(g["mw_month"] or g["wm_month"])
            return When(day=_dated(None, month, day, today, future))
        if g["md_month"]:
            year = int(g["md_year"]) if g["md_year"] else None
            return When(day=_dated(year, _month(g["md_month"]), int(g["md_day"]), today, future))
        if g["dm_month"]:
            year = int(g["dm_year"]) if g["dm_year"] else None
            return When(day=_dated(year, _month(g["dm_month"]), int(g["dm_day"]), today, future))
        if g["iso"]:
            return When(day=dt.date.fromisoformat(g["iso"]))
        if g.get("dot_d"):
            year = int(g["dot_y"]) if g["dot_y"] else None
            return When(day=_dated(year, int(g["dot_m"]), int(g["dot_d"]), today, future))
        if g["cue_d"]:
            day, month = int(g["cue_d"]), int(g["cue_m"])
            if not (1 <= month <= 12 and 1 <= day <= calendar.monthrange(2024, month)[1]):
                return None
            year = int(g["cue_y"]) if g["cue_y"] else None
            return When(day=_dated(year, month, day, today, future))
        if g["num"]:
            parts = [int(p) for p in g["num"].split("/")]
            month, day = (parts[0], parts[1]) if us else (parts[1], parts[0])
            if month > 12 >= day:
                month, day = day, month  # "28/02" read in the US: only one way it is a date
            year = parts[2] if len(parts) == 3 else None
            return When(day=_dated(year, month, day, today, future))
        if g["ordw_day"] and not future:
            return None  # "the board meets on the thirty first": in a log, a day to come
        if g["ord_day"] or g["ordw_day"]:
            day = int(g["ord_day"]) if g["ord_day"] else ORDINAL_DAYS[g["ordw_day"].lower()]
            candidate = today.replace(day=1)
            for _ in range(3):
                if day <= calendar.monthrange(candidate.year, candidate.month)[1]:
                    found = candidate.replace(day=day)
                    if (found >= today) if future else (found <= today):
                        return When(day=found)
                candidate = add_months(candidate, 1 if future else -1)
            return None
    except ValueError:
        return None
    return None


def _weekday_date(g: dict[str, str | None], today: dt.date, future: bool) -> dt.date:
    target = _weekday(g["wd"] or "")
    mod = (g["wd_mod"] or "").lower()
    week = (g["wd_week"] or (g.get("wd_pre") and g["wd_pre"] + " week") or "").strip().lower()
    if week:
        offset = {"next week": 1, "last week": -1}.get(week, 0)
        return week_start(today) + dt.timedelta(weeks=offset, days=target)
    if mod in ("last", "past") or (not future and mod != "next"):
        # (today's own weekday, said of what happened, is today: "Saturday site visit at …"
        # sent on a Saturday; "last Saturday" is a week back)
        back = (today.weekday() - target) % 7 or (7 if mod in ("last", "past") else 0)
        return today - dt.timedelta(days=back)
    ahead = (target - today.weekday()) % 7
    if mod == "this" and ahead == 0:
        return today
    return today + dt.timedelta(days=ahead or 7)


_CLOCK_JOIN = re.compile(r"[\s,]*(?:at\s+|@\s*)?")
_MORNING = ("morning", "first thing")
_LATER = ("afternoon", "evening", "tonight")


def _in_half_of_day(m: re.Match[str], part: str) -> dt.time | None:
    """The clock `m` said as the hours of `part` of the day ("8 in the morning" is 08:00,
    "nine thirty tonight" 21:30); None when the part says nothing of it, or it said itself."""
    if part not in _MORNING + _LATER or m.group("ampm"):
        return None
    clock = _resolve_time(m, as_written=True)
    if clock is None or m.group("h24") and clock.hour > 12:
        return None  # "14:30 this afternoon": a 24-hour clock says its own half
    hour = clock.hour % 12 if clock.hour != 12 else 12
    if part in _LATER and hour < 12:
        hour += 12
    return clock.replace(hour=hour)


def _resolve_time(m: re.Match[str], *, as_written: bool = False) -> dt.time | None:
    """The clock time matched; `as_written` keeps "7:30" at 07:30 (a digest's hour),
    where a reminder's "at 4:30" is read as the afternoon."""
    g = m.groupdict()
    if g["ampm"]:
        hour, minute = int(g["h"]), int(g["m"] or 0)
        if not 1 <= hour <= 12 or minute > 59:
            return None
        pm = g["ampm"].lower().startswith("p")
        return dt.time(hour % 12 + (12 if pm else 0), minute)
    if g["h24"]:
        hour = int(g["h24"])
        if len(g["h24"]) == 1 and 1 <= hour < 7 and not as_written:
            hour += 12  # "at 4:30" in a work chat is the afternoon, as "at 4" is; "04:30" is not
        return dt.time(hour, int(g["m24"]))
    if g["hdot"] or g["hh"]:
        hour, minute = int(g["hdot"] or g["hh"]), int(g["mdot"] or g["mh"])
        return dt.time(hour + 12 if 1 <= hour < 7 else hour, minute)  # as "at 3"
    if g["past"]:
        said = g["hpast"].lower()
        hour = int(said) if said.isdigit() else HOUR_WORDS.index(said) + 1
        return dt.time(hour + 12 if hour < 7 else hour, 30 if g["past"].lower() == "half" else 15)
    if g["hbare"]:
        hour = int(g["hbare"])
        if 13 <= hour <= 23:
            return dt.time(hour)  # "at 14": a 24-hour clock
        if not 1 <= hour <= 12:
            return None
        # "at 3" in a work chat means 3pm; "at 7" and "at 9" mean the morning.
        return dt.time(hour + 12 if hour < 7 else hour)
    return _WORD_TIMES[g["word"].lower()]


def _overlaps(span: tuple[int, int], spans: list[tuple[int, int]]) -> bool:
    return any(span[0] < end and start < span[1] for start, end in spans)


# Where the Americas write the day first ("1/6" is June 1st): Latin America and the
# Caribbean, unlike the United States and Canada.
_DAY_FIRST_AMERICAS = frozenset((
    "Argentina", "Sao_Paulo", "Bahia", "Fortaleza", "Recife", "Belem", "Manaus", "Cuiaba",
    "Campo_Grande", "Porto_Velho", "Boa_Vista", "Rio_Branco", "Maceio", "Araguaina", "Santarem",
    "Noronha", "Mexico_City", "Monterrey", "Merida", "Cancun", "Chihuahua", "Mazatlan",
    "Hermosillo", "Tijuana", "Matamoros", "Ojinaga", "Bahia_Banderas", "Bogota", "Lima",
    "Santiago", "Punta_Arenas", "Asuncion", "Montevideo", "Caracas", "La_Paz", "Guayaquil",
    "Panama", "Costa_Rica", "Guatemala", "El_Salvador", "Tegucigalpa", "Managua", "Havana",
    "Santo_Domingo", "Paramaribo", "Cayenne", "Guyana"))


def month_first(tz: str) -> bool:
    """Whether people in zone `tz` write the month first ("3/4" is March 4th)."""
    parts = tz.split("/")
    return parts[0] == "America" and len(parts) > 1 and parts[1] not in _DAY_FIRST_AMERICAS


def find_when(text: str, now: dt.datetime, *, future: bool = True, us: bool = True) -> When:
    """The first date (and time) said in `text`; `future` picks the next such day, else the last.

    `us` reads 3/4 as March 4 (else 3 April). Words that look like a day but are
    not one ("blursday") are reported in `unparsed`, never guessed.
    """
    when = When()
    matches = list(_DATE_RE.finditer(text))
    for i, m in enumerate(matches):
        if when.day is not None or when.moment is not None:
            break
        found = _resolve(m, now, future, us)
        if found is not None:
            when.day, when.moment = found.day, found.moment
            when.time = found.time
            when.spans.append(m.span())
            nxt = matches[i + 1] if i + 1 < len(matches) else None
            if m.group("eod") and nxt is not None and not text[m.end():nxt.start()].strip():
                # "EOD tomorrow", "EOD Thursday": 17:00 on that day.
                day = _resolve(nxt, now, future, us)
                if day is not None and day.day is not None:
                    when.day = day.day
                    when.spans.append(nxt.span())
            elif nxt is not None and nxt.group("eod") and when.day is not None and \
                    not text[m.end():nxt.start()].strip():
                when.time = END_OF_DAY  # "tomorrow EOD"
                when.spans.append(nxt.span())
    found = [(m, clock) for m in _TIME_RE.finditer(text)
             if not (_overlaps(m.span(), when.spans) and not m.group("word"))
             and (clock := _resolve_time(m)) is not None]
    if found and when.moment is None:
        m, clock = found[0]
        when.spans.append(m.span())
        if when.time is None or m.group("word") is None:
            when.time = clock
        nxt = found[1][0] if len(found) > 1 else None
        if nxt is not None and not _CLOCK_JOIN.fullmatch(text[m.end():nxt.start()]):
            nxt = None
        if nxt is not None and bool(m.group("word")) != bool(nxt.group("word")):
            # "at 7:30 in the morning", "tonight at nine thirty": the clock, in that half
            said_clock, part = (nxt, m) if m.group("word") else (m, nxt)
            said = _in_half_of_day(said_clock, part.group("word").lower())
            if said is not None:
                when.time = said
                when.spans.append(nxt.span())
    if when.time is not None and when.day is None and when.moment is None:
        # A bare time is today if not yet past (the very minute counts as today), else
        # tomorrow (future) / today (past).
        when.day = now.date()
        if future and dt.datetime.combine(when.day, when.time) < now.replace(second=0,
                                                                              microsecond=0):
            when.day += dt.timedelta(days=1)
    if when.day is None and when.moment is None:
        _fallback(text, now, future, when)
    return when


# "Q2 Holdings" is a company, not a quarter.
_NOT_A_COMPANY = r"(?!\s+(?-i:(?=[A-Z]))(?:" + "|".join(sorted(COMPANY_WORDS)) + r")\b)"
# A close date said as a period: "closing next month", "close in March", "Q2".
_CLOSE_PERIOD_RE = re.compile(
    r"\b(?:(?P<rel>this|next|the next|current)\s+(?P<unit>month|quarter|year)"
    r"|(?:in|by|during|before|for|to|until)\s+(?:the end of\s+|end of\s+)?(?P<month>" + _MONTH_RE
    + r")(?!\s*\d{1,2}(?!\d)|\s+(?:the\s+)?" + ORDINAL_WORD + r"\b)(?:\s+(?P<year>\d{4}))?"
    r"|q(?P<q>[1-4])(?:\s*'?(?P<q_year>\d{4}|\d{2}))?)(?![\w'])" + _NOT_A_COMPANY,
    re.IGNORECASE,
)


def find_close_date(text: str, now: dt.datetime, *, us: bool = True) -> When:
    """A deal's close date: a named period means its last day ("next month" → the 30th),
    anything else resolves as a future date ("March 31", "in 2 weeks")."""
    when = find_when(text, now, future=True, us=us)
    m = _CLOSE_PERIOD_RE.search(text)
    if m is None or (when.spans and when.spans[0][1] <= m.start()):
        return when
    g, today = m.groupdict(), now.date()
    if g["unit"]:
        shift = 1 if "next" in g["rel"].lower() else 0
        unit = g["unit"].lower()
        if unit == "month":
            first = add_months(today.replace(day=1), shift)
            end = month_end(first.year, first.month)
        elif unit == "quarter":
            index = today.year * 4 + quarter_of(today) - 1 + shift
            end = quarter_period(index // 4, index % 4 + 1).end
        else:
            end = dt.date(today.year + shift, 12, 31)
    elif g["month"]:
        month = _month(g["month"])
        year = int(g["year"]) if g["year"] else today.year + (month < today.month)
        end = month_end(year, month)
    else:
        q = int(g["q"])
        if g["q_year"]:
            year = int(g["q_year"])
            year = year if year > 100 else 2000 + year
        else:
            year = today.year + (quarter_period(today.year, q).end < today)
        end = quarter_period(year, q).end
    spans = [m.span()] + [s for s in when.spans if not _overlaps(s, [m.span()])]
    return When(day=end, spans=spans)


def _fallback(text: str, now: dt.datetime, future: bool, when: When) -> None:
    """Try dateparser on loose phrases ("on 12.03.2027"); report what stays unknown."""
    for m in _LOOSE_DATE.finditer(text):
        if _ORDINAL_OF.match(m.group("phrase")):
            continue  # "on the 2nd year": no date to look for
        parsed = _dateparser(m.group("phrase"), now.replace(second=0, microsecond=0), future)
        if parsed is not None:
            when.day = parsed.date()
            when.spans.append(m.span())
            return
    for m in _DAYISH.finditer(text):
        word = m.group(0).lower()
        if word in _NOT_DATES:
            continue
        near = [w for w in WEEKDAYS if w[0] == word[0] and OSA.distance(word, w) <= 2]
        if near:
            when.day = _weekday_date({"wd": near[0], "wd_mod": None, "wd_week": None},
                                     now.date(), future)
            when.spans.append(m.span())
            return
        when.unparsed = m.group(0)
        when.spans.append(m.span())
        return


@lru_cache(maxsize=512)
def _dateparser(phrase: str, now: dt.datetime, future: bool) -> dt.datetime | None:
    import dateparser  # slow to import; most messages never need it

    settings = {
        "RELATIVE_BASE": now,
        "PREFER_DATES_FROM": "future" if future else "past",
        "RETURN_AS_TIMEZONE_AWARE": False,
        "STRICT_PARSING": False,
    }
    try:
        return dateparser.parse(phrase, languages=["en"], settings=settings)
    except Exception:  # dateparser raises assorted errors on odd input
        return None


# ---- periods -----------------------------------------------------------------------

# "Q2 Holdings" is a company, not a quarter.
_NOT_A_COMPANY = r"(?!\s+(?-i:[A-Z])(?:" + "|".join(sorted(COMPANY_WORDS)) + r")\b)"
_PERIOD_RE = re.compile(
    r"(?:\b(?:in|during|for|over|from|of)\s+)?(?:"
    r"\b(?P<rel>this|current|last|previous|past|next|the last|the past|the next) "
    r"(?P<unit>week|month|quarter|year)\b"
    # "total won for the month": this one
    r"|\bthe (?P<unit2>month|quarter|year)\b(?! (?:of|before|after|ending|end))"
    # "the first half of this year", "H2 2026"
    r"|\b(?P<half>first|second|1st|2nd) half(?: of)?(?: (?P<half_rel>this|last|next) year|"
    r" (?P<half_year>20\d\d)| the year)?\b|\bh(?P<h>[12])(?:\s*(?P<h_year>20\d\d))?\b"
    r"|\b(?P<span_rel>next|last|past|previous|the next|the last|the past) (?P<span_n>\d+|"
    r"two|three|four|five|six|seven|ten|twelve|thirty) (?P<span_unit>day|week|month)s\b"
    r"|\b(?P<todate>ytd|year to date|mtd|month to date|qtd|quarter to date)\b"
    r"|\bq(?P<q>[1-4])(?:\s*(?:fy)?'?(?P<q_year>\d{4}|\d{2}))?\b" + _NOT_A_COMPANY +
    r"|\b(?P<month>" + _MONTH_RE.replace("|may|", "|") + r"|(?<=in )may)(?:\s+(?P<m_year>\d{4}))?\b"
    r"|\b(?P<year>20\d\d)\b"
    r"|\b(?P<today>today|yesterday)\b"
    r")",
    re.IGNORECASE,
)


def find_period(
    text: str, now: dt.datetime, *, past: bool = True
) -> tuple[Period, tuple[int, int]] | None:
    """The period said in `text` and its span; a bare month or quarter is the most recent
    one when `past`, else the next to come."""
    today = now.date()
    for m in _PERIOD_RE.finditer(text):
        period = _period(m.groupdict(), today, past)
        if period is not None:
            return period, m.span()
    return None


def _period(g: dict[str, str | None], today: dt.date, past: bool) -> Period | None:
    if g.get("unit2"):
        g = {**g, "unit": g["unit2"], "rel": "this"}
    if g.get("half") or g.get("h"):
        second = (g.get("h") or "") == "2" or (g.get("half") or "").lower() in ("second", "2nd")
        year = int(g.get("half_year") or g.get("h_year") or 0) or today.year + {
            "last": -1, "next": 1}.get((g.get("half_rel") or "").lower(), 0)
        if not (g.get("half_year") or g.get("h_year") or g.get("half_rel")) and past and \
                dt.date(year, 7 if second else 1, 1) > today:
            year -= 1  # "H2" asked about in March: the last one
        return Period(start=dt.date(year, 7 if second else 1, 1),
                      end=dt.date(year, 12 if second else 6, 31 if second else 30))
    if g["unit"]:
        rel = (g["rel"] or "").lower().replace("the ", "")
        shift = {"last": -1, "previous": -1, "past": -1, "next": 1}.get(rel, 0)
        unit = (g["unit"] or "").lower()
        if unit == "week":
            start = week_start(today) + dt.timedelta(weeks=shift)
            return Period(start=start, end=start + dt.timedelta(days=6))
        if unit == "month":
            first = add_months(today.replace(day=1), shift)
            return Period(start=first, end=month_end(first.year, first.month))
        if unit == "quarter":
            index = today.year * 4 + quarter_of(today) - 1 + shift
            return quarter_period(index // 4, index % 4 + 1)
        year = today.year + shift
        return Period(start=dt.date(year, 1, 1), end=dt.date(year, 12, 31))
    if g["span_n"]:
        n = _count(g["span_n"] or "1")
        unit = (g["span_unit"] or "day").lower()
        # N days counting today: "the next 30 days" is today through today + 29.
        length = dt.timedelta(days=n * {"day": 1, "week": 7, "month": 30}[unit] - 1)
        if "next" in (g["span_rel"] or "").lower():
            return Period(start=today, end=today + length)
        return Period(start=today - length, end=today)
    if g["todate"]:
        kind = (g["todate"] or "y")[0].lower()
        if kind == "y":
            start = dt.date(today.year, 1, 1)
        elif kind == "m":
            start = today.replace(day=1)
        else:
            start = quarter_period(today.year, quarter_of(today)).start
        return Period(start=start, end=today)
    if g["q"]:
        q = int(g["q"])
        if g["q_year"]:
            year = int(g["q_year"])
            return quarter_period(year if year > 100 else 2000 + year, q)
        period = quarter_period(today.year, q)
        if past and period.start > today:
            return quarter_period(today.year - 1, q)
        if not past and period.end < today:
            return quarter_period(today.year + 1, q)
        return period
    if g["month"]:
        month = _month(g["month"] or "jan")
        if g["m_year"]:
            year = int(g["m_year"])
        elif past:
            year = today.year if month <= today.month else today.year - 1
        else:
            year = today.year if month >= today.month else today.year + 1
        return Period(start=dt.date(year, month, 1), end=month_end(year, month))
    if g["year"]:
        year = int(g["year"] or today.year)
        return Period(start=dt.date(year, 1, 1), end=dt.date(year, 12, 31))
    if g["today"]:
        day = today if (g["today"] or "").lower() == "today" else today - dt.timedelta(days=1)
        return Period(start=day, end=day)
    return None


def last_when(text: str, now: dt.datetime, *, us: bool = True) -> When:
    """The last day to come said in `text`, with its time: the event a reminder "a day
    before" counts back from ("demo next Wednesday at 11, remind me the day before")."""
    for m in reversed(list(_DATE_RE.finditer(text))):
        when = find_when(text[m.start():], now, future=True, us=us)
        if when.day is not None and when.day >= now.date() or when.moment is not None:
            return when
    return When()


def strip_spans(text: str, spans: list[tuple[int, int]]) -> str:
    """`text` without the given spans, spaces tidied."""
    merged: list[list[int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:  # overlapping spans would cut the wrong text
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    for start, end in reversed(merged):
        text = text[:start] + " " + text[end:]
    return " ".join(text.split())

