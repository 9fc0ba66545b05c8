"""Where the embedded database lives (no heavy imports: the CLI reads this at start-up)."""

from __future__ import annotations

import os
from pathlib import Path


def default_sqlite_url() -> str:
    """The embedded default: a SQLite file in the user's data directory."""
    base = Path(os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share")
    return f"sqlite:///{base / 'salesbot' / 'salesbot.db'}"
