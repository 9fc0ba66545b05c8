"""`salesbot chat`: the assistant in the terminal, on the local CRM, as one of its users.

The embedded default: no Slack, no keys. The first start seeds a demo company.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import uuid
from pathlib import Path

from rich.console import Console
from sqlalchemy import select

from bot.assistant.types import Attachment, Incoming, Person, Press, Reply
from bot.cli import CommandError
from bot.cli.parse import default_tz
from bot.render.terminal import print_chunk, print_reply, print_rest
from bot.runtime import build_assistant, open_database
from bot.settings import get_settings
from bot.text_input import clean_text
from crm_store.db import mask_url
from crm_store.errors import StoreUnavailable
from crm_store.models import LOCAL_TEAM, Role, User

EXIT_WORDS = {"quit", "exit", "bye", ":q", "q"}


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("chat", help="talk to the assistant in the terminal")
    parser.add_argument("--as", dest="as_user", metavar="NAME",
                        help="act as this CRM user (default: the first rep)")
    parser.add_argument("--url", help="database URL (default: DATABASE_URL or the SQLite file)")
    parser.add_argument("--no-demo", action="store_true",
                        help="do not seed the demo company into an empty CRM")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    settings = get_settings()
    console = Console(highlight=False)
    try:
        db = open_database(settings, args.url)
    except StoreUnavailable as exc:
        raise CommandError(str(exc)) from None
    try:
        if not args.no_demo:
            _seed_if_empty(db, console)
        person = _choose_person(db, args.as_user, settings.salesbot_tz)
        assistant = build_assistant(db, settings)
        reminders = _start_reminders(db, console, person, settings)
        try:
            return _loop(assistant, person, console, db_label=mask_url(str(db.engine.url)),
                         charts=charts_folder(db.engine.url))
        finally:
            if reminders is not None:
                reminders.shutdown(wait=False)
    finally:
        db.dispose()


def charts_folder(url) -> Path:
    """Where the terminal saves charts: next to a SQLite file, else in the temp folder."""
    if url.get_backend_name() == "sqlite" and url.database not in (None, "", ":memory:"):
        return Path(url.database).expanduser().resolve().parent / "charts"
    return Path(tempfile.gettempdir()) / "salesbot-charts"


def _seed_if_empty(db, console: Console) -> None:
    from crm_store.demo import has_data, seed_demo

    with db.session(readonly=True) as session:
        if has_data(session, LOCAL_TEAM):
            return
    console.print("[dim]First start: seeding a demo company into the CRM…[/dim]")
    summary = seed_demo(db, team_id=LOCAL_TEAM)
    console.print(f"[dim]{summary}[/dim]")


# What the chatting user sees of the scheduler: their own reminders, hot-lead alerts
# for the leads they own, and channel digests (printed here instead of posted).
TERMINAL_JOBS = ("reminders", "alerts", "digests")


def _start_reminders(db, console: Console, person: Person, settings):
    """Print the chatting user's reminders, hot-lead alerts and channel digests here as they
    come (only when interactive), from the scheduler's own job table."""
    if not sys.stdin.isatty():
        return None
    from scheduler.notify import TerminalNotifier
    from scheduler.runner import Jobs, start

    with db.session(readonly=True) as session:
        user = session.scalar(select(User).where(User.team_id == person.team_id,
                                                 User.slack_user_id == person.user_id))
    if user is None:
        return None
    # No alert channel: the terminal must not claim (and so swallow) a Slack channel post.
    terminal = settings.model_copy(update={"hot_lead_channel": None})
    jobs = Jobs(db=db, notifier=TerminalNotifier(console, only_user=person.user_id),
                settings=terminal, assignee_id=user.id)
    return start(jobs, only=TERMINAL_JOBS)


def _choose_person(db, name: str | None, tz: str | None) -> Person:
    with db.session(readonly=True) as session:
        users = list(session.scalars(
            select(User).where(User.team_id == LOCAL_TEAM, User.is_active.is_(True))
            .order_by(User.id)))
    if name:
        wanted = name.strip().lower()
        matches = [u for u in users if u.name.lower() == wanted] or \
                  [u for u in users if wanted in u.name.lower()]
        if len(matches) != 1:
            known = ", ".join(u.name for u in users) or "nobody yet"
            why = "matches several users" if matches else "is not a user"
            raise CommandError(f"'{name}' {why}; known users: {known}")
        user = matches[0]
    else:
        reps = [u for u in users if u.role == Role.REP]
        user = reps[0] if reps else (users[0] if users else None)
    if user is None:
        return Person(team_id=LOCAL_TEAM, user_id="UTERMINAL", name=os.environ.get("USER", "me"),
                      tz=tz or default_tz())
    return Person(team_id=LOCAL_TEAM, user_id=user.slack_user_id, name=user.name,
                  tz=tz or user.tz)


# Typed answers to a question the last reply asked with buttons of these labels.
ANSWER_WORDS = {"yes": "Yes", "y": "Yes", "yep": "Yes", "ok": "Yes", "no": "Cancel",
                "n": "Cancel", "nope": "Cancel", "cancel": "Cancel"}


def _loop(assistant, person: Person, console: Console, *, db_label: str, charts: Path) -> int:
    interactive = sys.stdin.isatty()
    if interactive:
        console.print(f"[bold]salesbot[/bold] — you are [bold]{person.name}[/bold] "
                      f"({person.tz}) on {db_label}.")
        console.print("[dim]Say what happened or ask a question; 'help' for examples, "
                      "'undo' to take back, 'quit' to leave.[/dim]\n")
    buttons = []
    while True:
        try:
            line = console.input("[bold green]you>[/bold green] ") if interactive else input()
        except EOFError:
            break
        except KeyboardInterrupt:
            console.print()
            break
        text = clean_text(line).strip()  # what the terminal lets through may not be text
        if text.lower() in EXIT_WORDS:
            break
        if not text:
            continue
        said = ANSWER_WORDS.get(text.lower().strip(".! "))
        if said is not None:  # "yes" / "no" to a question asked with those buttons
            text = next((str(i) for i, b in enumerate(buttons, 1) if b.label == said), text)
        if text.isdigit() and 1 <= int(text) <= len(buttons):
            button = buttons[int(text) - 1]
            reply = assistant.press(Press(person=person, action_id=button.action_id,
                                          value=button.value, source_id=_source()))
        elif text.isdigit() and len(text) <= 2:
            reply = Reply(f"My last reply has no button {text}." if not buttons else
                          f"Pick a button from 1 to {len(buttons)}.", ok=False)
        elif text.lower().startswith("/voice"):
            reply = _hear_file(assistant, person, text[len("/voice"):].strip())
        else:
            reply = assistant.handle(Incoming(person=person, text=text, source_id=_source(),
                                              channel="terminal"))
        if not interactive:
            console.print(f"[bold green]you>[/bold green] {text}")
        if reply.compose is not None:
            reply = _written(console, assistant, reply, charts)
        else:
            _show(console, reply, charts)
        buttons = reply.numbered_buttons()
    return 0


def _hear_file(assistant, person: Person, path: str) -> Reply:
    """`/voice PATH`: a local audio file, heard and answered as a Slack voice clip is."""
    file = Path(path).expanduser()
    if not path or not file.is_file():
        return Reply("Give me an audio file to listen to: /voice path/to/clip.wav", ok=False)
    clip = Attachment(name=file.name, url=str(file), size=file.stat().st_size)
    return assistant.handle(Incoming(person=person, text="", source_id=_source(),
                                     channel="terminal", files=(clip,)),
                            fetch=lambda url: Path(url).read_bytes())


def _show(console: Console, reply: Reply, charts: Path) -> None:
    console.print("[bold blue]bot>[/bold blue]", end=" ")
    print_reply(console, reply, files_to=charts)
    console.print()


def _written(console: Console, assistant, reply: Reply, charts: Path) -> Reply:
    """A reply a model may write (bot.writing): its chunks printed as they come, then the
    rest of the final reply; the offline reply, said why, when the model is not used."""
    from bot.writing import write
    from bot.writing.access import DbAccess

    writing = write(reply, settings=assistant.settings,
                    access=DbAccess(assistant.db, assistant.settings))
    chunks: list[str] = []
    for chunk in writing:
        if not chunks:
            console.print("[bold blue]bot>[/bold blue]", end=" ")
        print_chunk(console, chunk)
        chunks.append(chunk)
    final = writing.reply
    if not chunks:
        _show(console, final, charts)
    else:
        print_rest(console, final, shown=chunks, files_to=charts)
        console.print()
    return final


def _source() -> str:
    return f"chat:{uuid.uuid4().hex}"
