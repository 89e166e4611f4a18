"""``taskgraph-staging shipit-release``: create a staging release's Ship-it release
(the one mark-as-shipped marks) once the push's decision task is indexed.

Ship-it creates a release only from ``POST /releases``, and builds its phases in the
same request from the revision's indexed decision task, so this runs after the push,
from the decision task's own parameters (its ``public/parameters.yml``). Starting the
phases from the staging Ship-it creates the release already; this is for phases
started without it. See docs/phases.rst (the Ship-it release).
"""

NAME = "shipit-release"
HELP = (
    "Create the staging release's Ship-it release (POST /releases), which mark-as-shipped marks, "
    "from the push's decision task parameters, once that task is indexed; a no-op if it exists."
)


def add_arguments(parser):
    parser.add_argument(
        "--parameters",
        metavar="FILE",
        required=True,
        help="the push's decision task parameters (its public/parameters.yml): release, revision and repository",
    )
    parser.add_argument(
        "--root",
        help="taskgraph root whose config.yml names the release repository's parameters (default: the bundled reference)",
    )
    parser.add_argument("--branch", default="try", help="Ship-it's branch of the push (default: try)")
    parser.add_argument(
        "--dry-run", action="store_true", help="print the Ship-it URL, release name and POST body; send nothing"
    )


def read_parameters(path):
    """The mapping of ``path`` (YAML or JSON), or a one-line error naming the file."""
    import yaml

    from taskgraph_staging.model.errors import StagingError

    try:
        with open(path) as fh:
            data = yaml.safe_load(fh)
    except OSError as e:
        raise StagingError(f"cannot read {path}: {e.strerror}", where="--parameters") from None
    except yaml.YAMLError as e:
        raise StagingError(f"{path} is not YAML: {' '.join(str(e).split())}", where="--parameters") from None
    if not isinstance(data, dict):
        raise StagingError(f"{path} holds no parameters mapping", where="--parameters")
    return data


def run(args):
    import json
    import os

    from taskgraph_staging.analysis.reference_root import REFERENCE_ROOT
    from taskgraph_staging.model.errors import StagingError
    from taskgraph_staging.model.files import read_graph_config
    from taskgraph_staging.model.parameters import release_repository, staging_release
    from ..push import shipit

    params = read_parameters(args.parameters)
    if not isinstance(params.get("staging"), dict):
        raise StagingError(f"{args.parameters} has no staging block: not the parameters of a staging release's push", where="--parameters")
    graph_config = read_graph_config(os.path.abspath(args.root or REFERENCE_ROOT))
    repository, revision = release_repository(params, graph_config)
    request = shipit.release_request(staging_release(params, graph_config), revision, repository, branch=args.branch)
    if args.dry_run:
        print(f"Would create Ship-it release {request.name} on {request.url} (POST /releases, scope {request.scope}):")
        print(json.dumps(request.body, indent=2, sort_keys=True))
        return 0
    print(shipit.ensure_release(request, shipit.credentials(os.environ)))
    return 0
