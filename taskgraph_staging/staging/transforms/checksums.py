"""Try form of release-generate-checksums.

The task lists this release's candidates directory in the archive bucket, downloads
each ``*.checksums.beet`` and writes ``SHA256SUMS``/``SHA512SUMS``. On Try it reads the
staging bucket of the release's services at this release's namespaced candidates
directory (:func:`naming.candidates_dir`), where push-to-candidates wrote. Its signing
and beetmover tasks are the signing and beetmover families (dep cert, dep bucket,
namespaced destinations).
"""

from taskgraph_staging.model import naming
from .explain import explains
from .docker_env import task_env
from .registry import rewriter
from .staging import task_release

ENV = ("BUCKET", "CANDIDATES_PREFIX")


@rewriter("checksums", summary="staging archive bucket, this release's namespaced candidates directory")
def rewrite_checksums(ctx, task):
    rel = task_release(ctx, task)
    env = task_env(task, "checksums", ENV)
    env["BUCKET"] = rel.services.archive_bucket
    env["CANDIDATES_PREFIX"] = naming.candidates_dir(rel)


explains(
    "checksums",
    task_types="release-generate-checksums (+ -signing, -beetmover)",
    production="collects the .checksums.beet files of the candidates directory in the release bucket into "
    "SHA256SUMS/SHA512SUMS; signing signs them with the release GPG key, beetmover uploads them to candidates",
    try_form="BUCKET = the staging archive bucket, CANDIDATES_PREFIX = this release's namespaced candidates; "
    "signing with the dep cert; beetmover to the dep bucket under the namespace",
    verifies="every file push-to-candidates wrote has its checksums, the sums files build and sign, and upload to "
    "the namespace",
    cannot="the release GPG signature (dep key on Try)",
)
