"""Print the README's Quickstart commands, one a line, exactly as written.

``.ci/run`` runs what this prints, so the README's two commands and CI can never drift apart:
the commands are the lines of the first ``bash`` block under the ``## Quickstart`` heading.
Exit 1, saying why, when the section or the block is missing or does not hold exactly two
commands (the worked example, then the tests).
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

README = Path(__file__).resolve().parent.parent / "README.md"


def quickstart_commands(text: str) -> list[str]:
    """The command lines of the Quickstart's first ``bash`` block in ``text`` (README.md)."""
    section = re.search(r"^## Quickstart\n(.*?)(?=^## )", text, flags=re.M | re.S)
    if section is None:
        raise ValueError("README.md has no '## Quickstart' section")
    block = re.search(r"^```bash\n(.*?)^```", section.group(1), flags=re.M | re.S)
    if block is None:
        raise ValueError("the Quickstart has no ```bash block")
    commands = [line.strip() for line in block.group(1).splitlines()
                if line.strip() and not line.lstrip().startswith("#")]
    if len(commands) != 2:
        raise ValueError(f"the Quickstart block holds {len(commands)} commands, not 2 "
                         "(the worked example, then the tests)")
    return commands


def main() -> int:
    """Print the commands; 1 with the reason on stderr when the README does not hold them."""
    try:
        commands = quickstart_commands(README.read_text(encoding="utf-8"))
    except ValueError as exc:
        print(f"readme_commands: {exc}", file=sys.stderr)
        return 1
    print("\n".join(commands))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
