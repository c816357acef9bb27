"""Benchmark local decoding of the bundled 0.5B model on CPU: tokens/s at batch 1, 8, 16, 32 and peak memory.

Each variant runs in its own subprocess (so its peak RSS is its own) on the same prompts: GSM8K train
questions behind a shared 2-shot chat prefix, greedy, `--new-tokens` tokens. Variants:
  plain-fp32   AutoModelForCausalLM.generate, fp32, prompts in given order, left padding (the baseline)
  plain-int8   the same after torch.ao dynamic int8 quantization of every nn.Linear
  lm-fp32      TransformersLM(quantize=None): length-sorted batches, shared-prefix KV reuse, stop checks
  lm-int8      TransformersLM(quantize="int8"): the default CPU path
  lm-int8-nopfx  lm-int8 without the shared-prefix KV cache
  lm-int8-pc   lm-int8 with per-channel weight scales (quantize="int8-pc")
  lm-int8-nohead lm-int8 with the output head left in fp32 (quantize="int8-nohead")
  int8-1thread plain-int8 with torch.set_num_threads(1)
  compile-fp32 plain-fp32 with torch.compile(model.forward, dynamic=True) (compile time excluded, reported)
tokens/s = generated tokens (up to EOS, padding excluded) / wall seconds of the generate calls, prefill
included ("end-to-end"); "decode" = tokens after each row's first / seconds in the forward calls after the
first (model.forward is wrapped with a timer; forwards over more than one position are prefill). Every variant first runs one 2-prompt, 1-token warm-up call (the lm variants compute the shared
prefix's KV there, as a real run does once for many batches).

`--quality N` instead compares fp32 with the int8 modes (`--arms`) on N GSM8K train questions (2-shot
chain of thought, greedy, batch 16): accuracy of "The answer is N" (last number as fallback) and
agreement with fp32 (identical text, same extracted answer).

Usage: flock /tmp/hybrid-model.lock python benchmarks/bench_lm.py [--variants a,b] [--batches 1,8,16,32]
"""
from __future__ import annotations

import argparse
import json
import os
import re
import resource
import subprocess
import sys
import time
from pathlib import Path

ALL_VARIANTS = ["plain-fp32", "plain-int8", "lm-fp32", "lm-int8", "lm-int8-nopfx", "lm-int8-pc", "lm-int8-nohead",
                "int8-1thread", "compile-fp32"]
DEFAULT_VARIANTS = ["plain-fp32", "plain-int8", "lm-fp32", "lm-int8", "lm-int8-nopfx", "lm-int8-pc", "lm-int8-nohead"]
SYSTEM = "Solve the math word problem step by step. End with 'The answer is N'."


def train_file() -> Path:
    """GSM8K train.jsonl, found as the harness finds data: $HYBRID_DATA_DIR, else ../shared/data."""
    from evals.datasets import data_dir

    root = data_dir()
    if root is None:
        raise SystemExit("error: no data folder: set HYBRID_DATA_DIR (or put the data in ../shared/data)")
    return root / "gsm8k" / "train.jsonl" if (root / "gsm8k").is_dir() else root / "train.jsonl"


def load_questions() -> list[dict]:
    with open(train_file()) as handle:
        return [json.loads(line) for line in handle]


def chat(question: str, shots: list[dict]) -> list[dict]:
    messages = [{"role": "system", "content": SYSTEM}]
    for shot in shots:
        worked = re.sub(r"<<[^>]*>>", "", shot["answer"]).replace("#### ", "The answer is ")
        messages += [{"role": "user", "content": shot["question"]}, {"role": "assistant", "content": worked}]
    return messages + [{"role": "user", "content": question}]


def prompts_for(n: int, start: int = 100) -> list[list[dict]]:
    rows = load_questions()
    shots = rows[:2]
    return [chat(r["question"], shots) for r in rows[start:start + n]]


class ForwardTimer:
    """Wraps model.forward to time each call: calls over several positions are prefill, one position decode."""

    def __init__(self, model):
        import functools

        self.calls: list[tuple[bool, float]] = []
        inner = model.forward

        # functools.wraps keeps forward's signature visible: generate checks it for `logits_to_keep`, and
        # without it computes logits over the whole prompt (8 GB at batch 32, and a much slower prefill).
        @functools.wraps(inner)
        def timed(*args, **kwargs):
            ids = kwargs.get("input_ids", args[0] if args else None)
            began = time.perf_counter()
            try:
                return inner(*args, **kwargs)
            finally:
                self.calls.append((ids is not None and ids.shape[1] > 1, time.perf_counter() - began))

        model.forward = timed

    def take(self) -> tuple[float, float]:
        """(prefill seconds, decode seconds) since the last take."""
        calls, self.calls = self.calls, []
        return sum(s for p, s in calls if p), sum(s for p, s in calls if not p)


def peak_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


class Plain:
    """The baseline: plain generate with left padding, no sorting, no prefix reuse."""

    def __init__(self, quantize: str | None, threads: int | None, compile_: bool):
        import torch
        from transformers import AutoModelForCausalLM, AutoTokenizer

        from hybrid.lm.bundled import ensure_converted
        from hybrid.lm.catalogue import BUNDLED
        from hybrid.lm.torch_setup import cpu_threads, quantize_int8

        torch.set_num_threads(threads or cpu_threads())
        path = str(ensure_converted(BUNDLED["qwen2.5-coder-0.5b"]))
        self.tok = AutoTokenizer.from_pretrained(path)
        self.tok.padding_side = "left"
        self.model = AutoModelForCausalLM.from_pretrained(path, dtype=torch.float32).eval()
        if quantize == "int8":
            self.model = quantize_int8(self.model)
        self.compile_s = 0.0
        if compile_:
            self.model.forward = torch.compile(self.model.forward, dynamic=True)
        self.eos = [151643, 151645]
        self.timer = ForwardTimer(self.model)

    def generate(self, prompts, max_new_tokens):
        import torch

        texts = [self.tok.apply_chat_template(p, add_generation_prompt=True, tokenize=False) for p in prompts]
        enc = self.tok(texts, return_tensors="pt", padding=True, add_special_tokens=False)
        with torch.inference_mode():
            out = self.model.generate(**enc, max_new_tokens=max_new_tokens, do_sample=False, eos_token_id=self.eos,
                                      pad_token_id=151643, temperature=None, top_p=None, top_k=None)
        gen = out[:, enc["input_ids"].shape[1]:]
        count = 0
        for row in gen:
            hits = torch.isin(row, torch.tensor(self.eos)).nonzero()
            count += int(hits[0]) + 1 if len(hits) else row.shape[0]
        return count, [self.tok.decode(r, skip_special_tokens=True) for r in gen]


class Wrapped:
    def __init__(self, quantize: str | None, prefix: bool):
        from hybrid.lm import get_lm

        self.lm = get_lm("qwen2.5-coder-0.5b", quantize=quantize, max_batch_size=32)
        self.lm.prefix_cache = prefix
        self.timer = ForwardTimer(self.lm.model)

    def generate(self, prompts, max_new_tokens):
        gens = self.lm.generate(prompts, max_new_tokens=max_new_tokens)
        return sum(g.completion_tokens for g in gens), [g.text for g in gens]


def make(variant: str):
    if variant.startswith("lm-"):
        quantize = {"lm-fp32": None, "lm-int8-pc": "int8-pc", "lm-int8-nohead": "int8-nohead"}.get(variant, "int8")
        return Wrapped(quantize, prefix=not variant.endswith("nopfx"))
    return Plain("int8" if "int8" in variant else None, 1 if "1thread" in variant else None,
                 variant.startswith("compile"))


def run_variant(variant: str, batches: list[int], new_tokens: int) -> dict:
    began = time.perf_counter()
    system = make(variant)
    load_s = time.perf_counter() - began
    prompts = prompts_for(max(batches))
    warm = time.perf_counter()
    system.generate(prompts[:2], 1)
    warm_s = time.perf_counter() - warm
    system.timer.take()
    cells = {}
    for batch in batches:
        rounds = 2 if batch == 1 else 1
        tokens, seconds, prefill_s, decode_s, decode_tokens = 0, 0.0, 0.0, 0.0, 0
        for r in range(rounds):
            chunk = prompts[r * batch:(r + 1) * batch]
            t = time.perf_counter()
            count, _ = system.generate(chunk, new_tokens)
            seconds += time.perf_counter() - t
            tokens += count
            prefill, decode = system.timer.take()
            prefill_s += prefill
            decode_s += decode
            decode_tokens += count - len(chunk)  # each row's first token comes from the prefill
        cells[batch] = dict(tokens=tokens, seconds=round(seconds, 2), tok_s=round(tokens / seconds, 1),
                            prefill_s=round(prefill_s, 2),
                            decode_tok_s=round(decode_tokens / decode_s, 1) if decode_s else None)
        print(f"  {variant} batch {batch}: {tokens} tokens in {seconds:.1f}s = {tokens / seconds:.1f} tok/s "
              f"(prefill {prefill_s:.1f}s, decode {cells[batch]['decode_tok_s']} tok/s)", file=sys.stderr, flush=True)
    return dict(variant=variant, load_s=round(load_s, 1), warmup_s=round(warm_s, 1), cells=cells,
                peak_mib=round(peak_mib()))


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


def run_quality(quantize: str | None, n: int, new_tokens: int) -> dict:
    from hybrid.lm import get_lm

    rows = load_questions()[100:100 + n]
    lm = get_lm("qwen2.5-coder-0.5b", quantize=quantize, max_batch_size=16)
    t = time.perf_counter()
    gens = lm.generate(prompts_for(n), max_new_tokens=new_tokens, stop=["\n\n\n", "<|im_end|>"])
    seconds = time.perf_counter() - t
    gold = [r["answer"].split("####")[-1].strip().replace(",", "") for r in rows]
    predicted = [answer_of(g.text) for g in gens]
    return dict(quantize=quantize or "fp32", correct=sum(p == g for p, g in zip(predicted, gold)), n=n,
                predicted=predicted, gold=gold, texts=[g.text for g in gens], seconds=round(seconds, 1),
                tokens=sum(g.completion_tokens for g in gens), peak_mib=round(peak_mib()))


def child(args) -> None:
    if args.quality_child:
        result = run_quality(None if args.quality_child == "fp32" else args.quality_child, args.quality,
                             args.new_tokens)
    else:
        result = run_variant(args.child, args.batch_list, args.new_tokens)
    print("RESULT " + json.dumps(result))


def spawn(extra: list[str]) -> dict:
    cmd = [sys.executable, __file__, *extra]
    done = subprocess.run(cmd, stdout=subprocess.PIPE, text=True)
    for line in done.stdout.splitlines():
        if line.startswith("RESULT "):
            return json.loads(line[7:])
    return dict(error=f"exit {done.returncode}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--variants", default=",".join(DEFAULT_VARIANTS), help=f"any of {','.join(ALL_VARIANTS)}")
    parser.add_argument("--batches", default="1,8,16,32")
    parser.add_argument("--new-tokens", type=int, default=32)
    parser.add_argument("--quality", type=int, default=0, help="run the fp32-vs-int8 quality probe on N questions")
    parser.add_argument("--arms", default="fp32,int8,int8-pc,int8-nohead", help="quality probe arms (fp32 first)")
    parser.add_argument("--dump", help="write the quality probe's texts and answers to this JSON file")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--quality-child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    try:
        args.batch_list = [int(b) for b in args.batches.split(",")]
    except ValueError:
        parser.error("--batches takes comma-separated integers")
    if args.child or args.quality_child:
        child(args)
        return 0
    if args.quality:
        new = str(args.new_tokens if args.new_tokens != 32 else 256)
        arms = args.arms.split(",")
        results = []
        for arm in arms:
            print(f"quality arm {arm} ...", file=sys.stderr, flush=True)
            results.append(spawn(["--quality", str(args.quality), "--quality-child", arm, "--new-tokens", new]))
        failed = [a for a, r in zip(arms, results) if "error" in r]
        if failed:
            print(f"error: quality arm(s) {failed} failed", file=sys.stderr)
            return 1
        if args.dump:
            Path(args.dump).write_text(json.dumps(results, indent=1))
        fp = results[0]
        print(f"quality probe: {args.quality} GSM8K train questions (#100..), 2-shot CoT, greedy, batch 16, "
              f"{new} new tokens; agreement is against the first arm ({arms[0]})")
        print("| arm | correct | same text | same answer | tokens | seconds | tok/s | peak MiB |")
        print("|---|---|---|---|---|---|---|---|")
        for r in results:
            text = sum(a == b for a, b in zip(fp["texts"], r["texts"]))
            answer = sum(a == b for a, b in zip(fp["predicted"], r["predicted"]))
            print(f"| {r['quantize']} | {r['correct']}/{r['n']} | {text}/{r['n']} | {answer}/{r['n']} | {r['tokens']} | "
                  f"{r['seconds']} | {r['tokens'] / r['seconds']:.1f} | {r['peak_mib']} |")
        return 0
    variants = args.variants.split(",")
    unknown = [v for v in variants if v not in ALL_VARIANTS]
    if unknown:
        parser.error(f"unknown variant(s) {unknown}; choose from {ALL_VARIANTS}")
    import torch

    print(f"torch {torch.__version__}, {os.cpu_count()} CPUs visible, {len(os.sched_getaffinity(0))} usable; "
          f"greedy, {args.new_tokens} new tokens, 2-shot GSM8K chat prompts", flush=True)
    results = []
    for variant in variants:
        print(f"running {variant} ...", file=sys.stderr, flush=True)
        results.append(spawn(["--child", variant, "--batches", args.batches, "--new-tokens", str(args.new_tokens)]))
    print("cells: end-to-end tok/s (prefill included) / decode-only tok/s, and the speed-up of end-to-end over "
          "plain-fp32")
    head = "| variant | " + " | ".join(f"batch {b}" for b in args.batch_list) + " | peak RSS MiB | load s |"
    print(head)
    print("|" + "---|" * (len(args.batch_list) + 3))
    base = next((r for r in results if r.get("variant") == "plain-fp32"), None)
    for r in results:
        if "error" in r:
            print(f"| {variants[results.index(r)]} | failed: {r['error']} |")
            continue
        cells = []
        for b in args.batch_list:
            cell = r["cells"][str(b)] if str(b) in r["cells"] else r["cells"][b]
            text = f"{cell['tok_s']} / {cell.get('decode_tok_s')}"
            if base and "error" not in base and r is not base:
                ref = base["cells"].get(str(b)) or base["cells"].get(b)
                text += f" ({cell['tok_s'] / ref['tok_s']:.1f}x)"
            cells.append(text)
        print(f"| {r['variant']} | " + " | ".join(cells) + f" | {r['peak_mib']} | {r['load_s']} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
