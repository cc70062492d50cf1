"""Schemathesis against the ASGI app itself (no network): every operation in the OpenAPI
document, requests drawn from the document (valid ones and invalid ones), and every answer
checked: no server error, only documented statuses and content types, and each body valid
against the schema the document gives for its status (issue 21).

The budget is small so the suite stays quick; ``LDN_SCHEMATHESIS_EXAMPLES=1000`` runs
more. The cases run and their statuses are printed at the end (``pytest -s``).
"""

from __future__ import annotations

import collections
import os

import pytest

pytest.importorskip("fastapi", reason="the serve extra (FastAPI) is not installed")
schemathesis = pytest.importorskip("schemathesis", reason="schemathesis (test extra)")

from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from ldn_compound.serve import create_app

#: Hypothesis examples per operation (explicit examples and edge cases come on top)
EXAMPLES = int(os.environ.get("LDN_SCHEMATHESIS_EXAMPLES", "15"))
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance,
          response_schema_conformance]

schema = schemathesis.openapi.from_asgi("/openapi.json", create_app())
#: (operation, status) -> cases, for the report
SEEN: collections.Counter[tuple[str, int]] = collections.Counter()


@schema.parametrize()
@settings(max_examples=EXAMPLES, deadline=None, derandomize=True, database=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much,
                                 HealthCheck.data_too_large])
def test_every_answer_conforms_to_the_document(case):
    """Whatever the document allows (or nearly): a documented status, type and schema."""
    response = case.call_and_validate(checks=CHECKS)
    SEEN[case.operation.label, response.status_code] += 1


def test_zz_every_operation_was_exercised():
    """Runs after the cases (file order): each operation met, and at least one 200 each."""
    if not SEEN:
        pytest.skip("the schemathesis cases were not run (deselected)")
    labels = {op.ok().label for op in schema.get_all_operations()}
    assert {label for label, _ in SEEN} == labels
    assert {label for label, status in SEEN if status == 200} == labels
    print(f"\nschemathesis: {sum(SEEN.values())} cases, {EXAMPLES} examples per operation")
    for (label, status), n in sorted(SEEN.items()):
        print(f"  {label}: {status} x {n}")
