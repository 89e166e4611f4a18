"""The Try graphs of every behaviour, for graph-wide tests of issue 3."""

import importlib.util
import os

import pytest

# tests/conftest.py under a unique name (several ``conftest`` modules exist under tests/).
_spec = importlib.util.spec_from_file_location("tests_root_conftest", os.path.join(os.path.dirname(__file__), "conftest.py"))
_conftest = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(_conftest)
reference_graph = _conftest.reference_graph

#: (behaviour, version, previous release for a production partial).
BEHAVIOURS = (
    ("beta", "121.0b3", "121.0b2"),
    ("release", "121.0", "120.0.1"),
    ("release-rc", "121.0", "120.0.1"),
    ("esr", "115.5.0esr", "115.4.0esr"),
)
PHASES = ("build", "promote", "push", "ship")
NAMESPACE = "alice"


def try_parameters(behavior, version, previous):
    return dict(
        version=version,
        build_number=1,
        release_product="firefox",
        staging={
            "namespace": NAMESPACE,
            "behavior": behavior,
            "partials": [{"version": previous, "build_number": 1, "source": "production"}],
        },
    )


def try_graph(behavior, version, previous):
    return reference_graph(**try_parameters(behavior, version, previous))


def release_tasks(graph):
    """Every release task (one with a shipping phase) of a graph."""
    return [t for t in graph.tasks.values() if t.attributes.get("shipping_phase")]


behaviours = pytest.mark.parametrize("behavior,version,previous", [pytest.param(*b, id=b[0]) for b in BEHAVIOURS])
