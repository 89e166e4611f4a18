"""The staging choices of a push, validated into try_task_config.json parameters."""

import pytest

from taskgraph_staging.model.errors import ConfigError, InvalidValue
from taskgraph_staging.interfaces.push.settings import push_settings
from taskgraph_staging.interfaces.push.try_config import StagingChoices, staging_parameters, try_task_config
from taskgraph_staging.model.release import DEFAULT_SERVICES

CONFIG = {"staging-release": {"products": {"firefox": {"family": "desktop"}, "fenix": {"family": "android"}}}}


def test_defaults_come_from_the_user_and_the_version():
    params = staging_parameters(StagingChoices(version="115.5.0esr"), CONFIG, "Bob.Smith@example.com")
    assert params == {
        "target_tasks_method": "staging_release_builds",
        "optimize_target_tasks": True,
        "release_type": "esr115",
        "release_product": "firefox",
        "version": "115.5.0esr",
        "app_version": "115.5.0",
        "next_version": "115.5.1esr",
        "build_number": 1,
        "staging": {
            "namespace": "bob-smith",
            "behavior": "esr",
            "partials": [{"version": "115.4.0esr", "build_number": 1, "source": "production"}],
            "services": DEFAULT_SERVICES,
            "reservation": None,
        },
    }
    assert try_task_config(params, {"use-artifact-builds": False, "version": "ignored"}) == {
        "version": 2,
        "parameters": dict(params, **{"use-artifact-builds": False}),
    }


def test_release_type_comes_from_the_behaviour_not_the_version():
    choices = StagingChoices(version="121.0b3", behavior="release-rc", tasks="release-sim", build_number=2)
    params = staging_parameters(choices, CONFIG, "alice")
    assert (params["release_type"], params["staging"]["behavior"], params["target_tasks_method"]) == (
        "release-rc", "release-rc", "release_simulation"
    )


def test_a_reservation_brings_namespace_and_services():
    services = dict(DEFAULT_SERVICES, archive_bucket="slot-3-archive", dedicated=["archive"])
    block = {"namespace": "slot-three", "services": services, "reservation": "r-17"}
    staging = staging_parameters(StagingChoices(version="121.0b3", reservation=block), CONFIG, "alice")["staging"]
    assert (staging["namespace"], staging["services"]["archive_bucket"], staging["reservation"]) == ("slot-three", "slot-3-archive", "r-17")
    with pytest.raises(InvalidValue, match=r"--namespace: 'alice' differs from the reservation's namespace 'slot-three'"):
        staging_parameters(StagingChoices(version="121.0b3", namespace="alice", reservation=block), CONFIG, "alice")
    with pytest.raises(InvalidValue, match=r"--services: a reservation brings its own services"):
        staging_parameters(StagingChoices(version="121.0b3", services={}, reservation=block), CONFIG, "alice")


@pytest.mark.parametrize(
    "choices, match",
    [
        pytest.param(dict(version="121.0b3", tasks="all"), r"--tasks: 'all' is not one of staging, release-sim", id="tasks"),
        pytest.param(dict(version="121.0b3", build_number=0), r"--build-number: 0 must be a whole number", id="build"),
        pytest.param(dict(version="121.0b3", behavior="nightly"), r"--behavior: 'nightly' is not one of", id="behavior"),
        pytest.param(dict(version="115.5.0esr", product="fenix"), r"--version: '115.5.0esr' is not a valid android version", id="family"),
        pytest.param(dict(version="121.0b3", partials=("120.0:1", "120.0:2")), r"--partial: each previous version may be given once", id="partials"),
        pytest.param(dict(version="121.0b3", product="fenix", behavior="esr"), r"--behavior: fenix \(android\) has no ESR", id="android-esr"),
        pytest.param(dict(version="121.0b3", behavior="esr"), r"--behavior: esr needs an ESR version, like 115.5.0esr \(121.0b3 is not one\)", id="esr-on-beta"),
        pytest.param(
            dict(version="121.0b3", services={"balrog_admin": "https://balrog.services.mozilla.com/api"}),
            r"--services: balrog_admin 'https://balrog.services.mozilla.com/api' is production",
            id="production-service",
        ),
    ],
)
def test_bad_choices_name_their_option(choices, match):
    with pytest.raises(InvalidValue, match=match):
        staging_parameters(StagingChoices(**choices), CONFIG, "alice")


@pytest.mark.parametrize(
    "section, match",
    [
        pytest.param({"products": {"firefox": {"version-files": [{"path": "v.txt", "value": "major"}]}}}, r"config.yml staging-release: .*value", id="value"),
        pytest.param({"migrations": {"m": {"replacements": [["a", "b"]]}}}, r"migrations.m.replacements: entry 0 must be \[path, old, new\]", id="triple"),
    ],
)
def test_bad_settings_name_the_config_key(section, match):
    with pytest.raises(ConfigError, match=match):
        push_settings({"staging-release": section})
