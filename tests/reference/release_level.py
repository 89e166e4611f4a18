"""The real tree's in-tree staging form of the reference kinds, for tests (issue 15).

Firefox's tree often writes a field ``by-release-level`` (its staging value on staging,
production's elsewhere) where the reference kinds write production's value. A
:data:`Form` names such a field; :func:`staging_form_root` copies the reference root
with each listed field rewritten that way, so a test can compare the graphs of both forms.
"""

import json
import os
import shutil
from typing import NamedTuple

import yaml

from taskgraph_staging.analysis.graphs import REFERENCE_ROOT, generator


class Form(NamedTuple):
    """One field the real tree writes by-release-level: ``kind``, the ``task`` (or
    ``task-defaults``), the field's dotted ``path`` in it and the real tree's staging value."""

    kind: str
    task: str
    path: str
    staging: object


def kind_file(root, kind):
    return os.path.join(root, "kinds", kind, "kind.yml")


def _set_release_level(kind_doc, form):
    node = kind_doc["task-defaults"] if form.task == "task-defaults" else kind_doc["tasks"][form.task]
    *parents, leaf = form.path.split(".")
    for name in parents:
        node = node[name]
    if leaf not in node:
        raise KeyError(f"{form.kind} {form.task}: no field {form.path} to write by-release-level")
    node[leaf] = {"by-release-level": {"staging": form.staging, "production": node[leaf]}}


def staging_form_root(tmp_path, forms):
    """A copy of the reference root whose kinds write each of ``forms`` by-release-level."""
    root = tmp_path / "root"
    shutil.copytree(REFERENCE_ROOT, root, ignore=shutil.ignore_patterns(
        ".git", ".venv", "out", "docs", "tests", "benchmarks", "hosts", "taskgraph_staging", "*.egg-info", "__pycache__"))
    for kind in sorted({f.kind for f in forms}):
        with open(kind_file(root, kind)) as fh:
            doc = yaml.safe_load(fh)
        for form in (f for f in forms if f.kind == kind):
            _set_release_level(doc, form)
        with open(kind_file(root, kind), "w") as fh:
            yaml.safe_dump(doc, fh)
    return str(root)


def graph_json(root, overrides, production=False):
    """The full task graph of ``root`` as JSON, with the root's path written ``<root>``."""
    tgg, _ = generator(root, overrides, production=production)
    text = json.dumps({label: t.to_json() for label, t in tgg.full_task_graph.tasks.items()}, sort_keys=True)
    return json.loads(text.replace(os.path.abspath(root), "<root>"))
