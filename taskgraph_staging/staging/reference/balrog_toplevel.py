"""The top-level Balrog submission's ``update-line``, from the product's what's-new config.

As Firefox's tree does it (gecko_taskgraph ``transforms/balrog_toplevel.py`` with
mozrelease's ``generate_update_properties``): the task names a what's-new config
(``whats-new-config``, relative to the graph's root), and this transform writes
``worker.update-line`` with one key per release blob balrogscript creates: ``""``
(the blob with what's-new pages, ``wnp``) and ``"-No-WNP"`` (without them). Each
config entry gives a field set (``product-details``: ``detailsURL``; ``show-url``:
``actions: showURL`` and ``openURL``) and the conditions deciding which blobs get it
and for which channels, locales and versions of the updating client.

Runs after :mod:`.fanout` (the task's ``shipping_product`` is set). Production form
only: the Try form's channels are the staging layer's (the balrog rewrite namespaces
``update_line``'s ``channels`` as it does ``channel_names``).
"""

import os

from mozilla_version.gecko import GeckoVersion
from taskgraph.transforms.base import TransformSequence

from taskgraph_staging.model.errors import ConfigError
from taskgraph_staging.model.files import read_yaml
from taskgraph_staging.model.parameters import product_family, release_type
from taskgraph_staging.model.versions import release_app_version

#: The blobs balrogscript creates: blob type -> suffix of the blob name (its ``update_line`` key).
BLOB_TYPES = (("wnp", ""), ("no-wnp", "-No-WNP"))
#: Channels an ``update-channel`` condition covers (mozrelease's suffixes).
CHANNEL_SUFFIXES = ("", "-localtest", "-cdntest")
#: Products whose what's-new pages are another's (Devedition's are Firefox's).
WHATS_NEW_PRODUCT = {"devedition": "firefox"}

transforms = TransformSequence()


def _fields(entry, context, where):
    kind = entry.get("type")
    url = entry.get("url", "").format(**context)
    if kind == "product-details":
        return {"detailsURL": url, "type": "minor"}
    if kind == "show-url":
        return {"actions": "showURL", "openURL": url}
    raise ConfigError(f"what's-new entry type {kind!r} is none of product-details, show-url", where=where)


def _conditions(entry, context):
    """The ``for`` of an updateLine item, or None when the entry is not for this blob."""
    for key, value in (("release-types", "release-type"), ("blob-types", "blob-type"), ("products", "product")):
        if key in entry and context[value] not in entry[key]:
            return None
    result = {}
    if "locales" in entry:
        result["locales"] = list(entry["locales"])
    if "versions" in entry:
        result["versions"] = [v.format(**context) for v in entry["versions"]]
    if "update-channel" in entry:
        result["channels"] = [entry["update-channel"] + suffix for suffix in CHANNEL_SUFFIXES]
    if "build-ids" in entry:
        result["buildIDs"] = [b.format(**context) for b in entry["build-ids"]]
    return result


def update_properties(config_entries, context, where):
    """The updateLine items of one blob: each entry whose conditions admit ``context``."""
    items = []
    for entry in config_entries:
        conditions = _conditions(entry.get("conditions", {}), context)
        if conditions is not None:
            items.append({"fields": _fields(entry, context, where), "for": conditions})
    return items


@transforms.add
def generate_update_line(config, tasks):
    for task in tasks:
        name = task.pop("whats-new-config", None)
        if name is None:
            yield task
            continue
        where = f"task {task['label']}"
        path = os.path.join(config.graph_config.root_dir, name)
        if not os.path.isfile(path):
            raise ConfigError(f"whats-new-config {name} does not exist under the root", where=where)
        entries = read_yaml(path, where) or []
        product = task["attributes"]["shipping_product"]
        app_version = release_app_version(config.params, product_family(product, config.graph_config))
        context = {
            "release-type": release_type(config.params, config.graph_config),
            "product": WHATS_NEW_PRODUCT.get(product, product),
            "version": GeckoVersion.parse(app_version),
            "build-id": config.params.get("moz_build_date", ""),
        }
        task["worker"]["update-line"] = {
            suffix: update_properties(entries, dict(context, **{"blob-type": blob_type}), where)
            for blob_type, suffix in BLOB_TYPES
        }
        yield task
