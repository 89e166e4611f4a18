"""What each release task type does in production and on Try, from the code.

Each family module of :mod:`taskgraph_staging.staging.transforms` registers its Try rewrite
(``@rewriter``) and, right beside it, one :func:`explains` row: the production
form, the Try form, what the Try form verifies and what it cannot. :func:`rows`
joins the two, so ``taskgraph-staging explain`` and ``docs/task-types.rst`` (built by
the ``staging-task-types`` directive of :mod:`taskgraph_staging.interfaces.docs_ext`)
show the same table.
"""

from dataclasses import asdict, dataclass
from importlib import import_module

#: Columns of the table, in order, with their headings.
COLUMNS = (
    ("family", "Task family"),
    ("task_types", "Task types (kinds)"),
    ("production", "Production form"),
    ("try_form", "Try form"),
    ("verifies", "What it verifies on Try"),
    ("cannot", "What it cannot verify on Try, and why"),
)
MISSING = "(no explanation recorded beside this rewriter)"


@dataclass(frozen=True)
class Explanation:
    family: str
    task_types: str
    production: str
    try_form: str
    verifies: str
    cannot: str
    #: The rewriter's one-line summary (what ``extra.staging.<family>`` records).
    summary: str = ""

    def as_dict(self):
        return asdict(self)


EXPLANATIONS = {}


def explains(family, *, task_types, production, try_form, verifies, cannot):
    """Record the explanation of a task family (call it beside its ``@rewriter``)."""
    if family in EXPLANATIONS:
        raise KeyError(f"duplicate explanation for task family {family!r}")
    EXPLANATIONS[family] = dict(
        task_types=task_types, production=production, try_form=try_form, verifies=verifies, cannot=cannot
    )


def rows():
    """One :class:`Explanation` per registered rewriter, sorted by family.

    A family whose module records no explanation still gets a row (its summary
    and :data:`MISSING`), so the table never hides a rewrite.
    """
    import_module("taskgraph_staging.staging.transforms")  # registers every family module
    from .registry import REWRITERS

    out = []
    for family in sorted(set(REWRITERS) | set(EXPLANATIONS)):
        rewrite = REWRITERS.get(family)
        data = EXPLANATIONS.get(family) or dict(
            task_types=family, production=MISSING, try_form=MISSING, verifies=MISSING, cannot=MISSING
        )
        out.append(Explanation(family=family, summary=rewrite.summary if rewrite else "", **data))
    return out


def rst_table(explanations):
    """The rows as an RST list-table (the docs page renders exactly this)."""
    lines = [".. list-table::", "   :header-rows: 1", "   :widths: 8 12 20 20 20 20", ""]
    lines.append("   * - " + "\n     - ".join(heading for _, heading in COLUMNS))
    for row in explanations:
        cells = [str(getattr(row, key)).replace("\n", " ") for key, _ in COLUMNS]
        lines.append("   * - " + "\n     - ".join(cells))
    return "\n".join(lines) + "\n"


def text_table(explanations):
    """The rows as plain text, one block per family (for a terminal)."""
    blocks = []
    for row in explanations:
        block = [f"{row.family}  [{row.task_types}]"]
        for key, heading in COLUMNS[2:]:
            block.append(f"  {heading}: {getattr(row, key)}")
        blocks.append("\n".join(block))
    return "\n\n".join(blocks) + "\n"
