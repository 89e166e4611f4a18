"""The suite's outcomes, shared by the tests and the summary hook."""

#: Outcomes of the session, in run order: (Selected, Outcome or None, error text).
RESULTS = []


class Retired(str):
    """Why no worker can run a task: its worker is deleted upstream. An honest exception,
    not a failure, when the task's own page (its ``explain`` paragraph) says so; the
    summary names it on a line of its own."""

    #: What the task's page must say for the exception to be honest.
    PHRASE = "retired upstream"


class NotHere(str):
    """Why the suite cannot run a task whose worker exists: the worker's code is not in
    shared/upstream (``WORKERS_NOT_HERE``: iscript, macOS signing on Apple hardware;
    addonscript, the AMO langpack push). An honest exception, not
    a failure, when the explain row of the task's family says so (:func:`explained`)."""

    #: What the explain row must say for the exception to be honest.
    PHRASE = "its code is not in shared/upstream"


def explained(definition):
    """The explain rows (every column) of the task families whose Try rewrite touched
    ``definition`` (the keys of its ``extra.staging``), joined: what ``taskgraph-staging
    explain`` tells a release engineer about this task."""
    from taskgraph_staging.staging.transforms.explain import rows

    families = set((definition.get("extra") or {}).get("staging") or {})
    return "\n".join(" ".join(str(v) for v in row.as_dict().values()) for row in rows() if row.family in families)


def verdict(selected, outcome, error):
    """Why the task fails the suite, or None: it completed, or it is an honest exception
    that what a release engineer reads names (a worker retired upstream: the task's own
    page; a worker whose code is not here: the explain row; an accepted task that ended at
    one of ``harness.LIMITS``: the explain row names that limit)."""
    if isinstance(error, Retired):
        page = selected.definition.get("metadata", {}).get("description", "")
        if Retired.PHRASE not in page:
            return f"{selected.id}: {error}, and the task's page does not say so (no '{Retired.PHRASE}' in its description)"
        return None
    if isinstance(error, NotHere):
        if NotHere.PHRASE not in explained(selected.definition):
            return f"{selected.id}: {error}, and no explain row of its task families says so (no '{NotHere.PHRASE}')"
        return None
    if error:
        return f"{selected.id}: {error}"
    if outcome.limit:
        named = outcome.limit_named
        if named not in explained(selected.definition):
            return (
                f"{selected.worker} ran {selected.id} to a step nobody can take here ({outcome.limit}), and no explain row "
                f"of its task families says so (no '{named}'): {outcome.message}"
            )
        return None
    if not outcome.completed:
        state = "refused" if not outcome.accepted else "did not complete"
        return f"{selected.worker} {state} {selected.id} ({outcome.status}): {outcome.message}\n--- worker log (tail) ---\n{outcome.log[-3000:]}"
    return None
