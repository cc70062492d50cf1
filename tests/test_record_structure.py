"""The one structural screen and the one comparison behind every record reader
(``_records.screened`` and ``_records.agree``), held to their rules on random JSON:
what passes is returned untouched, and the first bad field is named by its path
(``steps[2].count``) with its value."""

from __future__ import annotations

import copy
import json
import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ldn_compound import Dropper, ErrorKind, InputError, records
from ldn_compound._records import MAX_DEPTH, MAX_INT, agree, parsed, screened

KEYS = st.text(st.characters(min_codepoint=97, max_codepoint=102), min_size=1, max_size=3)
SCALARS = st.one_of(st.none(), st.booleans(), st.text(max_size=4),
                    st.floats(allow_nan=False, allow_infinity=False),
                    st.integers(-MAX_INT + 1, MAX_INT - 1))
JSON = st.recursive(SCALARS, lambda inner: st.one_of(
    st.lists(inner, max_size=3), st.dictionaries(KEYS, inner, max_size=3)), max_leaves=12)
BAD_LEAVES = [math.nan, math.inf, -math.inf, MAX_INT, -MAX_INT, 10**400, {1, 2}, b"x",
              object(), 1j]


def _path(keys: list[object]) -> str:
    """The path text a refusal names, written independently of the library."""
    out = ""
    for key in keys:
        out += f"[{key}]" if isinstance(key, int) else (f".{key}" if out else str(key))
    return out


@st.composite
def _containers_with_a_slot(draw):
    """A random record with one leaf position: (record, keys to that position)."""
    keys: list[object] = []
    depth = draw(st.integers(1, 5))
    root: object = None
    parent = None
    for _ in range(depth):
        if draw(st.booleans()):
            node: object = draw(st.lists(JSON, max_size=2))
            key: object = len(node)  # type: ignore[arg-type]
        else:
            node = draw(st.dictionaries(KEYS, JSON, max_size=2))
            key = draw(KEYS.filter(lambda k, n=node: k not in n))  # type: ignore[misc]
        if parent is None:
            root = node
        elif isinstance(parent, list):
            parent.append(node)
        else:
            parent[keys[-1]] = node  # type: ignore[index]
        keys.append(key)
        parent = node
    return root, parent, keys


@settings(max_examples=80)
@given(JSON)
def test_json_values_pass_untouched(data):
    """Any JSON value (text keys, finite numbers, integers below 2**63) passes, and is
    returned as it was: the same object, unchanged."""
    before = copy.deepcopy(data)
    assert screened(data) is data
    assert data == before


@settings(max_examples=80)
@given(_containers_with_a_slot(), st.sampled_from(BAD_LEAVES))
def test_a_bad_leaf_is_named_by_its_path(slot, bad):
    """A value no record holds (NaN, infinity, an integer of 2**63 or more in size, a
    set, bytes, any other object), anywhere, is refused naming its path and quoting it."""
    root, parent, keys = slot
    if isinstance(parent, list):
        parent.append(bad)
    else:
        parent[keys[-1]] = bad
    with pytest.raises(InputError) as info:
        screened(root)
    assert info.value.parameter == _path(keys)
    assert info.value.value is bad


@settings(max_examples=40)
@given(_containers_with_a_slot(), st.sampled_from([1, 2.5, None, True, (1,)]))
def test_a_key_that_is_not_text_is_named(slot, key):
    """A dict key that is not text is refused naming the dict it is in."""
    root, parent, keys = slot
    node = {key: 1}
    if isinstance(parent, list):
        parent.append(node)
    else:
        parent[keys[-1]] = node
    with pytest.raises(InputError) as info:
        screened(root)
    assert info.value.parameter == _path(keys) and info.value.value == key


@pytest.mark.parametrize("container", [list, dict, tuple])
def test_nesting_is_refused_past_max_depth(container):
    """MAX_DEPTH levels of containers pass; one more is refused, naming the deepest
    one's path and quoting it."""
    def nest(levels: int) -> object:
        inner: object = 1
        for _ in range(levels):
            inner = {"k": inner} if container is dict else container([inner])
        return inner

    assert screened(nest(MAX_DEPTH)) is not None
    deep = nest(MAX_DEPTH + 1)
    with pytest.raises(InputError) as info:
        screened(deep)
    key: object = "k" if container is dict else 0
    assert info.value.parameter == _path([key] * MAX_DEPTH)
    innermost = deep
    for _ in range(MAX_DEPTH):
        innermost = innermost[key]  # type: ignore[index]
    assert info.value.value == innermost


@pytest.mark.parametrize(("value", "ok"), [(0.0, True), (-0.0, True), (1e308, True),
                                           (-1e308, True), (5e-324, True), (math.nan, False),
                                           (math.inf, False), (MAX_INT - 1, True),
                                           (-(MAX_INT - 1), True), (MAX_INT, False),
                                           (True, True), (None, True), ("", True)])
@pytest.mark.parametrize("where", ["top", "list", "dict"])
def test_the_limits_of_a_leaf(value, ok, where):
    """The boundaries: every finite float and every integer below 2**63 in size pass, at
    the top or inside a container; NaN, infinity and 2**63 do not."""
    data = value if where == "top" else [value] if where == "list" else {"a": value}
    if ok:
        assert screened(data) is data
        return
    with pytest.raises(InputError) as info:
        screened(data)
    assert info.value.parameter == {"top": "data", "list": "[0]", "dict": "a"}[where]


# -- agree: a stored record against the one computed again ---------------------------------
@settings(max_examples=80)
@given(JSON)
def test_a_record_agrees_with_its_copy(data):
    """A stored value agrees with an equal computed one, strict or not."""
    agree(copy.deepcopy(data), data)
    agree(copy.deepcopy(data), data, strict=False)


@settings(max_examples=80)
@given(_containers_with_a_slot(), SCALARS, SCALARS)
def test_the_first_difference_is_named(slot, old, new):
    """A stored leaf that differs from the computed one (in value or in JSON type: true
    is not 1) is refused as RECORD_MISMATCH naming its path and quoting the stored value."""
    root, parent, keys = slot
    if isinstance(parent, list):
        parent.append(old)
    else:
        parent[keys[-1]] = old
    stored = copy.deepcopy(root)
    spot = stored
    for key in keys[:-1]:
        spot = spot[key]  # type: ignore[index]
    spot[keys[-1]] = new  # type: ignore[index]
    if type(old) is type(new) and (old == new or old != old):
        agree(stored, root)
        return
    with pytest.raises(InputError) as info:
        agree(stored, root)
    assert info.value.kind is ErrorKind.RECORD_MISMATCH
    assert info.value.parameter == _path(keys)
    assert info.value.value == new or new != new


@pytest.mark.parametrize(("stored", "computed", "parameter", "value"), [
    ({"a": 1}, {"a": 1, "b": 2}, "b", None),  # a field missing from the stored record
    ({"a": 1, "b": 2}, {"a": 1}, "b", 2),  # a field the record does not have
    ({"a": {"b": [1]}}, {"a": {"b": [1, 2]}}, "a.b", "1 items"),
    ([1, 2, 3], [1, 2], "record", "3 items"),
    ({"a": [1, {"c": True}]}, {"a": [1, {"c": 1}]}, "a[1].c", True),
    (1, 1.0, "record", 1),
    ([{"x": "1 mg"}], [{"x": "1 mg "}], "[0].x", "1 mg"),
    ({"a": [1]}, {"a": {"0": 1}}, "a", [1]),  # a list where a dict was computed
    ({"a": {"0": 1}}, {"a": [1]}, "a", {"0": 1}),
])
def test_agree_refuses_naming_the_field(stored, computed, parameter, value):
    """Missing and unknown fields, lists of another length, another JSON type: each is
    RECORD_MISMATCH naming the field and quoting what the record stores."""
    with pytest.raises(InputError) as info:
        agree(stored, computed)
    assert info.value.kind is ErrorKind.RECORD_MISMATCH
    assert (info.value.parameter, info.value.value) == (parameter, value)


def test_an_unversioned_record_is_compared_on_the_fields_both_have():
    """strict=False (a 0.1 record): only the keys both have are compared, never the
    schema; a shared field that differs is still refused."""
    agree({"schema": "old", "a": 1, "extra": 2}, {"schema": "new", "a": 1, "b": 3},
          strict=False)
    with pytest.raises(InputError) as info:
        agree({"a": 1, "b": [2]}, {"a": 1, "b": [3]}, strict=False)
    assert info.value.parameter == "b[0]"
    with pytest.raises(InputError):
        agree({"schema": "old"}, {"schema": "new"})


# -- reading: JSON text, the record's own shape, old (0.1) dicts ---------------------------
@pytest.mark.parametrize(("text", "value", "says"), [
    ("[1, NaN]", "NaN", "finite"), ('{"a": Infinity}', "Infinity", "finite"),
    ("-Infinity", "-Infinity", "finite"), ("[1e999]", "1e999", "1e308"),
    ("[-1e400]", "-1e400", "1e308"),
])
def test_json_text_without_a_json_number_is_refused(text, value, says):
    """NaN, Infinity and numbers past a float's range are refused as "text", quoting the
    token (the one place JSON text is read, for every record kind)."""
    with pytest.raises(InputError) as info:
        parsed(text, "a record")
    assert (info.value.parameter, info.value.value) == ("text", value)
    assert says in info.value.expected


def test_json_text_nested_past_the_parser_is_refused():
    """Text nested deeper than the parser can read is refused as "text" (never a
    RecursionError), saying how deep a record may nest."""
    text = "[" * 100_000 + "]" * 100_000
    with pytest.raises(InputError) as info:
        parsed(text, "a record")
    assert (info.value.parameter, info.value.value) == ("text", text)
    assert str(MAX_DEPTH) in info.value.expected


@pytest.mark.parametrize("data", [[1], "dropper", 5, None, (("type", "dropper"),)])
def test_a_record_that_is_not_a_dict_is_refused_quoting_it(data):
    """A record that is not a dict is refused as "data", quoting it."""
    with pytest.raises(InputError) as info:
        Dropper.from_dict(data)
    assert info.value.parameter == "data" and info.value.value == data


@pytest.mark.parametrize("schema", ["ldn_compound/pill@1", "ldn_compound/@1",
                                    "ldn_compound/dropper@2", "dropper@1", 7, None])
def test_load_refuses_a_schema_it_does_not_know_quoting_it(schema):
    """records.load refuses an unknown record name or version, quoting the name read
    (the record name for an unknown record, else the whole field)."""
    with pytest.raises(InputError) as info:
        records.load({"schema": schema})
    assert info.value.parameter == "schema" and info.value.kind is ErrorKind.RECORD_MISMATCH
    assert info.value.value == ("pill" if schema == "ldn_compound/pill@1" else schema)


_OLD_DROPPER = {"type": "dropper", "drops_per_mL": "20", "drop_volume": "0.05 mL"}


def test_an_old_dict_is_read_with_its_renamed_key():
    """A 0.1 dict's old key (``tolerance``) is read as the new one (``volume_error``);
    when a dict has both, the new key is what is read."""
    old = Dropper.from_dict({**_OLD_DROPPER, "tolerance": "0.15"})
    assert old.to_dict()["volume_error"] == "0.15"
    both = Dropper.from_dict({**_OLD_DROPPER, "tolerance": "0.2", "volume_error": "0.15"})
    assert both.to_dict()["volume_error"] == "0.15"


def test_defaults_fill_only_an_unversioned_dict():
    """An old (0.1) dict may lack an input added since (its 0.1 default is taken); a
    versioned record may not: it is refused as "data"."""
    assert Dropper.from_dict({**_OLD_DROPPER, "volume_error": "0.15"}).max_drops is None
    with pytest.raises(InputError) as info:
        Dropper.from_dict({**_OLD_DROPPER, "schema": "ldn_compound/dropper@1",
                           "volume_error": "0.15"})
    assert info.value.parameter == "data"


@pytest.mark.parametrize("indent", [None, 0, 2, 4])
def test_to_json_is_the_record_as_json(indent):
    """to_json(indent) is the record, indented as asked (2 by default), non-ASCII kept."""
    d = Dropper(20)
    assert d.to_json(indent) == json.dumps(d.to_dict(), indent=indent, ensure_ascii=False)
    assert d.to_json() == d.to_json(2) != d.to_json(None)


def test_lists_of_another_length_say_both_lengths():
    """A list of another length is refused quoting the stored length and saying the
    computed one."""
    with pytest.raises(InputError) as info:
        agree({"a": [1, 2, 3]}, {"a": [1, 2]})
    assert info.value.value == "3 items" and "2 items" in info.value.expected


@pytest.mark.parametrize("kind", [[1], {"a": 1}, 5, None])
def test_a_nested_record_of_no_known_kind_is_refused(kind):
    """A dilution plan whose nested device names no record kind (its "type" a list, a
    dict, a number, or none) is refused as the library's InputError, never a raw
    TypeError from looking the kind up."""
    import ldn_compound as lc

    data = lc.plan_dilution("1 mcg", "50 mg").to_dict()
    data["device"] = {k: v for k, v in data["device"].items() if k != "schema"}
    data["device"]["type"] = kind
    with pytest.raises(InputError):
        lc.DilutionPlan.from_dict(data)
