"""The worker acceptance suite: every selected task through its real worker.

Runs only when asked for, by its marker: ``pytest -m workers tests/workers``
(``pytest.ini`` leaves it out of the default run). Needs shared/ (skips with the
reason when TASKGRAPH_STAGING_SHARED is unset, fails when
TASKGRAPH_STAGING_REQUIRE_SHARED=1) and the workers' environments, which it builds
on first use (``setup_workers.py``; a no-op when they are up to date).

After the suite, one table per worker: tasks, accepted, completed, and each
distinct failure in the worker's own words; last, exactly one line
``workers: <N> tasks, <A> accepted, <C> completed``.
"""

import collections
import os
import sys

import pytest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

from report import RESULTS  # noqa: E402


def _suite_requested(config):
    expr = config.getoption("markexpr") or ""
    return "workers" in expr and "not workers" not in expr


def pytest_ignore_collect(collection_path, config):
    if collection_path.name.startswith("test_") and not _suite_requested(config):
        return True
    return None


def _buckets(obj):
    """Every bucket name in beetmover's rendered ``clouds`` config."""
    if isinstance(obj, dict):
        for key, value in obj.items():
            if key in ("product_buckets",) and isinstance(value, dict):
                yield from (v for v in value.values() if isinstance(v, str))
            elif key in ("partner_bucket", "bucket") and isinstance(value, str):
                yield value
            else:
                yield from _buckets(value)


class Suite:
    """The session's services, worker apps and upstream outputs."""

    def __init__(self, shared, cache, tmp):
        import harness
        from services import Services

        self.shared, self.cache, self.tmp = shared, cache, tmp
        self.upstream = os.path.join(shared, "upstream", "scriptworker-scripts")
        self.services = Services(cache, str(tmp))
        self.apps, self.app_errors = {}, {}
        self.produced = {}
        self.mar_tool = os.path.join(cache, "venvs", "signingscript", "bin", "mar")
        self.harness = harness

    def app(self, script):
        if script not in self.apps and script not in self.app_errors:
            try:
                self.apps[script] = self.harness.worker_app(
                    script, os.path.join(str(self.tmp), "app"), self.upstream, os.path.join(self.cache, "venvs"), self.services.endpoints, self.extra_env(script)
                )
            except RuntimeError as e:
                self.app_errors[script] = str(e)
        if script in self.app_errors:
            raise RuntimeError(self.app_errors[script])
        if script == "beetmoverscript":
            for bucket in _buckets(self.apps[script].config.get("clouds", {})):
                self.services.gcs.create_bucket(bucket)
        return self.apps[script]

    def extra_env(self, script):
        if script == "beetmoverscript":
            import base64

            return {"GCS_DEP_CREDS": base64.b64encode(self.harness.service_account_json(self.services.google_token_uri).encode()).decode()}
        return {}

    def stop(self):
        self.services.stop()


@pytest.fixture(scope="session")
def suite(tmp_path_factory, shared_dir):
    import setup_workers

    shared = shared_dir

    cache = setup_workers.build(shared, os.path.abspath(setup_workers.default_cache()))
    running = Suite(shared, cache, tmp_path_factory.mktemp("workers"))
    yield running
    running.stop()


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    if not RESULTS:
        return
    write = terminalreporter.write_line
    by_worker = collections.OrderedDict()
    for selected, outcome, error in RESULTS:
        by_worker.setdefault(selected.worker, []).append((selected, outcome, error))
    terminalreporter.section("worker acceptance")
    write(f"{'worker':<20} {'tasks':>6} {'accepted':>9} {'completed':>10}")
    totals = [0, 0, 0]
    for worker in sorted(by_worker):
        rows = by_worker[worker]
        accepted = sum(1 for _, o, _ in rows if o and o.accepted)
        completed = sum(1 for _, o, _ in rows if o and o.completed)
        write(f"{worker:<20} {len(rows):>6} {accepted:>9} {completed:>10}")
        totals[0] += len(rows)
        totals[1] += accepted
        totals[2] += completed
    for worker in sorted(by_worker):
        failures = collections.Counter()
        example = {}
        for selected, outcome, error in by_worker[worker]:
            if outcome and outcome.completed:
                continue
            text = error or outcome.message
            state = "refused" if not (outcome and outcome.accepted) else "failed"
            failures[(state, text)] += 1
            example.setdefault((state, text), selected.id)
        for (state, text), count in failures.most_common():
            write(f"  {worker} {state} x{count} (e.g. {example[(state, text)]}): {text}")
    write(f"workers: {totals[0]} tasks, {totals[1]} accepted, {totals[2]} completed")
