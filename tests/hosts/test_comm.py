"""The second reference host (hosts/comm): adopted by the documented lines alone, and
planned, guarded and conformant like the bundled one (issue 17)."""

import os

import pytest

from taskgraph_staging.analysis import diff
from taskgraph_staging.analysis.conformance import graph_conformance
from taskgraph_staging.analysis.graphs import generator, load_config
from taskgraph_staging.analysis.guard import check_graph
from taskgraph_staging.interfaces.cli import main

from .adopt import adopt_kind, adopt_register, changed_lines

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
HOST = os.path.join(REPO, "hosts", "comm")
ROOT = os.path.join(HOST, "taskcluster")
PRE = os.path.join(HOST, "pre-adoption")
TRY_PARAMETERS = os.path.join(HOST, "try.yml")
MATRIX = diff.load_matrix(os.path.join(ROOT, diff.PARAMS_DIR))
GOLDENS = os.path.join(ROOT, diff.GOLDENS_DIR)
PREFIX = "project:comm:thunderbird:releng"


def read(*parts):
    with open(os.path.join(*parts)) as fh:
        return fh.read()


RELEASE_KINDS = sorted(os.listdir(os.path.join(PRE, "kinds")))


def test_every_release_kind_of_the_host_has_a_pre_adoption_form():
    assert RELEASE_KINDS == sorted(os.listdir(os.path.join(ROOT, "kinds")))
    assert {"build", "build-signing", "beetmover-repackage", "balrog", "release-bouncer-sub", "release-version-bump",
            "release-mark-as-shipped", "release-notify-ship", "release-update-verify"} <= set(RELEASE_KINDS)


@pytest.mark.parametrize("kind", RELEASE_KINDS)
def test_a_kind_adopts_with_one_documented_line(kind):
    before = read(PRE, "kinds", kind, "kind.yml")
    after = read(ROOT, "kinds", kind, "kind.yml")
    assert adopt_kind(before) == after
    assert len(changed_lines(before, after)) == 1


def test_the_register_function_adopts_with_an_import_and_a_call():
    before = read(PRE, "comm_taskgraph", "__init__.py")
    after = read(ROOT, "comm_taskgraph", "__init__.py")
    assert adopt_register(before) == after
    assert changed_lines(before, after) == ["import taskgraph_staging  # staging", "    taskgraph_staging.register(graph_config)  # staging"]


def test_adoption_costs_at_most_the_documented_budget():
    """Done when (issue 17): at most 2 lines in config.yml (here: the register function's
    import and call, since the host has its own register) and 1 per release kind."""
    register = changed_lines(read(PRE, "comm_taskgraph", "__init__.py"), read(ROOT, "comm_taskgraph", "__init__.py"))
    config = [line for line in read(ROOT, "config.yml").splitlines() if "taskgraph_staging" in line or "staging-release" in line]
    per_kind = {kind: len(changed_lines(read(PRE, "kinds", kind, "kind.yml"), read(ROOT, "kinds", kind, "kind.yml"))) for kind in RELEASE_KINDS}
    assert len(config) + len(register) <= 2, (config, register)
    assert per_kind == {kind: 1 for kind in RELEASE_KINDS}
    # no other file of the host (its transforms, loaders, config) names the extension
    others = []
    for d, _, files in os.walk(ROOT):
        for f in files:
            rel = os.path.relpath(os.path.join(d, f), ROOT)
            if rel.startswith(("tests", "kinds")) or "__pycache__" in rel or rel == os.path.join("comm_taskgraph", "__init__.py"):
                continue
            if "taskgraph_staging" in read(ROOT, rel):
                others.append(rel)
    assert others == []


def test_config_yml_needs_no_line_of_ours():
    config = read(ROOT, "config.yml")
    assert "taskgraph_staging" not in config and "staging-release" not in config


def test_the_host_keeps_its_own_facts():
    graph_config = load_config(ROOT)
    assert graph_config["trust-domain"] == "comm"
    assert graph_config["scriptworker"]["scope-prefix"] == PREFIX
    assert graph_config["taskgraph"]["register"] == "comm_taskgraph:register"


@pytest.fixture(scope="module")
def generated():
    return diff.generate(ROOT, MATRIX)


@pytest.mark.parametrize("name", [p.name for p in MATRIX])
def test_host_graph_matches_golden(name, generated):
    outcome = generated[name]
    assert outcome.error is None, outcome.error
    goldens = diff.read_dir(GOLDENS)
    found = diff.compare_set(name, goldens[name], outcome, old_side="golden", new_side="generated")
    assert not found.differs, found.report()


def test_the_matrix_covers_every_behaviour():
    assert {p.overrides["staging"]["behavior"] for p in MATRIX} == {"beta", "release", "release-rc", "esr"}


def host_graph(pset):
    tgg, graph_config = generator(ROOT, pset.overrides)
    return tgg, graph_config


@pytest.mark.parametrize("pset", MATRIX, ids=[p.name for p in MATRIX])
def test_host_graphs_pass_the_guard(pset):
    tgg, graph_config = host_graph(pset)
    assert len(tgg.target_task_graph.tasks) > 10
    assert check_graph(tgg.full_task_graph, graph_config, tgg.parameters) == []


@pytest.mark.parametrize("pset", MATRIX, ids=[p.name for p in MATRIX])
def test_host_graphs_meet_the_worker_schemas(pset, schemas_dir):
    tgg, _ = host_graph(pset)
    checked, problems = graph_conformance(tgg.target_task_graph, PREFIX, schemas_dir)
    assert problems == []
    assert {"signingscript/signing_task_schema.json", "balrogscript/balrog_submit-locale_schema.json",
            "bouncerscript/bouncer_submission_task_schema.json", "treescript/treescript_task_schema.json"} <= set(checked)


def test_treescript_works_on_the_comm_repository():
    tgg, _ = host_graph(MATRIX[0])
    payload = tgg.target_task_graph.tasks["release-version-bump-thunderbird"].task["payload"]
    assert payload["source_repo"] == "https://hg.mozilla.org/try-comm-central"
    assert payload["tag_info"]["revision"] == "2" * 40


def plan(capsys, *args):
    code = main(["plan", "--root", ROOT, "--version", "140.0b3", "--namespace", "alice", *args])
    out, err = capsys.readouterr()
    return code, out, err


def test_plan_names_the_hosts_product(capsys):
    code, out, err = plan(capsys, "--product", "thunderbird", "--phase", "promote", "--parameters", TRY_PARAMETERS)
    assert code == 0, err
    assert out.startswith("Staging release plan: thunderbird 140.0b3 build 1")
    assert "target method promote_thunderbird" in out
    assert "promote graph 0 tasks" not in out and "firefox" not in out.split("Resources")[0]


def test_plan_builds_the_hosts_products_without_staging_release_products(capsys):
    code, out, err = plan(capsys, "--product", "thunderbird", "--parameters", TRY_PARAMETERS)
    assert code == 0, err
    assert "build graph 4 tasks" in out


def test_plan_refuses_a_product_the_host_lacks(capsys):
    code, out, err = plan(capsys, "--product", "fenix", "--parameters", TRY_PARAMETERS)
    assert code == 2
    assert err.count("\n") == 1 and "--product: 'fenix' is not one of thunderbird" in err


def test_plan_without_the_hosts_repositories_is_one_line(capsys):
    code, out, err = plan(capsys, "--product", "thunderbird", "--phase", "ship")
    assert code == 2
    assert err.count("\n") == 1 and "--parameters: the host's release repository parameters are missing" in err and "Traceback" not in err


def test_explain_takes_the_hosts_root_and_names_its_product(capsys):
    assert main(["explain", "--root", ROOT, "--json", "bouncer", "treescript"]) == 0
    out = capsys.readouterr().out
    assert "Thunderbird-<version>" in out and "Firefox-" not in out


def test_explain_root_without_config_is_one_line(capsys, tmp_path):
    assert main(["explain", "--root", str(tmp_path)]) == 2
    assert capsys.readouterr().err.count("\n") == 1


@pytest.fixture(scope="module")
def two_plans(tmp_path_factory):
    out = tmp_path_factory.mktemp("plans")
    dirs = []
    for n in ("a", "b"):
        args = ["plan", "--root", ROOT, "--product", "thunderbird", "--version", "140.0b3", "--phase", "ship",
                "--parameters", TRY_PARAMETERS, "--namespace", "alice", "--output", str(out / n)]
        assert main(args) == 0
        dirs.append(str(out / n))
    return dirs


def test_audit_without_the_hosts_root_refuses_in_one_line(two_plans, capsys):
    capsys.readouterr()
    assert main(["audit", *two_plans]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "give that root with --root" in err


def test_audit_with_the_hosts_root_finds_the_collisions(two_plans, capsys):
    capsys.readouterr()
    assert main(["audit", "--root", ROOT, *two_plans]) == 1
    out = capsys.readouterr().out
    assert "thunderbird 140.0b3 build 1, namespace alice" in out and "Collisions: 16 resource(s)" in out  # 15 by name and push-to-releases' shared prefix


@pytest.mark.parametrize(
    "edit, message",
    [
        pytest.param(("scope-prefix: project:comm:thunderbird:releng\n", "scope-pre: x\n"), "config.yml: scriptworker.scope-prefix missing: set it", id="no-scope-prefix"),
        pytest.param(("product-dir: mail\n", "product-dir: mail\nstaging-release:\n    release-repository-prefix: [comm_]\n"), "staging-release.release-repository-prefix must be the prefix", id="prefix-not-a-string"),
        pytest.param(("product-dir: mail\n", "product-dir: mail\nstaging-release:\n    products: [thunderbird]\n"), "staging-release.products must map each product", id="products-a-list"),
    ],
)
def test_config_the_host_must_give_is_checked_when_it_loads(tmp_path, capsys, edit, message):
    import shutil

    root = tmp_path / "taskcluster"
    shutil.copytree(ROOT, root, ignore=shutil.ignore_patterns("tests", "__pycache__"))
    config = (root / "config.yml").read_text()
    assert edit[0] in config
    (root / "config.yml").write_text(config.replace(edit[0], edit[1]))
    code = main(["plan", "--root", str(root), "--product", "thunderbird", "--version", "140.0b3", "--parameters", TRY_PARAMETERS])
    err = capsys.readouterr().err
    assert code == 2 and err.count("\n") == 1 and message in err, err
