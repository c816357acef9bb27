"""OpenAICompatLM: the chat-completions API of vLLM, llama.cpp's server, Ollama or a hosted API.

Each prompt is one POST to `{base_url}/chat/completions`, run concurrently up to `max_concurrency`,
with a timeout and retries with exponential backoff (429, 5xx, timeouts, dropped connections and
malformed bodies); other HTTP errors fail at once. Token counts come from the response's `usage`.
The key is read from an environment variable (HYBRID_API_KEY, then OPENAI_API_KEY), never passed as
an argument. Stdlib only (urllib + threads); it does not stream.
"""
from __future__ import annotations

import json
import os
import random
import socket
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from typing import Sequence

from hybrid.lm.base import Generation, Prompt
from hybrid.lm.errors import ModelError
from hybrid.lm.scripted import cut_at_stop

RETRY_STATUS = {408, 409, 425, 429, 500, 502, 503, 504}
MAX_API_STOPS = 4  # the OpenAI API accepts at most four stop strings; the rest are cut client-side


class _Retryable(Exception):
    """A failure worth another try (rate limit, server error, timeout, malformed body)."""

    def __init__(self, message: str, retry_after: float | None = None):
        super().__init__(message)
        self.retry_after = retry_after


def _messages(prompt: Prompt) -> list[dict]:
    if isinstance(prompt, str):
        return [{"role": "user", "content": prompt}]
    return [{"role": str(m["role"]), "content": str(m.get("content", ""))} for m in prompt]


def _retry_after(headers) -> float | None:
    value = headers.get("Retry-After") if headers else None
    try:
        return max(0.0, float(value)) if value is not None else None
    except ValueError:
        return None


class OpenAICompatLM:
    """A model served over the OpenAI chat-completions API. See the module docstring."""

    def __init__(
        self,
        model: str,
        *,
        base_url: str = "https://api.openai.com/v1",
        api_key_env: str | None = None,
        max_concurrency: int = 8,
        timeout_s: float = 120.0,
        max_retries: int = 4,
        backoff_s: float = 0.5,
        max_backoff_s: float = 20.0,
        name: str | None = None,
        extra_body: dict | None = None,
    ) -> None:
        self.model = model
        self.name = name or f"openai:{model}"
        self.base_url = base_url.rstrip("/")
        envs = [api_key_env] if api_key_env else ["HYBRID_API_KEY", "OPENAI_API_KEY"]
        self.api_key_env = next((e for e in envs if os.environ.get(e)), envs[0])
        self.max_concurrency = max(1, int(max_concurrency))
        self.timeout_s = timeout_s
        self.max_retries = max(0, int(max_retries))
        self.backoff_s = backoff_s
        self.max_backoff_s = max_backoff_s
        self.extra_body = dict(extra_body or {})

    @property
    def url(self) -> str:
        return f"{self.base_url}/chat/completions"

    def _headers(self) -> dict:
        headers = {"Content-Type": "application/json", "Accept": "application/json"}
        key = os.environ.get(self.api_key_env)
        if key:
            headers["Authorization"] = f"Bearer {key}"
        return headers

    def _post_once(self, body: dict) -> dict:
        request = urllib.request.Request(self.url, data=json.dumps(body).encode(), headers=self._headers(),
                                         method="POST")
        try:
            with urllib.request.urlopen(request, timeout=self.timeout_s) as response:
                raw = response.read()
        except urllib.error.HTTPError as exc:
            detail = exc.read().decode("utf-8", "replace")
            try:
                detail = json.loads(detail)["error"]["message"]
            except (ValueError, KeyError, TypeError):
                detail = detail.strip()[:200]
            message = f"{self.url} answered HTTP {exc.code}: {detail}"
            if exc.code in RETRY_STATUS:
                raise _Retryable(message, _retry_after(exc.headers)) from exc
            hint = f" (set {self.api_key_env})" if exc.code in (401, 403) else ""
            raise ModelError(message + hint) from exc
        except (TimeoutError, socket.timeout) as exc:
            raise _Retryable(f"{self.url} timed out after {self.timeout_s:g}s") from exc
        except urllib.error.URLError as exc:
            if isinstance(exc.reason, (TimeoutError, socket.timeout)):
                raise _Retryable(f"{self.url} timed out after {self.timeout_s:g}s") from exc
            raise _Retryable(f"cannot reach {self.url}: {exc.reason}") from exc
        except (ConnectionError, OSError) as exc:
            raise _Retryable(f"connection to {self.url} failed: {exc}") from exc
        try:
            data = json.loads(raw)
            choices = data["choices"]
            [c["message"]["content"] for c in choices]
        except (ValueError, KeyError, TypeError) as exc:
            raise _Retryable(f"{self.url} returned a malformed body: {raw[:120]!r}") from exc
        return data

    def _post(self, body: dict) -> dict:
        for attempt in range(self.max_retries + 1):
            try:
                return self._post_once(body)
            except _Retryable as exc:
                if attempt == self.max_retries:
                    raise ModelError(f"{exc} (gave up after {attempt + 1} tries)") from exc
                wait = exc.retry_after
                if wait is None:
                    wait = self.backoff_s * (2 ** attempt) * (0.5 + random.random())
                time.sleep(min(wait, self.max_backoff_s))
        raise AssertionError("unreachable")

    def _one(self, prompt: Prompt, *, max_new_tokens, temperature, top_p, n, stop, seed) -> Generation:
        began = time.perf_counter()
        body = dict(self.extra_body, model=self.model, messages=_messages(prompt), max_tokens=max_new_tokens,
                    temperature=temperature, top_p=top_p, seed=seed)
        if stop:
            body["stop"] = list(stop)[:MAX_API_STOPS]
        texts: list[str] = []
        prompt_tokens = completion_tokens = 0
        tries = 0
        while len(texts) < n and tries <= n:  # servers without `n` (Ollama) answer one choice: ask again
            want = n - len(texts)
            request = dict(body, n=want, seed=seed + tries) if want > 1 else dict(body, seed=seed + tries)
            data = self._post(request)
            texts += [cut_at_stop(c["message"]["content"] or "", stop) for c in data["choices"][:want]]
            usage = data.get("usage") or {}
            prompt_tokens = int(usage.get("prompt_tokens") or prompt_tokens)
            completion_tokens += int(usage.get("completion_tokens") or 0)
            tries += 1
        if len(texts) < n:
            raise ModelError(f"{self.url} returned {len(texts)} choices where {n} were asked")
        return Generation(tuple(texts), prompt_tokens, completion_tokens, time.perf_counter() - began)

    def generate(
        self,
        prompts: Sequence[Prompt],
        *,
        max_new_tokens: int = 512,
        temperature: float = 0.0,
        top_p: float = 1.0,
        n: int = 1,
        stop: Sequence[str] = (),
        seed: int = 0,
        greedy_first: bool = False,
    ) -> list[Generation]:
        if n < 1:
            raise ValueError("n must be >= 1")
        prompts = list(prompts)
        options = dict(max_new_tokens=max_new_tokens, temperature=temperature, top_p=top_p, n=n,
                       stop=tuple(stop), seed=seed)
        one = self._greedy_then_sampled if greedy_first and n > 1 and temperature > 0 else self._one
        if len(prompts) <= 1:
            return [one(p, **options) for p in prompts]
        with ThreadPoolExecutor(max_workers=min(self.max_concurrency, len(prompts))) as pool:
            return list(pool.map(lambda p: one(p, **options), prompts))

    def _greedy_then_sampled(self, prompt: Prompt, *, n: int, temperature: float, **options) -> Generation:
        """Sample 1 greedy, samples 2..n sampled: two requests (a server with prefix caching prefills once)."""
        greedy = self._one(prompt, n=1, temperature=0.0, **options)
        sampled = self._one(prompt, n=n - 1, temperature=temperature, **options)
        return Generation(greedy.texts + sampled.texts, max(greedy.prompt_tokens, sampled.prompt_tokens),
                          greedy.completion_tokens + sampled.completion_tokens, greedy.seconds + sampled.seconds)
