"""The comm host's update verify kinds are comm-central's (its release-update-verify-config and
release-update-verify kinds at 13ce3aef98ad): the config creator with Thunderbird's
arguments, its endpoints written by-release-level as comm-central writes them, and 12
chunks per platform. On Try the staging layer takes those staging values to this
release's and namespaces the channel once; each chunk's channel is its config task's."""

import json
import os

import pytest
import yaml

from taskgraph_staging.analysis.graphs import generator
from taskgraph_staging.model import naming
from taskgraph_staging.model.parameters import staging_release
from taskgraph_staging.staging.transforms.shell_args import find_call

ROOT = os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))), "hosts", "comm", "taskcluster")
PARAMS = os.path.join(ROOT, "tests", "params")


@pytest.fixture(scope="module", params=sorted(os.listdir(PARAMS)))
def graph(request):
    with open(os.path.join(PARAMS, request.param)) as fh:
        overrides = yaml.safe_load(fh)
    tgg, graph_config = generator(ROOT, overrides)
    return tgg.full_task_graph, staging_release(tgg.parameters, graph_config)


def test_configs_run_the_creator_with_thunderbirds_arguments_rewritten_once(graph):
    full, rel = graph
    configs = {label: t for label, t in full.tasks.items() if t.kind == "release-update-verify-config"}
    assert configs
    for task in configs.values():
        call = find_call(task.task, "update-verify-config-creator.py")[2]
        assert (call.value("product"), call.value("app-name"), call.value("branch-prefix")) == ("thunderbird", "mail", "comm")
        channel = naming.update_verify_channel(rel, rel.behavior.channel)
        assert call.values("channel") == [channel] and task.task["extra"]["channel"] == channel
        assert call.values("archive-prefix") == [naming.archive_pub_prefix(rel)]
        assert call.values("aus-server") == [rel.services.balrog_public]
        assert call.values("override-certs") == ["dep"]
        assert "ftp.stage.mozaws.net/pub" not in task.task["payload"]["command"][-1]
    chunks = [t for t in full.tasks.values() if t.kind == "release-update-verify"]
    assert len(chunks) == 12 * len(configs)
    for task in chunks:
        (config,) = [d for d in task.dependencies if d in configs]
        env = task.task["payload"]["env"]
        assert env["CHANNEL"] == configs[config].task["extra"]["channel"]
        assert json.loads(env["MOZ_FETCHES"]["task-reference"])[0]["task"] == f"<{config}>"
        assert task.task["payload"]["command"][-1].startswith("tools/update-verify/scripts/chunked-verify.sh --total-chunks=12 --this-chunk=")
        assert 255 in task.task["payload"]["onExitStatus"]["retry"]
