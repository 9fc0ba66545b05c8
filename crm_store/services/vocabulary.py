"""The workspace's own words: names of accounts, contacts, users and deals — by kind for
the NLU tagger (`names_by_kind`), and ranked by how likely a given person is to say them
for the speech model's hint and for spelling (`names_for`).

The speaker's own recent accounts and contacts come first, then their open deals and
what they own, the workspace's people, then the workspace's most active records, and
last everything else. Read-only: call it on a read-only session, outside any write.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from crm_store.models import Account, Activity, Contact, Deal, DealStatus, User

DEFAULT_LIMIT = 2000
MAX_PER_KIND = 5000  # the most recently updated; enough for any team, bounded in memory


def names_by_kind(session: Session, *, team_id: str) -> list[tuple[str, str]]:
    """(kind, name) pairs for the NLU tagger — kind is "account", "contact", "user" or
    "deal" — the most recently updated first; `salesbot parse --names FILE` reads the same."""
    names: list[tuple[str, str]] = []
    for kind, column, model in (("account", Account.name, Account),
                                ("contact", Contact.name, Contact),
                                ("user", User.name, User), ("deal", Deal.title, Deal)):
        rows = session.scalars(select(column).where(model.team_id == team_id)
                               .order_by(model.updated_at.desc()).limit(MAX_PER_KIND))
        names += [(kind, name) for name in rows if name]
    return names


class _Ranked:
    """Names in the order first seen, each once (compared single-spaced, any case)."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.names: dict[str, str] = {}

    @property
    def full(self) -> bool:
        return len(self.names) >= self.limit

    def add(self, names: Iterable[str | None]) -> None:
        for name in names:
            text = " ".join((name or "").split())
            if text and not self.full:
                self.names.setdefault(text.lower(), text)


def names_for(session: Session, *, team_id: str, user_id: str | None = None,
              limit: int = DEFAULT_LIMIT) -> list[str]:
    """Up to `limit` distinct names of the workspace, most likely first for the person
    with Slack id `user_id` (the workspace's most active records first without one)."""
    ranked = _Ranked(limit)
    me = session.scalar(select(User.id).where(User.team_id == team_id,
                                              User.slack_user_id == user_id)) \
        if user_id else None
    if me is not None:
        ranked.add(_own_recent(session, team_id=team_id, author_id=me, limit=limit))
        ranked.add(_own_open_deals(session, team_id=team_id, owner_id=me, limit=limit))
        for model in (Account, Contact):
            ranked.add(session.scalars(
                select(model.name).where(model.team_id == team_id, model.owner_id == me)
                .order_by(model.updated_at.desc(), model.id).limit(limit)))
    ranked.add(session.scalars(
        select(User.name).where(User.team_id == team_id, User.is_active.is_(True))
        .order_by(User.name).limit(limit)))
    for model, key in ((Account, Activity.account_id), (Contact, Activity.contact_id)):
        busiest = (select(key.label("id"), func.count().label("n"))
                   .where(Activity.team_id == team_id, key.is_not(None))
                   .group_by(key).subquery())
        ranked.add(session.scalars(
            select(model.name).join(busiest, busiest.c.id == model.id)
            .order_by(busiest.c.n.desc(), model.id).limit(limit)))
    for model in (Account, Contact):
        ranked.add(session.scalars(select(model.name).where(model.team_id == team_id)
                                   .order_by(model.id).limit(limit)))
    ranked.add(_deal_names(session.scalars(select(Deal.title).where(Deal.team_id == team_id)
                                           .order_by(Deal.id).limit(limit))))
    return list(ranked.names.values())


def _own_recent(session: Session, *, team_id: str, author_id: int, limit: int) -> list[str]:
    """Contact then account of each of the person's activities, newest first."""
    rows = session.execute(
        select(Contact.name, Account.name).select_from(Activity)
        .outerjoin(Contact, Contact.id == Activity.contact_id)
        .outerjoin(Account, Account.id == Activity.account_id)
        .where(Activity.team_id == team_id, Activity.author_id == author_id)
        .order_by(Activity.occurred_at.desc(), Activity.id.desc()).limit(limit))
    return [name for pair in rows for name in pair]


def _own_open_deals(session: Session, *, team_id: str, owner_id: int,
                    limit: int) -> list[str]:
    """Account, contact and name of each open deal the person owns, latest touched first."""
    rows = session.execute(
        select(Account.name, Contact.name, Deal.title).select_from(Deal)
        .outerjoin(Account, Account.id == Deal.account_id)
        .outerjoin(Contact, Contact.id == Deal.contact_id)
        .where(Deal.team_id == team_id, Deal.owner_id == owner_id,
               Deal.status == DealStatus.OPEN)
        .order_by(Deal.updated_at.desc(), Deal.id).limit(limit))
    return [name for account, contact, title in rows
            for name in (account, contact, *_deal_names([title]))]


def _deal_names(titles: Iterable[str]) -> list[str]:
    # "Anchor Engineering - Platform license": the account is named already; what the
    # deal adds is its own part ("Platform license").
    return [title.rsplit(" - ", 1)[-1] for title in titles]
