"""One exception family for user errors.

Every message says where (kind, task, parameter or option), what is wrong and how
to fix it. The CLI prints ``str(error)`` as one line and exits 2.
"""


class StagingError(ValueError):
    """Base class of every user-facing error of taskgraph-staging."""

    def __init__(self, message, *, where=None):
        self.where = where
        self.message = message
        super().__init__(f"{where}: {message}" if where else message)

    def one_line(self):
        return " ".join(str(self).split())


class InvalidValue(StagingError):
    """A release identifier (namespace, behaviour, partial, endpoint...) is malformed.

    ``problems`` lists every violation found, not just the first.
    """

    def __init__(self, where, problems):
        self.problems = list(problems)
        super().__init__("; ".join(self.problems), where=where)


class GuardViolation(StagingError):
    """A non-production graph would write to, or ask for, something in production."""


class ConfigError(StagingError):
    """The host project's configuration does not say what the staging layer needs."""


def validation_problem(error):
    """A msgspec ``ValidationError`` as ``"<field>: <problem>"`` (``task.routes: expected
    array, got str``), the field as msgspec's path from the document's root."""
    problem, _, at = str(error).partition(" - at `")
    field = at.rstrip("`").removeprefix("$").lstrip(".")
    problem = problem[:1].lower() + problem[1:].replace("`", "")
    return f"{field}: {problem}" if field else problem
