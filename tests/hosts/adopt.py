"""Apply docs/adopting.rst's lines to a host's pre-adoption files, and nothing else.

* ``kind.yml`` without a ``loader:`` line: add ``loader: taskgraph_staging:loader``;
* ``loader: taskgraph.loader.transform:loader``: that line becomes ``loader: taskgraph_staging:loader``;
* a loader of the host's own: add ``- taskgraph_staging:transforms`` after the last transform
  (``taskgraph.transforms.task:transforms``);
* the host's register function: ``import taskgraph_staging`` and
  ``taskgraph_staging.register(graph_config)`` as its last line.
"""

import re

LOADER_LINE = "loader: taskgraph_staging:loader"
TRANSFORMS_LINE = "    - taskgraph_staging:transforms"
TRANSFORM_LOADER = "loader: taskgraph.loader.transform:loader"
IMPORT_LINE = "import taskgraph_staging  # staging"
REGISTER_LINE = "    taskgraph_staging.register(graph_config)  # staging"


def adopt_kind(text):
    lines = text.splitlines()
    if TRANSFORM_LOADER in lines:
        lines[lines.index(TRANSFORM_LOADER)] = LOADER_LINE
    elif not any(line.startswith("loader:") for line in lines):
        lines.insert(lines.index("---") + 1, LOADER_LINE)
    else:
        last = max(i for i, line in enumerate(lines) if line.startswith("    - ") and "transforms" in line)
        lines.insert(last + 1, TRANSFORMS_LINE)
    return "\n".join(lines) + "\n"


def adopt_register(text):
    lines = text.splitlines()
    imports = [i for i, line in enumerate(lines) if re.match(r"(import|from) ", line)]
    lines.insert(imports[-1] + 1, IMPORT_LINE)
    lines.append(REGISTER_LINE)
    return "\n".join(lines) + "\n"


def changed_lines(before, after):
    """Lines of ``after`` that ``before`` lacks (added or rewritten), by difflib."""
    import difflib

    matcher = difflib.SequenceMatcher(a=before.splitlines(), b=after.splitlines(), autojunk=False)
    return [line for tag, _, _, j1, j2 in matcher.get_opcodes() if tag != "equal" for line in after.splitlines()[j1:j2]]
