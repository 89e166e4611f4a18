"""The isolation audit: ten namespaces across behaviours, dedicated slots, collisions made on purpose.

Plans: see tests/audit_plans.py (the four behaviours generated in namespace alice and on
one dedicated slot each; the ten namespaces derived from them by re-namespacing).
"""

import json

import pytest
import yaml
from audit_plans import NAMESPACES, audit_graph, edited, plan, slot, ten_namespaces
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from release_graphs import BEHAVIOURS
from test_naming_injective import namespaces

from taskgraph_staging.analysis.audit import audit, format_report, index
from taskgraph_staging.analysis.isolation import NOT_EXCLUSIVE, SHARED, SHARED_REASONS, SHARED_REMEDIES, classifier, resource_key
from taskgraph_staging.model.release import DEFAULT_SERVICES

BETA = BEHAVIOURS[0]
BUCKET = DEFAULT_SERVICES["archive_bucket"]
BALROG = DEFAULT_SERVICES["balrog_admin"]
SHIPIT = DEFAULT_SERVICES["shipit"]
PUSH_TO_RELEASES = "release-beetmover-push-to-release-firefox"


def products(version):
    """The products whose releases directory a graph of ``version`` writes, in the audit's
    order: Devedition is released from the beta repository, so on a beta only."""
    return ["devedition", "firefox"] if "b" in version else ["firefox"]


@pytest.fixture(scope="module")
def ten():
    return [audit_graph(name, tasks, params) for name, tasks, params in ten_namespaces()]


#: Lando's staging repository of each version's train in the ten plans.
STAGING_LANDO = {"121.0b3": "staging-firefox-beta", "121.0": "staging-firefox-release", "115.5.0esr": "staging-firefox-esr115"}


def test_ten_namespaces_on_the_shared_services_collide_only_on_what_the_services_name_of_one_version(ten):
    report = audit(ten)
    assert [g["namespace"] for g in report["graphs"]] == list(NAMESPACES)
    assert {g["version"] for g in report["graphs"]} == {"121.0b3", "121.0", "115.5.0esr"}
    version = {g["name"]: g["version"] for g in report["graphs"]}
    names = [g["name"] for g in report["graphs"]]
    same_version = [[a, b] for i, a in enumerate(names) for b in names[i + 1:] if version[a] == version[b]]
    assert [pair["graphs"] for pair in report["collisions"]] == same_version
    for pair in report["collisions"]:
        a, b = pair["graphs"]
        archives = [row for row in pair["resources"] if row["service"] == "archive"]
        shipit = [row for row in pair["resources"] if row["service"] == "shipit"]
        assert {row["service"] for row in pair["resources"]} == {"archive", "shipit", "vcs", "apt", "yum", "amo"}
        # The apt and yum imports: the dev pool's one apt and one yum repository per product,
        # packages named by the .debs and .rpms. The AMO push: AMO's one staging server,
        # add-on ids and versions from the langpacks.
        for service, family in (("apt", "apt-package"), ("yum", "yum-package"), ("amo", "amo-langpack")):
            rows = [r for r in pair["resources"] if r["service"] == service]
            assert rows and all(version[a] in r["name"] for r in rows)
            for row in rows:
                assert row["classes"] == {a: ["shared by nature"], b: ["shared by nature"]}
                assert row["remedy"] == SHARED_REMEDIES[family]
        # The version bump lands on Lando's one staging repository of the train: shared by nature.
        for row in (r for r in pair["resources"] if r["service"] == "vcs"):
            assert (row["kind"], row["instance"]) == ("bump", f"lando:{STAGING_LANDO[version[a]]}")
            assert row["classes"] == {a: ["shared by nature"], b: ["shared by nature"]}
            assert row["remedy"] == SHARED_REMEDIES["vcs-bump"]
        # Each product's releases directory: Devedition's too on a beta (the real tree's
        # beta builds both), where its push-to-releases copies its candidates.
        assert [row["name"] for row in archives] == [f"pub/{p}/releases/{version[a]}/" for p in products(version[a])]
        for row, product in zip(archives, products(version[a])):
            push = f"release-beetmover-push-to-release-{product}"
            assert row == {
                "service": "archive",
                "instance": BUCKET,
                "kind": "prefix",
                "name": f"pub/{product}/releases/{version[a]}/",
                "tasks": {a: [push], b: [push]},
                "classes": {a: ["shared by nature"], b: ["shared by nature"]},
                "remedy": SHARED_REMEDIES["push-to-releases"],
            }
        # Ship-it names each product's release itself: <Product>-<version>-build<N>, no namespace.
        assert "Firefox" in {row["name"].split("-")[0] for row in shipit}
        for row in shipit:
            product = row["name"].split("-")[0]
            assert (row["service"], row["instance"], row["kind"], row["name"]) == ("shipit", SHIPIT, "release", f"{product}-{version[a]}-build1")
            assert row["tasks"] == {a: [f"release-mark-as-shipped-{product.lower()}"], b: [f"release-mark-as-shipped-{product.lower()}"]}
            assert row["classes"] == {a: ["shared by nature"], b: ["shared by nature"]}
            assert row["remedy"] == SHARED_REMEDIES["shipit-release"]
    assert report["production"] == []
    assert report["ok"] is False
    text = "\n".join(format_report(report))
    assert f"      removed by: {SHARED_REMEDIES['push-to-releases']}" in text
    assert text.endswith("Result: FAILED")


def test_alice_and_bob_of_one_version_fail_the_audit_naming_push_to_releases_and_both_tasks(tmp_path, capsys):
    """The issue's case, through the command: exit 1, push-to-releases and both tasks named."""
    from taskgraph_staging.interfaces.cli import main

    for namespace in ("alice", "bob"):
        tasks, params = plan(BETA, namespace)
        out = tmp_path / namespace
        out.mkdir()
        (out / "full-task-graph.json").write_text(json.dumps(tasks))
        (out / "parameters.yml").write_text(yaml.safe_dump(params))
    assert main(["audit", str(tmp_path / "alice"), str(tmp_path / "bob")]) == 1
    text = capsys.readouterr().out
    assert "    archive %s prefix pub/firefox/releases/121.0b3/" % BUCKET in text
    assert f"      {tmp_path / 'alice'}: {PUSH_TO_RELEASES} (shared by nature)" in text
    assert f"      {tmp_path / 'bob'}: {PUSH_TO_RELEASES} (shared by nature)" in text
    assert "removed by: a dedicated archive" in text
    assert "    shipit %s release Firefox-121.0b3-build1" % SHIPIT in text
    assert f"removed by: {SHARED_REMEDIES['shipit-release']}" in text
    assert text.rstrip().endswith("Result: FAILED")


def test_shared_by_nature_is_push_to_releases_and_ship_it_releases_of_each_version_with_their_reason(ten):
    report = audit(ten)
    by_version = {"121.0b3": [], "121.0": [], "115.5.0esr": []}
    for g in report["graphs"]:
        by_version[g["version"]].append(g["name"])
    expected = []
    for g in report["graphs"]:
        others = [n for n in by_version[g["version"]] if n != g["name"]]
        expected.append(
            [
                {
                    "service": "archive",
                    "instance": BUCKET,
                    "kind": "prefix",
                    "name": f"pub/{product}/releases/{g['version']}/",
                    "reason": SHARED_REASONS["push-to-releases"],
                    "tasks": [f"release-beetmover-push-to-release-{product}"],
                    "also_written_by": others,
                }
                for product in products(g["version"])
            ]
        )
    assert [entry["graph"] for entry in report["shared"]] == [g["name"] for g in report["graphs"]]
    for entry, archives, g in zip(report["shared"], expected, report["graphs"]):
        assert [row for row in entry["resources"] if row["service"] == "archive"] == archives
        shipit = [row for row in entry["resources"] if row["service"] == "shipit"]
        vcs = [row for row in entry["resources"] if row["service"] == "vcs"]
        assert shipit and {row["service"] for row in entry["resources"]} == {"archive", "shipit", "vcs", "apt", "yum", "amo"}
        for service, family in (("apt", "apt-package"), ("yum", "yum-package"), ("amo", "amo-langpack")):
            assert all(row["reason"] == SHARED_REASONS[family] for row in entry["resources"] if row["service"] == service)
        assert vcs and all(row["reason"] == SHARED_REASONS["vcs-bump"] and row["kind"] == "bump" for row in vcs)
        assert f"Firefox-{g['version']}-build1" in {row["name"] for row in shipit}
        assert all(row["reason"] == SHARED_REASONS["shipit-release"] and row["also_written_by"] == archives[0]["also_written_by"] for row in shipit)
    text = "\n".join(format_report(report))
    assert f"      why: {SHARED_REASONS['push-to-releases']}" in text
    assert "Shared by nature (not isolated on a shared instance; a collision when another graph writes them too):" in text


def test_dedicated_slots_leave_nothing_shared():
    graphs = []
    for n, behaviour in enumerate(BEHAVIOURS, start=1):
        tasks, params = plan(behaviour, services=slot(n))
        graphs.append(audit_graph(f"slot{n}-{behaviour[0]}", tasks, params))
    graphs += [audit_graph(name, tasks, params) for name, tasks, params in ten_namespaces()[:2]]
    report = audit(graphs)
    assert report["production"] == []
    assert all(g["dedicated"] == ["archive", "balrog", "bouncer", "shipit"] for g in report["graphs"][:4])
    # No library slot holds a Lando repository, an apt or yum repository or an AMO: every
    # plan's version bump lands on Lando's staging repository of its train, its .debs and
    # .rpms in the dev pool's apt and yum repositories and its langpacks on AMO's staging
    # server, shared by nature, and that is all a slot leaves shared.
    left = {("vcs", SHARED_REASONS["vcs-bump"]), ("apt", SHARED_REASONS["apt-package"]),
            ("yum", SHARED_REASONS["yum-package"]), ("amo", SHARED_REASONS["amo-langpack"])}
    assert [entry["graph"] for entry in report["shared"]] == [g["name"] for g in report["graphs"]]
    for entry in report["shared"][:4]:
        assert entry["resources"] and {(row["service"], row["reason"]) for row in entry["resources"]} == left
    # (slot2 and slot3 are one namespace releasing one version twice: their tags meet as well)
    for pair in report["collisions"]:
        kinds = {(row["service"], row["kind"]) for row in pair["resources"]}
        # (and, one namespace's one version twice, its maven keys: no slot holds a maven bucket)
        allowed = {("vcs", "bump"), ("vcs", "tag"), ("apt", "package"), ("yum", "package"), ("amo", "langpack"), ("maven", "prefix")}
        assert ("vcs", "bump") in kinds and kinds <= allowed, pair["graphs"]
        assert {row["remedy"] for row in pair["resources"] if row["kind"] == "bump"} == {SHARED_REMEDIES["vcs-bump"]}


def test_two_plans_of_one_namespace_collide_naming_both_tasks():
    tasks, params = plan(BETA, "amber")
    report = audit([audit_graph("first", tasks, params), audit_graph("second", tasks, params)])
    assert report["ok"] is False
    [pair] = report["collisions"]
    assert pair["graphs"] == ["first", "second"]
    rows = {(row["service"], row["kind"], row["name"]): row for row in pair["resources"]}
    channel = rows[("balrog", "channel", "amber-beta-localtest")]
    assert channel["tasks"] == {"first": ["release-balrog-submit-toplevel-firefox"], "second": ["release-balrog-submit-toplevel-firefox"]}
    assert channel["classes"] == {"first": ["isolated by namespace"], "second": ["isolated by namespace"]}
    assert rows[("shipit", "release", "Firefox-121.0b3-build1")]["remedy"] == SHARED_REMEDIES["shipit-release"]
    assert rows[("archive", "prefix", "pub/firefox/releases/121.0b3/")]["remedy"] == SHARED_REMEDIES["push-to-releases"]
    assert channel["remedy"] == ""  # isolated by namespace: one namespace twice is removed by another namespace
    text = format_report(report)
    assert "  first and second: %d resource(s)" % len(pair["resources"]) in text
    assert "      first: release-balrog-submit-toplevel-firefox (isolated by namespace)" in text


def test_a_hand_edited_path_is_caught_naming_both_tasks():
    label = "beetmover-repackage-firefox-win64-de"
    alice, alice_params = plan(BETA, "amber")
    bob, bob_params = plan(BETA, "birch")

    def steal(task):  # point one destination of birch's task at amber's candidates
        entry = task["task"]["payload"]["artifactMap"][0]
        path = next(iter(entry["paths"].values()))
        path["destinations"] = [d.replace("staging/birch/", "staging/amber/") for d in path["destinations"]]

    bob = edited(bob, label, steal)
    report = audit([audit_graph("amber", alice, alice_params), audit_graph("birch", bob, bob_params)])
    [pair] = report["collisions"]
    [row] = [r for r in pair["resources"] if not r["remedy"]]  # and push-to-releases, shared by nature
    assert row["name"].startswith("staging/amber/pub/firefox/candidates/121.0b3-candidates/build1/win64/de/")
    assert row["tasks"] == {"amber": [label], "birch": [label]}
    assert row["classes"] == {"amber": ["isolated by namespace"], "birch": ["not isolated"]}


def test_a_production_write_fails_the_audit_naming_the_task():
    tasks, params = plan(BETA, "amber")
    label = "release-balrog-submit-toplevel-firefox"

    def to_production(task):
        task["task"]["scopes"] = [s.replace("balrog:server:dep", "balrog:server:beta") for s in task["task"]["scopes"]]

    report = audit([audit_graph("amber", edited(tasks, label, to_production), params)])
    assert report["ok"] is False and report["collisions"] == []
    [entry] = report["production"]
    assert entry["graph"] == "amber"
    assert any(line.startswith(f"{label}: scope project:releng:balrog:server:beta is production") for line in entry["lines"])


def test_the_index_holds_each_key_once_with_every_graph_and_task():
    tasks, params = plan(BETA, "amber")
    graphs = [audit_graph("a", tasks, params), audit_graph("b", tasks, params)]
    found = index(graphs)
    assert len(found) == len({resource_key(r) for r in graphs[0].resources})
    key = ("balrog", BALROG, "channel", "amber-beta")
    assert sorted(found[key]) == [0, 1]
    # The submission names it; the schedule pins it to the release.
    assert found[key][0][0] == {"release-balrog-submit-toplevel-firefox", "release-balrog-scheduling-firefox"}


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.filter_too_much, HealthCheck.too_slow])
@given(namespaces(), namespaces(), st.sampled_from(BEHAVIOURS))
def test_two_namespaces_plans_never_share_an_isolated_resource(a, b, behaviour):
    """Audit-level injectivity: whatever the two namespaces, their plans' inventories
    meet only on resources shared by nature."""
    assume(a != b)
    ga = audit_graph("a", *plan(behaviour, str(a)))
    gb = audit_graph("b", *plan(behaviour, str(b)))
    isolated = lambda g: {  # noqa: E731
        resource_key(r) for r in g.resources if classifier(g.release).classify(r).category not in NOT_EXCLUSIVE | {SHARED}
    }
    assert not isolated(ga) & {resource_key(r) for r in gb.resources}
    assert not isolated(gb) & {resource_key(r) for r in ga.resources}


def test_text_report_lists_production_requests_and_shared_resources_per_graph():
    report = {
        "graphs": [],
        "collisions": [],
        "production": [{"graph": "first", "lines": ["t1: scope x is production: why"]}],
        "shared": [{"graph": "second", "resources": [{
            "service": "archive", "instance": "bucket", "kind": "prefix", "name": "pub/", "tasks": ["t2"],
            "also_written_by": ["first"], "reason": "because",
        }]}],
        "ok": False,
    }
    text = format_report(report)
    assert text[text.index("Production requests (the production guard's rules):"):] == [
        "Production requests (the production guard's rules):",
        "  first:",
        "    t1: scope x is production: why",
        "",
        "Shared by nature (not isolated on a shared instance; a collision when another graph writes them too):",
        "  second:",
        "    archive bucket prefix pub/",
        "      by t2; also written by first",
        "      why: because",
        "",
        "Result: FAILED",
    ]
    clean = format_report(dict(report, production=[], shared=[], ok=True))
    assert "Production requests: none." in clean
