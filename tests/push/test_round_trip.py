"""Round trip: the pushed try_task_config.json, applied as the decision task applies it
(strict parameters, --allow-parameter-override), gives the graph ``plan`` gives for the
same choices."""

import os
import shutil

import pytest
from taskgraph.decision import get_decision_parameters
from taskgraph.generator import TaskGraphGenerator

from taskgraph_staging.interfaces.cli import main
from taskgraph_staging.analysis.graphs import REFERENCE_REPOSITORY, REFERENCE_ROOT, TRY_DEFAULTS, generator, load_config
from taskgraph_staging.interfaces.plan import PlanRequest, validate
from vcs_repos import run

#: What the push, not the staging choices, decides: taken from the decision's parameters for the plan.
PUSH_CONTEXT = (
    "base_repository", "head_repository", "head_rev", "head_ref", "base_rev", "repository_type", "project",
    "level", "owner", "tasks_for", "pushlog_id", "pushdate", "build_date", "moz_build_date", "files_changed",
)


@pytest.fixture
def reference_checkout(tmp_path, git_try):
    """A git checkout of the reference root (config.yml, kinds, the version files), on Try already."""
    path = tmp_path / "reference"
    path.mkdir()
    for name in ("config.yml", "kinds", "browser", "build", "config", "mobile"):
        source = os.path.join(REFERENCE_ROOT, name)
        (shutil.copytree if os.path.isdir(source) else shutil.copy)(source, path / name)
    run("git", "init", "-q", "-b", "main", cwd=path)
    run("git", "config", "user.email", "alice@example.com", cwd=path)
    run("git", "add", "-f", ".", cwd=path)
    run("git", "commit", "-q", "-m", "reference", cwd=path)
    run("git", "remote", "add", "try", str(git_try), cwd=path)
    return path


def decision_graph(try_repo, tmp_path, monkeypatch):
    """The full task graph a Try decision task makes of the pushed commit."""
    clone = tmp_path / "decision"
    run("git", "clone", "-q", "-b", "main", str(try_repo), str(clone), cwd=tmp_path)
    head = run("git", "rev-parse", "HEAD", cwd=clone).strip()
    base = run("git", "rev-parse", "HEAD^", cwd=clone).strip()
    graph_config = load_config(str(clone))
    options = dict(
        {k: TRY_DEFAULTS[k] for k in ("project", "level", "owner", "tasks_for", "pushlog_id", "pushdate", "repository_type")},
        base_repository=REFERENCE_REPOSITORY,
        head_repository=REFERENCE_REPOSITORY,
        head_rev=head,
        base_rev=base,
        head_ref="refs/heads/main",
        head_tag="",
        base_ref="",
        allow_parameter_override=True,
    )
    monkeypatch.chdir(clone)
    params = get_decision_parameters(graph_config, options)  # strict, with try_task_config.json applied
    assert params.strict
    tgg = TaskGraphGenerator(root_dir=str(clone), parameters=params)
    return tgg.full_task_graph, params, str(clone)


def plan_graph(root, request, decision_params):
    """The full task graph ``plan`` makes for the same choices in the same push context."""
    overrides = validate(request, load_config(root))
    overrides.update({k: decision_params[k] for k in PUSH_CONTEXT})
    # plan and push derive app_version and next_version from the same code
    # (taskgraph_staging.model.versions); they must agree without help.
    assert (overrides["app_version"], overrides["next_version"]) == (decision_params["app_version"], decision_params["next_version"])
    tgg, _ = generator(root, overrides)
    return tgg.full_task_graph


def assert_same_graph(pushed, planned):
    assert sorted(pushed.tasks) == sorted(planned.tasks)
    differing = [label for label in pushed.tasks if pushed.tasks[label].to_json() != planned.tasks[label].to_json()]
    first = differing[0] if differing else None
    assert differing == [], (first, _difference(pushed.tasks[first].to_json(), planned.tasks[first].to_json()))


def _difference(a, b, path=""):
    """The first place two JSON values differ, for the failure message."""
    if isinstance(a, dict) and isinstance(b, dict):
        for key in sorted(set(a) | set(b)):
            if a.get(key) != b.get(key):
                return _difference(a.get(key), b.get(key), f"{path}.{key}")
    if isinstance(a, list) and isinstance(b, list) and len(a) == len(b):
        for i, (x, y) in enumerate(zip(a, b)):
            if x != y:
                return _difference(x, y, f"{path}[{i}]")
    return path, a, b


@pytest.mark.parametrize(
    "push_args, plan_request",
    [
        pytest.param(
            ["-v", "122.0b1", "--namespace", "qa-team"],
            dict(version="122.0b1", namespace="qa-team"),
            id="beta",
        ),
        pytest.param(
            ["-v", "121.0b3", "--tasks", "release-sim"],
            dict(version="121.0b3"),
            id="default-namespace-and-partials",
        ),
        pytest.param(
            ["-v", "122.0", "--behavior", "release-rc", "--partial", "121.0:1", "--partial", "121.0b9:2:staging", "--no-limit-locales"],
            dict(version="122.0", behavior="release-rc", partials=("121.0:1", "121.0b9:2:staging"), rc=True, phase="promote"),
            # plan has no RC build-phase method; the full graph does not depend on the phase.
            id="release-rc",
        ),
    ],
)
def test_pushed_config_gives_the_planned_graph(reference_checkout, git_try, tmp_path, monkeypatch, push_args, plan_request):
    assert main(["push", "--repository", str(reference_checkout), "--remote", "try", *push_args]) == 0
    (pushed,) = run("git", "--git-dir", str(git_try), "for-each-ref", "--format=%(refname)", "refs/heads/staging-release/", cwd=tmp_path).split()
    run("git", "--git-dir", str(git_try), "branch", "-f", "main", pushed, cwd=tmp_path)  # the decision task checks it out as main
    pushed, params, clone = decision_graph(git_try, tmp_path, monkeypatch)
    request = PlanRequest(root=clone, owner=params["owner"], **plan_request)
    assert_same_graph(pushed, plan_graph(clone, request, params))
