"""Time one linear layer at M rows: the CPU path's int4 weight-only matmul against fp32, in GFLOP/s.

    python benchmarks/bench_int4_kernel.py [--rows 1,4,16,64] [--repeat 20]

The layers are the 0.5B's MLP (4864x896 and 896x4864) and its output head (151936x896), random weights
quantized as the CPU path does (`hybrid.lm.cpu.int4`). Decoding a batch is this matmul at M = the batch, so
the int4 kernel's GFLOP/s at large M bounds the CPU path's tokens per second (about 1 GFLOP per token for
the 0.5B). Prints the CPU it ran on; run it with nothing else on the machine. A script that prints figures.
"""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from hybrid.lm.torch_setup import cpu_description  # noqa: E402

LAYERS = ((4864, 896), (896, 4864), (151936, 896))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", default="1,4,16,64", help="comma-separated batch sizes M")
    parser.add_argument("--repeat", type=int, default=20, help="timed calls per cell (the head: a fifth)")
    args = parser.parse_args(argv)
    try:
        rows = [int(m) for m in args.rows.split(",")]
    except ValueError:
        parser.error("--rows takes comma-separated integers")
    import torch

    from hybrid.lm.cpu.int4 import DenseLinear, Int4Linear, quantize
    from hybrid.lm.torch_setup import cpu_threads

    torch.set_num_threads(cpu_threads())
    print(f"{cpu_description()}; {torch.get_num_threads()} threads; torch {torch.__version__}")
    print("| layer (out x in) | M | int4 ms | int4 GFLOP/s | fp32 ms | fp32 GFLOP/s |")
    print("|---|---:|---:|---:|---:|---:|")
    generator = torch.Generator().manual_seed(0)
    for n, k in LAYERS:
        weight = torch.randn(n, k, generator=generator) * 0.02
        kernels = (Int4Linear(quantize(weight)), DenseLinear(weight))
        repeat = max(1, args.repeat // 5 if n > 100_000 else args.repeat)
        for m in rows:
            x = torch.randn(m, k, generator=generator)
            cells = []
            for kernel in kernels:
                kernel(x)  # warm-up
                began = time.perf_counter()
                for _ in range(repeat):
                    kernel(x)
                ms = (time.perf_counter() - began) / repeat * 1000
                cells += [f"{ms:.2f}", f"{2 * m * n * k / ms / 1e6:.1f}"]
            print(f"| {n}x{k} | {m} | " + " | ".join(cells) + " |", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
