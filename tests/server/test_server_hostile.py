"""Nothing a client sends crashes `hybrid serve`: a table of bad requests, each answered with an OpenAI-style
error (or a closed connection), and a good request answered after every one of them."""
from __future__ import annotations

import json
import socket
import time

import pytest

from server_support import answer, chat_body, question

# (name, body as JSON-able value or raw bytes, expected status, expected error param or code)
BAD_BODIES = [
    ("not json", b"{'model': 'hybrid'", 400, "invalid_json"),
    ("empty body", b"", 400, "invalid_json"),
    ("invalid utf-8", b'{"model": "hybrid", "messages": "\xff\xfe"}', 400, "invalid_json"),
    ("deep nesting", b"[" * 200_000, 400, "invalid_json"),
    ("a 5000-digit number", b'{"n": ' + b"9" * 5000 + b"}", 400, "invalid_json"),
    ("null", None, 400, None),
    ("an array", [1, 2], 400, None),
    ("no model", {"messages": [{"role": "user", "content": "hi"}]}, 400, "model"),
    ("model not a string", {"model": 7, "messages": []}, 400, "model"),
    ("another model", dict(chat_body("hi"), model="gpt-4o"), 404, "model_not_found"),
    ("no messages", {"model": "hybrid"}, 400, "messages"),
    ("empty messages", {"model": "hybrid", "messages": []}, 400, "messages"),
    ("messages not a list", {"model": "hybrid", "messages": "hi"}, 400, "messages"),
    ("a message not an object", {"model": "hybrid", "messages": ["hi"]}, 400, "messages[0]"),
    ("a message without role", {"model": "hybrid", "messages": [{"content": "hi"}]}, 400, "messages[0]"),
    ("no user message", {"model": "hybrid", "messages": [{"role": "system", "content": "hi"}]}, 400, "messages"),
    ("content a number", {"model": "hybrid", "messages": [{"role": "user", "content": 5}]}, 400,
     "messages[0].content"),
    ("an image part", {"model": "hybrid", "messages": [{"role": "user", "content": [
        {"type": "image_url", "image_url": {"url": "data:,"}}]}]}, 400, "messages[0].content[0]"),
    ("an empty question", chat_body("   "), 400, "messages"),
    ("a question over the limit", chat_body("x" * 9000), 400, "messages"),
    ("a lone surrogate", b'{"model": "hybrid", "messages": [{"role": "user", "content": "\\ud800 apples?"}]}',
     400, "messages[0].content"),
    ("n of 2", chat_body("hi", n=2), 400, "n"),
    ("stream not a boolean", chat_body("hi", stream="yes"), 400, "stream"),
    ("hybrid not an object", chat_body("hi", hybrid=[1]), 400, "hybrid"),
    ("a bad kind", chat_body("hi", hybrid={"kind": "poetry"}), 400, "hybrid.kind"),
    ("options not texts", chat_body("hi", hybrid={"options": [1, 2]}), 400, "messages"),
    ("context not text", chat_body("hi", hybrid={"context": {"a": 1}}), 400, "messages"),
    ("a surrogate in an option", b'{"model": "hybrid", "messages": [{"role": "user", "content": "Which?"}], '
     b'"hybrid": {"options": ["A) \\udfff"]}}', 400, "hybrid.options[0]"),
]

# (name, raw bytes sent on a fresh connection, expected status or None for "closed without a reply")
BAD_REQUESTS = [
    ("no content-length", b"POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\n\r\n{}", 411),
    ("chunked", b"POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n2\r\n{}\r\n0\r\n\r\n", 411),
    ("content-length not a number", b"POST /v1/chat/completions HTTP/1.1\r\nContent-Length: abc\r\n\r\n", 400),
    ("negative content-length", b"POST /v1/chat/completions HTTP/1.1\r\nContent-Length: -5\r\n\r\n", 400),
    ("a body shorter than said", b"POST /v1/chat/completions HTTP/1.1\r\nContent-Length: 100\r\n\r\n{}", None),
    ("a garbage request line", b"\x00\xff\xfe garbage\r\n\r\n", 400),
    ("an unknown method", b"BREW /v1/chat/completions HTTP/1.1\r\n\r\n", 501),
    ("put", b"PUT /v1/chat/completions HTTP/1.1\r\nContent-Length: 0\r\n\r\n", 405),
    ("an unknown path", b"GET /v2/secret HTTP/1.1\r\n\r\n", 404),
    ("post to an unknown path", b"POST /v1/completions HTTP/1.1\r\nContent-Length: 2\r\n\r\n{}", 404),
    ("a header line of 70,000 bytes", b"GET /health HTTP/1.1\r\nX-Big: " + b"a" * 70_000 + b"\r\n\r\n", 431),
    ("a request line of 70,000 bytes", b"GET /" + b"a" * 70_000 + b" HTTP/1.1\r\n\r\n", 414),
    ("http/0.9", b"GET /health\r\n", None),
]


def raw_exchange(server, data: bytes, timeout: float = 5.0) -> bytes:
    host, port = server.server_address[:2]
    with socket.create_connection((host, port), timeout=timeout) as sock:
        sock.sendall(data)
        if b"shorter" not in data:
            try:
                sock.shutdown(socket.SHUT_WR)
            except OSError:
                pass
        chunks = []
        try:
            while True:
                chunk = sock.recv(65536)
                if not chunk:
                    break
                chunks.append(chunk)
        except (socket.timeout, ConnectionResetError):
            pass
    return b"".join(chunks)


@pytest.fixture(scope="module")
def server():
    from hybrid.server import make_server
    from server_support import scripted_engine

    with make_server(scripted_engine(), port=0, read_timeout_s=1.0).start() as running:
        yield running


def still_answers(server, client) -> None:
    status, _, reply = client(server).request("POST", "/v1/chat/completions", chat_body(question(3)))
    assert status == 200 and reply["choices"][0]["message"]["content"] == answer(3)


@pytest.mark.parametrize("name,body,status,where", BAD_BODIES, ids=[row[0] for row in BAD_BODIES])
def test_bad_bodies_get_openai_style_errors(server, client, name, body, status, where):
    got, _, reply = client(server).request("POST", "/v1/chat/completions", body if isinstance(body, bytes)
                                           else json.dumps(body).encode())
    assert got == status, reply
    error = reply["error"]
    assert isinstance(error["message"], str) and error["message"] and error["type"] == "invalid_request_error"
    assert where in (error["param"], error["code"]), error
    still_answers(server, client)


@pytest.mark.parametrize("name,data,status", BAD_REQUESTS, ids=[row[0] for row in BAD_REQUESTS])
def test_malformed_http_gets_an_error_or_a_closed_connection(server, client, name, data, status):
    reply = raw_exchange(server, data)
    if status is None:
        assert not reply.startswith(b"HTTP/1.1 200"), reply[:200]
    else:
        head, _, body = reply.partition(b"\r\n\r\n")
        assert head.startswith(f"HTTP/1.1 {status} ".encode()) or head.startswith(f"HTTP/1.0 {status} ".encode()), head
        assert json.loads(body)["error"]["message"]
    still_answers(server, client)


def test_a_silent_client_is_dropped_and_others_are_served(server, client):
    host, port = server.server_address[:2]
    began = time.monotonic()
    with socket.create_connection((host, port), timeout=10) as sock:
        sock.sendall(b"POST /v1/chat/completions HTTP/1.1\r\nContent-Length: 50\r\n\r\n{")  # then nothing
        still_answers(server, client)  # served meanwhile
        assert sock.recv(100) == b""  # the server hung up after its read timeout (1 s here)
    assert time.monotonic() - began < 5
