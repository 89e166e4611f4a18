"""The ``taskgraph-staging`` command: small commands over a shared core.

Each module of :mod:`taskgraph_staging.interfaces.commands` defines ``NAME``, ``HELP``,
``add_arguments(parser)`` and ``run(args) -> int``; it keeps heavy imports inside
``run`` so ``--help`` stays instant. A :class:`~taskgraph_staging.model.errors.StagingError`
raised anywhere is printed as one line and exits 2, with no traceback.
"""

import argparse
import importlib
import pkgutil
import sys

from . import commands
from taskgraph_staging.model.errors import StagingError

EXIT_USAGE = 2


class _Parser(argparse.ArgumentParser):
    def error(self, message):  # one line, exit 2, like every other user error
        self.exit(EXIT_USAGE, f"{self.prog}: error: {message}\n")


def command_modules():
    for info in sorted(pkgutil.iter_modules(commands.__path__), key=lambda i: i.name):
        if not info.name.startswith("_"):
            yield importlib.import_module(f"{commands.__name__}.{info.name}")


def build_parser():
    parser = _Parser(
        prog="taskgraph-staging",
        description="Run a project's real release automation as a staging release on Try.",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    sub.required = True
    for module in command_modules():
        p = sub.add_parser(module.NAME, help=module.HELP, description=module.HELP)
        module.add_arguments(p)
        p.set_defaults(_run=module.run)
    return parser


def main(argv=None):
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return args._run(args)
    except StagingError as e:
        print(f"taskgraph-staging {args.command}: error: {e.one_line()}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        return 130
