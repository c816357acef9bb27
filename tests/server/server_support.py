"""Helpers for the server tests: a scripted engine whose answer tells which request it belongs to, and a raw
HTTP client (http.client, so a test controls every byte and header it sends)."""
from __future__ import annotations

import http.client
import json
import re
from urllib.parse import urlsplit

from hybrid import Engine
from hybrid.lm import ScriptedLM

QUESTION = re.compile(r"What is (\d+) plus (\d+)\?")


def question(i: int) -> str:
    """The i-th request's question; its answer, 1000 + 8 i, is different for every i."""
    return f"What is {1000 + i} plus {7 * i}?"


def answer(i: int) -> str:
    return str(1000 + 8 * i)


def program_for(prompt: str) -> str:
    """The scripted model: a program adding the two numbers of the last question in the prompt."""
    found = QUESTION.findall(prompt)
    if not found:
        return "I cannot tell."
    a, b = found[-1]
    return f"```python\na = {a}\nb = {b}\nanswer = a + b\n```"


def scripted_engine(*, record: bool = True, **settings) -> Engine:
    settings.setdefault("max_repairs", 0)
    return Engine(ScriptedLM(respond=program_for, name="scripted", record=record), **settings)


def chat_body(text: str, **extra) -> dict:
    return dict(model="hybrid", messages=[{"role": "user", "content": text}], **extra)


class Client:
    """One keep-alive connection to a server; `request` returns (status, headers, decoded body or text)."""

    def __init__(self, base_url: str, timeout: float = 30.0) -> None:
        parts = urlsplit(base_url)
        self.conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=timeout)

    def request(self, method: str, path: str, body=None, headers: dict | None = None):
        data = body if isinstance(body, (bytes, type(None))) else json.dumps(body).encode()
        self.conn.request(method, path, body=data, headers=dict({"Content-Type": "application/json"}, **(headers or {})))
        response = self.conn.getresponse()
        raw = response.read()
        try:
            decoded = json.loads(raw)
        except ValueError:
            decoded = raw.decode("utf-8", "replace")
        if response.getheader("Connection", "").lower() == "close":
            self.conn.close()
        return response.status, dict(response.getheaders()), decoded

    def close(self) -> None:
        self.conn.close()
