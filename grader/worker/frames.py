"""Frames on the pipes between the grader and the worker: ``<8-byte length><payload>``.

Standard library only, unlike the payloads' format (``wire``, which needs numpy): the
grader starts a worker and sends its configuration before it imports numpy, so that
the worker's start-up overlaps the grader's own (see grader/cli.py).
"""

from __future__ import annotations

import io
import json
import struct

MAX_FRAME_BYTES = 256 * 1024 * 1024  # a reply larger than this is refused


class ProtocolError(Exception):
    """A frame that is not valid: truncated, too large, or not of our format."""


def encode_plain(value: object) -> bytes:
    """A payload of plain JSON values (the worker's configuration) in wire's format: a header
    and no array blob, which ``wire.decode`` reads back as the same dicts, lists and numbers."""
    header = json.dumps(value).encode()
    return struct.pack("<I", len(header)) + header


def as_frame(payload: bytes) -> bytes:
    """The bytes of one frame."""
    return struct.pack("<Q", len(payload)) + payload


def write_frame(stream: io.RawIOBase, payload: bytes) -> None:
    stream.write(as_frame(payload))
    stream.flush()


def read_frame(stream: io.RawIOBase, limit: int = MAX_FRAME_BYTES) -> bytes | None:
    """Read one frame; None at a clean end of stream."""
    head = _read_exactly(stream, 8)
    if head is None:
        return None
    (size,) = struct.unpack("<Q", head)
    if size > limit:
        raise ProtocolError(f"a reply of {size} bytes is over the {limit}-byte limit")
    body = _read_exactly(stream, size)
    if body is None:
        raise ProtocolError("the stream ended inside a message")
    return body


def _read_exactly(stream: io.RawIOBase, size: int) -> bytes | None:
    chunks, remaining = [], size
    while remaining:
        chunk = stream.read(remaining)
        if not chunk:
            if remaining == size:
                return None
            raise ProtocolError("the stream ended inside a message")
        chunks.append(chunk)
        remaining -= len(chunk)
    return b"".join(chunks)
