import pytest

from taskgraph_staging.model.errors import InvalidValue, StagingError
from taskgraph_staging.interfaces.library.slots import load_slots, parse_slot, parse_slots


def test_slot_round_trips_through_its_yaml_shape(slot_dict):
    data = slot_dict("lib-one")
    slot = parse_slot(data)
    assert slot.to_dict() == {**data, "namespace": "lib-one"}
    assert slot.services.dedicated == ("archive", "balrog", "bouncer", "shipit")


@pytest.mark.parametrize(
    "change, message",
    [
        pytest.param(
            {"balrog": {"admin": "https://aus5.mozilla.org/api", "public": "https://balrog.x.example"}},
            r"slot lib-one: balrog_admin 'https://aus5.mozilla.org/api' is production \(the production Balrog update server\)",
            id="production-balrog",
        ),
        pytest.param(
            {"archive": {"bucket": "net-mozaws-prod-delivery-firefox", "domain": "a.example", "endpoint": "https://s3.example"}},
            r"archive_bucket 'net-mozaws-prod-delivery-firefox' is production",
            id="production-bucket",
        ),
        pytest.param(
            {"pools": {"beetmover": "scriptworker-k8s/gecko-3-beetmover", "balrog": "a/b", "bouncer": "a/c", "shipit": "a/d"}},
            r"pools.beetmover 'scriptworker-k8s/gecko-3-beetmover' is production \(it is a level-3",
            id="production-pool",
        ),
        pytest.param({"pools": {"beetmover": "a/b"}}, r"pools: missing balrog, bouncer, shipit", id="missing-pools"),
        pytest.param({"shipit": {}}, r"shipit.url is required", id="missing-url"),
        pytest.param({"id": "firefox-one"}, r"namespace \(defaults to the id\): 'firefox-one' uses the reserved word", id="reserved-namespace"),
        pytest.param({"colour": "red"}, r"unknown key\(s\) colour", id="unknown-key"),
    ],
)
def test_bad_slots_are_refused_with_every_reason(slot_dict, change, message):
    with pytest.raises(InvalidValue, match=message):
        parse_slot({**slot_dict("lib-one"), **change})


def test_slots_of_one_file_may_not_share_instances(slot_dict):
    two = slot_dict("lib-two")
    two["shipit"] = slot_dict("lib-one")["shipit"]
    with pytest.raises(InvalidValue, match="slot lib-two shares instance https://shipit.lib-one.example with slot lib-one"):
        parse_slots({"slots": [slot_dict("lib-one"), two]})


def test_unreadable_file(tmp_path):
    path = tmp_path / "slots.yml"
    path.write_text("slots: [")
    with pytest.raises(StagingError, match=r"^slots file: .*/slots\.yml is not valid YAML or JSON \(line 1\)$"):
        load_slots(str(path))
    with pytest.raises(StagingError, match=r"^slots file: cannot read .*/absent\.yml \(No such file or directory\)$"):
        load_slots(str(tmp_path / "absent.yml"))
