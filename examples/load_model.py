"""Load the default bundled model offline and generate: the smallest end-to-end use of hybrid.lm.

    HF_HUB_OFFLINE=1 python examples/load_model.py
    python examples/load_model.py --model Qwen/Qwen2.5-Coder-0.5B-Instruct --prompt "Write a haiku"
    python examples/load_model.py --model openai:gpt-4o-mini --base-url https://api.openai.com/v1

The first load of a bundled model converts its GGUF to a safetensors cache (about a minute); later loads
take seconds. Exit code 2 for an unknown model name, 1 for any other model error.
"""
from __future__ import annotations

import argparse
import os
import sys
import time

os.environ.setdefault("HF_HUB_OFFLINE", "1")  # the bundled model needs no network; say so explicitly

from hybrid.lm import DEFAULT_MODEL, ModelError, ModelNotFoundError, get_lm, list_models  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description="Load a model through hybrid.lm and generate once.")
    parser.add_argument("--model", default=DEFAULT_MODEL, help="alias, Hugging Face id, local dir, openai:<model>")
    parser.add_argument("--prompt", default="Write a Python expression for the sum of 17 and 25. Reply with code only.")
    parser.add_argument("--max-new-tokens", type=int, default=48)
    parser.add_argument("--quantize", choices=["auto", "int4", "int8x2", "int8", "none"], default="auto")
    parser.add_argument("--base-url", default=None, help="OpenAI-compatible server (vLLM, llama.cpp, Ollama)")
    parser.add_argument("--list", action="store_true", help="list the registered models and exit")
    args = parser.parse_args()
    if args.list:
        for row in list_models():
            print(f"{row['name']:<22} installed={row['installed']!s:<5} cached={row['cached']!s:<5} {row['source']}")
        return 0
    began = time.perf_counter()
    try:
        lm = get_lm(args.model, quantize=None if args.quantize == "none" else args.quantize, base_url=args.base_url)
    except ModelNotFoundError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except ModelError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    print(f"loaded {lm.name} in {time.perf_counter() - began:.1f}s")
    [gen] = lm.generate([args.prompt], max_new_tokens=args.max_new_tokens)
    print(gen.text)
    rate = gen.completion_tokens / gen.seconds if gen.seconds else float("nan")
    print(f"({gen.prompt_tokens} prompt tokens, {gen.completion_tokens} generated in {gen.seconds:.1f}s, {rate:.1f} tok/s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
