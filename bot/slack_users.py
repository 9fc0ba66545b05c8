"""Slack users as the assistant's `Person`: users.info (name, email, zone, admin), cached briefly.

The cache only saves Slack calls; the CRM user itself is stored by the assistant
on first contact, so a restart loses nothing.
"""

from __future__ import annotations

import logging
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from typing import Any
from zoneinfo import ZoneInfo

from slack_sdk.errors import SlackApiError

from bot.assistant.types import Person

log = logging.getLogger(__name__)


def person_from_profile(team_id: str, user_id: str, user: dict[str, Any]) -> Person:
    """A Person from a users.info `user` object (pure)."""
    profile = user.get("profile") or {}
    name = (profile.get("real_name") or user.get("real_name") or profile.get("display_name")
            or user.get("name") or user_id)
    return Person(team_id=team_id, user_id=user_id, name=name, email=profile.get("email"),
                  tz=_valid_zone(user.get("tz")),
                  is_workspace_admin=bool(user.get("is_admin") or user.get("is_owner")))


def _valid_zone(name: str | None) -> str | None:
    if not name:
        return None
    try:
        ZoneInfo(name)
    except (KeyError, ValueError):
        return None
    return name


class SlackDirectory:
    """Who a Slack user is, from users.info, remembered for `ttl_s` seconds per process."""

    def __init__(self, *, ttl_s: float = 300.0, max_entries: int = 10_000,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.ttl_s, self.max_entries, self.clock = ttl_s, max_entries, clock
        self._cache: OrderedDict[tuple[str, str], tuple[float, Person]] = OrderedDict()
        self._lock = threading.Lock()

    def person(self, client: Any, team_id: str, user_id: str) -> Person:
        """The person behind a Slack user id; a bare Person when Slack cannot say."""
        key = (team_id, user_id)
        now = self.clock()
        with self._lock:
            hit = self._cache.get(key)
            if hit and now - hit[0] < self.ttl_s:
                return hit[1]
        try:
            user = client.users_info(user=user_id)["user"]
        except (SlackApiError, KeyError, TypeError) as exc:
            # Not fatal: the person is still served, with the zone they already have.
            log.warning("users.info failed for %s/%s: %s", team_id, user_id, exc)
            return Person(team_id=team_id, user_id=user_id)
        person = person_from_profile(team_id, user_id, user or {})
        with self._lock:
            self._cache[key] = (now, person)
            self._cache.move_to_end(key)
            while len(self._cache) > self.max_entries:
                self._cache.popitem(last=False)
        return person
