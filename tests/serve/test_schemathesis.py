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
import schemathesis
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


def _check(case) -> None:
    response = case.call_and_validate(checks=CHECKS)
    SEEN[case.operation.label, response.status_code] += 1


SETTINGS = settings(max_examples=EXAMPLES, deadline=None, derandomize=True, database=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much,
                                           HealthCheck.data_too_large])


@schema.exclude(path="/api/supply").parametrize()
@SETTINGS
def test_every_answer_conforms_to_the_document(case):
    """Whatever the document allows (or nearly): a documented status, type and schema."""
    _check(case)


def _schedule_text_is_checked() -> bool:
    """Whether ``Schedule.from_dict`` refuses a record whose name or kind is not text."""
    from ldn_compound import Dropper, Schedule, Stock, titrate

    data = titrate("1.5 mg", "0.5 mg", "2.5 mg", "2 weeks", Stock.from_tablets("50 mg", "10 mL"),
                   Dropper()).to_dict()
    for field in ("name", "kind"):
        try:
            Schedule.from_dict({**data, field: {}})
        except ValueError:
            continue
        return False
    return True


TEXT_CHECKED = _schedule_text_is_checked()


@schema.include(path="/api/supply").parametrize()
@pytest.mark.xfail(not TEXT_CHECKED, strict=True,
                   reason="Schedule.from_dict keeps a name or kind that is not text, and the "
                   "supply answers with it (the free-text rule on the i21txt branch fixes it)")
@SETTINGS
def test_supply_answers_conform_to_the_document(case):
    """/api/supply reads a whole Schedule record: the same checks on its answers."""
    _check(case)


def test_zz_every_operation_was_exercised():
    """Runs after the cases (file order): each operation met, and at least one 200 each."""
    if not SEEN:
        pytest.skip("the schemathesis cases were not run (deselected)")
    labels = {op.ok().label for op in schema.get_all_operations()}
    assert {label for label, _ in SEEN} == labels
    answered = labels - ({"POST /api/supply"} if not TEXT_CHECKED else set())  # xfail stops
    assert {label for label, status in SEEN if status == 200} >= answered
    print(f"\nschemathesis: {sum(SEEN.values())} cases, {EXAMPLES} examples per operation")
    for (label, status), n in sorted(SEEN.items()):
        print(f"  {label}: {status} x {n}")
