"""The suite's outcomes, shared by the tests and the summary hook."""

#: Outcomes of the session, in run order: (Selected, Outcome or None, error text).
RESULTS = []


class Retired(str):
    """Why no worker can run a task: its worker is deleted upstream. An honest exception,
    not a failure, when the task's own page (its ``explain`` paragraph) says so; the
    summary names it on a line of its own."""

    #: What the task's page must say for the exception to be honest.
    PHRASE = "retired upstream"
