"""Golden graphs of a parameter matrix: load, generate, normalize, compare.

A *matrix* is a directory of parameter files (``tests/params/*.yml``). Each file
holds the parameter overrides of one graph, applied on top of
:data:`~taskgraph_staging.analysis.graphs.TRY_DEFAULTS`, or of
:data:`~taskgraph_staging.analysis.graphs.PRODUCTION_DEFAULTS` when it sets ``level: "3"``.

Each parameter set yields its *target task graph*, rendered as stable text (a
*golden*): one YAML mapping of label to task, keys sorted, with the generating
checkout's absolute path replaced by ``<root>``. A golden defines the tasks of its
own phase and product; a task of an earlier phase (which the release-promotion
action reuses from the earlier graph rather than creating) or of another product
appears as its label with ``<PHASE phase>`` or ``<PRODUCT>``: its definition is in
that phase's or product's golden. This keeps each definition in one golden
instead of repeating the build phase in every later phase. Target graphs are taken before
optimization, so task references still name their dependencies
(``{"task-reference": "<build>"}``) and ``dependencies`` map to labels: no taskId
exists yet. ``extra.parent`` (the decision task's id, from ``$TASK_ID``) is made
independent of the environment by generating with ``TASK_ID`` unset
(:func:`generation_environment`).

Parameter sets that differ only in :data:`PHASE_KEYS` (the release-promotion
flavor's target method and shipping phase) share one full task graph; each phase's
target graph is derived from it as taskgraph's generator does (target filters,
``always_target``, transitive closure).
"""

import contextlib
import difflib
import json
import os
from dataclasses import dataclass, field
from typing import Optional

import yaml

from taskgraph_staging.model.errors import StagingError
from taskgraph_staging.model.files import read_yaml
from taskgraph_staging.staging.target_tasks import PHASES

#: Where a taskgraph root keeps its matrix and goldens, relative to the root.
PARAMS_DIR = os.path.join("tests", "params")
GOLDENS_DIR = os.path.join("tests", "goldens")
#: Parameters that only choose which tasks of the full graph a phase targets.
PHASE_KEYS = ("target_tasks_method", "shipping_phase")
#: Shipping phases in order; a promotion flavor is named ``<phase>_...``.
#: Suffix of a parameter file, of a golden, and of a generation failure's report.
PARAMS_SUFFIX = ".yml"
GOLDEN_SUFFIX = ".yml"
ERROR_SUFFIX = ".error"
ROOT_PLACEHOLDER = "<root>"

_Dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@dataclass(frozen=True)
class ParameterSet:
    """One graph of the matrix: a name (the file's stem) and its overrides."""

    name: str
    overrides: dict = field(hash=False, compare=False)

    @property
    def production(self):
        return str(self.overrides.get("level", "")) == "3"

    @property
    def phase(self):
        """The shipping phase this graph runs: the flavor's (``promote_firefox_rc`` ->
        ``promote``), or ``build`` for a push."""
        flavor = self.overrides.get("shipping_phase")
        if not flavor:
            return "build"
        phase = flavor.split("_", 1)[0]
        if phase not in PHASES:
            raise StagingError(f"shipping_phase {flavor!r} must start with one of {', '.join(PHASES)}", where=self.name)
        return phase

    @property
    def product(self):
        return self.overrides.get("release_product")

    @property
    def full_graph_key(self):
        """Equal for parameter sets whose full task graphs are the same."""
        rest = {k: v for k, v in self.overrides.items() if k not in PHASE_KEYS}
        return json.dumps([self.production, rest], sort_keys=True, default=str)


def load_matrix(params_dir):
    """The :class:`ParameterSet` of every ``*.yml`` in ``params_dir``, by name."""
    if not os.path.isdir(params_dir):
        raise StagingError(f"no parameter directory {params_dir}; create it or pass another", where="--params")
    matrix = []
    for filename in sorted(os.listdir(params_dir)):
        if not filename.endswith(PARAMS_SUFFIX):
            continue
        path = os.path.join(params_dir, filename)
        overrides = read_yaml(path, "--params")
        if not isinstance(overrides, dict):
            raise StagingError("must be a mapping of parameter names to values", where=path)
        matrix.append(ParameterSet(filename[: -len(PARAMS_SUFFIX)], overrides))
    if not matrix:
        raise StagingError(f"no *{PARAMS_SUFFIX} parameter files in {params_dir}", where="--params")
    return matrix


# Generation ---------------------------------------------------------------------


#: Environment of a generation: no decision task id (``extra.parent`` would vary by CI
#: run), and kinds loaded in this process: forking a process per kind costs more than
#: the reference kinds' few tasks each (the whole matrix: about 14 CPU seconds serial,
#: 37 forked).
GENERATION_ENVIRONMENT = {"TASK_ID": None, "TASKGRAPH_SERIAL": "1"}


@contextlib.contextmanager
def generation_environment():
    """Apply :data:`GENERATION_ENVIRONMENT` to ``os.environ`` (None unsets), then restore it."""
    saved = {name: os.environ.get(name) for name in GENERATION_ENVIRONMENT}
    try:
        for name, value in GENERATION_ENVIRONMENT.items():
            _set_env(name, value)
        yield
    finally:
        for name, value in saved.items():
            _set_env(name, value)


def _set_env(name, value):
    if value is None:
        os.environ.pop(name, None)
    else:
        os.environ[name] = value


def derive_target_graph(full_task_graph, parameters, graph_config):
    """The target task graph ``parameters`` select from ``full_task_graph``.

    The same steps as :class:`taskgraph.generator.TaskGraphGenerator`: the target
    filters (``target_tasks_method`` unless ``filters`` says otherwise), the
    ``always_target`` tasks, then the transitive closure of their dependencies.
    """
    from taskgraph import filter_tasks
    from taskgraph.graph import Graph
    from taskgraph.taskgraph import TaskGraph
    from taskgraph.util.verify import verifications

    tasks = full_task_graph.tasks
    selected = TaskGraph(dict(tasks), Graph(frozenset(tasks), frozenset()))
    for name in parameters.get("filters") or ["target_tasks_method"]:
        labels = set(filter_tasks.filter_task_functions[name](selected, parameters, graph_config))
        selected = TaskGraph({label: tasks[label] for label in labels}, Graph(frozenset(labels), frozenset()))
    verifications("target_task_set", selected, graph_config, parameters)
    requested = set(selected.graph.nodes)
    always = parameters["enable_always_target"]
    if always:
        requested |= {
            t.label
            for t in tasks.values()
            if t.attributes.get("always_target") and (always is True or t.kind in always)
        }
    closure = full_task_graph.graph.transitive_closure(requested)
    target = TaskGraph({label: tasks[label] for label in closure.nodes}, closure)
    verifications("target_task_graph", target, graph_config, parameters)
    return target


@dataclass
class Outcome:
    """A parameter set's rendered golden, or why it could not be generated."""

    text: Optional[str] = None
    error: Optional[str] = None


def generate(root, matrix, progress=None):
    """``{name: Outcome}`` for every :class:`ParameterSet` of ``matrix`` on ``root``.

    A parameter set whose graph cannot be generated gets an ``Outcome`` with the
    error's last line; the others are still generated.
    """
    from .graphs import PRODUCTION_DEFAULTS, TRY_DEFAULTS, generator, make_parameters

    root = os.path.abspath(root)
    groups = {}
    for pset in matrix:
        groups.setdefault(pset.full_graph_key, []).append(pset)
    outcomes = {}
    with generation_environment():
        for members in groups.values():
            try:
                tgg, graph_config = generator(root, members[0].overrides, production=members[0].production)
                full = tgg.full_task_graph
            except Exception as e:  # every member fails the same way
                for pset in members:
                    outcomes[pset.name] = Outcome(error=_describe(e))
                continue
            for pset in members:
                if progress:
                    progress(pset.name)
                try:
                    base = dict(PRODUCTION_DEFAULTS if pset.production else TRY_DEFAULTS, **pset.overrides)
                    params = make_parameters(root, base)
                    target = derive_target_graph(full, params, graph_config)
                    outcomes[pset.name] = Outcome(text=render(target, root, pset))
                except Exception as e:
                    outcomes[pset.name] = Outcome(error=_describe(e))
    return outcomes


def _describe(error):
    """One line: the error's type and the first line of its message."""
    lines = [line.strip() for line in str(error).splitlines() if line.strip()]
    return f"{type(error).__name__}: {lines[0][:300] if lines else ''}".strip()


# Normalization and rendering ----------------------------------------------------


def normalize(value, replacements):
    """``value`` with every string's ``replacements`` (old -> new) applied, recursively."""
    if isinstance(value, dict):
        return {normalize(k, replacements): normalize(v, replacements) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [normalize(v, replacements) for v in value]
    if isinstance(value, str):
        for old, new in replacements:
            if old in value:
                value = value.replace(old, new)
        return value
    return value


def task_entry(task):
    """What a golden records of a :class:`taskgraph.task.Task` (its label is the key)."""
    data = task.to_json()
    data.pop("label")
    data.pop("task_id", None)
    for key in ("soft_dependencies", "if_dependencies"):
        if not data[key]:
            del data[key]
    return data


def path_replacements(root):
    """Absolute spellings of ``root`` to replace by :data:`ROOT_PLACEHOLDER`, longest first."""
    spellings = {os.path.abspath(root), os.path.realpath(root)}
    return [(s, ROOT_PLACEHOLDER) for s in sorted(spellings, key=len, reverse=True)]


def placeholder(task, phase, product):
    """What a golden of ``phase`` and ``product`` records of ``task`` instead of its
    definition, or None when it defines the task."""
    task_phase = task.attributes.get("shipping_phase")
    task_product = task.attributes.get("shipping_product")
    if product and task_product and task_product != product:
        return f"<{task_product}>"
    if task_phase and task_phase != phase:
        return f"<{task_phase} phase>"
    return None


def graph_entries(task_graph, root, phase=None, product=None):
    """``{label: entry}`` of a task graph, normalized; tasks of other phases or products
    (when given) as their :func:`placeholder`."""
    replacements = path_replacements(root)
    entries = {}
    for label, task in task_graph.tasks.items():
        entries[label] = (phase and placeholder(task, phase, product)) or normalize(task_entry(task), replacements)
    return entries


def header(name):
    return (
        f"# Target task graph of {PARAMS_DIR}/{name}{PARAMS_SUFFIX}: label -> task, normalized; a task of\n"
        "# another phase or product is shown as <PHASE phase> or <PRODUCT>: its golden defines it.\n"
        f"# Generated; do not edit. Refresh with `taskgraph-staging diff --update` ({PARAMS_DIR}/README.rst).\n"
    )


def dump(entries):
    return yaml.dump(entries, Dumper=_Dumper, sort_keys=True, default_flow_style=False, width=10**6, allow_unicode=True)


def render(task_graph, root, pset):
    """The golden text of the target task graph of :class:`ParameterSet` ``pset``."""
    entries = graph_entries(task_graph, root, pset.phase, pset.product)
    return header(pset.name) + (dump(entries) if entries else "{}\n")


def parse(text):
    return yaml.load(text, Loader=_Loader) or {}


# Reading and writing goldens ----------------------------------------------------


def read_dir(directory):
    """``{name: Outcome}`` of a directory of goldens (and ``.error`` reports)."""
    outcomes = {}
    if not os.path.isdir(directory):
        return outcomes
    for filename in sorted(os.listdir(directory)):
        path = os.path.join(directory, filename)
        with open(path) as f:
            if filename.endswith(GOLDEN_SUFFIX):
                outcomes[filename[: -len(GOLDEN_SUFFIX)]] = Outcome(text=f.read())
            elif filename.endswith(ERROR_SUFFIX):
                outcomes[filename[: -len(ERROR_SUFFIX)]] = Outcome(error=f.read().strip())
    return outcomes


def write_dir(directory, outcomes, allow_errors=False, prune=True):
    """Write ``outcomes`` into ``directory``: ``<name>.yml`` per golden, ``<name>.error``
    per failure (only with ``allow_errors``); with ``prune``, remove the goldens and
    reports of names no longer present.

    Without ``allow_errors`` any failure raises before anything is written.
    """
    failed = sorted(name for name, o in outcomes.items() if o.error is not None)
    if failed and not allow_errors:
        details = "; ".join(f"{name}: {outcomes[name].error}" for name in failed)
        raise StagingError(f"{len(failed)} parameter set(s) failed, nothing written: {details}", where="diff --update")
    os.makedirs(directory, exist_ok=True)
    wanted = set()
    for name, outcome in sorted(outcomes.items()):
        if outcome.error is None:
            filename, content = name + GOLDEN_SUFFIX, outcome.text
        else:
            filename, content = name + ERROR_SUFFIX, outcome.error + "\n"
        wanted.add(filename)
        with open(os.path.join(directory, filename), "w") as f:
            f.write(content)
    for filename in os.listdir(directory) if prune else ():
        if filename.endswith((GOLDEN_SUFFIX, ERROR_SUFFIX)) and filename not in wanted:
            os.remove(os.path.join(directory, filename))


# Comparison ---------------------------------------------------------------------


def changed_fields(old, new, path=""):
    """Dotted paths (``task.payload.channel_names[0]``) where ``old`` and ``new`` differ."""
    if isinstance(old, dict) and isinstance(new, dict):
        fields = []
        for key in sorted(set(old) | set(new), key=str):
            sub = f"{path}.{key}" if path else str(key)
            if key not in old or key not in new:
                fields.append(sub)
            elif old[key] != new[key]:
                fields.extend(changed_fields(old[key], new[key], sub))
        return fields
    if isinstance(old, list) and isinstance(new, list) and len(old) == len(new):
        fields = []
        for i, (a, b) in enumerate(zip(old, new)):
            if a != b:
                fields.extend(changed_fields(a, b, f"{path}[{i}]"))
        return fields
    return [path] if old != new else []


@dataclass
class SetDiff:
    """How one parameter set's graph differs between two sides."""

    name: str
    added: list = field(default_factory=list)
    removed: list = field(default_factory=list)
    changed: dict = field(default_factory=dict)  # label -> [changed field paths]
    diffs: list = field(default_factory=list)  # unified diff lines, per changed task
    problem: Optional[str] = None  # missing on a side, or failed to generate

    @property
    def differs(self):
        return bool(self.added or self.removed or self.changed or self.problem)

    def report(self):
        """Readable text: the summary of added, removed and changed tasks, then the diffs."""
        counts = f"{len(self.added)} added, {len(self.removed)} removed, {len(self.changed)} changed"
        lines = [f"=== {self.name}: {self.problem or counts}"]
        lines += [f"  added:   {label}" for label in self.added]
        lines += [f"  removed: {label}" for label in self.removed]
        lines += [f"  changed: {label}: {', '.join(fields)}" for label, fields in self.changed.items()]
        lines += self.diffs
        return "\n".join(lines) + "\n"


def compare_set(name, old, new, old_side="a", new_side="b"):
    """A :class:`SetDiff` of two :class:`Outcome` (either may be None: missing)."""
    result = SetDiff(name)
    for side, outcome in ((old_side, old), (new_side, new)):
        if outcome is None:
            result.problem = f"no graph in {side}"
        elif outcome.error is not None:
            result.problem = f"could not generate in {side}: {outcome.error}"
    if result.problem or old.text == new.text:
        return result
    before, after = parse(old.text), parse(new.text)
    result.added = sorted(set(after) - set(before))
    result.removed = sorted(set(before) - set(after))
    for label in sorted(set(before) & set(after)):
        if before[label] != after[label]:
            result.changed[label] = [f or "(the whole task)" for f in changed_fields(before[label], after[label])]
            result.diffs.extend(
                difflib.unified_diff(
                    dump({label: before[label]}).splitlines(),
                    dump({label: after[label]}).splitlines(),
                    f"{old_side}/{name}{GOLDEN_SUFFIX} {label}",
                    f"{new_side}/{name}{GOLDEN_SUFFIX} {label}",
                    lineterm="",
                )
            )
    if not result.differs:  # same tasks, only the text around them differs
        result.diffs.extend(
            difflib.unified_diff(
                old.text.splitlines(), new.text.splitlines(), f"{old_side}/{name}", f"{new_side}/{name}", lineterm=""
            )
        )
        result.problem = "same tasks, different text"
    return result


def compare(old, new, old_side="a", new_side="b"):
    """:class:`SetDiff` of every name in either ``{name: Outcome}``, only those that differ."""
    diffs = []
    for name in sorted(set(old) | set(new)):
        d = compare_set(name, old.get(name), new.get(name), old_side, new_side)
        if d.differs:
            diffs.append(d)
    return diffs
