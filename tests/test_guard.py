"""The production guard: staging graphs that ask for production fail, naming task and value."""

import copy
import os
import shutil
import textwrap

import pytest
from taskgraph.graph import Graph
from taskgraph.task import Task
from taskgraph.taskgraph import TaskGraph

from taskgraph_staging.model.errors import GuardViolation
from taskgraph_staging.analysis.guard import check_graph, verify_no_production

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


def make_graph(tasks):
    return TaskGraph({t.label: t for t in tasks}, Graph(frozenset(t.label for t in tasks), frozenset()))


def test_clean_graph_passes():
    assert check_graph(make_graph(clean_tasks()), GRAPH_CONFIG, TRY) == []


def _with(label, change):
    tasks = clean_tasks()
    for t in tasks:
        if t.label == label:
            change(t.task)
    return make_graph(tasks)


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
    lines = check_graph(_with(label, change), GRAPH_CONFIG, TRY)
    assert line in lines and all(x.startswith(f"{label}: ") for x in lines), lines


def test_verification_reports_every_violation_at_once():
    tasks = clean_tasks()
    tasks[0].task["scopes"].append(f"{P}:signing:cert:release-signing")
    tasks[1].task["scopes"] = [f"{P}:balrog:server:beta", f"{P}:balrog:action:v2-submit-toplevel"]
    g = make_graph(tasks)
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
    g = make_graph(tasks)
    assert check_graph(g, GRAPH_CONFIG, PRODUCTION)  # the table itself still sees it
    verify_no_production(None, g, {}, GRAPH_CONFIG, PRODUCTION)  # but production may


# --- the reference graphs -------------------------------------------------------------

#: The same parameter sets as the conformance test, so the cached graphs are shared.
REFERENCE = [
    pytest.param("121.0b3", None, id="beta"),
    pytest.param("121.0", None, id="release"),
    pytest.param("121.0", "release-rc", id="release-rc"),
    pytest.param("115.5.0esr", None, id="esr"),
]


def _reference(graph, version, behavior, namespace):
    from taskgraph_staging.analysis.graphs import REFERENCE_ROOT, TRY_DEFAULTS, load_config

    staging = {"namespace": namespace}
    if behavior:
        staging["behavior"] = behavior
    overrides = {"version": version, "build_number": 1, "staging": staging}
    return graph(**overrides), load_config(REFERENCE_ROOT), dict(TRY_DEFAULTS, **overrides)


@pytest.mark.parametrize("namespace", ["alice", "bob-2"])
@pytest.mark.parametrize("version, behavior", REFERENCE)
def test_reference_try_graphs_are_clean(graph, version, behavior, namespace):
    full, graph_config, params = _reference(graph, version, behavior, namespace)
    assert check_graph(full, graph_config, params) == []


def test_reference_production_graph_is_production(graph):
    """The guard is not vacuous: the production form of the same kinds trips it everywhere."""
    from taskgraph_staging.analysis.graphs import PRODUCTION_DEFAULTS, REFERENCE_ROOT, load_config

    overrides = {"version": "121.0b3", "build_number": 1, "release_type": "beta"}
    full = graph(production=True, **overrides)
    lines = check_graph(full, load_config(REFERENCE_ROOT), dict(PRODUCTION_DEFAULTS, **overrides))
    flagged = " ".join(lines)
    for value in (
        "scope project:releng:signing:cert:release-signing",
        "scope project:releng:beetmover:bucket:release",
        "scope project:releng:balrog:server:beta",
        "scope project:releng:bouncer:server:production",
        "worker pool scriptworker-k8s/gecko-3-",
    ):
        assert value in flagged


PUT_BACK = [
    pytest.param(
        "build-signing",
        lambda d: d["scopes"].append(f"{P}:signing:cert:release-signing"),
        "scope project:releng:signing:cert:release-signing is production",
        id="signing-scope",
    ),
    pytest.param(
        "release-balrog-submit-toplevel",
        lambda d: d["payload"]["channel_names"].append("beta-localtest"),
        "Balrog channel beta-localtest is production",
        id="balrog-channel",
    ),
    pytest.param(
        "beetmover-repackage",
        lambda d: d.update(workerType="gecko-3-beetmover"),
        "worker pool scriptworker-k8s/gecko-3-beetmover is production",
        id="pool",
    ),
    pytest.param(
        "release-mark-as-shipped",
        lambda d: d.update(scopes=[s.replace("ship-it:server:staging", "ship-it:server:production") for s in d["scopes"]]),
        "shipit instance https://shipit-api.mozilla-releng.net is production",
        id="shipit-server",
    ),
    # The AMO push: the production server scope (scriptworker's cot_restricted_scopes).
    pytest.param(
        "release-push-langpacks",
        lambda d: d.update(scopes=["project:releng:addons.mozilla.org:server:production"]),
        "scope project:releng:addons.mozilla.org:server:production is production",
        id="amo-server",
    ),
    # The apt and yum imports: production's repositories (beetmover:apt-repo:release, beetmover:yum-repo:release).
    *(
        pytest.param(
            kind,
            lambda d, resource=resource: d.update(scopes=[s.replace(f"{resource}:dep", f"{resource}:release") for s in d["scopes"]]),
            f"scope project:releng:beetmover:{resource}:release is production",
            id=resource,
        )
        for kind, resource in (("beetmover-apt", "apt-repo"), ("beetmover-rpm", "yum-repo"))
    ),
    # The RPM signing: production's release cert.
    pytest.param(
        "repackage-rpm-signing",
        lambda d: d.update(scopes=["project:releng:signing:cert:release-signing"]),
        "scope project:releng:signing:cert:release-signing is production",
        id="rpm-signing-cert",
    ),
]


@pytest.mark.parametrize("kind, change, expected", PUT_BACK)
def test_putting_one_production_value_back_names_task_and_value(graph, kind, change, expected):
    full, graph_config, params = _reference(graph, "121.0b3", None, "alice")
    label = sorted(label for label, t in full.tasks.items() if t.kind == kind)[0]
    tasks = {}
    for name, t in full.tasks.items():
        if name == label:
            t = Task(kind=t.kind, label=t.label, attributes=t.attributes, task=copy.deepcopy(t.task))
            change(t.task)
        tasks[name] = t
    lines = check_graph(TaskGraph(tasks, full.graph), graph_config, params)
    assert all(line.startswith(f"{label}: ") for line in lines), lines
    assert any(line.startswith(f"{label}: {expected}: ") for line in lines), lines


def test_putting_the_production_macos_signing_pool_back_is_refused(graph):
    """iscript's pools are named apart from the level scheme (gecko-signing-mac14m2 in
    production): the guard still knows the production one."""
    full, graph_config, params = _reference(graph, "121.0b3", None, "alice")
    label = "build-signing-firefox-macosx64"
    assert full.tasks[label].task["workerType"] == "dep-gecko-signing-mac14m2"
    tasks = dict(full.tasks)
    t = tasks[label]
    tasks[label] = Task(kind=t.kind, label=t.label, attributes=t.attributes, task=dict(copy.deepcopy(t.task), workerType="gecko-signing-mac14m2"))
    lines = check_graph(TaskGraph(tasks, full.graph), graph_config, params)
    assert [line.split(": ", 2)[:2] for line in lines] == [[label, "worker pool scriptworker-prov-v1/gecko-signing-mac14m2 is production"]], lines


INJECT = """
from taskgraph.transforms.base import TransformSequence

transforms = TransformSequence()


@transforms.add
def put_back_a_production_scope(config, tasks):
    for task in tasks:
        # A production scope no family rewrite touches (the AMO server scope is the
        # addons family's, which the Try form retargets to staging).
        task.setdefault("scopes", []).append("project:scriptworker:pypi:production")
        yield task
"""


def test_generation_fails_when_a_kind_asks_for_a_production_scope(tmp_path, monkeypatch, capsys):
    """The verification runs inside generation: plan exits 2 naming task and scope."""
    from taskgraph_staging.interfaces.cli import main
    from taskgraph_staging.analysis.graphs import REFERENCE_ROOT

    root = tmp_path / "root"
    root.mkdir()
    from taskgraph_staging.analysis.scale import COPIED

    for item in COPIED:
        src = os.path.join(REFERENCE_ROOT, item)
        if os.path.isdir(src):
            shutil.copytree(src, root / item)
        elif os.path.isfile(src):
            (root / item).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy(src, root / item)
    (tmp_path / "inject_production.py").write_text(textwrap.dedent(INJECT))
    monkeypatch.syspath_prepend(str(tmp_path))
    kind_yml = root / "kinds" / "release-mark-as-shipped" / "kind.yml"
    text = kind_yml.read_text()
    last = "    - mozilla_taskgraph.transforms.scriptworker.shipit.mark_as_shipped:transforms\n"  # after the transforms that set scopes
    assert last in text
    kind_yml.write_text(text.replace(last, f"{last}    - inject_production:transforms\n", 1))
    out = tmp_path / "out"
    code = main(["plan", "--root", str(root), "--version", "121.0b3", "--namespace", "alice", "--output", str(out)])
    err = capsys.readouterr().err
    assert code == 2
    assert len(err.splitlines()) == 1 and "Traceback" not in err
    assert "production guard:" in err
    assert (
        "release-mark-as-shipped-firefox: scope project:scriptworker:pypi:production is production: "
        "scriptworker's cot_restricted_scopes restricts it to scriptworker: all-production-repos"
    ) in err
    assert not out.exists()
