"""Sphinx extension of the taskgraph-staging docs: pages the code writes.

``.. staging-phases:: PRODUCT BEHAVIOR VERSION``
    Generates the staging graph of a release of the bundled reference kinds (or of
    ``:root:``) with :func:`taskgraph_staging.analysis.graphs.generator`, selects each phase with
    the target-task methods the phase actions run, and renders, per phase, the kinds
    whose tasks that phase creates: how many, what the kind does (the first comment
    line of its ``kind.yml``), the staging layer's Try form and what the tasks tell you
    on Try (the :mod:`taskgraph_staging.staging.transforms.explain` rows of their families). Options:
    ``:partial: VERSION:BUILD[:production|staging]`` (space-separated, repeatable in one
    line) and ``:root: DIR`` (relative to the docs' parent directory).

``.. staging-action-form::``
    The form of the staging release-promotion action (its input schema, as
    ``actions.json`` carries it for the reference configuration).

``.. staging-error::``
    Runs the ``taskgraph-staging`` command line given as its content (one line, without
    the program name) in-process and renders the command and the one-line error it
    prints. The build fails when the command succeeds: the docs show only messages the
    code really prints. ``.. staging-error:: NAME`` renders instead the error of one of
    the :data:`EXAMPLES`, made by the code that raises it (for errors no offline command
    reaches).

Graphs are generated once per (root, product, behaviour, version, partials) and
process, so a docs build generates each graph once, and pages using the directives
are read again on every build, so they follow the code.
"""

import contextlib
import functools
import io
import os
import shlex
from dataclasses import dataclass

from taskgraph_staging.analysis.graphs import REFERENCE_ROOT
from taskgraph_staging.staging.target_tasks import PHASES, PHASES_OF, phase_target_method

#: Namespace of the releases the docs generate (any valid namespace would do).
DOCS_NAMESPACE = "alice"


@dataclass(frozen=True)
class KindRow:
    """The tasks of one kind a phase creates."""

    kind: str
    tasks: int
    #: What the kind does: the first comment line of its kind.yml.
    description: str
    #: Staging families of its tasks (registered rewriters), sorted.
    families: tuple
    #: The rewriters' summaries: what the Try form changes.
    try_form: str
    #: What its tasks verify on Try (the families' explanations).
    tells: str


@dataclass(frozen=True)
class PhaseTable:
    """What one phase of a staging release runs."""

    phase: str
    #: Target-task method of the phase (``staging_release_builds`` for the push itself).
    target_method: str
    #: The release-promotion flavor that runs the phase (None for the build phase).
    flavor: object
    rows: tuple
    #: Kinds of earlier phases the phase's graph runs again (the flavor's rebuild-kinds).
    rebuilt: tuple


def kind_description(kinds_dir, kind):
    """The first comment line of a kind's ``kind.yml`` ("" when it has none)."""
    try:
        with open(os.path.join(kinds_dir, kind, "kind.yml")) as fh:
            for line in fh:
                text = line.strip()
                if text.startswith("#"):
                    return text.lstrip("#").strip()
                if text and text != "---":
                    return ""
    except OSError:
        pass
    return ""


def release_overrides(root, product, behavior, version, partials, graph_config):
    """The parameter overrides ``taskgraph-staging plan`` would use for this release."""
    from .plan import PlanRequest, validate

    request = PlanRequest(
        version=version,
        root=root,
        behavior=behavior,
        namespace=DOCS_NAMESPACE,
        product=product,
        partials=tuple(partials),
        # The phase only picks the target method; plan has no RC build-phase method.
        phase="promote",
    )
    return validate(request, graph_config)


@functools.lru_cache(maxsize=None)
def staging_graph(root, product, behavior, version, partials=()):
    """``(full task graph, parameters, graph config)`` of a staging release (cached)."""
    from taskgraph_staging.analysis.graphs import generator, load_config

    overrides = release_overrides(root, product, behavior, version, partials, load_config(root))
    tgg, graph_config = generator(root, overrides)
    return tgg.full_task_graph, tgg.parameters, graph_config


def _flavor_for(graph_config, product, phase, rc):
    from .actions.input import phase_flavor

    return phase_flavor(graph_config, product, phase, rc)


def phase_tables(product, behavior, version, partials=(), root=REFERENCE_ROOT):
    """One :class:`PhaseTable` per phase a ``behavior`` release of ``product`` runs."""
    from taskgraph.target_tasks import get_method

    from taskgraph_staging.staging.transforms.explain import rows
    from taskgraph_staging.staging.transforms.registry import REWRITERS

    root = os.path.abspath(root)
    full, params, graph_config = staging_graph(root, product, behavior, version, tuple(partials))
    explained = {row.family: row for row in rows()}
    kinds_dir = os.path.join(root, "kinds")
    rc = behavior == "release-rc"
    tables = []
    for phase in PHASES:
        phase_rc = rc and phase != "build"  # the push builds an RC like any release
        if (phase, phase_rc) not in PHASES_OF:
            continue
        method = phase_target_method(product, phase, phase_rc)
        labels = get_method(method)(full, params, graph_config)
        flavor = None if phase == "build" else _flavor_for(graph_config, product, phase, phase_rc)
        by_kind = {}
        rebuilt = set()
        for label in labels:
            task = full.tasks[label]
            if task.attributes.get("shipping_product") != product:
                continue
            if task.attributes.get("shipping_phase") == phase:
                by_kind.setdefault(task.kind, []).append(task)
            elif flavor and task.kind in flavor.rebuild_kinds:
                rebuilt.add(task.kind)
        table_rows = []
        for kind, tasks in sorted(by_kind.items()):
            families = sorted({f for t in tasks for f in t.task.get("extra", {}).get("staging", {}) if f in REWRITERS})
            table_rows.append(
                KindRow(
                    kind=kind,
                    tasks=len(tasks),
                    description=kind_description(kinds_dir, kind),
                    families=tuple(families),
                    try_form="; ".join(REWRITERS[f].summary for f in families),
                    tells=" ".join(explained[f].verifies for f in families if f in explained),
                )
            )
        tables.append(PhaseTable(phase, method, flavor, tuple(table_rows), tuple(sorted(rebuilt))))
    return tables


def _cell(text):
    return " ".join(str(text).split()) or "\\-"


def phase_rst(tables):
    """The phase tables as reStructuredText."""
    lines = []
    for table in tables:
        total = sum(row.tasks for row in table.rows)
        lines += [f".. rubric:: {table.phase.capitalize()} phase", ""]
        if table.flavor is None:
            how = (
                f"The push itself runs it (target-task method ``{table.target_method}``, "
                "``taskgraph-staging push --tasks staging``)."
            )
        else:
            how = (
                f"Run it with the Treeherder action's flavor ``{table.flavor.name}`` "
                f"(target-task method ``{table.target_method}``); it reuses every task of the earlier phases."
            )
            if table.rebuilt:
                how += " It runs again the tasks of " + ", ".join(f"``{k}``" for k in table.rebuilt) + " (the flavor's rebuild-kinds)."
        lines += [f"{total} new tasks in {len(table.rows)} kinds. {how}", ""]
        if not table.rows:
            continue
        lines += [
            ".. list-table::",
            "   :header-rows: 1",
            "   :widths: 18 6 22 24 30",
            "",
            "   * - Kind",
            "     - Tasks",
            "     - What it does (``kind.yml``)",
            "     - Try form (staging layer)",
            "     - What it tells you on Try",
        ]
        for row in table.rows:
            families = ", ".join(row.families)
            try_form = f"{families}: {row.try_form}" if families else "runs as in production, in the namespace's paths"
            tells = row.tells or "that the production task definition builds and runs on Try"
            lines += [
                f"   * - ``{row.kind}``",
                f"     - {row.tasks}",
                f"     - {_cell(row.description)}",
                f"     - {_cell(try_form)}",
                f"     - {_cell(tells)}",
            ]
        lines.append("")
    return "\n".join(lines) + "\n"


def action_form_rst(root=REFERENCE_ROOT):
    """The staging release-promotion action's form (its input schema) as a list-table."""
    from .actions.input import input_schema
    from taskgraph_staging.analysis.graphs import load_config

    schema = input_schema(load_config(root))
    required = set(schema.get("required", ()))
    lines = [".. list-table::", "   :header-rows: 1", "   :widths: 22 12 50", "", "   * - Field", "     - Type", "     - Meaning"]
    for name, spec in schema["properties"].items():
        kind = spec.get("type", "")
        if "enum" in spec:
            kind = " | ".join(f"``{v}``" for v in spec["enum"])
        elif isinstance(kind, list):
            kind = " or ".join(kind)
        meaning = spec.get("description", "")
        if name in required:
            meaning = f"**Required.** {meaning}"
        lines += [f"   * - ``{name}``", f"     - {_cell(kind)}", f"     - {_cell(meaning)}"]
    return "\n".join(lines) + "\n"


def command_error(argv):
    """``(exit code, stderr)`` of ``taskgraph-staging ARGV`` run in-process."""
    from .cli import main

    err = io.StringIO()
    with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
        try:
            code = main(list(argv))
        except SystemExit as e:  # argparse's own errors
            code = e.code
    return code, err.getvalue().strip()


def guard_example():
    """The production guard's error for a beetmover task left in its production form."""
    from taskgraph.config import load_graph_config

    from taskgraph_staging.analysis.graphs import TRY_DEFAULTS
    from taskgraph_staging.analysis.guard import check_graph, violation_error

    graph_config = load_graph_config(REFERENCE_ROOT)
    params = dict(TRY_DEFAULTS, version="121.0b3", build_number=1, release_product="firefox", staging={"namespace": DOCS_NAMESPACE})
    destination = "pub/firefox/candidates/121.0b3-candidates/build1/linux-x86_64/en-US/firefox-121.0b3.tar.xz"
    task = {
        "label": "beetmover-repackage-firefox-linux64-en-US",
        "attributes": {},
        "dependencies": {},
        "task": {
            "provisionerId": "scriptworker-k8s",
            "workerType": "gecko-3-beetmover",
            "scopes": ["project:releng:beetmover:action:push-to-candidates", "project:releng:beetmover:bucket:release"],
            "payload": {"artifactMap": [{"locale": "en-US", "paths": {"public/build/target.tar.xz": {"destinations": [destination]}}}]},
            "tags": {"kind": "beetmover-repackage"},
        },
    }
    return str(violation_error(check_graph([task], graph_config, params)))


#: Errors the ``staging-error`` directive can show by name, when no command line reaches them offline.
EXAMPLES = {"production-guard": guard_example}


def setup(app):
    """Register the ``staging-phases``, ``staging-error``, ``staging-action-form`` and
    ``staging-task-types`` directives."""
    from docutils import nodes
    from docutils.parsers.rst import Directive, directives
    from docutils.statemachine import StringList
    from sphinx.errors import ExtensionError

    def always_read(env, docname):
        env.staging_generated_docs = getattr(env, "staging_generated_docs", set()) | {docname}

    class Phases(Directive):
        required_arguments = 3
        option_spec = {"partial": directives.unchanged, "root": directives.unchanged}

        def run(self):
            env = self.state.document.settings.env
            always_read(env, env.docname)
            product, behavior, version = self.arguments
            partials = tuple((self.options.get("partial") or "").split())
            root = self.options.get("root")
            root = os.path.join(os.path.dirname(env.srcdir), root) if root else REFERENCE_ROOT
            try:
                text = phase_rst(phase_tables(product, behavior, version, partials, root))
            except Exception as e:  # the build must say which directive failed
                raise self.error(f"staging-phases {product} {behavior} {version}: {e}")
            container = nodes.container()
            self.state.nested_parse(StringList(text.splitlines(), source="taskgraph_staging.interfaces.docs_ext"), self.content_offset, container)
            return container.children

    class Error(Directive):
        has_content = True
        optional_arguments = 1

        def run(self):
            env = self.state.document.settings.env
            always_read(env, env.docname)
            if self.arguments:
                if self.arguments[0] not in EXAMPLES:
                    raise self.error(f"staging-error: no example {self.arguments[0]!r}; known: {', '.join(sorted(EXAMPLES))}")
                text = EXAMPLES[self.arguments[0]]()
            else:
                line = " ".join(self.content).strip()
                code, message = command_error(shlex.split(line))
                if code == 0 or not message:
                    raise ExtensionError(f"staging-error: `taskgraph-staging {line}` succeeded; show a command that fails")
                text = f"$ taskgraph-staging {line}\n{message}"
            block = nodes.literal_block(text, text)
            block["language"] = "console"
            return [block]

    class TaskTypes(Directive):
        """``docs/task-types.rst`` holds only this directive, so the page and
        ``taskgraph-staging explain`` are the same rows, written once (beside the rewriters)."""

        def run(self):
            from taskgraph_staging.staging.transforms.explain import rows, rst_table

            container = nodes.container()
            lines = StringList(rst_table(rows()).splitlines(), source="taskgraph_staging.staging.transforms.explain")
            self.state.nested_parse(lines, self.content_offset, container)
            return container.children

    class ActionForm(Directive):
        def run(self):
            env = self.state.document.settings.env
            always_read(env, env.docname)
            container = nodes.container()
            self.state.nested_parse(StringList(action_form_rst().splitlines(), source="taskgraph_staging.interfaces.docs_ext"), self.content_offset, container)
            return container.children

    def outdated(app, env, added, changed, removed):
        return sorted(getattr(env, "staging_generated_docs", set()) - set(removed))

    def merge(app, env, docnames, other):
        env.staging_generated_docs = getattr(env, "staging_generated_docs", set()) | getattr(other, "staging_generated_docs", set())

    app.add_directive("staging-phases", Phases)
    app.add_directive("staging-error", Error)
    app.add_directive("staging-action-form", ActionForm)
    app.add_directive("staging-task-types", TaskTypes)
    app.connect("env-get-outdated", outdated)
    app.connect("env-merge-info", merge)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
