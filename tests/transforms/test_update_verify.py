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


@pytest.mark.parametrize("version, behavior, kind, channel, expected", [
    pytest.param("121.0", "release-rc", "release-secondary-update-verify-config", "beta-localtest", "alice-beta-localtest",
                 id="rc-secondary-beta"),
    pytest.param("115.5.0esr", None, "release-update-verify-config-next", "esr-localtest-next", "alice-esr-localtest-next",
                 id="esr-next"),
    pytest.param("115.5.0esr", None, "release-update-verify-config-next", "esr-next", "alice-esr-localtest-next",
                 id="esr-next-shipping-channel"),
])
def test_config_secondary_and_next_channels(version, behavior, kind, channel, expected):
    """The RC's secondary and the ESR's -next configs read the namespace's form of their own channel."""
    env = dict(PROD_CONFIG_ENV, TO_VERSION=version, CHANNEL=channel)
    task = run_staging(make_config(version=version, behavior=behavior), docker(kind, env))
    assert task["task"]["payload"]["env"]["CHANNEL"] == expected


CREATOR = "./mach python testing/mozharness/scripts/release/update-verify-config-creator.py"
#: The creator's arguments as Firefox's tree passes them, before the endpoints.
REAL_ARGS = (
    "--product firefox --stage-product firefox --app-name browser --branch-prefix mozilla --platform linux-x86_64 "
    "--to-version 121.0b3 --to-app-version 121.0 --to-build-number 1 --to-buildid 20251201000000 "
    "--to-revision abc --output-file update-verify.cfg --local-repo . --repo-path releases/mozilla-beta "
    "--partial-version 120.0b9 --updater-platform linux-x86_64 --channel beta-localtest "
    "--include-version '^(\\d+\\.\\d+(b\\d+)?)$' --last-watershed 72.0"
)
PRODUCTION_ENDPOINTS = " --archive-prefix https://archive.mozilla.org/pub --aus-server https://aus5.mozilla.org"
#: The real tree's by-release-level staging values.
STAGING_ENDPOINTS = (
    " --archive-prefix http://ftp.stage.mozaws.net/pub --previous-archive-prefix https://archive.mozilla.org/pub"
    " --aus-server https://stage.balrog.nonprod.cloudops.mozgcp.net --override-certs dep"
)
TRY_TAIL = (
    " --partial-version 120.0b9 --channel alice-beta-localtest"
    " --archive-prefix https://ftp.stage.mozaws.net/staging/alice/pub"
    " --aus-server https://stage.balrog.nonprod.cloudops.mozgcp.net"
    " --previous-archive-prefix https://archive.mozilla.org/pub --override-certs dep"
)


def run_task(kind, text, env=None, extra=None, **kwargs):
    task = finished(f"{kind}-firefox-linux64", kind, "b-linux-gcp", [],
                    {"env": dict(env or {}), "image": "x", "command": ["/usr/local/bin/run-task", "--", "bash", "-cx", text]},
                    **kwargs)
    task["task"]["extra"].update(extra or {})
    return task


def args_config(partials=(partial("120.0b9"),)):
    return make_config(partials=list(partials))


@pytest.mark.parametrize("endpoints", [
    pytest.param(PRODUCTION_ENDPOINTS, id="production-values"),
    pytest.param(STAGING_ENDPOINTS, id="by-release-level-staging-values"),
])
def test_config_arguments_both_forms_give_one_try_command(endpoints):
    task = run_task("release-update-verify-config", f"{CREATOR} {REAL_ARGS}{endpoints}", extra={"channel": "beta-localtest"})
    out = run_staging(args_config(), task)
    without = REAL_ARGS.replace(" --partial-version 120.0b9", "").replace(" --channel beta-localtest", "")
    assert out["task"]["payload"]["command"][-1] == f"{CREATOR} {without}{TRY_TAIL}"
    assert out["task"]["extra"]["channel"] == "alice-beta-localtest"
    assert out["task"]["payload"]["env"] == {}


def test_config_arguments_read_from_the_environment_keep_their_words():
    text = f'{CREATOR} --channel "$CHANNEL" --aus-server "$AUS_SERVER" && echo done'
    task = run_task("release-update-verify-config", text, env={"CHANNEL": "beta-localtest", "AUS_SERVER": "https://aus5.mozilla.org"})
    out = run_staging(args_config(), task)
    command = out["task"]["payload"]["command"][-1]
    assert command.startswith(f'{CREATOR} --channel "$CHANNEL" --aus-server "$AUS_SERVER" --partial-version 120.0b9 ')
    assert command.endswith(" --override-certs dep && echo done")
    assert out["task"]["payload"]["env"] == {
        "CHANNEL": "alice-beta-localtest", "AUS_SERVER": "https://stage.balrog.nonprod.cloudops.mozgcp.net"}


def test_config_arguments_need_a_channel():
    task = run_task("release-update-verify-config", f"{CREATOR} --aus-server https://aus5.mozilla.org")
    with pytest.raises(ConfigError, match=r"task release-update-verify-config-firefox-linux64: update-verify-config task names no channel"):
        run_staging(args_config(), task)


def with_config_dependency(config, config_task):
    """``config`` whose kind dependencies hold ``config_task`` (already in its Try form)."""
    from taskgraph.task import Task

    dep = Task(kind="release-update-verify-config", label=config_task["label"], attributes={}, task=config_task["task"])
    config.kind_dependencies_tasks = {dep.label: dep}
    return config


def staged_config(**kwargs):
    text = f"{CREATOR} {REAL_ARGS}{PRODUCTION_ENDPOINTS}"
    return run_staging(args_config(), run_task("release-update-verify-config", text, extra={"channel": "beta-localtest"}))


CHUNK = "cd /builds/worker/checkouts/src && tools/update-verify/scripts/chunked-verify.sh --total-chunks=16 --this-chunk=3"


def test_verify_chunk_arguments_take_the_staged_config_channel_as_it_is():
    """The chunk copied CHANNEL from its already-staged config task: it stays as it is (never namespaced twice)."""
    config_task = staged_config()
    chunk = run_task("release-update-verify", CHUNK, env={"CHANNEL": "alice-beta-localtest"},
                     dependencies={"release-update-verify-config": config_task["label"]})
    out = run_staging(with_config_dependency(args_config(), config_task), chunk)
    assert out["task"]["payload"]["env"] == {"CHANNEL": "alice-beta-localtest"}
    assert out["task"]["payload"]["command"][-1] == CHUNK


def test_verify_chunk_needs_its_config_task():
    chunk = run_task("release-update-verify", CHUNK, env={"CHANNEL": "beta-localtest"})
    with pytest.raises(ConfigError, match=r"update-verify task depends on no update-verify-config task"):
        run_staging(args_config(), chunk)


def test_verify_chunk():
    env = {"CHANNEL": "beta-localtest", "AUS_SERVER": "https://aus5.mozilla.org", "CHUNK": "3", "TOTAL_CHUNKS": "12",
           "UPDATE_VERIFY_CONFIG": "https://queue/…/update-verify.cfg"}
    config_task = run_staging(make_config(), docker("release-update-verify-config", PROD_CONFIG_ENV))
    chunk = docker("release-update-verify", env)
    chunk["dependencies"] = {"release-update-verify-config": config_task["label"]}
    task = run_staging(with_config_dependency(make_config(), config_task), chunk)
    assert task["task"]["payload"]["env"] == dict(
        env, CHANNEL="alice-beta-localtest", AUS_SERVER="https://stage.balrog.nonprod.cloudops.mozgcp.net",
        OVERRIDE_CERTS="dep",
    )


def test_missing_variable_names_task_and_variable():
    env = dict(PROD_CONFIG_ENV)
    del env["AUS_SERVER"]
    with pytest.raises(ConfigError, match=r"task release-update-verify-config-firefox-linux64: update-verify-config task lacks environment variable\(s\) AUS_SERVER"):
        run_staging(make_config(), docker("release-update-verify-config", env))
