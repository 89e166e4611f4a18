"""The helpers every payload builder shares."""

from types import SimpleNamespace

from taskgraph_staging.staging.payloads.common import copy_optional, set_payload

CONFIG = SimpleNamespace(graph_config={"scriptworker": {"scope-prefix": "project:releng"}})


def test_copy_optional_copies_set_fields_snake_cased():
    payload = {}
    copy_optional({"dontbuild": False, "ignore-closed-tree": None, "rollout-percentage": 10}, payload,
                  "dontbuild", "ignore-closed-tree", "rollout-percentage", "absent")
    # False is a value the worker reads; None and absent fields stay out.
    assert payload == {"dontbuild": False, "rollout_percentage": 10}


def test_set_payload_tags_and_merges_scopes():
    task_def = {"scopes": ["project:releng:b", "other"], "tags": {"kind": "x"}}
    set_payload(CONFIG, task_def, {"k": 1}, "a", "b")
    assert task_def == {
        "payload": {"k": 1},
        "scopes": ["other", "project:releng:a", "project:releng:b"],
        "tags": {"kind": "x", "worker-implementation": "scriptworker"},
    }
