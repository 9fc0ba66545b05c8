"""vCard 2.1/3.0/4.0 parsing: the contact fields salesbot keeps, from one or many cards.

Pure text in, small dataclasses out. Folded lines (a line break followed by a space
or tab) are joined first, as are quoted-printable soft breaks of vCard 2.1.
"""

from __future__ import annotations

import quopri
import re
from dataclasses import dataclass, field

from crm_store.errors import BadInput


class VCardError(BadInput):
    """The text is not a well-formed series of vCards; the message names the line."""


@dataclass
class VCard:
    """One card: where it starts in the file and the fields a contact can use."""

    line: int
    name: str | None = None
    org: str | None = None
    title: str | None = None
    emails: list[str] = field(default_factory=list)
    phones: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class _Property:
    line: int
    name: str
    params: dict[str, list[str]]
    value: str


def looks_like_vcard(text: str) -> bool:
    """True when the text starts with BEGIN:VCARD (after blank lines)."""
    return text.lstrip("\ufeff \t\r\n")[:11].upper() == "BEGIN:VCARD"


def parse_vcards(text: str) -> list[VCard]:
    """Every card in the text, in order; VCardError for a broken BEGIN/END structure."""
    cards: list[VCard] = []
    current: VCard | None = None
    preferred: dict[str, bool] = {}
    for prop in _properties(text):
        if prop.name == "BEGIN" and prop.value.strip().upper() == "VCARD":
            if current is not None:
                raise VCardError(f"line {prop.line}: BEGIN:VCARD before the card that starts "
                                 f"on line {current.line} has its END:VCARD")
            current, preferred = VCard(line=prop.line), {}
        elif prop.name == "END" and prop.value.strip().upper() == "VCARD":
            if current is None:
                raise VCardError(f"line {prop.line}: END:VCARD without a BEGIN:VCARD")
            cards.append(current)
            current = None
        elif current is not None:
            _apply(current, prop, preferred)
        else:
            raise VCardError(f"line {prop.line}: '{prop.name}' is outside any BEGIN:VCARD … "
                             "END:VCARD card")
    if current is not None:
        raise VCardError(f"the card that starts on line {current.line} has no END:VCARD")
    return cards


def _apply(card: VCard, prop: _Property, preferred: dict[str, bool]) -> None:
    value = prop.value
    if prop.name == "FN":
        card.name = _unescape(value).strip() or card.name
    elif prop.name == "N" and not card.name:
        card.name = _name_from_n(value)
    elif prop.name == "ORG":
        card.org = _unescape(_split(value)[0]).strip() or None
    elif prop.name == "TITLE":
        card.title = _unescape(value).strip() or None
    elif prop.name in ("EMAIL", "TEL"):
        item = _unescape(value).strip()
        if prop.name == "TEL" and item.lower().startswith("tel:"):
            item = item[4:]
        if not item:
            return
        items = card.emails if prop.name == "EMAIL" else card.phones
        # The first preferred value wins; otherwise the first one in the card.
        if _is_preferred(prop.params) and not preferred.get(prop.name):
            preferred[prop.name] = True
            items.insert(0, item)
        else:
            items.append(item)


def _name_from_n(value: str) -> str | None:
    # N is Family;Given;Additional;Prefixes;Suffixes.
    parts = [_unescape(p).strip() for p in _split(value)] + [""] * 5
    family, given, additional, prefix, suffix = parts[:5]
    name = " ".join(p for p in (prefix, given, additional, family, suffix) if p)
    return name or None


def _is_preferred(params: dict[str, list[str]]) -> bool:
    types = {t.lower() for t in params.get("TYPE", [])}
    return "pref" in types or "PREF" in params


def _properties(text: str) -> list[_Property]:
    props = []
    for line_no, line in _unfolded(text):
        if not line.strip():
            continue
        head, sep, value = _split_head(line)
        if not sep:
            raise VCardError(f"line {line_no}: '{line[:40]}' is not a NAME:value line")
        name, params = _parse_head(head)
        if "QUOTED-PRINTABLE" in (v.upper() for v in params.get("ENCODING", [])):
            charset = (params.get("CHARSET") or ["utf-8"])[0]
            value = quopri.decodestring(value.encode("latin-1", "replace")).decode(
                charset, "replace")
        props.append(_Property(line_no, name, params, value))
    return props


def _unfolded(text: str) -> list[tuple[int, str]]:
    """Logical lines with the file line each starts on."""
    lines: list[tuple[int, str]] = []
    for number, raw in enumerate(text.lstrip("\ufeff").splitlines(), start=1):
        if raw[:1] in (" ", "\t") and lines:
            start, previous = lines[-1]
            lines[-1] = (start, previous + raw[1:])
        elif lines and _soft_break(lines[-1][1]):
            start, previous = lines[-1]
            lines[-1] = (start, previous[:-1] + raw)
        else:
            lines.append((number, raw))
    return lines


def _soft_break(line: str) -> bool:
    # vCard 2.1 quoted-printable values continue on the next line after a trailing '='.
    head, _, _ = _split_head(line)
    return line.endswith("=") and "QUOTED-PRINTABLE" in head.upper()


def _split_head(line: str) -> tuple[str, str, str]:
    """Split at the first colon that is not inside a quoted parameter value."""
    quoted = False
    for i, ch in enumerate(line):
        if ch == '"':
            quoted = not quoted
        elif ch == ":" and not quoted:
            return line[:i], ":", line[i + 1:]
    return line, "", ""


def _parse_head(head: str) -> tuple[str, dict[str, list[str]]]:
    parts = head.split(";")
    name = parts[0].rsplit(".", 1)[-1].strip().upper()  # drop a group prefix like item1.
    params: dict[str, list[str]] = {}
    for part in parts[1:]:
        key, eq, val = part.partition("=")
        if not eq:  # vCard 2.1 bare parameters: TEL;WORK;PREF:...
            key, val = ("ENCODING", key) if key.upper() == "QUOTED-PRINTABLE" else ("TYPE", key)
        values = [v.strip().strip('"') for v in val.split(",")]
        params.setdefault(key.strip().upper(), []).extend(values)
    return name, params


def _split(value: str) -> list[str]:
    """Components of a structured value, split at unescaped semicolons."""
    return re.split(r"(?<!\\);", value)


def _unescape(value: str) -> str:
    return re.sub(r"\\([nN,;\\])",
                  lambda m: "\n" if m.group(1) in "nN" else m.group(1), value)
