"""hybrid.server.protocol on its own: the reply for each kind of Result, and what a request turns into."""
from __future__ import annotations

import pytest

from hybrid import Result, TraceStep
from hybrid.server import protocol


def result(answer, status, route, **kw) -> Result:
    return Result(question="q?", answer=answer, status=status, route=route, fallback_used=status == "fallback",
                  trace=(TraceStep(node="propose", output="x"),), prompt_tokens=10, completion_tokens=4, **kw)


@pytest.mark.parametrize("res,content,checked", [
    (result("65", "ok", "sympy", confidence=1.0), "65", "verified"),
    (result("C", "ok", "z3", confidence=0.6), "C", "verified"),
    (result("12", "fallback", "fallback"), "12", "unverified"),
    (result(None, "unsure", "none", confidence=0.4), "", "unsure"),
    (result(None, "failed", "none"), "", "none"),
])
def test_the_reply_carries_the_answer_and_how_it_was_checked(res, content, checked):
    reply = protocol.completion(res, request_id="chatcmpl-1", created=5)
    assert reply["id"] == "chatcmpl-1" and reply["created"] == 5 and reply["model"] == "hybrid"
    assert reply["choices"] == [{"index": 0, "message": {"role": "assistant", "content": content},
                                 "logprobs": None, "finish_reason": "stop"}]
    assert reply["usage"] == {"prompt_tokens": 10, "completion_tokens": 4, "total_tokens": 14}
    extra = reply["hybrid"]
    assert (extra["status"], extra["route"], extra["checked"]) == (res.status, res.route, checked)
    assert extra["confidence"] == res.confidence
    assert extra["trace"][0]["node"] == "propose"
    first, last = protocol.chunks(reply)
    assert first["choices"][0]["delta"]["content"] == content and last["choices"][0]["finish_reason"] == "stop"


def test_the_question_is_the_last_user_message_and_text_parts_are_joined():
    item = protocol.parse_chat({"model": "hybrid", "temperature": 1.5, "max_tokens": 3, "messages": [
        {"role": "user", "content": "first?"}, {"role": "assistant", "content": "1"},
        {"role": "user", "content": [{"type": "text", "text": "How many"}, {"type": "text", "text": "apples?"}]},
        {"role": "assistant", "content": None}]})
    assert item == {"question": "How many\napples?", "context": None, "options": None, "kind": None}


def test_context_options_and_kind_come_from_the_extension_field():
    item = protocol.parse_chat({"model": "hybrid", "messages": [{"role": "user", "content": "Which is true?"}],
                                "hybrid": {"context": "Ann is left of Bob.", "options": ["A) x", "B) y"],
                                           "kind": "logic"}})
    assert item == {"question": "Which is true?", "context": "Ann is left of Bob.", "options": ["A) x", "B) y"],
                    "kind": "logic"}


def test_models_lists_one_model_named_hybrid():
    assert [m["id"] for m in protocol.models()["data"]] == ["hybrid"]
