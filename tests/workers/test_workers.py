"""Every selected scriptworker task is accepted and completed by its real worker.

A task the worker refuses, or that fails on it, fails here with the worker's own
message (never a skip, never an xfail). See conftest.py for the summary table.
"""

import os

import pytest

import tasks
from report import RESULTS

pytestmark = pytest.mark.workers

SELECTED, GROUPS = tasks.select()


def _release(pset):
    """The release a parameter set belongs to (its name without the phase):
    upstream outputs carry over between its phases."""
    parts = pset.split("-")
    return "-".join(p for p in parts if p not in ("build", "promote", "push", "ship"))


def _ordered(selected):
    """Phase order within a release, and upstream tasks before the tasks that use them."""
    phase_rank = {"build": 0, "promote": 1, "push": 2, "ship": 3}
    rank = lambda s: next((phase_rank[p] for p in s.pset.split("-") if p in phase_rank), 0)  # noqa: E731
    by_id = {}
    for s in selected:
        by_id.setdefault((s.pset, s.task_id), s)
    done, ordered = set(), []

    def visit(s):
        if (s.pset, s.task_id) in done:
            return
        done.add((s.pset, s.task_id))
        for _, task_id, _ in s.dependencies.values():
            if (s.pset, task_id) in by_id:
                visit(by_id[(s.pset, task_id)])
        ordered.append(s)

    for s in sorted(selected, key=lambda s: (_release(s.pset), rank(s), s.pset, s.label)):
        visit(s)
    return ordered


ORDERED = _ordered(SELECTED)


@pytest.mark.parametrize("selected", ORDERED, ids=[s.id for s in ORDERED])
def test_worker_accepts_and_completes(suite, selected):
    if selected.worker.startswith("<none"):
        RESULTS.append((selected, None, f"no worker: {selected.worker}"))
        pytest.fail(f"{selected.id}: {selected.worker}", pytrace=False)
    if not os.path.isdir(os.path.join(suite.upstream, selected.worker)):
        message = f"no {selected.worker} in shared/upstream/scriptworker-scripts (deleted upstream): nothing can run this task"
        RESULTS.append((selected, None, message))
        pytest.fail(f"{selected.id}: {message}", pytrace=False)
    try:
        app = suite.app(selected.worker)
    except RuntimeError as e:
        RESULTS.append((selected, None, str(e)))
        pytest.fail(str(e), pytrace=False)
    release = _release(selected.pset)
    produced = suite.produced.setdefault(release, {})

    def place(cot_dir):
        import artifacts

        artifacts.place(cot_dir, selected.definition, produced, suite.mar_tool)

    outcome = suite.harness.run_task(app, selected.task_id, selected.definition, place, extra_env=suite.services.env)
    produced[selected.task_id] = outcome.artifacts_dir
    RESULTS.append((selected, outcome, None))
    if not outcome.completed:
        state = "refused" if not outcome.accepted else "did not complete"
        pytest.fail(f"{selected.worker} {state} {selected.id} ({outcome.status}): {outcome.message}\n--- worker log (tail) ---\n{outcome.log[-3000:]}", pytrace=False)
