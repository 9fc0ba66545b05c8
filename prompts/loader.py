"""Prompts for a model, as files: `prompts/model/NAME.txt`, loaded by `load(NAME)`.

A file is a header, then its parts:

    # comments
    version: 3
    placeholders: now, tz, message        every {name} the parts use, no more, no fewer
    budget: message 1500                  at most this many tokens of that value
    --- system
    ...
    --- user
    ...

Rendering is a pure function of the values, and checks them: a missing or unexpected
value is an error here, never a literal "{message}" sent to a model.
"""

from __future__ import annotations

import string
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from typing import Any

from prompts.tokens import truncate_to_tokens

PARTS = ("system", "user")


class PromptError(ValueError):
    """A prompt file, or the values given to render it, do not fit together."""


@dataclass(frozen=True)
class Prompt:
    """A versioned template: system and user parts with named placeholders."""

    name: str
    version: int
    parts: dict[str, str]
    placeholders: frozenset[str]
    budgets: dict[str, int] = field(default_factory=dict)

    @property
    def label(self) -> str:
        """'nlu@v3': which prompt produced an answer, for logs and measurements."""
        return f"{self.name}@v{self.version}"

    def render(self, *, model: str, **values: Any) -> list[dict[str, str]]:
        """Chat messages with every placeholder filled, budgeted values cut to their tokens."""
        given = set(values)
        if given != self.placeholders:
            missing, extra = self.placeholders - given, given - self.placeholders
            raise PromptError(f"prompt {self.label}: missing {sorted(missing)}, "
                              f"unexpected {sorted(extra)}")
        filled = {name: truncate_to_tokens(str(value), self.budgets[name], model)
                  if name in self.budgets else value for name, value in values.items()}
        return [{"role": part, "content": self.parts[part].format(**filled)}
                for part in PARTS if part in self.parts]


@cache
def load(name: str) -> Prompt:
    """The prompt `name` shipped in prompts/model/, parsed and checked once."""
    path = resources.files("prompts").joinpath("model", f"{name}.txt")
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise PromptError(f"no prompt named {name!r}") from None
    return parse(name, text)


def parse(name: str, text: str) -> Prompt:
    """A Prompt from the text of its file (see the module docstring)."""
    header: dict[str, str] = {}
    parts: dict[str, list[str]] = {}
    current: list[str] | None = None
    for line in text.splitlines():
        if line.startswith("--- "):
            part = line[4:].strip()
            if part not in PARTS or part in parts:
                raise PromptError(f"prompt {name}: unexpected part {part!r}")
            current = parts[part] = []
        elif current is not None:
            current.append(line)
        elif line.strip() and not line.lstrip().startswith("#"):
            key, _, value = line.partition(":")
            header[key.strip()] = value.strip()
    if "user" not in parts:
        raise PromptError(f"prompt {name}: no user part")
    bodies = {part: "\n".join(lines).strip("\n") for part, lines in parts.items()}
    declared = frozenset(p.strip() for p in header.get("placeholders", "").split(",")
                         if p.strip())
    used = {field_name for body in bodies.values()
            for _, field_name, _, _ in string.Formatter().parse(body) if field_name is not None}
    if used != declared:
        raise PromptError(f"prompt {name}: placeholders used {sorted(used)} but declared "
                          f"{sorted(declared)}")
    budgets = {}
    for entry in filter(None, (e.strip() for e in header.get("budget", "").split(","))):
        key, _, tokens = entry.partition(" ")
        if key not in declared or not tokens.strip().isdigit():
            raise PromptError(f"prompt {name}: bad budget {entry!r}")
        budgets[key] = int(tokens)
    try:
        version = int(header["version"])
    except (KeyError, ValueError):
        raise PromptError(f"prompt {name}: needs 'version: N'") from None
    return Prompt(name=name, version=version, parts=bodies, placeholders=declared,
                  budgets=budgets)
