"""``taskgraph-staging plan``: the Done-when checks, bad input, atomic artifacts."""

import contextlib
import io
import json
import os

import pytest
import yaml

from taskgraph_staging.interfaces.cli import main
from taskgraph_staging.interfaces.plan import ARTIFACTS, write_artifacts
from taskgraph_staging.interfaces.plan_output import MANIFEST
from taskgraph_staging.model.versions import default_partials
from taskgraph_staging.model.release import Partial

#: Every release task type the reference kinds must hold (issue 2, item 2).
TASK_TYPES = {
    "build", "build-signing", "repackage", "repackage-signing", "partials", "partials-signing",
    "beetmover-repackage", "beetmover-checksums", "release-generate-checksums",
    "release-generate-checksums-signing", "release-generate-checksums-beetmover", "balrog",
    "release-balrog-submit-toplevel", "release-balrog-scheduling", "release-bouncer-sub",
    "release-bouncer-aliases", "release-bouncer-check", "release-update-verify-config",
    "release-update-verify", "release-final-verify", "release-early-tagging", "release-version-bump",
    "release-beetmover-push-to-release", "release-mark-as-shipped", "release-notify-promote",
    "release-notify-push", "release-notify-ship", "push-bundle", "beetmover-android-app", "release-snap-push",
}  # fmt: skip  (push-apks, Samsung, is in release graphs only: this plan is a beta)


@pytest.fixture(scope="module")
def planned(tmp_path_factory):
    """One plan run as the Done-when list says, with its exit code and output."""
    out = tmp_path_factory.mktemp("plan") / "out"
    stdout, stderr = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(stdout), contextlib.redirect_stderr(stderr):
        code = main(["plan", "--version", "121.0b3", "--namespace", "alice", "--output", str(out)])
    return code, out, stdout.getvalue(), stderr.getvalue()


def test_plan_writes_the_four_artifacts(planned):
    code, out, stdout, stderr = planned
    assert code == 0, stderr
    assert sorted(os.listdir(out)) == sorted([*ARTIFACTS, MANIFEST])
    assert not [n for n in os.listdir(out.parent) if n.startswith(".")]  # no temporary directory left


def test_full_graph_holds_every_task_type_in_four_phases(planned):
    _, out, _, _ = planned
    with open(out / "full-task-graph.json") as fh:
        full = json.load(fh)
    kinds = {t["task"]["tags"]["kind"] for t in full.values()}
    assert TASK_TYPES - kinds == set()
    assert {t["attributes"].get("shipping_phase") for t in full.values()} >= {"build", "promote", "push", "ship"}


def test_parameters_and_target_tasks(planned):
    _, out, _, _ = planned
    with open(out / "parameters.yml") as fh:
        params = yaml.safe_load(fh)
    assert (params["version"], params["release_type"], params["level"], params["project"]) == ("121.0b3", "beta", "1", "try")
    assert params["staging"]["namespace"] == "alice"
    assert params["staging"]["partials"] == [{"version": "121.0b2", "build_number": 1, "source": "production"}]
    assert params["target_tasks_method"] == "staging_release_builds"
    with open(out / "full-task-graph.json") as fh:
        full = json.load(fh)
    with open(out / "target-tasks.json") as fh:
        target = json.load(fh)
    assert sorted(target) == sorted(label for label, t in full.items() if t["attributes"].get("shipping_phase") == "build")
    with open(out / "task-graph.json") as fh:
        task_graph = json.load(fh)
    assert {t["label"] for t in task_graph.values()} >= set(target)


def test_summary_names_namespace_behaviour_kinds_and_resources(planned):
    _, _, stdout, _ = planned
    lines = stdout.splitlines()
    assert lines[0] == "Staging release plan: firefox 121.0b3 build 1"
    assert lines[1] == "  namespace alice, behaviour beta (release_type beta), phase build (target method staging_release_builds)"
    assert lines[2] == "  partials from 121.0b2:1:production"
    assert not [line for line in lines if line.startswith("  note: ")]
    assert any(line.split()[:2] == ["build", "build-signing"] for line in lines)
    assert any(line.split()[:2] == ["ship", "release-mark-as-shipped"] for line in lines)
    assert "    alice-beta-localtest  (pinned)" in lines
    assert "    Firefox-121.0b3-build1" in lines  # the Ship-it release, named by Ship-it


def _section(lines, title):
    """The name lines listed under a resource group's title."""
    start = lines.index(title)
    end = next((i for i in range(start + 1, len(lines)) if not lines[i].startswith("    ")), len(lines))
    return lines[start + 1:end]


@pytest.fixture(scope="module")
def release_ship_plan(tmp_path_factory):
    """A Firefox release planned up to its ship phase, without partials, with its output."""
    out = tmp_path_factory.mktemp("release") / "out"
    stdout, stderr = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(stdout), contextlib.redirect_stderr(stderr):
        code = main(["plan", "--version", "121.0", "--behavior", "release", "--phase", "ship", "--namespace", "alice",
                     "--output", str(out)])
    assert code == 0, stderr.getvalue()
    return out, stdout.getvalue().splitlines()


def test_summary_counts_names_and_the_tasks_writing_them(release_ship_plan):
    _, lines = release_ship_plan
    blobs = _section(lines, "  balrog https://admin.stage.balrog.nonprod.webservices.mozgcp.net/api blob:")
    assert blobs == ["    Firefox-121.0-build1-staging-alice  (locale data)", "    Firefox-121.0-build1-staging-alice-No-WNP  (locale data)"]
    row = next(line for line in lines if line.startswith("  balrog blob: "))
    # Two blobs, as listed above; every locale's submission task writes them.
    assert row.startswith("  balrog blob: isolated by namespace (2 names written by ")
    tasks = int(row.split(" written by ")[1].split()[0])
    assert tasks > 2


def test_a_firefox_plan_lists_only_firefox(release_ship_plan):
    _, lines = release_ship_plan
    assert not [line for line in lines if "Fenix" in line or "fenix" in line]
    assert "    Firefox-121.0-build1" in lines  # its Ship-it release (Ship-it's own name)


def test_a_release_without_partials_is_told_to_pass_partial(release_ship_plan):
    _, lines = release_ship_plan
    assert lines[2] == ("  partials from none; no partial updates: pass --partial VERSION:BUILD (a previous release, "
                        "e.g. the one this release updates from)")


@pytest.mark.parametrize("argv, line", [
    pytest.param(["--version", "121.0", "--rc", "--partial", "120.0.1:1"], "  partials from 120.0.1:1:production", id="rc-with-partials"),
    pytest.param(["--version", "121.0", "--rc"], "  partials from none; no partial updates: pass --partial VERSION:BUILD", id="rc"),
    pytest.param(["--version", "121.0b3", "--product", "fenix"], "  partials from none", id="android-has-none"),
])
def test_partials_line(argv, line, capsys):
    assert main(["plan", *argv, "--namespace", "alice"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[2] == line or (line.endswith("VERSION:BUILD") and lines[2].startswith(line))


def test_summary_ends_with_the_audit_and_the_push(release_ship_plan):
    out, lines = release_ship_plan
    assert lines[-3:] == [
        "Next:",
        f"  taskgraph-staging audit {out}  (with other plans' outputs, or --live: the releases in flight)",
        "  taskgraph-staging push --version 121.0 --behavior release --namespace alice --dry-run  (then without --dry-run)",
    ]


def test_the_next_push_repeats_the_plans_choices(capsys, tmp_path):
    import shlex

    from taskgraph_staging.interfaces.cli import build_parser

    argv = ["--version", "121.0", "--rc", "--build-number", "2", "--partial", "120.0.1:1", "--namespace", "bob-two"]
    assert main(["plan", *argv, "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    audit, push = data["next_steps"]
    assert audit == "plan again with --output DIR, then taskgraph-staging audit DIR"
    command = push.split("  (then")[0]
    assert command == ("taskgraph-staging push --version 121.0 --build-number 2 --behavior release-rc --namespace bob-two "
                       "--partial 120.0.1:1 --dry-run")
    args = build_parser().parse_args(shlex.split(command)[1:])  # push takes every option as the plan gave it
    assert (args.version, args.build_number, args.behavior, args.namespace, args.partials, args.dry_run) == (
        "121.0", 2, "release-rc", "bob-two", ["120.0.1:1"], True)


def test_a_beta_planned_as_a_release_notes_the_bouncer_aliases_it_cannot_rehearse(capsys):
    assert main(["plan", "--version", "121.0b3", "--behavior", "release", "--phase", "ship", "--namespace", "alice"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[4] == (
        "  note: release-bouncer-aliases-firefox: bouncerscript refuses the release behaviour's Bouncer aliases "
        "(partner-firefox-release-staging-alice-SSL-latest, partner-firefox-release-staging-alice-langpack-SSL-latest, "
        "partner-firefox-release-staging-alice-latest, partner-firefox-release-staging-alice-msi-SSL-latest, "
        "partner-firefox-release-staging-alice-msix-SSL-latest, partner-firefox-release-staging-alice-pkg-SSL-latest, "
        "partner-firefox-release-staging-alice-stub) for 121.0b3's "
        "products; it updates the version's own stand-ins (plan a version of the behaviour to rehearse its aliases)"
    )
    assert "    alice-release  (pinned)" in lines  # Balrog follows the behaviour


def test_json_summary(capsys):
    assert main(["plan", "--version", "121.0", "--behavior", "release-rc", "--namespace", "bob", "--phase", "ship", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert (data["namespace"], data["behavior"], data["release_type"], data["target_tasks_method"]) == (
        "bob", "release-rc", "release-rc", "ship_firefox_rc",
    )
    # As the real tree's ship_desktop: an RC ships after promote, so its ship graph holds the push tasks too.
    assert set(data["target_task_graph"]["by_phase_and_kind"]) == {"build", "promote", "push", "ship"}
    services = {r["service"] for r in data["resources"]}
    assert {"archive", "balrog", "shipit"} <= services
    assert all(r["name"].startswith("bob") for r in data["resources"] if r["service"] == "balrog" and r["kind"] == "channel")


def test_a_plan_on_a_dedicated_bouncer_notes_that_its_alias_check_reads_the_shared_redirector(capsys, tmp_path):
    services = _services_file(tmp_path, (
        "bouncer_admin: https://bouncer-admin.one.example/api\n"
        "bouncer_redirector: https://bouncer.one.example\n"
        "dedicated: [bouncer]\n"
    ))
    assert main(["plan", "--version", "121.0b3", "--phase", "ship", "--namespace", "alice", "--services", services]) == 0
    notes = [line for line in capsys.readouterr().out.splitlines() if line.startswith("  note: ")]
    assert notes == [
        "  note: release-bouncer-aliases-firefox: bouncerscript checks the aliases it updates on "
        "https://dev.bouncer.nonprod.webservices.mozgcp.net, not on https://bouncer.one.example; check them there yourself"
    ]


def _services_file(tmp_path, text):
    path = tmp_path / "services.yml"
    path.write_text(text)
    return str(path)


MALFORMED = [
    pytest.param(["--version", "121"], "--version: '121' is not a valid desktop version", id="version-short"),
    pytest.param(["--version", "121.0a1"], "--version: '121.0a1' is a nightly version", id="version-nightly"),
    pytest.param(["--version", "banana"], "--version: 'banana' is not a valid desktop version", id="version-word"),
    pytest.param(["--version", "121.0b3esr"], "--version: '121.0b3esr' is not a valid", id="version-beta-esr"),
    pytest.param(["--version", ""], "--version: a version is required", id="version-empty"),
    pytest.param(["--version", "121.0b3", "--namespace", "Alice"], "--namespace: 'Alice' may hold only lowercase", id="ns-upper"),
    pytest.param(["--version", "121.0b3", "--namespace", "al"], "--namespace: 'al' must be 3 to 24 characters", id="ns-short"),
    pytest.param(["--version", "121.0b3", "--namespace", "x" * 25], "must be 3 to 24 characters long (it has 25)", id="ns-long"),
    pytest.param(["--version", "121.0b3", "--namespace", "release"], "uses the reserved word(s) release", id="ns-reserved"),
    pytest.param(["--version", "121.0b3", "--namespace", "alice-beta"], "uses the reserved word(s) beta", id="ns-reserved-segment"),
    pytest.param(["--version", "121.0b3", "--namespace", "a_b.c"], "may hold only lowercase letters", id="ns-chars"),
    pytest.param(["--version", "121.0b3", "--behavior", "nightly"], "--behavior: 'nightly' is not one of beta, release, release-rc, esr", id="behavior"),
    pytest.param(["--version", "121.0b3", "--behavior", "beta", "--rc"], "--rc: contradicts --behavior beta", id="behavior-rc"),
    pytest.param(["--version", "121.0b3", "--behavior", "esr"], "--behavior: esr needs an ESR version, like 115.5.0esr (121.0b3 is not one)", id="esr-on-beta"),
    pytest.param(["--version", "121.0b3", "--partial", "120.0b9"], "must look like VERSION:BUILD[:production|staging]", id="partial-no-build"),
    pytest.param(["--version", "121.0b3", "--partial", "120.0b9:0"], "build number '0' must be a whole number from 1 to 999", id="partial-build-0"),
    pytest.param(["--version", "121.0b3", "--partial", "120.0b9:1:mirror"], "source 'mirror' must be one of production, staging", id="partial-source"),
    pytest.param(["--version", "121.0b3", "--partial", "nope:1"], "'nope' is not a valid desktop version", id="partial-version"),
    pytest.param(["--version", "121.0b3", "--partial", "120.0b9:1", "--partial", "120.0b9:2"], "each previous version may be given once", id="partial-twice"),
    pytest.param(["--version", "121.0b3", "--partial", "121.0b4:1"],
                 "--partial 121.0b4:1: 121.0b4 is newer than the release 121.0b3; a partial updates from an earlier release", id="partial-newer"),
    pytest.param(["--version", "121.0b3", "--partial", "121.0b3:1"],
                 "--partial 121.0b3:1: 121.0b3 is the release 121.0b3; a partial updates from an earlier release", id="partial-same"),
    pytest.param(["--version", "121.0b3", "--build-number", "0"], "--build-number: '0' must be a whole number from 1 to 999", id="build-number"),
    pytest.param(["--version", "121.0b3", "--owner", "@"], "--owner: '@' is not an email address (like alice@example.com)", id="owner-at"),
    pytest.param(["--version", "121.0b3", "--phase", "deploy"], "--phase: 'deploy' is not one of build, promote, push, ship", id="phase"),
    pytest.param(["--version", "121.0", "--rc", "--phase", "push"], "no target-task method for phase 'push' (RC); RC releases have the "
                 "phases build, promote and ship; an RC reaches the push phase as a release, as production's push_firefox flavor "
                 "does: plan it with --behavior release (without --rc)", id="phase-rc-push"),
    pytest.param(["--version", "121.0", "--behavior", "release-rc", "--phase", "push"], "plan it with --behavior release",
                 id="phase-release-rc-push"),
    pytest.param(["--version", "121.0b3", "--product", "thunderfox"], "--product: 'thunderfox' is not one of firefox, devedition, fenix", id="product"),
    pytest.param(["--version", "121.0b3", "--root", "/nonexistent/root"], "--root: no taskgraph config.yml in /nonexistent/root", id="root"),
    pytest.param(["--version", "121.0b3", "--services", "{tmp}/missing.yml"], "--services: cannot read", id="services-missing"),
    pytest.param(
        ["--version", "121.0b3", "--services", "balrog_admin: https://aus5.mozilla.org/api\n"],
        "balrog_admin 'https://aus5.mozilla.org/api' is production (the production Balrog update server)",
        id="services-production-balrog",
    ),
    pytest.param(
        ["--version", "121.0b3", "--services", "archive_bucket: net-mozaws-prod-delivery-firefox\n"],
        "is production (the production release bucket)",
        id="services-production-bucket",
    ),
    pytest.param(
        ["--version", "121.0b3", "--services", '{"bouncer_redirector": "https://download.mozilla.org"}'],
        "is production (the production Bouncer redirector)",
        id="services-production-bouncer-json",
    ),
    pytest.param(["--version", "121.0b3", "--services", "shipit: ftp://shipit.example\n"], "must be an http(s) URL with a host name", id="services-scheme"),
    pytest.param(["--version", "121.0b3", "--services", "balrog: https://x.example\n"], "unknown service(s) balrog", id="services-unknown"),
    pytest.param(["--version", "121.0b3", "--services", "- a\n- b\n"], "must hold a mapping of service name to endpoint", id="services-list"),
    pytest.param(["--version", "121.0b3", "--services", "a: [b\n"], "is not valid YAML or JSON", id="services-yaml"),
    pytest.param(["--version", "121.0b3", "--namespace", "Bad", "--behavior", "rc"], "--namespace: 'Bad' may hold only", id="every-problem-at-once"),
]


@pytest.mark.parametrize("argv, message", MALFORMED)
def test_malformed_input_exits_2_with_one_line(argv, message, tmp_path, capsys):
    argv = list(argv)
    if "--services" in argv:
        i = argv.index("--services") + 1
        argv[i] = argv[i].format(tmp=tmp_path) if argv[i].startswith("{tmp}") else _services_file(tmp_path, argv[i])
    out = tmp_path / "out"
    code = main(["plan", *argv, "--output", str(out)])
    captured = capsys.readouterr()
    assert code == 2
    lines = captured.err.splitlines()
    assert len(lines) == 1, captured.err
    assert lines[0].startswith("taskgraph-staging plan: error: ")
    assert message in lines[0]
    assert "Traceback" not in captured.err + captured.out
    assert not out.exists()
    assert sorted(os.listdir(tmp_path)) in ([], ["services.yml"])


def test_every_problem_is_reported_at_once(capsys):
    assert main(["plan", "--version", "121.0b3", "--namespace", "Bad", "--behavior", "rc", "--build-number", "x"]) == 2
    err = capsys.readouterr().err
    assert "--namespace: 'Bad'" in err and "--behavior: 'rc'" in err and "--build-number: 'x'" in err


def test_version_is_required(capsys):
    with pytest.raises(SystemExit) as info:
        main(["plan"])
    assert info.value.code == 2
    assert capsys.readouterr().err.splitlines() == ["taskgraph-staging plan: error: the following arguments are required: --version"]


@pytest.mark.parametrize(
    "version, expected",
    [
        ("121.0b3", (Partial("121.0b2", 1),)),
        ("121.0b1", ()),
        ("121.0", ()),
        ("121.0.2", (Partial("121.0.1", 1),)),
        ("121.0.1", (Partial("121.0", 1),)),
        ("115.5.0esr", (Partial("115.4.0esr", 1),)),
        ("115.5.1esr", (Partial("115.5.0esr", 1),)),
    ],
)
def test_default_partials(version, expected):
    assert default_partials(version, "desktop") == expected
    assert default_partials(version, "android") == ()


class Unserialisable:
    pass


def test_artifacts_are_written_atomically(tmp_path):
    out = tmp_path / "out"
    with pytest.raises(TypeError):
        write_artifacts({"a.json": [1], "b.json": Unserialisable()}, str(out))
    assert os.listdir(tmp_path) == []

    write_artifacts({"a.json": [1]}, str(out))
    with pytest.raises(TypeError):
        write_artifacts({"a.json": [2], "b.json": Unserialisable()}, str(out))
    assert sorted(os.listdir(tmp_path)) == ["out"]
    assert json.loads((out / "a.json").read_text()) == [1]  # the previous plan is kept whole

    write_artifacts({"c.yml": {"x": 1}}, str(out))
    assert sorted(os.listdir(out)) == [MANIFEST, "c.yml"]  # replaced, not merged
    assert sorted(os.listdir(tmp_path)) == ["out"]
