"""``taskgraph-staging audit``: exit codes, the text and JSON reports, bad input, --live."""

import json
from pathlib import Path

import pytest
import yaml
from audit_plans import audit_graph, lando_bumps, no_slot_holds, plan, slot
from release_graphs import BEHAVIOURS

from taskgraph_staging.interfaces.cli import main

BETA = BEHAVIOURS[0]


def write_plan(directory, namespace, graph_name="full-task-graph.json", edit=None, services=None):
    tasks, params = plan(BETA, namespace, services)
    if edit:
        edit(tasks)
    directory.mkdir(parents=True, exist_ok=True)
    (directory / "parameters.yml").write_text(yaml.safe_dump(params))
    (directory / graph_name).write_text(json.dumps(tasks))
    return str(directory)


@pytest.fixture(scope="module")
def plans(tmp_path_factory):
    base = tmp_path_factory.mktemp("plans")
    return {
        "amber": write_plan(base / "amber", "amber"),
        "birch": write_plan(base / "birch", "birch"),
        "amber2": write_plan(base / "amber2", "amber"),
        "file": write_plan(base / "file", "cedar", graph_name="task-graph.json"),
        "slot1": write_plan(base / "slot1", "amber", services=slot(1)),
        "slot2": write_plan(base / "slot2", "birch", services=slot(2)),
    }


def counted(directory, graph_name="full-task-graph.json", with_parameters=True):
    """``(tasks, resources)`` of a plan directory, as the audit counts them (its own inventory)."""
    tasks = json.loads((Path(directory) / graph_name).read_text())
    params = yaml.safe_load((Path(directory) / "parameters.yml").read_text()) if with_parameters else None
    return len(tasks), len(audit_graph("counted", tasks, params).resources)


def run(capsys, *argv):
    code = main(["audit", *argv])
    out, err = capsys.readouterr()
    return code, out, err


def test_two_namespaces_of_one_version_on_the_shared_services_fail_on_push_to_releases(capsys, plans):
    code, out, err = run(capsys, plans["amber"], plans["birch"])
    assert (code, err) == (1, "")
    lines = out.splitlines()
    tasks, resources = counted(plans["amber"])
    assert lines[1] == f"  {plans['amber']}: firefox 121.0b3 build 1, namespace amber ({tasks} tasks, {resources} resources, full-task-graph.json)"
    # push-to-releases's prefixes and the Ship-it releases (Ship-it names them, no namespace):
    # Firefox's and, in a beta's graph, Devedition's and Fenix's; the version bump's two files
    # on Lando's staging repository of the beta train; and what no slot holds either: the
    # langpacks on AMO's staging server (15 locales, en-US's too, of Firefox and of Devedition)
    # and the .deb and .rpm packages in the dev pool's apt and yum repositories (each product's
    # linux64 and linux64-aarch64 packages and linux64's 14 langpack packages: every locale
    # but en-US, of each format).
    assert f"  {plans['amber']} and {plans['birch']}: {7 + 2 * 15 + 2 * (2 + 14) + 2 * (2 + 14)} resource(s)" in lines
    assert lines.index("    amo https://addons.allizom.org langpack devedition ar 121.0b3") < lines.index(
        "      removed by: none here: AMO's staging server is one for everybody (no library slot holds an AMO)")
    for repository in ("an apt", "a yum"):
        assert f"      removed by: a beetmover pool whose configuration names {repository} repository of its own (no library slot holds one)" in lines
    at = lines.index("    vcs lando:staging-firefox-beta bump browser/config/version_display.txt")
    assert lines[at + 3] == "      removed by: a Lando repository of its own (Lando's administrators make one; no library slot holds one)"
    at = lines.index("    shipit https://api.shipit.staging.mozilla-releng.net release Firefox-121.0b3-build1")
    assert lines[at + 1:at + 4] == [
        f"      {plans['amber']}: release-mark-as-shipped-firefox (shared by nature)",
        f"      {plans['birch']}: release-mark-as-shipped-firefox (shared by nature)",
        "      removed by: a dedicated Ship-it (a library slot)",
    ]
    at = lines.index("    archive net-mozaws-stage-delivery-firefox prefix pub/firefox/releases/121.0b3/")
    assert lines[at + 1:at + 4] == [
        f"      {plans['amber']}: release-beetmover-push-to-release-firefox (shared by nature)",
        f"      {plans['birch']}: release-beetmover-push-to-release-firefox (shared by nature)",
        "      removed by: a dedicated archive (a library slot: its own bucket and beetmover pool)",
    ]
    assert lines[-1] == "Result: FAILED"


def test_two_namespaces_of_one_version_on_two_slots_share_only_what_no_slot_holds(capsys, plans):
    # A slot isolates archive, Balrog, Bouncer and Ship-it; the version bump lands on Lando's
    # staging repository of the train, the langpacks on AMO's one staging server and the
    # .deb and .rpm packages in the dev pool's apt and yum repositories, which no slot holds: the
    # audit says so and fails.
    code, out, err = run(capsys, "--json", plans["slot1"], plans["slot2"])
    report = json.loads(out)
    assert (code, err, report["ok"]) == (1, "", False)
    [pair] = report["collisions"]
    assert pair["resources"] and sorted(map(str, pair["resources"])) == sorted(map(str, no_slot_holds(pair["resources"])))
    assert {r["name"] for r in lando_bumps(pair["resources"])} == {"browser/config/version_display.txt", "mobile/android/version.txt"}
    assert {r["service"] for r in pair["resources"]} == {"vcs", "amo", "apt", "yum"}
    assert all(sorted(map(str, e["resources"])) == sorted(map(str, no_slot_holds(e["resources"]))) for e in report["shared"])
    code, out, _ = run(capsys, plans["slot1"], plans["slot2"])
    assert "      removed by: a Lando repository of its own (Lando's administrators make one; no library slot holds one)" in out.splitlines()


def test_one_namespace_twice_fails_naming_both_tasks(capsys, plans):
    code, out, _ = run(capsys, plans["amber"], plans["amber2"])
    assert code == 1
    assert f"  {plans['amber']} and {plans['amber2']}:" in out
    assert f"      {plans['amber2']}: release-mark-as-shipped-firefox (shared by nature)" in out
    assert f"      {plans['amber2']}: release-balrog-submit-toplevel-firefox (isolated by namespace)" in out
    assert out.splitlines()[-1] == "Result: FAILED"


def test_json_report_and_a_task_graph_file(capsys, plans):
    graph_file = f"{plans['file']}/task-graph.json"
    code, out, _ = run(capsys, "--json", plans["slot1"], graph_file)
    report = json.loads(out)
    assert [g["name"] for g in report["graphs"]] == [plans["slot1"], graph_file]
    assert report["graphs"][1]["namespace"] == "cedar"  # parameters.yml beside the file
    # Only what no slot holds is written by both (see the slots test).
    [pair] = report["collisions"]
    assert (code, report["ok"]) == (1, False) and pair["resources"]
    assert sorted(map(str, pair["resources"])) == sorted(map(str, no_slot_holds(pair["resources"])))


def test_a_task_graph_file_without_parameters_is_audited_and_its_owner_is_unknown(capsys, plans, tmp_path):
    graph_file = tmp_path / "task-graph.json"
    graph_file.write_text(open(f"{plans['file']}/task-graph.json").read())
    code, out, err = run(capsys, str(graph_file))
    assert (code, err) == (1, "")
    tasks, resources = counted(plans["file"], "task-graph.json", with_parameters=False)
    assert f"  {graph_file}: no parameters (namespace unknown) ({tasks} tasks, {resources} resources, task-graph.json)" in out
    # No parameters.yml, no owner: the owner's notifications cannot be told from anybody's.
    assert ("    release-notify-ship-firefox: route notify.email.alice@example.com.on-completed is production: "
            "it notifies email alice@example.com, not the release's owner") in out
    assert out.splitlines()[-1] == "Result: FAILED"


@pytest.mark.parametrize(
    "make, message",
    [
        pytest.param(lambda p: str(p / "missing"), "missing: no such file or directory", id="missing"),
        pytest.param(lambda p: (p / "empty").mkdir() or str(p / "empty"), "holds neither full-task-graph.json nor task-graph.json", id="empty-dir"),
        pytest.param(lambda p: (p / "x.json").write_text("[1, 2]") and str(p / "x.json"), "x.json is not a task graph", id="not-a-graph"),
        pytest.param(lambda p: (p / "y.json").write_text("{nope") and str(p / "y.json"), "y.json is not JSON", id="not-json"),
        pytest.param(
            lambda p: (p / "z.json").write_text("{}") and (p / "parameters.yml").write_text("a: [\n") and str(p / "z.json"),
            "parameters.yml is not valid YAML or JSON (line 2)",
            id="parameters-not-yaml",
        ),
    ],
)
def test_bad_input_is_one_line_exit_2(capsys, tmp_path, make, message):
    code, out, err = run(capsys, make(tmp_path))
    assert (code, out) == (2, "")
    assert err.count("\n") == 1 and err.startswith("taskgraph-staging audit: error: ") and message in err


def test_live_refuses_a_namespace_in_flight(capsys, plans, tmp_path):
    live = tmp_path / "live.yml"
    live.write_text(yaml.safe_dump([{"namespace": "amber", "version": "121.0b3", "graph": plans["amber2"]}]))
    code, out, _ = run(capsys, "--live", "--live-file", str(live), plans["amber"])
    assert code == 1
    assert f"  {plans['amber']}: namespace amber is used by firefox 121.0b3 build 1 in namespace amber ({live})" in out
    assert out.splitlines()[-1] == "Live check: REFUSED"
    code, out, _ = run(capsys, "--live", "--live-file", str(live), plans["birch"])
    assert code == 1  # another namespace, but push-to-releases of the same version on the same bucket
    assert "removed by: a dedicated archive (a library slot: its own bucket and beetmover pool)" in out
    assert out.splitlines()[-1] == "Live check: REFUSED"
    code, out, _ = run(capsys, "--live", "--live-file", str(live), plans["slot2"])
    # On a slot, only what no slot holds (the version bump's Lando repository, AMO's staging
    # server, the apt and yum repositories) is still shared with the release in flight.
    assert code == 1 and out.splitlines()[-1] == "Live check: REFUSED"
    shared = [line for line in out.splitlines() if line.startswith("  ") and " with " in line]
    assert any(line.lstrip().startswith("vcs lando:staging-firefox-beta bump ") for line in shared), shared
    assert shared and all(line.lstrip().startswith(("vcs lando:staging-firefox-beta bump ", "amo https://addons.allizom.org langpack ",
                                                    "apt projects/moz-fx-productdelivery-no-7d6a/",
                                                    "yum projects/moz-fx-productdelivery-no-7d6a/")) for line in shared), shared


def test_a_live_file_alone_runs_the_live_check(capsys, plans, tmp_path):
    live = tmp_path / "live.yml"
    live.write_text(yaml.safe_dump([{"namespace": "amber", "version": "121.0b3"}]))
    code, out, _ = run(capsys, "--live-file", str(live), plans["amber"])
    assert code == 1 and out.splitlines()[-1] == "Live check: REFUSED"
    live.write_text("42\n")
    code, out, err = run(capsys, "--live-file", str(live), plans["amber"])
    assert (code, out) == (2, "")
    assert err == f"taskgraph-staging audit: error: --live-file {live}: must hold a list of {{namespace, product, version, build_number}}\n"


def test_plan_summary_shows_the_classification(capsys):
    assert main(["plan", "--version", "121.0b3", "--namespace", "alice"]) == 0
    lines = capsys.readouterr().out.splitlines()
    start = lines.index("Isolation from other staging releases (every phase; see taskgraph-staging audit):")
    rows = [line for line in lines[start + 1:] if line.startswith("  ")]
    assert "  balrog channel: isolated by namespace (3 names written by 2 tasks): the name carries namespace alice (naming)" in rows
    push = next(row for row in rows if row.startswith("  archive prefix: shared by nature (1 name written by 1 task): "))
    assert "beetmover worker's configuration" in push
    # The owner, notified by the promote, push and ship notifications of Firefox (not by Fenix's).
    assert any(row.startswith("  email recipient: message (1 name written by 3 tasks): ") for row in rows)
