"""The recipient every job hands to a notifier."""

from __future__ import annotations


class Snapshot:
    """The few fields of a user a notifier needs, safe to use after the session closed."""

    def __init__(self, user) -> None:  # a User, or a row with the same fields
        self.team_id, self.slack_user_id, self.name = user.team_id, user.slack_user_id, user.name
        self.tz = user.tz
