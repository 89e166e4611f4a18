"""Ship-it scopes as shipitscript reads them.

shipitscript takes the one scope that starts with ``<prefix>server`` (prefix
``project:releng:ship-it:``) and runs only if it is its instance's configured scope:
``project:releng:ship-it:server:production`` on the production worker,
``...:server:staging`` on the staging one; mozilla-taskgraph's mark_as_shipped emits that form.
"""

import pytest

PREFIX = "project:releng:ship-it:"
RELEASE = dict(version="121.0b3", build_number=1, release_type="beta", release_product="firefox")


def instance_scope(scopes):
    """The scope shipitscript picks its instance by, as it does: exactly one ``<prefix>server...`` scope."""
    found = [s for s in scopes if s.startswith(f"{PREFIX}server")]
    assert len(found) == 1, f"shipitscript needs exactly one {PREFIX}server scope, got {found}"
    return found[0]


@pytest.mark.parametrize(
    "production, overrides, expected",
    [
        pytest.param(True, {}, f"{PREFIX}server:production", id="production"),
        pytest.param(False, {"staging": {"namespace": "alice"}}, f"{PREFIX}server:staging", id="try"),
    ],
)
@pytest.mark.parametrize("product", ["firefox", "fenix"])
def test_mark_as_shipped_names_the_shipit_instance(graph, production, overrides, expected, product):
    full = graph(production=production, **dict(RELEASE, release_product=product, **overrides))
    task = full.tasks[f"release-mark-as-shipped-{product}"].task
    assert instance_scope(task["scopes"]) == expected
    assert f"{PREFIX}action:mark-as-shipped" in task["scopes"]
