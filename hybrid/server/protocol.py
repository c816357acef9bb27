"""The OpenAI chat-completions wire format of `hybrid serve`, as pure functions (no sockets here).

`parse_chat(body)` turns a decoded request body into the engine's item, or raises `RequestError` with the
HTTP status and the OpenAI-style error it should answer. The question is the last user message (its text,
or its text parts joined); earlier messages, system prompts and sampling fields (temperature, max_tokens,
top_p, seed, stop, ...) are accepted and ignored: decoding is the engine's settings, fixed when it starts.
An optional extension object, `"hybrid": {"context": ..., "options": [...], "kind": "math" | "logic"}`,
carries a logic question's facts and lettered options (`extra_body` in the openai SDK).
`completion(result, ...)` is the reply: the answer as the assistant message (empty when there is none),
and `"hybrid"` with the route, status, confidence, checked, repairs and trace. `confidence` is the
engine's own (`Result.confidence`: the answer's share of the programs written for it; None for plain
reasoning); `checked` says how the answer was checked: "verified" (a solver's answer passed
verification), "unverified" (plain reasoning answered after the symbolic route was exhausted), "unsure"
(asked to abstain, the engine would not guess) or "none" (no answer).
"""
from __future__ import annotations

import time
import uuid
from dataclasses import asdict
from typing import Any

MODEL_ID = "hybrid"
CREATED = 1_767_225_600  # 2026-01-01, the model's fixed "created" time in GET /v1/models


class RequestError(Exception):
    """A request that gets an error reply: HTTP status, message, OpenAI error type, code and param."""

    def __init__(self, status: int, message: str, *, type: str = "invalid_request_error",
                 code: str | None = None, param: str | None = None) -> None:
        super().__init__(message)
        self.status, self.message, self.type, self.code, self.param = status, message, type, code, param

    def body(self) -> dict:
        return error_body(self.message, type=self.type, code=self.code, param=self.param)


def error_body(message: str, *, type: str = "invalid_request_error", code: str | None = None,
               param: str | None = None) -> dict:
    """An OpenAI-style error object."""
    return {"error": {"message": message, "type": type, "param": param, "code": code}}


def _bad(message: str, param: str | None = None, code: str | None = None) -> RequestError:
    return RequestError(400, message, param=param, code=code)


def _text(content: Any, param: str) -> str:
    """A message's text: a string, or the text parts of a content list joined by newlines."""
    if isinstance(content, str):
        return content
    if isinstance(content, list):
        texts = []
        for i, part in enumerate(content):
            if not isinstance(part, dict) or part.get("type") != "text" or not isinstance(part.get("text"), str):
                raise _bad(f"{param}[{i}] must be a text part ({{\"type\": \"text\", \"text\": ...}})", f"{param}[{i}]")
            texts.append(part["text"])
        return "\n".join(texts)
    raise _bad(f"{param} must be a string or a list of text parts", param)


def _encodable(text: str, param: str) -> str:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        raise _bad(f"{param} is not valid Unicode (a lone surrogate)", param) from None
    return text


def parse_chat(body: Any) -> dict:
    """The engine item of a chat-completions request body, or RequestError (see the module docstring)."""
    from hybrid.engine import InvalidQuestion, validate

    if not isinstance(body, dict):
        raise _bad("the request body must be a JSON object")
    model = body.get("model")
    if not isinstance(model, str) or not model:
        raise _bad("you must provide a model parameter", "model")
    if model != MODEL_ID:
        raise RequestError(404, f"The model '{model[:100]}' does not exist; this server serves '{MODEL_ID}'",
                           param="model", code="model_not_found")
    messages = body.get("messages")
    if not isinstance(messages, list) or not messages:
        raise _bad("messages must be a non-empty list of {\"role\", \"content\"} objects", "messages")
    question = None
    for i in range(len(messages) - 1, -1, -1):
        message = messages[i]
        if not isinstance(message, dict) or not isinstance(message.get("role"), str):
            raise _bad(f"messages[{i}] must be an object with a role", f"messages[{i}]")
        if message["role"] == "user" and question is None:
            question = _encodable(_text(message.get("content"), f"messages[{i}].content"), f"messages[{i}].content")
    if question is None:
        raise _bad("messages must include a user message (the question)", "messages")
    if body.get("n") not in (None, 1):
        raise _bad("n must be 1: the engine gives one answer per question", "n")
    if not isinstance(body.get("stream", False), bool):
        raise _bad("stream must be true or false", "stream")
    extra = body.get("hybrid") or {}
    if not isinstance(extra, dict):
        raise _bad("hybrid must be an object with optional context, options and kind", "hybrid")
    context, options, kind = extra.get("context"), extra.get("options"), extra.get("kind")
    if kind not in (None, "math", "logic"):
        raise _bad("hybrid.kind must be math or logic", "hybrid.kind")
    try:
        question = validate(question, context=context, options=options)
        for i, text in enumerate([context or "", *(options or [])]):
            _encodable(text, "hybrid.context" if i == 0 else f"hybrid.options[{i - 1}]")
    except InvalidQuestion as exc:
        raise _bad(str(exc), "messages") from None
    return dict(question=question, context=context, options=list(options) if options else None, kind=kind)


def checked(result: Any) -> str:
    """How the answer was checked: verified | unverified | unsure | none (see the module docstring)."""
    if result.status == "unsure":
        return "unsure"
    if result.answer is None or result.status == "failed":
        return "none"
    return "verified" if result.status == "ok" else "unverified"


def details(result: Any) -> dict:
    """The `hybrid` field of a reply: how the engine reached its answer."""
    return {"status": result.status, "route": result.route, "confidence": result.confidence,
            "checked": checked(result),
            "answer": result.answer, "answers": dict(result.answers), "fallback_used": result.fallback_used,
            "repairs": result.repairs, "program": result.program, "seconds": result.seconds,
            "question": result.question, "trace": [asdict(step) for step in result.trace]}


def completion(result: Any, *, request_id: str | None = None, created: int | None = None) -> dict:
    """The chat.completion reply for one engine Result."""
    return {
        "id": request_id or f"chatcmpl-{uuid.uuid4().hex}",
        "object": "chat.completion",
        "created": int(created if created is not None else time.time()),
        "model": MODEL_ID,
        "choices": [{"index": 0, "message": {"role": "assistant", "content": "" if result.answer is None
                                             else str(result.answer)},
                     "logprobs": None, "finish_reason": "stop"}],
        "usage": {"prompt_tokens": result.prompt_tokens, "completion_tokens": result.completion_tokens,
                  "total_tokens": result.prompt_tokens + result.completion_tokens},
        "hybrid": details(result),
    }


def chunks(reply: dict) -> list[dict]:
    """The same reply as `stream: true` sends it: the whole answer in one chunk, then the finish."""
    base = {"id": reply["id"], "object": "chat.completion.chunk", "created": reply["created"], "model": MODEL_ID}
    message = reply["choices"][0]["message"]
    first = dict(base, choices=[{"index": 0, "delta": {"role": "assistant", "content": message["content"]},
                                 "logprobs": None, "finish_reason": None}], hybrid=reply["hybrid"])
    last = dict(base, choices=[{"index": 0, "delta": {}, "logprobs": None, "finish_reason": "stop"}],
                usage=reply["usage"])
    return [first, last]


def models() -> dict:
    """GET /v1/models."""
    return {"object": "list", "data": [{"id": MODEL_ID, "object": "model", "created": CREATED,
                                        "owned_by": "hybrid"}]}
