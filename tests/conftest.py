"""Shared test settings: hypothesis profiles sized for a 2-core CI machine; cold caches."""

import os
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

from ldn_compound import units

# tests/notebook_runner.py is imported by the example tests.
sys.path.insert(0, str(Path(__file__).parent))

#: .ci/run sets LDN_TEST_INSTALLED=1 for the run against the built wheel: the package under
#: test must then be the installed one, never this checkout's src/ (a file missing from the
#: wheel would otherwise go unseen).
SOURCE_PACKAGE = Path(__file__).resolve().parent.parent / "src" / "ldn_compound"
if os.environ.get("LDN_TEST_INSTALLED") == "1":
    _imported = Path(units.__file__).resolve().parent.parent
    if _imported == SOURCE_PACKAGE:
        raise RuntimeError(f"LDN_TEST_INSTALLED=1 but ldn_compound is imported from {_imported}")

settings.register_profile(
    "ci", max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.register_profile("dev", max_examples=60, deadline=None)
# tools/mutation.py: the same examples on every run, so a score can be compared.
settings.register_profile("mutation", max_examples=60, deadline=None, derandomize=True,
                          database=None, suppress_health_check=list(HealthCheck))
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE") or ("ci" if os.environ.get("CI")
                                                                 else "dev"))

#: Module-level caches of the library: a result cached by an earlier test would
#: hide the code behind it (a mutant there would survive), so each test starts cold.
_CACHES = (units._parse_cache, units._quantity_cache)


@pytest.fixture(autouse=True)
def _cold_caches():
    """Each test starts with the library's caches empty."""
    for cache in _CACHES:
        cache.clear()
    yield
