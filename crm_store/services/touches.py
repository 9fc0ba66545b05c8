"""What is kept on accounts and deals so manager questions need not recount it each time:
the last touch (`Account.last_activity_at`, `Deal.last_activity_at`: the latest
activity's occurred_at) and the account's `contact_count`.

Each is kept in the same transaction as the write that changes it:

- a new activity moves the last touch forward only (`touched`): a conditional UPDATE, so
  two activities logged at once on one account leave the later time whichever commits
  last;
- a contact added or moved changes its accounts' count by one (`counted`, an atomic
  UPDATE);
- what undo reverts (an activity or contact removed, moved or restored, and a cascade
  from a removed contact or account) makes the accounts and deals recounted from the
  rows themselves (`recount`), after locking them so a concurrent write is not lost;
- a bulk load (the demo seed, the benchmark) recounts a whole workspace (`recount_team`).

Nothing else holds these figures: a question reads them in its own transaction, so it
sees every write committed before it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from sqlalchemy import func, or_, select, update
from sqlalchemy.orm import Session

from crm_store.models import Account, Activity, Contact, Deal


def touched(session: Session, *, at: dt.datetime, account_id: int | None,
            deal_id: int | None) -> None:
    """An activity at `at` was logged on this account and deal: move their last touch on."""
    for model, key in ((Account, account_id), (Deal, deal_id)):
        if key is None:
            continue
        session.execute(
            update(model)
            .where(model.id == key, or_(model.last_activity_at.is_(None),
                                        model.last_activity_at < at))
            # Not an edit of the record: keep updated_at (its onupdate would bump it).
            .values(last_activity_at=at, updated_at=model.updated_at)
            .execution_options(synchronize_session="fetch"))


def counted(session: Session, *, account_id: int | None, by: int) -> None:
    """`by` contacts more (or fewer) at this account: one atomic UPDATE, no read (an
    import adds thousands)."""
    if account_id is None:
        return
    session.execute(update(Account).where(Account.id == account_id)
                    .values(contact_count=Account.contact_count + by,
                            updated_at=Account.updated_at)
                    .execution_options(synchronize_session=False))
    account = session.identity_map.get(session.identity_key(Account, (account_id,)))
    if account is not None:
        session.expire(account, ["contact_count"])


def _kept(model) -> dict:  # noqa: ANN001
    """Each kept column of `model` as its recount from the rows (correlated on the id)."""
    of = Activity.account_id if model is Account else Activity.deal_id
    values = {"last_activity_at": select(func.max(Activity.occurred_at))
              .where(of == model.id).scalar_subquery()}
    if model is Account:
        values["contact_count"] = (select(func.count()).select_from(Contact)
                                   .where(Contact.account_id == Account.id).scalar_subquery())
    return values


def recount(session: Session, *, account_ids: Iterable[int | None] = (),
            deal_ids: Iterable[int | None] = ()) -> None:
    """Recount what is kept on these accounts and deals from their activities and contacts."""
    session.flush()  # the rows added, moved or removed must be in the tables first
    for model, keys in ((Account, account_ids), (Deal, deal_ids)):
        ids = sorted({k for k in keys if k is not None})
        if not ids:
            continue
        # Lock first, then read: a concurrent writer either committed before the read (and
        # is counted) or waits for this transaction and then applies its own change.
        session.execute(select(model.id).where(model.id.in_(ids)).with_for_update())
        session.execute(update(model).where(model.id.in_(ids))
                        .values(**_kept(model), updated_at=model.updated_at)
                        .execution_options(synchronize_session="fetch"))


def recount_team(session: Session, *, team_id: str) -> None:
    """Recount every account and deal of a workspace (after a bulk load)."""
    for model in (Account, Deal):
        session.execute(update(model).where(model.team_id == team_id)
                        .values(**_kept(model), updated_at=model.updated_at)
                        .execution_options(synchronize_session=False))
    session.expire_all()
