"""Both forms of the update verify config kind give one Try graph (issue 15).

Firefox's tree writes the config's endpoints ``by-release-level`` (its staging values on
staging, production's elsewhere); the reference kind writes production's. The staging
layer changes nothing that is already staging beyond namespacing it, so the Try graph
from the kind rewritten in the real tree's form is the same, task for task.
"""

import dataclasses
import os

import pytest

from release_level import Form, graph_json, staging_form_root as forms_root
from taskgraph_staging.analysis.graphs import REFERENCE_ROOT, generator
from taskgraph_staging.staging.transforms.registry import REWRITERS

KIND = os.path.join("kinds", "release-update-verify-config", "kind.yml")
#: The real tree's ``by-release-level: staging`` values of the config's endpoints.
REAL_STAGING = {
    "archive-prefix": "http://ftp.stage.mozaws.net/pub",
    "previous-archive-prefix": "https://archive.mozilla.org/pub",
    "aus-server": "https://stage.balrog.nonprod.cloudops.mozgcp.net",
    "override-certs": "dep",
}
#: The same, as the forms the shared helper writes (tests/reference/release_level.py).
FORMS = [Form("release-update-verify-config", "firefox", f"extra.{name}", value) for name, value in REAL_STAGING.items()]
RELEASES = {
    "beta": dict(version="121.0b3", build_number=1, staging={
        "namespace": "alice", "partials": [{"version": "121.0b2", "build_number": 1, "source": "production"}]}),
    "release-staging-partial": dict(version="121.0", build_number=1, staging={
        "namespace": "bob-2", "partials": [{"version": "121.0b9", "build_number": 1, "source": "staging"}]}),
}


def staging_form_root(tmp_path):
    """A copy of the reference root whose config kind writes its endpoints by-release-level."""
    return forms_root(tmp_path, FORMS)


def try_graph(root, overrides):
    return graph_json(root, overrides)


@pytest.mark.parametrize("release", sorted(RELEASES))
def test_both_forms_give_the_same_try_graph(tmp_path, release):
    staged = staging_form_root(tmp_path)
    with open(os.path.join(staged, KIND)) as fh:
        assert "by-release-level" in fh.read()
    ours, real_form = try_graph(REFERENCE_ROOT, RELEASES[release]), try_graph(staged, RELEASES[release])
    assert sorted(ours) == sorted(real_form)
    different = sorted(label for label in ours if ours[label] != real_form[label])
    assert different == []


def config_command(root, overrides, production=False):
    """The linux64 config task's shell command (each generator runs before the next is made:
    taskgraph registers one root per process)."""
    tgg, _ = generator(root, overrides, production=production)
    return tgg.full_task_graph.tasks["release-update-verify-config-firefox-linux64"].task["payload"]["command"][-1]


def test_the_two_forms_differ_before_the_staging_rewrite(tmp_path, monkeypatch):
    """Without the config's Try rewrite the staging form carries the real tree's staging
    values and ours production's, so the equality above is the rewrite's doing; at level 3
    the staging form is production's."""
    staged = staging_form_root(tmp_path)
    production = dict(version="121.0b3", app_version="121.0", build_number=1, release_type="beta", release_product="firefox")
    production_command = config_command(staged, production, production=True)
    assert "--aus-server https://aus5.mozilla.org" in production_command
    assert "--override-certs" not in production_command
    entry = REWRITERS["update-verify-config"]
    monkeypatch.setitem(REWRITERS, "update-verify-config", dataclasses.replace(entry, func=lambda ctx, task: None))
    assert "--aus-server https://aus5.mozilla.org" in config_command(REFERENCE_ROOT, RELEASES["beta"])
    real_command = config_command(staged, RELEASES["beta"])
    assert "--archive-prefix http://ftp.stage.mozaws.net/pub" in real_command
    assert "--override-certs dep" in real_command
