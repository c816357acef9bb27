"""OpenAICompatLM against a loopback server replaying chat-completions responses (tests/lm/fixtures)."""
from __future__ import annotations

import time

import pytest

from hybrid.lm import Generation, ModelError, get_lm
from hybrid.lm.openai_lm import OpenAICompatLM


def make(server, **kw) -> OpenAICompatLM:
    return OpenAICompatLM("gpt-4o-mini", base_url=server.base_url, **kw)


def test_success_parses_text_tokens_and_cuts_stop(replay_server):
    replay_server.queue = ["chat_ok"]
    [gen] = make(replay_server).generate(["What is 3*4+2?"], max_new_tokens=64, stop=["```output"])
    assert isinstance(gen, Generation)
    assert gen.texts == ("x = 3 * 4\nanswer = x + 2\n",)
    assert (gen.prompt_tokens, gen.completion_tokens) == (27, 14)
    assert gen.seconds > 0
    request = replay_server.requests[0]
    assert request["path"] == "/v1/chat/completions"
    body = request["body"]
    assert body["model"] == "gpt-4o-mini"
    assert body["messages"] == [{"role": "user", "content": "What is 3*4+2?"}]
    assert body["max_tokens"] == 64 and body["temperature"] == 0.0 and body["stop"] == ["```output"]
    assert body["seed"] == 0 and "n" not in body


def test_chat_messages_are_sent_as_given(replay_server):
    replay_server.default = "chat_ok"
    messages = [{"role": "system", "content": "Be brief."}, {"role": "user", "content": "Hi"}]
    make(replay_server).generate([messages])
    assert replay_server.requests[0]["body"]["messages"] == messages


def test_stop_list_is_truncated_to_four_for_the_api_but_all_are_cut_locally(replay_server):
    replay_server.queue = ["chat_ok"]
    [gen] = make(replay_server).generate(["q"], stop=["a", "b", "c", "d", "answer"])
    assert replay_server.requests[0]["body"]["stop"] == ["a", "b", "c", "d"]
    assert gen.text == "x = 3 * 4\n"


def test_n_samples_from_one_request(replay_server):
    replay_server.queue = ["chat_n2"]
    [gen] = make(replay_server).generate(["q"], n=2, temperature=0.7)
    assert gen.texts == ("The answer is 14.", "The answer is 12.")
    assert gen.completion_tokens == 14 and gen.prompt_tokens == 31
    assert replay_server.requests[0]["body"]["n"] == 2


def test_greedy_first_asks_once_greedily_then_for_the_other_samples(replay_server):
    replay_server.queue = ["chat_ok", "chat_n2"]
    [gen] = make(replay_server).generate(["q"], n=3, temperature=0.7, top_p=0.9, greedy_first=True)
    assert len(gen.texts) == 3 and gen.texts[1:] == ("The answer is 14.", "The answer is 12.")
    first, rest = (r["body"] for r in replay_server.requests)
    assert first["temperature"] == 0.0 and "n" not in first
    assert rest["temperature"] == 0.7 and rest["n"] == 2 and rest["top_p"] == 0.9


def test_n_samples_from_a_server_that_ignores_n(replay_server):
    replay_server.default = "chat_ollama"  # one choice per answer, like Ollama
    [gen] = make(replay_server).generate(["q"], n=3, temperature=0.7, seed=5)
    assert gen.texts == ("Sample from Ollama.",) * 3
    assert gen.completion_tokens == 15
    assert [r["body"]["seed"] for r in replay_server.requests] == [5, 6, 7]


def test_batch_keeps_order_under_concurrency(replay_server):
    replay_server.default = "chat_echo"
    prompts = [f"question {i}" for i in range(20)]
    gens = make(replay_server, max_concurrency=4).generate(prompts)
    assert [g.text for g in gens] == [f"reply to: question {i}" for i in range(20)]
    assert all(g.prompt_tokens == 18 and g.completion_tokens == 4 for g in gens)
    assert len(replay_server.requests) == 20


def test_retries_429_then_500_then_succeeds(replay_server):
    replay_server.queue = ["error_429", "error_500", "chat_ok"]
    [gen] = make(replay_server, max_retries=3).generate(["q"])
    assert gen.completion_tokens == 14
    assert len(replay_server.requests) == 3


def test_gives_up_after_max_retries_with_a_clear_error(replay_server):
    replay_server.default = "error_500"
    with pytest.raises(ModelError, match=r"HTTP 500: The server had an error.*gave up after 3 tries"):
        make(replay_server, max_retries=2).generate(["q"])
    assert len(replay_server.requests) == 3


def test_timeout_is_retried_then_reported(replay_server):
    replay_server.default = "slow"
    began = time.perf_counter()
    with pytest.raises(ModelError, match="timed out after 0.3s"):
        make(replay_server, timeout_s=0.3, max_retries=1).generate(["q"])
    assert time.perf_counter() - began < 3.0
    assert len(replay_server.requests) == 2


def test_timeout_then_success(replay_server):
    replay_server.queue = ["slow", "chat_ok"]
    [gen] = make(replay_server, timeout_s=0.5, max_retries=2).generate(["q"])
    assert gen.completion_tokens == 14


def test_malformed_body_is_an_error_after_retries(replay_server):
    replay_server.default = "malformed"
    with pytest.raises(ModelError, match="malformed body"):
        make(replay_server, max_retries=1).generate(["q"])
    assert len(replay_server.requests) == 2


def test_malformed_then_success(replay_server):
    replay_server.queue = ["malformed", "chat_ok"]
    [gen] = make(replay_server).generate(["q"])
    assert gen.prompt_tokens == 27


def test_auth_error_is_not_retried_and_names_the_key_variable(replay_server, monkeypatch):
    monkeypatch.delenv("HYBRID_API_KEY", raising=False)
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)
    replay_server.default = "error_401"
    with pytest.raises(ModelError, match=r"HTTP 401: Incorrect API key.*set HYBRID_API_KEY"):
        make(replay_server).generate(["q"])
    assert len(replay_server.requests) == 1


def test_api_key_from_environment(replay_server, monkeypatch):
    monkeypatch.delenv("HYBRID_API_KEY", raising=False)
    monkeypatch.setenv("OPENAI_API_KEY", "sk-from-openai-var")
    replay_server.default = "chat_ok"
    make(replay_server).generate(["q"])
    assert replay_server.requests[-1]["headers"]["authorization"] == "Bearer sk-from-openai-var"
    monkeypatch.setenv("HYBRID_API_KEY", "sk-hybrid-first")
    make(replay_server).generate(["q"])
    assert replay_server.requests[-1]["headers"]["authorization"] == "Bearer sk-hybrid-first"
    monkeypatch.setenv("MY_KEY", "sk-custom")
    make(replay_server, api_key_env="MY_KEY").generate(["q"])
    assert replay_server.requests[-1]["headers"]["authorization"] == "Bearer sk-custom"


def test_no_key_sends_the_placeholder_local_servers_accept(replay_server, monkeypatch):
    monkeypatch.delenv("HYBRID_API_KEY", raising=False)
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)
    replay_server.default = "chat_ok"
    make(replay_server).generate(["q"])
    assert replay_server.requests[0]["headers"]["authorization"] == "Bearer EMPTY"


def test_unreachable_server_is_a_clear_error():
    lm = OpenAICompatLM("m", base_url="http://127.0.0.1:9/v1", max_retries=1, timeout_s=1)
    with pytest.raises(ModelError, match="cannot reach http://127.0.0.1:9/v1/chat/completions"):
        lm.generate(["q"])


def test_get_lm_routes_openai_names(replay_server):
    replay_server.default = "chat_echo"
    lm = get_lm("openai:qwen2.5-coder", base_url=replay_server.base_url)
    assert isinstance(lm, OpenAICompatLM) and lm.model == "qwen2.5-coder"
    assert lm.generate(["hi"])[0].text == "reply to: hi"
    lm = get_lm("llama-3-8b", base_url=replay_server.base_url, max_concurrency=2)
    assert lm.model == "llama-3-8b" and lm.max_concurrency == 2


def test_empty_batch_makes_no_request(replay_server):
    assert make(replay_server).generate([]) == []
    assert replay_server.requests == []


def test_a_fastapi_style_error_is_one_line_with_the_servers_words_and_not_retried(replay_server):
    replay_server.default = "error_400_detail"  # what `transformers serve` answers for a model it is not serving
    with pytest.raises(ModelError) as caught:
        make(replay_server, max_retries=3).generate(["q"])
    message = str(caught.value)
    assert "\n" not in message and "gave up" not in message
    assert message.endswith("answered HTTP 400: Server is pinned to "
                            "'/root/.cache/hybrid/models/qwen2.5-coder-0.5b'; requested 'whatever'.")
    assert len(replay_server.requests) == 1


def test_the_sdk_sends_the_keywords_the_api_names(replay_server):
    replay_server.default = "chat_ok"
    make(replay_server, extra_body={"top_k": 1}).generate(["q"], max_new_tokens=9, temperature=0.5, top_p=0.9, seed=3)
    body = replay_server.requests[0]["body"]
    assert (body["max_tokens"], body["temperature"], body["top_p"], body["seed"], body["top_k"]) == (9, 0.5, 0.9, 3, 1)
