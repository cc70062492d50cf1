"""The flag reference page (docs/reference/cli-flags.md) is the parser's own account.

Each command's flags are listed there with the value they take, their default, their
choices, whether they are required and what they do, exactly as ``--help`` has them.
A flag whose help, value name, default or choices changes without the page (or the
page without the parser) fails here. Regenerate the page with
``python tests/cli/test_cli_flags_page.py``.
"""

import argparse
import sys
from pathlib import Path

from ldn_compound.cli._main import COMMANDS, build_parser

PAGE = Path(__file__).resolve().parents[2] / "docs" / "reference" / "cli-flags.md"


def _cell(text):
    """Text for one cell of a Markdown table: as --help prints it (%% is %), | escaped."""
    return " ".join(str(text).replace("%%", "%").split()).replace("|", "\\|")


def _value(action):
    if action.nargs == 0:
        return ""
    if action.choices is not None:
        return "{" + ",".join(action.choices) + "}"
    return action.metavar if action.metavar is not None else action.dest.upper()


def _row(action, exclusive):
    flags = ", ".join(f"`{flag}`" for flag in action.option_strings)
    value = _value(action)
    default = "" if action.nargs == 0 or action.default is None else f"`{action.default}`"
    notes = [n for n in ("required" if action.required else "",
                         "repeatable" if isinstance(action, argparse._AppendAction) else "",
                         "one of " + ", ".join(exclusive) if exclusive else "") if n]
    return (f"| {flags} | {f'`{value}`' if value else ''} | {default} | {'; '.join(notes)} | "
            f"{_cell(action.help or '')} |")


def page():
    """The page's text, built from the command line's real parser."""
    parser = build_parser(list(COMMANDS))
    sub = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    helps = {choice.dest: choice.help for choice in sub._choices_actions}
    lines = ["# Command-line flags", "",
             "<!-- made from the parser by `python tests/cli/test_cli_flags_page.py`; "
             "tests/cli/test_cli_flags_page.py checks it -->", "",
             f"`ldn-compound`: {_cell(parser.description)}", ""]
    for name, command in sub.choices.items():
        groups = {}
        for group in command._mutually_exclusive_groups:
            names = [a.option_strings[0] for a in group._group_actions]
            for action in group._group_actions:
                groups[action.dest] = [n for n in names if n != action.option_strings[0]]
                if group.required:
                    groups[action.dest].append("(one is required)")
        lines += [f"## {name}", "", _cell(helps[name]), "",
                  "| flag | value | default | notes | what it does |", "|---|---|---|---|---|"]
        lines += [_row(action, groups.get(action.dest, [])) for action in command._actions
                  if action.option_strings and action.dest != "help"]
        lines.append("")
    return "\n".join(lines)


def test_the_flags_page_is_the_parsers_own():
    """Every flag of every command is on the reference page as the parser defines it."""
    assert PAGE.read_text("utf-8") == page()


def test_every_flag_says_what_it_does():
    """No flag goes without a help line, and a value-taking flag names its value."""
    parser = build_parser(list(COMMANDS))
    sub = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    for name, command in sub.choices.items():
        for action in command._actions:
            assert action.help, (name, action.dest)
            if action.option_strings and action.nargs != 0 and action.choices is None:
                assert action.metavar and action.metavar.upper() == action.metavar, (
                    name, action.dest)


if __name__ == "__main__":
    PAGE.write_text(page(), "utf-8")
    sys.exit(0)
