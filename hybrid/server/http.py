"""The HTTP side of `hybrid serve`: a threaded stdlib server that no request can crash.

Routes: `GET /health` (open), `GET /v1/models` and `POST /v1/chat/completions` (behind the bearer key when
one is set). Every error is an OpenAI-style JSON object: 400 (malformed JSON, a body that breaks
hybrid.server.protocol), 401 (a missing or wrong key), 404 (unknown path or model), 405, 411 (no
Content-Length: chunked bodies are not read), 413 (a body over `max_body_bytes`), 503 (too many
connections or waiting requests), 504 (no answer within `request_timeout_s`), 500 (the engine failed on
this item). Bounds: connections (`max_connections`, one thread each), the time a connection may take to send
a request (`read_timeout_s`), the body size, the queue (hybrid.server.batcher). A reply sent without
reading the whole request closes the connection, so an unread body is never taken for the next request.
Deliberately left out: TLS (put a reverse proxy in front) and token-by-token streaming (`stream: true`
gets the whole answer as one event, then the finish).
"""
from __future__ import annotations

import hmac
import json
import logging
import socket
import threading
import time
from concurrent.futures import TimeoutError as FutureTimeout
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from hybrid.server import protocol
from hybrid.server.batcher import Overloaded, RequestBatcher

log = logging.getLogger("hybrid.server")
_NO_BODY = object()  # _body's "already answered with an error" (a JSON body may be null)


class EngineServer(ThreadingHTTPServer):
    """A ThreadingHTTPServer with a bounded number of connection threads and the engine's batcher."""

    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 128

    def __init__(self, address, batcher: RequestBatcher, *, api_key: str | None, max_body_bytes: int,
                 max_connections: int, request_timeout_s: float, read_timeout_s: float) -> None:
        self.batcher = batcher
        self.api_key = api_key or None
        self.max_body_bytes = int(max_body_bytes)
        self.request_timeout_s = float(request_timeout_s)
        self.read_timeout_s = float(read_timeout_s)
        self._slots = threading.BoundedSemaphore(max(1, int(max_connections)))
        self._thread: threading.Thread | None = None
        self.address_family = socket.AF_INET6 if ":" in address[0] else socket.AF_INET
        super().__init__(address, Handler)

    @property
    def url(self) -> str:
        """The base URL clients use, e.g. http://127.0.0.1:8000/v1."""
        host, port = self.server_address[:2]
        return f"http://{f'[{host}]' if ':' in host else host}:{port}/v1"

    def start(self) -> "EngineServer":
        """Serve in a background thread (embedding, tests); `close()` stops it."""
        self._thread = threading.Thread(target=self.serve_forever, kwargs={"poll_interval": 0.05},
                                        name="hybrid-server", daemon=True)
        self._thread.start()
        return self

    def close(self) -> None:
        """Stop serving (when started with `start`), close the socket, stop the batcher."""
        if self._thread is not None:
            self.shutdown()
            self._thread.join(5)
            self._thread = None
        self.server_close()
        self.batcher.close()

    def __enter__(self) -> "EngineServer":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def process_request(self, request, client_address):
        if not self._slots.acquire(blocking=False):
            _refuse(request)
            self.shutdown_request(request)
            return
        try:
            super().process_request(request, client_address)
        except BaseException:
            self._slots.release()
            raise

    def process_request_thread(self, request, client_address):
        try:
            super().process_request_thread(request, client_address)
        finally:
            self._slots.release()

    def handle_error(self, request, client_address):  # never print tracebacks of client mischief
        log.debug("connection from %s ended with an error", client_address, exc_info=True)


def _refuse(sock) -> None:
    """503 on a connection the server has no thread for (written from the accepting thread, best effort)."""
    body = json.dumps(protocol.error_body("too many connections; retry later", type="server_error",
                                          code="overloaded")).encode()
    head = (f"HTTP/1.1 503 Service Unavailable\r\nContent-Type: application/json\r\nContent-Length: {len(body)}"
            "\r\nRetry-After: 1\r\nConnection: close\r\n\r\n").encode()
    try:
        sock.settimeout(1.0)
        sock.sendall(head + body)
    except OSError:
        pass


class Handler(BaseHTTPRequestHandler):
    """One connection; see the module docstring."""

    protocol_version = "HTTP/1.1"
    server_version = "hybrid"
    sys_version = ""
    server: EngineServer

    def setup(self) -> None:
        self.timeout = self.server.read_timeout_s  # bounds a slow or silent client (socket timeout)
        super().setup()

    def log_message(self, format, *args) -> None:  # noqa: A002 - http.server's signature
        log.debug("%s %s", self.address_string(), format % args)

    # --- replies -------------------------------------------------------------------------------------
    def _send(self, status: int, payload: bytes, content_type: str, headers: dict | None = None) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(payload)))
        for key, value in (headers or {}).items():
            self.send_header(key, value)
        if self.close_connection:
            self.send_header("Connection", "close")
        self.end_headers()
        self.wfile.write(payload)

    def _json(self, status: int, body: dict, headers: dict | None = None) -> None:
        self._send(status, json.dumps(body, default=str).encode("ascii"), "application/json", headers)

    def _error(self, status: int, message: str, *, close: bool = False, headers: dict | None = None,
               type: str = "invalid_request_error", code: str | None = None, param: str | None = None) -> None:
        if close:
            self.close_connection = True
        self._json(status, protocol.error_body(message, type=type, code=code, param=param), headers)

    def send_error(self, code, message=None, explain=None) -> None:  # http.server's own errors, as JSON
        self.close_connection = True
        self.request_version = "HTTP/1.1"  # a status line even for a request line read as HTTP/0.9
        try:
            self._json(code, protocol.error_body(message or self.responses.get(code, ("error",))[0]))
        except OSError:
            pass

    # --- checks --------------------------------------------------------------------------------------
    def _authorized(self) -> bool:
        key = self.server.api_key
        if key is None:
            return True
        given = self.headers.get("Authorization", "")
        scheme, _, token = given.partition(" ")
        if scheme.lower() == "bearer" and hmac.compare_digest(token.strip().encode("utf-8", "replace"),
                                                              key.encode("utf-8")):
            return True
        message = ("Incorrect API key provided." if given else
                   "You didn't provide an API key: send it as 'Authorization: Bearer KEY'.")
        self._error(401, message, close=True, code="invalid_api_key", headers={"WWW-Authenticate": "Bearer"})
        return False

    def _body(self):
        """The decoded JSON body, or _NO_BODY after an error reply."""
        if self.headers.get("Transfer-Encoding"):
            self._error(411, "send the body with a Content-Length (chunked bodies are not read)", close=True)
            return _NO_BODY
        length_text = self.headers.get("Content-Length")
        if length_text is None:
            self._error(411, "a Content-Length header is required", close=True)
            return _NO_BODY
        try:
            length = int(length_text)
            if length < 0:
                raise ValueError
        except ValueError:
            self._error(400, "Content-Length must be a non-negative integer", close=True)
            return _NO_BODY
        if length > self.server.max_body_bytes:
            self._error(413, f"the request body is {length} bytes; the limit is {self.server.max_body_bytes}",
                        close=True, code="request_too_large")
            return _NO_BODY
        raw = self.rfile.read(length)
        if len(raw) < length:
            self.close_connection = True
            return _NO_BODY
        try:
            return json.loads(raw)
        except (ValueError, RecursionError):
            self._error(400, "We could not parse the JSON body of your request.", code="invalid_json")
            return _NO_BODY

    # --- routes --------------------------------------------------------------------------------------
    def do_GET(self) -> None:  # noqa: N802 - http.server's naming
        path = self.path.split("?", 1)[0]
        if path == "/health":
            self._json(200, {"status": "ok"})
        elif path == "/v1/models":
            if self._authorized():
                self._json(200, protocol.models())
        elif path == f"/v1/models/{protocol.MODEL_ID}":
            if self._authorized():
                self._json(200, protocol.models()["data"][0])
        else:
            self._error(404, f"Unknown path {path[:100]}", code="unknown_url")

    def do_POST(self) -> None:  # noqa: N802
        path = self.path.split("?", 1)[0]
        if path != "/v1/chat/completions":
            self._error(404, f"Unknown path {path[:100]}", close=True, code="unknown_url")
            return
        if not self._authorized():
            return
        body = self._body()
        if body is _NO_BODY:
            return
        try:
            item = protocol.parse_chat(body)
        except protocol.RequestError as exc:
            self._json(exc.status, exc.body())
            return
        self._answer(item, stream=body.get("stream") is True)

    def _answer(self, item: dict, *, stream: bool) -> None:
        began = time.perf_counter()
        try:
            future = self.server.batcher.submit(item)
        except Overloaded as exc:
            self._error(503, f"the server is busy: {exc}", type="server_error", code="overloaded",
                        headers={"Retry-After": "1"})
            return
        try:
            result = future.result(timeout=self.server.request_timeout_s)
        except FutureTimeout:
            future.cancel()
            self._error(504, f"no answer within {self.server.request_timeout_s:g}s", type="server_error",
                        code="timeout")
            return
        except Exception as exc:  # noqa: BLE001 - the engine failed on this item: say so, stay up
            self._error(500, f"the engine failed: {' '.join(str(exc).split())[:300] or type(exc).__name__}",
                        type="server_error", code="engine_error")
            return
        reply = protocol.completion(result)
        log.info("answered %r in %.2fs: %s via %s", item["question"][:60], time.perf_counter() - began,
                 result.status, result.route)
        if not stream:
            self._json(200, reply)
            return
        events = "".join(f"data: {json.dumps(chunk, default=str)}\n\n" for chunk in protocol.chunks(reply))
        self._send(200, (events + "data: [DONE]\n\n").encode("ascii"), "text/event-stream",
                   {"Cache-Control": "no-cache"})

    def _not_allowed(self) -> None:
        self._error(405, f"{self.command} is not allowed here", close=True, code="method_not_allowed")

    do_PUT = do_DELETE = do_PATCH = do_HEAD = do_OPTIONS = _not_allowed
