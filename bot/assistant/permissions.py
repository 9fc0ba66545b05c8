"""Who may change what, checked in the executor whatever engine produced the action.

Reps read every account and contact but change only their own deals and tasks;
managers see and change their team's; admins everything, plus import/export and settings.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from crm_store.errors import Forbidden
from crm_store.models import Role, User
from crm_store.services.users import team_of


def team_ids(session: Session, user: User) -> set[int]:
    """The ids whose records `user` may change (and, for managers, see in reports)."""
    if user.role == Role.MANAGER:
        return {u.id for u in team_of(session, manager=user)}
    return {user.id}


def check_can_change(session: Session, user: User, *, owner: User | None, what: str,
                     hint: str = "") -> None:
    """Forbidden, saying why (and `hint`: what to do instead), unless `user` may change a
    record owned by `owner`."""
    if user.role == Role.ADMIN or owner is None or owner.id == user.id:
        return
    if user.role == Role.MANAGER and owner.id in team_ids(session, user):
        return
    first = owner.name.split()[0]
    raise Forbidden(f"{what} belongs to {owner.name}: only {first}, their manager or an admin "
                    "can change it." + (f" {hint}" if hint else ""))


def report_owner_ids(session: Session, user: User, *, asked: User | None) -> tuple[int, ...] | None:
    """The owners a pipeline question may cover; None means everyone (admins only)."""
    if asked is not None:
        if user.role == Role.ADMIN or asked.id in team_ids(session, user):
            return (asked.id,)
        raise Forbidden(f"{asked.name}'s numbers are for {asked.name.split()[0]}, their manager "
                        "and admins.")
    if user.role == Role.ADMIN:
        return None
    if user.role == Role.MANAGER:
        return tuple(sorted(team_ids(session, user)))
    return None  # company-wide totals are open to everyone; per-rep detail is not

