"""Shared test settings: hypothesis profiles sized for a 2-core CI machine."""

import os
import sys
from pathlib import Path

from hypothesis import HealthCheck, settings

# tests/notebook_runner.py is imported by the example tests.
sys.path.insert(0, str(Path(__file__).parent))

settings.register_profile(
    "ci", max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.register_profile("dev", max_examples=60, deadline=None)
settings.load_profile("ci" if os.environ.get("CI") else "dev")
