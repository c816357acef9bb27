"""`hybrid serve` over loopback: an OpenAI client's drop-in model, the key, the limits, batching across requests."""
from __future__ import annotations

import threading
import time

import openai
import pytest

from hybrid import Engine
from hybrid.lm import ScriptedLM
from server_support import answer, chat_body, program_for, question


def test_the_openai_sdk_uses_it_as_a_drop_in_model(serve_engine):
    server = serve_engine()
    sdk = openai.OpenAI(base_url=server.url, api_key="unused", max_retries=0)
    assert [m.id for m in sdk.models.list()] == ["hybrid"]
    reply = sdk.chat.completions.create(model="hybrid", messages=[
        {"role": "system", "content": "Be brief."}, {"role": "user", "content": "What is 1 plus 1?"},
        {"role": "assistant", "content": "2"}, {"role": "user", "content": question(5)}], temperature=0.3)
    assert reply.model == "hybrid" and reply.object == "chat.completion"
    assert reply.choices[0].message.content == answer(5) and reply.choices[0].finish_reason == "stop"
    extra = reply.model_extra["hybrid"]
    assert (extra["status"], extra["route"], extra["checked"], extra["confidence"]) == ("ok", "sympy", "verified", 1.0)
    assert extra["question"] == question(5)  # the last user message, not the earlier one
    assert [step["node"] for step in extra["trace"]] == ["propose", "sympy", "verify", "answer"]
    assert reply.usage.completion_tokens > 0 and reply.usage.total_tokens == (
        reply.usage.prompt_tokens + reply.usage.completion_tokens)


def test_streaming_clients_get_the_answer_in_one_event(serve_engine):
    server = serve_engine()
    sdk = openai.OpenAI(base_url=server.url, api_key="unused", max_retries=0)
    events = list(sdk.chat.completions.create(model="hybrid", stream=True,
                                              messages=[{"role": "user", "content": question(2)}]))
    assert "".join(e.choices[0].delta.content or "" for e in events if e.choices) == answer(2)
    assert events[-1].choices[0].finish_reason == "stop"


def test_a_logic_question_takes_context_and_options_in_the_hybrid_field(serve_engine, client):
    program = ("```python\nfrom z3 import *\na, b = Ints('a b')\nsolver = Solver()\n"
               "solver.add(a >= 1, a <= 2, b >= 1, b <= 2)\nsolver.add(Distinct([a, b]))\nsolver.add(a < b)\n"
               "options = {\"A\": a == 1, \"B\": b == 1}\n```")
    server = serve_engine(Engine(ScriptedLM(respond=lambda prompt: program), max_repairs=0))
    status, _, body = client(server).request("POST", "/v1/chat/completions", chat_body(
        "Which of the following is true?",
        hybrid={"context": "Ann is left of Bob.", "options": ["A) Ann is leftmost.", "B) Bob is leftmost."]}))
    assert status == 200, body
    assert body["choices"][0]["message"]["content"] == "A" and body["hybrid"]["route"] == "z3"


def test_health_is_open_and_everything_else_needs_the_key(serve_engine, client):
    server = serve_engine(api_key="s3cret")
    c = client(server)
    assert c.request("GET", "/health")[:3:2] == (200, {"status": "ok"})
    for headers in ({}, {"Authorization": "Bearer wrong"}, {"Authorization": "s3cret"},
                    {"Authorization": "Basic s3cret"}):
        for method, path, body in (("GET", "/v1/models", None),
                                   ("POST", "/v1/chat/completions", chat_body(question(1)))):
            status, got_headers, reply = client(server).request(method, path, body, headers)
            assert status == 401 and reply["error"]["code"] == "invalid_api_key", (headers, reply)
            assert got_headers.get("WWW-Authenticate") == "Bearer"
    good = {"Authorization": "Bearer s3cret"}
    assert c.request("GET", "/v1/models", headers=good)[0] == 200
    status, _, reply = c.request("POST", "/v1/chat/completions", chat_body(question(1)), good)
    assert status == 200 and reply["choices"][0]["message"]["content"] == answer(1)
    sdk = openai.OpenAI(base_url=server.url, api_key="wrong", max_retries=0)
    with pytest.raises(openai.AuthenticationError):
        sdk.models.list()


def test_an_oversized_body_gets_413_without_being_read(serve_engine, client):
    server = serve_engine(max_body_bytes=10_000)
    status, headers, reply = client(server).request(
        "POST", "/v1/chat/completions", chat_body("What is " + "1 plus " * 5000 + "1?"))
    assert status == 413 and reply["error"]["code"] == "request_too_large" and headers["Connection"] == "close"
    # a Content-Length that lies about a huge body is refused the same way, before any read
    status, _, reply = client(server).request("POST", "/v1/chat/completions", b"{}",
                                              {"Content-Length": str(10 ** 12)})
    assert status == 413


def test_many_concurrent_requests_share_one_solve_many_call(serve_engine, client):
    server = serve_engine(window_s=0.5)  # long enough that all four arrive within the first one's window
    replies = {}
    barrier = threading.Barrier(4)

    def ask(i):
        c = client(server)
        barrier.wait()
        replies[i] = c.request("POST", "/v1/chat/completions", chat_body(question(i)))

    threads = [threading.Thread(target=ask, args=(i,)) for i in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert {i: r[2]["choices"][0]["message"]["content"] for i, r in replies.items()} == {i: answer(i) for i in range(4)}
    assert server.batcher.batches == [4]
    assert server.batcher.engine.last_batch_calls == [4]  # and one model call for the four propose steps


def test_an_item_that_breaks_the_engine_fails_alone(serve_engine, client):
    def respond(prompt):
        if "666" in prompt:
            raise RuntimeError("the model fell over")
        return program_for(prompt)

    server = serve_engine(Engine(ScriptedLM(respond=respond), max_repairs=0), window_s=0.5)
    replies = {}

    def ask(text):
        replies[text] = client(server).request("POST", "/v1/chat/completions", chat_body(text))

    texts = [question(1), "What is 666 plus 1?", question(3)]
    threads = [threading.Thread(target=ask, args=(t,)) for t in texts]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    bad = replies.pop("What is 666 plus 1?")
    assert bad[0] == 500 and bad[2]["error"]["message"] == "the engine failed: the model fell over"
    assert {r[2]["choices"][0]["message"]["content"] for r in replies.values()} == {answer(1), answer(3)}
    assert server.batcher.batches[0] == 3  # tried together first, then one by one


def test_a_full_queue_answers_503_and_the_server_goes_on(serve_engine, client):
    gate = threading.Event()

    def respond(prompt):
        gate.wait(10)
        return program_for(prompt)

    server = serve_engine(Engine(ScriptedLM(respond=respond), max_repairs=0), max_batch=1, max_queue=1,
                          window_s=0.0)
    results = []

    def ask(i):
        results.append(client(server).request("POST", "/v1/chat/completions", chat_body(question(i)))[0])

    def until(condition):
        deadline = time.monotonic() + 5
        while not condition() and time.monotonic() < deadline:
            time.sleep(0.01)

    first = threading.Thread(target=ask, args=(1,))
    first.start()
    until(lambda: server.batcher.batches == [1])  # running, held at the gate
    second = threading.Thread(target=ask, args=(2,))
    second.start()
    until(lambda: server.batcher._queue.qsize() == 1)  # waiting in the full queue
    status, headers, reply = client(server).request("POST", "/v1/chat/completions", chat_body(question(9)))
    assert status == 503 and reply["error"]["code"] == "overloaded" and headers["Retry-After"] == "1"
    gate.set()
    first.join(30)
    second.join(30)
    assert results == [200, 200]
