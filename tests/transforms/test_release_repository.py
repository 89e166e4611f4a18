"""The treescript and landoscript Try forms work on the host's release repository
(``<prefix>head_repository`` at ``<prefix>head_rev``), not the platform one (issue 17)."""

import importlib.util
import os
import pytest

from taskgraph_staging.model.errors import InvalidValue
from taskgraph_staging.model.parameters import release_repository

# This directory's conftest by path: several ``conftest`` modules exist under tests/,
# and ``from conftest import`` takes whichever was imported first.
_spec = importlib.util.spec_from_file_location(__name__ + "_conftest", os.path.join(os.path.dirname(__file__), "conftest.py"))
_conftest = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(_conftest)
GRAPH_CONFIG = _conftest.GRAPH_CONFIG

COMM = {"comm_head_repository": "https://hg.mozilla.org/try-comm-central", "comm_head_rev": "c" * 40}


def config_with(**keys):
    return dict(GRAPH_CONFIG, **keys)


@pytest.mark.parametrize(
    "keys",
    [
        pytest.param({"project-repo-param-prefix": "comm_"}, id="taskgraph-prefix"),
        pytest.param({"staging-release": dict(GRAPH_CONFIG["staging-release"], **{"release-repository-prefix": "comm_"})}, id="staging-key"),
    ],
)
def test_tagging_and_bumps_use_the_release_repository(production, try_config, stage, keys):
    config = try_config(**COMM)
    config.graph_config = config_with(**keys)
    for task in (production.treescript_tagging(), production.treescript_version_bump()):
        payload = stage(config, task)["task"]["payload"]
        assert payload["source_repo"] == COMM["comm_head_repository"]
        if "tag_info" in payload:
            assert payload["tag_info"]["revision"] == COMM["comm_head_rev"]


def test_lando_tags_go_on_the_release_revision(production, try_config, stage):
    config = try_config(**COMM)
    config.graph_config = config_with(**{"project-repo-param-prefix": "comm_"})
    result = stage(config, production.lando_tagging())
    assert result["task"]["extra"]["staging"]["outgoing"]["revision"] == COMM["comm_head_rev"]


def test_without_a_prefix_the_platform_repository_is_the_release_one(try_config):
    config = try_config()
    assert release_repository(config.params, GRAPH_CONFIG) == ("https://hg.mozilla.org/try", "a" * 40)


def test_missing_release_repository_parameters_are_named():
    with pytest.raises(InvalidValue, match="comm_head_repository, comm_head_rev missing"):
        release_repository({"head_repository": "x", "head_rev": "y"}, config_with(**{"project-repo-param-prefix": "comm_"}))
