"""update verify (config and chunks) on Try: staging Balrog, namespace -localtest channel, dep certs."""

import pytest

from issue3_tasks import finished, make_config, run_staging
from taskgraph_staging.model.errors import ConfigError

PROD_CONFIG_ENV = {
    "PRODUCT": "firefox", "PLATFORM": "linux64", "TO_VERSION": "121.0b3", "TO_APP_VERSION": "121.0",
    "TO_BUILD_NUMBER": "1", "CHANNEL": "beta-localtest", "AUS_SERVER": "https://aus5.mozilla.org",
    "ARCHIVE_PREFIX": "https://archive.mozilla.org/pub", "PREVIOUS_ARCHIVE_PREFIX": "https://archive.mozilla.org/pub",
    "PARTIAL_VERSIONS": "120.0b9build1", "LAST_WATERSHED": "120.0",
}


def docker(kind, env):
    return finished(f"{kind}-firefox-linux64", kind, "b-linux-gcp", [], {"env": dict(env), "image": "x"})


def partial(version, source="production", build_number=1):
    return {"version": version, "build_number": build_number, "source": source}


@pytest.mark.parametrize("partials,prefix,versions,unreachable", [
    pytest.param([partial("121.0b2"), partial("121.0b1", build_number=2)], "https://archive.mozilla.org/pub",
                 "121.0b2build1,121.0b1build2", None, id="production"),
    pytest.param([partial("121.0b2", "staging")], "https://ftp.stage.mozaws.net/staging/alice/pub",
                 "121.0b2build1", None, id="staging"),
    pytest.param([partial("121.0b2", "staging"), partial("121.0b1")], "https://archive.mozilla.org/pub",
                 "121.0b1build1", ["121.0b2:1:staging"], id="mixed"),
    pytest.param([], "https://archive.mozilla.org/pub", "", None, id="none"),
])
def test_config(partials, prefix, versions, unreachable):
    task = run_staging(make_config(partials=partials), docker("release-update-verify-config", PROD_CONFIG_ENV))
    assert task["task"]["payload"]["env"] == dict(
        PROD_CONFIG_ENV,
        CHANNEL="alice-beta-localtest",
        AUS_SERVER="https://stage.balrog.nonprod.cloudops.mozgcp.net",
        ARCHIVE_PREFIX="https://ftp.stage.mozaws.net/staging/alice/pub",
        PREVIOUS_ARCHIVE_PREFIX=prefix,
        PARTIAL_VERSIONS=versions,
        OVERRIDE_CERTS="dep",
    )
    assert task["task"]["extra"]["staging"].get("update-verify-unreachable-partials") == unreachable


def test_config_release_rc_channel():
    env = dict(PROD_CONFIG_ENV, TO_VERSION="121.0", CHANNEL="release-localtest")
    task = run_staging(make_config(version="121.0", behavior="release-rc"), docker("release-update-verify-config", env))
    assert task["task"]["payload"]["env"]["CHANNEL"] == "alice-release-localtest"


def test_verify_chunk():
    env = {"CHANNEL": "beta-localtest", "AUS_SERVER": "https://aus5.mozilla.org", "CHUNK": "3", "TOTAL_CHUNKS": "12",
           "UPDATE_VERIFY_CONFIG": "https://queue/…/update-verify.cfg"}
    task = run_staging(make_config(), docker("release-update-verify", env))
    assert task["task"]["payload"]["env"] == dict(
        env, CHANNEL="alice-beta-localtest", AUS_SERVER="https://stage.balrog.nonprod.cloudops.mozgcp.net",
        OVERRIDE_CERTS="dep",
    )


def test_missing_variable_names_task_and_variable():
    env = dict(PROD_CONFIG_ENV)
    del env["AUS_SERVER"]
    with pytest.raises(ConfigError, match=r"task release-update-verify-config-firefox-linux64: update-verify-config task lacks environment variable\(s\) AUS_SERVER"):
        run_staging(make_config(), docker("release-update-verify-config", env))
