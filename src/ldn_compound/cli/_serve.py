"""``ldn-compound serve``: the JSON service and the dosing page, on localhost by default."""

from __future__ import annotations

import argparse
import importlib.util

from ._flags import FlagError, quoted

HELP = "serve the dosing page and the JSON API (needs: pip install \"ldn-compound[serve]\")"

#: what the serve extra brings, by import name
_NEEDS = ("fastapi", "uvicorn")


def configure(p: argparse.ArgumentParser) -> None:
    p.add_argument("--host", default="127.0.0.1", metavar="HOST",
                   help="address to bind (default 127.0.0.1: this machine only; put a "
                        "reverse proxy with authentication in front before exposing it)")
    p.add_argument("--port", default="8000", metavar="PORT", help="TCP port (default 8000)")
    p.add_argument("--cors-origin", action="append", metavar="ORIGIN",
                   help="allow browser calls from this origin, e.g. https://pharmacy.example "
                        "(repeatable; default: none)")


def missing() -> str:
    """The serve extra's first package not installed, or ``""``."""
    return next((name for name in _NEEDS if importlib.util.find_spec(name) is None), "")


def run(args: argparse.Namespace) -> int:
    if missing():
        raise FlagError("serve", f"needs {missing()}: pip install \"ldn-compound[serve]\"")
    host = args.host
    if not (0 < len(host) <= 253 and all(c.isascii() and (c.isalnum() or c in ".:-")
                                         for c in host)):
        raise FlagError("--host", "expected an IP address or host name, e.g. 127.0.0.1 or "
                        f"localhost; got {quoted(host)}")
    if not args.port.isdigit() or not 0 < int(args.port) < 65536:
        raise FlagError("--port", f"expected a TCP port from 1 to 65535; got {args.port!r}")
    import uvicorn

    from ..serve import create_app

    app = create_app(cors_origins=args.cors_origin or ())
    uvicorn.run(app, host=args.host, port=int(args.port), log_level="info",
                server_header=False, limit_concurrency=64, timeout_keep_alive=5)
    return 0
