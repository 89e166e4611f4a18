"""The library of staging services: slots a release engineer checks out like a book.

A slot is a set of staging service instances (Balrog, Bouncer, an archive bucket,
Ship-it) wired to its own worker pools. The rest of the project uses a checked-out slot
through two calls:

* :func:`reservation_services` - the ``staging.services`` parameter block;
* :func:`reservation_parameters` - the whole ``staging`` block a reservation fixes
  (``namespace``, ``services``, ``reservation``).
"""

from .errors import (
    LibraryError,
    NoFreeSlot,
    ProvisioningError,
    ReservationEnded,
    SlotBusy,
    UnknownReservation,
    UnknownSlot,
)
from .registry import Registry


def reservation_services(reservation_id, registry_url=None):
    """The ``staging.services`` parameter block of a checked-out reservation.

    The keys of :data:`taskgraph_staging.model.release.DEFAULT_SERVICES`, plus ``dedicated``
    (every family: archive, balrog, bouncer, shipit), ``pools`` (``{family:
    "provisioner/worker-type"}`` for beetmover, balrog, bouncer, shipit) and ``rule_ids``
    (``{namespaced rule alias: Balrog rule id}`` provisioned on the slot's Balrog for
    the reservation's product). Raises :class:`UnknownReservation` or
    :class:`ReservationEnded` (both :class:`~taskgraph_staging.model.errors.StagingError`).
    """
    return reservation_parameters(reservation_id, registry_url)["services"]


def reservation_parameters(reservation_id, registry_url=None):
    """The ``staging`` parameters a reservation fixes: its slot's namespace, services and id.

    Rule aliases and channels on the slot's Balrog are named with the slot's namespace,
    so a release on the slot must use it.
    """
    registry = Registry(registry_url, create=False)
    reservation, slot = registry.active(reservation_id)
    services = slot.services.to_dict()
    rule_ids = registry.rule_ids(slot.id, reservation.product)
    if rule_ids:
        services["rule_ids"] = rule_ids
    return {"namespace": str(slot.namespace), "services": services, "reservation": reservation_id}


__all__ = [
    "LibraryError",
    "NoFreeSlot",
    "ProvisioningError",
    "Registry",
    "ReservationEnded",
    "SlotBusy",
    "UnknownReservation",
    "UnknownSlot",
    "reservation_parameters",
    "reservation_services",
]
