"""The signed langpacks beetmover: linux64's signed langpacks, copied to the other desktop platforms.

Langpacks are platform independent. As in the real tree's
``release_beetmover_signed_addons`` transforms, the langpack is signed once, on linux64
(build-signing for en-US, shippable-l10n-signing for the other locales), and
``release-beetmover-signed-langpacks`` uploads that copy to the ``<platform>/xpi/``
directory of each other platform (:data:`COPIED_TO`) in candidates; linux64 keeps its
own. A kind writes each task for linux64 (its upstreams' platform) with linux64's
destinations; these transforms yield one copy per other platform of the product,
with the platform's attributes, label, treeherder platform, release properties and
destinations. Runs after the fan-out, before the candidates beetmover transforms.
"""

import copy

from taskgraph.transforms.base import TransformSequence

from .fanout import make_label
from .platforms import PLATFORMS, product_platforms

#: The platform whose langpacks are signed and copied.
SOURCE_PLATFORM = "linux64"
#: Platforms that get a copy, as the real tree lists them.
COPIED_TO = ("linux64-aarch64", "macosx64", "win32", "win64")

transforms = TransformSequence()


def _retarget(value, old_dir, new_dir):
    """Every ``/<old_dir>/`` path segment of ``value``'s strings as ``/<new_dir>/``."""
    if isinstance(value, str):
        return value.replace(f"/{old_dir}/", f"/{new_dir}/")
    if isinstance(value, dict):
        return {k: _retarget(v, old_dir, new_dir) for k, v in value.items()}
    if isinstance(value, list):
        return [_retarget(v, old_dir, new_dir) for v in value]
    return value


@transforms.add
def yield_all_platform_tasks(config, tasks):
    source_dir = PLATFORMS[SOURCE_PLATFORM].archive
    for task in tasks:
        attributes = task["attributes"]
        product = attributes["shipping_product"]
        platforms = [p for p in product_platforms(config.graph_config, product) if p in COPIED_TO]
        for platform in platforms:
            new = copy.deepcopy(task)
            new["attributes"]["build_platform"] = platform
            new["label"] = make_label(config.kind, product, {"build_platform": platform, "locale": attributes["locale"]})
            new["description"] = new["description"].replace(SOURCE_PLATFORM, platform)
            # The task's own platform suffix (linux64-shippable/opt, linux64-devedition/opt).
            new["treeherder"]["platform"] = task["treeherder"]["platform"].replace(SOURCE_PLATFORM, platform, 1)
            worker = new["worker"]
            worker["release-properties"]["platform"] = platform
            for entry in worker["upstream-artifacts"]:
                entry["paths"] = _retarget(entry["paths"], source_dir, PLATFORMS[platform].archive)
            yield new
