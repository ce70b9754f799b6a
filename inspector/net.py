"""Every HTTP request inspector makes (explorers, JSON-RPC) goes through `request`: the body is
streamed with a byte cap and the whole exchange has a wall-clock deadline.

`requests`' own timeout bounds each socket read, not the answer: a server that sends one
byte every few seconds keeps it waiting forever, and one that never stops sending fills
memory. Here the socket's timeout is set to what is left of the deadline before every read,
a Content-Length over the cap is refused before reading, and reading stops one chunk past
the cap. Errors never carry the URL (it may hold a key): callers name it, masked.
"""
from __future__ import annotations

import os
import socket
import time
from dataclasses import dataclass
import requests
import urllib3

CHUNK = 64 * 1024  # urllib3 decompresses at most this much per read: a deflate bomb is counted as it grows
MIB = 1024 * 1024


@dataclass(frozen=True)
class Limits:
    """How much one answer may weigh and how long one request may take, start to end."""

    max_bytes: int
    seconds: float

    @classmethod
    def from_env(cls, bytes_var: str, default_bytes: int, seconds_var: str, default_seconds: float) -> "Limits":
        """Read when a client is made, so tests (and users) can shrink them with env vars."""
        return cls(int(setting(bytes_var, default_bytes)), setting(seconds_var, default_seconds))


def setting(name: str, default: float) -> float:
    """A positive number from the environment, else the default."""
    text = os.environ.get(name, "")
    try:
        value = float(text) if text else default
    except ValueError:
        value = default
    return value if value > 0 else default


def explorer_limits() -> Limits:
    return Limits.from_env("INSPECTOR_EXPLORER_MAX_BYTES", 32 * MIB, "INSPECTOR_HTTP_TIMEOUT", 30.0)


def rpc_limits() -> Limits:
    return Limits.from_env("INSPECTOR_RPC_MAX_BYTES", 64 * MIB, "INSPECTOR_RPC_TIMEOUT", 20.0)


@dataclass(frozen=True)
class Reply:
    status: int
    body: bytes


class NetError(Exception):
    """A request that gave no usable answer; `reason` completes "<server> …" in one line
    and holds no URL."""

    retry = False  # whether asking again may help

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class Unreachable(NetError):
    """Refused, reset, unresolvable, cut short: the network or the server is down."""

    retry = True


class TooSlow(NetError):
    """The deadline passed before the answer was complete."""


class TooLarge(NetError):
    """The answer is bigger than the cap."""


def request(method: str, url: str, limits: Limits, *, session: requests.Session | None = None,
            deadline: float | None = None, **kwargs) -> Reply:
    """One HTTP exchange, done within `limits.seconds` (and before the monotonic `deadline`,
    when one is given) and at most `limits.max_bytes` of body."""
    start = time.monotonic()
    end = start + limits.seconds if deadline is None else min(start + limits.seconds, deadline)
    if end <= start:
        raise TooSlow("was not asked: the deadline for these reads has passed")
    try:
        response = (session or requests).request(method, url, stream=True, timeout=(end - start, end - start), **kwargs)
        with response:
            declared = response.headers.get("Content-Length", "")
            if declared.strip().isdigit() and int(declared) > limits.max_bytes:
                raise TooLarge(f"announced {int(declared)} bytes, more than the {limits.max_bytes} inspector accepts")
            return Reply(response.status_code, _read(response, limits.max_bytes, end))
    except TooLarge:
        raise
    except (TooSlow, requests.RequestException, urllib3.exceptions.HTTPError, OSError) as exc:
        if isinstance(exc, TooSlow) or time.monotonic() >= end - 0.05:
            raise TooSlow(f"gave no complete answer within {min(limits.seconds, end - start):.3g} s") from None
        raise Unreachable(f"did not answer ({type(exc).__name__})") from None


def _read(response: requests.Response, cap: int, end: float) -> bytes:
    sock = _socket(response)
    chunks: list[bytes] = []
    size = 0
    while True:
        left = end - time.monotonic()
        if left <= 0:
            raise TooSlow("")
        if sock is not None and sock.fileno() != -1:  # closed once an HTTP/1.0 body is all in
            sock.settimeout(left)
        chunk = response.raw.read1(CHUNK, decode_content=True)  # what has arrived, not a full chunk
        if not chunk:
            return b"".join(chunks)
        size += len(chunk)
        if size > cap:
            raise TooLarge(f"sent more than the {cap} bytes inspector accepts")
        chunks.append(chunk)


def _socket(response: requests.Response) -> socket.socket | None:
    """The socket the body arrives on, to shorten its timeout as the deadline nears."""
    fp = getattr(getattr(response.raw, "_fp", None), "fp", None)
    sock = getattr(getattr(fp, "raw", None), "_sock", None)
    return sock if isinstance(sock, socket.socket) else None
