import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


from taskgraph_staging.interfaces.cli import main
from taskgraph_staging.interfaces.library.probe import check_slot
from taskgraph_staging.interfaces.library.slots import parse_slot


def test_lifecycle_in_text(registry, capsys):
    capsys.readouterr()
    assert main(["library", "checkout", "--registry", registry, "--owner", "alice@example.com", "--product", "firefox", "--purpose", "rc"]) == 0
    reservation = capsys.readouterr().out.split(":")[0]
    assert main(["library", "list", "--registry", registry]) == 0
    assert capsys.readouterr().out.startswith("lib-one              out      alice@example.com firefox until ")
    assert main(["library", "checkout", "--registry", registry, "--owner", "bob@example.com", "--product", "firefox", "--purpose", "x"]) == 2
    assert capsys.readouterr().err.startswith("taskgraph-staging library: error: library checkout: no free slot:")
    assert main(["library", "show", reservation, "--registry", registry, "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["slot"] == "lib-one"
    assert main(["library", "return", reservation, "--registry", registry]) == 0
    assert capsys.readouterr().out == f"{reservation}: slot lib-one returned\n"
    assert main(["library", "retire", "lib-one", "--registry", registry]) == 0
    assert capsys.readouterr().out == "lib-one: retired\n"
    assert main(["library", "show", "lib-one", "--registry", registry, "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["state"] == "retired"


class Answer(BaseHTTPRequestHandler):
    def do_HEAD(self):
        self.send_response(404 if self.path.startswith("/api") else 200)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args):
        pass


def test_check_reports_the_instances_that_do_not_answer(slot_dict):
    server = ThreadingHTTPServer(("127.0.0.1", 0), Answer)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    closed = ThreadingHTTPServer(("127.0.0.1", 0), Answer)
    dead = f"127.0.0.1:{closed.server_address[1]}"
    closed.server_close()  # nothing listens there any more
    live = f"127.0.0.1:{server.server_address[1]}"
    slot = slot_dict("lib-one")
    slot["balrog"] = {"admin": f"http://{live}/api", "public": f"http://{live}"}
    slot["bouncer"] = {"admin": f"http://{live}/api", "redirector": f"http://{dead}"}
    slot["shipit"] = {"url": f"http://{live}/"}
    slot["archive"] = {"bucket": "lib-one-archive", "domain": "archive.lib-one.invalid", "endpoint": f"http://{live}"}
    try:
        results = check_slot(parse_slot(slot), timeout=5)
    finally:
        server.shutdown()
        server.server_close()
    assert [(r["family"], r["role"]) for r in results if not r["answers"]] == [("archive", "public"), ("bouncer", "redirector")]
    assert [r["problem"] for r in results if not r["answers"]] == ["unreachable (ConnectionError)"] * 2
