"""`hybrid serve`: the engine as an OpenAI-compatible model named "hybrid".

    from hybrid import Engine
    from hybrid.server import serve
    serve(Engine("qwen2.5-coder-0.5b"), host="127.0.0.1", port=8000, api_key=None)   # blocks; Ctrl-C stops

Any OpenAI client can then use the solver-checked engine as a drop-in model:
`OpenAI(base_url="http://127.0.0.1:8000/v1", api_key=KEY).chat.completions.create(model="hybrid",
messages=[{"role": "user", "content": QUESTION}])` answers with the engine's answer as the message and
the route, status, confidence and trace in the reply's `hybrid` field (hybrid.server.protocol).
Concurrent requests share one engine, batched across requests (hybrid.server.batcher); the HTTP side and
its limits are hybrid.server.http. Loopback by default; with `api_key` every route but /health needs
`Authorization: Bearer KEY`. `make_server` builds the same server without blocking (embedding, tests).
"""
from __future__ import annotations

import logging
import signal
import sys
import threading
from typing import Any, Callable

from hybrid.server.batcher import RequestBatcher
from hybrid.server.http import EngineServer

__all__ = ["make_server", "serve", "EngineServer"]

MAX_BODY_BYTES = 1 << 20      # a question (8,000 chars) and a context (20,000) fit many times over
MAX_CONNECTIONS = 256         # connection threads at once; more get a 503
LOOPBACK = ("127.0.0.1", "localhost", "::1")


def make_server(engine: Any, *, host: str = "127.0.0.1", port: int = 8000, api_key: str | None = None,
                max_batch: int | None = None, window_s: float = 0.02, max_queue: int = 1024,
                max_body_bytes: int = MAX_BODY_BYTES, max_connections: int = MAX_CONNECTIONS,
                request_timeout_s: float = 600.0, read_timeout_s: float = 30.0) -> EngineServer:
    """A bound, not yet serving server for `engine` (port 0 picks a free port: see `server.url`).

    max_batch: questions per solve_many call (default: the engine's batch_size); window_s: how long the
    first waiting request waits for others to share its batch; max_queue: waiting requests before 503.
    """
    batcher = RequestBatcher(engine, max_batch=max_batch, window_s=window_s, max_queue=max_queue)
    try:
        return EngineServer((host, int(port)), batcher, api_key=api_key, max_body_bytes=max_body_bytes,
                            max_connections=max_connections, request_timeout_s=request_timeout_s,
                            read_timeout_s=read_timeout_s)
    except BaseException:
        batcher.close()
        raise


def serve(engine: Any, *, host: str = "127.0.0.1", port: int = 8000, api_key: str | None = None,
          on_ready: Callable[[EngineServer], None] | None = None, **options: Any) -> None:
    """Serve `engine` until SIGINT or SIGTERM (see `make_server` for the options); logs to stderr."""
    if not logging.getLogger("hybrid.server").handlers:
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(logging.Formatter("%(asctime)s %(message)s", "%H:%M:%S"))
        logging.getLogger("hybrid.server").addHandler(handler)
        logging.getLogger("hybrid.server").setLevel(logging.INFO)
    server = make_server(engine, host=host, port=port, api_key=api_key, **options)
    stop = threading.Event()

    def _stop(*_args) -> None:
        if not stop.is_set():
            stop.set()
            threading.Thread(target=server.shutdown, daemon=True).start()

    previous = {}
    if threading.current_thread() is threading.main_thread():
        for sig in (signal.SIGINT, signal.SIGTERM):
            previous[sig] = signal.signal(sig, _stop)
    try:
        if on_ready is not None:
            on_ready(server)
        server.serve_forever(poll_interval=0.2)
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
        server.close()


def is_loopback(host: str) -> bool:
    return host in LOOPBACK or host.startswith("127.")
