"""OpenAICompatLM: the chat-completions API of vLLM, `transformers serve`, llama.cpp, Ollama or a hosted API.

Built on the `openai` Python SDK, which owns the HTTP: its timeouts, its retries with exponential backoff
and jitter (408, 409, 429, 5xx, timeouts and dropped connections; Retry-After honoured) and its typed
errors. What this class adds: prompts of a batch run concurrently up to `max_concurrency` (order kept),
`n` samples even from servers that ignore `n` (Ollama, `transformers serve`), stop strings cut locally as
well (the API takes four; some servers leave the stop string in the text), token counts from `usage`, a
retry of a 200 whose body is not a chat completion, and every failure as one `ModelError` line that says
which URL did what. The key is read from an environment variable (HYBRID_API_KEY, then OPENAI_API_KEY),
never passed as an argument; without one it sends the placeholder "EMPTY" (local servers take any key).
It does not stream.
"""
from __future__ import annotations

import os
import random
import time
from concurrent.futures import ThreadPoolExecutor
from typing import Any, Sequence

from hybrid.lm.base import Generation, Prompt
from hybrid.lm.errors import ModelError
from hybrid.lm.scripted import cut_at_stop

RETRY_STATUS = {408, 409, 425, 429, 500, 502, 503, 504}  # what the SDK retries (it retries every 5xx)
MAX_API_STOPS = 4  # the OpenAI API accepts at most four stop strings; the rest are cut client-side
NO_KEY = "EMPTY"


class _Malformed(Exception):
    """A 200 whose body is not a chat completion (the SDK does not retry these; we do)."""


def _messages(prompt: Prompt) -> list[dict]:
    if isinstance(prompt, str):
        return [{"role": "user", "content": prompt}]
    return [{"role": str(m["role"]), "content": str(m.get("content", ""))} for m in prompt]


def _one_line(text: Any, limit: int = 300) -> str:
    line = " ".join(str(text).split())
    return line if len(line) <= limit else line[:limit] + "..."


def _detail(exc) -> str:
    """The server's own words in an error body: OpenAI's {"error": {"message"}}, FastAPI's {"detail"}."""
    body = getattr(exc, "body", None)
    if isinstance(body, dict):
        inner = body.get("error", body)
        if isinstance(inner, dict) and (inner.get("message") or inner.get("detail")):
            return _one_line(inner.get("message") or inner.get("detail"))
        if isinstance(inner, str):
            return _one_line(inner)
    response = getattr(exc, "response", None)
    text = getattr(response, "text", "") if response is not None else ""
    return _one_line(text or getattr(exc, "message", "") or type(exc).__name__, 200)


def _checked(completion) -> list[str]:
    """The texts of a completion's choices, or _Malformed."""
    choices = getattr(completion, "choices", None)
    if not isinstance(choices, list) or not choices:
        raise _Malformed(f"no choices in {str(completion)[:120]!r}")
    texts = []
    for choice in choices:
        content = getattr(getattr(choice, "message", None), "content", "")
        if content is not None and not isinstance(content, str):
            raise _Malformed(f"a choice without text: {str(choice)[:120]!r}")
        texts.append(content or "")
    return texts


class OpenAICompatLM:
    """A model served over the OpenAI chat-completions API. See the module docstring."""

    def __init__(
        self,
        model: str,
        *,
        base_url: str = "https://api.openai.com/v1",
        api_key_env: str | None = None,
        max_concurrency: int = 8,
        timeout_s: float = 600.0,  # the SDK's own default: a CPU server with long prompts is slow
        max_retries: int = 4,
        name: str | None = None,
        extra_body: dict | None = None,
    ) -> None:
        import openai

        self.model = model
        self.name = name or f"openai:{model}"
        self.base_url = base_url.rstrip("/")
        envs = [api_key_env] if api_key_env else ["HYBRID_API_KEY", "OPENAI_API_KEY"]
        self.api_key_env = next((e for e in envs if os.environ.get(e)), envs[0])
        self.max_concurrency = max(1, int(max_concurrency))
        self.timeout_s = float(timeout_s)
        self.max_retries = max(0, int(max_retries))
        self.extra_body = dict(extra_body or {})
        self._openai = openai
        self.client = openai.OpenAI(api_key=os.environ.get(self.api_key_env) or NO_KEY, base_url=self.base_url,
                                    timeout=self.timeout_s, max_retries=self.max_retries)

    @property
    def url(self) -> str:
        return f"{self.base_url}/chat/completions"

    def _error(self, exc: Exception) -> ModelError:
        """One line for a failure the SDK gave up on (it has already retried what is worth retrying)."""
        openai = self._openai
        tries = f" (gave up after {self.max_retries + 1} tries)"
        if isinstance(exc, openai.APITimeoutError):
            return ModelError(f"{self.url} timed out after {self.timeout_s:g}s{tries}")
        if isinstance(exc, openai.APIConnectionError):
            reason = exc.__cause__ or exc.__context__ or exc
            return ModelError(f"cannot reach {self.url}: {_one_line(reason, 200) or 'connection error'}{tries}")
        if isinstance(exc, openai.APIStatusError):
            code = exc.status_code
            message = f"{self.url} answered HTTP {code}: {_detail(exc)}"
            if code in (401, 403):
                message += f" (set {self.api_key_env})"
            elif code in RETRY_STATUS or code >= 500:
                message += tries
            return ModelError(message)
        return ModelError(f"{self.url}: {_one_line(exc, 200)}")

    def _create(self, request: dict) -> tuple[list[str], Any]:
        """One chat completion (the SDK's retries inside), a malformed body retried here; (texts, usage)."""
        openai = self._openai
        for attempt in range(self.max_retries + 1):
            try:
                completion = self.client.chat.completions.create(**request)
                return _checked(completion), getattr(completion, "usage", None)
            except (_Malformed, ValueError, openai.APIResponseValidationError) as exc:
                if attempt == self.max_retries:
                    raise ModelError(f"{self.url} returned a malformed body: {_one_line(exc, 160)} "
                                     f"(gave up after {attempt + 1} tries)") from None
                time.sleep(min(0.5 * 2 ** attempt, 8.0) * (0.75 + 0.25 * random.random()))
            except openai.OpenAIError as exc:
                raise self._error(exc) from None
        raise AssertionError("unreachable")

    def _one(self, prompt: Prompt, *, max_new_tokens, temperature, top_p, n, stop, seed) -> Generation:
        began = time.perf_counter()
        body = dict(model=self.model, messages=_messages(prompt), max_tokens=max_new_tokens,
                    temperature=temperature, top_p=top_p)
        if stop:
            body["stop"] = list(stop)[:MAX_API_STOPS]
        if self.extra_body:
            body["extra_body"] = dict(self.extra_body)
        texts: list[str] = []
        prompt_tokens = completion_tokens = 0
        tries = 0
        while len(texts) < n and tries <= n:  # servers without `n` answer one choice: ask again
            want = n - len(texts)
            request = dict(body, n=want, seed=seed + tries) if want > 1 else dict(body, seed=seed + tries)
            choices, usage = self._create(request)
            texts += [cut_at_stop(text, stop) for text in choices[:want]]
            prompt_tokens = int(getattr(usage, "prompt_tokens", 0) or prompt_tokens)
            completion_tokens += int(getattr(usage, "completion_tokens", 0) or 0)
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
