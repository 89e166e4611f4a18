"""Registry of the staging layer's per-family rewrites.

Which family a task belongs to is a fact of the release model
(:mod:`taskgraph_staging.model.families`); this registry maps each family to its
one Try rewrite.
"""

from dataclasses import dataclass
from typing import Callable

@dataclass(frozen=True)
class Rewriter:
    family: str
    func: Callable
    #: One line: what the Try form of this family does differently.
    summary: str


REWRITERS = {}


@dataclass(frozen=True)
class LeaveOut:
    """What a rewrite returns for a task that has no Try form: the staging layer leaves it
    out of the graph (a dependent that may do without it says so with ``mode: optional``)."""

    #: Why, in a release engineer's words (logged; the family's explain row says it too).
    reason: str


def rewriter(family, summary):
    """Register ``func(ctx, task)`` as the Try rewrite of a task family."""

    def wrap(func):
        if family in REWRITERS:
            raise KeyError(f"duplicate staging rewriter for task family {family!r}")
        REWRITERS[family] = Rewriter(family, func, summary)
        return func

    return wrap
