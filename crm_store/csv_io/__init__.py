"""CSV import and export of contacts, accounts and deals; vCard import of contacts.

Reading a file is pure: decode it, map its headers to fields, keep every row with its
file line number (the header is line 1). Applying it writes through the crm_store
services, so every write is audited, and never commits: the caller commits when
`ImportReport.should_commit` and rolls back otherwise (a dry run, or bad rows without
--skip-bad-rows). Existing records are loaded into dicts once, not queried per row.
"""

from crm_store.csv_io.export import export_csv
from crm_store.csv_io.importer import apply_table, import_actor
from crm_store.csv_io.reading import csv_table, map_headers, read_import_file
from crm_store.csv_io.schema import EXPORTABLE, FIELDS, IMPORTABLE, ImportReport
from crm_store.csv_io.values import (
    guess_day_first,
    parse_amount,
    parse_date,
    parse_domain,
    parse_stage,
)

__all__ = [
    "EXPORTABLE", "FIELDS", "IMPORTABLE", "ImportReport", "apply_table", "csv_table",
    "export_csv", "guess_day_first", "import_actor", "map_headers", "parse_amount",
    "parse_date", "parse_domain", "parse_stage", "read_import_file",
]
