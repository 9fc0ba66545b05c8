"""Where scheduled messages go: a Slack workspace, or the terminal of `salesbot chat`."""

from __future__ import annotations

import threading
from typing import Protocol

from rich.console import Console

from bot.assistant.types import Reply


class Recipient(Protocol):
    team_id: str
    slack_user_id: str
    name: str


class Notifier(Protocol):
    def dm(self, user: Recipient, reply: Reply) -> None:
        """Send a direct message to one user."""

    def post(self, team_id: str, channel: str, reply: Reply) -> None:
        """Post to a channel."""

    def upload(self, team_id: str, channel: str, *, filename: str, content: bytes,
               title: str) -> None:
        """Upload a file (e.g. a chart) to a channel."""


class TerminalNotifier:
    """Prints what would be sent, for `salesbot chat` and `salesbot scheduler` without Slack."""

    def __init__(self, console: Console | None = None, *, only_user: str | None = None) -> None:
        self.console = console or Console(highlight=False)
        self.only_user = only_user  # in `salesbot chat`: show just the chatting user's DMs
        self._lock = threading.Lock()

    def dm(self, user: Recipient, reply: Reply) -> None:
        if self.only_user is None:
            self._show(f"🔔 to {user.name}", reply)
        elif user.slack_user_id == self.only_user:
            self._show("🔔", reply)

    def post(self, team_id: str, channel: str, reply: Reply) -> None:
        self._show(f"📣 #{channel.lstrip('#')}", reply)

    def upload(self, team_id: str, channel: str, *, filename: str, content: bytes,
               title: str) -> None:
        self.console.print(f"[dim]📎 #{channel.lstrip('#')}: {title} ({filename}, "
                           f"{len(content):,} bytes)[/dim]")

    def _show(self, header: str, reply: Reply) -> None:
        from bot.render.terminal import render

        with self._lock:
            self.console.print(f"\n[bold magenta]{header}[/bold magenta]")
            self.console.print(render(reply))
