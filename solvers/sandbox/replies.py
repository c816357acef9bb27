"""The result schema a worker's reply must meet, shared by both sides: the worker caps what it sends,
the caller checks what it receives and trusts nothing else.

A reply is one JSON object of plain values, tagged with the id of the job it answers:
`{"job", "status", "value", "message", "number", "printed", "details", "values", "run_s"}` (`values`: the
program's named scalars, `{name: [kind, text, reported]}`, `solvers.named_values`). `fit(out, job_id)` (worker
side) clips every field to its cap and drops what is not plain data; `check(payload, job_id)` (caller side)
decodes the bytes with `json.loads` only, refuses a reply for another job, a wrong type or an unknown field,
and cleans text that cannot be encoded (lone surrogates) so nothing downstream fails on it.
"""
from __future__ import annotations

import json
import math

STATUSES = ("ok", "error", "timeout", "unsat", "ambiguous")
MAX_REPLY_BYTES = 512 * 1024
MAX_VALUE_CHARS = 2000
MAX_MESSAGE_CHARS = 200
MAX_PRINTED_LINES, MAX_PRINTED_CHARS = 200, 20_000
MAX_DETAIL_CHARS, MAX_DETAIL_DEPTH, MAX_DETAIL_ITEMS, MAX_DETAIL_STRING = 16_384, 4, 100, 500
FIELDS = frozenset({"job", "status", "value", "message", "number", "printed", "details", "values", "run_s"})


class InvalidReply(Exception):
    """The worker's reply does not meet the schema; the worker that sent it is not used again."""


def clean_text(text: str, limit: int) -> str:
    """`text` with unencodable code points written as escapes, then cut to `limit` characters."""
    text = text[: limit * 8].encode("utf-8", "backslashreplace").decode("utf-8")
    if len(text) > limit:
        text = text[: max(0, limit - 3)] + "..."
    return text


def clip_message(message: str, limit: int = MAX_MESSAGE_CHARS) -> str:
    return clean_text(" ".join(str(message).split()), limit)


def _plain(value, depth: int = 0):
    """`value` as plain JSON data within the detail caps (containers cut, anything else as short text)."""
    if value is None or isinstance(value, bool):
        return value
    if isinstance(value, int):
        return value if abs(value) < 2 ** 63 else clean_text(str(value), 40)
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, str):
        return clean_text(value, MAX_DETAIL_STRING)
    if depth >= MAX_DETAIL_DEPTH:
        return "..."
    if isinstance(value, dict):
        items = list(value.items())[:MAX_DETAIL_ITEMS]
        return {clean_text(str(k), 100): _plain(v, depth + 1) for k, v in items}
    if isinstance(value, (list, tuple)):
        return [_plain(v, depth + 1) for v in list(value)[:MAX_DETAIL_ITEMS]]
    return clean_text(type(value).__name__, 40)


def _printed(lines) -> list[str]:
    out, total = [], 0
    for line in list(lines or ())[-MAX_PRINTED_LINES:]:
        text = clean_text(line if isinstance(line, str) else str(line), MAX_VALUE_CHARS)
        total += len(text)
        if total > MAX_PRINTED_CHARS:
            break
        out.append(text)
    return out


def _details(details) -> dict:
    plain = _plain(details if isinstance(details, dict) else {})
    if len(json.dumps(plain)) > MAX_DETAIL_CHARS:
        return {"truncated": True}
    return plain


def _values(values) -> dict:
    """Worker side: the well-formed entries of `values`, at most MAX_VALUES of them."""
    from solvers.named_values import MAX_VALUES, good_entry, good_name

    if not isinstance(values, dict):
        return {}
    out = {}
    for name, entry in list(values.items())[: MAX_VALUES * 2]:
        entry = list(entry) if isinstance(entry, (list, tuple)) else entry
        if good_name(name) and good_entry(entry) and len(out) < MAX_VALUES:
            out[name] = entry
    return out


def _check_values(values) -> None:
    """Caller side: every entry well-formed and within the caps, else InvalidReply."""
    from solvers.named_values import MAX_VALUES, good_entry, good_name

    if len(values) > MAX_VALUES:
        raise InvalidReply("reply field 'values' holds too many names")
    for name, entry in values.items():
        if not good_name(name) or not good_entry(entry):
            raise InvalidReply("reply field 'values' holds a malformed entry")


def _number(number) -> float | None:
    if isinstance(number, bool) or not isinstance(number, (int, float)):
        return None
    try:
        number = float(number)
    except OverflowError:
        return None
    return number if math.isfinite(number) else None


def fit(out: dict, job_id: str) -> dict:
    """Worker side: the reply for `out` (a result dict of any shape) within every cap."""
    status = out.get("status") if out.get("status") in STATUSES else "error"
    value = out.get("value")
    run_s = out.get("run_s")
    return {
        "job": job_id, "status": status,
        "value": None if value is None else clean_text(str(value), MAX_VALUE_CHARS),
        "message": clip_message(out.get("message") or ""),
        "number": _number(out.get("number")),
        "printed": _printed(out.get("printed")),
        "details": _details(out.get("details")),
        "values": _values(out.get("values")),
        "run_s": float(run_s) if isinstance(run_s, (int, float)) and math.isfinite(run_s) and run_s >= 0 else 0.0,
    }


def check(payload: bytes, job_id: str) -> dict:
    """Caller side: the validated reply, or InvalidReply. Never evaluates anything."""
    if len(payload) > MAX_REPLY_BYTES:
        raise InvalidReply(f"reply of {len(payload)} bytes is over the limit")
    try:
        reply = json.loads(payload.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError) as exc:
        raise InvalidReply(f"reply is not JSON ({type(exc).__name__})") from None
    if not isinstance(reply, dict):
        raise InvalidReply("reply is not a JSON object")
    unknown = set(reply) - FIELDS
    if unknown:
        raise InvalidReply(f"reply has unknown fields {sorted(unknown)[:3]}")
    if reply.get("job") != job_id:
        raise InvalidReply("reply is for another job")
    if reply.get("status") not in STATUSES:
        raise InvalidReply("reply has no valid status")
    _expect(reply, "value", (str, type(None)))
    _expect(reply, "message", str)
    _expect(reply, "number", (int, float, type(None)))
    _expect(reply, "printed", list)
    _expect(reply, "details", dict)
    _expect(reply, "values", dict)
    _expect(reply, "run_s", (int, float))
    if not all(isinstance(line, str) for line in reply.get("printed", [])):
        raise InvalidReply("reply field 'printed' holds a non-string")
    _check_values(reply.get("values", {}))
    clean = fit(reply, job_id)
    if reply.get("value") is not None and len(reply["value"]) > MAX_VALUE_CHARS:
        raise InvalidReply("reply value is over the limit")
    return clean


def _expect(reply: dict, field: str, kinds) -> None:
    if field in reply and (not isinstance(reply[field], kinds) or isinstance(reply[field], bool)
                           and field in ("number", "run_s")):
        raise InvalidReply(f"reply field '{field}' has the wrong type")
