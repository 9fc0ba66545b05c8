"""Text as it enters salesbot, made safe once at the door for every surface.

A lone surrogate cannot be encoded as UTF-8 (so it breaks JSON output, pydantic and
database drivers) and PostgreSQL refuses NUL in text; other C0 control characters
only hide things from the person reading the CRM later. None of them carries meaning
in a sales note, so they are removed before anything reads the text.
"""

from __future__ import annotations

import re

_SURROGATE = re.compile("[\ud800-\udfff]")
# C0 controls and DEL, except tab and newline (carriage returns become newlines first).
_CONTROLS = dict.fromkeys([*range(0x00, 0x09), *range(0x0B, 0x20), 0x7F])


def clean_text(text: str) -> str:
    """`text` without lone surrogates, NUL or other control characters (tab and newline
    stay, CR and CRLF become newline); an already clean text comes back unchanged."""
    if _SURROGATE.search(text):
        # A high-low pair split into two code points (surrogatepass input) is one real
        # character: rejoin it; a surrogate on its own is dropped.
        text = text.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "ignore")
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text.translate(_CONTROLS)
