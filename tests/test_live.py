"""live: staging releases in flight from a file or the Taskcluster index (mocked), and the check before a push."""

import datetime
import re

import pytest
import responses
import yaml
from audit_plans import audit_graph, graph_config, plan
from release_graphs import BEHAVIOURS

from taskgraph_staging.analysis.live import (
    InFlight,
    LiveError,
    check_before_push,
    format_live,
    index_path,
    read_index,
    read_live_file,
    require_clear,
    shared_names,
)
from taskgraph_staging.analysis import live
from taskgraph_staging.model.errors import StagingError
from taskgraph_staging.model.naming import index_route
from taskgraph_staging.model.release import DEFAULT_SERVICES, Behavior, Namespace, Services, StagingRelease

ROOT = "https://tc.example.net"
PREFIX = "gecko.v2.try.staging-release"
NOW = datetime.datetime(2025, 12, 1, tzinfo=datetime.timezone.utc)
LATER = "2025-12-29T00:00:00.000Z"
EARLIER = "2025-11-01T00:00:00.000Z"
BETA = BEHAVIOURS[0]
BUCKET = DEFAULT_SERVICES["archive_bucket"]
SHIPIT = DEFAULT_SERVICES["shipit"]


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


@pytest.mark.parametrize("text, problem", [
    pytest.param("- {namespace: bob, version: 121.0b3, build_number: x}\n", "entry 1: build_number: expected int, got str", id="build-number-str"),
    pytest.param("- {namespace: [bob], version: 121.0b3}\n", "entry 1: namespace: expected str, got array", id="namespace-list"),
    pytest.param("- {namespace: bob, version: 121.0b3, build-number: 2}\n", "entry 1: object contains unknown field build-number", id="misspelt-field"),
    pytest.param("- [1, 2]\n", "entry 1 lacks namespace, version", id="not-a-mapping"),
])
def test_a_live_file_entry_of_the_wrong_type_is_named(tmp_path, text, problem):
    path = tmp_path / "live.yml"
    path.write_text(text)
    with pytest.raises(LiveError) as raised:
        read_live_file(str(path))
    assert raised.value.one_line() == f"--live-file {path}: {problem}"


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


def test_a_push_of_a_version_in_flight_on_the_shared_archive_is_refused_unless_overridden(tmp_path):
    """A push has no graph: push-to-releases's prefix of its version is what any release of
    that version writes on a shared bucket, so a release of it in flight collides."""
    path = tmp_path / "live.yml"
    path.write_text(yaml.safe_dump([{"namespace": "alice", "version": "121.0b3"}]))
    result = check_before_push(graph_config=graph_config(), releases=[release("bob")], live_file=str(path))
    assert result["ok"] is False and result["namespace_reuse"] == []
    row, shipit = result["shared"]
    assert (row["service"], row["instance"], row["kind"], row["name"]) == ("archive", BUCKET, "prefix", "pub/firefox/releases/121.0b3/")
    assert row["with"] == f"firefox 121.0b3 build 1 in namespace alice ({path})"
    # Ship-it names the release itself: one release of 121.0b3 build1 on the shared Ship-it.
    assert (shipit["service"], shipit["instance"], shipit["kind"], shipit["name"]) == ("shipit", SHIPIT, "release", "Firefox-121.0b3-build1")
    with pytest.raises(LiveError, match=r"^live check: shared by nature and written by a release in flight too: archive .* prefix pub/firefox/releases/121\.0b3/, shipit .* release Firefox-121\.0b3-build1 \(removed by a dedicated Ship-it \(a library slot\); a dedicated archive .*; --allow-shared pushes anyway\)"):
        require_clear(result)
    require_clear(result, allow_shared=True)
    other_version = check_before_push(graph_config=graph_config(), releases=[release("bob", "121.0b4")], live_file=str(path))
    assert other_version["ok"] is True and other_version["shared"] == []
    dedicated = StagingRelease(
        "firefox", "121.0b3", 1, Namespace("bob"), Behavior("beta"),
        services=Services.from_dict(
            {"archive_bucket": "staging-slot1-archive", "archive_domain": "slot1.archive.example.net", "shipit": "https://slot1.shipit.example.net", "dedicated": ["archive", "shipit"]}
        ),
    )
    on_a_slot = check_before_push(graph_config=graph_config(), releases=[dedicated], live_file=str(path))
    assert on_a_slot["ok"] is True and on_a_slot["shared"] == []


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
    assert result["in_flight"] == [f"firefox 121.0b3 build 1 in namespace birch ({PREFIX}.birch.firefox-121_0b3-build1)"]
    [shared] = result["audit"]["shared"]
    assert shared["resources"][0]["also_written_by"] == ["in flight: birch"]
    # Both write push-to-releases's 121.0b3 prefix on the shared bucket: refused, the
    # name and its remedy listed, unless the user overrides it.
    assert result["ok"] is False and result["namespace_reuse"] == []
    shared_name = f"archive {BUCKET} prefix pub/firefox/releases/121.0b3/"
    shipit_name = f"shipit {SHIPIT} release Firefox-121.0b3-build1"
    # Devedition's releases directory too: a beta graph releases Devedition beside Firefox.
    devedition_name = f"archive {BUCKET} prefix pub/devedition/releases/121.0b3/"
    assert {shared_name, devedition_name, shipit_name} <= set(shared_names(result))
    with pytest.raises(LiveError, match=re.escape("written by a release in flight too: ") + ".*" + re.escape(f"{shared_name}, ") + ".*" + re.escape(f"{shipit_name}, ") + ".*" + re.escape("(removed by a Lando repository of its own (Lando's administrators make one; no library slot holds one); ") + ".*" + re.escape("a dedicated Ship-it (a library slot); a dedicated archive")) as refused:
        require_clear(result)
    # Dozens of names of one kind (the langpacks on AMO's staging server) are counted, not listed.
    line = str(refused.value)
    assert "amo https://addons.allizom.org langpack devedition ar 121.0b3, " in line
    assert re.search(r"\b27 more amo langpack names on https://addons\.allizom\.org\b", line), line
    assert "langpack firefox zh-CN" not in line
    require_clear(result, allow_shared=True)
    assert "Live check: REFUSED" in format_live(result)

    # The same plan in the in-flight namespace: refused for the namespace and every collision.
    same = audit_graph("new", *plan(BETA, "birch"))
    result = check_before_push([same], graph_config(), root_url=ROOT, now=NOW)
    assert result["ok"] is False
    assert result["namespace_reuse"][0]["namespace"] == "birch"
    [pair] = result["audit"]["collisions"]
    assert pair["graphs"] == ["new", "in flight: birch"]
    # The submission names the channel; the schedule pins it.
    assert {"release-balrog-submit-toplevel-firefox", "release-balrog-scheduling-firefox"} == set(
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
        "devedition": "index.gecko.v2.try.staging-release.alice.devedition-121_0b3-build1",
    }
    for label, routes in indexed.items():
        assert routes == [expected[full.tasks[label].attributes["shipping_product"]]]
    assert release("alice").namespace.value in index_route(release("alice"), "gecko")


@pytest.fixture
def silent_server():
    """A server on 127.0.0.1 that accepts connections and never answers."""
    import socket

    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(8)
    try:
        yield f"http://127.0.0.1:{server.getsockname()[1]}"
    finally:
        server.close()


def test_an_index_that_never_answers_fails_in_one_line_after_the_timeout(silent_server, monkeypatch):
    monkeypatch.setattr(live, "TIMEOUT", 0.2)
    with pytest.raises(live.LiveError, match=r"^index .*: http://127\.0\.0\.1:\d+/api/index/v1/namespaces/\S+: "
                                             r"no answer after (\d+\.\d) s \(timeout 0\.2 s\)$") as info:
        live.read_index("gecko", url=silent_server)
    waited = float(re.search(r"after (\d+\.\d) s", str(info.value)).group(1))
    assert waited >= 0.2


def test_every_live_call_is_bounded(silent_server, monkeypatch):
    """The queue (an in-flight graph's artifacts) and the action's previous graphs too."""
    import requests

    from taskgraph_staging.interfaces.actions.previous import fetch_previous_graphs

    monkeypatch.setattr(live, "TIMEOUT", 0.2)
    with pytest.raises(live.LiveError, match=r"^task TASKB: .*/api/queue/v1/task/TASKB: no answer after \d+\.\d s"):
        live.fetch_graph("TASKB", url=silent_server, session=requests.Session())
    monkeypatch.setenv("TASKCLUSTER_ROOT_URL", silent_server)
    monkeypatch.delenv("TASKCLUSTER_PROXY_URL", raising=False)
    with pytest.raises(StagingError, match=r"^input.previous_graph_ids: cannot read public/parameters.yml of task ABC "
                                           r"\(the queue: no answer after \d+\.\d s \(timeout 0\.2 s\)\)"):
        fetch_previous_graphs({}, {"trust-domain": "gecko"}, ("ABC",))
    with pytest.raises(StagingError, match=r"^input.previous_graph_ids: the index \(gecko\.v2\.try\.pushlog-id\.7\.decision\): "
                                           r"no answer after \d+\.\d s"):
        fetch_previous_graphs({"project": "try", "pushlog_id": "7"}, {"trust-domain": "gecko"})
