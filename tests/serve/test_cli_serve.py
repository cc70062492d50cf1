"""``ldn-compound serve``: the extra's absence, its flags, and a real start on localhost."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
import urllib.request

import pytest

from ldn_compound.cli import _serve as serve_command
from ldn_compound.cli import main


def test_missing_extra_exits_2_with_the_install_line(monkeypatch, capsys):
    """Without FastAPI/uvicorn: exit 2, one line saying how to install the extra."""
    monkeypatch.setattr(serve_command, "_NEEDS", ("ldn_compound_no_such_module",))
    assert main(["serve"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and 'pip install "ldn-compound[serve]"' in err[0]


@pytest.mark.parametrize("port", ["http", "0", "70000"])
def test_bad_port_is_refused(port, capsys):
    """A port that is not 1 to 65535 exits 2 naming --port."""
    assert main(["serve", "--port", port]) == 2
    assert "--port" in capsys.readouterr().err


def test_serve_starts_on_localhost_and_serves_the_page():
    """`ldn-compound serve --port N` binds 127.0.0.1 and answers GET / with the page."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    proc = subprocess.Popen([sys.executable, "-m", "ldn_compound.cli", "serve", "--port",
                             str(port)], stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=2) as r:
                    page = r.read().decode()
                break
            except OSError:
                if time.monotonic() > deadline or proc.poll() is not None:
                    raise
                time.sleep(0.2)
        assert "<label for='m-dose'>Dose</label>" in page
    finally:
        proc.terminate()
        proc.wait(10)
