"""Where the action is offered: ``taskgraph actions`` (taskgraph's own render code path)
for Try and production-level parameters, and the host settings that decide it."""

import json

import pytest
import yaml
from taskgraph.config import GraphConfig

from taskgraph_staging.interfaces.actions.promotion import ACTION_NAME, CALLBACK_NAME, ActionSettings
from taskgraph_staging.model.errors import ConfigError
from taskgraph_staging.analysis.graphs import PRODUCTION_DEFAULTS, REFERENCE_ROOT, TRY_DEFAULTS

REFERENCE_FLAVORS = [
    "promote_devedition",
    "promote_fenix",
    "promote_firefox",
    "promote_firefox_partner_attribution",
    "promote_firefox_partner_repack",
    "promote_firefox_rc",
    "push_devedition",
    "push_fenix",
    "push_firefox",
    "ship_devedition",
    "ship_fenix",
    "ship_firefox",
    "ship_firefox_rc",
]
INPUT_FIELDS = [
    "behavior",
    "build_number",
    "do_not_optimize",
    "namespace",
    "next_version",
    "partial_updates",
    "previous_graph_ids",
    "rebuild_kinds",
    "release_enable_emefree",
    "release_enable_partner_attribution",
    "release_enable_partner_repack",
    "release_eta",
    "release_partner_build_number",
    "release_partner_config",
    "release_partners",
    "release_promotion_flavor",
    "reservation",
    "version",
]


def render(root, params, tmp_path, capsys):
    """``taskgraph actions -r ROOT -p FILE``; the staging action it prints, or None."""
    from taskgraph.main import main

    path = tmp_path / "params.yml"
    path.write_text(yaml.safe_dump(dict(params, version="121.0b3")))
    capsys.readouterr()
    assert main(["actions", "-r", str(root), "-p", str(path)]) == 0
    actions = json.loads(capsys.readouterr().out)["actions"]
    found = [a for a in actions if a["hookPayload"]["decision"]["action"]["cb_name"] == CALLBACK_NAME]
    assert len(found) <= 1
    if found:
        # The first entry of its name: the one Ship-it and the actions spec pick.
        assert next(a for a in actions if a["name"] == ACTION_NAME) is found[0]
    return found[0] if found else None


def test_reference_try_push_offers_the_action_with_its_schema(clean_taskgraph, tmp_path, capsys):
    action = render(REFERENCE_ROOT, TRY_DEFAULTS, tmp_path, capsys)
    assert (action["title"], action["kind"], action["context"]) == ("Staging release promotion", "hook", [])
    assert action["hookId"].startswith("in-tree-action-1-release-promotion/")
    assert action["name"] == "release-promotion"
    schema = action["schema"]
    assert sorted(schema["properties"]) == INPUT_FIELDS
    assert schema["properties"]["release_promotion_flavor"]["enum"] == REFERENCE_FLAVORS
    assert schema["allOf"][0]["if"]["properties"]["release_promotion_flavor"]["enum"] == [
        "ship_devedition",
        "ship_fenix",
        "ship_firefox",
        "ship_firefox_rc",
    ]
    assert schema["properties"]["build_number"]["minimum"] == 1


def test_reference_production_push_does_not(clean_taskgraph, tmp_path, capsys):
    assert render(REFERENCE_ROOT, PRODUCTION_DEFAULTS, tmp_path, capsys) is None


@pytest.mark.parametrize(
    "settings, project, level, offered",
    [
        pytest.param({}, "try", "1", True, id="try"),
        pytest.param({}, "maple", "1", True, id="staging-project"),
        pytest.param({}, "maple", "3", False, id="staging-project-at-level-3"),
        pytest.param({"actions-on-production": True}, "maple", "3", True, id="level-3-when-the-host-says-so"),
        pytest.param({"actions-on-production": True}, "mozilla-beta", "3", False, id="never-other-projects"),
        pytest.param({}, "autoland", "1", False, id="not-a-staging-project"),
        pytest.param({"actions": False}, "try", "1", False, id="host-turns-actions-off"),
    ],
)
def test_where_the_fixture_host_offers_it(host_copy, clean_taskgraph, tmp_path, capsys, settings, project, level, offered):
    root = host_copy(lambda config: config["staging-release"].update(settings))
    params = dict(TRY_DEFAULTS, project=project, level=level)
    GraphConfig._PATH_MODIFIED = False
    assert (render(root, params, tmp_path, capsys) is not None) is offered


@pytest.mark.parametrize(
    "settings, message",
    [
        pytest.param({"actions": "yes"}, "actions must be true or false, not 'yes'", id="actions"),
        pytest.param({"staging-projects": "maple"}, "staging-projects must be a list of project names", id="projects"),
    ],
)
def test_bad_settings_are_config_errors(settings, message):
    config = GraphConfig({"trust-domain": "gecko", "staging-release": settings}, "/nowhere/taskcluster")
    with pytest.raises(ConfigError, match=f"^config.yml staging-release: {message}$"):
        ActionSettings.from_config(config)


def test_unavailable_reason_says_how_to_offer_it():
    settings = ActionSettings(try_projects=("try",), staging_projects=("maple",))
    assert settings.unavailable_reason({"project": "maple", "level": "3"}) == (
        "the push is production-level (level 3); set staging-release.actions-on-production to offer it there"
    )
    assert settings.unavailable_reason({"project": "central", "level": "1"}) == (
        "project central is neither a try project nor one of staging-release.staging-projects"
    )
