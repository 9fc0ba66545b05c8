"""The layers, checked on the source: who may import whom (docs/ARCHITECTURE.md).

    crm_store  ←  bot (assistant, nlu, render, settings)  ←  bot/listeners, bot/slack_*
                                      ↑                             ↑
                                  scheduler   ←───────────────  bot/cli

Imports are read with `ast`, not by importing, so the check sees lazy imports inside
functions too, and costs no start-up.
"""

from __future__ import annotations

import ast
from functools import cache
from pathlib import Path

import pytest

import bot.slack_app
from bot.nlu.actions import ACTION_MODELS, MODEL_BY_INTENT, Action

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("bot", "crm_store", "scheduler", "prompts")
OURS = PACKAGES


@cache
def modules() -> dict[str, Path]:
    """Every module of ours by dotted name (packages by their own name)."""
    found = {}
    for package in PACKAGES:
        for path in (ROOT / package).rglob("*.py"):
            parts = path.relative_to(ROOT).with_suffix("").parts
            if parts[-1] == "__init__":
                parts = parts[:-1]
            found[".".join(parts)] = path
    return found


@cache
def tree(module: str) -> ast.Module:
    return ast.parse(modules()[module].read_text(encoding="utf-8"))


@cache
def imports(module: str) -> frozenset[str]:
    """The dotted names `module` imports anywhere in it, as written, resolved if relative,
    plus `package.name` for `from package import name`."""
    path = modules()[module]
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    names = set()
    for node in ast.walk(tree(module)):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join(anchor + ([base] if base else []))
            names.add(base)
            names.update(f"{base}.{alias.name}" for alias in node.names)
    return frozenset(names)


def ours(name: str) -> bool:
    return name.split(".")[0] in OURS


def loaded_by(name: str) -> set[str]:
    """Our modules that importing `name` runs: it and every package above it."""
    parts = name.split(".")
    return {m for m in (".".join(parts[:i]) for i in range(1, len(parts) + 1))
            if m in modules()}


@cache
def reach(module: str) -> frozenset[str]:
    """Every module of ours that importing `module` may load, transitively."""
    seen: set[str] = set()
    todo = [module]
    while todo:
        current = todo.pop()
        for name in imports(current):
            for loaded in loaded_by(name) if ours(name) else ():
                if loaded not in seen:
                    seen.add(loaded)
                    todo.append(loaded)
    return frozenset(seen)


def within(module: str, *prefixes: str) -> bool:
    return any(module == p or module.startswith(p + ".") for p in prefixes)


def offenders(where, rule) -> list[str]:
    """'module imports name' for each import of a module in `where` that breaks `rule`
    (of our names, only modules count: `from bot.assistant import format` is an import of
    bot.assistant.format, bot.assistant being a namespace package that runs nothing)."""
    return sorted(f"{m} imports {name}" for m in modules() if where(m)
                  for name in imports(m)
                  if (not ours(name) or name in modules()) and not rule(name))


def test_the_walk_sees_real_imports():
    # Known edges, so a broken walk cannot pass every rule by seeing nothing.
    assert "scheduler.runner" in imports("bot.cli.scheduler")
    assert "bot.assistant.format" in imports("scheduler.reminders")
    assert "bot.assistant.executors" in reach("bot.assistant.core") | reach("bot.runtime")
    assert len(modules()) > 60


def test_crm_store_imports_nothing_of_ours_above_it():
    assert offenders(lambda m: within(m, "crm_store"),
                     lambda name: not ours(name) or within(name, "crm_store")) == []


def test_scheduler_uses_rendering_and_settings_but_never_the_executors():
    allowed = ("crm_store", "scheduler", "bot.settings", "bot.render", "bot.assistant.types",
               "bot.assistant.format")
    assert offenders(lambda m: within(m, "scheduler"),
                     lambda name: not ours(name) or within(name, *allowed)) == []
    loads = {m: sorted(n for n in reach(m) if within(n, "bot.assistant.executors"))
             for m in modules() if within(m, "scheduler")}
    assert {m: found for m, found in loads.items() if found} == {}


def test_only_the_cli_imports_the_scheduler():
    assert offenders(lambda m: within(m, "bot", "crm_store", "prompts")
                     and not within(m, "bot.cli"),
                     lambda name: not within(name, "scheduler")) == []


def test_listeners_run_no_sql():
    assert offenders(lambda m: within(m, "bot.listeners"),
                     lambda name: not within(name, "sqlalchemy")) == []
    calls = sorted(
        f"{m}:{node.lineno} {ast.unparse(node.func)}"
        for m in modules() if within(m, "bot.listeners")
        for node in ast.walk(tree(m))
        if isinstance(node, ast.Call) and (
            isinstance(node.func, ast.Name) and node.func.id in ("select", "text")
            or isinstance(node.func, ast.Attribute)
            and node.func.attr in ("execute", "scalar", "scalars")))
    assert calls == []


def test_slack_stays_at_the_edge():
    edge = ("bot.listeners", "bot.slack_app", "bot.slack_door", "bot.slack_notify",
            "bot.slack_serving", "bot.slack_users")
    assert offenders(lambda m: not within(m, *edge),
                     lambda name: not within(name, "slack_bolt", "slack_sdk")) == []


def test_one_module_talks_to_the_model():
    assert offenders(lambda m: not within(m, "bot.model"),
                     lambda name: not within(name, "openai")) == []


def test_every_intent_of_the_union_is_offered_to_the_model():
    from typing import get_args

    union = get_args(get_args(Action)[0])
    assert union == ACTION_MODELS
    assert set(MODEL_BY_INTENT) == {m.model_fields["intent"].default for m in union}


def manifest_scopes(text: str) -> list[str]:
    """The bot scopes of manifest.yml (`oauth_config: scopes: bot:`), read without YAML."""
    path: list[tuple[int, str]] = []  # the keys above the current line, by indentation
    scopes = []
    for line in text.splitlines():
        body = line.split(" #")[0].rstrip()
        if not body.strip() or body.lstrip().startswith("#"):
            continue
        indent = len(body) - len(body.lstrip())
        item = body.strip()
        if item.startswith("- "):
            if [k for _, k in path] == ["oauth_config", "scopes", "bot"]:
                scopes.append(item[2:].strip().strip("'\""))
            continue
        while path and path[-1][0] >= indent:
            path.pop()
        path.append((indent, item.split(":")[0]))
    return scopes


@pytest.mark.parametrize("scopes", [
    ["oauth_config:", "  scopes:", "    bot:", "      - chat:write", "      - commands",
     "    user:", "      - search:read"],
])
def test_the_manifest_reader_reads_only_bot_scopes(scopes):
    assert manifest_scopes("\n".join(scopes)) == ["chat:write", "commands"]


def test_the_oauth_install_asks_for_the_scopes_the_manifest_lists():
    listed = manifest_scopes((ROOT / "manifest.yml").read_text(encoding="utf-8"))
    assert listed and sorted(listed) == sorted(bot.slack_app.BOT_SCOPES)


def test_every_message_enters_through_assistant_handle():
    # One way in (DM, mention, /crm, a form, a voice clip, the terminal): no surface
    # carries out actions itself or hears clips on its own.
    calls = sorted(
        f"{m}:{node.lineno} {ast.unparse(node.func)}"
        for m in modules() if not within(m, "bot.assistant", "bot.voice")
        for node in ast.walk(tree(m))
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
        and node.func.attr in ("perform", "_handle", "listen", "hear"))
    assert calls == []
