#!/usr/bin/env bash
# A batch file through the CLI: one JSON line out per question in, batched model calls, progress on stderr.
#   flock /tmp/hybrid-model.lock bash examples/batch_cli.sh
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
out="${1:-answers.jsonl}"
hybrid solve -f "$here/questions.jsonl" --max-repairs 2 > "$out"
echo "wrote $(wc -l < "$out") answers to $out" >&2
cat "$out"
