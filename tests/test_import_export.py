"""`salesbot import` / `salesbot export`: what a user sees, and what lands in the CRM."""

from __future__ import annotations

import codecs
import datetime as dt
import io
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import func, select

from bot import settings
from bot.cli import main
from bot.cli.data import progress_bar
from crm_store import csv_io
from crm_store.csv_io import (
    guess_day_first,
    map_headers,
    parse_amount,
    parse_date,
    parse_domain,
    parse_stage,
)
from crm_store.db import Database
from crm_store.errors import BadInput
from crm_store.models import (
    Account,
    ActivityKind,
    AuditEntry,
    Contact,
    Deal,
    DealStatus,
    Lifecycle,
    User,
)
from crm_store.services import accounts, activities, contacts, deals
from crm_store.vcard import VCardError, parse_vcards
from tests.conftest import make_user

STAGES = {k: k.title() for k in ("lead", "qualified", "demo", "proposal", "negotiation",
                                 "won", "lost")}


@dataclass
class Run:
    code: int
    out: str
    err: str


@pytest.fixture
def cli(database, monkeypatch, capsys):
    """Run `salesbot …` against the test database and capture what the user sees."""
    monkeypatch.setenv("DATABASE_URL", database.engine.url.render_as_string(hide_password=False))
    settings.get_settings.cache_clear()

    def run(*argv: str) -> Run:
        capsys.readouterr()
        code = main(list(argv))
        captured = capsys.readouterr()
        assert "Traceback" not in captured.err
        return Run(code, captured.out, captured.err)

    yield run
    settings.get_settings.cache_clear()


def write(tmp_path: Path, name: str, text: str, encoding: str = "utf-8") -> str:
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return str(path)


def count(database: Database, model) -> int:
    with database.session(readonly=True) as s:
        return s.scalar(select(func.count()).select_from(model))


def add_user(database: Database, name: str, email: str | None = None, team: str = "local") -> int:
    with database.session() as s:
        user = make_user(s, name, team_id=team)
        user.email = email
        return user.id


CONTACTS_CSV = """\
Full Name, E-MAIL ,Company,Job Title,Phone Number,Owner,Notes
Ana Ortiz,ana@acme.com,Acme,CEO,+1 555 0100,Sam Rivera,met at expo
Bo Li,BO@Globex.com,Globex,CTO,555-0101,sam@example.com,
Cy Young,cy@acme.com,ACME,,,,
"""


# --- contacts, accounts and deals -------------------------------------------------------


def test_import_contacts_maps_headers_and_finds_or_creates_accounts(cli, database, tmp_path):
    sam = add_user(database, "Sam Rivera", "sam@example.com")
    result = cli("import", "contacts", write(tmp_path, "contacts.csv", CONTACTS_CSV))

    assert result.code == 0
    assert "Imported contacts.csv: 3 created, 0 updated, 0 skipped" in result.out
    assert "2 new accounts" in result.out
    assert "ignored columns: 'Notes'" in result.err
    with database.session(readonly=True) as s:
        people = {c.email: c for c in s.scalars(select(Contact))}
        assert sorted(people) == ["ana@acme.com", "bo@globex.com", "cy@acme.com"]
        ana = people["ana@acme.com"]
        assert (ana.name, ana.title, ana.phone, ana.owner_id) == ("Ana Ortiz", "CEO",
                                                                  "+1 555 0100", sam)
        assert people["bo@globex.com"].owner_id == sam  # owner by email
        assert sorted(a.name for a in s.scalars(select(Account))) == ["Acme", "Globex"]
        assert people["cy@acme.com"].account_id == ana.account_id  # "ACME" is Acme
        # every write is audited, from the file, as the system import user
        entries = list(s.scalars(select(AuditEntry).where(AuditEntry.entity_type == "contact")))
        assert len(entries) == 3
        assert {e.source for e in entries} == {"import:contacts.csv"}
        system = s.scalar(select(User).where(User.slack_user_id == "USYSTEM"))
        assert system.role == "admin" and {e.actor_id for e in entries} == {system.id}
        assert len({e.batch for e in entries}) == 1  # one import, one undoable batch


def test_import_as_a_named_user_audits_them(cli, database, tmp_path):
    ana = add_user(database, "Ana Ortiz", "ana@example.com")
    path = write(tmp_path, "a.csv", "Name\nInitech\n")
    assert cli("import", "accounts", path, "--as", "ana@example.com").code == 0
    with database.session(readonly=True) as s:
        assert s.scalar(select(AuditEntry.actor_id)) == ana

    result = cli("import", "accounts", path, "--as", "Nobody Here")
    assert result.code == 1
    assert "no user 'Nobody Here' in this workspace" in result.err


def test_import_accounts_updates_existing_by_name_ignoring_case(cli, database, tmp_path):
    with database.session() as s:
        accounts.create_account(s, actor=None, team_id="local", name="Acme Corp")
    path = write(tmp_path, "accounts.csv",
                 "Company Name,Website,Industry\n"
                 "ACME CORP,https://www.acme.com/about,Manufacturing\n"
                 "Initech,initech.io,Software\n")

    result = cli("import", "accounts", path)

    assert result.code == 0, result.err
    assert "1 created, 1 updated, 0 skipped" in result.out
    with database.session(readonly=True) as s:
        rows = {a.name: (a.domain, a.industry) for a in s.scalars(select(Account))}
    assert rows == {"Acme Corp": ("acme.com", "Manufacturing"),
                    "Initech": ("initech.io", "Software")}


def test_import_deals_reads_amounts_stages_dates_and_owners(cli, database, tmp_path):
    sam = add_user(database, "Sam Rivera", "sam@example.com")
    with database.session() as s:
        acme = accounts.create_account(s, actor=None, team_id="local", name="Acme")
        contacts.create_contact(s, actor=None, team_id="local", name="Ana Ortiz",
                                email="ana@acme.com", account_id=acme.id)
    path = write(tmp_path, "deals.csv",
                 "Deal Name,Account,Amount,Stage,Close Date,Owner,Contact\n"
                 'Acme renewal,Acme,"$12,500",Closed Won,03/15/2026,sam@example.com,ana@acme.com\n'
                 'Globex pilot,Globex,"EUR 1.234,50",Demo Scheduled,2026-04-30,Sam,\n'
                 "Initech expansion,Initech,20k,proposal sent,15.05.2026,,\n"
                 "Hooli,,,,,,\n")

    result = cli("import", "deals", path)

    assert result.code == 0, result.err
    assert "4 created" in result.out and "3 new accounts" not in result.out
    with database.session(readonly=True) as s:
        found = {d.title: d for d in s.scalars(select(Deal))}
        renewal, pilot, expansion, hooli = (found[t] for t in (
            "Acme renewal", "Globex pilot", "Initech expansion", "Hooli"))
        assert (renewal.amount, renewal.currency, renewal.stage, renewal.status) == (
            Decimal("12500.00"), "USD", "won", DealStatus.WON)
        assert renewal.close_date == dt.date(2026, 3, 15)
        assert renewal.owner_id == sam and renewal.contact.email == "ana@acme.com"
        assert renewal.account_id == acme.id
        assert (pilot.amount, pilot.currency, pilot.stage) == (Decimal("1234.50"), "EUR", "demo")
        assert pilot.owner_id == sam  # by first name
        assert (expansion.amount, expansion.stage, expansion.close_date) == (
            Decimal("20000.00"), "proposal", dt.date(2026, 5, 15))
        assert (hooli.stage, hooli.account_id, hooli.amount) == ("lead", None, None)
        assert sorted(a.name for a in s.scalars(select(Account))) == ["Acme", "Globex", "Initech"]


def test_reimporting_deals_updates_by_account_and_title(cli, database, tmp_path):
    first = write(tmp_path, "d1.csv", "Title,Account,Value,Stage\nRenewal,Acme,100,lead\n")
    assert cli("import", "deals", first).code == 0
    second = write(tmp_path, "d2.csv", "Title,Account,Value,Stage\n"
                                       "renewal,acme,250,negotiation\nRenewal,Globex,5,lead\n")
    result = cli("import", "deals", second)
    assert "1 created, 1 updated" in result.out
    with database.session(readonly=True) as s:
        deals_ = {(d.account.name, d.title): d for d in s.scalars(select(Deal))}
        assert set(deals_) == {("Acme", "Renewal"), ("Globex", "Renewal")}
        moved = deals_["Acme", "Renewal"]
        assert (moved.amount, moved.stage, moved.probability) == (Decimal("250.00"),
                                                                  "negotiation", 80)
        assert [h.to_stage for h in moved.history] == ["lead", "negotiation"]


# --- dedupe ---------------------------------------------------------------------------


def test_contact_with_known_email_is_updated_not_duplicated(cli, database, tmp_path):
    with database.session() as s:
        contacts.create_contact(s, actor=None, team_id="local", name="Ana Ortiz",
                                email="ana@acme.com", title="VP")
    path = write(tmp_path, "c.csv", "Name,Email,Title,Lifecycle\n"
                                    "Ana Ortiz,ANA@acme.com,CEO,client\n")
    result = cli("import", "contacts", path)
    assert "0 created, 1 updated" in result.out
    with database.session(readonly=True) as s:
        (ana,) = s.scalars(select(Contact))
        assert (ana.title, ana.lifecycle) == ("CEO", Lifecycle.CUSTOMER)

    again = cli("import", "contacts", path)
    assert "0 created, 0 updated, 1 skipped (already up to date)" in again.out
    assert count(database, Contact) == 1


def test_duplicate_rows_in_the_file_are_reported_and_import_nothing(cli, database, tmp_path):
    path = write(tmp_path, "c.csv", "Name,Email,Title\n"
                                    "Ana Ortiz,ana@acme.com,CEO\n"
                                    "Bo Li,bo@globex.com,CTO\n"
                                    "Ana Ortiz,ana@acme.com,CEO\n"
                                    "Ana O.,Ana@Acme.com,CFO\n")
    result = cli("import", "contacts", path)
    assert result.code == 1
    assert "c.csv line 4: repeats line 2; remove one of them" in result.err
    assert "c.csv line 5: has the same email as line 2 but different values" in result.err
    assert count(database, Contact) == 0

    skipped = cli("import", "contacts", path, "--skip-bad-rows")
    assert skipped.code == 1
    assert "2 created" in skipped.out and "2 bad rows not imported" in skipped.out
    with database.session(readonly=True) as s:
        assert sorted(s.scalars(select(Contact.title))) == ["CEO", "CTO"]


# --- dry run, all or nothing ------------------------------------------------------------


def test_dry_run_reports_and_writes_nothing(cli, database, tmp_path):
    add_user(database, "Sam Rivera", "sam@example.com")
    result = cli("import", "contacts", write(tmp_path, "c.csv", CONTACTS_CSV), "--dry-run")
    assert result.code == 0
    assert "Dry run of c.csv, nothing written. It would give: 3 created" in result.out
    for model in (Contact, Account, AuditEntry):
        assert count(database, model) == 0


def test_one_bad_row_imports_nothing_unless_skip_bad_rows(cli, database, tmp_path):
    path = write(tmp_path, "c.csv", "Name,Email,Company\n"
                                    "Ana Ortiz,ana@acme.com,Acme\n"
                                    "Bo Li,not-an-email,Globex\n"
                                    "Cy Young,cy@initech.io,Initech\n")
    result = cli("import", "contacts", path)
    assert result.code == 1
    assert ("c.csv line 3, column 'Email': 'not-an-email' is not an email address "
            "(expected an address like ana@example.com)") in result.err
    assert "Nothing imported from c.csv" in result.out
    assert "--skip-bad-rows to import the 2 good rows" in result.out
    assert count(database, Contact) == count(database, Account) == 0  # no stray accounts

    result = cli("import", "contacts", path, "--skip-bad-rows")
    assert result.code == 1  # something failed, even though the good rows went in
    assert "Imported c.csv: 2 created, 0 updated, 0 skipped (already up to date), 1 error" \
        in result.out
    with database.session(readonly=True) as s:
        assert sorted(s.scalars(select(Contact.name))) == ["Ana Ortiz", "Cy Young"]
        assert sorted(s.scalars(select(Account.name))) == ["Acme", "Initech"]


def test_bad_numbers_dates_and_stages_name_line_column_and_value(cli, database, tmp_path):
    # The quoted note spans two lines, so the rows after it start one line later.
    path = write(tmp_path, "deals.csv",
                 'Deal Name,Value,Close Date,Stage,Notes\n'
                 'Good,"$1,000",2026-01-31,lead,"two\nlines"\n'
                 "Bad amount,12.5.x,2026-02-01,lead,\n"
                 "Bad date,100,31/31/2026,lead,\n"
                 "Bad stage,100,2026-02-01,Sleeping,\n"
                 "Negative,-50,,,\n")
    result = cli("import", "deals", path)
    assert result.code == 1
    err = result.err
    assert "deals.csv line 4, column 'Value': '12.5.x' is not an amount (expected a number" in err
    assert ("deals.csv line 5, column 'Close Date': '31/31/2026' is not a date (expected a date "
            "like 2026-03-15, 03/15/2026 or 15.03.2026)") in err
    assert "deals.csv line 6, column 'Stage': 'Sleeping' is not a stage (expected one of lead, " \
           "qualified, demo, proposal, negotiation, won, lost)" in err
    assert "deals.csv line 7, column 'Value': '-50' is negative" in err
    assert count(database, Deal) == 0


def test_unknown_owner_is_a_row_problem(cli, database, tmp_path):
    path = write(tmp_path, "a.csv", "Name,Owner\nAcme,Zed Nobody\n")
    result = cli("import", "accounts", path)
    assert result.code == 1
    assert "line 2, column 'Owner': no user 'Zed Nobody' in this workspace" in result.err


# --- bad files -------------------------------------------------------------------------


def test_latin1_file_is_refused_with_a_clear_reason(cli, database, tmp_path):
    path = write(tmp_path, "latin.csv", "Name,Email\nJosé Núñez,jose@example.com\n", "latin-1")
    result = cli("import", "contacts", path)
    assert result.code == 1
    assert ("latin.csv is not UTF-8 text (looks like Windows-1252/Latin-1: line 2 has the byte "
            "0xE9, 'é' in that encoding); save it as UTF-8") in result.err
    assert count(database, Contact) == 0


def test_utf16_without_bom_is_refused(cli, database, tmp_path):
    path = write(tmp_path, "u16.csv", "Name,Email\nAna,ana@acme.com\n", "utf-16-le")
    result = cli("import", "contacts", path)
    assert result.code == 1
    assert "u16.csv is not UTF-8 text (looks like UTF-16 without a byte-order mark)" in result.err
    assert count(database, Contact) == 0


def test_utf16_with_bom_and_utf8_with_bom_are_read(cli, database, tmp_path):
    utf16 = write(tmp_path, "u16.csv", "Name,Email\nJosé,jose@acme.com\n", "utf-16")
    result = cli("import", "contacts", utf16)
    assert result.code == 0, result.err
    assert "note: u16.csv is UTF-16 text (it has a byte-order mark)" in result.err
    bom = tmp_path / "bom.csv"
    bom.write_bytes(codecs.BOM_UTF8 + "Name,Email\nZoë,zoe@acme.com\n".encode())
    assert cli("import", "contacts", str(bom)).code == 0
    with database.session(readonly=True) as s:
        assert sorted(s.scalars(select(Contact.name))) == ["José", "Zoë"]


def test_missing_required_column_names_it_and_lists_headers(cli, database, tmp_path):
    path = write(tmp_path, "c.csv", "Email,Organisation\nana@acme.com,Acme\n")
    result = cli("import", "contacts", path)
    assert result.code == 1
    assert ("c.csv has no name column (looked for Name, Full Name, Contact Name); the headers "
            "found are 'Email', 'Organisation'. Name the column with --map 'HEADER=name'") \
        in result.err
    assert count(database, Contact) == 0


def test_map_overrides_and_first_plus_last_name(cli, database, tmp_path):
    path = write(tmp_path, "c.csv", "Who,First Name,Last Name,Mail,Employer,Secret\n"
                                    "x,Ana,Ortiz,ana@acme.com,Acme,s1\n")
    result = cli("import", "contacts", path, "--map", "Who=ignore", "--map", "employer = Account",
                 "--map", "SECRET=ignore")
    assert result.code == 0, result.err
    assert "ignored" not in result.err  # columns ignored on purpose are not reported
    with database.session(readonly=True) as s:
        (ana,) = s.scalars(select(Contact))
        assert (ana.name, ana.email, ana.account.name) == ("Ana Ortiz", "ana@acme.com", "Acme")


@pytest.mark.parametrize("mapping, message", [
    ("Nope=name", "--map 'Nope=name': c.csv has no column 'Nope'; its headers are 'Name'"),
    ("Name=shoe_size", "--map 'Name=shoe_size': contacts have no field 'shoe_size'"),
    ("Name", "--map 'Name' should look like 'CSV Header=field'"),
])
def test_bad_map_option_is_explained(cli, tmp_path, mapping, message):
    path = write(tmp_path, "c.csv", "Name\nAna\n")
    result = cli("import", "contacts", path, "--map", mapping)
    assert result.code == 1 and message in result.err


@pytest.mark.parametrize("make, message", [
    (lambda p: p / "missing.csv", "missing.csv: no such file; nothing was imported"),
    (lambda p: p, "is a directory; give the path of a .csv or .vcf file"),
    (lambda p: write(p, "empty.csv", ""), "empty.csv is empty"),
    (lambda p: write(p, "blank.csv", "\n \n"), "blank.csv is empty"),
    (lambda p: write(p, "h.csv", "Name,Email\n"), "h.csv has a header but no rows to import"),
    (lambda p: write(p, "book.xlsx", "PK\x03\x04rest"), "book.xlsx looks like a spreadsheet"),
    (lambda p: write(p, "nul.csv", "Name\nAn\x00a\n"), "looks like a binary file"),
])
def test_unusable_files_get_one_clear_line(cli, database, tmp_path, make, message):
    result = cli("import", "contacts", str(make(tmp_path)))
    assert result.code == 1
    assert result.err.startswith("salesbot: ") and message in result.err
    assert result.err.count("\n") == 1
    assert count(database, Contact) == 0


def test_row_with_extra_cells_is_reported(cli, database, tmp_path):
    path = write(tmp_path, "c.csv", "Name,Email\nAna,ana@acme.com\nBo, Li,bo@x.com\n")
    result = cli("import", "contacts", path)
    assert result.code == 1
    assert "c.csv line 3: has 3 cells but the header has 2" in result.err


def test_unclosed_quote_names_the_row_and_imports_nothing(cli, database, tmp_path):
    path = write(tmp_path, "c.csv", 'Name,Email\nAna,ana@acme.com\nBo,"bo@x.com\nCy,cy@x.com\n')
    result = cli("import", "contacts", path)
    assert result.code == 1
    assert "c.csv line 3: a quoted value that starts on this row is never closed" in result.err
    assert count(database, Contact) == 0


def test_first_and_last_name_without_a_name_column(cli, database, tmp_path):
    path = write(tmp_path, "c.csv", "First Name,Last Name,Email\nAna,Ortiz,a@x.com\n,,b@x.com\n")
    result = cli("import", "contacts", path)
    assert result.code == 1
    assert "c.csv line 3, column 'First Name + Last Name': has no name" in result.err


def test_semicolon_csv_from_european_excel(cli, database, tmp_path):
    path = write(tmp_path, "d.csv", "Titel;Betrag;Close Date\nAuftrag;1.250,00 €;31.12.2026\n")
    result = cli("import", "deals", path, "--map", "Titel=title", "--map", "Betrag=amount")
    assert result.code == 0, result.err
    with database.session(readonly=True) as s:
        deal = s.scalar(select(Deal))
        assert (deal.amount, deal.currency, deal.close_date) == (
            Decimal("1250.00"), "EUR", dt.date(2026, 12, 31))


# --- vCard ---------------------------------------------------------------------------

VCARDS = (
    "BEGIN:VCARD\r\n"
    "VERSION:3.0\r\n"
    "N:Ortiz;Ana;;Dr.;\r\n"
    "FN:Ana Ortiz\r\n"
    "ORG:Acme Corporation;Sales\r\n"
    "TITLE:Chief Executive Officer of Everything That Matters In Sales And Mark\r\n"
    " eting\r\n"
    "EMAIL;TYPE=INTERNET,WORK:ana.work@acme.com\r\n"
    "EMAIL;TYPE=INTERNET,pref:ana@acme.com\r\n"
    "TEL;TYPE=CELL:+1 555 0100\r\n"
    "END:VCARD\r\n"
    "BEGIN:VCARD\r\n"
    "VERSION:4.0\r\n"
    "N:Li;Bo;;;\r\n"
    "item1.EMAIL:bo@globex.com\r\n"
    "TEL;VALUE=uri;TYPE=\"voice,work\":tel:+1-555-0101\r\n"
    "ORG:Globex\\, Inc.\r\n"
    "END:VCARD\r\n"
)


def test_vcard_import_with_folded_lines_and_two_cards(cli, database, tmp_path):
    result = cli("import", "contacts", write(tmp_path, "people.vcf", VCARDS))
    assert result.code == 0, result.err
    assert "2 created" in result.out
    with database.session(readonly=True) as s:
        people = {c.name: c for c in s.scalars(select(Contact))}
        ana, bo = people["Ana Ortiz"], people["Bo Li"]
        assert ana.title.endswith("Sales And Marketing")
        assert (ana.email, ana.phone, ana.account.name) == ("ana@acme.com", "+1 555 0100",
                                                            "Acme Corporation")
        assert (bo.email, bo.phone, bo.account.name) == ("bo@globex.com", "+1-555-0101",
                                                         "Globex, Inc.")


def test_vcard_detected_by_content_and_refused_for_accounts(cli, database, tmp_path):
    path = write(tmp_path, "export.txt", VCARDS)
    assert cli("import", "contacts", path, "--dry-run").code == 0
    result = cli("import", "accounts", path)
    assert result.code == 1
    assert "export.txt is a vCard file, and vCards hold contacts" in result.err


def test_broken_vcard_names_the_line(cli, database, tmp_path):
    path = write(tmp_path, "bad.vcf", "BEGIN:VCARD\nFN:Ana\nBEGIN:VCARD\nFN:Bo\nEND:VCARD\n")
    result = cli("import", "contacts", path)
    assert result.code == 1
    assert "bad.vcf: line 3: BEGIN:VCARD before the card that starts on line 1" in result.err
    assert count(database, Contact) == 0


def test_vcard_without_a_name_is_a_row_problem(cli, database, tmp_path):
    text = "BEGIN:VCARD\nFN:Ana\nEND:VCARD\nBEGIN:VCARD\nEMAIL:x@y.com\nEND:VCARD\n"
    result = cli("import", "contacts", write(tmp_path, "c.vcf", text))
    assert result.code == 1
    assert "c.vcf line 4, column 'FN': has no name" in result.err


def test_parse_vcards_handles_21_quoted_printable_and_escapes():
    text = ("BEGIN:VCARD\nVERSION:2.1\nN;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:M=C3=BCller;J=\n"
            "=C3=BCrgen\nTEL;WORK;PREF:030 1234\nTEL;HOME:030 9999\nNOTE:a\\nb\nEND:VCARD\n")
    (card,) = parse_vcards(text)
    assert (card.name, card.phones, card.line) == ("Jürgen Müller", ["030 1234", "030 9999"], 1)


@pytest.mark.parametrize("text, message", [
    ("BEGIN:VCARD\nFN:Ana\n", "the card that starts on line 1 has no END:VCARD"),
    ("FN:Ana\n", "line 1: 'FN' is outside any BEGIN:VCARD"),
    ("BEGIN:VCARD\nFN Ana\nEND:VCARD\n", "line 2: 'FN Ana' is not a NAME:value line"),
    ("END:VCARD\n", "line 1: END:VCARD without a BEGIN:VCARD"),
])
def test_parse_vcards_reports_broken_structure(text, message):
    with pytest.raises(VCardError, match=message):
        parse_vcards(text)


# --- export ---------------------------------------------------------------------------


def _seed(database: Database) -> None:
    with database.session() as s:
        sam = make_user(s, "Sam Rivera")
        acme = accounts.create_account(s, actor=sam, team_id="local", name="Acme, Inc.",
                                       domain="acme.com", industry="Manufacturing",
                                       owner_id=sam.id)
        ana = contacts.create_contact(s, actor=sam, team_id="local", name="Ana Ortiz",
                                      email="ana@acme.com", phone="+1 555 0100", title="CEO",
                                      account_id=acme.id, lifecycle=Lifecycle.CUSTOMER)
        contacts.create_contact(s, actor=sam, team_id="local", name="Bo Li", title='The "Boss"')
        deal = deals.create_deal(s, actor=sam, team_id="local", title="Acme renewal",
                                 account_id=acme.id, contact_id=ana.id, amount="12500",
                                 stage="negotiation", close_date=dt.date(2026, 6, 30))
        deals.create_deal(s, actor=sam, team_id="local", title="Lost one", amount="99.5",
                          currency="EUR", stage="lost", close_date=dt.date(2026, 1, 2))
        activities.log_activity(s, actor=sam, team_id="local", kind=ActivityKind.CALL,
                                body="Talked pricing,\nagreed on \"next steps\"", contact=ana,
                                deal=deal, source_ref="https://slack.example/p1",
                                occurred_at=dt.datetime(2026, 3, 2, 14, 30, tzinfo=dt.UTC))


def test_export_to_stdout_with_names_iso_dates_and_plain_amounts(cli, database):
    _seed(database)
    result = cli("export", "deals", "-")
    assert result.code == 0
    assert result.out.splitlines() == [
        "Title,Account,Contact,Amount,Currency,Stage,Close Date,Owner",
        'Acme renewal,"Acme, Inc.",ana@acme.com,12500.00,USD,negotiation,2026-06-30,Sam Rivera',
        "Lost one,,,99.50,EUR,lost,2026-01-02,Sam Rivera",
    ]
    assert "Exported 2 deals." in result.err


def test_export_activities(cli, database, tmp_path):
    _seed(database)
    out = tmp_path / "activities.csv"
    result = cli("export", "activities", str(out))
    assert result.code == 0 and f"Exported 1 activities to {out}." in result.out
    import csv
    rows = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8"))))
    assert rows == [{
        "Kind": "call", "Occurred At": "2026-03-02T14:30:00Z", "Contact": "Ana Ortiz",
        "Contact Email": "ana@acme.com", "Account": "Acme, Inc.", "Deal": "Acme renewal",
        "Author": "Sam Rivera", "Body": 'Talked pricing,\nagreed on "next steps"',
        "Source": "https://slack.example/p1",
    }]


def test_export_to_a_missing_folder_is_one_clear_line(cli, database, tmp_path):
    result = cli("export", "contacts", str(tmp_path / "nope" / "c.csv"))
    assert result.code == 1
    assert "cannot write" in result.err and "does not exist" in result.err


def test_export_then_import_into_an_empty_database_round_trips(cli, database, tmp_path):
    _seed(database)
    files = {}
    for entity in ("accounts", "contacts", "deals"):
        files[entity] = tmp_path / f"{entity}.csv"
        assert cli("export", entity, str(files[entity])).code == 0

    copy_url = f"sqlite:///{tmp_path / 'copy.db'}"
    copy = Database.open(copy_url)
    try:
        with copy.session() as s:
            make_user(s, "Sam Rivera")  # the workspace's people come from Slack, not a file
        for entity in ("accounts", "contacts", "deals"):
            result = cli("import", entity, str(files[entity]), "--url", copy_url)
            assert result.code == 0, result.err
            assert "ignored" not in result.err
        for entity in ("accounts", "contacts", "deals"):
            again = tmp_path / f"again-{entity}.csv"
            assert cli("export", entity, str(again), "--url", copy_url).code == 0
            assert again.read_text() == files[entity].read_text()
        assert count(copy, Contact) == 2 and count(copy, Deal) == 2 and count(copy, Account) == 1
    finally:
        copy.dispose()


def test_workspaces_are_kept_apart(cli, database, tmp_path):
    path = write(tmp_path, "a.csv", "Name\nAcme\n")
    assert cli("import", "accounts", path, "--team", "T_OTHER").code == 0
    assert cli("export", "accounts", "-").out == "Name,Domain,Industry,Owner\n"
    assert "Acme" in cli("export", "accounts", "-", "--team", "T_OTHER").out


# --- pure pieces -----------------------------------------------------------------------


@pytest.mark.parametrize("text, amount, currency", [
    ("12500", "12500.00", None),
    ("$12,500", "12500.00", "USD"),
    ("$12,500.75", "12500.75", "USD"),
    ("12.500,75 €", "12500.75", "EUR"),
    ("€1.234.567", "1234567.00", "EUR"),
    ("1,5", "1.50", None),
    ("EUR 1 200", "1200.00", "EUR"),
    ("1200 GBP", "1200.00", "GBP"),
    ("12k", "12000.00", None),
    ("£2.5M", "2500000.00", "GBP"),
    ("0", "0.00", None),
    (".5", "0.50", None),
])
def test_parse_amount(text, amount, currency):
    assert parse_amount(text) == (Decimal(amount), currency)


@pytest.mark.parametrize("text", ["12x", "1.2.3", "1,2,3", "", "$", "abc", "1e5", "-5", "(200)",
                                  "NaN", "99999999999999"])
def test_parse_amount_refuses(text):
    with pytest.raises(BadInput):
        parse_amount(text)


@pytest.mark.parametrize("text, day_first, expected", [
    ("2026-03-15", False, (2026, 3, 15)),
    ("2026-03-15T10:00:00Z", False, (2026, 3, 15)),
    ("2026/3/5", False, (2026, 3, 5)),
    ("03/15/2026", False, (2026, 3, 15)),
    ("3/15/26", False, (2026, 3, 15)),
    ("3/15/2026 0:00", False, (2026, 3, 15)),
    ("15/03/2026", False, (2026, 3, 15)),
    ("03/04/2026", False, (2026, 3, 4)),
    ("03/04/2026", True, (2026, 4, 3)),
    ("15.03.2026", False, (2026, 3, 15)),
    ("15-03-2026", False, (2026, 3, 15)),
    ("Mar 15, 2026", False, (2026, 3, 15)),
    ("March 15th 2026", False, (2026, 3, 15)),
    ("15 Mar 2026", False, (2026, 3, 15)),
    ("15-Mar-2026", False, (2026, 3, 15)),
])
def test_parse_date(text, day_first, expected):
    assert parse_date(text, day_first=day_first) == dt.date(*expected)


@pytest.mark.parametrize("text", ["2026-02-30", "13/13/2026", "tomorrow", "2026", "Foo 3, 2026"])
def test_parse_date_refuses(text):
    with pytest.raises(BadInput, match="is not a date"):
        parse_date(text)


def test_guess_day_first_from_the_whole_column():
    assert guess_day_first(["03/04/2026", "25/04/2026"]) is True
    assert guess_day_first(["03/04/2026", "04/25/2026"]) is False
    assert guess_day_first(["2026-03-04", ""]) is False


@pytest.mark.parametrize("text, key", [
    ("Closed Won", "won"), ("closed-lost", "lost"), ("DEMO", "demo"),
    ("Demo Scheduled", "demo"), ("Proposal/Price Quote", "proposal"),
    ("Negotiation/Review", "negotiation"), ("Prospecting", "lead"),
    ("Qualified to buy", "qualified"), ("Contract Sent", "negotiation"),
])
def test_parse_stage_synonyms(text, key):
    assert parse_stage(text, STAGES) == key


@pytest.mark.parametrize("text, domain", [
    ("https://www.Acme.com/about", "acme.com"), ("acme.co.uk", "acme.co.uk"),
    ("http://shop.acme.com:8080", "shop.acme.com"),
])
def test_parse_domain(text, domain):
    assert parse_domain(text) == domain


@pytest.mark.parametrize("entity, header, expected", [
    ("contacts", ["Full Name", "E-mail", "Company", "Phone Number", "Job Title"],
     {"name": 0, "email": 1, "account": 2, "phone": 3, "title": 4}),
    ("deals", [" deal name ", "VALUE", "Company", "close_date", "Deal Stage", "Owner Email"],
     {"title": 0, "amount": 1, "account": 2, "close_date": 3, "stage": 4, "owner": 5}),
    ("accounts", ["Account Name", "Website"], {"name": 0, "domain": 1}),
])
def test_map_headers_synonyms(entity, header, expected):
    columns, notes = map_headers(entity, header)
    assert columns == expected and notes == []


def test_map_headers_notes_a_second_column_for_the_same_field():
    columns, notes = map_headers("contacts", ["Name", "Full Name"])
    assert columns == {"name": 0}
    assert notes == ["column 'Full Name' also looks like name; used 'Name' (choose with --map)"]


def test_progress_bar_only_on_a_terminal():
    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    with progress_bar("x", stream=io.StringIO()) as update:
        assert update is None
    screen = Terminal()
    with progress_bar("Importing c.csv", stream=screen) as update:
        update(5, 10)
    assert "Importing c.csv" in screen.getvalue()


def test_import_needs_no_query_per_row(session):
    """Existing records are looked up in dicts: the only statements per row are the writes."""
    from sqlalchemy import event

    rows = "".join(f"Person {i},p{i}@example.com,Company {i % 50}\n" for i in range(300))
    table = csv_io.csv_table("big.csv", "Name,Email,Company\n" + rows, entity="contacts")
    actor = make_user(session, "Importer")
    selects = []
    listener = lambda *a: a[2].lstrip().upper().startswith("SELECT") and selects.append(a[2])  # noqa: E731
    event.listen(session.bind, "before_cursor_execute", listener)
    try:
        report = csv_io.apply_table(session, table, entity="contacts", actor=actor,
                                    team_id="local")
    finally:
        event.remove(session.bind, "before_cursor_execute", listener)
    assert report.created == 300 and report.accounts_created == 50
    assert len(selects) < 10
