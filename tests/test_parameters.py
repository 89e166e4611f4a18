"""The release parameters and their readers."""

import pytest

from taskgraph_staging.model.errors import InvalidValue
from taskgraph_staging.model.parameters import (
    decision_parameters,
    is_staging,
    parameter_defaults,
    parameter_problem,
    partials,
    release_type,
    staging_release,
)
from taskgraph_staging.model.release import Behavior, Namespace, Partial, Services

TRY = {
    "level": "1",
    "project": "try",
    "owner": "Alice.Smith@example.com",
    "version": "121.0b3",
    "build_number": 1,
    "release_type": "beta",
    "release_product": "firefox",
    "partial_updates": None,
    "staging": {},
}
CONFIG = {
    "staging-release": {
        "try-projects": ["try", "my-try"],
        "staging-projects": ["staging-firefox"],
        "products": {"fenix": {"family": "android"}},
    }
}


@pytest.mark.parametrize(
    "level, project, expected",
    [("1", "try", True), ("3", "try", True), ("3", "my-try", True), ("3", "mozilla-beta", False), ("1", "mozilla-beta", True), ("3", "try-comm-central", False),
     ("3", "staging-firefox", True)],
)
def test_is_staging(level, project, expected):
    assert is_staging({"level": level, "project": project}, CONFIG) is expected


def test_staging_release_defaults():
    rel = staging_release(TRY, CONFIG)
    assert (rel.product, rel.version, rel.build_number, rel.family) == ("firefox", "121.0b3", 1, "desktop")
    assert rel.namespace == Namespace("alice-smith")
    assert rel.behavior == Behavior("beta")
    assert rel.partials == ()
    assert rel.services == Services.from_dict({})


def test_staging_release_explicit():
    params = dict(
        TRY,
        release_product="fenix",
        staging={
            "namespace": "bob",
            "behavior": "release-rc",
            "partials": [{"version": "120.0b9", "build_number": 1, "source": "staging"}],
            "services": {"archive_bucket": "staging-slot-1", "dedicated": ["archive"]},
        },
    )
    rel = staging_release(params, CONFIG)
    assert (rel.product, rel.family, str(rel.namespace), str(rel.behavior)) == ("fenix", "android", "bob", "release-rc")
    assert rel.partials == (Partial("120.0b9", 1, "staging"),)
    assert rel.services.archive_bucket == "staging-slot-1"


def test_staging_release_reports_every_problem():
    params = dict(
        TRY,
        version="12x",
        build_number=0,
        staging={
            "namespace": "Beta",
            "behavior": "nightly",
            "partials": [{"version": "nope", "build_number": 1}],
            "services": {"balrog_admin": "https://aus5.mozilla.org"},
        },
    )
    with pytest.raises(InvalidValue) as info:
        staging_release(params, CONFIG)
    heads = [p.split(":")[0] for p in info.value.problems]
    assert heads == ["version", "build_number", "staging.namespace", "staging.behavior", "staging.partials", "staging.services"]
    assert str(info.value).startswith("parameters: version: '12x' is not a valid desktop version")


def test_duplicate_partials_rejected():
    params = dict(TRY, staging={"partials": [{"version": "120.0b9", "build_number": 1}, {"version": "120.0b9", "build_number": 2}]})
    with pytest.raises(InvalidValue, match=r"^parameters: staging.partials: each previous version may appear once$"):
        staging_release(params, CONFIG)


@pytest.mark.parametrize(
    "params, expected",
    [
        pytest.param(dict(TRY, version="121.0b3", staging={"behavior": "release-rc"}), "release-rc", id="rc-behaviour-on-beta-version"),
        pytest.param(dict(TRY, version="121.0", release_type="beta", staging={}), "release", id="version-decides-not-release_type"),
        pytest.param(dict(TRY, version="115.5.0esr", staging={}), "esr115", id="esr"),
        pytest.param(dict(TRY, version="128.2.0esr", staging={"behavior": "esr"}), "esr128", id="esr-explicit"),
        pytest.param(dict(TRY, level="3", project="mozilla-release", release_type="release-rc", staging=None), "release-rc", id="production"),
        pytest.param(dict(TRY, staging=None, release_type=""), "", id="try-without-staging-block"),
    ],
)
def test_release_type(params, expected):
    assert release_type(params, CONFIG) == expected


def test_partials_staging_block_wins():
    params = dict(
        TRY,
        partial_updates={"120.0b8": {"buildNumber": 1}},
        staging={"partials": [{"version": "120.0b9", "build_number": 2, "source": "staging"}]},
    )
    assert partials(params, CONFIG) == (Partial("120.0b9", 2, "staging"),)


def test_partials_from_production_partial_updates():
    params = dict(
        TRY,
        level="3",
        project="mozilla-beta",
        staging=None,
        partial_updates={"120.0b9": {"buildNumber": 1, "locales": ["de"]}, "120.0b8": {"buildNumber": 3}},
    )
    assert partials(params, CONFIG) == (Partial("120.0b8", 3, "production"), Partial("120.0b9", 1, "production", ("de",)))
    assert partials(dict(TRY, staging={}, partial_updates=None), CONFIG) == ()


def test_decision_parameters_fill_defaults_and_staging_on_try():
    params = {"project": "try", "level": "1", "release_type": "beta"}
    decision_parameters(CONFIG, params)
    assert params == dict(parameter_defaults(), project="try", level="1", release_type="beta", staging={})
    production = {"project": "mozilla-beta", "level": "3"}
    decision_parameters(CONFIG, production)
    assert production["staging"] is None


def test_an_android_product_has_no_esr_behaviour():
    params = dict(TRY, release_product="fenix", staging={"behavior": "esr"})
    with pytest.raises(InvalidValue, match=r"staging.behavior: fenix \(android\) has no ESR"):
        staging_release(params, CONFIG)
    assert staging_release(dict(params, staging={"behavior": "release-rc"}), CONFIG).release_type == "release-rc"


@pytest.mark.parametrize("version", ["121.0b3", "121.0"])
def test_esr_behaviour_needs_an_esr_version(version):
    with pytest.raises(InvalidValue, match=rf"^parameters: staging.behavior: esr needs an ESR version, like 115.5.0esr \({version} is not one\); "
                                          rf"choose beta, release or release-rc for {version}$"):
        staging_release(dict(TRY, version=version, staging={"behavior": "esr"}), CONFIG)


def test_a_bad_staging_value_is_named_once():
    with pytest.raises(InvalidValue) as info:
        staging_release(dict(TRY, staging={"namespace": "Bad", "behavior": "nightly"}), CONFIG)
    message = str(info.value)
    assert "staging.namespace: 'Bad' may hold only lowercase letters" in message
    assert "staging.behavior: 'nightly' is not one of beta, release, release-rc, esr" in message
    assert "namespace: namespace" not in message and "behavior: behavior" not in message


@pytest.mark.parametrize("changes, problem", [
    pytest.param({"level": [1]}, "level: expected str, got array", id="level-list"),
    pytest.param({"project": 5}, "project: expected str, got int", id="project-int"),
    pytest.param({"owner": ["a@example.com"]}, "owner: expected str | null, got array", id="owner-list"),
    pytest.param({"build_number": "1"}, "build_number: expected int | null, got str", id="build-number-str"),
    pytest.param({"staging": [1]}, "staging: expected object | null, got array", id="staging-list"),
    pytest.param({"staging": {"partials": [{"version": "120.0b9", "build_number": "x"}]}},
                 "staging.partials[0].build_number: expected int, got str", id="partial-build-str"),
    pytest.param({"staging": {"nosuch": 1}}, "staging: object contains unknown field nosuch", id="staging-unknown"),
    pytest.param({"release_partners": "x"}, "release_partners: expected array | null, got str", id="partners-str"),
])
def test_a_parameter_of_the_wrong_type_is_named(changes, problem):
    assert parameter_problem(dict(TRY, **changes)) == problem


def test_parameters_as_a_plan_writes_them_have_no_problem():
    assert parameter_problem(dict(TRY, staging={"namespace": "alice", "partials": [{"version": "120.0b9", "build_number": 1}]})) is None


def test_staging_partials_newer_than_the_release_are_refused():
    params = dict(TRY, staging={"partials": [{"version": "121.0b4", "build_number": 1}, {"version": "120.0b9", "build_number": 1}]})
    with pytest.raises(InvalidValue, match=r"^parameters: staging.partials: 121.0b4 is newer than the release 121.0b3; "
                                          r"a partial updates from an earlier release$"):
        staging_release(params)


@pytest.mark.parametrize("build_number", [0, True, 1000, "1"])
def test_a_build_number_out_of_range_is_refused(build_number):
    with pytest.raises(InvalidValue, match=rf"build_number: {build_number!r} must be a whole number from 1 to 999"):
        staging_release(dict(TRY, build_number=build_number))

