"""Fixtures of the action tests: a small host project, a fake Taskcluster and runners
for taskgraph's decision and action-callback code paths (test mode, nothing created)."""

import shutil
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

import pytest
import responses
import yaml

from taskgraph_staging.analysis.graphs import TRY_DEFAULTS

HERE = Path(__file__).parent
ROOT_URL = "https://tc.example.com"
ACTION = "staging-release-promotion"

#: Parameters of a Try push of the fixture project (the reference Try push, another revision).
TRY_PUSH = dict(
    TRY_DEFAULTS,
    head_rev="1" * 40,
    pushlog_id="7",
    version="121.0b3",
    target_tasks_method="fixture_build",
    staging={},
)


@pytest.fixture(scope="session")
def fixture_root(tmp_path_factory):
    """The fixture project in a ``taskcluster/`` directory next to its ``.taskcluster.yml``,
    outside any repository (taskgraph then takes the parent as the repository root)."""
    base = tmp_path_factory.mktemp("host")
    shutil.copytree(HERE / "root", base / "taskcluster", ignore=shutil.ignore_patterns("__pycache__"))
    (base / ".taskcluster.yml").write_text("version: 1\n")
    return str(base / "taskcluster")


@pytest.fixture
def clean_taskgraph(monkeypatch):
    """Let this test register its root and run in test mode; undo both afterwards."""
    from taskgraph import create
    from taskgraph.config import GraphConfig
    from taskgraph.util import taskcluster

    monkeypatch.setattr(GraphConfig, "_PATH_MODIFIED", False)
    monkeypatch.setattr(create, "testing", True)
    monkeypatch.setattr(taskcluster, "testing", True)
    monkeypatch.setenv("TASKCLUSTER_ROOT_URL", ROOT_URL)
    monkeypatch.delenv("TASKCLUSTER_PROXY_URL", raising=False)
    taskcluster.get_root_url.cache_clear()
    taskcluster.get_taskcluster_client.cache_clear()
    yield
    taskcluster.get_root_url.cache_clear()
    taskcluster.get_taskcluster_client.cache_clear()


class FakeTaskcluster:
    """The index and queue, as far as the action reads them. Any other request fails."""

    def __init__(self, mock):
        self.mock = mock

    def index(self, path, task_id):
        self.mock.get(f"{ROOT_URL}/api/index/v1/task/{path}", json={"namespace": path, "taskId": task_id})

    def artifact(self, task_id, name, body, status=200):
        """Serve artifact ``name`` of ``task_id`` as the queue does: a redirect to storage."""
        storage = f"https://storage.example.com/{task_id}/{name}"
        self.mock.get(
            f"{ROOT_URL}/api/queue/v1/task/{task_id}/artifacts/{quote(name, safe='')}",
            status=303,
            json={"storageType": "s3", "url": storage},
            headers={"Location": storage},
        )
        self.mock.get(storage, body=body, status=status)

    def graph(self, task_id, run):
        """Serve the artifacts a decision or action run wrote, as task ``task_id``."""
        for name in ("parameters.yml", "full-task-graph.json", "label-to-taskid.json"):
            self.artifact(task_id, f"public/{name}", (run.artifacts / name).read_text())


@pytest.fixture
def fake_tc(clean_taskgraph):
    with responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
        yield FakeTaskcluster(mock)


@dataclass
class Run:
    """What a decision or action run wrote to its ``artifacts/`` directory."""

    task_id: str
    artifacts: Path

    def load(self, name):
        import json

        text = (self.artifacts / name).read_text()
        return yaml.safe_load(text) if name.endswith(".yml") else json.loads(text)

    @property
    def parameters(self):
        return self.load("parameters.yml")

    @property
    def label_to_taskid(self):
        return self.load("label-to-taskid.json")

    @property
    def created(self):
        """label -> task definition of the tasks this run creates."""
        return {t["label"]: t["task"] for t in self.load("task-graph.json").values()}


class Runner:
    """Run the decision task or the action callback of ``root`` as a task, in test mode."""

    def __init__(self, root, push, tmp_path, monkeypatch):
        self.root = root
        self.push = push
        self.tmp_path = tmp_path
        self.monkeypatch = monkeypatch

    def _run(self, task_id, func):
        workdir = self.tmp_path / task_id
        workdir.mkdir()
        self.monkeypatch.chdir(workdir)
        self.monkeypatch.setenv("TASK_ID", task_id)
        func()
        return Run(task_id, workdir / "artifacts")

    def decision(self, task_id, **overrides):
        from taskgraph.decision import taskgraph_decision
        from taskgraph.parameters import Parameters

        from taskgraph_staging.analysis.graphs import load_config

        load_config(self.root)
        params = Parameters(strict=False, repo_root=self.root, **dict(self.push, **overrides))
        return self._run(task_id, lambda: taskgraph_decision({"root": self.root}, parameters=params))

    def action(self, task_id, input, push=None, callback=ACTION):
        from taskgraph.actions import trigger_action_callback
        from taskgraph.config import GraphConfig

        GraphConfig._PATH_MODIFIED = False
        return self._run(
            task_id,
            lambda: trigger_action_callback(
                task_group_id="DecisionTaskGroup0000",
                task_id=None,
                input=input,
                callback=callback,
                parameters=dict(self.push, **(push or {})),
                root=self.root,
                test=True,
            ),
        )


@pytest.fixture
def runner_for(clean_taskgraph, tmp_path, monkeypatch):
    """A :class:`Runner` of a Try push of another host root."""
    return lambda root: Runner(root, TRY_PUSH, tmp_path, monkeypatch)


@pytest.fixture
def runner(fixture_root, runner_for):
    return runner_for(fixture_root)


@pytest.fixture
def host_copy(fixture_root, tmp_path):
    """A copy of the fixture host whose config.yml ``edit(config)`` changes."""

    def make(edit):
        root = tmp_path / "host" / "taskcluster"
        shutil.copytree(fixture_root, root)
        shutil.copy(Path(fixture_root).parent / ".taskcluster.yml", root.parent / ".taskcluster.yml")
        config = yaml.safe_load((root / "config.yml").read_text())
        edit(config)
        (root / "config.yml").write_text(yaml.safe_dump(config))
        return str(root)

    return make


@pytest.fixture
def reference_runner(clean_taskgraph, tmp_path, monkeypatch):
    """The same for the bundled reference project (a Try push building Firefox 121.0b3)."""
    from taskgraph_staging.analysis.graphs import REFERENCE_ROOT

    push = dict(TRY_DEFAULTS, release_product="firefox", version="121.0b3", target_tasks_method="staging_release_builds")
    return Runner(REFERENCE_ROOT, push, tmp_path, monkeypatch)
