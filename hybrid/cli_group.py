"""The `hybrid` command group: the eval harness's commands loaded lazily, and every error in one line.

`LazyGroup` adds `bench` and `report` from `evals.cli` only when they are listed or called (a broken or
absent harness never breaks the engine's CLI). Its `main` prints any click error (a usage error, a bad
option value, `InputError`) as one line, `Error: ...`, on stderr with the error's exit code (2 for usage
and input errors), instead of click's usage block: the README promises one line.
"""
from __future__ import annotations

import importlib
import importlib.util
import sys

import click

LAZY_COMMANDS = {"bench": "evals.cli", "report": "evals.cli"}


class InputError(click.ClickException):
    """A one-line usage error with exit code 2."""

    exit_code = 2


def one_line(exc: BaseException | str) -> str:
    """An exception's message (or a text) with its whitespace, newlines included, squashed to single spaces."""
    text = str(exc).strip() or type(exc).__name__
    return " ".join(text.split())


def _evals_available() -> bool:
    try:
        return importlib.util.find_spec("evals.cli") is not None
    except (ImportError, ValueError):
        return False


class LazyGroup(click.Group):
    """See the module docstring."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        names = list(super().list_commands(ctx))
        if _evals_available():
            names += [n for n in LAZY_COMMANDS if n not in names]
        return sorted(names)

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        command = super().get_command(ctx, name)
        if command is None and name in LAZY_COMMANDS and _evals_available():
            try:
                command = getattr(importlib.import_module(LAZY_COMMANDS[name]), name, None)
            except Exception:  # a broken optional harness must not break the engine's CLI
                return None
            if isinstance(command, click.Command):
                self.add_command(command, name)
        return command

    def main(self, args=None, prog_name=None, complete_var=None, standalone_mode=True, **extra):
        if not standalone_mode:
            return super().main(args, prog_name, complete_var, standalone_mode=False, **extra)
        try:
            code = super().main(args, prog_name, complete_var, standalone_mode=False, **extra)
        except click.exceptions.NoArgsIsHelpError as exc:  # bare `hybrid`: the help, as click shows it
            exc.show()
            sys.exit(exc.exit_code)
        except click.ClickException as exc:
            click.echo(f"Error: {one_line(exc.format_message())}", err=True)
            sys.exit(exc.exit_code)
        except click.Abort:
            click.echo("Aborted.", err=True)
            sys.exit(1)
        sys.exit(code if isinstance(code, int) else 0)
