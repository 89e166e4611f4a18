"""live: staging releases in flight from a file or the Taskcluster index (mocked), and the check before a push."""

import datetime

import pytest
import responses
import yaml
from audit_plans import audit_graph, graph_config, plan
from release_graphs import BEHAVIOURS

from taskgraph_staging.analysis.live import (
    InFlight,
    LiveError,
    check_before_push,
    index_path,
    read_index,
    read_live_file,
    require_clear,
)
from taskgraph_staging.model.naming import index_route
from taskgraph_staging.model.release import Behavior, Namespace, Services, StagingRelease

ROOT = "https://tc.example.net"
PREFIX = "gecko.v2.try.staging-release"
NOW = datetime.datetime(2025, 12, 1, tzinfo=datetime.timezone.utc)
LATER = "2025-12-29T00:00:00.000Z"
EARLIER = "2025-11-01T00:00:00.000Z"
BETA = BEHAVIOURS[0]


def release(namespace="alice", version="121.0b3"):
    return StagingRelease("firefox", version, 1, Namespace(namespace), Behavior("beta"), services=Services.from_dict({}))


def test_index_path_and_route():
    assert index_path("gecko", release()) == f"{PREFIX}.alice.firefox-121_0b3-build1"
    assert index_route(release(), "gecko", project="try") == f"index.{PREFIX}.alice.firefox-121_0b3-build1"


def mock_index(rsps, entries):
    """entries: {namespace: [(leaf, task id, expires)]}; namespaces listed over two pages."""
    names = sorted(entries)
    rsps.get(
        f"{ROOT}/api/index/v1/namespaces/{PREFIX}",
        json={"namespaces": [{"name": n, "namespace": f"{PREFIX}.{n}"} for n in names[:1]], "continuationToken": "t1"},
        match=[responses.matchers.query_param_matcher({})],
    )
    rsps.get(
        f"{ROOT}/api/index/v1/namespaces/{PREFIX}",
        json={"namespaces": [{"name": n, "namespace": f"{PREFIX}.{n}"} for n in names[1:]]},
        match=[responses.matchers.query_param_matcher({"continuationToken": "t1"})],
    )
    for n, tasks in entries.items():
        rsps.get(
            f"{ROOT}/api/index/v1/tasks/{PREFIX}.{n}",
            json={"tasks": [{"namespace": f"{PREFIX}.{n}.{leaf}", "taskId": tid, "rank": 0, "data": {}, "expires": exp} for leaf, tid, exp in tasks]},
        )


@responses.activate
def test_read_index_lists_unexpired_releases_over_pages():
    mock_index(
        responses,
        {
            "alice": [("firefox-121_0b3-build1", "TASKA", LATER), ("firefox-120_0b9-build2", "OLD", EARLIER)],
            "bob": [("fenix-121_0b3-build2", "TASKB", LATER)],
        },
    )
    assert read_index("gecko", ROOT, now=NOW) == [
        InFlight("alice", "firefox", "121.0b3", 1, f"{PREFIX}.alice.firefox-121_0b3-build1", "TASKA"),
        InFlight("bob", "fenix", "121.0b3", 2, f"{PREFIX}.bob.fenix-121_0b3-build2", "TASKB"),
    ]


@responses.activate
def test_an_empty_index_means_nothing_in_flight():
    responses.get(f"{ROOT}/api/index/v1/namespaces/{PREFIX}", status=404, json={})
    assert read_index("gecko", ROOT, now=NOW) == []


@responses.activate
def test_index_errors_are_one_line():
    responses.get(f"{ROOT}/api/index/v1/namespaces/{PREFIX}", status=500, json={})
    with pytest.raises(LiveError, match=rf"index {PREFIX}: {ROOT}/api/index/v1/namespaces/{PREFIX} answered HTTP 500"):
        read_index("gecko", ROOT, now=NOW)


def test_no_root_url_says_what_to_give(monkeypatch):
    monkeypatch.delenv("TASKCLUSTER_ROOT_URL", raising=False)
    with pytest.raises(LiveError, match="give --root-url or set TASKCLUSTER_ROOT_URL, or use --live-file"):
        read_index("gecko", None)


def test_live_file(tmp_path):
    path = tmp_path / "live.yml"
    path.write_text(yaml.safe_dump([{"namespace": "alice", "version": "121.0b3"}, {"namespace": "bob", "version": "121.0", "build_number": 2, "graph": "bob"}]))
    assert read_live_file(str(path)) == [
        InFlight("alice", "firefox", "121.0b3", 1, str(path)),
        InFlight("bob", "firefox", "121.0", 2, str(path), graph=str(tmp_path / "bob")),
    ]
    path.write_text("- {namespace: alice}\n")
    with pytest.raises(LiveError, match="entry 1 lacks version"):
        read_live_file(str(path))
    path.write_text("- {namespace: [alice\n")
    with pytest.raises(LiveError, match=rf"^--live-file: {path} is not valid YAML or JSON \(line 2\)$"):
        read_live_file(str(path))
    with pytest.raises(LiveError, match=r"^--live-file: cannot read .*absent\.yml \(No such file or directory\)$"):
        read_live_file(str(tmp_path / "absent.yml"))
    path.write_text("")
    assert read_live_file(str(path)) == []


def test_a_push_in_a_namespace_in_flight_is_refused(tmp_path):
    path = tmp_path / "live.yml"
    path.write_text(yaml.safe_dump([{"namespace": "alice", "version": "120.0b9"}]))
    result = check_before_push(graph_config=graph_config(), releases=[release("alice")], live_file=str(path))
    assert result["ok"] is False
    assert result["namespace_reuse"] == [
        {"new": "alice", "namespace": "alice", "in_flight": [f"firefox 120.0b9 build 1 in namespace alice ({path})"]}
    ]
    with pytest.raises(LiveError, match="live check: namespace alice is in flight"):
        require_clear(result)
    clear = check_before_push(graph_config=graph_config(), releases=[release("bob")], live_file=str(path))
    assert clear["ok"] is True and clear["audit"] is None
    require_clear(clear)


@responses.activate
def test_a_plan_is_audited_against_the_in_flight_graphs_of_the_index():
    mine = audit_graph("new", *plan(BETA, "amber"))
    tasks, params = plan(BETA, "birch")
    mock_index(responses, {"birch": [("firefox-121_0b3-build1", "TASKB", LATER)]})
    # The index holds one of the release's first tasks; its task group is the decision task.
    responses.get(f"{ROOT}/api/queue/v1/task/TASKB", json={"taskId": "TASKB", "taskGroupId": "DECISION"})
    base = f"{ROOT}/api/queue/v1/task/DECISION/artifacts"
    responses.get(f"{base}/public/full-task-graph.json", json=tasks)
    responses.get(f"{base}/public/parameters.yml", body=yaml.safe_dump(params))
    result = check_before_push([mine], graph_config(), root_url=ROOT, now=NOW)
    assert result["ok"] is True
    assert result["in_flight"] == [f"firefox 121.0b3 build 1 in namespace birch ({PREFIX}.birch.firefox-121_0b3-build1)"]
    [shared] = result["audit"]["shared"]
    assert shared["resources"][0]["also_written_by"] == ["in flight: birch"]

    # The same plan in the in-flight namespace: refused for the namespace and every collision.
    same = audit_graph("new", *plan(BETA, "birch"))
    result = check_before_push([same], graph_config(), root_url=ROOT, now=NOW)
    assert result["ok"] is False
    assert result["namespace_reuse"][0]["namespace"] == "birch"
    [pair] = result["audit"]["collisions"]
    assert pair["graphs"] == ["new", "in flight: birch"]
    assert {"release-balrog-submit-toplevel-firefox"} == set(
        next(r for r in pair["resources"] if r["name"] == "birch-beta")["tasks"]["in flight: birch"]
    )


def test_a_staging_graph_indexes_its_first_tasks_at_the_in_flight_path(graph):
    full = graph(version="121.0b3", release_product="firefox", staging={"namespace": "alice", "behavior": "beta"})
    indexed = {
        label: [r for r in task.task.get("routes", []) if r.startswith("index.gecko.v2.try.staging-release.")]
        for label, task in full.tasks.items()
    }
    indexed = {label: routes for label, routes in indexed.items() if routes}
    builds = {}
    for label, task in full.tasks.items():
        if task.kind == "build" and not task.dependencies:
            builds.setdefault(task.attributes["shipping_product"], []).append(label)
    firsts = {min(labels) for labels in builds.values()}
    assert indexed and set(indexed) == firsts
    expected = {
        "firefox": "index.gecko.v2.try.staging-release.alice.firefox-121_0b3-build1",
        "fenix": "index.gecko.v2.try.staging-release.alice.fenix-121_0b3-build1",
    }
    for label, routes in indexed.items():
        assert routes == [expected[full.tasks[label].attributes["shipping_product"]]]
    assert release("alice").namespace.value in index_route(release("alice"), "gecko")
