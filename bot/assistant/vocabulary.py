"""The workspace's own names (accounts, contacts, users, deals) for the NLU tagger.

Read once per message, before understanding, in one short read-only query per kind;
`salesbot parse` never opens the database and gets the same list from `--names FILE`.
The same list is the hook for biasing speech recognition toward the CRM's names.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from crm_store.models import Account, Contact, Deal, User

MAX_PER_KIND = 5000  # the most recently updated; enough for any team, bounded in memory


def workspace_names(session: Session, *, team_id: str) -> list[tuple[str, str]]:
    """(kind, name) pairs: kind is "account", "contact", "user" or "deal"."""
    names: list[tuple[str, str]] = []
    for kind, column, model in (("account", Account.name, Account),
                                ("contact", Contact.name, Contact),
                                ("user", User.name, User), ("deal", Deal.title, Deal)):
        rows = session.scalars(select(column).where(model.team_id == team_id)
                               .order_by(model.updated_at.desc()).limit(MAX_PER_KIND))
        names += [(kind, name) for name in rows if name]
    return names
