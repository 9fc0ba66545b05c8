"""Last touch: the latest activity's time kept on each account and deal.

`Account.last_activity_at` and `Deal.last_activity_at` are max(activities.occurred_at) of
the activities logged against them, kept in the same transaction as the activity write:

- a new activity moves them forward only (`touched`): a conditional UPDATE, so two
  activities logged at once on one account leave the later time whichever commits last;
- an activity removed or moved (undo, a cascade from a deleted contact) makes them
  recounted from the activities themselves (`recount`), after locking the rows so a
  concurrent `touched` is not lost;
- a bulk load (the demo seed, the benchmark) recounts a whole workspace (`recount_team`).

The figures are never cached elsewhere: a question reads these columns in its own
transaction, so it sees every activity committed before it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from sqlalchemy import func, or_, select, update
from sqlalchemy.orm import Session

from crm_store.models import Account, Activity, Deal


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


def recount(session: Session, *, account_ids: Iterable[int | None] = (),
            deal_ids: Iterable[int | None] = ()) -> None:
    """Recount the last touch of these accounts and deals from their activities."""
    session.flush()  # the removed or moved activities must be gone from the table first
    for model, keys, of in ((Account, account_ids, Activity.account_id),
                            (Deal, deal_ids, Activity.deal_id)):
        ids = sorted({k for k in keys if k is not None})
        if not ids:
            continue
        # Lock first, then read: a concurrent `touched` either committed before the read
        # (and is counted) or waits for this transaction and then moves the time on.
        session.execute(select(model.id).where(model.id.in_(ids)).with_for_update())
        latest = select(func.max(Activity.occurred_at)).where(of == model.id).scalar_subquery()
        session.execute(update(model).where(model.id.in_(ids))
                        .values(last_activity_at=latest, updated_at=model.updated_at)
                        .execution_options(synchronize_session="fetch"))


def recount_team(session: Session, *, team_id: str) -> None:
    """Recount every account's and deal's last touch in a workspace (after a bulk load)."""
    for model, of in ((Account, Activity.account_id), (Deal, Activity.deal_id)):
        latest = select(func.max(Activity.occurred_at)).where(of == model.id).scalar_subquery()
        session.execute(update(model).where(model.team_id == team_id)
                        .values(last_activity_at=latest, updated_at=model.updated_at)
                        .execution_options(synchronize_session=False))
    session.expire_all()
