"""The ``taskgraph-staging`` command: small commands over a shared core.

Each module of :mod:`taskgraph_staging.interfaces.commands` defines ``NAME``, ``HELP``,
``add_arguments(parser)`` and ``run(args) -> int``; it keeps heavy imports inside
``run`` so ``--help`` stays instant. A :class:`~taskgraph_staging.model.errors.StagingError`
raised anywhere is printed as one line and exits 2, with no traceback.
"""

import argparse
import importlib
import logging
import pkgutil
import sys

from . import commands
from taskgraph_staging.model.errors import StagingError

EXIT_USAGE = 2


class _Parser(argparse.ArgumentParser):
    def error(self, message):  # one line, exit 2, like every other user error
        self.exit(EXIT_USAGE, f"{self.prog}: error: {message}\n")


def command_names():
    """The commands' names: their modules' names, ``_`` written ``-`` (each module's ``NAME``)."""
    return sorted(
        i.name.replace("_", "-") for i in pkgutil.iter_modules(commands.__path__) if not i.name.startswith("_")
    )


def command_modules(only=None):
    """The command modules, imported; only ``only``'s when it names a command."""
    names = command_names()
    for name in [only] if only in names else names:
        yield importlib.import_module(f"{commands.__name__}.{name.replace('-', '_')}")


def build_parser(command=None):
    """The argument parser; with ``command`` (a command's name), one holding only that
    command, so a run imports no other command's module (``--help`` and a name that is
    no command get the whole parser)."""
    parser = _Parser(
        prog="taskgraph-staging",
        description="Run a project's real release automation as a staging release on Try.",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    sub.required = True
    for module in command_modules(command):
        p = sub.add_parser(module.NAME, help=module.HELP, description=module.HELP)
        module.add_arguments(p)
        p.set_defaults(_run=module.run)
    return parser


def _not_a_staging_error(record):
    """Drop taskgraph's log record of a StagingError (its traceback): ``main`` prints its one line.
    Any other exception keeps its traceback, so a real bug is never hidden."""
    exc_info = record.exc_info
    return not (isinstance(exc_info, tuple) and isinstance(exc_info[1], StagingError))


#: The loggers taskgraph reports a failing kind's exception with.
TASKGRAPH_LOGGERS = ("taskgraph.generator", "taskgraph")


def main(argv=None):
    for name in TASKGRAPH_LOGGERS:
        logger = logging.getLogger(name)
        if _not_a_staging_error not in logger.filters:
            logger.addFilter(_not_a_staging_error)
    words = sys.argv[1:] if argv is None else list(argv)
    parser = build_parser(words[0] if words else None)
    args = parser.parse_args(words)
    try:
        return args._run(args)
    except StagingError as e:
        print(f"taskgraph-staging {args.command}: error: {e.one_line()}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt as e:  # push says whether it landed (PushInterrupted.line)
        line = getattr(e, "line", None)
        if line:
            print(f"taskgraph-staging {args.command}: {line}", file=sys.stderr)
        return 128 + int(getattr(e, "signum", 2))
