"""A JSON service and a dosing page over the same exact core (the ``serve`` extra).

``ldn-compound serve`` runs :func:`create_app` under uvicorn on 127.0.0.1.
The JSON endpoints under ``/api`` take the Python API's parameters by name and
return the results' records (``to_dict()``); bad input is HTTP 422 with the
library's error fields. The page at ``/`` has forms for a single dose, a
schedule with supply, and a dilution. The service holds no state and writes
no files. Needs FastAPI and uvicorn: ``pip install "ldn-compound[serve]"``.
"""

from __future__ import annotations

from ._app import MAX_BODY, create_app

__all__ = ["MAX_BODY", "create_app"]
