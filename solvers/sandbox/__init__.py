"""Isolation of model-written programs: confined worker processes, one fresh process per job, and a
caller that trusts nothing they send.

- `pool`: the caller's side (`WorkerPool`, `default_pool`): deadlines, validation, replacement;
  `connection`: one worker process and the socket to it; `start`: the forkserver the workers come from.
- `worker`: the worker process: confinement, warm-up, a forked process per job, relaying replies.
- `confine`, `landlock`, `syscalls`: the operating-system layers (namespaces, Landlock, seccomp, rlimits).
- `channel`, `replies`: framed bytes with caps and deadlines; the reply schema both sides share.
Importing this package starts nothing and imports neither sympy nor z3.
"""
