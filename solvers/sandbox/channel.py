"""Length-prefixed frames over a socket or pipe, read against a deadline and a size cap.

A frame is a 4-byte big-endian length, one kind byte and the payload. Nothing here unpickles or evaluates
anything: payloads are bytes, and the JSON in them is decoded by `solvers.sandbox.replies`. A reader
never blocks past its deadline and never buffers more than `max_bytes`, whatever the other side sends.
"""
from __future__ import annotations

import json
import os
import select
import struct
import time

HEADER = struct.Struct(">IB")


class ChannelError(Exception):
    """The other side closed, sent a malformed or oversized frame, or missed the deadline."""


class Timeout(ChannelError):
    pass


class Oversized(ChannelError):
    """A frame or reply larger than the reader's cap (refused before it is read)."""


def encode(kind: bytes, payload: bytes) -> bytes:
    return HEADER.pack(len(payload), kind[0]) + payload


def write_all(fd: int, data: bytes, deadline: float | None = None) -> None:
    """Write everything to a (blocking) fd; `deadline` bounds the wait for the reader to drain."""
    view = memoryview(data)
    while view:
        if deadline is not None:
            _wait(fd, deadline, write=True)
        try:
            sent = os.write(fd, view)
        except (BrokenPipeError, ConnectionResetError) as exc:
            raise ChannelError("the other side closed the channel") from exc
        view = view[sent:]


def send(fd: int, kind: bytes, obj, deadline: float | None = None) -> None:
    write_all(fd, encode(kind, json.dumps(obj, ensure_ascii=True).encode("ascii")), deadline)


def _wait(fd: int, deadline: float, write: bool = False) -> None:
    left = deadline - time.monotonic()
    if left <= 0:
        raise Timeout("deadline passed")
    poller = select.poll()
    poller.register(fd, select.POLLOUT if write else select.POLLIN)
    if not poller.poll(left * 1000):
        raise Timeout("deadline passed")


def read_exact(fd: int, n: int, deadline: float | None) -> bytes:
    chunks, got = [], 0
    while got < n:
        if deadline is not None:
            _wait(fd, deadline)
        try:
            chunk = os.read(fd, min(n - got, 1 << 20))
        except (ConnectionResetError, OSError) as exc:
            raise ChannelError(f"read failed: {exc}") from exc
        if not chunk:
            raise ChannelError("the other side closed the channel")
        chunks.append(chunk)
        got += len(chunk)
    return b"".join(chunks)


def recv(fd: int, deadline: float | None, max_bytes: int) -> tuple[bytes, bytes]:
    """(kind, payload) of the next frame. Raises Timeout or ChannelError (oversized, closed, cut short)."""
    size, kind = HEADER.unpack(read_exact(fd, HEADER.size, deadline))
    if size > max_bytes:
        raise Oversized(f"frame of {size} bytes is over the {max_bytes}-byte limit")
    return bytes([kind]), read_exact(fd, size, deadline)


def read_until_eof(fd: int, deadline: float, max_bytes: int) -> bytes:
    """All a pipe holds until its writer closes it. Raises Timeout, or ChannelError past `max_bytes`."""
    chunks, got = [], 0
    while True:
        _wait(fd, deadline)
        chunk = os.read(fd, 1 << 16)
        if not chunk:
            return b"".join(chunks)
        got += len(chunk)
        if got > max_bytes:
            raise Oversized(f"reply over the {max_bytes}-byte limit")
        chunks.append(chunk)
