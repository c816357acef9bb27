"""Fixtures for the LM tests: a loopback HTTP server that replays recorded chat-completions responses."""
from __future__ import annotations

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

FIXTURES = Path(__file__).parent / "fixtures"


def load_fixture(name: str) -> dict:
    return json.loads((FIXTURES / f"{name}.json").read_text())


class ReplayServer:
    """Answers each POST with the next queued fixture (or `default` when the queue is empty)."""

    def __init__(self) -> None:
        self.queue: list[str] = []
        self.default: str | None = None
        self.requests: list[dict] = []
        self.lock = threading.Lock()
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802 (http.server's naming)
                length = int(self.headers.get("Content-Length") or 0)
                body = json.loads(self.rfile.read(length) or b"null")
                with server.lock:
                    server.requests.append(dict(path=self.path, headers={k.lower(): v for k, v in self.headers.items()}, body=body))
                    name = server.queue.pop(0) if server.queue else server.default
                if name is None:
                    self.send_response(404)
                    self.end_headers()
                    return
                fixture = load_fixture(name)
                if "body" in fixture:
                    payload = dict(fixture["body"])
                    if "choices" in payload and isinstance(body, dict):  # echo the prompt for ordering tests
                        payload["choices"] = [
                            dict(c, message=dict(c["message"], content=c["message"]["content"].replace(
                                "{PROMPT}", body["messages"][-1]["content"])))
                            for c in payload["choices"]
                        ]
                    raw = json.dumps(payload).encode()
                else:
                    raw = fixture["raw"].encode()
                time.sleep(fixture.get("delay_s", 0))
                try:
                    self.send_response(fixture["status"])
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(raw)))
                    for key, value in fixture.get("headers", {}).items():
                        self.send_header(key, value)
                    self.end_headers()
                    self.wfile.write(raw)
                except (BrokenPipeError, ConnectionResetError):  # the client timed out and left
                    pass

            def log_message(self, *args):  # keep test output quiet
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.base_url = f"http://127.0.0.1:{self.httpd.server_address[1]}/v1"
        self.thread = threading.Thread(target=self.httpd.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture
def replay_server():
    with ReplayServer() as server:
        yield server
