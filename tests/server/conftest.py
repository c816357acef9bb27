"""Fixtures for the `hybrid serve` tests: the real server on loopback (port 0) around a scripted engine."""
from __future__ import annotations

import pytest

from hybrid.server import make_server
from server_support import Client, scripted_engine


@pytest.fixture
def serve_engine():
    """serve_engine(engine=None, **make_server options) -> a started server; all are closed afterwards."""
    servers = []

    def start(engine=None, **options):
        server = make_server(engine or scripted_engine(), host="127.0.0.1", port=0, **options).start()
        servers.append(server)
        return server

    yield start
    for server in servers:
        server.close()


@pytest.fixture
def client():
    clients = []

    def connect(server, **kw):
        c = Client(server.url, **kw)
        clients.append(c)
        return c

    yield connect
    for c in clients:
        c.close()
