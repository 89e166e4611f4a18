import responses
from responses import matchers

from taskgraph_staging.interfaces.library.bouncer import BouncerAdmin, base_products, provision_bouncer

API = "https://bouncer-admin.lib-one.example/api"


def test_base_products_of_firefox_are_named_like_production():
    base = base_products("firefox")
    assert {name: alias for name, (alias, _) in base.items()} == {
        "Firefox-1.0": "firefox-latest",
        "Firefox-1.0-SSL": "firefox-latest-ssl",
        "Firefox-1.0-stub": "firefox-stub",
        "Firefox-1.0b1": "firefox-beta-latest",
        "Firefox-1.0b1-SSL": "firefox-beta-latest-ssl",
        "Firefox-1.0b1-stub": "firefox-beta-stub",
        "Firefox-1.0esr": "firefox-esr-latest",
        "Firefox-1.0esr-SSL": "firefox-esr-latest-ssl",
    }
    assert base["Firefox-1.0b1-SSL"][1] == {
        "linux": "/firefox/releases/1.0b1/linux-i686/:lang/firefox-1.0b1.tar.bz2",
        "linux64": "/firefox/releases/1.0b1/linux-x86_64/:lang/firefox-1.0b1.tar.bz2",
        "osx": "/firefox/releases/1.0b1/mac/:lang/Firefox 1.0b1.dmg",
        "win": "/firefox/releases/1.0b1/win32/:lang/Firefox Setup 1.0b1.exe",
        "win64": "/firefox/releases/1.0b1/win64/:lang/Firefox Setup 1.0b1.exe",
    }
    assert base["Firefox-1.0b1-stub"][1] == {"win": "/firefox/releases/1.0b1/win32/:lang/Firefox Installer.exe"}


@responses.activate
def test_bouncer_base_is_registered_where_missing_only():
    base = base_products("firefox")
    existing = "Firefox-1.0b1-SSL"
    for name, (_, locations) in base.items():
        found = name == existing
        responses.add(responses.GET, f"{API}/product_show", body=f"<products>{'<product name=%r/>' % name if found else ''}</products>",
                      match=[matchers.query_param_matcher({"product": name})])
        if found:
            xml = "".join(f'<location id="{i}" os="{os_}">{path}</location>' for i, (os_, path) in enumerate(locations.items()) if os_ != "osx")
            responses.add(responses.GET, f"{API}/location_show", body=f"<locations>{xml}</locations>",
                          match=[matchers.query_param_matcher({"product": name})])
    posts = responses.add(responses.POST, f"{API}/location_add/", body="ok")
    responses.add(responses.POST, f"{API}/product_add/", body="ok")
    responses.add(responses.POST, f"{API}/create_update_alias", body="ok")

    steps = provision_bouncer("firefox", BouncerAdmin(API, auth=("user", "secret")))
    assert [s for s in steps if existing in s] == [
        "add location Firefox-1.0b1-SSL osx /firefox/releases/1.0b1/mac/:lang/Firefox 1.0b1.dmg"
    ]
    assert "add product Firefox-1.0-stub" in steps and "point alias firefox-stub at Firefox-1.0-stub" in steps
    assert len([s for s in steps if s.startswith("add product")]) == 7
    assert posts.call_count == 1 + sum(len(locs) for name, (_, locs) in base.items() if name != existing)
    assert all(c.request.headers["Authorization"].startswith("Basic ") for c in responses.calls)
