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
    parser.add_argument("--root", help="taskgraph root whose products the rows name (default: the bundled reference)")


def for_host(table, root):
    """``table`` as a host's release engineer reads it: its kind families registered and,
    for a host that does not ship Firefox, its first product named where the rows say Firefox."""
    import dataclasses

    from taskgraph_staging.analysis.graphs import load_config
    from taskgraph_staging.model.parameters import host_products
    from taskgraph_staging.model.release import display_name

    products = host_products(load_config(root))
    if not products or "firefox" in products:
        return table
    product = products[0]

    def name(text):  # bouncerscript's partner aliases are Firefox's only: they keep their name
        text = text.replace("Firefox", display_name(product)).replace("firefox", product)
        return text.replace(f"partner-{product}-", "partner-firefox-")

    fields = [f.name for f in dataclasses.fields(table[0]) if isinstance(getattr(table[0], f.name), str) and f.name != "family"]
    return [dataclasses.replace(row, **{f: name(getattr(row, f)) for f in fields}) for row in table]


def run(args):
    from taskgraph_staging.model.errors import StagingError
    from taskgraph_staging.staging.transforms.explain import rows, rst_table, text_table

    table = rows()
    if args.root:
        table = for_host(table, args.root)
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
