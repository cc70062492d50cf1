"""``ldn-compound presets``: the published ladders ``schedule --preset`` knows."""

from __future__ import annotations

import argparse
import json

from ..presets import PRESETS

HELP = "list the published titration ladders (examples, not recommendations)"


def configure(p: argparse.ArgumentParser) -> None:
    p.add_argument("--json", action="store_true", help="print JSON")


def run(args: argparse.Namespace) -> int:
    if args.json:
        print(json.dumps([{"name": p.name, "summary": p.summary, "citation": p.citation}
                          for p in PRESETS.values()], indent=2, ensure_ascii=False))
        return 0
    print("Published titration ladders (examples, not recommendations; "
          "use with: ldn-compound schedule --preset NAME)")
    width = max(len(n) for n in PRESETS)
    for p in PRESETS.values():
        print(f"  {p.name:<{width}}  {p.summary}")
        print(f"  {'':<{width}}  Source: {p.citation}")
    return 0
