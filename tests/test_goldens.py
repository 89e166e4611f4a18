"""Every graph of the parameter matrix (tests/params) matches its golden (tests/goldens).

On a mismatch the test of that parameter set fails with the tasks added, removed
and changed (with the changed fields) and a unified diff per changed task. Refresh
the goldens on purpose with ``pytest --update-goldens`` or
``taskgraph-staging diff --update`` (tests/params/README.rst).
"""

import os

import pytest

from taskgraph_staging.analysis import diff

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PARAMS = os.path.join(ROOT, diff.PARAMS_DIR)
GOLDENS = os.path.join(ROOT, diff.GOLDENS_DIR)
MATRIX = diff.load_matrix(PARAMS)


@pytest.fixture(scope="module")
def generated(request):
    outcomes = diff.generate(ROOT, MATRIX)
    if request.config.getoption("--update-goldens"):
        diff.write_dir(GOLDENS, outcomes)
    return outcomes


@pytest.fixture(scope="module")
def goldens(generated):
    return diff.read_dir(GOLDENS)


@pytest.mark.parametrize("name", [pset.name for pset in MATRIX])
def test_graph_matches_golden(name, generated, goldens):
    outcome = generated[name]
    if outcome.error is not None:
        pytest.fail(f"{name}: the graph could not be generated: {outcome.error}", pytrace=False)
    if name not in goldens:
        pytest.fail(f"{name}: no golden in {GOLDENS}; run `pytest --update-goldens`", pytrace=False)
    found = diff.compare_set(name, goldens[name], outcome, old_side="golden", new_side="generated")
    if found.differs:
        pytest.fail(
            found.report() + "\nIf this change is intended, refresh the goldens: `pytest --update-goldens`",
            pytrace=False,
        )


def test_every_golden_has_a_parameter_set(goldens):
    stale = sorted(set(goldens) - {pset.name for pset in MATRIX})
    assert stale == [], "goldens without a parameter file: remove them with `pytest --update-goldens`"


def test_derived_target_graph_is_the_generators():
    """Phases share one full graph; a phase's target graph derived from the full graph
    made with another phase's parameters is what taskgraph's generator makes with the
    phase's own parameters."""
    from taskgraph_staging.analysis.graphs import generator

    by_name = {pset.name: pset for pset in MATRIX}
    ship, promote = by_name["firefox-release-ship-alice"], by_name["firefox-release-promote-alice"]
    assert ship.full_graph_key == promote.full_graph_key
    with diff.generation_environment():
        tgg, _ = generator(ROOT, promote.overrides, production=promote.production)
        expected = diff.render(tgg.target_task_graph, ROOT, promote)
    assert diff.generate(ROOT, [ship, promote])[promote.name] == diff.Outcome(text=expected)
