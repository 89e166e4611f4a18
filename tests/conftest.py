import functools
import os

import pytest

REQUIRE_SHARED = os.environ.get("TASKGRAPH_STAGING_REQUIRE_SHARED") == "1"


def shared_path(*parts):
    """A path under shared/ (from $TASKGRAPH_STAGING_SHARED), or skip the test."""
    base = os.environ.get("TASKGRAPH_STAGING_SHARED")
    if not base or not os.path.isdir(base):
        if REQUIRE_SHARED:
            pytest.fail("TASKGRAPH_STAGING_SHARED must name shared/ in CI")
        pytest.skip("shared/ not available: set TASKGRAPH_STAGING_SHARED to run this test")
    return os.path.join(base, *parts)


@pytest.fixture(scope="session")
def shared_dir():
    return shared_path()


@pytest.fixture(scope="session")
def schemas_dir():
    return shared_path("scriptworker-schemas")


@functools.lru_cache(maxsize=None)
def _graph(key, production=False, until="full_task_graph"):
    import json

    from taskgraph_staging.analysis.graphs import REFERENCE_ROOT, generator

    tgg, _ = generator(REFERENCE_ROOT, json.loads(key), production=production)
    return getattr(tgg, until)


def reference_graph(production=False, until="full_task_graph", **overrides):
    """A graph of the bundled reference kinds (cached per parameter set)."""
    import json

    return _graph(json.dumps(overrides, sort_keys=True), production, until)


@pytest.fixture(scope="session")
def graph():
    return reference_graph


def pytest_addoption(parser):
    parser.addoption(
        "--update-goldens",
        action="store_true",
        default=False,
        help="rewrite tests/goldens from the graphs of tests/params (see tests/params/README.rst)",
    )
