"""User errors of the library of staging services (all :class:`StagingError`)."""

from taskgraph_staging.model.errors import InvalidValue, StagingError


class LibraryError(StagingError):
    """Something about the library a user can fix."""


class NoFreeSlot(LibraryError):
    """Every registered slot is checked out or retired."""


class UnknownSlot(LibraryError):
    """No slot of that id is registered."""


class SlotBusy(LibraryError):
    """The slot is checked out, so it cannot be retired or redefined."""


class UnknownReservation(LibraryError):
    """No reservation of that id exists."""


class ReservationEnded(LibraryError):
    """The reservation was returned, has expired or its slot was retired."""


class ProvisioningError(LibraryError):
    """A service instance refused or broke a provisioning step."""


__all__ = [
    "InvalidValue",
    "LibraryError",
    "NoFreeSlot",
    "ProvisioningError",
    "ReservationEnded",
    "SlotBusy",
    "UnknownReservation",
    "UnknownSlot",
]
