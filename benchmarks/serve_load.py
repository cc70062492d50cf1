"""Load on the JSON service: bounded concurrent requests over loopback to real uvicorn.

Run from the repository root (needs the serve extra)::

    python benchmarks/serve_load.py                  # 8 concurrent, 2,000 requests each
    python benchmarks/serve_load.py --requests 200   # a smoke test

Starts ``uvicorn --factory ldn_compound.serve:create_app`` in its own process
on a free port, then sends each scenario's requests from ``--concurrency``
threads, each with one keep-alive ``http.client`` connection. Reports
throughput and p50/p99 latency per scenario, and fails (exit 1) on any
error status, any lost response, or any response that is not the record the
library gives for that request.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import platform
import socket
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
SRC = ROOT / "src"
if SRC.is_dir() and str(SRC) not in sys.path:
    sys.path.insert(0, str(SRC))

from ldn_compound import Dropper, OralSyringe, Stock, measure, titrate  # noqa: E402
from ldn_compound.serve._records import record  # noqa: E402

STOCK = {"strength": "50 mg", "volume": "10 mL"}
#: name -> (path, body, the record the library gives)
SCENARIOS: dict[str, tuple[str, dict[str, Any], Any]] = {
    "measure 4.5 mg": (
        "/api/measure",
        {"dose": "4.5 mg", "stock": STOCK, "device": {"drops_per_mL": 20}},
        lambda: record(measure("4.5 mg", Stock.from_tablets("50 mg", "10 mL"), Dropper())),
    ),
    "52-step schedule": (
        "/api/schedule/titrate",
        {"start": "0.1 mg", "step": "0.1 mg", "target": "5.2 mg", "every": "1 week",
         "stock": {"strength": "50 mg", "volume": "50 mL"}, "device": {"capacity": "1 mL"}},
        lambda: {"schedule": record(titrate("0.1 mg", "0.1 mg", "5.2 mg", "1 week",
                                            Stock.from_tablets("50 mg", "50 mL"),
                                            OralSyringe("1 mL"))), "supply": None},
    ),
}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start_server(port: int) -> subprocess.Popen[bytes]:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(SRC), os.environ.get(
        "PYTHONPATH", "")])}
    proc = subprocess.Popen(
        [sys.executable, "-m", "uvicorn", "--factory", "ldn_compound.serve:create_app",
         "--host", "127.0.0.1", "--port", str(port), "--log-level", "warning"], env=env)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return proc
        except OSError:
            time.sleep(0.1)
    proc.kill()
    raise SystemExit("uvicorn did not start")


def run(port: int, path: str, body: dict[str, Any], want: Any, total: int,
        concurrency: int) -> dict[str, Any]:
    payload = json.dumps(body).encode()
    latencies: list[float] = []
    errors: list[str] = []
    lock = threading.Lock()
    next_index = iter(range(total))

    def worker() -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        mine: list[float] = []
        while True:
            with lock:
                if next(next_index, None) is None:
                    break
            t0 = time.perf_counter()
            try:
                conn.request("POST", path, payload, {"content-type": "application/json"})
                resp = conn.getresponse()
                data = resp.read()
            except OSError as exc:
                with lock:
                    errors.append(repr(exc))
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
                continue
            mine.append(time.perf_counter() - t0)
            if resp.status != 200 or json.loads(data) != want:
                with lock:
                    errors.append(f"status {resp.status}: {data[:200]!r}")
        conn.close()
        with lock:
            latencies.extend(mine)

    threads = [threading.Thread(target=worker) for _ in range(concurrency)]
    t0 = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wall = time.perf_counter() - t0
    cuts = statistics.quantiles(latencies, n=100) if len(latencies) > 1 else [0.0] * 99
    return {"answered": len(latencies), "errors": errors, "wall": wall,
            "throughput": len(latencies) / wall, "p50": cuts[49] * 1000, "p99": cuts[98] * 1000}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--concurrency", type=int, default=8)
    args = parser.parse_args()
    print(f"{platform.python_implementation()} {platform.python_version()}, "
          f"{os.cpu_count()} CPUs; server and client share them")
    port = free_port()
    server = start_server(port)
    failed = False
    try:
        for name, (path, body, want) in SCENARIOS.items():
            got = run(port, path, body, want(), args.requests, args.concurrency)
            lost = args.requests - got["answered"] - len(got["errors"])
            print(f"{name:18} {args.requests:,} requests, {args.concurrency} concurrent: "
                  f"{got['throughput']:7.1f} req/s, p50 {got['p50']:6.1f} ms, "
                  f"p99 {got['p99']:6.1f} ms, errors {len(got['errors'])}, lost {lost}")
            for line in got["errors"][:3]:
                print("   ", line)
            failed |= bool(got["errors"]) or lost != 0 or got["answered"] != args.requests
    finally:
        server.terminate()
        server.wait(10)
    print("FAILED: errors or lost responses" if failed else "no errors, no lost responses")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
