"""Staging releases planned on library slots (issue 9's graph side).

A checked-out slot yields the release's services, worker pools and namespace; the
staging layer points beetmover, balrog, bouncer and ship-it tasks at the slot's
pools, Balrog scheduling publishes the slot's provisioned rule ids, and a second
release on the same slot updates from the first.
"""

import json
import pytest
import yaml

from taskgraph_staging.interfaces.cli import main
from taskgraph_staging.interfaces.library import Registry
from taskgraph_staging.staging.transforms.shell_args import find_call

from .conftest import slot_dict, write_slots

from audit_plans import lando_bumps, no_slot_holds

POOL_FAMILIES = {"beetmover": "beetmover", "balrog": "balrog", "bouncer": "bouncer", "shipit": "ship-it"}


@pytest.fixture(scope="module")
def library(tmp_path_factory):
    """A registry with two slots, both checked out, lib-one with Balrog rule ids provisioned."""
    tmp = tmp_path_factory.mktemp("library")
    url = str(tmp / "library.sqlite")
    assert main(["library", "add", "--registry", url, write_slots(tmp / "slots.yml", [slot_dict("lib-one"), slot_dict("lib-two")])]) == 0
    registry = Registry(url)
    registry.record_rule_ids("lib-one", "firefox", {"lib-one-firefox-beta": 1000, "lib-one-firefox-beta-localtest": 1002})
    one = registry.checkout("alice@example.com", "firefox", "rehearsal", 1)
    two = registry.checkout("bob@example.com", "firefox", "rehearsal", 1)
    return url, {one.slot_id: one.id, two.slot_id: two.id}


def plan(tmp, registry_url, reservation, *extra):
    out = tmp / f"plan-{reservation}-{len(extra)}"
    args = ["plan", "--version", "121.0b3", "--phase", "ship", "--reservation", reservation, "--registry", registry_url,
            "--output", str(out), *extra]
    assert main(args) == 0
    with open(out / "full-task-graph.json") as fh:
        graph = json.load(fh)
    with open(out / "parameters.yml") as fh:
        params = yaml.safe_load(fh)
    return out, graph, params


def tasks_of(graph, kind, product="firefox"):
    """The plan's (Firefox's) tasks of a kind; a beta's full graph also holds Devedition's."""
    return [t for t in graph.values()
            if t["task"]["tags"]["kind"] == kind and t["attributes"].get("shipping_product") == product]


def test_a_reservation_gives_the_slot_namespace_services_and_pools(library, tmp_path):
    url, reservations = library
    _, graph, params = plan(tmp_path, url, reservations["lib-one"])
    staging = params["staging"]
    assert (staging["namespace"], staging["reservation"]) == ("lib-one", reservations["lib-one"])
    assert sorted(staging["services"]["dedicated"]) == ["archive", "balrog", "bouncer", "shipit"]
    families = {}
    for task in graph.values():
        for family in task["task"].get("extra", {}).get("staging", {}):
            families.setdefault(family, set()).add(f"{task['task']['provisionerId']}/{task['task']['workerType']}")
    for family, slot_family in POOL_FAMILIES.items():
        pool = slot_dict("lib-one")["pools"][family]
        assert families.get(slot_family) == {pool} or families.get(family) == {pool}, (family, families)


def test_scheduling_publishes_the_slot_rule_ids(library, tmp_path):
    url, reservations = library
    _, graph, _ = plan(tmp_path, url, reservations["lib-one"])
    (schedule,) = tasks_of(graph, "release-balrog-scheduling")
    assert schedule["task"]["payload"]["publish_rules"] == [1000]


def test_two_slots_share_only_what_no_slot_holds(library, tmp_path, capsys):
    # Each slot's archive, Balrog, Bouncer and Ship-it are its own; the version bump's
    # Lando staging repository is the train's, AMO's staging server and the dev pool's apt and
    # yum repositories everybody's, held by no slot: the only things shared.
    url, reservations = library
    one, _, _ = plan(tmp_path, url, reservations["lib-one"])
    two, _, _ = plan(tmp_path, url, reservations["lib-two"])
    capsys.readouterr()
    code = main(["audit", "--json", str(one), str(two)])
    report = json.loads(capsys.readouterr().out)
    [pair] = report["collisions"]
    assert code == 1 and pair["resources"] and lando_bumps(pair["resources"]), report
    assert sorted(map(str, pair["resources"])) == sorted(map(str, no_slot_holds(pair["resources"]))), report
    assert all(sorted(map(str, e["resources"])) == sorted(map(str, no_slot_holds(e["resources"]))) for e in report["shared"])


def test_a_second_release_on_the_slot_updates_from_the_first(library, tmp_path):
    url, reservations = library
    _, first, _ = plan(tmp_path, url, reservations["lib-one"])
    _, graph, _ = plan(tmp_path, url, reservations["lib-one"], "--version", "121.0b4", "--partial", "121.0b3:1:staging")
    slot = slot_dict("lib-one")
    archive = f"https://{slot['archive']['domain']}/pub"
    configs = tasks_of(graph, "release-update-verify-config")
    assert configs
    for task in configs:
        call = find_call(task["task"], "update-verify-config-creator.py")[2]
        assert call.values("partial-version") == ["121.0b3"]
        assert call.value("archive-prefix") == call.value("previous-archive-prefix") == archive
    partials = tasks_of(graph, "partials")
    assert partials and all(
        t["task"]["payload"]["env"]["FROM_MAR_URL"].startswith(f"{archive}/firefox/candidates/121.0b3-candidates/build1/")
        for t in partials
    )
    # ...where the first release's beetmover put its complete MARs.
    uploads = {
        dest
        for t in tasks_of(first, "beetmover-repackage")
        for entry in t["task"]["payload"]["artifactMap"]
        for info in entry["paths"].values()
        for dest in info["destinations"]
    }
    for task in partials:
        key = task["task"]["payload"]["env"]["FROM_MAR_URL"][len(f"https://{slot['archive']['domain']}/"):]
        assert key in uploads, key
