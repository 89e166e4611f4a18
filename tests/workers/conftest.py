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
import contextlib
import os
import sys

import pytest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

import balrog_agent  # noqa: E402
from report import RESULTS, NotHere, Retired, verdict  # noqa: E402
from services import BALROG_TOKEN  # noqa: E402
from taskgraph_staging.model.workers import WORKERS_NOT_HERE  # noqa: E402

#: The reference root: its tasks' rows are named by worker alone.
HOSTS_ROOT = os.path.dirname(os.path.dirname(HERE))


def _suite_requested(config):
    expr = config.getoption("markexpr") or ""
    return "workers" in expr and "not workers" not in expr


def pytest_configure(config):
    # The suite runs its tasks in parallel itself, in one session whose services and
    # outcomes every test reads: under pytest-xdist each process would run every task.
    if _suite_requested(config) and (getattr(config.option, "numprocesses", None) or 0):
        raise pytest.UsageError("tests/workers runs its tasks in parallel itself (TASKGRAPH_STAGING_WORKER_JOBS): run it without -n")


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


#: The Taskcluster client the suite signs its Ship-it requests with (the stand-in checks Hawk's form).
SUITE_CREDENTIALS = {"id": "project/releng/staging-suite", "key": "suite-secret", "algorithm": "sha256"}


@contextlib.contextmanager
def _agent_after(held, admin_url):
    """``held``, with the Balrog at ``admin_url`` held for one schedule task; on the way
    out, the scheduled changes the task made are enacted (balrog_agent.py)."""
    with held, balrog_agent.schedule_lock(admin_url):
        before = balrog_agent.pending(admin_url, BALROG_TOKEN)
        yield
        balrog_agent.enact(admin_url, BALROG_TOKEN, balrog_agent.pending(admin_url, BALROG_TOKEN) - before)


class Suite:
    """The session's services, worker apps and upstream outputs."""

    def __init__(self, shared, cache, tmp):
        import harness
        from services import Services

        self.shared, self.cache, self.tmp = shared, cache, tmp
        self.upstream = os.path.join(shared, "upstream", "scriptworker-scripts")
        self.services = Services(cache, str(tmp))
        import threading

        self.apps, self.app_errors = {}, {}
        self.lock = threading.Lock()
        #: The library slots' instances, by reservation (library_slot.py), started on first use.
        self.slots, self.slots_lock = {}, threading.Lock()
        self.mar_tool = os.path.join(cache, "venvs", "signingscript", "bin", "mar")
        self.harness = harness

    def app(self, script, slot=0, product="firefox", library=None):
        """The worker app of ``script`` in the dev pool of ``product`` (``COT_PRODUCT``) for
        one concurrent slot (each slot has its own work directory, as each scriptworker pod
        does); with ``library`` (a :class:`library_slot.SlotInstances`), the app of that
        library slot's pool: the dev pool's config wired to the slot's instances."""
        pool = (script, product, library.name if library else None)  # a pool whose init.sh failed fails each task
        key = (*pool, slot)
        with self.lock:
            if key not in self.apps and pool not in self.app_errors:
                base = os.path.join(str(self.tmp), f"app{slot}" + (f"-{product}" if product != "firefox" else "") + (f"-{library.name}" if library else ""))
                endpoints = library.endpoints(self.services.endpoints) if library else self.services.endpoints
                try:
                    app = self.harness.worker_app(script, base, self.upstream, os.path.join(self.cache, "venvs"), endpoints, self.extra_env(script), product=product)
                except RuntimeError as e:
                    self.app_errors[pool] = str(e)
                else:
                    if library:
                        library.configure(script, app.config_path)
                        app = self.harness.reload_config(app)
                    self.apps[key] = app
            if pool in self.app_errors:
                raise RuntimeError(self.app_errors[pool])
            if script == "beetmoverscript" and slot == 0 and not library:
                clouds = self.apps[key].config.get("clouds", {})
                for bucket in _buckets(clouds.get("gcloud", {})):
                    self.services.gcs.create_bucket(bucket)
                for bucket in _buckets(clouds.get("aws", {})):
                    self.services.s3.create_bucket(bucket)
            return self.apps[key]

    def library_slot(self, sel):
        """The :class:`library_slot.SlotInstances` of the library slot whose pool runs
        ``sel`` (its worker type is one of its parameter set's ``staging.services.pools``),
        started on first use; None for a task on a shared pool."""
        import library_slot

        staging = sel.parameters.get("staging") or {}
        if not library_slot.pool_family(staging, sel.definition):
            return None
        name = library_slot.slot_name(staging)
        with self.slots_lock:
            if name not in self.slots:
                self.slots[name] = library_slot.SlotInstances(staging, self.cache, str(self.tmp), self.product(sel.host))
            return self.slots[name]

    def product(self, host):
        """The ``COT_PRODUCT`` of the pool that runs ``host``'s tasks (from its trust domain)."""
        return self.harness.cot_product(host.trust_domain, self.upstream)

    def run_all(self, selected, jobs):
        """Run every task of ``selected`` (upstream tasks first), ``jobs`` at a time;
        ``{(pset, task_id): (outcome or None, error)}``."""
        import concurrent.futures
        import queue
        import threading

        import artifacts

        slots = queue.Queue()
        for slot in range(jobs):
            slots.put(slot)
        futures = {}
        produced = {}
        produced_lock = threading.Lock()

        def release_of(pset):
            return "-".join(p for p in pset.split("-") if p not in ("build", "promote", "push", "ship"))

        def run(sel, waits):
            for future in waits:
                future.result()
            if sel.worker.startswith("<none"):
                return None, f"no worker: {sel.worker}"
            if sel.worker in WORKERS_NOT_HERE:
                return None, NotHere(f"{sel.worker} ({WORKERS_NOT_HERE[sel.worker]}): its code is not in shared/upstream, so nothing here runs this task")
            if not os.path.isdir(os.path.join(self.upstream, sel.worker)):
                return None, Retired(f"{sel.worker} is retired upstream (not in shared/upstream/scriptworker-scripts): no worker runs this task")
            try:
                library = self.library_slot(sel)
            except Exception as e:  # the slot's instances did not start: every task on its pools says why
                return None, f"the library slot's instances did not start: {e}"
            if library and sel.worker == "balrogscript":
                problem = library.rule_ids_problem(sel.parameters["staging"])
                if problem:
                    return None, problem
            if sel.worker == "shipitscript":
                problem = self.create_shipit_release(sel, library)
                if problem:
                    return None, problem
            slot = slots.get()
            try:
                try:
                    app = self.app(sel.worker, slot, self.product(sel.host), library)
                except RuntimeError as e:
                    return None, str(e)
                with produced_lock:
                    outputs = dict(produced.setdefault(release_of(sel.pset), {}))
                definition, held = self.mercurial_push(sel, app, release_of(sel.pset)) if sel.worker == "treescript" else (sel.definition, contextlib.nullcontext())

                def place(cot_dir):
                    artifacts.place(cot_dir, definition, outputs, self.mar_tool)

                if sel.worker == "balrogscript" and balrog_agent.is_schedule(definition):
                    # Balrog's agent, with a clock past the changes' ``when`` (balrog_agent.py).
                    balrog = library.balrog if library and library.balrog else self.services.balrog
                    held = _agent_after(held, balrog.admin_url)
                with held:
                    env = dict(self.services.env_for(sel.worker), **(library.env_for(sel.worker) if library else {}))
                    outcome = self.harness.run_task(app, sel.task_id, definition, place, extra_env=env)
                if not outcome.limit:
                    # A task that ended at a step nobody can take here (harness.LIMITS)
                    # is left out: the tasks after it get made files of their kind.
                    with produced_lock:
                        produced[release_of(sel.pset)][sel.task_id] = outcome.artifacts_dir
                return outcome, None
            finally:
                slots.put(slot)

        by_key = {}
        with concurrent.futures.ThreadPoolExecutor(max_workers=jobs) as pool:
            for sel in selected:  # upstream tasks come first (test_workers orders them)
                release = release_of(sel.pset)
                waits = [by_key[(release, task_id)] for _, task_id, _ in sel.dependencies.values() if (release, task_id) in by_key]
                future = pool.submit(run, sel, waits)
                by_key[(release, sel.task_id)] = future
                futures[(sel.pset, sel.task_id)] = future
        return {key: future.result() for key, future in futures.items()}

    def mercurial_push(self, sel, app, release):
        """``(definition, lock)`` of a treescript task: when its release repository is
        Mercurial, the Try repository on the local hg.mozilla.org (``hg_try.py``) is made as
        right after the release's push (the version files the task bumps, at the release's
        version), and the parameter set's made-up revision (the host's ``release_repository``:
        comm's ``comm_head_rev``) becomes that push's node, as a real push's revision would
        be. Nothing else of the task changes; ``lock`` is held while it runs. A git task is
        left as it is (no lock)."""
        import contextlib
        import json

        import hg_try
        from taskgraph_staging.model.parameters import release_repository

        repository, revision = release_repository(sel.parameters, sel.host.graph_config)
        base = f"https://{hg_try.HOST}/"
        if not repository.startswith(base) or self.services.hg is None:
            return sel.definition, contextlib.nullcontext()
        upstream = app.config["upstream_repo"].rstrip("/").rsplit("/", 1)[-1]
        bump = sel.definition.get("payload", {}).get("version_bump_info") or {}
        files = hg_try.version_files(bump.get("files") or [], sel.parameters["version"]) or {"README": f"{release}\n"}
        lock = self.services.hg.lock
        lock.acquire()
        try:
            node = self.services.hg.push(release, upstream, repository[len(base):], files)
        except BaseException:
            lock.release()
            raise
        definition = json.loads(json.dumps(sel.definition).replace(revision, node))

        @contextlib.contextmanager
        def held():
            try:
                yield
            finally:
                lock.release()

        return definition, held()

    def create_shipit_release(self, sel, library=None):
        """The suite plays the push's part: the release that mark-as-shipped marks is created
        first, through Ship-it's ``POST /releases`` with the project's own client, on the
        stand-in serving the release's Ship-it. None, or the one-line error."""
        import dataclasses

        from taskgraph_staging.interfaces.push import shipit
        from taskgraph_staging.model.parameters import release_repository, staging_release

        params, graph_config = sel.parameters, sel.host.graph_config
        repository, revision = release_repository(params, graph_config)  # the host's release repository (comm's comm_head_*)
        request = shipit.release_request(staging_release(params, graph_config), revision, repository)
        endpoints = library.endpoints(self.services.endpoints) if library else self.services.endpoints
        request = dataclasses.replace(request, url=endpoints.get(request.url, request.url))
        try:
            shipit.ensure_release(request, SUITE_CREDENTIALS)
        except shipit.ShipitError as e:
            return f"creating the Ship-it release first: {e.one_line()}"
        return None

    def extra_env(self, script):
        if script == "beetmoverscript":
            import base64

            return {"GCS_DEP_CREDS": base64.b64encode(self.harness.service_account_json(self.services.google_token_uri).encode()).decode()}
        if script == "treescript":
            import base64

            # the GitHub App key the pool's init_worker.sh writes to github_config.privkey_file
            # and the session's certificate, which Mercurial trusts through its own config (harness.image_mercurial_config)
            return {"GITHUB_PRIVKEY": base64.b64encode(self.services.github_key.encode()).decode(), "SSL_CERT_FILE": self.services.cert[0]}
        if script == "landoscript":
            import base64

            from services import LANDO_TOKEN

            # landoscript's App key (init_worker.sh decodes it to github_private_key) and Lando's token
            return {"GITHUB_PRIVATE_KEY": base64.b64encode(self.services.lando_github_key.encode()).decode(), "LANDO_TOKEN": LANDO_TOKEN}
        return {}

    def stop(self):
        for library in self.slots.values():
            library.stop()
        self.services.stop()


@pytest.fixture(scope="session")
def suite(tmp_path_factory, shared_dir):
    import setup_workers

    shared = shared_dir

    cache = setup_workers.build(shared, os.path.abspath(setup_workers.default_cache()))
    running = Suite(shared, cache, tmp_path_factory.mktemp("workers"))
    yield running
    running.stop()


@pytest.fixture(scope="session")
def outcomes(suite, request):
    """Every collected task run once, in parallel (TASKGRAPH_STAGING_WORKER_JOBS, default
    the CPU count): the tests then report each one."""
    selected = [item.callspec.params["selected"] for item in request.session.items if hasattr(item, "callspec") and "selected" in item.callspec.params]
    jobs = int(os.environ.get("TASKGRAPH_STAGING_WORKER_JOBS") or os.cpu_count() or 1)
    return suite.run_all(selected, jobs)


def normalized(text):
    """A failure message with what varies per task written generically (work paths,
    task ids, local ports), so one defect is one line of the summary."""
    import re

    text = re.sub(r"/\S*?/workdir/cot/[A-Za-z0-9_-]{22}/", "<work>/cot/<taskId>/", text)
    text = re.sub(r"/\S*?/app\d+(?:-\w+)*/(\w+)/", r"<app>/\1/", text)
    text = re.sub(r"127\.0\.0\.1:\d{4,5}", "127.0.0.1:<port>", text)
    return text


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    if not RESULTS:
        return
    write = terminalreporter.write_line
    by_worker = collections.OrderedDict()
    for selected, outcome, error in RESULTS:
        # The comm host's tasks run on its own pool (COT_PRODUCT of its trust domain): their own rows.
        row = selected.worker if selected.host.root == HOSTS_ROOT else f"{selected.worker} ({selected.host.trust_domain})"
        by_worker.setdefault(row, []).append((selected, outcome, error))
    terminalreporter.section("worker acceptance")
    write(f"{'worker':<27} {'tasks':>6} {'accepted':>9} {'completed':>10}")
    totals = [0, 0, 0]
    for worker in sorted(by_worker):
        rows = by_worker[worker]
        accepted = sum(1 for _, o, _ in rows if o and o.accepted)
        completed = sum(1 for _, o, _ in rows if o and o.completed)
        write(f"{worker:<27} {len(rows):>6} {accepted:>9} {completed:>10}")
        totals[0] += len(rows)
        totals[1] += accepted
        totals[2] += completed
    for worker in sorted(by_worker):
        failures = collections.Counter()
        example = {}
        for selected, outcome, error in by_worker[worker]:
            if outcome and outcome.completed:
                continue
            if isinstance(error, (Retired, NotHere)):
                state = "exception (named in explain)"
                failures[(state, error)] += 1
                example.setdefault((state, error), selected.id)
                continue
            text = normalized(error or outcome.message)
            state = "refused" if not (outcome and outcome.accepted) else "failed"
            if outcome and outcome.limit:
                named = verdict(selected, outcome, error) is None
                state = f"{'exception (named in explain)' if named else 'failed, not named in explain'}: ended at a step nobody can take here ({outcome.limit})"
            failures[(state, text)] += 1
            example.setdefault((state, text), selected.id)
        for (state, text), count in failures.most_common():
            write(f"  {worker} {state} x{count} (e.g. {example[(state, text)]}): {text}")
    retired = collections.Counter(selected.worker for selected, _, error in RESULTS if isinstance(error, Retired))
    if retired:
        names = ", ".join(f"{worker} x{count}" for worker, count in sorted(retired.items()))
        write(f"honest exceptions, neither accepted nor completed, named in explain: {sum(retired.values())} ({names}: retired upstream)")
    not_here = collections.Counter(selected.worker for selected, _, error in RESULTS if isinstance(error, NotHere))
    if not_here:
        names = ", ".join(f"{worker} x{count}" for worker, count in sorted(not_here.items()))
        write(f"honest exceptions, not run here, named in explain: {sum(not_here.values())} ({names}: code not in shared/upstream)")
    limited = collections.Counter(outcome.limit for selected, outcome, error in RESULTS if outcome and not error and outcome.limit and verdict(selected, outcome, error) is None)
    if limited:
        write(f"honest exceptions, accepted and run to a step nobody can take here, named in explain: {sum(limited.values())}")
        for step, count in limited.most_common():
            write(f"  x{count}: {step}")
    write(f"workers: {totals[0]} tasks, {totals[1]} accepted, {totals[2]} completed")
