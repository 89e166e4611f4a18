"""Target-task methods per release phase and product.

``promote_<product>`` selects the product's build and promote tasks; ``push_<product>``
adds push; ``ship_<product>`` adds ship (push + ship); the RC variants ship before
pushing to mirrors (``ship_<product>_rc`` = promote + ship). Partner kinds are selected
only when the graph's parameters enable them. ``staging_release_builds`` and
``release_simulation`` mirror ``mach try release``'s ``--tasks``.

``promote_desktop``, ``push_desktop`` and ``ship_desktop`` are the real tree's flavor
methods (gecko_taskgraph ``target_tasks.py``): the product is the graph's
``release_product`` and an RC is told by the release type, which on a staging graph
comes from the behaviour, never the version. Kinds named ``*secondary*`` (the RC-only
secondary update verify and Balrog) run only for an RC, as there.
"""

from taskgraph.target_tasks import register_target_task

from taskgraph_staging.model.parameters import host_products, release_type
from taskgraph_staging.model.release import PRODUCT_DISPLAY_NAMES

PHASES = ("build", "promote", "push", "ship")
#: Phases each (phase, rc) target selects.
PHASES_OF = {
    ("build", False): ("build",),
    ("promote", False): ("build", "promote"),
    ("push", False): ("build", "promote", "push"),
    ("ship", False): ("build", "promote", "push", "ship"),
    # An RC builds like any release: the build graph of a Try push is the same.
    ("build", True): ("build",),
    ("promote", True): ("build", "promote"),
    ("ship", True): ("build", "promote", "ship"),
}
PARTNER_KINDS = {
    "release_enable_partner_repack": (
        "release-partner-repack", "release-partner-repack-mac-signing", "release-partner-repack-repackage",
        "release-partner-repack-repackage-signing", "release-partner-repack-beetmover", "release-partner-repack-bouncer-sub",
    ),
    "release_enable_partner_attribution": ("release-partner-attribution", "release-partner-attribution-beetmover"),
    "release_enable_emefree": (
        "release-eme-free-repack", "release-eme-free-repack-mac-signing", "release-eme-free-repack-repackage",
        "release-eme-free-repack-repackage-signing", "release-eme-free-repack-beetmover", "release-eme-free-repack-beetmover-checksums",
    ),
}


def phase_target_method(product, phase, rc=False):
    """Name of the target-task method that runs ``product`` up to ``phase``."""
    if (phase, rc) not in PHASES_OF:
        raise ValueError(f"no target-task method for phase {phase!r}{' (RC)' if rc else ''}")
    if phase == "build":
        return "staging_release_builds"
    return f"{phase}_{product}{'_rc' if rc else ''}"


def partner_kind_enabled(kind, parameters):
    for flag, kinds in PARTNER_KINDS.items():
        if kind in kinds:
            return bool(parameters.get(flag))
    return True


def secondary_kind_selected(kind, rc):
    """The RC-only secondary kinds run in RC graphs only (gecko's ``promote_desktop``)."""
    return rc or "secondary" not in kind


def release_tasks(full_task_graph, parameters, products, phases, kinds=None, rc=False):
    labels = []
    for label, task in full_task_graph.tasks.items():
        attrs = task.attributes
        if attrs.get("shipping_product") not in products or attrs.get("shipping_phase") not in phases:
            continue
        if not secondary_kind_selected(task.kind, rc):
            continue
        if kinds is not None and task.kind not in kinds and attrs.get("shipping_phase") != "build":
            continue
        if not partner_kind_enabled(task.kind, parameters):
            continue
        labels.append(label)
    return sorted(labels)


def _register_phase_method(product, phase, rc):
    name = phase_target_method(product, phase, rc)

    def method(full_task_graph, parameters, graph_config):
        # The phases are the method's; the secondary kinds are the graph's (an RC pushed
        # with push_<product> keeps its promote phase's secondary tasks, as push_desktop).
        secondary = rc or is_rc_graph(parameters, graph_config)
        return release_tasks(full_task_graph, parameters, {product}, PHASES_OF[(phase, rc)], rc=secondary)

    method.__name__ = name
    method.__doc__ = f"{product}: the {', '.join(PHASES_OF[(phase, rc)])} phases."
    register_target_task(name)(method)


# Every shipping product the release objects know; a graph's config picks among them.
for _product in PRODUCT_DISPLAY_NAMES:
    for (_phase, _rc) in PHASES_OF:
        if _phase != "build":
            _register_phase_method(_product, _phase, _rc)


def is_rc_graph(parameters, graph_config):
    """Whether the graph is an RC's: its release type (from the behaviour on staging) is release-rc."""
    return release_type(parameters, graph_config) == "release-rc"


#: The real tree's flavor methods and the phases each selects (its own phase; RC: ship after promote).
DESKTOP_METHODS = {"promote_desktop": "promote", "push_desktop": "push", "ship_desktop": "ship"}


def _register_desktop_method(name, phase):
    def method(full_task_graph, parameters, graph_config):
        rc = is_rc_graph(parameters, graph_config)
        # push_desktop pushes whatever the release: an RC's push phase is promote + push.
        phases = PHASES_OF.get((phase, rc)) or PHASES_OF[(phase, False)]
        return release_tasks(full_task_graph, parameters, {parameters["release_product"]}, phases, rc=rc)

    method.__name__ = name
    method.__doc__ = f"The graph's release_product: the phases up to {phase} (an RC ships after promote)."
    register_target_task(name)(method)


for _name, _phase in DESKTOP_METHODS.items():
    _register_desktop_method(_name, _phase)


def _register_partner_method(product, flag, kinds):
    name = f"promote_{product}_{flag.replace('release_enable_', '')}"

    def method(full_task_graph, parameters, graph_config):
        params = dict(parameters, **{flag: True})
        return release_tasks(full_task_graph, params, {product}, ("build", "promote"), kinds=set(kinds))

    method.__name__ = name
    register_target_task(name)(method)


# The real tree's partner flavors (promote_firefox_partner_repack, _partner_attribution);
# EME-free has none: it runs with promote.
for _flag in ("release_enable_partner_repack", "release_enable_partner_attribution"):
    _register_partner_method("firefox", _flag, PARTNER_KINDS[_flag])


def _products(graph_config, full_task_graph):
    """The host's products (config.yml); a host naming none builds every shipping product in its graph."""
    return set(host_products(graph_config)) or {
        t.attributes["shipping_product"] for t in full_task_graph.tasks.values() if t.attributes.get("shipping_product")
    }


@register_target_task("staging_release_builds")
def target_tasks_staging_release_builds(full_task_graph, parameters, graph_config):
    """Every product's build-phase tasks (``mach try release --tasks staging``)."""
    return release_tasks(full_task_graph, parameters, _products(graph_config, full_task_graph), ("build",))


@register_target_task("release_simulation")
def target_tasks_release_simulation(full_task_graph, parameters, graph_config):
    """Every product's build and promote tasks (``mach try release --tasks release-sim``)."""
    return release_tasks(full_task_graph, parameters, _products(graph_config, full_task_graph), ("build", "promote"))
