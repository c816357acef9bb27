"""`hybrid serve` with the scripted double as its model, in a process of its own (the load test measures it).

    python tests/server/scripted_server.py [--batch-size 16]     prints the base URL on stdout, serves until SIGTERM

The same `hybrid.server.serve` and `Engine` as the CLI; only the model is `server_support.program_for`.
"""
from __future__ import annotations

import argparse
import sys

from hybrid.server import serve
from server_support import scripted_engine


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--batch-size", type=int, default=16)
    args = parser.parse_args()
    engine = scripted_engine(batch_size=args.batch_size, record=False)  # a recording double grows

    def ready(server) -> None:
        print(server.url, flush=True)

    serve(engine, host="127.0.0.1", port=0, on_ready=ready)
    sys.exit(0)


if __name__ == "__main__":
    main()
