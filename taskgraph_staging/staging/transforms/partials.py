"""Try form of partials (partial update generation).

Each partials task builds a partial MAR from a previous release's complete MAR
(``FROM_MAR_URL``) to this build's. The previous release is one of the parameters'
partials (``parameters.partials()``); it lives in production or in staging as the
parameter says, so ``FROM_MAR_URL`` is the production archive URL or the same key
in this namespace's staging archive. A task for a previous version that is not a
partial of the parameters would disagree with Balrog's ``partial_versions`` and
update verify, so it fails generation.
"""

from urllib.parse import urlsplit

from taskgraph_staging.model import naming
from taskgraph_staging.model.errors import ConfigError
from .explain import explains
from .docker_env import task_env
from .registry import rewriter
from .staging import record, task_release
from .update_verify import PRODUCTION_ARCHIVE_PUB

ENV = ("FROM_MAR_URL", "FROM_VERSION", "FROM_BUILD_NUMBER", "TO_VERSION")


def archive_key(url, label):
    """The ``pub/...`` key of an archive URL."""
    path = urlsplit(url).path.lstrip("/")
    start = path.find("pub/")
    if start < 0:
        raise ConfigError(f"FROM_MAR_URL {url!r} is not an archive URL under /pub/", where=f"task {label}")
    return path[start:]


@rewriter("partials", summary="previous complete MARs from production or this namespace's staging archive, as the partials parameter says")
def rewrite_partials(ctx, task):
    rel = task_release(ctx, task)
    label = task["label"]
    env = task_env(task, "partials", ENV)
    chosen = {p.version: p for p in ctx.partials}
    partial = chosen.get(env["FROM_VERSION"])
    if partial is None:
        raise ConfigError(
            f"builds a partial from {env['FROM_VERSION']}, which is not one of the release's partials "
            f"({', '.join(sorted(chosen)) or 'none'}); generate partials tasks from the partials parameters",
            where=f"task {label}",
        )
    if str(partial.build_number) != str(env["FROM_BUILD_NUMBER"]):
        raise ConfigError(
            f"FROM_BUILD_NUMBER {env['FROM_BUILD_NUMBER']} disagrees with partial {partial}", where=f"task {label}"
        )
    key = archive_key(env["FROM_MAR_URL"], label)
    if partial.source == "production":
        env["FROM_MAR_URL"] = f"{PRODUCTION_ARCHIVE_PUB}/{key[len('pub/'):]}"
    else:
        env["FROM_MAR_URL"] = naming.archive_url(rel, key)
    env["TO_VERSION"] = rel.version
    record(task, "partial-source", partial.source)


explains(
    "partials",
    task_types="partials, partials-signing",
    production="builds a partial MAR from each previous release's complete MAR on archive.mozilla.org; "
    "signing signs it with the release MAR key",
    try_form="FROM_MAR_URL from archive.mozilla.org (read only) or this namespace's staging archive, per the "
    "staging partials parameter; signing with the dep key",
    verifies="partial generation against the real previous builds, and that partials, Balrog's partial_versions "
    "and update verify name the same previous releases",
    cannot="release-key MAR signatures (dep key on Try)",
)
