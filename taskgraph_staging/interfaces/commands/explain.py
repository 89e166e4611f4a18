"""``taskgraph-staging explain``: every release task type's production and Try forms."""

import json

NAME = "explain"
HELP = (
    "List every release task family: its production form, its Try form, what it verifies "
    "on Try and what it cannot verify there, and why (generated from the staging rewriters)."
)
FORMATS = ("text", "rst")


def add_arguments(parser):
    out = parser.add_mutually_exclusive_group()
    out.add_argument("--json", action="store_true", help="print the rows as a JSON list")
    out.add_argument("--format", choices=FORMATS, default="text", help="text (default) or rst (the docs table)")
    parser.add_argument("family", nargs="*", help="only these task families (default: all)")


def run(args):
    from taskgraph_staging.model.errors import StagingError
    from taskgraph_staging.staging.transforms.explain import rows, rst_table, text_table

    table = rows()
    if args.family:
        known = {row.family for row in table}
        unknown = sorted(set(args.family) - known)
        if unknown:
            raise StagingError(
                f"unknown task family {', '.join(unknown)}; known: {', '.join(sorted(known))}", where="explain"
            )
        table = [row for row in table if row.family in args.family]
    if args.json:
        print(json.dumps([row.as_dict() for row in table], indent=2))
    elif args.format == "rst":
        print(rst_table(table), end="")
    else:
        print(text_table(table), end="")
    return 0
