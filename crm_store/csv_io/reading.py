"""Reading an import file: decode it, map its headers, keep each row with its line number."""

from __future__ import annotations

import codecs
import csv
import io
import re
from collections.abc import Sequence
from pathlib import Path

from crm_store.csv_io.schema import (
    _BLANKS,
    FIELDS,
    IGNORE,
    REQUIRED,
    FileProblem,
    Row,
    RowError,
    Table,
)
from crm_store.vcard import looks_like_vcard, parse_vcards

# --- reading files ---------------------------------------------------------------------


def read_import_file(path: str | Path, *, entity: str, mapping: Sequence[str] = ()) -> Table:
    """The file's rows, mapped to the entity's fields; FileProblem when it cannot be used."""
    path = Path(path)
    text, notes = read_text(path)
    if path.suffix.lower() in (".vcf", ".vcard") or looks_like_vcard(text):
        if entity != "contacts":
            raise FileProblem(f"{path.name} is a vCard file, and vCards hold contacts: "
                              "import it as contacts")
        table = vcard_table(path.name, text)
    else:
        table = csv_table(path.name, text, entity=entity, mapping=mapping)
    table.notes[:0] = notes
    return table


def read_text(path: Path) -> tuple[str, list[str]]:
    """The file's text and notes on how it was decoded; FileProblem when it is not text."""
    if not path.exists():
        raise FileProblem(f"{path}: no such file")
    if path.is_dir():
        raise FileProblem(f"{path} is a directory; give the path of a .csv or .vcf file")
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise FileProblem(f"cannot read {path}: {exc.strerror or exc}") from None
    return decode(data, path.name)


def decode(data: bytes, name: str) -> tuple[str, list[str]]:
    """UTF-8 (with or without a BOM), or UTF-16/32 when a byte-order mark says so."""
    boms = ((codecs.BOM_UTF32_LE, "UTF-32"), (codecs.BOM_UTF32_BE, "UTF-32"),
            (codecs.BOM_UTF16_LE, "UTF-16"), (codecs.BOM_UTF16_BE, "UTF-16"))
    for bom, label in boms:
        if data.startswith(bom):
            try:
                text = data.decode(label.lower())
            except UnicodeDecodeError:
                raise FileProblem(f"{name} starts like {label} text but is not valid {label}; "
                                  "save it as UTF-8 and import again") from None
            # A byte-order mark makes the encoding certain, so reading it cannot garble.
            return _nonempty(text, name), [f"{name} is {label} text (it has a byte-order "
                                           "mark); read it as such"]
    if data.startswith(b"PK\x03\x04"):
        raise FileProblem(f"{name} looks like a spreadsheet workbook (.xlsx), not CSV text; "
                          "save it as CSV UTF-8 and import that")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise FileProblem(_not_utf8(data, name, exc)) from None
    if "\x00" in text:
        # NUL bytes are valid UTF-8, but no CSV has them: UTF-16 without a BOM, or binary.
        raise FileProblem(_not_utf8(data, name, None))
    return _nonempty(text, name), []


def _nonempty(text: str, name: str) -> str:
    if not text.strip():
        raise FileProblem(f"{name} is empty")
    return text


def _not_utf8(data: bytes, name: str, exc: UnicodeDecodeError | None) -> str:
    head = data[:4096]
    if head.count(b"\x00") > len(head) // 4:
        looks = "like UTF-16 without a byte-order mark"
    elif exc is None:
        looks = "like a binary file: it contains NUL bytes"
    else:
        line = data.count(b"\n", 0, exc.start) + 1
        byte = data[exc.start]
        shown = bytes([byte]).decode("cp1252", "replace")
        looks = (f"like Windows-1252/Latin-1: line {line} has the byte 0x{byte:02X}, "
                 f"'{shown}' in that encoding")
    return (f"{name} is not UTF-8 text (looks {looks}); save it as UTF-8 "
            "(in Excel: Save As → CSV UTF-8) and import again")


def csv_table(name: str, text: str, *, entity: str, mapping: Sequence[str] = ()) -> Table:
    """Rows of CSV text keyed by field; the delimiter (, ; or tab) is taken from the header."""
    # strict: an unclosed quote is an error, not a field that swallows the rest of the file
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text), strict=True)
    rows: list[Row] = []
    errors: list[RowError] = []
    start = 1
    try:
        header = next((cells for cells in reader if any(c.strip() for c in cells)), None)
        if header is None:
            raise FileProblem(f"{name} is empty")
        header = [h.strip() for h in header]
        columns, notes = map_headers(entity, header, mapping, name=name)
        start = reader.line_num + 1
        for cells in reader:
            line, start = start, reader.line_num + 1
            if not any(c.strip() for c in cells):
                continue
            if any(c.strip() for c in cells[len(header):]):
                errors.append(RowError(line, f"has {len(cells)} cells but the header has "
                                             f"{len(header)}; does a value contain a "
                                             "delimiter without quotes?"))
                continue
            values = {f: v for f, i in columns.items()
                      if i < len(cells) and (v := _clean(cells[i]))}
            cells = [c.strip() for c in cells[:len(header)]]
            rows.append(Row(line, _full_name(values), tuple(cells)))
    except csv.Error as exc:
        if "unexpected end of data" in str(exc):
            raise FileProblem(f"{name} line {start}: a quoted value that starts on this row is "
                              'never closed (an unmatched ")') from None
        raise FileProblem(f"{name} line {reader.line_num} cannot be read as CSV: {exc}") from None
    if not rows and not errors:
        raise FileProblem(f"{name} has a header but no rows to import")
    shown = {f: header[i] for f, i in columns.items()}
    if "name" not in shown and {"first_name", "last_name"} & set(shown):
        shown["name"] = " + ".join(shown[f] for f in ("first_name", "last_name") if f in shown)
    return Table(name, rows, shown, notes, errors)


def _full_name(values: dict[str, str]) -> dict[str, str]:
    """First and last name columns joined into a name when there is no name column."""
    parts = [values[f] for f in ("first_name", "last_name") if f in values]
    if "name" not in values and parts:
        values["name"] = " ".join(parts)
    return values


def _delimiter(text: str) -> str:
    first = text.lstrip("\ufeff").split("\n", 1)[0]
    counts = {d: first.count(d) for d in (",", ";", "\t")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ","


def _clean(cell: str) -> str:
    cell = cell.strip()
    return "" if cell.lower() in _BLANKS else cell


def norm(header: str) -> str:
    """A header or label reduced to lower-case letters and digits, for matching."""
    return re.sub(r"[^0-9a-z]", "", header.lower())


def map_headers(entity: str, header: Sequence[str], mapping: Sequence[str] = (), *,
                name: str = "the file") -> tuple[dict[str, int], list[str]]:
    """Field → column index for the header, with --map overrides, and notes for the user."""
    fields = FIELDS[entity]
    synonyms = {norm(s): f for f, names in fields.items() for s in (f, *names)}
    explicit = _parse_mapping(entity, header, mapping, name)
    columns: dict[str, int] = {f: i for i, f in explicit.items() if f != IGNORE}
    notes, ignored = [], []
    for i, head in enumerate(header):
        if not head or i in explicit:
            continue
        fld = synonyms.get(norm(head))
        if fld is None:
            ignored.append(head)
        elif fld in columns:
            notes.append(f"column '{head}' also looks like {fld}; used "
                         f"'{header[columns[fld]]}' (choose with --map)")
        else:
            columns[fld] = i
    if ignored:
        notes.append("ignored columns: " + ", ".join(f"'{h}'" for h in ignored))
    if not any(f in columns for f in REQUIRED[entity]):
        wanted = REQUIRED[entity][0]
        examples = ", ".join(fields[wanted][:3])
        found = ", ".join(f"'{h}'" for h in header if h) or "none"
        raise FileProblem(f"{name} has no {wanted} column (looked for {examples}); the headers "
                          f"found are {found}. Name the column with --map 'HEADER={wanted}'")
    return columns, notes


def _parse_mapping(entity: str, header: Sequence[str], mapping: Sequence[str],
                   name: str) -> dict[int, str]:
    known = {norm(f): f for f in FIELDS[entity]}
    index = {}
    for i, head in enumerate(header):
        index.setdefault(norm(head), i)
    explicit: dict[int, str] = {}
    for item in mapping:
        head, eq, target = item.rpartition("=")
        if not eq or not head.strip():
            raise FileProblem(f"--map '{item}' should look like 'CSV Header=field'")
        fld = IGNORE if norm(target) in ("", IGNORE, "skip") else known.get(norm(target))
        if fld is None:
            raise FileProblem(f"--map '{item}': {entity} have no field '{target.strip()}'; "
                              f"the fields are {', '.join(FIELDS[entity])} (or ignore)")
        if norm(head) not in index:
            found = ", ".join(f"'{h}'" for h in header if h)
            raise FileProblem(f"--map '{item}': {name} has no column '{head.strip()}'; "
                              f"its headers are {found}")
        explicit[index[norm(head)]] = fld
    return explicit


def vcard_table(name: str, text: str) -> Table:
    """The cards of a vCard file as contact rows, each at the line of its BEGIN:VCARD."""
    rows = []
    for card in parse_vcards(text):
        values = {"name": card.name, "email": card.emails[0] if card.emails else None,
                  "phone": card.phones[0] if card.phones else None, "title": card.title,
                  "account": card.org}
        values = {k: v for k, v in values.items() if v}
        rows.append(Row(card.line, values, tuple(f"{k}={v}" for k, v in sorted(values.items()))))
    if not rows:
        raise FileProblem(f"{name} has no BEGIN:VCARD … END:VCARD cards")
    columns = {"name": "FN", "email": "EMAIL", "phone": "TEL", "title": "TITLE", "account": "ORG"}
    return Table(name, rows, columns)
