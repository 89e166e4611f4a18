"""The production guard: staging graphs that ask for production fail, naming task and value."""

import copy

import pytest
from taskgraph.graph import Graph
from taskgraph.task import Task
from taskgraph.taskgraph import TaskGraph

from taskgraph_staging.errors import GuardViolation
from taskgraph_staging.guard import check_graph, verify_no_production

P = "project:releng"
GRAPH_CONFIG = {"trust-domain": "gecko", "scriptworker": {"scope-prefix": P}}
TRY = {"level": "1", "project": "try", "owner": "alice@example.com", "staging": None}
PRODUCTION = dict(TRY, level="3", project="mozilla-beta")


def make_task(label, kind, scopes, payload=None, pool="scriptworker-k8s/gecko-1-misc", routes=()):
    provisioner, worker_type = pool.split("/")
    return Task(
        kind=kind,
        label=label,
        attributes={"kind": kind},
        task={
            "provisionerId": provisioner,
            "workerType": worker_type,
            "tags": {"kind": kind},
            "scopes": list(scopes),
            "payload": payload or {},
            "routes": list(routes),
        },
    )


def clean_tasks():
    return [
        make_task("build-signing-linux64", "build-signing", [f"{P}:signing:cert:dep-signing"], pool="scriptworker-k8s/gecko-t-signing"),
        make_task(
            "release-balrog-submit-toplevel-firefox",
            "release-balrog-submit-toplevel",
            [f"{P}:balrog:server:dep", f"{P}:balrog:action:v2-submit-toplevel"],
            {"behavior": "v2-submit-toplevel", "channel_names": ["alice-beta", "alice-beta-localtest"]},
            pool="scriptworker-k8s/gecko-1-balrog",
        ),
        make_task(
            "release-mark-as-shipped-firefox",
            "release-mark-as-shipped",
            [f"{P}:ship-it:server:staging"],
            {"release_name": "Firefox-121.0b3-build1-staging-alice"},
        ),
        make_task("build-linux64", "build", [], pool="gecko-1/b-linux-gcp"),
    ]


def graph(tasks):
    return TaskGraph({t.label: t for t in tasks}, Graph(frozenset(t.label for t in tasks), frozenset()))


def test_clean_graph_passes():
    assert check_graph(graph(clean_tasks()), GRAPH_CONFIG, TRY) == []


def _with(label, change):
    tasks = clean_tasks()
    for t in tasks:
        if t.label == label:
            change(t.task)
    return graph(tasks)


BALROG = "release-balrog-submit-toplevel-firefox"
VIOLATIONS = [
    pytest.param(
        "build-signing-linux64",
        lambda d: d["scopes"].append(f"{P}:signing:cert:release-signing"),
        "build-signing-linux64: scope project:releng:signing:cert:release-signing is production: "
        "scriptworker's cot_restricted_scopes restricts it to firefox: all-release-branches",
        id="scope",
    ),
    pytest.param(
        "build-linux64",
        lambda d: d.update(provisionerId="gecko-3"),
        "build-linux64: worker pool gecko-3/b-linux-gcp is production: provisioner gecko-3 holds the level-3 pools",
        id="provisioner",
    ),
    pytest.param(
        BALROG,
        lambda d: d.update(workerType="gecko-3-balrog"),
        f"{BALROG}: worker pool scriptworker-k8s/gecko-3-balrog is production: it is a level-3 (gecko-3-*) pool",
        id="pool",
    ),
    pytest.param(
        BALROG,
        lambda d: d["payload"]["channel_names"].append("beta"),
        f"{BALROG}: Balrog channel beta is production: it is a production Balrog channel that shipped updaters ask for",
        id="channel",
    ),
    pytest.param(
        "release-mark-as-shipped-firefox",
        lambda d: d.update(scopes=[f"{P}:ship-it:server:production"]),
        "release-mark-as-shipped-firefox: shipit instance https://shipit-api.mozilla-releng.net is production: "
        "the production Ship-it",
        id="shipit-instance",
    ),
]


@pytest.mark.parametrize("label, change, line", VIOLATIONS)
def test_one_production_value_is_named(label, change, line):
    assert check_graph(_with(label, change), GRAPH_CONFIG, TRY) == [line]


def test_verification_reports_every_violation_at_once():
    tasks = clean_tasks()
    tasks[0].task["scopes"].append(f"{P}:signing:cert:release-signing")
    tasks[1].task["scopes"] = [f"{P}:balrog:server:beta", f"{P}:balrog:action:v2-submit-toplevel"]
    g = graph(tasks)
    for t in tasks:
        verify_no_production(t, g, {}, GRAPH_CONFIG, TRY)  # per-task calls only collect
    with pytest.raises(GuardViolation) as info:
        verify_no_production(None, g, {}, GRAPH_CONFIG, TRY)
    lines = str(info.value).splitlines()
    assert lines[0] == (
        "production guard: 3 production request(s) in a non-production graph; give these tasks "
        "their staging form (see docs/architecture.rst, 'The staging layer'):"
    )
    assert [line.split(" is production")[0].strip() for line in lines[1:]] == [
        "build-signing-linux64: scope project:releng:signing:cert:release-signing",
        f"{BALROG}: balrog instance https://admin.balrog.prod.webservices.mozgcp.net/api",
        f"{BALROG}: scope project:releng:balrog:server:beta",
    ]


def test_verification_leaves_production_graphs_alone():
    tasks = clean_tasks()
    tasks[0].task["scopes"].append(f"{P}:signing:cert:release-signing")
    g = graph(tasks)
    assert check_graph(g, GRAPH_CONFIG, PRODUCTION)  # the table itself still sees it
    verify_no_production(None, g, {}, GRAPH_CONFIG, PRODUCTION)  # but production may
