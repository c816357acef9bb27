"""The caller's connection to one worker process: start it, read its hello, send a job and read the one
reply, validated, against a deadline; kill it. Used by `solvers.sandbox.pool`, which decides when.
"""
from __future__ import annotations

import json
import socket
import time

from solvers.sandbox import channel
from solvers.sandbox.replies import MAX_REPLY_BYTES, InvalidReply, check, clean_text


class Broken(Exception):
    """The worker died, closed the channel, sent something invalid or missed the deadline."""


class NotDelivered(Broken):
    """The job never reached the worker (it was gone before the job was sent): no program ran."""


class WorkerConnection:
    """One worker process and the socket to it; every read has a deadline and a size cap."""

    def __init__(self, ctx, process_class, target, config: dict):
        parent, child = socket.socketpair()
        self.proc = process_class(target=target, args=(child, config), daemon=True, name="solver-worker")
        try:
            self.proc.start()
        finally:
            child.close()
        self.sock = parent
        self.fd = parent.fileno()
        self.ready = False
        self.layers: dict[str, str] = {}
        self.pid = self.proc.pid

    def wait_ready(self, timeout: float) -> None:
        try:
            kind, payload = channel.recv(self.fd, time.monotonic() + timeout, 64 * 1024)
            hello = json.loads(payload.decode("ascii"))
        except channel.Timeout:
            raise Broken("worker did not start in time") from None
        except (channel.ChannelError, ValueError, UnicodeDecodeError) as exc:
            raise Broken(f"worker failed to start ({exc})") from None
        layers = hello.get("layers") if isinstance(hello, dict) else None
        if kind != b"H" or hello.get("ready") is not True or not isinstance(layers, dict):
            raise Broken("worker sent an unexpected start message")
        self.layers = {clean_text(str(k), 40): clean_text(str(v), 160) for k, v in list(layers.items())[:20]}
        self.ready = True

    def call(self, job: dict, deadline: float) -> dict:
        try:
            channel.send(self.fd, b"J", job, deadline)
        except channel.Timeout:
            raise
        except channel.ChannelError as exc:
            raise NotDelivered(str(exc)) from None
        try:
            kind, payload = channel.recv(self.fd, deadline, MAX_REPLY_BYTES)
        except channel.Timeout:
            raise
        except channel.Oversized as exc:
            raise InvalidReply(str(exc)) from None
        except channel.ChannelError as exc:
            raise Broken(str(exc)) from None
        if kind != b"R":
            raise InvalidReply("unexpected frame kind")
        return check(payload, job["job"])

    @property
    def alive(self) -> bool:
        return self.proc.is_alive()

    def kill(self) -> None:
        try:
            self.proc.kill()
            self.proc.join(2)
        except (OSError, ValueError, AssertionError):
            pass
        self.sock.close()

    def close(self) -> None:
        try:
            channel.send(self.fd, b"J", {"stop": True}, time.monotonic() + 1)
            self.proc.join(1)
        except (OSError, ValueError, AssertionError, channel.ChannelError):
            pass
        if self.proc.is_alive():
            self.kill()
        self.sock.close()
