"""The action input: its schema and the validation the callback runs before anything else."""

import pytest
from taskgraph.config import load_graph_config

from taskgraph_staging.interfaces.actions.input import Flavor, InvalidInput, PromotionInput, input_schema, validate_input
from taskgraph_staging.model.errors import ConfigError
from taskgraph_staging.model.release import Behavior, Namespace, Partial

TASK_ID = "fZ0mHq3DQ9eQ1vV3ArYhAw"


@pytest.fixture(scope="module")
def graph_config(fixture_root):
    return load_graph_config(fixture_root)


def test_schema_lists_the_flavors_and_requires_next_version_where_they_bump(graph_config):
    schema = input_schema(graph_config)
    assert schema["properties"]["release_promotion_flavor"]["enum"] == [
        "promote_fenix",
        "promote_firefox",
        "promote_firefox_partner_repack",
        "promote_firefox_rc",
        "push_firefox",
        "ship_fenix",
        "ship_firefox",
        "ship_firefox_rc",
    ]
    assert schema["allOf"] == [
        {
            "if": {
                "required": ["release_promotion_flavor"],
                "properties": {"release_promotion_flavor": {"enum": ["ship_fenix", "ship_firefox", "ship_firefox_rc"]}},
            },
            "then": {"required": ["next_version"], "properties": {"next_version": {"minLength": 1}}},
        }
    ]
    assert schema["properties"]["behavior"]["enum"] == ["beta", "release", "release-rc", "esr"]
    assert schema["properties"]["partial_updates"]["additionalProperties"]["properties"]["source"]["enum"] == [
        "production",
        "staging",
    ]
    assert schema["required"] == ["release_promotion_flavor", "build_number"]


def test_valid_input_is_parsed_into_release_identifiers(graph_config):
    choice = validate_input(
        {
            "release_promotion_flavor": "ship_firefox_rc",
            "build_number": 2,
            "version": "121.0",
            "next_version": "121.0.1",
            "partial_updates": {"120.0.1": {"buildNumber": 1, "locales": ["de"], "source": "staging"}},
            "namespace": "dana-test",
            "release_eta": "2026-12-01T10:00:00+00:00",
            "release_enable_emefree": True,
            "previous_graph_ids": [TASK_ID],
            "do_not_optimize": ["release-ship-firefox-rc"],
        },
        graph_config,
    )
    assert choice == PromotionInput(
        flavor=Flavor(
            name="ship_firefox_rc",
            product="firefox",
            target_tasks_method="fixture_ship_rc_firefox",
            is_rc=True,
            version_bump=True,
            rebuild_kinds=("release-notify-promote",),
        ),
        build_number=2,
        version="121.0",
        next_version="121.0.1",
        partials=(Partial("120.0.1", 1, "staging", ("de",)),),
        partial_sources=frozenset({"120.0.1"}),
        behavior=None,
        namespace=Namespace("dana-test"),
        release_eta="2026-12-01T10:00:00+00:00",
        partners={"release_enable_emefree": True},
        previous_graph_ids=(TASK_ID,),
        rebuild_kinds=("release-notify-promote",),
        do_not_optimize=("release-ship-firefox-rc",),
    )


def test_rc_flavor_accepts_release_rc(graph_config):
    choice = validate_input(
        {"release_promotion_flavor": "promote_firefox_rc", "build_number": 1, "behavior": "release-rc"}, graph_config
    )
    assert choice.behavior == Behavior("release-rc")


PROMOTE = {"release_promotion_flavor": "promote_firefox", "build_number": 1}


@pytest.mark.parametrize(
    "input, fields, message",
    [
        pytest.param(
            {"release_promotion_flavor": "promote_thunderbird", "build_number": 1},
            ["release_promotion_flavor"],
            r"release_promotion_flavor: 'promote_thunderbird' is not one of \['promote_fenix'",
            id="unknown-flavor",
        ),
        pytest.param(
            {"build_number": 1},
            ["release_promotion_flavor"],
            "release_promotion_flavor: 'release_promotion_flavor' is a required property",
            id="no-flavor",
        ),
        pytest.param(
            {"release_promotion_flavor": "ship_firefox", "build_number": 1},
            ["next_version"],
            "next_version: is required by the version-bumping flavor ship_firefox",
            id="bumping-flavor-without-next-version",
        ),
        pytest.param(
            {"release_promotion_flavor": "ship_fenix", "build_number": 1, "next_version": ""},
            ["next_version"],
            "next_version: is required by the version-bumping flavor ship_fenix",
            id="bumping-flavor-with-empty-next-version",
        ),
        pytest.param(
            dict(PROMOTE, build_number=0),
            ["build_number"],
            "build_number: 0 is less than the minimum of 1",
            id="build-number-0",
        ),
        pytest.param(
            dict(PROMOTE, build_number="2"),
            ["build_number"],
            "build_number: '2' is not of type 'integer'",
            id="build-number-string",
        ),
        pytest.param(
            dict(PROMOTE, namespace="Bad_NS"),
            ["namespace"],
            "namespace: 'Bad_NS' may hold only lowercase letters",
            id="namespace-characters",
        ),
        pytest.param(
            dict(PROMOTE, namespace="alice-release"),
            ["namespace"],
            "namespace: 'alice-release' uses the reserved word",
            id="namespace-reserved",
        ),
        pytest.param(
            dict(PROMOTE, version="122.0a1"),
            ["version"],
            "version: '122.0a1' is a nightly version",
            id="nightly-version",
        ),
        pytest.param(
            dict(PROMOTE, release_promotion_flavor="ship_firefox", version="121.0b3", next_version="121.0b2"),
            ["next_version"],
            "next_version: 121.0b2 must be later than version 121.0b3",
            id="next-version-not-later",
        ),
        pytest.param(
            dict(PROMOTE, partial_updates={"120.0": {"buildNumber": 1, "source": "elsewhere"}}),
            ["partial_updates.120.0.source"],
            r"partial_updates.120.0.source: 'elsewhere' is not one of \['production', 'staging'\]",
            id="partial-source",
        ),
        pytest.param(
            dict(PROMOTE, partial_updates={"not-a-version": {"buildNumber": 1}}),
            ["partial_updates.not-a-version"],
            "partial_updates.not-a-version: 'not-a-version' is not a valid desktop version",
            id="partial-version",
        ),
        pytest.param(
            dict(PROMOTE, partial_updates={"120.0": {"locales": ["de"]}}),
            ["partial_updates.120.0.buildNumber"],
            "partial_updates.120.0.buildNumber: 'buildNumber' is a required property",
            id="partial-without-build-number",
        ),
        pytest.param(
            dict(PROMOTE, behavior="nightly"),
            ["behavior"],
            r"behavior: 'nightly' is not one of \['beta', 'release', 'release-rc', 'esr'\]",
            id="behaviour-enum",
        ),
        pytest.param(
            dict(PROMOTE, release_promotion_flavor="promote_firefox_rc", behavior="beta"),
            ["behavior"],
            "behavior: the RC flavor promote_firefox_rc needs release-rc, not beta",
            id="rc-flavor-with-beta-behaviour",
        ),
        pytest.param(
            dict(PROMOTE, release_eta="tomorrow"),
            ["release_eta"],
            "release_eta: 'tomorrow' is not an ISO 8601 date and time",
            id="release-eta",
        ),
        pytest.param(
            dict(PROMOTE, previous_graph_ids=["abc"]),
            ["previous_graph_ids.0"],
            "previous_graph_ids.0: 'abc' does not match",
            id="previous-graph-id",
        ),
        pytest.param(
            dict(PROMOTE, flavour="push"),
            ["flavour"],
            "flavour: is not a field of this action",
            id="unknown-field",
        ),
        pytest.param(
            dict(PROMOTE, build_number=0, namespace="x"),
            ["build_number", "namespace"],
            "build_number: 0 is less than the minimum of 1; namespace: 'x' must be 3 to 24 characters long",
            id="every-problem-at-once",
        ),
        pytest.param(
            dict(PROMOTE, namespace="x1", version="nope"),
            ["namespace", "version"],
            "version: 'nope' is not a valid desktop version; .*; namespace: 'x1' must be 3 to 24 characters",
            id="release-problems-at-once",
        ),
    ],
)
def test_invalid_input_names_the_field(graph_config, input, fields, message):
    with pytest.raises(InvalidInput, match=f"^action input: {message}") as info:
        validate_input(input, graph_config)
    assert info.value.fields == fields


def test_host_without_flavors_is_a_config_error():
    from taskgraph.config import GraphConfig

    with pytest.raises(ConfigError, match="config.yml release-promotion: has no flavors"):
        input_schema(GraphConfig({"trust-domain": "gecko"}, "/nowhere/taskcluster"))


@pytest.fixture
def reservation(tmp_path, monkeypatch):
    """A checked-out library slot in the default registry ($TASKGRAPH_STAGING_LIBRARY)."""
    import yaml

    from taskgraph_staging.interfaces.cli import main
    from taskgraph_staging.interfaces.library import Registry

    url = str(tmp_path / "library.sqlite")
    monkeypatch.setenv("TASKGRAPH_STAGING_LIBRARY", url)
    slot = {
        "id": "lib-one",
        "balrog": {"admin": "https://balrog-admin.lib-one.example/api", "public": "https://balrog.lib-one.example"},
        "bouncer": {"admin": "https://bouncer-admin.lib-one.example/api", "redirector": "https://bouncer.lib-one.example"},
        "archive": {"bucket": "lib-one-archive", "domain": "archive.lib-one.example", "endpoint": "https://s3.lib-one.example"},
        "shipit": {"url": "https://shipit.lib-one.example"},
        "pools": {f: f"scriptworker-k8s/gecko-1-{f}-lib-one" for f in ("beetmover", "balrog", "bouncer", "shipit")},
    }
    (tmp_path / "slots.yml").write_text(yaml.safe_dump({"slots": [slot]}))
    assert main(["library", "add", str(tmp_path / "slots.yml")]) == 0
    return Registry(url).checkout("alice@example.com", "firefox", "rehearsal", 1).id


def test_a_reservation_fixes_namespace_and_services(graph_config, reservation):
    from taskgraph_staging.interfaces.actions.promotion import promotion_parameters

    choice = validate_input(dict(PROMOTE, reservation=reservation), graph_config)
    previous = {"version": "121.0b3", "owner": "alice@example.com", "project": "try", "level": "1",
                "staging": {"namespace": "alice", "behavior": "beta"}}
    params = promotion_parameters(previous, {"head_rev": "abc", "project": "try"}, choice, {}, graph_config)
    staging = params["staging"]
    assert (staging["namespace"], staging["reservation"]) == ("lib-one", reservation)
    assert staging["services"]["archive_domain"] == "archive.lib-one.example"
    assert staging["services"]["pools"]["beetmover"] == "scriptworker-k8s/gecko-1-beetmover-lib-one"


def test_an_unknown_reservation_names_the_field(graph_config, reservation):
    with pytest.raises(InvalidInput, match=r"^action input: reservation: .*nope"):
        validate_input(dict(PROMOTE, reservation="nope"), graph_config)


def test_a_reservation_and_another_namespace_conflict(graph_config, reservation):
    with pytest.raises(InvalidInput, match=r"namespace: reservation .* uses namespace 'lib-one'"):
        validate_input(dict(PROMOTE, reservation=reservation, namespace="bob"), graph_config)
