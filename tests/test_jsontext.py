"""model/jsontext: the same text as json.dumps(sort_keys=True, indent=2), whatever the data."""

import json
import math

import pytest

from taskgraph_staging.model.jsontext import dumps_sorted

TASK = {
    "label": "beetmover-repackage-linux64-shippable/opt-de",
    "task": {
        "scopes": ["project:releng:beetmover:bucket:dep", {"task-reference": "queue:route:<build>"}],
        "payload": {"artifactMap": [{"paths": {"a b/c.mar": {"destinations": ["pub/firefox/candidates/121.0b3-candidates/"]}}}], "maxRunTime": 600},
        "routes": [],
        "extra": {},
        "metadata": {"description": "Staging: the namespace \"bench\" is placed\nafter the version"},
    },
    "dependencies": {"build": "build-linux64/opt"},
}


@pytest.mark.parametrize(
    "data",
    [
        pytest.param({}, id="empty-object"),
        pytest.param([], id="empty-array"),
        pytest.param([[], {}, [[]], {"a": {}}], id="nested-empties"),
        pytest.param(TASK, id="task"),
        pytest.param({"b": 1, "a": 2, "B": 3, "_": 4, "é": 5, "": 6}, id="key-order"),
        pytest.param({"s": "é ü \u2028 😀 \x7f \x00 \x1f \t \n \\ \" /"}, id="escapes"),
        pytest.param([1e20, 1e-7, 0.1, -0.0, 5e-324, 1.7976931348623157e308, 2.5], id="floats"),
        pytest.param([10**30, -(10**40), 0, True, False, None], id="ints-and-constants"),
        pytest.param({1: "a", 2: "b"}, id="int-keys"),
        pytest.param((1, (2, 3)), id="tuples"),
        pytest.param("just a string", id="scalar"),
    ],
)
def test_same_text_as_json_dumps(data):
    assert dumps_sorted(data) == json.dumps(data, sort_keys=True, indent=2)


@pytest.mark.parametrize("value", [math.nan, math.inf, -math.inf], ids=["nan", "inf", "-inf"])
def test_non_finite_floats_as_python_writes_them(value):
    data = {"x": [value, 1]}
    assert dumps_sorted(data) == json.dumps(data, sort_keys=True, indent=2)


def test_unserialisable_raises_as_json_does():
    with pytest.raises(TypeError, match="not JSON serializable"):
        dumps_sorted({"x": object()})
