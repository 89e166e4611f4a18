import pytest

from taskgraph_staging.model.errors import InvalidValue
from taskgraph_staging.interfaces.library import (
    NoFreeSlot,
    Registry,
    ReservationEnded,
    SlotBusy,
    UnknownReservation,
    UnknownSlot,
    reservation_parameters,
    reservation_services,
)
from taskgraph_staging.interfaces.library.registry import DAY
from taskgraph_staging.interfaces.library.slots import parse_slot



class Clock:
    def __init__(self, now=1_800_000_000.0):
        self.now = now

    def __call__(self):
        return self.now


def registry_with(slot_dict, url, *names, clock=None):
    registry = Registry(url, clock=clock or Clock())
    registry.add([parse_slot(slot_dict(name)) for name in names])
    return registry


def test_add_is_idempotent_and_updates_free_slots(registry_url, slot_dict):
    registry = Registry(registry_url)
    assert registry.add([parse_slot(slot_dict("lib-one")), parse_slot(slot_dict("lib-two"))]) == {
        "lib-one": "added",
        "lib-two": "added",
    }
    assert registry.add([parse_slot(slot_dict("lib-one"))]) == {"lib-one": "unchanged"}
    changed = slot_dict("lib-one")
    changed["shipit"]["url"] = "https://shipit-new.lib-one.example"
    assert registry.add([parse_slot(changed)]) == {"lib-one": "updated"}
    assert [(r.slot.id, r.state, r.slot.services.shipit) for r in registry.slots()] == [
        ("lib-one", "free", "https://shipit-new.lib-one.example"),
        ("lib-two", "free", "https://shipit.lib-two.example"),
    ]


def test_add_refuses_a_slot_sharing_an_instance_with_a_registered_one(registry_url, slot_dict):
    registry = registry_with(slot_dict, registry_url, "lib-one")
    thief = slot_dict("lib-two")
    thief["archive"]["bucket"] = "lib-one-archive"
    with pytest.raises(InvalidValue, match="slot lib-two shares bucket lib-one-archive with slot lib-one"):
        registry.add([parse_slot(thief)])
    assert [r.slot.id for r in registry.slots()] == ["lib-one"]


def test_checkout_hands_out_each_free_slot_once_then_no_free_slot(registry_url, slot_dict):
    registry = registry_with(slot_dict, registry_url, "lib-one", "lib-two")
    first = registry.checkout("alice@example.com", "firefox", "beta 121 rehearsal", 2)
    second = registry.checkout("bob@example.com", "fenix", "android", 1)
    assert {first.slot_id, second.slot_id} == {"lib-one", "lib-two"}
    with pytest.raises(NoFreeSlot, match="no free slot"):
        registry.checkout("carol@example.com", "firefox", "more", 1)
    assert [(r.slot.id, r.state, r.reservation.owner) for r in registry.slots()] == [
        ("lib-one", "out", "alice@example.com"),
        ("lib-two", "out", "bob@example.com"),
    ]


def test_checkout_reports_every_bad_option():
    registry = Registry("sqlite:///:memory:")
    with pytest.raises(InvalidValue, match=r"--owner must .*; --product 'chrome' must be one of .*; --purpose must .*; 0 must be a number of days"):
        registry.checkout(" ", "chrome", "", 0)


@pytest.mark.parametrize("owner, problem", [
    pytest.param("a" * 189 + "@example.com", r"--owner is 201 characters long; at most 200", id="too-long"),
    pytest.param("bob\n@example.com", r"--owner 'bob\\n@example.com' holds a control character", id="newline"),
])
def test_checkout_refuses_an_owner_no_backend_stores_the_same_way(registry_url, slot_dict, owner, problem):
    """SQLite would store a 201-character owner, PostgreSQL's varchar(200) would raise: both refuse it first."""
    registry = registry_with(slot_dict, registry_url, "lib-one")
    with pytest.raises(InvalidValue, match=problem):
        registry.checkout(owner, "firefox", "rehearsal", 1)
    assert [(r.slot.id, r.state) for r in registry.slots()] == [("lib-one", "free")]
    longest = "a" * 188 + "@example.com"
    assert registry.checkout(longest, "firefox", "rehearsal", 1).owner == longest


def test_expired_checkouts_are_released_by_the_next_command(registry_url, slot_dict):
    clock = Clock()
    registry = registry_with(slot_dict, registry_url, "lib-one", clock=clock)
    reservation = registry.checkout("alice@example.com", "firefox", "rehearsal", 1)
    assert reservation_services(reservation.id, registry_url)["archive_bucket"] == "lib-one-archive"
    clock.now += DAY + 1
    assert [(r.slot.id, r.state, r.reservation) for r in registry.slots()] == [("lib-one", "free", None)]
    ended = registry.reservation(reservation.id)
    assert (ended.end_reason, ended.ended_at) == ("expired", clock.now)
    with pytest.raises(ReservationEnded, match=f"reservation {reservation.id} of slot lib-one has expired"):
        registry.active(reservation.id)
    assert registry.checkout("bob@example.com", "firefox", "next", 1).slot_id == "lib-one"


def test_renew_moves_the_expiry_and_return_frees_the_slot(registry_url, slot_dict):
    clock = Clock()
    registry = registry_with(slot_dict, registry_url, "lib-one", clock=clock)
    reservation = registry.checkout("alice@example.com", "firefox", "rehearsal", 1)
    clock.now += 0.5 * DAY
    assert registry.renew(reservation.id, 2).expires_at == clock.now + 2 * DAY
    clock.now += 1.5 * DAY  # past the first expiry, within the renewed one
    assert registry.slot("lib-one").state == "out"
    assert registry.return_(reservation.id).end_reason == "returned"
    assert registry.slot("lib-one").state == "free"
    with pytest.raises(ReservationEnded, match="has already returned"):
        registry.return_(reservation.id)
    with pytest.raises(ReservationEnded, match=r"of slot lib-one has returned \(.*\); check out a slot again"):
        reservation_services(reservation.id, registry_url)


def test_a_checked_out_slot_cannot_be_retired(registry_url, slot_dict):
    registry = registry_with(slot_dict, registry_url, "lib-one", "lib-two")
    reservation = registry.checkout("alice@example.com", "firefox", "rehearsal", 1)
    with pytest.raises(SlotBusy, match=f"slot {reservation.slot_id} is checked out \\(reservation {reservation.id}\\)"):
        registry.retire(reservation.slot_id)
    registry.retire("lib-two")
    with pytest.raises(NoFreeSlot, match="^library checkout: no free slot: every slot is checked out or retired"):
        registry.checkout("bob@example.com", "firefox", "x", 1)
    with pytest.raises(UnknownSlot, match="no slot 'lib-three'"):
        registry.retire("lib-three")
    registry.return_(reservation.id)
    registry.retire("lib-one")
    assert [r.state for r in registry.slots()] == ["retired", "retired"]


def test_reservation_services_is_the_staging_services_block(registry_url, slot_dict):
    registry = registry_with(slot_dict, registry_url, "lib-one")
    reservation = registry.checkout("alice@example.com", "firefox", "rehearsal", 1)
    registry.record_rule_ids("lib-one", "firefox", {"lib-one-firefox-beta": 7, "lib-one-firefox-beta-localtest": 8})
    registry.record_rule_ids("lib-one", "fenix", {"lib-one-fenix-beta": 9})
    expected = {
        "balrog_admin": "https://balrog-admin.lib-one.example/api",
        "balrog_public": "https://balrog.lib-one.example",
        "bouncer_admin": "https://bouncer-admin.lib-one.example/api",
        "bouncer_redirector": "https://bouncer.lib-one.example",
        "archive_domain": "archive.lib-one.example",
        "archive_bucket": "lib-one-archive",
        "shipit": "https://shipit.lib-one.example",
        "dedicated": ["archive", "balrog", "bouncer", "shipit"],
        "pools": {
            "balrog": "scriptworker-k8s/gecko-1-balrog-lib-one",
            "beetmover": "scriptworker-k8s/gecko-1-beetmover-lib-one",
            "bouncer": "scriptworker-k8s/gecko-1-bouncer-lib-one",
            "shipit": "scriptworker-k8s/gecko-1-shipit-lib-one",
        },
        "rule_ids": {"lib-one-firefox-beta": 7, "lib-one-firefox-beta-localtest": 8},
    }
    assert reservation_services(reservation.id, registry_url) == expected
    assert reservation_parameters(reservation.id, registry_url) == {
        "namespace": "lib-one",
        "services": expected,
        "reservation": reservation.id,
    }


def test_unknown_reservation(registry_url, slot_dict):
    Registry(registry_url)
    with pytest.raises(UnknownReservation, match="reservation: no reservation 'r0000'"):
        reservation_services("r0000", registry_url)
