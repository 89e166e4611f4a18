import functools
import glob
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
    # Absolute: README's command gives ../shared, and tests link to it from temporary dirs.
    return os.path.join(os.path.abspath(base), *parts)


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


def _registry_state(path):
    """What a test could change about a file: whether it exists, its size and modification time."""
    try:
        st = os.stat(path)
    except FileNotFoundError:
        return None
    return (st.st_size, st.st_mtime_ns)


@pytest.fixture(scope="session", autouse=True)
def private_home(tmp_path_factory):
    """Every test (and every subprocess it starts) runs with HOME and XDG_* in a temporary directory,
    and the suite proves it never reached the user's real default library registry."""
    from taskgraph_staging.interfaces.library.registry import REGISTRY_ENV, default_registry

    from taskgraph_staging.interfaces.library import upstream_env

    pinned = ("TASKGRAPH_STAGING_WORKERS", "TASKGRAPH_STAGING_PYTHON313")
    saved = {k: os.environ.get(k) for k in ("HOME", "XDG_DATA_HOME", "XDG_CONFIG_HOME", "XDG_CACHE_HOME", REGISTRY_ENV, *pinned)}
    os.environ.pop(REGISTRY_ENV, None)
    # The upstream environments (Balrog, the workers) are built by .ci/run (or by hand)
    # into a cache outside the checkout, with the Python 3.13 found under the real HOME;
    # the tests only read them, so both are pinned before HOME moves.
    os.environ.setdefault("TASKGRAPH_STAGING_WORKERS", upstream_env.cache_dir())
    python313 = sorted(glob.glob(os.path.expanduser("~/.pyenv/versions/3.13*/bin/python3.13")), reverse=True)
    if python313:
        os.environ.setdefault("TASKGRAPH_STAGING_PYTHON313", python313[0])
    real_registry = default_registry()
    real_dir = os.path.dirname(real_registry)
    before = (_registry_state(real_registry), os.path.isdir(real_dir))
    home = tmp_path_factory.mktemp("home")
    os.environ["HOME"] = str(home)
    for name, sub in (("XDG_DATA_HOME", ".local/share"), ("XDG_CONFIG_HOME", ".config"), ("XDG_CACHE_HOME", ".cache")):
        os.environ[name] = str(home / sub)
    assert default_registry().startswith(str(home))
    yield home
    for k, v in saved.items():
        if v is None:
            os.environ.pop(k, None)
        else:
            os.environ[k] = v
    after = (_registry_state(real_registry), os.path.isdir(real_dir))
    assert after == before, f"a test reached the real default registry {real_registry}"
