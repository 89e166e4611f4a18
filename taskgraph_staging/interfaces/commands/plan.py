"""``taskgraph-staging plan``: generate a staging release graph offline and say what it does."""

import json

NAME = "plan"
HELP = (
    "Generate the staging release graph offline (bundled reference kinds unless --root), "
    "write taskgraph's artifacts and summarise the tasks and every resource the graph would write."
)


def add_arguments(parser):
    parser.add_argument("--version", required=True, help="version of the staging release, e.g. 121.0b3")
    parser.add_argument(
        "--behavior",
        help="beta, release, release-rc or esr (default: what production does for the version)",
    )
    parser.add_argument("--namespace", help="namespace of the release's names (default: derived from --owner)")
    parser.add_argument(
        "--phase",
        default="build",
        help="build, promote, push or ship: the phase the graph runs up to (default: build)",
    )
    parser.add_argument("--rc", action="store_true", help="release candidate: release-rc behaviour and RC phases")
    parser.add_argument("--product", default="firefox", help="firefox or fenix (default: firefox)")
    parser.add_argument("--build-number", default="1", metavar="N", help="build number (default: 1)")
    parser.add_argument(
        "--partial",
        action="append",
        default=[],
        metavar="VERSION:BUILD[:production|staging]",
        help="a previous release to build partial updates from (repeatable)",
    )
    parser.add_argument("--services", metavar="FILE", help="YAML or JSON file of staging service endpoints")
    parser.add_argument(
        "--reservation",
        metavar="ID",
        help="library reservation whose dedicated services, worker pools and namespace the release uses",
    )
    parser.add_argument("--registry", metavar="URL", help="library registry holding the reservation (default: the library's)")
    parser.add_argument("--owner", help="owner of the push (an email address; default: the reference owner)")
    parser.add_argument("--root", help="taskgraph root to plan (default: the bundled reference kinds)")
    parser.add_argument("--output", metavar="DIR", help="write parameters.yml and the graphs into DIR")
    parser.add_argument("--json", action="store_true", help="print the summary as JSON")


def run(args):
    from ..plan import PlanRequest, format_summary, run_plan

    request = PlanRequest(
        version=args.version,
        root=args.root,
        behavior=args.behavior,
        namespace=args.namespace,
        phase=args.phase,
        rc=args.rc,
        product=args.product,
        build_number=args.build_number,
        partials=tuple(args.partial),
        services=args.services,
        owner=args.owner,
        output=args.output,
        reservation=args.reservation,
        registry=args.registry,
    )
    data = run_plan(request)
    if args.json:
        print(json.dumps(data, indent=2, sort_keys=True))
    else:
        print("\n".join(format_summary(data, data.get("output"))))
    return 0
