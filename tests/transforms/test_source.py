"""release-source on Try: the tarball of the Try push's revision, said on the task."""

import pytest

from issue3_tasks import finished, make_config, run_staging
from taskgraph_staging.model.errors import ConfigError

REPO = "https://github.com/mozilla-releng/staging-reference"
REV = "a" * 40


def test_source_names_the_tree_it_packs():
    env = {"MOZ_SOURCE_CHANGESET": REV, "MOZ_SOURCE_REPO": REPO}
    task = finished("release-source-firefox", "release-source", "b-linux-gcp", [], {"env": dict(env)})
    out = run_staging(make_config(), task)
    assert out["task"]["payload"]["env"] == env
    assert out["task"]["extra"]["staging"]["source_tarball"] == {"revision": REV, "repository": REPO}
    assert f"the tarball packs {REPO} at {REV}: the Try push's tree" in out["task"]["metadata"]["description"]


def test_source_without_its_revision_is_a_kind_error():
    task = finished("release-source-firefox", "release-source", "b-linux-gcp", [], {"env": {"MOZ_SOURCE_REPO": REPO}})
    with pytest.raises(ConfigError, match="source task lacks environment variable.s. MOZ_SOURCE_CHANGESET"):
        run_staging(make_config(), task)
