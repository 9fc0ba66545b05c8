"""A Reply as terminal text: Slack-style *bold* as bold, tables laid out, buttons numbered."""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path

from rich.console import Console, Group
from rich.markup import escape
from rich.table import Table as RichTable
from rich.text import Text

from bot.assistant.types import Button, Reply

_BOLD = re.compile(r"(?<![\w*])\*([^*\n]+)\*(?![\w*])")
_CODE = re.compile(r"`([^`\n]+)`")


def mrkdwn_to_rich(text: str) -> str:
    """Slack mrkdwn (*bold*, `code`) to rich markup, everything else escaped."""
    out = escape(text)
    out = _BOLD.sub(r"[bold]\1[/bold]", out)
    return _CODE.sub(r"[cyan]\1[/cyan]", out)


def render(reply: Reply, *, buttons_from: int = 1) -> Group:
    """Everything in the reply, ready for `console.print`."""
    parts: list = []
    style = "" if reply.ok else "yellow"
    if reply.text:
        parts.append(Text.from_markup(mrkdwn_to_rich(reply.text), style=style))
    if reply.fields:
        grid = RichTable.grid(padding=(0, 2))
        grid.add_column(style="dim")
        grid.add_column()
        for label, value in reply.fields:
            grid.add_row(escape(label), Text.from_markup(mrkdwn_to_rich(value)))
        parts.append(grid)
    if reply.table:
        table = RichTable(show_edge=False, header_style="bold", pad_edge=False)
        for column in reply.table.columns:
            table.add_column(escape(column), overflow="fold")
        for row in reply.table.rows:
            table.add_row(*(Text.from_markup(mrkdwn_to_rich(str(c))) for c in row))
        parts.append(table)
    for line in reply.context:
        parts.append(Text.from_markup(mrkdwn_to_rich(line), style="dim"))
    if reply.buttons:
        parts.append(Text.from_markup(button_line(reply.buttons, start=buttons_from)))
    numbered = buttons_from + sum(not b.is_undo for b in reply.buttons)
    for part in reply.parts:
        parts.append(Text(""))
        parts.append(render(part, buttons_from=numbered))
        numbered += len(part.numbered_buttons())
    return Group(*parts)


def button_line(buttons: list[Button], *, start: int = 1) -> str:
    """Choices numbered from `start`; Undo is said, not numbered (see Button.is_undo)."""
    choices = [b for b in buttons if not b.is_undo]
    labels = [f"[bold cyan][{i}][/bold cyan] {escape(b.label)}"
              for i, b in enumerate(choices, start)]
    line = "   ".join(labels) + ("   [dim](type the number)[/dim]" if labels else "")
    if len(choices) < len(buttons):
        line += ("   " if labels else "") + "[dim]say [bold]undo[/bold] to take it back[/dim]"
    return line


def save_files(reply: Reply, folder: Path) -> list[Path]:
    """Write the reply's files (charts) into `folder`; their paths, in order. A file of the
    same name is replaced: the same question asked again draws the same chart."""
    if not reply.files:
        return []
    folder.mkdir(parents=True, exist_ok=True)
    saved = []
    for file in reply.files:
        path = folder / Path(file.filename).name  # never outside the folder
        path.write_bytes(file.content)
        saved.append(path)
    return saved


def print_reply(console: Console, reply: Reply, *, files_to: Path | None = None) -> None:
    """The reply as text; with `files_to`, its charts saved there and their paths said."""
    console.print(render(reply))
    print_files(console, reply, files_to)


def print_files(console: Console, reply: Reply, files_to: Path | None) -> None:
    """The reply's charts saved in `files_to`, and their paths said."""
    if files_to is None:
        return
    try:
        saved = save_files(reply, files_to)
    except OSError as error:
        console.print(f"[yellow]I couldn't save the chart in {escape(str(files_to))}: "
                      f"{escape(error.strerror or str(error))}[/yellow]")
        return
    for path in saved:
        console.print(f"[dim]Chart:[/dim] {escape(str(path))}", soft_wrap=True)


def print_chunk(console: Console, chunk: str) -> None:
    """One piece of model-written prose, as it arrives (bot.writing)."""
    console.print(Text.from_markup(mrkdwn_to_rich(chunk)))


def print_rest(console: Console, reply: Reply, *, shown: list[str],
               files_to: Path | None = None) -> None:
    """The final reply after its chunks were printed: what the chunks did not say (the
    reading before an answer, fields, table, small print, buttons); the whole reply
    again, set apart, when it is not the chunks' text (the offline one, or a draft)."""
    text = reply.text
    for joined in ("\n".join(shown), " ".join(shown)):
        if joined and joined in text:
            console.print(render(replace(reply, text=text.replace(joined, "", 1).strip())))
            break
    else:
        console.print(Text("—", style="dim"))
        console.print(render(reply))
    print_files(console, reply, files_to)
