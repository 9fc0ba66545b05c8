"""Users of a workspace, their roles and teams."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from crm_store.models import Role, User
from crm_store.services.unique import insert_or_get


def get_or_create_user(session: Session, *, team_id: str, slack_user_id: str, name: str,
                       email: str | None = None, tz: str = "UTC",
                       role: Role = Role.REP) -> User:
    """The user with this Slack id, created on first contact.

    A new person's first messages often arrive together: whichever creates the user
    first wins, and the others read that user (unique team_id + slack_user_id).
    """
    user, _ = insert_or_get(
        session,
        User(team_id=team_id, slack_user_id=slack_user_id, name=name, email=email, tz=tz,
             role=role),
        existing=lambda: session.scalar(select(User).where(
            User.team_id == team_id, User.slack_user_id == slack_user_id)))
    return user


def find_users(session: Session, *, team_id: str, name: str) -> list[User]:
    """Active users whose name equals or starts with `name` (case-insensitive)."""
    needle = name.strip().lower()
    return list(session.scalars(
        select(User).where(User.team_id == team_id, User.is_active.is_(True),
                           func.lower(User.name).like(f"{needle}%"))
        .order_by(User.name)
    ))


def list_users(session: Session, *, team_id: str) -> list[User]:
    """Every active user of the workspace, by name."""
    return list(session.scalars(
        select(User).where(User.team_id == team_id, User.is_active.is_(True)).order_by(User.name)
    ))


def team_of(session: Session, *, manager: User) -> list[User]:
    """The manager and everyone reporting to them, directly or through other managers."""
    team, frontier = [manager], [manager.id]
    while frontier:
        reports = list(session.scalars(select(User).where(User.manager_id.in_(frontier))))
        reports = [u for u in reports if u not in team]
        team += reports
        frontier = [u.id for u in reports]
    return team
