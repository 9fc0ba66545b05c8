"""Amounts of money as people around the world write them.

`entities.find_money` reads "$50k", "1.2M", "64,500 €"; this adds what it misses:
Indian numbering and words ("₹38,00,000", "45 lakhs", "2 crore"), a currency code or
symbol before or after the number ("SGD 420k", "250k AUD", "R1.2m", "₹5L"). The span
covers the currency code so that it never reads as a name.
"""

from __future__ import annotations

import re

from bot.nlu import entities

# ISO codes and the one-letter symbols that stand before a number ("R1.2m" is rand).
_CODES = (r"usd|eur|gbp|aud|nzd|cad|sgd|hkd|inr|rs\.?|zar|jpy|cny|rmb|chf|sek|nok|dkk|"
          r"aed|sar|myr|idr|php|thb|brl|mxn|pln|czk|huf|krw|twd|ils|try|kes|ngn|zł|kr|kč|lei|"
          r"clp|cop|ars|pen|vnd|egp|qar|kwd|tl|rp|rm|ron|bgn|huf|omr|jod|"
          # West and Central Africa's francs, Morocco's and the Emirates' dirhams
          r"fcfa|f\s?cfa|cfa|xof|xaf|mad|dhs?|dirhams?|dzd|tnd|bhd|d'euros|euros?|"
          # said in words, as in a voice note: "a hundred and twenty thousand Singapore dollars"
          r"(?:singapore|australian|aussie|us|u\.s\.|canadian|new zealand|nz|hong kong|hk) "
          r"dollars?|dollars?|pounds?|rupees?|shekels?|zlot(?:y|ys|ych)|kronor|kroner")
_SYMBOL = r"[$€£₹¥₩₦₪₱₺]|(?:[A-Z]{0,2}\$)|R(?=\s?\d)|[uU]\$[sSdD]"  # ("u$s": Argentine dollars)
_SCALE = {"k": 1e3, "thousand": 1e3, "grand": 1e3, "teur": 1e3, "tsd": 1e3, "m": 1e6, "mm": 1e6,
          "mn": 1e6, "mill": 1e6, "mln": 1e6,
          "mil": 1e6, "mio": 1e6, "million": 1e6, "b": 1e9, "bn": 1e9, "billion": 1e9,
          "l": 1e5, "lac": 1e5, "lacs": 1e5, "lakh": 1e5, "lakhs": 1e5,
          "cr": 1e7, "crore": 1e7, "crores": 1e7,
          # as Portuguese, Spanish, Turkish and Indonesian say them
          "milhão": 1e6, "milhões": 1e6, "millón": 1e6, "millon": 1e6, "millones": 1e6,
          "milyon": 1e6, "juta": 1e6, "ribu": 1e3,
          # Indonesian, Turkish, Italian, Polish, Czech, German, Vietnamese and Swedish
          "jt": 1e6, "rb": 1e3, "miliar": 1e9, "milyar": 1e9, "miliardi": 1e9, "miliardo": 1e9,
          "miliard": 1e9, "mld": 1e9, "mrd": 1e9, "bln": 1e9, "tys": 1e3, "tis": 1e3,
          "tỷ": 1e9, "triệu": 1e6, "trieu": 1e6, "nghìn": 1e3, "ngàn": 1e3,
          "mkr": 1e6, "msek": 1e6, "mnok": 1e6, "mdkk": 1e6, "meur": 1e6,
          # French: "2,5 millions d'euros", "1,2 milliard de FCFA", "M€"
          "millions": 1e6, "milliard": 1e9, "milliards": 1e9, "mds": 1e9, "mi": 1e6,
          "mila": 1e3, "milioni": 1e6, "milione": 1e6}  # Italian: "75 mila euro"
# longest first, so "mln" is not read as "m" ("l" only where a word ends: see `_MONEY`)
_SCALE_RE = "(?:" + "|".join(sorted(_SCALE, key=len, reverse=True)) + ")"
# "mil" is a thousand where Portuguese and Spanish are spoken ("R$ 300 mil"), a million
# in English slang ("$2 mil")
_MIL_IS_THOUSAND = frozenset({"r$", "brl", "mxn", "clp", "cop", "ars", "pen", "mx$", "euros", "€"})
# Indian groups ("38,00,000"), European ones ("75.000,00", "1,2m") and the rest.
# ... and groups of three split by spaces ("600 000 PLN", "1 100 000 zł"), as much of Europe
# writes them.
_NUMBER = (r"\d{1,3}(?:[ \u00a0\u202f]\d{3})+(?!\d|[.,]\d)"
           r"|\d{1,3}(?:,\d{2})+,\d{3}|\d{1,3}(?:\.\d{3})+(?:,\d{1,2})?(?![\d.])"
           r"|\d+,\d{1,2}(?![\d,])|\d[\d,]*(?:\.\d+)?")
_MONEY = re.compile(
    rf"(?<![\w.])(?:(?P<pre>{_SYMBOL}|(?:{_CODES}))\s?)?"
    rf"(?<![\d.,])(?P<num>{_NUMBER})\s?(?P<scale>{_SCALE_RE})?\b"
    rf"(?:\s?(?P<post>\b(?:{_CODES})\b|[€£₹]|\$(?!\w)))?",
    re.IGNORECASE,
)
# A plain number is money only with a currency or a lakh/crore scale here; the rest
# ("40k", "$50k") is left to `entities.find_money`.
_INDIAN = re.compile(r"^\d{1,3}(?:,\d{2})+,\d{3}$")


def find_money(text: str) -> tuple[float, tuple[int, int]] | None:
    """The first amount of money in `text` and its span, currency code included; the
    total of a sum worked out in the message ("340 x $35/mo x 36 = $428,400")."""
    total = _TOTAL.search(text)
    if total is not None:
        found = _first_money(text[total.end():])
        if found is not None:
            value, (start, end) = found
            return value, (start + total.end(), end + total.end())
    found = _first_money(text)
    # "forty terminals at $200 each, so about $8k": the price of one is not the deal's; nor
    # is the amount it was ("went up from 25 lakh to 32 lakh", "142k → 158k")
    while found is not None and (_EACH.match(text, found[1][1])
                                 or _PER_UNIT.match(text, found[1][1])
                                 or _a_former_amount(text, found[1])
                                 or _measured(text, found[1])):
        at = found[1][1]
        later = _first_money(text[at:])
        if later is None:
            # "says $0.09/sqft is the going rate": a unit's price alone is no deal's amount;
            # "about 18k square metres of roof" is no amount at all
            return None if _PER_UNIT.match(text, at) or _measured(text, found[1]) else found
        found = (later[0], (later[1][0] + at, later[1][1] + at))
    if found is not None and (recurring := _RECURRING.match(text, found[1][1])) is not None:
        found = (found[0], (found[1][0], recurring.end()))  # "$120k ARR": the amount's words
    return found


_RECURRING = re.compile(r"\s*(?:arr|mrr|acv|tcv|p\.a\.|per annum|annual(?:ly)?)\b", re.IGNORECASE)


# "18k square metres", "250k kWh", "40k units": a quantity, not money
_MEASURED = re.compile(r"\s*(?:square|sq\.?\s?(?:ft|m|feet|metres|meters)|sqft|sqm|m2|m²|"
                       r"ft2|"
                       r"kwh?|mwh?|kilowatts?|megawatts?|kw|tons?|tonnes?|units|pieces|pcs|"
                       r"seats|users|licen[cs]es|pallets|trucks|vehicles|doors|beds|rooms|"
                       r"employees|staff|people|litres|liters|gallons|miles|km|kilometres|"
                       r"feet|metres|meters|acres|hectares|boxes|cases|cartons|panels|"
                       r"bottles|cans|bags|gallons|sheets|visits|impressions|leads)\b",
                       re.IGNORECASE)
def _measured(text: str, span: tuple[int, int]) -> bool:
    """A number with no currency, said of a quantity ("18k square metres")."""
    return _MEASURED.match(text, span[1]) is not None and \
        not re.search(r"[$€£₹¥₩₦₪₱₺]|[A-Za-z]{3}\s?\d", text[span[0]:span[1]])


# "$0.09/sqft", "$45 per hour", "$200 each": the price of one unit, no deal's amount alone
_PER_UNIT = re.compile(r"\s*(?:each|apiece|(?:/\s*|per\s+|an?\s+)"
                       r"(?:sq\.?\s?ft|sqft|sf|sq\.?\s?m|sqm|m2|m²|ft|hr|hour|kg|lb|ton|tonne|"
                       r"piece|unit|visit|clean|room|head|desk|litre|liter|gallon|mile|km))\b",
                       re.IGNORECASE)
_EACH = re.compile(r"\s*(?:each|apiece|per\b|/\s*(?:mo|month|yr|year|user|seat|unit|license)\b|"
                   r"a (?:month|year|seat|user|unit|piece|license)\b)", re.IGNORECASE)


def _a_former_amount(text: str, span: tuple[int, int]) -> bool:
    """The amount at `span` is the one before the amount it became ("from 40k to 55k")."""
    became = _BECAME.match(text, span[1])
    return became is not None and (became.group("to") is None
                                   or _FROM.search(text, 0, span[0]) is not None)


_BECAME = re.compile(r"\s*(?:moved to|->|\u2192)\s*(?=\S)|\s+(?P<to>to)\s+(?=\S)", re.IGNORECASE)
_FROM = re.compile(r"\bfrom\s+$", re.IGNORECASE)
_TOTAL = re.compile(r"=\s*(?=[^\s\d]{0,3}\s?\d)")


def _first_money(text: str) -> tuple[float, tuple[int, int]] | None:
    for m in _MONEY.finditer(text):
        pre, post, scale = m.group("pre"), m.group("post"), (m.group("scale") or "").lower()
        if scale == "l" and not (pre or post):
            continue  # "5 l" of something is not money
        # "value 240 000": a figure named as the deal's needs no currency to be money
        named = _NAMED_AMOUNT.search(text, 0, m.start()) is not None and \
            re.search(r"\d\s\d", m.group("num")) is not None
        if not (pre or post or named or scale in _INDIAN_SCALES or scale in _OTHER_SCALES
                or _INDIAN.match(m.group("num"))):
            continue
        if pre and pre.isalpha() and pre.upper() == "R" and not pre.isupper():
            continue  # "r" alone is a typo, not rand
        num = _plain_number(m.group("num"), said_currency=bool(pre or post or named), scale=scale)
        if num is None:
            continue
        thousand = (pre or post or "").lower() in _MIL_IS_THOUSAND or (
            scale == "mil" and not pre and not post and _plain_float(m.group("num")) >= 10) or \
            _MONEY_NAMED.match(text, m.end()) or (  # "95 mil euros", "300 mil reais"
                scale == "mil" and pre != "$" and _IBERIAN.search(text))  # "un deal de 240 mil",
        # "USD 230 mil para Grupo Bimbo"; "$2 mil" alone stays English slang
        factor = 1e3 if scale == "mil" and thousand else _SCALE.get(scale, 1)
        try:
            value = float(num) * factor
        except ValueError:
            continue
        start = m.start("pre") if pre else m.start("num")
        end = m.end("post") if post else m.end("scale") if scale else m.end("num")
        older = entities.find_money(text)
        if older is not None and older[1][1] <= start:
            return older  # an amount said earlier wins
        if older is not None and older[1][0] < end and not _special(m):
            return older
        return value, (start, end)
    older = entities.find_money(text)
    return older if older is None or older[0] > 0 else None  # "000 €" of a split figure


def _plain_float(said: str) -> float:
    """ "45" of "45 mil" (no currency said: forty-five million deals are rare, forty-five
    thousand is how Spanish and Portuguese say it)."""
    try:
        return float(said.replace(",", "."))
    except ValueError:
        return 0.0


# Words of a Spanish or Portuguese sentence, where "mil" is a thousand
_IBERIAN = re.compile(r"(?<![\w.@/-])(?:reais|pesos|um|uma|una|não|nao|cria|crie|criar|crea|"
                      r"de|para|da|do|a(?= \d[\d.,]*\s?mil\s*(?:$|[,.;!?]))|"
                      r"crear|el|los|las|pra|com|con|que|y|é|está|esta|valor|monto|importe|"
                      r"negócio|negocio|oportunidad|oportunidade|cotización|orçamento|"
                      r"propuesta|proposta)(?![\w.-])", re.I)
_MONEY_NAMED = re.compile(r"\s*(?:euros|pesos|reais|soles|d[oó]lares|libras|francos)\b", re.I)
_NAMED_AMOUNT = re.compile(r"\b(?:value|amount|worth|budget|price|fee|deal size|total)\W*$", re.I)


def _special(m: re.Match[str]) -> bool:
    """True when `entities.find_money` would misread this amount or cut its currency."""
    pre, post, scale = m.group("pre") or "", m.group("post") or "", m.group("scale") or ""
    return bool(_INDIAN.match(m.group("num")) or _EUROPEAN.fullmatch(m.group("num"))
                or re.search(r"\d\s\d", m.group("num"))
                or scale.lower() in _INDIAN_SCALES | _OTHER_SCALES
                or (pre and pre not in "$€£") or (post and post not in "€£"))


_INDIAN_SCALES = frozenset({"l", "lakh", "lakhs", "lac", "lacs", "crore", "crores", "cr"})
# Scales `entities.find_money` does not know: money even without a currency.
_OTHER_SCALES = frozenset(_SCALE) - _INDIAN_SCALES - {"k", "thousand", "grand", "m", "mm",
                                                       "million", "b", "bn"}
_EUROPEAN = re.compile(r"\d{1,3}(?:\.\d{3})+(?:,\d{1,2})?|\d+,\d{1,2}")


def _plain_number(said: str, *, said_currency: bool, scale: str) -> str | None:
    """The digits of a number as Python reads them, or None when it cannot be money."""
    if re.fullmatch(r"\d{1,3}(?:\.\d{3})+(?:,\d{1,2})?", said):
        if not said_currency:
            return None  # "1.500" alone may be a version or a decimal
        return said.replace(".", "").replace(",", ".")  # "75.000,00 €": European groups
    if re.fullmatch(r"\d+,\d{1,2}", said):
        # "€1,2m", "1,5 Mio": a decimal comma, with a scale to say so
        return said.replace(",", ".") if scale else None
    if re.fullmatch(r"\d{1,3}(?:[ \u00a0\u202f]\d{3})+", said):
        # "600 000 PLN": money only with its currency, else two numbers side by side
        return re.sub(r"\s", "", said) if said_currency or scale else None
    return said.replace(",", "")
