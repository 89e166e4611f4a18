"""The Microsoft Store push: pushed early when the Store publishes manually.

As the real tree's ``release_msix_push`` transforms: a release whose Store
submission publishes manually (``publish-mode: Manual``) pushes in the promote
phase, so certification has time before the release ships; one that publishes
immediately (beta) pushes in the ship phase. Runs after the fan-out, which resolved
``publish-mode`` for the release.
"""

from taskgraph.transforms.base import TransformSequence

transforms = TransformSequence()


@transforms.add
def push_early_when_published_manually(config, tasks):
    for task in tasks:
        if task["worker"].get("publish-mode") == "Manual":
            task["shipping-phase"] = "promote"
            task["attributes"]["shipping_phase"] = "promote"
        yield task
