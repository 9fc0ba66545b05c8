"""The `salesbot` command: one sub-command per module, each with `register(subparsers)`."""

from __future__ import annotations

import argparse
import importlib
import sys

from pydantic import ValidationError

from bot.logging_setup import configure_logging
from bot.settings import get_settings

# Sub-command → the module that registers it. Only the module of the command being
# run is imported, so `salesbot parse` never pays for database or Slack imports.
COMMANDS = {
    "chat": "chat", "parse": "parse", "serve": "serve", "scheduler": "scheduler",
    "import": "data", "export": "data", "demo": "demo", "db": "db",
}


class CommandError(Exception):
    """A problem to tell the user in one line, then exit non-zero."""

    def __init__(self, message: str, exit_code: int = 1) -> None:
        super().__init__(message)
        self.exit_code = exit_code


def build_parser(command: str | None = None) -> argparse.ArgumentParser:
    """The argument parser: just `command`'s sub-parser when given, else all of them."""
    parser = argparse.ArgumentParser(
        prog="salesbot",
        description="Slack-native sales assistant with its own SQL CRM.",
    )
    parser.add_argument("-v", "--verbose", action="store_true", help="log debug output")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    modules = [COMMANDS[command]] if command in COMMANDS else dict.fromkeys(COMMANDS.values())
    for name in modules:
        try:
            module = importlib.import_module(f"bot.cli.{name}")
        except ModuleNotFoundError as exc:
            if exc.name == f"bot.cli.{name}":
                continue  # not built yet
            raise
        module.register(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Entry point of the `salesbot` console script."""
    argv = sys.argv[1:] if argv is None else argv
    command = next((a for a in argv if not a.startswith("-")), None)
    parser = build_parser(command)
    args = parser.parse_args(argv)
    try:
        settings = get_settings()
    except ValidationError as exc:  # one line per bad variable, not a trace
        for error in exc.errors():
            name = "_".join(str(part) for part in error["loc"]).upper()
            print(f"salesbot: {name}: {error['msg']}", file=sys.stderr)
        return 2
    if args.verbose:  # -v overrides LOG_LEVEL, here and in the worker processes
        settings.log_level = "DEBUG"
    configure_logging(settings)
    if not getattr(args, "func", None):
        parser.print_help()
        return 2
    try:
        return int(args.func(args) or 0)
    except CommandError as exc:
        print(f"salesbot: {exc}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
