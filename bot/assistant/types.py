"""What comes into the assistant and what goes out: neutral of Slack and of the terminal."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

from bot.text_input import clean_text

if TYPE_CHECKING:
    from bot.nlu.actions import Action


@dataclass(frozen=True)
class Person:
    """Who is speaking, as the surface knows them (Slack profile or terminal choice)."""

    team_id: str
    user_id: str  # Slack user id
    name: str | None = None
    email: str | None = None
    tz: str | None = None
    is_workspace_admin: bool = False


@dataclass(frozen=True)
class Attachment:
    name: str
    mimetype: str | None = None
    url: str | None = None
    size: int | None = None
    transcript: str | None = None  # the surface's own transcript of a voice clip, if whole


@dataclass(frozen=True)
class Incoming:
    """One message to the assistant. `source_id` is its idempotency key."""

    person: Person
    text: str
    source_id: str
    channel: str | None = None
    thread: str | None = None
    files: tuple[Attachment, ...] = ()
    permalink: str | None = None
    now: dt.datetime | None = None  # injected clock (UTC); the real now when None
    transcript: str | None = None  # what its voice clips said (also in `text`)
    # Channels the message linked (<#C0SALES|sales>): (name as it reads in `text`, id),
    # so "#sales" in the text can still be posted to by id.
    channels: tuple[tuple[str, str], ...] = ()
    # Already understood by the surface (a submitted form): carried out as they are.
    actions: tuple[Action, ...] = ()
    # A form that corrected a reading (Edit…): the actions as first read, with `text`
    # the message they were read from; the pair is kept as an example to learn from.
    corrects: tuple[Action, ...] = ()

    def __post_init__(self) -> None:
        # Every surface's message passes here: the core never sees a surrogate or a NUL.
        object.__setattr__(self, "text", clean_text(self.text))
        if self.transcript is not None:
            object.__setattr__(self, "transcript", clean_text(self.transcript))


@dataclass(frozen=True)
class Press:
    """A button pressed on an earlier reply: `action_id` and its `value`."""

    person: Person
    action_id: str
    value: str
    source_id: str
    now: dt.datetime | None = None


@dataclass(frozen=True)
class Button:
    label: str
    action_id: str
    value: str = ""
    style: Literal["primary", "danger"] | None = None
    url: str | None = None  # a link button (e.g. mailto:); Slack still reports the press

    @property
    def is_undo(self) -> bool:
        """Undo takes back what was just done: never pressed by a bare number in the
        terminal, where "1" is usually meant for a choice."""
        return self.action_id == "undo"


@dataclass(frozen=True)
class Table:
    columns: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    # "cards": one block per row (its first cell as a title, the rest as label/value
    # fields), which reads on a phone; "grid": aligned columns, for long lists.
    layout: Literal["grid", "cards"] = "grid"


@dataclass(frozen=True)
class Compose:
    """Prose a model may write in place of a reply's text once the work is committed
    (bot.writing): the prompt (prompts/model/NAME.txt), the facts the code assembled for
    it (JSON-ready; each fact with the id a claim cites), and whose budget it spends."""

    prompt: str  # "brief" | "draft" | "answer"
    facts: dict[str, Any]
    team_id: str
    user_id: int | None  # CRM users.id


@dataclass(frozen=True)
class ReplyFile:
    """A file that goes out with a reply (a chart): posted after the text, in its thread."""

    filename: str  # e.g. "q3-2026-vs-q4-2026.png"
    title: str
    content: bytes  # PNG
    alt: str = ""  # the figures in words, for screen readers and previews


@dataclass
class Reply:
    """What the assistant answers: rendered as Block Kit in Slack, as text in a terminal."""

    text: str
    fields: list[tuple[str, str]] = field(default_factory=list)
    table: Table | None = None
    buttons: list[Button] = field(default_factory=list)
    context: list[str] = field(default_factory=list)  # small print: sources, notes
    ok: bool = True  # False for refusals and problems
    wrote: bool = False  # the message changed the CRM
    # Sections of the same message with buttons of their own (e.g. several reminders).
    parts: list[Reply] = field(default_factory=list)
    # A model may rewrite `text` from these facts (None: the text is final as it is).
    compose: Compose | None = None
    files: list[ReplyFile] = field(default_factory=list)  # sent after the text

    def all_buttons(self) -> list[Button]:
        """Every button in the message: its own first, then each part's, in order."""
        return [*self.buttons, *(b for part in self.parts for b in part.all_buttons())]

    def numbered_buttons(self) -> list[Button]:
        """The buttons a number presses in the terminal, in order: all but Undo."""
        return [b for b in self.all_buttons() if not b.is_undo]

    def extend(self, other: Reply) -> None:
        """Append another part of the answer (several actions in one message)."""
        self.text = f"{self.text}\n\n{other.text}" if self.text else other.text
        self.fields += other.fields
        self.table = self.table or other.table
        self.buttons += other.buttons
        self.context += other.context
        self.ok = self.ok and other.ok
        self.wrote = self.wrote or other.wrote
        self.parts += other.parts
        self.compose = self.compose or other.compose
        self.files += other.files
