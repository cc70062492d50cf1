"""The shipped schedule strategies draw valid schedules and refuse bad arguments."""

import pytest
from hypothesis import given, settings
from hypothesis.errors import InvalidArgument

from ldn_compound import Schedule
from ldn_compound.strategies import drop_ladders, schedules, tapers, titrations


@settings(max_examples=30, deadline=None)
@given(schedules(min_days=3, max_days=5))
def test_schedules_respect_day_range(s):
    """Every drawn schedule is a Schedule whose steps last min_days to max_days (hold aside)."""
    assert isinstance(s, Schedule)
    assert all(3 <= st.days for st in s.steps)
    assert all(st.days <= 5 for st in s.steps[:-1])


@pytest.mark.parametrize("make", [
    lambda: titrations(min_days=0).example(),
    lambda: titrations(max_steps=0).example(),
    lambda: titrations(max_steps=2).example(),  # a titration has at least 3 steps
    lambda: tapers(min_days=5, max_days=4).example(),
    lambda: drop_ladders(max_days=400).example(),
    lambda: schedules(min_days="1").example(),
])
def test_bad_arguments(make):
    """Bad strategy arguments raise InvalidArgument."""
    with pytest.raises(InvalidArgument):
        make()
