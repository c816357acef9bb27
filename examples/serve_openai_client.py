"""The engine as a drop-in OpenAI model: start `hybrid serve`, ask it with the openai SDK, stop it.

    flock /tmp/hybrid-model.lock python examples/serve_openai_client.py [--model qwen2.5-coder-0.5b]

Against a `hybrid serve` that is already running, only the client part is needed: any OpenAI client
(the openai SDK, LangChain's ChatOpenAI, DSPy, `llm`) pointed at its base URL with the model "hybrid" gets
the solver-checked answer as the message, and the route, status, confidence and trace in the reply's extra
`hybrid` field. Here the server gets a random key, as any server outside loopback should have.
"""
from __future__ import annotations

import argparse
import os
import secrets
import shutil
import subprocess
import sys
import threading
import time

import openai

QUESTION = "A hen lays 6 eggs a day. How many eggs does it lay in 2 weeks?"


def start_server(model: str, key: str) -> tuple[subprocess.Popen, str]:
    """`hybrid serve --port 0` in a process of its own; returns it and the base URL it printed."""
    command = [shutil.which("hybrid") or sys.executable, *([] if shutil.which("hybrid") else ["-m", "hybrid.cli"]),
               "serve", "--port", "0", "--model", model]
    server = subprocess.Popen(command, stderr=subprocess.PIPE, text=True,
                              env=dict(os.environ, HYBRID_SERVE_API_KEY=key))
    deadline = time.monotonic() + 300  # the first load of the bundled model converts it (about a minute)
    for line in server.stderr:
        if line.startswith("hybrid serve: "):  # then keep reading its log, so that the pipe never fills
            threading.Thread(target=lambda: [None for _ in server.stderr], daemon=True).start()
            return server, line.split()[2]
        if time.monotonic() > deadline:
            break
    server.kill()
    raise SystemExit(f"hybrid serve did not start (exit code {server.wait()})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", default="qwen2.5-coder-0.5b")
    args = parser.parse_args()

    key = secrets.token_urlsafe(16)
    server, base_url = start_server(args.model, key)
    try:
        client = openai.OpenAI(base_url=base_url, api_key=key)
        print("models:", [m.id for m in client.models.list()])
        reply = client.chat.completions.create(model="hybrid", messages=[{"role": "user", "content": QUESTION}])
        how = reply.model_extra["hybrid"]
        print(f"answer: {reply.choices[0].message.content}  (expected 84)")
        print(f"status {how['status']} · route {how['route']} · {how['checked']}, confidence {how['confidence']} · "
              f"{len(how['trace'])} trace steps · {reply.usage.total_tokens} tokens")
    finally:
        server.terminate()
        server.wait(30)


if __name__ == "__main__":
    main()
