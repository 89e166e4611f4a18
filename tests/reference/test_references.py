"""What the reference kinds leave in finished tasks: task and artifact references name a
dependency of the task, and no ``{placeholder}`` of the fan-out stays unfilled."""

import re

import pytest
from taskgraph.util import parameterization

from taskgraph_staging.staging.reference.fanout import placeholder_names

#: The graphs checked: production, and Try graphs of every behaviour of both products.
GRAPHS = {
    "production": dict(production=True, version="121.0b3", app_version="121.0", build_number=1, release_type="beta",
                       release_product="firefox", partial_updates={"120.0b9": {"buildNumber": 1}}),
    "beta": dict(version="121.0b3", build_number=1, release_product="firefox",
                 staging={"namespace": "alice", "partials": [{"version": "121.0b2", "build_number": 1}]}),
    "release": dict(version="121.0", build_number=1, release_product="firefox", staging={"namespace": "alice"}),
    "release-rc": dict(version="121.0", build_number=1, release_product="firefox",
                       staging={"namespace": "alice", "behavior": "release-rc"}),
    "esr": dict(version="115.5.0esr", build_number=1, release_product="firefox",
                staging={"namespace": "alice", "partials": [{"version": "115.4.0esr", "build_number": 1}]}),
    "fenix": dict(version="121.0b3", build_number=1, release_product="fenix", staging={"namespace": "alice"}),
}
#: Any ``{name}`` the fan-out could have filled.
_PLACEHOLDER = re.compile(r"\{([A-Za-z_]+)\}")


def strings(value, path=""):
    """Every (path, string) of a value, dictionary keys included."""
    if isinstance(value, str):
        yield path, value
    elif isinstance(value, dict):
        for k, v in value.items():
            yield f"{path}.{k}", k
            yield from strings(v, f"{path}.{k}")
    elif isinstance(value, list):
        for i, v in enumerate(value):
            yield from strings(v, f"{path}[{i}]")


def is_scriptworker(task):
    return task.task.get("provisionerId") == "scriptworker-k8s"


@pytest.fixture(scope="module", params=sorted(GRAPHS))
def full(request, graph):
    return graph(**GRAPHS[request.param])


def test_references_name_dependencies(full, monkeypatch):
    """taskgraph resolves every task and artifact reference when it creates the task."""
    monkeypatch.setattr(parameterization, "get_artifact_url", lambda task_id, path, use_proxy=False: f"{task_id}/{path}")
    wrong = []
    for task in full.tasks.values():
        deps = {name: f"id-of-{label}" for name, label in task.dependencies.items()}
        try:
            parameterization.resolve_task_references(task.label, task.task, "id-of-self", "id-of-decision", deps)
        except KeyError as e:
            wrong.append(str(e))
    assert wrong == []


def test_no_unfilled_placeholder(full):
    known = placeholder_names()
    unfilled = sorted(
        f"{task.label}: {path} = {text!r}"
        for task in full.tasks.values()
        for path, text in strings(task.task)
        # Scriptworkers read no templates at all; other workers' commands may hold code.
        for name in _PLACEHOLDER.findall(text)
        if name in known or is_scriptworker(task)
    )
    assert unfilled == []


def test_snap_repackages_the_linux64_build(graph):
    snap = graph(**GRAPHS["production"]).tasks["release-snap-repackage-firefox"]
    assert snap.dependencies == {"build-signing": "build-signing-firefox-linux64"}
    assert snap.task["payload"]["env"]["SIGNED_PACKAGE_URL"] == {
        "artifact-reference": "<build-signing/public/build/target.tar.xz>"}


@pytest.mark.parametrize("dimension", ["platforms", "locales", "partials", "chunks"])
def test_placeholder_names_are_what_the_fan_out_fills(dimension):
    """placeholder_names() holds exactly what release_context and each fan-out dimension fill."""
    from taskgraph_staging.analysis.graphs import REFERENCE_ROOT, load_config
    from taskgraph_staging.staging.reference import fanout

    class Config:
        params = dict(version="121.0b3", build_number=1, head_rev="0" * 40, project="mozilla-beta", level="3",
                      head_repository="https://example.com", partial_updates={"121.0b2": {"buildNumber": 1}})
        graph_config = load_config(REFERENCE_ROOT)

    assert set(fanout.release_context(Config, "firefox")) == fanout.RELEASE_PLACEHOLDERS
    combos = fanout.variants(Config, {"fan-out": {dimension: 2 if dimension == "chunks" else True}}, "firefox")
    assert {name for _, extra in combos for name in extra} == fanout.FAN_OUT_PLACEHOLDERS[dimension]
